#include "hearth/nlu/parser.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <sstream>

#include "hearth/color_names.h"
#include "hearth/engine/chat_template.h"
#include "hearth/engine/context.h"
#include "hearth/engine/generate.h"
#include "hearth/engine/grammar.h"
#include "hearth/engine/gguf.h"
#include "hearth/engine/model.h"
#include "hearth/engine/tokenizer.h"
#include "hearth/nlu/contract.h"
#include "hearth/nlu/prompt.h"
#include "colors_said.h"
#include "few_shot.h"
#include "follow_up.h"
#include "free_text.h"
#include "language.h"
#include "names.h"
#include "numbers_said.h"
#include "actions_said.h"
#include "turn_words.h"

namespace hearth::nlu {

IntentParser::~IntentParser() = default;

Result<std::unique_ptr<IntentParser>> IntentParser::create(const ParserOptions& options) {
  std::unique_ptr<IntentParser> p(new IntentParser());
  p->options_ = options;
  auto model = engine::Model::load(options.model_path);
  if (!model) return fail(ErrorCode::kModel, model.error().message);
  p->model_ = model.value();
  const auto format = p->model_->file().get_string("hearth.prompt_format");
  if (format && *format != kPromptFormat)
    return fail(ErrorCode::kModel, options.model_path + ": speaks the intent format '" + *format + "', this hearth speaks '" +
                                       kPromptFormat + "'");
  if (!format) {
    // A general model: a few-shot prompt in its chat template.
    std::optional<engine::ChatFormat> chat = options.chat_format.empty() ? engine::detect_chat_format(p->model_->file())
                                                                         : engine::chat_format_from_name(options.chat_format);
    if (!chat)
      return fail(ErrorCode::kModel, options.model_path + ": not a hearth intent model, and " +
                                         (options.chat_format.empty() ? std::string("its chat template is not one hearth knows")
                                                                      : "'" + options.chat_format + "' is not a chat format") +
                                         " (set one of chatml, llama2, llama3, zephyr)");
    p->few_shot_ = true;
    p->chat_format_ = static_cast<int>(*chat);
  }
  engine::ContextOptions copts;
  copts.n_threads = options.threads;
  // The embedded model's prompts are short; a few-shot prompt is about a thousand tokens.
  copts.n_ctx = std::min<uint32_t>(p->few_shot_ ? 4096 : 512, p->model_->hparams().n_ctx_train);
  auto ctx = engine::Context::create(p->model_, copts);
  if (!ctx) return fail(ErrorCode::kModel, ctx.error().message);
  p->ctx_ = std::move(ctx).value();
  if (auto g = p->grammar_without(0); !g) return Fail(g.error());
  p->trie_ = std::make_unique<engine::TokenTrie>(p->model_->tokenizer());
  if (auto r = p->set_home(std::make_shared<Home>()); !r) return Fail(r.error());
  return p;
}

namespace {

// A cut normalize() would lose: ", " between two requests ("dim the lamp, play some jazz").
constexpr const char* kCommaCut = " , ";

// normalize()d text with the commas that end a phrase kept as " , ".
std::string marked_norm(const std::string& text) {
  std::string out, piece;
  auto flush = [&] {
    const std::string n = normalize(piece);
    if (!n.empty()) out += (out.empty() ? "" : kCommaCut) + n;
    piece.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if ((text[i] == ',' || text[i] == ';') && (i + 1 == text.size() || text[i + 1] == ' ')) {
      flush();
      continue;
    }
    piece += text[i];
  }
  flush();
  return out;
}

// A word without its plural or possessive ending, so "lights" matches "light".
std::string stem(std::string w) {
  if (w.size() > 2 && w.compare(w.size() - 2, 2, "'s") == 0) w.resize(w.size() - 2);
  if (w.size() > 3 && w.back() == 's' && w[w.size() - 2] != 's') w.pop_back();
  return w;
}

}  // namespace

Result<std::shared_ptr<const engine::Grammar>> IntentParser::grammar_without(unsigned without) {
  if (auto it = grammars_.find(without); it != grammars_.end()) return it->second;
  auto g = engine::Grammar::parse(output_grammar(without));
  if (!g) return fail(ErrorCode::kModel, "internal: the output grammar does not compile: " + g.error().message);
  grammars_[without] = g.value();
  return g.value();
}

SaidWords::SaidWords(const std::string& text, const std::vector<Intent>& prev) {
  const std::vector<std::string> words = words_of(normalize(text));
  for (size_t i = 0; i < words.size(); ++i) {
    // A list is named right before the word: "the camping list", "my to do list"; not "put bacon
    // on list", "add milk to my list".
    static const std::set<std::string> kNoListName = {"on", "onto", "to", "off", "from", "in", "into", "my", "the",
                                                      "a", "our", "your", "of"};
    if ((words[i] == "list" || words[i] == "lists") && i > 0 && !kNoListName.count(words[i - 1])) {
      std::string name;
      for (size_t k = i; k > 0 && k + 3 > i; --k) {
        name = words[k - 1] + (name.empty() ? "" : " " + name);
        list_names_.insert(name);
      }
    }
    stems_.insert(stem(words[i]));
  }
  // Every contiguous run of up to 8 words within a phrase set apart by commas: the free-text
  // values that can be copied ("i picked up eggs, a bit quieter" offered "eggs a bit").
  const std::string marked = marked_norm(text);
  for (size_t from = 0; from <= marked.size();) {
    size_t to = marked.find(kCommaCut, from);
    if (to == std::string::npos) to = marked.size();
    const std::vector<std::string> piece = words_of(marked.substr(from, to - from));
    for (size_t i = 0; i < piece.size(); ++i) {
      std::string phrase;
      for (size_t j = i; j < piece.size() && j < i + 8; ++j) {
        phrase += (j > i ? " " : "") + piece[j];
        phrases_.insert(phrase);
      }
    }
    from = to + std::strlen(kCommaCut);
  }
  // A word may be two run together ("livingroom" for "living room").
  for (const auto& w : words) {
    runs_.insert(w);
    // "all" as a name means every matching device: said as all, every, everything or both.
    if (w == "every" || w == "everything" || w == "both" || w == "them") stems_.insert("all");
  }
  // The numbers said, in digits or words, when each quantity was said as a whole number: a
  // duration is then one of them. The model, reading digits a token at a time, sometimes writes 1
  // for "10" or 20 for "2", and 30 for "thirty seven"; what it writes must be what was said.
  // Fractions, vague amounts and decimals ("half", "a minute", "1.5") mean a number that was not
  // said as such, so they leave durations free.
  const SaidNumbers said_numbers = numbers_said(words);
  if (said_numbers.exact && !said_numbers.values.empty()) {
    std::set<long long> distinct(said_numbers.values.begin(), said_numbers.values.end());
    for (long long v : distinct) numbers_.push_back(std::to_string(v));
    for (const Intent& i : prev)
      for (const char* key : {"hours", "minutes", "seconds"})
        if (auto it = i.slots.find(key); it != i.slots.end() && it->is_number_integer())
          numbers_.push_back(std::to_string(it->get<long long>()));
  }
  for (const Intent& i : prev)
    for (auto it = i.slots.begin(); it != i.slots.end(); ++it)
      if (it->is_string()) {
        const std::string v = fold(it->get<std::string>());
        phrases_.insert(v);
        if (it.key() == "name" && i.name.rfind("HassList", 0) == 0) list_names_.insert(v);
        for (const auto& w : words_of(v)) stems_.insert(stem(w));
      }
}

bool SaidWords::said(const std::string& value) const {
  const std::vector<std::string> words = words_of(fold(value));
  if (words.empty()) return false;
  bool all = true;
  std::string glued;
  for (const auto& w : words) {
    all = all && stems_.count(stem(w)) > 0;
    glued += w;
  }
  return all || (words.size() > 1 && runs_.count(glued) > 0);
}

namespace {

const std::vector<std::string>& all_colors() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& c : color_names()) v.emplace_back(c.name);
    return v;
  }();
  return names;
}

}  // namespace

