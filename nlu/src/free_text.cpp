#include "free_text.h"

#include <algorithm>
#include <set>
#include <vector>

#include "hearth/fold.h"
#include "hearth/nlu/prompt.h"
#include "names.h"
#include "numbers_said.h"

namespace hearth::nlu {
namespace {

// Words that frame a request around its free text, never part of it at the phrase's edge. A
// closed list: the verbs, prepositions, pronouns and fillers of the ways people ask to add,
// check off and play things.
const std::set<std::string>& frame_words() {
  static const std::set<std::string> words = {
      // joiners, fillers, politeness
      "and", "then", "plus", "also", "but", "or", "please", "thanks", "thank", "now", "ok", "okay", "um", "uh", "hey",
      "so", "right", "yo", "just", "oh", "well", "real", "quick", "again", "too", "er", "erm", "hmm", "alright", "asap",
      "hearth", "today", "tonight", "tomorrow", "later", "soon", "urgently",
      // pronouns and determiners
      "i", "me", "my", "we", "us", "our", "you", "your", "it", "its", "this", "that", "these", "those", "some", "any",
      "i'm", "we're", "we've", "i've", "i'd", "you'd", "it's", "let's", "something", "anything",
      // verbs of asking
      "add", "put", "play", "buy", "get", "need", "needs", "want", "like", "remove", "delete", "cross", "tick", "mark",
      "check", "done", "complete", "completed", "finished", "got", "have", "has", "had", "picked", "bought", "grab",
      "is", "are", "was", "be", "been", "can", "could", "would", "will", "mind", "start", "stop", "listen", "hear",
      "throw", "include", "write", "note", "remember", "set", "make", "turn", "pick", "take", "scratch", "strike", "erase",
      "clear", "drop", "order", "jot", "queue", "run", "stream", "shop", "down", "more", "all", "forget", "finish",
      // prepositions that lead to the list or the player
      "to", "on", "onto", "in", "into", "from", "off", "out", "up", "for", "at", "with", "as", "about",
      // what the free text is put in or played as
      "list", "lists", "shopping", "grocery", "groceries", "song", "songs", "album", "podcast", "track", "artist",
      "station", "channel", "radio", "music", "playlist", "item", "items", "timer"};
  return words;
}

// Inside a phrase, between two of its words: "walk the dog", "bag of rice", "rolling by adele".
bool links(const std::string& w) { return w == "the" || w == "a" || w == "an" || w == "of" || w == "by"; }

// Words that end no phrase: the model sometimes writes the one after an item ("charcoal from").
bool trailing(const std::string& w) {
  static const std::set<std::string> words = {"to", "on", "onto", "in", "into", "from", "off", "and", "then", "plus",
                                              "also", "please", "thanks", "the", "a", "an", "my", "of", "by", "for"};
  return words.count(w) > 0;
}

bool frames(const std::string& w) { return frame_words().count(w) > 0 || links(w); }

// The end of the phrase that goes on at p[e]: over words of a phrase, and over linking words
// with a word of the phrase after them.
size_t extend_right(const std::vector<std::string>& p, size_t e) {
  for (;;) {
    if (e < p.size() && !frames(p[e]))
      ++e;
    else if (e + 1 < p.size() && links(p[e]) && !frames(p[e + 1]))
      e += 2;
    else
      return e;
  }
}

// The request cut at punctuation that ends a phrase (commas, semicolons, ! and ?), each piece
// normalize()d: a phrase never runs across them.
std::vector<std::vector<std::string>> pieces_of(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::string cur;
  auto flush = [&] {
    auto w = words_of(normalize(cur));
    if (!w.empty()) out.push_back(std::move(w));
    cur.clear();
  };
  for (char c : text) {
    if (c == ',' || c == ';' || c == '!' || c == '?')
      flush();
    else
      cur += c;
  }
  flush();
  return out;
}

}  // namespace

std::string widen_free_text(const std::string& value, const std::string& text) {
  std::vector<std::string> v = words_of(fold(value));
  // A framing word the model carried past the end of the phrase.
  while (v.size() > 1 && trailing(v.back())) v.pop_back();
  // and the words of the request it carried before the start ("to hear classic fm").
  while (v.size() > 1 && frame_words().count(v.front())) v.erase(v.begin());
  if (v.empty()) return value;
  const std::vector<std::vector<std::string>> pieces = pieces_of(text);
  const std::vector<std::string>* where = nullptr;
  size_t at = 0;
  int found = 0;
  for (const auto& p : pieces)
    for (size_t i = 0; i + v.size() <= p.size(); ++i) {
      bool match = true;
      for (size_t k = 0; k < v.size() && match; ++k) match = p[i + k] == v[k];
      if (match) {
        where = &p;
        at = i;
        ++found;
      }
    }
  std::string out;
  if (found != 1) {
    for (const auto& w : v) out += (out.empty() ? "" : " ") + w;
    return out;
  }
  const std::vector<std::string>& p = *where;
  size_t begin = at, end = at + v.size();
  // Leftwards over words of the phrase, and over linking words with a word of the phrase before them.
  for (;;) {
    if (begin > 0 && !frames(p[begin - 1])) {
      --begin;
    } else if (begin > 1 && links(p[begin - 1]) && !frames(p[begin - 2])) {
      begin -= 2;
    } else {
      break;
    }
  }
  // Rightwards likewise.
  end = extend_right(p, end);
  // Nothing but framing words with no word of a phrase before them ("some" for "play some here
  // comes the sun"; "radio" for "heart radio" is a phrase's end): the phrase said after them.
  bool framing = begin == at;
  for (const auto& w : v) framing = framing && frames(w);
  if (framing) {
    size_t b = at + v.size();
    while (b < p.size() && frames(p[b])) ++b;
    if (b < p.size()) {
      begin = b;
      end = extend_right(p, b);
    }
  }
  for (size_t i = begin; i < end; ++i) out += (out.empty() ? "" : " ") + p[i];
  return out;
}

namespace {

// Words before "timer" that are no timer's name: numbers, units and which-timer words.
bool names_no_timer(const std::string& w) {
  static const std::set<std::string> words = {
      "half", "quarter", "couple", "second", "seconds",
      "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours", "hr", "hrs", "new", "another", "first",
      "last", "other", "current", "every", "each", "both", "which", "what", "how", "how's", "whole", "an", "a",
      "the", "timers",
      // verbs said right before "timer": "increase timer by ten minutes", "un pause timer"
      "increase", "decrease", "extend", "shorten", "reduce", "lengthen", "subtract", "pause", "unpause", "un",
      "resume", "continue", "restart", "reset", "cancel", "kill", "end", "delete", "hold", "freeze", "stop", "show"};
  return w.empty() || (w[0] >= '0' && w[0] <= '9') || is_number_word(w) || words.count(w) > 0 || frames(w);
}

}  // namespace

std::vector<std::string> timer_names_said(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& p : pieces_of(text))
    for (size_t i = 0; i < p.size(); ++i) {
      if (p[i] != "timer") continue;
      std::string name;
      if (i >= 1 && !names_no_timer(p[i - 1])) {
        name = p[i - 1];
        if (i >= 2 && !names_no_timer(p[i - 2])) name = p[i - 2] + " " + name;
      }
      out.push_back(name);
    }
  return out;
}

