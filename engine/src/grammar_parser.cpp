// Parses the GBNF-like grammar text (see grammar.h) into a CompiledGrammar. Groups and the
// *, +, ? operators become generated rules, so the automaton only knows references, byte classes
// and value sets.
#include <cctype>
#include <map>

#include "grammar_impl.h"

namespace hearth::engine {

namespace {

struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : t_(text) {}

  std::unique_ptr<CompiledGrammar> run(std::string_view root_name) {
    g_ = std::make_unique<CompiledGrammar>();
    skip_space(true);
    while (pos_ < t_.size()) {
      const size_t line_start = line();
      const std::string name = parse_name();
      skip_space(false);
      if (t_.substr(pos_, 3) != "::=") fail("expected ::= after rule name '" + name + "'");
      pos_ += 3;
      const uint32_t id = rule_id(name);
      if (defined_.count(id)) fail("rule '" + name + "' is defined twice", line_start);
      defined_[id] = line_start;
      g_->rules[id] = close(parse_alternatives(false));
      skip_space(true);
    }
    for (const auto& [name, id] : ids_)
      if (!defined_.count(id)) fail("rule '" + name + "' is used but not defined", used_at_[id]);
    auto root = ids_.find(std::string(root_name));
    if (root == ids_.end()) fail("no rule named '" + std::string(root_name) + "'", 1);
    g_->root = root->second;
    check_left_recursion();
    return std::move(g_);
  }

 private:
  [[noreturn]] void fail(const std::string& what, size_t at_line = 0) const {
    throw ParseError("grammar line " + std::to_string(at_line ? at_line : line()) + ": " + what);
  }

  size_t line() const {
    size_t n = 1;
    for (size_t i = 0; i < pos_ && i < t_.size(); ++i) n += t_[i] == '\n';
    return n;
  }

  // Skips blanks and comments; newlines too when `newlines` (between rules, inside groups).
  void skip_space(bool newlines) {
    while (pos_ < t_.size()) {
      const char c = t_[pos_];
      if (c == '#') {
        while (pos_ < t_.size() && t_[pos_] != '\n') ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
        ++pos_;
      } else if (c == '\n') {
        // A rule continues on the next line when that line starts with '|'.
        size_t p = pos_ + 1;
        while (p < t_.size() && (t_[p] == ' ' || t_[p] == '\t')) ++p;
        if (p < t_.size() && t_[p] == '|') pos_ = p;
        else return;
      } else {
        return;
      }
    }
  }

  static bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

  std::string parse_name() {
    const size_t start = pos_;
    while (pos_ < t_.size() && name_char(t_[pos_])) ++pos_;
    if (pos_ == start) fail(std::string("expected a rule name, found '") + (pos_ < t_.size() ? t_[pos_] : ' ') + "'");
    return std::string(t_.substr(start, pos_ - start));
  }

  uint32_t rule_id(const std::string& name) {
    auto it = ids_.find(name);
    if (it != ids_.end()) return it->second;
    const uint32_t id = static_cast<uint32_t>(g_->rules.size());
    g_->rules.emplace_back();
    g_->rule_names.push_back(name);
    ids_[name] = id;
    return id;
  }

  uint32_t new_rule(const std::vector<std::vector<GrammarElem>>& alts) {
    const uint32_t id = static_cast<uint32_t>(g_->rules.size());
    g_->rules.push_back(alts);
    g_->rule_names.push_back("_generated" + std::to_string(id));
    defined_[id] = line();
    return id;
  }

  uint32_t byte_class(const std::bitset<256>& bits) {
    for (size_t i = 0; i < g_->classes.size(); ++i)
      if (g_->classes[i] == bits) return static_cast<uint32_t>(i);
    g_->classes.push_back(bits);
    return static_cast<uint32_t>(g_->classes.size() - 1);
  }

  // One byte of a literal or class, with escapes.
  uint8_t parse_char() {
    if (pos_ >= t_.size()) fail("unexpected end of grammar");
    char c = t_[pos_++];
    if (c != '\\') return static_cast<uint8_t>(c);
    if (pos_ >= t_.size()) fail("unexpected end after \\");
    c = t_[pos_++];
    switch (c) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case '\\': case '"': case '[': case ']': case '-': case '^': return static_cast<uint8_t>(c);
      case 'x': {
        if (pos_ + 2 > t_.size() || !std::isxdigit(static_cast<unsigned char>(t_[pos_])) ||
            !std::isxdigit(static_cast<unsigned char>(t_[pos_ + 1])))
          fail("\\x needs two hex digits");
        const uint8_t v = static_cast<uint8_t>(std::stoi(std::string(t_.substr(pos_, 2)), nullptr, 16));
        pos_ += 2;
        return v;
      }
      default: fail(std::string("unknown escape \\") + c);
    }
  }

  std::vector<std::vector<GrammarElem>> parse_alternatives(bool in_group) {
    std::vector<std::vector<GrammarElem>> alts;
    alts.push_back(parse_sequence(in_group));
    while (pos_ < t_.size() && t_[pos_] == '|') {
      ++pos_;
      alts.push_back(parse_sequence(in_group));
    }
    return alts;
  }