std::vector<std::string> SaidWords::filter(const std::vector<std::string>& values) const {
  std::vector<std::string> out;
  for (const auto& v : values)
    if (said(v)) out.push_back(v);
  return out;
}

std::vector<std::string> SaidWords::phrases() const { return {phrases_.begin(), phrases_.end()}; }

std::vector<std::string> SaidWords::list_names() const { return {list_names_.begin(), list_names_.end()}; }

std::string IntentParser::prompt_text(const std::string& text, const std::string& prev_json) const {
  if (!few_shot_) return make_prompt(text, prev_json);
  std::vector<engine::ChatMessage> messages = {{"system", few_shot_instructions()}};
  for (const auto& [question, answer] : few_shot_examples()) {
    messages.push_back({"user", question});
    messages.push_back({"assistant", answer});
  }
  messages.push_back({"user", (prev_json.empty() ? "" : "(previous request: " + prev_json + ") ") + normalize(text)});
  return engine::apply_chat_template(static_cast<engine::ChatFormat>(chat_format_), messages, true);
}

Result<void> IntentParser::set_home(std::shared_ptr<const Home> home) {
  if (!home) return fail(ErrorCode::kInvalidInput, "set_home: no home");
  std::set<std::string> names = {"all"}, areas, floors;
  for (const Device& d : home->devices) {
    if (!d.expose) continue;
    names.insert(d.name);
    names.insert(d.aliases.begin(), d.aliases.end());
  }
  for (const Area& a : home->areas) {
    areas.insert(a.name);
    areas.insert(a.aliases.begin(), a.aliases.end());
  }
  for (const Floor& f : home->floors) {
    floors.insert(f.name);
    floors.insert(f.aliases.begin(), f.aliases.end());
  }
  names_.assign(names.begin(), names.end());
  areas_.assign(areas.begin(), areas.end());
  floors_.assign(floors.begin(), floors.end());
  home_ = std::move(home);
  lru_.clear();
  cache_.clear();
  return {};
}

