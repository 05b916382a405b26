// Pronunciations of command words that pocketsphinx's en-us dictionary (cmudict) lacks: how
// people outside the US (or with the cot-caught merger) say words every request uses.
//
// The dictionary has one American pronunciation for most words; the acoustic model then fits a
// Scottish "turn" ([tʌrn]) or a British "garage" ([ˈɡærɪdʒ]) to whatever other grammar word it
// resembles ("toggle", "garden"). Each entry is added as an alternative pronunciation of a word
// the dictionary already has, so the grammar and both searches accept either.
//
// Measured on accented espeak-ng voices outside the voice bench (benchmarks/pronunciation_check.py,
// benchmarks/results/audio.md): Scottish voices' commands transcribed exactly 44/102 -> 78/102,
// US and English voices 119/153 -> 124/153; no sentence heard right without them is lost.
#pragma once

#include <span>

namespace hearth::audio {

struct Pronunciation {
  const char* word;    // the dictionary's word, lower-case
  const char* phones;  // in the acoustic model's phone set (CMU, no stress marks)
};

// The variants, each an alternative to the word's dictionary pronunciations.
std::span<const Pronunciation> regional_pronunciations();

}  // namespace hearth::audio
