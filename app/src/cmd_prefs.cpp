// `hearth prefs list|get|set|unset|export`.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "hearth/audio/speech_out.h"
#include "hearth/storage/preferences.h"

namespace hearth::app {

namespace {

std::string display(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "on" : "off";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

int usage_or_failure(const storage::Error& e) {
  return e.code == storage::ErrorCode::kInvalidValue || e.code == storage::ErrorCode::kUnknownKey ? kExitUsage
                                                                                                   : kExitFailure;
}

// Opens the database and hands Preferences to fn.
template <class Fn>
void with_prefs(CliContext& ctx, Fn&& fn) {
  auto config = ctx.config();
  if (!config) return;
  auto db = ctx.open_database(*config);
  if (!db) return;
  storage::Preferences prefs(*db);
  fn(prefs);
}

}  // namespace

void add_prefs_commands(CLI::App& app, CliContext& ctx) {
  auto* prefs = app.add_subcommand("prefs", "Show and change preferences");
  prefs->require_subcommand(1);
  static bool json = false;
  static std::string key, value, file;

  auto* list = prefs->add_subcommand("list", "List every preference with its value");
  list->add_flag("--json", json, "Print JSON");
  list->callback([&ctx] {
    with_prefs(ctx, [&](storage::Preferences& p) {
      auto all = p.list();
      if (!all) return ctx.error(kExitFailure, all.error().message);
      if (json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& pv : all.value()) {
          out.push_back({{"key", pv.key}, {"value", pv.value}, {"default", pv.is_default},
                         {"description", std::string(storage::find_preference(pv.key)->description)}});
        }
        std::cout << out.dump(2) << "\n";
        return;
      }
      for (const auto& pv : all.value()) {
        std::string v = display(pv.value);
        std::cout << pv.key << " = " << (v.empty() ? "\"\"" : v) << (pv.is_default ? "  (default)" : "") << "\n"
                  << "    " << storage::find_preference(pv.key)->description << "\n";
      }
    });
  });

  auto* get = prefs->add_subcommand("get", "Print one preference");
  get->add_option("KEY", key, "Preference name")->required();
  get->add_flag("--json", json, "Print the value as JSON");
  get->callback([&ctx] {
    with_prefs(ctx, [&](storage::Preferences& p) {
      auto v = p.get(key);
      if (!v) return ctx.error(usage_or_failure(v.error()), v.error().message);
      std::cout << (json ? v->dump() : display(v.value())) << "\n";
    });
  });

  auto* set = prefs->add_subcommand("set", "Change a preference");
  set->add_option("KEY", key, "Preference name")->required();
  set->add_option("VALUE", value, "New value")->required();
  set->callback([&ctx] {
    with_prefs(ctx, [&](storage::Preferences& p) {
      // A voice is checked by the speech engines, which storage does not know.
      if (key == "voice")
        if (auto c = audio::check_voice(value); !c) return ctx.error(kExitUsage, "preference 'voice': " + c.error().message);
      auto r = p.set(key, value);
      if (!r) return ctx.error(usage_or_failure(r.error()), r.error().message);
      std::cout << key << " = " << display(p.get(key).value()) << "\n";
    });
  });

  auto* unset = prefs->add_subcommand("unset", "Return a preference to its default");
  unset->add_option("KEY", key, "Preference name")->required();
  unset->callback([&ctx] {
    with_prefs(ctx, [&](storage::Preferences& p) {
      auto r = p.unset(key);
      if (!r) return ctx.error(usage_or_failure(r.error()), r.error().message);
      std::cout << key << " = " << display(p.get(key).value()) << "  (default)\n";
    });
  });

  auto* exp = prefs->add_subcommand("export", "Write every preference as JSON (to FILE or standard output)");
  exp->add_option("FILE", file, "Output file");
  exp->callback([&ctx] {
    with_prefs(ctx, [&](storage::Preferences& p) {
      auto j = p.export_json();
      if (!j) return ctx.error(kExitFailure, j.error().message);
      if (file.empty()) {
        std::cout << j->dump(2) << "\n";
        return;
      }
      std::ofstream out(file);
      out << j->dump(2) << "\n";
      if (!out) return ctx.error(kExitFailure, "cannot write " + file);
    });
  });
}

}  // namespace hearth::app