namespace {

// Where a request may be cut in two: a comma and the joining words, longest first where one holds
// another (" and then " is one cut, not " and " and " then ").
constexpr const char* kJoiners[] = {kCommaCut, " and then ", " and also ", " and ", " then ", " also ", " plus "};

// The clauses of marked text set apart by a comma, "then", "also" or "plus": the joiners but
// those with "and", which also joins the things one request names ("the kitchen and the hall").
size_t clauses(const std::string& marked) {
  size_t n = 1;
  for (const char* j : kJoiners) {
    if (std::strncmp(j, " and ", 5) == 0) continue;
    for (size_t at = marked.find(j); at != std::string::npos; at = marked.find(j, at + 1))
      if (at > 0 && at + std::strlen(j) < marked.size()) ++n;
  }
  return n;
}

// Fewer intents than clauses set apart by a comma, "then", "also" or "plus": the model may have
// left one out ("..., could you play abba" was dropped after two others).
bool leaves_out_a_clause(const Understanding& u, const std::string& marked) {
  return u.intents.size() < clauses(marked) && !u.intents.empty() && !u.intents[0].is_chat();
}

// Whether the reading of a request in parts replaces the whole one: it is surer, or the whole
// left a clause out and the parts find more intents at `ratio` of the whole's sureness or better.
bool parts_win(const Understanding& whole, const Understanding& parts, bool clause_left_out, double ratio) {
  if (parts.confidence > whole.confidence) return true;
  return clause_left_out && parts.intents.size() > whole.intents.size() && parts.confidence >= ratio * whole.confidence;
}

// What the model reads of marked text: normalize()d, no marks.
std::string unmarked(std::string s) {
  for (size_t at = s.find(kCommaCut); at != std::string::npos; at = s.find(kCommaCut, at)) s.replace(at, 3, " ");
  return s;
}

}  // namespace

