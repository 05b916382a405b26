#include "language.h"

#include <set>
#include <sstream>

namespace hearth::nlu {
namespace {

// Words of everyday requests in other languages that are no English words (or only rare ones).
const std::set<std::string>& foreign_words() {
  static const std::set<std::string> words = {
      // German
      "der", "das", "und", "bitte", "ein", "eine", "einen", "einem", "mach", "mache", "machen", "schalte", "schalt",
      "schalten", "stell", "stelle", "stellen", "auf", "aus", "ist", "nicht", "ich", "wie", "spät", "uhr", "licht",
      "lichter", "lampe", "küche", "wohnzimmer", "schlafzimmer", "mir", "dem", "heizung", "minuten",
      "sekunden", "stunden", "wärmer", "kälter", "heller", "dunkler", "danke", "hallo", "tür", "fenster",
      "ausschalten", "einschalten", "anmachen", "ausmachen", "spiele", "musik", "lauter", "leiser", "wetter", "heute",
      "gute", "nacht", "sind", "nein", "noch", "wieviel", "wird", "fünf", "zehn", "zwei", "drei", "vier", "bis",
      // Spanish
      "por", "enciende", "apaga", "pon", "qué", "está", "cocina", "luz",
      "luces", "temporizador", "minutos", "segundos", "horas", "grados", "dormitorio", "baño", "puerta", "abre",
      "cierra", "sube", "baja", "música", "hace", "tiempo", "hola", "gracias", "hora", "cinco", "diez", "dos", "tres",
      "cuatro", "apagar", "encender", "sala",
      // French
      "allume", "allumer", "éteins", "éteindre", "vous", "plaît", "plait", "lumière", "lumières",
      "chambre", "est", "quelle", "heure", "il", "fait", "ouvre", "ferme", "porte", "minuterie",
      "musique", "merci", "bonjour", "baisse", "cinq", "dix", "s'il",
      // Italian
      "gli", "dello", "accendi", "spegni", "luce", "luci", "cucina", "soggiorno",
      "apri", "chiudi", "grazie", "che", "sono", "dieci", "minuti",
      // Dutch
      "het", "een", "zet", "aan", "uit", "keuken", "alsjeblieft", "woonkamer", "slaapkamer", "deur",
      // Portuguese
      "acende", "apague", "cozinha", "obrigado", "obrigada",
      // Polish
      "włącz", "wyłącz", "światło", "kuchni", "proszę"};
  return words;
}

// Short words those languages share with English text ("la la land", "de niro"): they count as
// foreign only beside a word that is.
const std::set<std::string>& shared_words() {
  static const std::set<std::string> words = {"la", "le", "de", "un", "es", "en", "al", "con", "e", "o", "a", "in", "an",
                                              "die", "so", "was", "zu", "im", "da", "me", "mi", "te", "que", "el", "los",
                                              "las", "del", "les", "du", "des", "mit", "von", "mal", "favor", "una",
                                              "cuisine", "monte", "della", "ciao", "per", "w", "van", "lo"};
  return words;
}

// Words an English request is made of.
const std::set<std::string>& english_words() {
  static const std::set<std::string> words = {
      "the", "to", "on", "off", "of", "and", "please", "turn", "switch", "set", "is", "are", "what", "what's", "my",
      "it", "lights", "light", "lamp", "play", "open", "close", "lock", "unlock", "start", "stop", "add", "put", "make",
      "dim", "how", "timer", "for", "minutes", "in", "all", "up", "down", "can", "you", "could", "i", "me", "time"};
  return words;
}

bool non_ascii(const std::string& w) {
  for (unsigned char c : w)
    if (c >= 0x80) return true;
  return false;
}

}  // namespace

bool other_language(const std::string& norm) {
  std::istringstream in(norm);
  int words = 0, foreign = 0, shared = 0, english = 0;
  for (std::string w; in >> w;) {
    ++words;
    if (foreign_words().count(w) || (non_ascii(w) && !english_words().count(w)))
      ++foreign;
    else if (shared_words().count(w))
      ++shared;
    else if (english_words().count(w))
      ++english;
  }
  const int all_foreign = foreign + shared;
  return foreign >= 1 && all_foreign >= 2 && all_foreign * 2 > words && english < all_foreign;
}

}  // namespace hearth::nlu
