// Storage throughput: history inserts/s (each one its own committed transaction, as the assistant
// writes them) and preference reads/s. Run:
//   build/benchmarks/bench_storage --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <filesystem>

#include "hearth/storage/history.h"
#include "hearth/storage/preferences.h"

namespace {

using namespace hearth::storage;

struct ScratchDb {
  std::string dir;
  std::unique_ptr<Database> db;
  explicit ScratchDb(Durability durability) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "hearth-bench-XXXXXX").string();
    dir = ::mkdtemp(tmpl.data());
    DatabaseOptions o;
    o.path = dir + "/bench.db";
    o.durability = durability;
    db = Database::open(o).value();
  }
  ~ScratchDb() {
    db.reset();
    std::filesystem::remove_all(dir);
  }
};

void BM_HistoryInsert(benchmark::State& state) {
  ScratchDb s(state.range(0) ? Durability::kFull : Durability::kNormal);
  History history(*s.db);
  HistoryEntry e;
  e.utterance = "turn on the kitchen lights and set them to fifty percent";
  e.intents_json = R"([{"intent":"HassLightSet","slots":{"area":"kitchen","domain":"light","brightness":50}}])";
  e.reply = "Kitchen lights set to 50%.";
  e.outcome = "done";
  e.latency_ms = 23;
  for (auto _ : state) {
    auto id = history.append(e);
    if (!id) state.SkipWithError(id.error().message.c_str());
    benchmark::DoNotOptimize(id);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) ? "durability=full" : "durability=normal");
}
BENCHMARK(BM_HistoryInsert)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_PreferenceRead(benchmark::State& state) {
  ScratchDb s(Durability::kNormal);
  Preferences prefs(*s.db);
  (void)prefs.set("default_area", "kitchen");
  for (auto _ : state) {
    auto v = prefs.get("default_area");
    if (!v) state.SkipWithError(v.error().message.c_str());
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PreferenceRead)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