Result<Understanding> IntentParser::understand(const std::string& text, const std::vector<Intent>& previous) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(); };
  // A new request on its own ("set the bedroom blinds to 50%" after "turn on the bedside lamp")
  // is read without the previous turn, which the model would otherwise carry into it.
  static const std::vector<Intent> kNone;
  const std::string norm = normalize(text);
  const std::vector<Intent>& prev = leans_on_previous(norm) ? previous : kNone;
  const std::string prev_json = prev.empty() ? "" : encode_intents(prev);
  const std::string key = norm + '\x1f' + prev_json;
  if (auto it = cache_.find(key); it != cache_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    Understanding u = it->second->second;
    u.source = "cache";
    u.latency_ms = elapsed();
    return u;
  }
  // The model reads English only; read as English, other languages came out as commands.
  if (other_language(norm)) {
    Understanding u;
    u.intents.push_back(Intent{"chat", {{"topic", "unsupported"}}, {}});
    u.confidence = 1.0;
    u.source = "rule";
    u.other_language = true;
    u.latency_ms = elapsed();
    return u;
  }
  auto parsed = run_model(text, prev, prev_json);
  if (!parsed) return parsed;
  Understanding u = std::move(parsed).value();
  if (options_.split_requests) {
    const std::string marked = marked_norm(text);
    const bool clause_left_out = leaves_out_a_clause(u, marked);
    if (u.confidence < kSplitBelow || clause_left_out) {
      int budget = kSplitPasses;
      if (auto parts = split_parse(marked, prev, prev_json, 0, budget); parts && parts_win(u, *parts, clause_left_out, kLeftOutSplitRatio))
        u = std::move(*parts);
    }
  }
  if (options_.cache_entries > 0 && u.confidence >= options_.cache_min_confidence) {
    lru_.emplace_front(key, u);
    cache_[key] = lru_.begin();
    if (lru_.size() > options_.cache_entries) {
      cache_.erase(lru_.back().first);
      lru_.pop_back();
    }
  }
  u.latency_ms = elapsed();
  return u;
}

namespace {

// A setting intent written with none of its values (a volume with no level or step).
bool sets_nothing(const Intent& i) {
  static const std::map<std::string, std::vector<const char*>> kValues = {
      {"HassLightSet", {"brightness", "brightness_step", "color", "temperature"}},
      {"HassClimateSetTemperature", {"temperature", "temperature_step"}},
      {"HassSetPosition", {"position"}},
      {"HassFanSetSpeed", {"percentage"}},
      {"HassSetVolume", {"volume_level", "volume_step"}}};
  auto it = kValues.find(i.name);
  if (it == kValues.end()) return false;
  for (const char* key : it->second)
    if (i.slots.contains(key)) return false;
  return true;
}

// "2 minutes and 30 seconds", "an hour and a half": an "and" inside a quantity is not a cut.
bool continues_a_number(const std::string& rest) {
  static const std::set<std::string> words = {"a", "an", "half"};
  const std::string first = rest.substr(0, rest.find(' '));
  return !first.empty() &&
         (std::isdigit(static_cast<unsigned char>(first[0])) || is_number_word(first) || words.count(first) > 0);
}

}  // namespace


