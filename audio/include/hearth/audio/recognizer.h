// hearth/audio/recognizer.h — speech to text with pocketsphinx, biased to this home.
//
// Debian's pocketsphinx (0.8+5prealpha, the cmd_ln + ps_* API) with its en-us acoustic model.
// The search is a JSGF grammar hearth writes from the ways people ask for things and the names
// of this home's devices and areas (command_grammar()), rebuilt when the registry changes; the
// wake phrase is an optional prefix, so audio that still holds it decodes whole. Audio is fed
// in 100 ms blocks with 300 ms of silence around it, as from a microphone.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "hearth/audio/error.h"
#include "hearth/audio/wav.h"

namespace hearth::audio {

// What can be asked of a device. The grammar pairs each verb only with the devices it fits, so
// that "turn off the garage light" cannot be heard as "lock the garage light" or "open the
// garden light": fewer sentences to confuse, in noise and in voices the acoustic model fits
// badly.
enum class DeviceKind {
  kAny,         // nothing known: every request
  kSwitchable,  // lights, switches, fans, media, scenes: on/off, toggle, dim, set to a percentage
  kCover,       // blinds, doors, curtains: open/close, set to a percentage
  kValve,       // open/close, on/off
  kLock,        // lock/unlock, open/close
  kClimate,     // on/off, set to degrees
  kVacuum,      // start/stop, on/off
  kSensor,      // only asked about: "is the front door sensor open"
};

struct Vocabulary {
  std::vector<std::string> device_names;  // names and aliases, as people say them
  std::vector<std::string> area_names;
  std::string wake_phrase;                // optional prefix ("hey computer"); empty: none
  // The kind of each device name; a name not listed here is kAny.
  std::vector<std::pair<std::string, DeviceKind>> kinds;
};

// The kind of requests a device of this Home Assistant domain takes ("light", "cover", ...);
// kAny for a domain it does not know.
DeviceKind device_kind_of_domain(const std::string& domain);

// The JSGF grammar of commands over the vocabulary (names are lower-cased; characters JSGF
// cannot hold are dropped).
std::string command_grammar(const Vocabulary& vocabulary);
// Any sequence of common English words and this home's words: the yardstick for speech the
// command grammar cannot hold (Hypothesis::margin).
std::string any_speech_grammar(const Vocabulary& vocabulary);

struct Hypothesis {
  std::string text;
  int score = 0;  // pocketsphinx's path score (log domain; higher is better)
  // The grammar path's score against the best free sequence of common words over the same
  // audio, per 10 ms frame (0 when not checked). A request the grammar holds scores near or above 0; other
  // speech forced into the grammar ("tell me a joke" -> "turn on the kitchen lamp") far below.
  double margin = 0;
  // From the general en-us language model (Recognizer::transcribe_open), not the grammar.
  bool open = false;
  // The margin over the audio after the wake phrase (all of it when the sentence has none): the
  // phrase fits both searches alike and lifts the margin of whatever follows it.
  double command_margin = 0;
  // An alternative to the best sentence: how much worse its path fits the audio, per frame
  // (0 for the best).
  double below = 0;
};

struct RecognizerOptions {
  std::string model_dir = "/usr/share/pocketsphinx/model/en-us";  // en-us/ and cmudict-en-us.dict
  bool check_out_of_grammar = true;  // decode any speech beside the grammar (Hypothesis::margin)
  // The general model for speech the grammar cannot hold (transcribe_open), in model_dir.
  std::string open_language_model = "en-us.lm.bin";
  // Adds hearth's pronunciations of command words as people outside the US say them (a Scottish
  // "turn", a British "garage") to the dictionary's; off: the dictionary alone.
  bool regional_pronunciations = true;
};

class Recognizer {
 public:
  static Result<std::unique_ptr<Recognizer>> create(const RecognizerOptions& options = {});
  ~Recognizer();
  Recognizer(const Recognizer&) = delete;
  Recognizer& operator=(const Recognizer&) = delete;

  // Builds and switches to the grammar of this vocabulary. Names with a word the dictionary
  // lacks are left out (see dropped()); kModel if pocketsphinx refuses the grammar.
  Result<void> set_vocabulary(const Vocabulary& vocabulary);
  const std::vector<std::string>& dropped() const { return dropped_; }

  // Streaming, for a live microphone: begin(), then feed() as audio arrives (it returns the
  // partial hypothesis so far, for the screen), then end() for the result. One utterance at a
  // time; begin() during an utterance abandons it.
  Result<void> begin();
  Result<std::string> feed(const int16_t* samples, size_t n);
  Result<std::vector<Hypothesis>> end();
  // Lets the channel normalization hear the room once (about a second of ordinary audio), so
  // the first live request is heard as well as the later ones.
  Result<void> prime(const Pcm& pcm);

  // The channel normalization: the mean cepstrum of the microphone and room that pocketsphinx
  // learns from what it hears (13 values). A recognizer that has not heard this channel yet
  // decodes its first utterance twice, once to learn it (end() and decode() do that on their
  // own). channel() after a request, kept and given to set_channel() after a restart, spares
  // that and hears the first request as well as the later ones (benchmarks/results/audio.md).
  std::vector<float> channel() const;
  // kInvalidInput (nothing changed) for a vector of the wrong length or with values no
  // microphone gives (not finite, or beyond +-1000).
  Result<void> set_channel(const std::vector<float>& mean);

  // The last utterance (begin/feed/end or decode) again, with the general en-us language model
  // instead of the grammar: for open questions and requests the grammar cannot hold ("add milk
  // to the shopping list", "what's the weather like"). Its decoder is loaded on the first call
  // (about a second and 30 MiB; the model is the pocketsphinx-en-us package's); a decode takes
  // about a tenth of the audio's length here. kInvalidInput when no utterance was heard yet.
  Result<Hypothesis> transcribe_open();

  // How much of a grammar hypothesis the general model heard as well: the share of its words
  // (bar the wake phrase and "the", "a", "please") that the open transcript also holds, each
  // word once. Speech the grammar cannot hold, forced into its nearest sentence, shares almost
  // none ("tell me a joke" heard as "turn on the kitchen lamp"); a request in a voice the
  // acoustic model fits badly, which the grammar scores low against free speech, keeps most ("hey
  // could you turn on the bedside lamp" heard openly as "they cook you a drug dealer on the
  // bedside lamp"). 0 when the hypothesis has fewer than two such words.
  double heard_again(const Hypothesis& grammar, const Hypothesis& open) const;

  // Up to n other sentences of the grammar that the last utterance (end() or decode()) could be,
  // best first, each scored as its path in the word lattice (score, margin and command_margin
  // lowered by how much worse it fits; Hypothesis::below). Asked for only when the best is in
  // doubt: pocketsphinx builds the lattice of a grammar search slowly (about 0.37 s for a 3 s
  // request here; the search over it takes milliseconds). None when the best matched nothing;
  // kInvalidInput during an utterance.
  Result<std::vector<Hypothesis>> alternatives(int n = 4);

  // Decodes one utterance (16 kHz mono): the best sentence of the grammar, then (n > 1) up to
  // n - 1 alternatives(); empty when nothing matched.
  Result<std::vector<Hypothesis>> decode(const Pcm& pcm, int n = 1);

 private:
  Recognizer() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> dropped_;
};

}  // namespace hearth::audio
