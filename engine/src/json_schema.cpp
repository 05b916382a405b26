// A JSON-schema subset compiled to grammar text (see Grammar::from_json_schema). The output is
// compact JSON: no spaces, properties in schema order.
#include <nlohmann/json.hpp>
#include <set>

#include "grammar_impl.h"

namespace hearth::engine {

namespace {

// ordered_json keeps the properties in schema order, which the output follows.
using json = nlohmann::ordered_json;

struct SchemaError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A grammar literal for raw bytes.
std::string literal(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

class Converter {
 public:
  std::string run(const json& schema) {
    rules_ = "";
    const std::string root = visit(schema, "/");
    std::string out = "root ::= " + root + "\n" + rules_;
    // A JSON string character: printable ASCII but " and \, an escape, or a whole UTF-8
    // sequence (byte-level grammars must not split one).
    out += "json-char ::= [\\x20-\\x21\\x23-\\x5b\\x5d-\\x7e] | \"\\\\\" ( [\"\\\\/bfnrt] | \"u\" [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] )"
           " | [\\xc2-\\xdf] utf8-cont | [\\xe0-\\xef] utf8-cont utf8-cont | [\\xf0-\\xf4] utf8-cont utf8-cont utf8-cont\n";
    out += "utf8-cont ::= [\\x80-\\xbf]\n";
    out += "json-int ::= \"-\"? ( \"0\" | [1-9] [0-9]* )\n";
    out += "json-number ::= json-int ( \".\" [0-9]+ )? ( [eE] [-+]? [0-9]+ )?\n";
    return out;
  }

 private:
  [[noreturn]] static void fail(const std::string& where, const std::string& what) {
    throw SchemaError("JSON schema at " + where + ": " + what);
  }

  std::string add_rule(const std::string& body) {
    const std::string name = "s" + std::to_string(counter_++);
    rules_ += name + " ::= " + body + "\n";
    return name;
  }

  std::string visit(const json& s, const std::string& where) {
    if (!s.is_object()) fail(where, "a schema must be an object");
    static const std::set<std::string> known = {"type",     "properties", "required", "enum",  "const",
                                                "items",    "maxItems",   "minItems", "anyOf", "maxLength",
                                                "description", "title",   "x-hearth-set", "additionalProperties",
                                                "minimum",  "maximum"};
    for (auto it = s.begin(); it != s.end(); ++it)
      if (!known.count(it.key())) fail(where, "keyword '" + it.key() + "' is not supported");
    if (s.contains("additionalProperties") && s["additionalProperties"] != false)
      fail(where, "additionalProperties may only be false");
    if (s.contains("const")) return add_rule(literal(s["const"].dump()));
    if (s.contains("enum")) {
      if (!s["enum"].is_array() || s["enum"].empty()) fail(where, "enum must be a non-empty list");
      std::string body;
      for (const auto& v : s["enum"]) body += (body.empty() ? "" : " | ") + literal(v.dump());
      return add_rule(body);
    }
    if (s.contains("x-hearth-set")) {
      if (!s["x-hearth-set"].is_string()) fail(where, "x-hearth-set must name a value set");
      return add_rule("\"\\\"\" @" + s["x-hearth-set"].get<std::string>() + " \"\\\"\"");
    }
    if (s.contains("anyOf")) {
      if (!s["anyOf"].is_array() || s["anyOf"].empty()) fail(where, "anyOf must be a non-empty list");
      std::string body;
      for (size_t i = 0; i < s["anyOf"].size(); ++i)
        body += (body.empty() ? "" : " | ") + visit(s["anyOf"][i], where + "anyOf/" + std::to_string(i) + "/");
      return add_rule(body);
    }
    if (!s.contains("type") || !s["type"].is_string()) fail(where, "needs a type (or enum, const, anyOf)");
    const std::string type = s["type"];
    if (type == "string") {
      if (s.contains("maxLength")) {
        const int n = s["maxLength"].get<int>();
        if (n < 0 || n > 256) fail(where, "maxLength must be from 0 to 256");
        // Up to n characters: c (c (c ...)?)?
        std::string body;
        for (int i = 0; i < n; ++i) body += "( json-char ";
        for (int i = 0; i < n; ++i) body += ")? ";
        return add_rule("\"\\\"\" " + body + "\"\\\"\"");
      }
      return add_rule("\"\\\"\" json-char* \"\\\"\"");
    }
    if (type == "integer") {
      // Bounds narrow the shape (no sign when minimum >= 0, no more digits than maximum has);
      // the exact range is checked after decoding.
      const bool non_negative = s.contains("minimum") && s["minimum"].is_number() && s["minimum"].get<double>() >= 0;
      if (!s.contains("maximum")) return add_rule(non_negative ? "\"0\" | [1-9] [0-9]*" : "json-int");
      if (!s["maximum"].is_number_integer()) fail(where, "maximum must be an integer");
      const long long max = s["maximum"].get<long long>();
      const int digits = static_cast<int>(std::to_string(max < 0 ? -max : max).size());
      std::string tail;
      for (int i = 1; i < digits; ++i) tail += "( [0-9] ";
      for (int i = 1; i < digits; ++i) tail += ")? ";
      const std::string body = "\"0\" | [1-9] " + tail;
      return add_rule(non_negative ? body : "\"-\"? ( " + body + ")");
    }
    if (type == "number") return add_rule("json-number");
    if (type == "boolean") return add_rule("\"true\" | \"false\"");
    if (type == "null") return add_rule("\"null\"");
    if (type == "array") {
      if (!s.contains("items")) fail(where, "an array needs items");
      const std::string item = visit(s["items"], where + "items/");
      const int max = s.value("maxItems", -1), min = s.value("minItems", 0);
      if (max >= 0) {
        if (max > 64 || min > max) fail(where, "maxItems must be from minItems to 64");
        // min required items, then optional ones up to max.
        std::string body;
        for (int i = 0; i < max; ++i) {
          const std::string sep = i == 0 ? "" : "\",\" ";
          body += i < min ? sep + item + " " : "( " + sep + item + " ";
        }
        for (int i = min; i < max; ++i) body += ")? ";
        return add_rule("\"[\" " + body + "\"]\"");
      }
      if (min > 1) fail(where, "minItems above 1 needs maxItems");
      const std::string rest = "( \",\" " + item + " )*";
      return add_rule(min == 1 ? "\"[\" " + item + " " + rest + " \"]\"" : "\"[\" ( " + item + " " + rest + " )? \"]\"");
    }
    if (type == "object") {
      const json props = s.value("properties", json::object());
      if (!props.is_object()) fail(where, "properties must be an object");
      std::set<std::string> required;
      for (const auto& r : s.value("required", json::array())) required.insert(r.get<std::string>());
      for (const auto& r : required)
        if (!props.contains(r)) fail(where, "required property '" + r + "' is not in properties");
      std::vector<std::pair<std::string, std::string>> kv;  // (key, value rule)
      for (auto it = props.begin(); it != props.end(); ++it)
        kv.emplace_back(it.key(), visit(it.value(), where + "properties/" + it.key() + "/"));
      // content(i, first): properties i.. with a comma before each unless nothing came yet.
      std::vector<std::string> content[2];
      content[0].resize(kv.size() + 1);
      content[1].resize(kv.size() + 1);
      for (int first = 0; first < 2; ++first) content[first][kv.size()] = "";
      for (size_t i = kv.size(); i-- > 0;) {
        for (int first = 0; first < 2; ++first) {
          const std::string sep = first ? "" : "\",\" ";
          const std::string pair = sep + literal(json(kv[i].first).dump() + ":") + " " + kv[i].second;
          const std::string after = content[0][i + 1];
          const std::string with = pair + (after.empty() ? "" : " " + after);
          if (required.count(kv[i].first)) {
            content[first][i] = add_rule(with);
          } else {
            const std::string without = content[first][i + 1];
            content[first][i] = add_rule("( " + with + " )" + (without.empty() ? "?" : " | " + without));
          }
        }
      }
      const std::string inner = kv.empty() ? "" : content[1][0] + " ";
      return add_rule("\"{\" " + inner + "\"}\"");
    }
    fail(where, "type '" + type + "' is not supported");
  }

  std::string rules_;
  int counter_ = 0;
};

}  // namespace

Result<std::string> Grammar::json_schema_to_gbnf(std::string_view schema_json) {
  json schema = json::parse(schema_json, nullptr, false);
  if (schema.is_discarded()) return fail(ErrorCode::kGrammar, "the JSON schema is not valid JSON");
  try {
    return Converter().run(schema);
  } catch (const SchemaError& e) {
    return fail(ErrorCode::kGrammar, e.what());
  } catch (const json::exception& e) {
    return fail(ErrorCode::kGrammar, std::string("JSON schema: ") + e.what());
  }
}

Result<std::shared_ptr<const Grammar>> Grammar::from_json_schema(std::string_view schema_json) {
  auto text = json_schema_to_gbnf(schema_json);
  if (!text) return Fail(text.error());
  return parse(text.value());
}

}  // namespace hearth::engine