// Two requests in one ("turn off the lights and lock the front door"): a small model sometimes
// carries the first verb into the second intent, or leaves out the last of three. When the whole
// parse is unsure, the text is cut at a comma or a joining word and each side parsed on its own
// (the second as a follow-up of the first when it points back: "and make it brighter"), and a side
// that is itself unsure is cut again, once; the cut whose parts are together surest wins if it is
// surer than the whole. `budget` bounds the model passes all cuts of one request may take.
std::optional<Understanding> IntentParser::split_parse(const std::string& marked, const std::vector<Intent>& prev,
                                                       const std::string& prev_json, int depth, int& budget) {
  std::vector<std::pair<size_t, size_t>> cuts;  // (position, joiner length)
  for (const char* j : kJoiners) {
    const size_t len = std::strlen(j);
    for (size_t at = marked.find(j); at != std::string::npos; at = marked.find(j, at + 1)) {
      bool inside = false;  // " and " inside " and then " is the same cut
      for (const auto& [p, l] : cuts) inside |= at < p + l && p < at + len;
      if (!inside) cuts.emplace_back(at, len);
    }
  }
  if (cuts.empty() || cuts.size() > 4) return std::nullopt;
  // One side: the model's reading, or its own parts' when those are surer.
  auto read = [&](const std::string& side, const std::vector<Intent>& p, const std::string& pj) -> std::optional<Understanding> {
    if (budget <= 0) return std::nullopt;
    --budget;
    auto r = run_model(unmarked(side), p, pj);
    if (!r) return std::nullopt;
    Understanding u = std::move(r).value();
    // A side of three clauses may leave one out as the whole did.
    const bool left_out = leaves_out_a_clause(u, side);
    if ((u.confidence < kSplitBelow || left_out) && depth == 0)
      if (auto parts = split_parse(side, p, pj, depth + 1, budget); parts && parts_win(u, *parts, left_out, kLeftOutSplitRatio))
        u = std::move(*parts);
    return u;
  };
  std::optional<Understanding> best;
  for (const auto& [at, len] : cuts) {
    const std::string first = marked.substr(0, at), second = marked.substr(at + len);
    if (first.empty() || second.empty() || continues_a_number(unmarked(second))) continue;
    // "ok and the porch fan": a side of fillers alone is no request (read with the previous turn,
    // it repeats that turn).
    if (only_fillers(words_of(unmarked(first))) || only_fillers(words_of(unmarked(second)))) continue;
    auto a = read(first, prev, prev_json);
    if (!a || a->intents.empty() || a->intents[0].is_chat()) continue;
    // The second part as a follow-up of the first when it points back ("and make it brighter"),
    // else on its own (a follow-up prompt pulls the first verb along).
    std::vector<Intent> lead;
    if (points_back(unmarked(second))) lead = with_domains(a->intents);
    auto b = lead.empty() ? read(second, {}, "") : read(second, lead, encode_intents(lead));
    if (!b || b->intents.empty() || b->intents[0].is_chat()) continue;
    const double confidence = a->confidence * b->confidence;
    if (best && best->confidence >= confidence) continue;
    Understanding u = std::move(*a);
    u.intents.insert(u.intents.end(), b->intents.begin(), b->intents.end());
    u.confidence = confidence;
    u.raw += b->raw;
    u.prompt_tokens += b->prompt_tokens;
    u.output_tokens += b->output_tokens;
    best = std::move(u);
  }
  return best;
}

// The intents as a previous turn shows them to the model: with the domain of the device they
// name, as the conversation passes a resolved turn ("make it brighter" after "turn on the floor
// lamp" reads as a light only when the previous turn says light).
std::vector<Intent> IntentParser::with_domains(std::vector<Intent> intents) const {
  for (Intent& i : intents) {
    const IntentSpec* spec = find_intent(i.name);
    auto name = i.slots.find("name");
    if (!spec || i.slots.contains("domain") || name == i.slots.end() || !name->is_string()) continue;
    const bool has_domain_slot =
        std::any_of(spec->slots.begin(), spec->slots.end(), [](const SlotSpec& s) { return s.key == "domain"; });
    if (!has_domain_slot) continue;
    const std::string key = name_key(name->get<std::string>());
    std::set<std::string> domains;
    for (const Device& d : home_->devices)
      if (name_matches(d, key)) domains.insert(d.domain);
    if (domains.size() == 1) i.slots["domain"] = *domains.begin();
  }
  return intents;
}