void name_said_timers(std::vector<Intent>& intents, const std::string& text) {
  std::vector<Intent*> timers;
  for (Intent& i : intents)
    if (i.name.find("Timer") != std::string::npos && i.name != "HassCancelAllTimers") timers.push_back(&i);
  if (timers.empty()) return;
  for (Intent* i : timers)
    if (auto n = i->slots.find("name"); n != i->slots.end() && n->is_string()) {
      bool framing = true;
      for (const auto& w : words_of(fold(n->get<std::string>()))) framing = framing && (frames(w) || w == "timer");
      if (framing) i->slots.erase(n);
    }
  // A name said nowhere a timer's name goes (before "timer", after "called" or "named", before
  // "done" or "ready") is some other thing's: "set riley's fan to low, forty five seconds timer"
  // came out as a timer named "riley's fan".
  const std::vector<std::vector<std::string>> pieces = pieces_of(text);
  auto in_place = [&](const std::vector<std::string>& n) {
    for (const auto& p : pieces)
      for (size_t at = 0; !n.empty() && at + n.size() <= p.size(); ++at) {
        if (!std::equal(n.begin(), n.end(), p.begin() + static_cast<std::ptrdiff_t>(at))) continue;
        const size_t end = at + n.size();
        const std::string before = at > 0 ? p[at - 1] : "", after = end < p.size() ? p[end] : "";
        if (after == "timer" || after == "done" || after == "ready" || before == "called" || before == "named") return true;
      }
    return false;
  };
  for (Intent* i : timers)
    if (auto n = i->slots.find("name"); n != i->slots.end() && n->is_string() && !in_place(words_of(fold(n->get<std::string>()))))
      i->slots.erase(n);
  const std::vector<std::string> said = timer_names_said(text);
  if (said.size() != timers.size()) return;
  for (size_t k = 0; k < said.size(); ++k) {
    if (said[k].empty()) continue;
    Intent& i = *timers[k];
    auto n = i.slots.find("name");
    if (n == i.slots.end()) {
      i.slots["name"] = said[k];
    } else if (n->is_string() && says(words_of(said[k]), fold(n->get<std::string>()))) {
      *n = said[k];
    }
  }
}

