// Alternatives to a grammar search's best sentence, from its word lattice.
//
// pocketsphinx 0.8's own n-best (ps_nbest) over a grammar search lists partial paths and the same
// sentence many times over (one entry per segmentation, fillers included): whole-sentence
// alternatives came only after about a hundred entries, at 3-6 ms an entry (0.3-2.5 s a request).
// Here the lattice is searched best-first with an exact look-ahead (the best acoustic score from
// each node to the end), a path is extended only while the grammar accepts its words, and each
// word sequence is expanded once per lattice node: a few hundred steps, a few milliseconds.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "speech_libs.h"

namespace hearth::audio::nbest {

// The compiled grammar (pocketsphinx's FSG of the JSGF), as a word acceptor. Pronunciation
// variants ("the(2)") count as their word; fillers and silences are skipped.
class GrammarAcceptor {
 public:
  GrammarAcceptor() = default;
  GrammarAcceptor(const speech_libs::Sphinx& ps, fsg_model_t* fsg);
  bool empty() const { return arcs_.empty(); }
  // The set of grammar states at the start (an id for step() and accepts()).
  int start();
  // The state set after `word`; -1 when the grammar cannot take it there.
  int step(int states, const std::string& word);
  bool accepts(int states) const;

 private:
  int intern(std::vector<int> states);  // closes over null arcs, sorts, returns the set's id
  std::unordered_map<std::string, int> word_ids_;
  std::vector<std::vector<std::pair<int, int>>> arcs_;  // per state: (word id, next state)
  std::vector<std::vector<int>> nulls_;                 // per state: states reached without a word
  int final_ = -1, start_state_ = -1;
  std::vector<std::vector<int>> sets_;
  std::map<std::vector<int>, int> set_ids_;
  std::map<std::pair<int, int>, int> steps_;  // (set, word id) -> set (-1: none)
};

struct Sentence {
  std::string text;   // words separated by one space, fillers left out
  long acoustic = 0;  // the path's acoustic score (pocketsphinx's log domain; higher is better)
};

// Up to n distinct sentences the grammar accepts, best acoustic score first, from the decoder's
// lattice of its last utterance; none when it has no lattice. At most max_steps paths are
// expanded, which bounds the time on a lattice of many near-equal paths.
std::vector<Sentence> sentences(const speech_libs::Sphinx& ps, ps_decoder_t* decoder, GrammarAcceptor& grammar, size_t n,
                                size_t max_steps = 20000);

}  // namespace hearth::audio::nbest
