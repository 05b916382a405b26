// pocketsphinx behind the Recognizer: a decoder with a grammar search named "home", and beside
// it a second decoder with a loop over common English words ("any") that hears the same audio,
// so that speech the grammar cannot hold is told apart from a request (Hypothesis::margin). A
// loop over phones (pocketsphinx's allphone search) separated them as well but ran at about real
// time here; the word loop costs about a tenth of that.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <set>
#include <sstream>

#include "hearth/audio/recognizer.h"
#include "nbest.h"
#include "pronunciations.h"
#include "speech_libs.h"

namespace hearth::audio {

struct Recognizer::Impl {
  const speech_libs::Sphinx* ps_lib = nullptr;  // pocketsphinx, opened by create()
  cmd_ln_t* config = nullptr;
  ps_decoder_t* ps = nullptr;
  cmd_ln_t* any_config = nullptr;
  ps_decoder_t* any = nullptr;  // the any-speech decoder; null: no out-of-grammar check
  cmd_ln_t* open_config = nullptr;
  ps_decoder_t* open = nullptr;  // the general language model's decoder, made by transcribe_open()
  std::string hmm, dict, open_lm;
  std::string wake_phrase;  // of the vocabulary set, lower-case
  nbest::GrammarAcceptor grammar;  // the command grammar as compiled, for alternatives()
  // The last utterance's best sentence and its length (all of it, and after the wake phrase),
  // for alternatives(); none before the first or after one that matched nothing.
  std::optional<Hypothesis> last_best;
  int last_frames = 1, last_command_frames = 1;
  // The utterance's audio as fed (with the silence around it), for transcribe_open(). A request
  // lasts at most a few seconds; kept up to 30 s.
  std::vector<int16_t> heard;
  bool primed = false;  // the channel normalization has heard audio (or was given it)
  bool first_hearing = false;  // this utterance is the first the decoders hear: end() replays it
  bool in_utterance = false;
  bool regional = true;  // RecognizerOptions::regional_pronunciations
  ~Impl() {
    if (ps) ps_lib->free(ps);
    if (config) ps_lib->config_free(config);
    if (any) ps_lib->free(any);
    if (any_config) ps_lib->config_free(any_config);
    if (open) ps_lib->free(open);
    if (open_config) ps_lib->config_free(open_config);
  }
  void process(const int16_t* samples, size_t n) {
    if (heard.size() + n <= static_cast<size_t>(kSpeechRate) * 30) heard.insert(heard.end(), samples, samples + n);
    ps_lib->process_raw(ps, samples, n, FALSE, FALSE);
    if (any) ps_lib->process_raw(any, samples, n, FALSE, FALSE);
  }
  // The regional pronunciations (pronunciations.h) as alternatives in a decoder's dictionary,
  // each under the first free name "word(N)"; a word the dictionary lacks is left alone. Called
  // before the decoder has a search (the searches set later see the words).
  Result<void> add_pronunciations(ps_decoder_t* decoder) {
    if (!regional) return {};
    auto known = [&](const std::string& word) {
      char* pron = ps_lib->lookup_word(decoder, word.c_str());
      if (pron) ps_lib->free_string(pron);
      return pron != nullptr;
    };
    for (const auto& p : regional_pronunciations()) {
      if (!known(p.word)) continue;
      std::string name;
      for (int n = 2; name.empty() || known(name); ++n) name = std::string(p.word) + "(" + std::to_string(n) + ")";
      if (ps_lib->add_word(decoder, name.c_str(), p.phones, FALSE) < 0)
        return fail(ErrorCode::kModel, "pocketsphinx refused the pronunciation \"" + std::string(p.phones) + "\" of " + p.word);
    }
    return {};
  }
  // The utterance's audio through a decoder once more, in 100 ms blocks.
  void replay(ps_decoder_t* decoder) {
    ps_lib->start_utt(decoder);
    for (size_t at = 0; at < heard.size(); at += kSpeechRate / 10)
      ps_lib->process_raw(decoder, heard.data() + at, std::min<size_t>(kSpeechRate / 10, heard.size() - at), FALSE, FALSE);
    ps_lib->end_utt(decoder);
  }
  // The decoder's live cepstral mean (empty when it normalizes otherwise).
  std::vector<float> channel_of(ps_decoder_t* decoder) const {
    feat_t* feat = ps_lib->get_feat(decoder);
    if (!feat || !feat->cmn_struct) return {};
    std::vector<float> mean(static_cast<size_t>(feat->cmn_struct->veclen));
    ps_lib->cmn_get(feat->cmn_struct, mean.data());
    return mean;
  }
  void set_channel_of(ps_decoder_t* decoder, const std::vector<float>& mean) {
    feat_t* feat = ps_lib->get_feat(decoder);
    if (feat && feat->cmn_struct && static_cast<size_t>(feat->cmn_struct->veclen) == mean.size())
      ps_lib->cmn_set(feat->cmn_struct, mean.data());
  }
};

namespace {

struct Segment {
  std::string word;
  int first_frame = 0, last_frame = 0;
  long score = 0;  // acoustic + language score of the word
};

// The best path of a decoder after end_utt(), word by word (fillers and silences included).
std::vector<Segment> segments_of(const speech_libs::Sphinx& ps, ps_decoder_t* decoder) {
  std::vector<Segment> out;
  for (ps_seg_t* seg = ps.seg_iter(decoder); seg; seg = ps.seg_next(seg)) {
    Segment s;
    const char* w = ps.seg_word(seg);
    s.word = w ? w : "";
    ps.seg_frames(seg, &s.first_frame, &s.last_frame);
    int32 acoustic = 0, language = 0, backoff = 0;
    ps.seg_prob(seg, &acoustic, &language, &backoff);
    s.score = static_cast<long>(acoustic) + language;
    out.push_back(s);
  }
  return out;
}

// The words of a text, as separated by white space.
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool is_filler(const std::string& word) { return word.empty() || word[0] == '<' || word[0] == '['; }

// The first frame after the wake phrase when the path starts with it (fillers between its words
// allowed), else 0.
int after_wake_phrase(const std::vector<Segment>& path, const std::string& wake_phrase) {
  const std::vector<std::string> words = words_of(wake_phrase);
  if (words.empty()) return 0;
  size_t matched = 0;
  for (const auto& s : path) {
    if (is_filler(s.word)) continue;
    if (s.word != words[matched]) return 0;
    if (++matched == words.size()) return s.last_frame + 1;
  }
  return 0;
}

// What a path scores from frame `from` on; a word that straddles it counts where most of it lies.
long score_from(const std::vector<Segment>& path, int from) {
  long total = 0;
  for (const auto& s : path)
    if (s.first_frame + s.last_frame >= 2 * from) total += s.score;
  return total;
}

}  // namespace

Result<std::unique_ptr<Recognizer>> Recognizer::create(const RecognizerOptions& o) {
  std::unique_ptr<Recognizer> r(new Recognizer());
  auto lib = speech_libs::sphinx();
  if (!lib) return fail(lib.error().code, lib.error().message + " (install pocketsphinx)");
  r->impl_ = std::make_unique<Impl>();
  r->impl_->ps_lib = *lib;
  const speech_libs::Sphinx& ps = **lib;
  const std::string hmm = o.model_dir + "/en-us", dict = o.model_dir + "/cmudict-en-us.dict";
  r->impl_->hmm = hmm;
  r->impl_->dict = dict;
  r->impl_->open_lm = o.open_language_model.empty() ? "" : o.model_dir + "/" + o.open_language_model;
  // Wider beams than the defaults (1e-48): with them the grammar search prunes away every path
  // that ends in a final state on some commands ("Final result does not match the grammar") and
  // returns a half sentence. Grammar search stays cheap (real-time factor ~0.01).
  r->impl_->config = ps.config_init(nullptr, ps.args(), TRUE, "-hmm", hmm.c_str(), "-dict", dict.c_str(), "-beam", "1e-80",
                                 "-pbeam", "1e-80", "-wbeam", "1e-60", "-logfn", "/dev/null", nullptr);
  if (!r->impl_->config) return fail(ErrorCode::kModel, "pocketsphinx refused its settings (model folder " + o.model_dir + ")");
  r->impl_->ps = ps.init(r->impl_->config);
  if (!r->impl_->ps)
    return fail(ErrorCode::kModel, "cannot load the speech model from " + o.model_dir + " (install pocketsphinx-en-us)");
  r->impl_->regional = o.regional_pronunciations;
  if (auto added = r->impl_->add_pronunciations(r->impl_->ps); !added) return Fail<Error>(added.error());
  if (o.check_out_of_grammar) {
    // Same model, same beams; its search (a loop over common English words and this home's
    // words, "any" below) is set with the vocabulary.
    r->impl_->any_config = ps.config_init(nullptr, ps.args(), TRUE, "-hmm", hmm.c_str(), "-dict", dict.c_str(), "-logfn",
                                         "/dev/null", nullptr);
    r->impl_->any = r->impl_->any_config ? ps.init(r->impl_->any_config) : nullptr;
    if (!r->impl_->any) return fail(ErrorCode::kModel, "cannot load the speech model a second time from " + o.model_dir);
    if (auto added = r->impl_->add_pronunciations(r->impl_->any); !added) return Fail<Error>(added.error());
  }
  return r;
}

Recognizer::~Recognizer() = default;

Result<void> Recognizer::set_vocabulary(const Vocabulary& vocabulary) {
  // Names with a word the pronunciation dictionary lacks cannot be in the grammar.
  auto known = [&](const std::string& name) {
    std::istringstream words(name);
    for (std::string w; words >> w;) {
      std::string lower;
      for (char c : w) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      char* pron = impl_->ps_lib->lookup_word(impl_->ps, lower.c_str());
      if (!pron) return false;
      impl_->ps_lib->free_string(pron);
    }
    return true;
  };
  Vocabulary v = vocabulary;
  dropped_.clear();
  for (auto* list : {&v.device_names, &v.area_names}) {
    std::vector<std::string> kept;
    for (const auto& n : *list) {
      if (known(n)) kept.push_back(n);
      else dropped_.push_back(n);
    }
    *list = kept;
  }
  if (!v.wake_phrase.empty() && !known(v.wake_phrase)) {
    dropped_.push_back(v.wake_phrase);
    v.wake_phrase.clear();
  }
  impl_->wake_phrase = v.wake_phrase;
  for (char& c : impl_->wake_phrase) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string g = command_grammar(v);
  if (impl_->any) {
    const std::string any = any_speech_grammar(v);
    if (impl_->ps_lib->set_jsgf_string(impl_->any, "any", any.c_str()) != 0 || impl_->ps_lib->set_search(impl_->any, "any") != 0)
      return fail(ErrorCode::kModel, "pocketsphinx refused the any-speech grammar");
  }
  if (impl_->ps_lib->set_jsgf_string(impl_->ps, "home", g.c_str()) != 0) return fail(ErrorCode::kModel, "pocketsphinx refused the command grammar");
  if (impl_->ps_lib->set_search(impl_->ps, "home") != 0) return fail(ErrorCode::kModel, "pocketsphinx cannot switch to the command grammar");
  impl_->grammar = nbest::GrammarAcceptor(*impl_->ps_lib, impl_->ps_lib->get_fsg(impl_->ps, "home"));
  return {};
}

Result<void> Recognizer::begin() {
  if (impl_->in_utterance) {
    impl_->ps_lib->end_utt(impl_->ps);
    if (impl_->any) impl_->ps_lib->end_utt(impl_->any);
  }
  impl_->heard.clear();
  impl_->last_best.reset();
  if (impl_->ps_lib->start_utt(impl_->ps) < 0) return fail(ErrorCode::kModel, "the decoder could not start (no grammar set?)");
  if (impl_->any && impl_->ps_lib->start_utt(impl_->any) < 0) return fail(ErrorCode::kModel, "the any-speech decoder could not start");
  impl_->in_utterance = true;
  impl_->first_hearing = !impl_->primed;
  impl_->primed = true;
  return {};
}

Result<std::string> Recognizer::feed(const int16_t* samples, size_t n) {
  if (!impl_->in_utterance) return fail(ErrorCode::kInvalidInput, "feed() outside an utterance (call begin() first)");
  // In 100 ms blocks, as audio arrives from a microphone.
  for (size_t at = 0; at < n; at += kSpeechRate / 10) impl_->process(samples + at, std::min<size_t>(kSpeechRate / 10, n - at));
  int32 score = 0;
  const char* partial = impl_->ps_lib->get_hyp(impl_->ps, &score);
  return std::string(partial ? partial : "");
}

Result<std::vector<Hypothesis>> Recognizer::end() {
  if (!impl_->in_utterance) return fail(ErrorCode::kInvalidInput, "end() outside an utterance");
  // Trailing silence: the acoustic model expects speech to end in silence. Measured: without it
  // (and with a 250 ms hang-over) 20 dB-SNR requests were heard right 56% of the time, not 78%.
  const std::vector<int16_t> tail(kSpeechRate / 5, 0);
  impl_->process(tail.data(), tail.size());
  impl_->ps_lib->end_utt(impl_->ps);
  if (impl_->any) impl_->ps_lib->end_utt(impl_->any);
  impl_->in_utterance = false;
  // The live cepstral mean normalization starts from a generic guess and learns the channel as
  // it hears it: the first utterance a decoder hears is heard again, now with the channel learned
  // (measured: espeak-ng commands 63% right without, benchmarks/results/audio.md).
  if (impl_->first_hearing) {
    impl_->first_hearing = false;
    impl_->replay(impl_->ps);
    if (impl_->any) impl_->replay(impl_->any);
  }
  std::vector<Hypothesis> out;
  int32 score = 0;
  const char* best = impl_->ps_lib->get_hyp(impl_->ps, &score);
  if (best && *best) {
    Hypothesis h{best, score};
    const int frames = std::max(1, impl_->ps_lib->get_n_frames(impl_->ps));
    int command_frames = frames;
    if (impl_->any) {
      int32 free_score = 0;
      impl_->ps_lib->get_hyp(impl_->any, &free_score);
      h.margin = static_cast<double>(score - free_score) / frames;
      // The same over the words after the wake phrase: the phrase itself is heard by both
      // decoders alike and only dilutes what tells a command from other speech.
      const auto path = segments_of(*impl_->ps_lib, impl_->ps);
      const auto free_path = segments_of(*impl_->ps_lib, impl_->any);
      const int cut = after_wake_phrase(path, impl_->wake_phrase);
      // (Segment frames count from the decoder's first utterance, not this one's start.)
      const int after = path.empty() ? 0 : path.back().last_frame + 1 - cut;
      h.command_margin = cut == 0 || after <= 0
                             ? h.margin
                             : static_cast<double>(score_from(path, cut) - score_from(free_path, cut)) / after;
      command_frames = cut == 0 || after <= 0 ? frames : after;
    }
    out.push_back(h);
    impl_->last_best = h;
    impl_->last_frames = frames;
    impl_->last_command_frames = command_frames;
  }
  return out;
}

Result<std::vector<Hypothesis>> Recognizer::alternatives(int n) {
  if (impl_->in_utterance) return fail(ErrorCode::kInvalidInput, "alternatives() during an utterance (call end() first)");
  std::vector<Hypothesis> out;
  if (!impl_->last_best || n <= 0) return out;
  const Hypothesis best = *impl_->last_best;
  const int frames = impl_->last_frames, command_frames = impl_->last_command_frames;
  const auto sentences = nbest::sentences(*impl_->ps_lib, impl_->ps, impl_->grammar, static_cast<size_t>(n) + 1);
  if (sentences.empty()) return out;
  // Scores relative to the best sentence's path in the lattice (the lattice holds acoustic
  // scores only; the search's own best may lie elsewhere when the grammar's weights decided).
  long reference = sentences.front().acoustic;
  for (const auto& s : sentences)
    if (s.text == best.text) reference = s.acoustic;
  for (const auto& s : sentences) {
    if (s.text == best.text || static_cast<int>(out.size()) >= n) continue;
    Hypothesis alt = best;
    alt.text = s.text;
    // Lattice scores are the search's shifted left by pocketsphinx's SENSCR_SHIFT (10). Without
    // the grammar's weights a sentence can fit the audio better than the search's best: it is
    // still an alternative, scored no better than the best.
    const long below = std::min(0L, (s.acoustic - reference) / 1024);
    alt.score = static_cast<int>(best.score + below);
    alt.below = -static_cast<double>(below) / std::max(1, frames);
    if (best.margin != 0) {
      alt.margin = best.margin + static_cast<double>(below) / std::max(1, frames);
      alt.command_margin = best.command_margin + static_cast<double>(below) / std::max(1, command_frames);
    }
    out.push_back(alt);
  }
  return out;
}

Result<Hypothesis> Recognizer::transcribe_open() {
  if (impl_->in_utterance || impl_->heard.empty()) return fail(ErrorCode::kInvalidInput, "transcribe_open(): no utterance heard yet");
  if (impl_->open_lm.empty()) return fail(ErrorCode::kInvalidInput, "no general language model was configured");
  const speech_libs::Sphinx& ps = *impl_->ps_lib;
  if (!impl_->open) {
    // The language model's search is built after the pronunciations are in the dictionary: built
    // at init and again for the added words, it cost the first open question about 0.2 s more.
    impl_->open_config = ps.config_init(nullptr, ps.args(), TRUE, "-hmm", impl_->hmm.c_str(), "-dict", impl_->dict.c_str(),
                                        "-logfn", "/dev/null", nullptr);
    impl_->open = impl_->open_config ? ps.init(impl_->open_config) : nullptr;
    if (!impl_->open) return fail(ErrorCode::kModel, "cannot load the speech model for open questions from " + impl_->hmm);
    if (auto added = impl_->add_pronunciations(impl_->open); !added) return Fail<Error>(added.error());
    if (ps.set_lm_file(impl_->open, "open", impl_->open_lm.c_str()) < 0 || ps.set_search(impl_->open, "open") < 0) {
      ps.free(impl_->open);
      impl_->open = nullptr;
      return fail(ErrorCode::kModel, "cannot load the general language model " + impl_->open_lm + " (install pocketsphinx-en-us)");
    }
  }
  // This decoder hears only the utterances the grammar could not hold: it takes the channel from
  // the grammar decoder, which has heard every one (this one too).
  impl_->set_channel_of(impl_->open, impl_->channel_of(impl_->ps));
  impl_->replay(impl_->open);
  int32 score = 0;
  const char* text = ps.get_hyp(impl_->open, &score);
  Hypothesis h;
  h.text = text ? text : "";
  h.score = score;
  h.open = true;
  return h;
}

double Recognizer::heard_again(const Hypothesis& grammar, const Hypothesis& open) const {
  std::vector<std::string> skip = words_of(impl_->wake_phrase);
  skip.insert(skip.end(), {"the", "a", "please"});
  std::multiset<std::string> heard;
  for (const auto& w : words_of(open.text)) heard.insert(w);
  int content = 0, found = 0;
  for (const auto& w : words_of(grammar.text)) {
    if (std::find(skip.begin(), skip.end(), w) != skip.end()) continue;
    ++content;
    if (auto it = heard.find(w); it != heard.end()) {
      ++found;
      heard.erase(it);
    }
  }
  return content < 2 ? 0.0 : static_cast<double>(found) / content;
}

Result<void> Recognizer::prime(const Pcm& pcm) {
  if (pcm.sample_rate != kSpeechRate) return fail(ErrorCode::kInvalidInput, "audio must be 16 kHz for the recognizer");
  if (auto r = begin(); !r) return r;
  impl_->first_hearing = false;  // heard once is all priming asks
  if (auto r = feed(pcm.samples.data(), pcm.samples.size()); !r) return Fail<Error>(r.error());
  if (auto r = end(); !r) return Fail<Error>(r.error());
  return {};
}

std::vector<float> Recognizer::channel() const { return impl_->channel_of(impl_->ps); }

Result<void> Recognizer::set_channel(const std::vector<float>& mean) {
  const size_t expected = impl_->channel_of(impl_->ps).size();
  if (mean.size() != expected)
    return fail(ErrorCode::kInvalidInput, "a channel normalization has " + std::to_string(expected) + " values, not " +
                                              std::to_string(mean.size()));
  for (size_t i = 0; i < mean.size(); ++i)
    if (!std::isfinite(mean[i]) || std::fabs(mean[i]) > 1000)
      return fail(ErrorCode::kInvalidInput, "channel normalization value " + std::to_string(i) + " is out of range");
  impl_->set_channel_of(impl_->ps, mean);
  if (impl_->any) impl_->set_channel_of(impl_->any, mean);
  impl_->primed = true;
  return {};
}

Result<std::vector<Hypothesis>> Recognizer::decode(const Pcm& pcm, int n) {
  if (pcm.sample_rate != kSpeechRate) return fail(ErrorCode::kInvalidInput, "audio must be 16 kHz for the recognizer");
  // A clip cut right at the speech (a file, or a VAD with little hang-over) gets 300 ms of
  // silence on both sides: the acoustic model expects speech to start and end in silence.
  Pcm padded;
  padded.samples.assign(kSpeechRate * 3 / 10, 0);
  padded.samples.insert(padded.samples.end(), pcm.samples.begin(), pcm.samples.end());
  padded.samples.insert(padded.samples.end(), kSpeechRate * 3 / 10, 0);
  if (auto r = begin(); !r) return Fail<Error>(r.error());
  if (auto r = feed(padded.samples.data(), padded.samples.size()); !r) return Fail<Error>(r.error());
  auto heard = end();
  if (!heard || heard->empty()) return heard;
  if (n < static_cast<int>(heard->size())) heard->resize(static_cast<size_t>(std::max(0, n)));
  if (n > 1)
    if (auto more = alternatives(n - 1); more) heard->insert(heard->end(), more->begin(), more->end());
  return heard;
}

}  // namespace hearth::audio