// What the model wrote, made consistent with the home: a domain that no device of the named name
// has is dropped ("toggle the tv backlight" came out with the domain scene), an intent written
// twice in a row is kept once, a name or place written shorter than it was said is widened, and
// a scene or script named by nothing (no name, area or floor)
// is no reading at all: "the lights" alone mean the lights here, but there is no "the scene"
// to turn on (gibberish came out as one with fair confidence).
std::vector<Intent> IntentParser::tidy(std::vector<Intent> intents, const std::string& text) const {
  const std::vector<std::string> said = words_of(normalize(text));
  std::vector<Intent> out;
  for (Intent& i : intents) {
    // A place or name written shorter than what was said ("bedroom" for "third bedroom").
    for (const auto& [key, known] : {std::pair<const char*, const std::vector<std::string>*>{"area", &areas_},
                                     {"floor", &floors_}, {"name", &names_}})
      if (auto it = i.slots.find(key); it != i.slots.end() && it->is_string())
        *it = widen_to_said(it->get<std::string>(), *known, said);
    // Free text copied shorter than it was said ("sauce" for "soy sauce").
    for (const char* key : {"item", "search_query"})
      if (auto it = i.slots.find(key); it != i.slots.end() && it->is_string())
        *it = widen_free_text(it->get<std::string>(), text);
    auto name = i.slots.find("name");
    auto domain = i.slots.find("domain");
    if (domain != i.slots.end() && (*domain == "scene" || *domain == "script") && name == i.slots.end() &&
        !i.slots.contains("area") && !i.slots.contains("floor"))
      continue;
    if (name != i.slots.end() && domain != i.slots.end() && name->is_string() && domain->is_string() &&
        name->get<std::string>() != "all") {
      const std::string key = name_key(name->get<std::string>());
      bool named = false, of_domain = false;
      for (const Device& d : home_->devices) {
        if (!name_matches(d, key)) continue;
        named = true;
        of_domain = of_domain || d.domain == domain->get<std::string>();
      }
      if (named && !of_domain) i.slots.erase("domain");
    }
    if (!out.empty() && out.back() == i) continue;
    // A setting with no value beside the same setting with one ("a bit quieter" came out as
    // a volume change with no step, then the step): the one with the value.
    if (!out.empty() && out.back().name == i.name && sets_nothing(out.back()) && !sets_nothing(i)) out.pop_back();
    if (!out.empty() && out.back().name == i.name && sets_nothing(i) && !sets_nothing(out.back())) continue;
    out.push_back(std::move(i));
  }
  name_said_devices(out, said, *home_);
  scene_or_script_domain(out, *home_);
  sensor_asked_as_temperature(out, *home_);
  sensor_named_in_question(out, said, *home_);
  whole_area_is_all(out, said);
  place_said_area(out, said, *home_);
  area_said_after_name(out, said, *home_);
  name_said_timers(out, text);
  search_query_said(out, text);
  artist_said(out, text);
  on_off_said(out, said);
  toggle_said(out, said);
  open_close_said(out, said, *home_);
  timer_change_said(out, said);
  durations_said(out, said);
  levels_said(out, said);
  list_action_said(out, said);
  chat_topic_said(out, said);
  short_request_said(out, said);
  temperature_asked(out, said, *home_);
  color_said_for_brightness(out, said, *home_);
  white_said(out, said);
  return out;
}


