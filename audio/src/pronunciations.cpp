#include "pronunciations.h"

namespace hearth::audio {

std::span<const Pronunciation> regional_pronunciations() {
  static constexpr Pronunciation kVariants[] = {
      // Rhotic accents (Scotland, Ireland) keep the vowel before r: "turn" [tʌrn], "thirty" [θɪrti].
      {"turn", "T AH R N"},
      {"thirty", "TH IH R T IY"},
      // British "garage": [ˈɡærɪdʒ] and [ˈɡærɑːʒ]; cmudict has only the American [ɡəˈrɑʒ].
      {"garage", "G AE R IH JH"},
      {"garage", "G AE R AA ZH"},
      // "off" with the unrounded vowel of the cot-caught merger (cmudict has it for "on", not "off").
      {"off", "AA F"},
  };
  return kVariants;
}

}  // namespace hearth::audio