void artist_said(std::vector<Intent>& intents, const std::string& text) {
  static const std::set<std::string> some = {"something", "anything", "songs", "music", "stuff", "tracks"};
  const std::vector<std::vector<std::string>> pieces = pieces_of(text);
  for (Intent& i : intents) {
    auto q = i.slots.find("search_query");
    if (i.name != "HassMediaSearchAndPlay" || q == i.slots.end() || !q->is_string()) continue;
    const std::vector<std::string> v = words_of(fold(q->get<std::string>()));
    bool by = false;
    for (const auto& p : pieces)
      for (size_t at = 2; !v.empty() && at + v.size() <= p.size() && !by; ++at)
        by = p[at - 1] == "by" && some.count(p[at - 2]) && std::equal(v.begin(), v.end(), p.begin() + static_cast<std::ptrdiff_t>(at));
    if (by) i.slots["media_class"] = "artist";
  }
}

void search_query_said(std::vector<Intent>& intents, const std::string& text) {
  Intent* play = nullptr;
  int plays = 0;
  for (Intent& i : intents)
    if (i.name == "HassMediaSearchAndPlay") {
      ++plays;
      play = &i;
    }
  if (plays != 1 || play->slots.contains("search_query")) return;
  std::vector<std::string> found;
  for (const auto& p : pieces_of(text))
    for (size_t k = 0; k < p.size(); ++k) {
      if (p[k] != "play" && p[k] != "hear" && !(p[k] == "to" && k > 0 && p[k - 1] == "listen")) continue;
      // Framing words skipped up to a preposition: after "on" or "in" comes the player or the room.
      size_t b = k + 1;
      while (b < p.size() && frames(p[b]) && p[b] != "on" && p[b] != "in" && p[b] != "at" && p[b] != "through") ++b;
      if (b < p.size() && frames(p[b])) continue;
      const size_t e = extend_right(p, b);
      if (e == b) continue;
      std::string q;
      for (size_t i = b; i < e; ++i) q += (q.empty() ? "" : " ") + p[i];
      found.push_back(q);
    }
  if (found.size() == 1) play->slots["search_query"] = found[0];
}

}  // namespace hearth::nlu