  std::vector<GrammarElem> parse_sequence(bool in_group) {
    std::vector<GrammarElem> seq;
    skip_space(in_group);
    while (pos_ < t_.size()) {
      const char c = t_[pos_];
      if (c == '|' || c == ')' || c == '\n') break;
      // The start of the next rule ends this one ("name ::=" on a new line is caught by '\n').
      std::vector<GrammarElem> item;
      if (c == '"') {
        ++pos_;
        while (pos_ < t_.size() && t_[pos_] != '"') {
          std::bitset<256> b;
          b.set(parse_char());
          item.push_back({GrammarElem::kBytes, byte_class(b)});
        }
        if (pos_ >= t_.size()) fail("unterminated string literal");
        ++pos_;
      } else if (c == '[') {
        ++pos_;
        bool negate = false;
        if (pos_ < t_.size() && t_[pos_] == '^') {
          negate = true;
          ++pos_;
        }
        std::bitset<256> b;
        while (pos_ < t_.size() && t_[pos_] != ']') {
          const uint8_t lo = parse_char();
          uint8_t hi = lo;
          if (pos_ + 1 < t_.size() && t_[pos_] == '-' && t_[pos_ + 1] != ']') {
            ++pos_;
            hi = parse_char();
            if (hi < lo) fail("character range is backwards");
          }
          for (int v = lo; v <= hi; ++v) b.set(static_cast<size_t>(v));
        }
        if (pos_ >= t_.size()) fail("unterminated character class");
        ++pos_;
        if (negate) b.flip();
        item.push_back({GrammarElem::kBytes, byte_class(b)});
      } else if (c == '(') {
        ++pos_;
        auto alts = parse_alternatives(true);
        skip_space(true);
        if (pos_ >= t_.size() || t_[pos_] != ')') fail("missing )");
        ++pos_;
        item.push_back({GrammarElem::kRef, new_rule(close(alts))});
      } else if (c == '@') {
        ++pos_;
        const std::string set = parse_name();
        uint32_t idx = 0;
        while (idx < g_->set_names.size() && g_->set_names[idx] != set) ++idx;
        if (idx == g_->set_names.size()) g_->set_names.push_back(set);
        item.push_back({GrammarElem::kSet, idx});
      } else if (name_char(c)) {
        const size_t at = line();
        const std::string name = parse_name();
        const uint32_t id = rule_id(name);
        if (!used_at_.count(id)) used_at_[id] = at;
        item.push_back({GrammarElem::kRef, id});
      } else {
        fail(std::string("unexpected '") + c + "'");
      }
      // Postfix operators apply to the whole item (a literal counts as one item).
      if (pos_ < t_.size() && (t_[pos_] == '*' || t_[pos_] == '+' || t_[pos_] == '?')) {
        const char op = t_[pos_++];
        const uint32_t inner = item.size() == 1 && item[0].kind == GrammarElem::kRef ? item[0].index
                                                                                     : new_rule(close({item}));
        const GrammarElem ref{GrammarElem::kRef, inner};
        const uint32_t rep = static_cast<uint32_t>(g_->rules.size());
        if (op == '?') {
          new_rule(close({{ref}, {}}));
        } else {
          // rep ::= inner rep | ε   (x+ is x rep)
          new_rule(close({{ref, GrammarElem{GrammarElem::kRef, rep}}, {}}));
        }
        item = op == '+' ? std::vector<GrammarElem>{ref, {GrammarElem::kRef, rep}}
                         : std::vector<GrammarElem>{{GrammarElem::kRef, rep}};
      }
      seq.insert(seq.end(), item.begin(), item.end());
      skip_space(in_group);
    }
    return seq;
  }

  // Adds the kEnd terminator to every alternative.
  static std::vector<std::vector<GrammarElem>> close(std::vector<std::vector<GrammarElem>> alts) {
    for (auto& a : alts) a.push_back({GrammarElem::kEnd, 0});
    return alts;
  }

  void check_left_recursion() const {
    // A rule whose alternative can begin with itself (directly or through rules that begin
    // with a reference) never consumes input.
    const size_t n = g_->rules.size();
    for (size_t r = 0; r < n; ++r) {
      std::vector<bool> seen(n, false);
      std::vector<size_t> pending = {r};
      while (!pending.empty()) {
        const size_t cur = pending.back();
        pending.pop_back();
        for (const auto& alt : g_->rules[cur]) {
          if (alt.empty() || alt[0].kind != GrammarElem::kRef) continue;
          const size_t next = alt[0].index;
          if (next == r) fail("rule '" + g_->rule_names[r] + "' is left-recursive", defined_.at(static_cast<uint32_t>(r)));
          if (!seen[next]) {
            seen[next] = true;
            pending.push_back(next);
          }
        }
      }
    }
  }

  std::string_view t_;
  size_t pos_ = 0;
  std::unique_ptr<CompiledGrammar> g_;
  std::map<std::string, uint32_t> ids_;
  std::map<uint32_t, size_t> defined_, used_at_;
};

}  // namespace

Result<std::shared_ptr<const Grammar>> Grammar::parse(std::string_view text, std::string_view root) {
  std::shared_ptr<Grammar> g(new Grammar());
  try {
    g->compiled_ = Parser(text).run(root);
    for (const auto& rule : g->compiled_->rules) {
      for (const auto& alt : rule)
        if (alt.empty() || alt.back().kind != GrammarElem::kEnd) throw ParseError("internal: unterminated alternative");
    }
  } catch (const ParseError& e) {
    return fail(ErrorCode::kGrammar, e.what());
  }
  return std::shared_ptr<const Grammar>(std::move(g));
}

Grammar::~Grammar() = default;

std::vector<std::string> Grammar::value_set_names() const { return compiled_->set_names; }

}  // namespace hearth::engine
