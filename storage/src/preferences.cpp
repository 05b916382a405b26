#include "hearth/storage/preferences.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include "database_impl.h"

namespace hearth::storage {

using nlohmann::json;

namespace {

const std::vector<PreferenceSpec>& specs() {
  static const std::vector<PreferenceSpec> kSpecs = {
      {"default_area", PrefType::kString, "area used when a command names no place", "", {}, 0, 0, 100},
      {"temperature_unit", PrefType::kChoice, "unit for temperatures in replies", "C", {"C", "F"}},
      {"wake_word", PrefType::kString, "phrase that wakes hands-free listening", "hey computer", {}, 0, 0, 60},
      {"voice", PrefType::kString, "voice for spoken replies (flite:slt, flite:rms, flite:awb, espeak-ng:en-us, espeak-ng:de for German, ...)", "flite:slt", {}, 0, 0, 60},
      {"speech_replies", PrefType::kBool, "speak replies aloud", "on"},
      // The languages nlu::Messages has catalogs for (a test checks the two lists agree).
      {"language", PrefType::kChoice, "language of replies (understanding is English)", "en", {"en", "de"}},
      {"cloud_fallback", PrefType::kChoice, "ask a cloud model when unsure: never, after asking, or always",
       "off", {"off", "ask", "auto"}},
      {"confirm_sensitive", PrefType::kBool, "ask before unlocking or opening doors", "on"},
      {"history_retention_days", PrefType::kInt, "days history is kept (0 keeps none)", "30", {}, 0, 3650},
  };
  return kSpecs;
}

std::string join(const std::vector<std::string_view>& v) {
  std::string out;
  for (auto s : v) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

Result<json> unknown(std::string_view key) {
  return fail(ErrorCode::kUnknownKey, "unknown preference '" + std::string(key) + "'; see `hearth prefs list`");
}

json default_of(const PreferenceSpec& spec) {
  auto parsed = Preferences::parse(spec.key, spec.default_text);
  return parsed.value();  // the defaults are ours and valid; a bad one aborts in every test
}

}  // namespace

std::span<const PreferenceSpec> preference_specs() { return specs(); }

const PreferenceSpec* find_preference(std::string_view key) {
  for (const auto& s : specs())
    if (s.key == key) return &s;
  return nullptr;
}

Result<json> Preferences::validate(std::string_view key, const json& value) {
  const PreferenceSpec* spec = find_preference(key);
  if (!spec) return unknown(key);
  const std::string name = "preference '" + std::string(key) + "'";
  switch (spec->type) {
    case PrefType::kBool:
      if (!value.is_boolean()) return fail(ErrorCode::kInvalidValue, name + " must be on or off");
      return value;
    case PrefType::kInt: {
      if (!value.is_number_integer())
        return fail(ErrorCode::kInvalidValue, name + " must be a whole number from " + std::to_string(spec->min) +
                                                  " to " + std::to_string(spec->max));
      int64_t v = value.get<int64_t>();
      if (v < spec->min || v > spec->max)
        return fail(ErrorCode::kInvalidValue, name + " must be from " + std::to_string(spec->min) + " to " +
                                                  std::to_string(spec->max) + ", not " + std::to_string(v));
      return value;
    }
    case PrefType::kChoice: {
      if (value.is_string()) {
        // Choices match case-insensitively and are stored as spelled in the spec.
        std::string v = lower(value.get<std::string>());
        for (auto c : spec->choices)
          if (lower(c) == v) return json(std::string(c));
      }
      return fail(ErrorCode::kInvalidValue,
                  name + " must be one of: " + join(spec->choices) + (value.is_string() ? ", not '" + value.get<std::string>() + "'" : ""));
    }
    case PrefType::kString: {
      if (!value.is_string()) return fail(ErrorCode::kInvalidValue, name + " must be text");
      const std::string& s = value.get_ref<const std::string&>();
      if (s.size() > spec->max_length)
        return fail(ErrorCode::kInvalidValue,
                    name + " must be at most " + std::to_string(spec->max_length) + " characters long");
      if (std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
        return fail(ErrorCode::kInvalidValue, name + " must not contain control characters");
      if (key == "wake_word" || key == "voice") {
        if (s.find_first_not_of(' ') == std::string::npos)
          return fail(ErrorCode::kInvalidValue, name + " must not be empty");
      }
      return value;
    }
  }
  return unknown(key);
}

Result<json> Preferences::parse(std::string_view key, std::string_view text) {
  const PreferenceSpec* spec = find_preference(key);
  if (!spec) return unknown(key);
  switch (spec->type) {
    case PrefType::kBool: {
      std::string t = lower(text);
      if (t == "on" || t == "true" || t == "yes" || t == "1") return json(true);
      if (t == "off" || t == "false" || t == "no" || t == "0") return json(false);
      return fail(ErrorCode::kInvalidValue, "preference '" + std::string(key) + "' must be on or off, not '" + std::string(text) + "'");
    }
    case PrefType::kInt: {
      int64_t v = 0;
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || p != text.data() + text.size() || text.empty())
        return fail(ErrorCode::kInvalidValue, "preference '" + std::string(key) + "' must be a whole number from " +
                                                  std::to_string(spec->min) + " to " + std::to_string(spec->max) +
                                                  ", not '" + std::string(text) + "'");
      return validate(key, json(v));
    }
    case PrefType::kChoice:
    case PrefType::kString: return validate(key, json(std::string(text)));
  }
  return unknown(key);
}

Preferences::Preferences(Database& db, std::string user) : db_(db), user_(std::move(user)) {}

Result<json> Preferences::get(std::string_view key) {
  const PreferenceSpec* spec = find_preference(key);
  if (!spec) return unknown(key);
  std::string stored;
  bool found = false;
  auto r = db_.run(false, [&](Database::Impl& impl) {
    sql::Statement st(impl.db, "SELECT value FROM preferences WHERE user = ? AND key = ?");
    st.bind(1, user_).bind(2, key);
    if (st.step()) {
      stored = st.column_text(0);
      found = true;
    }
  });
  if (!r) return Fail(r.error());
  if (!found) return default_of(*spec);
  json value = json::parse(stored, nullptr, false);
  // A value that no longer validates (edited by hand, or a rule that got stricter) reads as
  // the default rather than poisoning every consumer.
  auto valid = validate(key, value);
  if (!valid) return default_of(*spec);
  return valid.value();
}

std::string Preferences::get_string(std::string_view key) {
  auto v = get(key);
  if (v && v->is_string()) return v->get<std::string>();
  const PreferenceSpec* spec = find_preference(key);
  return spec ? std::string(spec->default_text) : std::string();
}

bool Preferences::get_bool(std::string_view key) {
  auto v = get(key);
  if (v && v->is_boolean()) return v->get<bool>();
  const PreferenceSpec* spec = find_preference(key);
  return spec && default_of(*spec).is_boolean() && default_of(*spec).get<bool>();
}

int64_t Preferences::get_int(std::string_view key) {
  auto v = get(key);
  if (v && v->is_number_integer()) return v->get<int64_t>();
  const PreferenceSpec* spec = find_preference(key);
  return spec && spec->type == PrefType::kInt ? default_of(*spec).get<int64_t>() : 0;
}

Result<void> Preferences::set_json(std::string_view key, const json& value) {
  auto valid = validate(key, value);
  if (!valid) return Fail(valid.error());
  const std::string text = valid->dump();
  return db_.run(true, [&](Database::Impl& impl) {
    sql::Statement st(impl.db,
                      "INSERT INTO preferences (user, key, value, updated_at) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT (user, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at");
    st.bind(1, user_).bind(2, key).bind(3, text).bind(4, now_ms()).exec();
  });
}

Result<void> Preferences::set(std::string_view key, std::string_view text) {
  auto parsed = parse(key, text);
  if (!parsed) return Fail(parsed.error());
  return set_json(key, parsed.value());
}

Result<void> Preferences::unset(std::string_view key) {
  if (!find_preference(key)) return Fail(unknown(key).error());
  return db_.run(true, [&](Database::Impl& impl) {
    sql::Statement st(impl.db, "DELETE FROM preferences WHERE user = ? AND key = ?");
    st.bind(1, user_).bind(2, key).exec();
  });
}

Result<std::vector<PreferenceValue>> Preferences::list() {
  std::map<std::string, std::pair<std::string, int64_t>, std::less<>> stored;
  auto r = db_.run(false, [&](Database::Impl& impl) {
    sql::Statement st(impl.db, "SELECT key, value, updated_at FROM preferences WHERE user = ?");
    st.bind(1, user_);
    while (st.step()) stored[st.column_text(0)] = {st.column_text(1), st.column_int(2)};
  });
  if (!r) return Fail(r.error());
  std::vector<PreferenceValue> out;
  for (const auto& spec : specs()) {
    PreferenceValue pv{std::string(spec.key), default_of(spec), true, 0};
    if (auto it = stored.find(spec.key); it != stored.end()) {
      auto valid = validate(spec.key, json::parse(it->second.first, nullptr, false));
      if (valid) {
        pv.value = valid.value();
        pv.is_default = false;
        pv.updated_at_ms = it->second.second;
      }
    }
    out.push_back(std::move(pv));
  }
  return out;
}

Result<json> Preferences::export_json() {
  auto all = list();
  if (!all) return Fail(all.error());
  json out = json::object();
  for (const auto& pv : all.value()) out[pv.key] = pv.value;
  return out;
}

}  // namespace hearth::storage
