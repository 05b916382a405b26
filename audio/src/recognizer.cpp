// pocketsphinx behind the Recognizer: one decoder, a grammar search named "home".
#include <pocketsphinx.h>

#include <algorithm>
#include <sstream>

#include "hearth/audio/recognizer.h"

namespace hearth::audio {

struct Recognizer::Impl {
  cmd_ln_t* config = nullptr;
  ps_decoder_t* ps = nullptr;
  bool primed = false;  // the channel normalization has heard audio
  bool in_utterance = false;
  ~Impl() {
    if (ps) ps_free(ps);
    if (config) cmd_ln_free_r(config);
  }
};

Result<std::unique_ptr<Recognizer>> Recognizer::create(const RecognizerOptions& o) {
  std::unique_ptr<Recognizer> r(new Recognizer());
  r->impl_ = std::make_unique<Impl>();
  const std::string hmm = o.model_dir + "/en-us", dict = o.model_dir + "/cmudict-en-us.dict";
  // Wider beams than the defaults (1e-48): with them the grammar search prunes away every path
  // that ends in a final state on some commands ("Final result does not match the grammar") and
  // returns a half sentence. Grammar search stays cheap (real-time factor ~0.01).
  r->impl_->config = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", hmm.c_str(), "-dict", dict.c_str(), "-beam", "1e-80",
                                 "-pbeam", "1e-80", "-wbeam", "1e-60", "-logfn", "/dev/null", nullptr);
  if (!r->impl_->config) return fail(ErrorCode::kModel, "pocketsphinx refused its settings (model folder " + o.model_dir + ")");
  r->impl_->ps = ps_init(r->impl_->config);
  if (!r->impl_->ps)
    return fail(ErrorCode::kModel, "cannot load the speech model from " + o.model_dir + " (install pocketsphinx-en-us)");
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
      char* pron = ps_lookup_word(impl_->ps, lower.c_str());
      if (!pron) return false;
      ckd_free(pron);
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
  const std::string g = command_grammar(v);
  if (ps_set_jsgf_string(impl_->ps, "home", g.c_str()) != 0) return fail(ErrorCode::kModel, "pocketsphinx refused the command grammar");
  if (ps_set_search(impl_->ps, "home") != 0) return fail(ErrorCode::kModel, "pocketsphinx cannot switch to the command grammar");
  return {};
}

Result<void> Recognizer::begin() {
  if (impl_->in_utterance) ps_end_utt(impl_->ps);
  if (ps_start_utt(impl_->ps) < 0) return fail(ErrorCode::kModel, "the decoder could not start (no grammar set?)");
  impl_->in_utterance = true;
  impl_->primed = true;
  return {};
}

Result<std::string> Recognizer::feed(const int16_t* samples, size_t n) {
  if (!impl_->in_utterance) return fail(ErrorCode::kInvalidInput, "feed() outside an utterance (call begin() first)");
  if (n > 0 && ps_process_raw(impl_->ps, samples, n, FALSE, FALSE) < 0) return fail(ErrorCode::kModel, "the decoder refused the audio");
  int32 score = 0;
  const char* partial = ps_get_hyp(impl_->ps, &score);
  return std::string(partial ? partial : "");
}

Result<std::vector<Hypothesis>> Recognizer::end() {
  if (!impl_->in_utterance) return fail(ErrorCode::kInvalidInput, "end() outside an utterance");
  // Trailing silence, as decode() adds: the acoustic model expects speech to end in silence.
  const std::vector<int16_t> tail(kSpeechRate / 5, 0);
  ps_process_raw(impl_->ps, tail.data(), tail.size(), FALSE, FALSE);
  ps_end_utt(impl_->ps);
  impl_->in_utterance = false;
  std::vector<Hypothesis> out;
  int32 score = 0;
  const char* best = ps_get_hyp(impl_->ps, &score);
  if (best && *best) out.push_back({best, score});
  return out;
}

Result<void> Recognizer::prime(const Pcm& pcm) {
  if (pcm.sample_rate != kSpeechRate) return fail(ErrorCode::kInvalidInput, "audio must be 16 kHz for the recognizer");
  if (auto r = begin(); !r) return r;
  if (auto r = feed(pcm.samples.data(), pcm.samples.size()); !r) return Fail<Error>(r.error());
  if (auto r = end(); !r) return Fail<Error>(r.error());
  return {};
}

Result<std::vector<Hypothesis>> Recognizer::decode(const Pcm& pcm, int n) {
  if (pcm.sample_rate != kSpeechRate) return fail(ErrorCode::kInvalidInput, "audio must be 16 kHz for the recognizer");
  // A clip cut right at the speech (a file, or a VAD with little hang-over) gets 300 ms of
  // silence on both sides: the acoustic model expects speech to start and end in silence.
  std::vector<int16_t> padded(kSpeechRate * 3 / 10, 0);
  padded.insert(padded.end(), pcm.samples.begin(), pcm.samples.end());
  padded.insert(padded.end(), kSpeechRate * 3 / 10, 0);
  // In 100 ms blocks, as audio arrives from a microphone. The live cepstral mean normalization
  // starts from a generic guess and learns the channel as it hears it; on a decoder's first
  // utterance the whole clip is heard once to learn it, then decoded.
  if (impl_->in_utterance) {
    ps_end_utt(impl_->ps);
    impl_->in_utterance = false;
  }
  const int passes = impl_->primed ? 1 : 2;
  impl_->primed = true;
  for (int pass = 0; pass < passes; ++pass) {
    if (ps_start_utt(impl_->ps) < 0) return fail(ErrorCode::kModel, "the decoder could not start (no grammar set?)");
    for (size_t at = 0; at < padded.size(); at += kSpeechRate / 10)
      ps_process_raw(impl_->ps, padded.data() + at, std::min<size_t>(kSpeechRate / 10, padded.size() - at), FALSE, FALSE);
    ps_end_utt(impl_->ps);
  }
  // The best complete path only. pocketsphinx 0.8's n-best over a grammar search also lists
  // partial paths ("turn all") that score better for being shorter, so it is not offered.
  std::vector<Hypothesis> out;
  int32 score = 0;
  const char* best = ps_get_hyp(impl_->ps, &score);
  if (best && *best) out.push_back({best, score});
  (void)n;
  return out;
}

}  // namespace hearth::audio