Result<Understanding> IntentParser::run_model(const std::string& text, const std::vector<Intent>& prev,
                                              const std::string& prev_json) {
  const engine::Tokenizer& tok = model_->tokenizer();
  const std::vector<int32_t> prompt = tok.encode(prompt_text(text, prev_json), true, /*parse_special=*/few_shot_);
  if (prompt.size() + static_cast<size_t>(options_.max_tokens) > ctx_->n_ctx())
    return fail(ErrorCode::kInvalidInput, "the request is too long (" + std::to_string(prompt.size()) + " tokens; at most " +
                                              std::to_string(ctx_->n_ctx() - options_.max_tokens) + ")");
  // What may be named is what was said: the home's names whose words were all spoken (or are in
  // the previous turn), and for free text the spoken phrases themselves. The model then cannot
  // drift to a similar name it saw in training.
  const SaidWords said(text, prev);
  const std::vector<std::string> names = said.filter(names_), areas = said.filter(areas_), floors = said.filter(floors_),
                                 phrases = said.phrases(), list_names = said.list_names();
  // A colour is said as one phrase: "make the globe light green" offers green, not light green.
  std::vector<std::string> colors;
  const std::string spoken = " " + normalize(text) + " ";
  for (const auto& c : all_colors())
    if (spoken.find(" " + c + " ") != std::string::npos) colors.push_back(c);
  // A follow-up keeps the previous turn's colour ("the desk lamp too" after "make the lamp red"),
  // as it keeps its names.
  for (const Intent& i : prev)
    if (auto c = i.slots.find("color"); c != i.slots.end() && c->is_string()) {
      const std::string v = fold(c->get<std::string>());
      if (std::find(colors.begin(), colors.end(), v) == colors.end()) colors.push_back(v);
    }
  auto sets = std::make_shared<engine::ValueSets>();
  sets->set("numbers", said.numbers());
  sets->set("names", names);
  sets->set("areas", areas);
  sets->set("floors", floors);
  sets->set("said", phrases);
  sets->set("colors", colors);
  sets->set("lists", list_names);
  unsigned without = 0;
  if (names.empty()) without |= 1u << static_cast<unsigned>(SlotKind::kDeviceName);
  if (areas.empty()) without |= 1u << static_cast<unsigned>(SlotKind::kArea);
  if (floors.empty()) without |= 1u << static_cast<unsigned>(SlotKind::kFloor);
  if (phrases.empty()) without |= 1u << static_cast<unsigned>(SlotKind::kText);
  if (colors.empty()) without |= 1u << static_cast<unsigned>(SlotKind::kColor);
  if (list_names.empty()) without |= 1u << static_cast<unsigned>(SlotKind::kListName);
  if (!said.numbers().empty()) without |= kDurationsSaid;
  auto grammar = grammar_without(without);
  if (!grammar) return Fail(grammar.error());
  auto state = engine::GrammarState::create(grammar.value(), sets);
  if (!state) return fail(ErrorCode::kModel, state.error().message);
  if (!options_.prefix_reuse) ctx_->clear();
  engine::SamplerConfig sc;
  sc.max_tokens = options_.max_tokens;
  engine::Sampler sampler(sc);
  // Forced runs are off by default (ParserOptions::forced_runs).
  auto gen = engine::generate(*ctx_, prompt, sampler, {}, engine::Constraint{state.value().get(), trie_.get(), options_.forced_runs});
  if (!gen) return fail(ErrorCode::kModel, gen.error().message);
  if (gen->stop != engine::StopReason::kEndOfGeneration)
    return fail(ErrorCode::kBadOutput, std::string("the model's answer did not finish (") + engine::to_string(gen->stop) +
                                           ") after: " + gen->text.substr(0, 200));
  double logp = 0.0;
  for (float l : gen->constrained_logprobs) logp += l;
  auto intents = decode_intents(gen->text);
  if (!intents) return Fail(intents.error());
  Understanding u;
  u.intents = tidy(std::move(intents).value(), text);
  if (!prev.empty()) {
    const std::vector<std::string> words = words_of(normalize(text));
    u.intents = same_action_new_target(std::move(u.intents), words, prev);
    u.intents = same_target_as_before(std::move(u.intents), words, prev);
  }
  u.confidence = std::exp(logp);
  u.source = "local";
  u.raw = gen->text;
  u.prompt_tokens = prompt.size();
  u.output_tokens = gen->tokens.size();
  return u;
}

}  // namespace hearth::nlu
