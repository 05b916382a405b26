#include "speech_libs.h"

#include <dlfcn.h>

#include <map>
#include <mutex>

// The libraries' file names (sonames), checked at configure time by audio/CMakeLists.txt.
#ifndef HEARTH_FLITE_SONAME
#error "HEARTH_FLITE_SONAME and the other speech library names come from audio/CMakeLists.txt"
#endif

namespace hearth::audio::speech_libs {
namespace {

// Opens `soname` (never closed) or says why not.
Result<void*> open_library(const char* soname, ErrorCode code) {
  dlerror();
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    return fail(code, std::string("cannot load ") + soname + ": " + (why ? why : "unknown error"));
  }
  return handle;
}

// Fills `fn` with the symbol `name` of `handle` (or of a library it depends on); false if absent.
template <class Fn>
bool bind(void* handle, const char* name, Fn& fn, std::string& missing) {
  fn = reinterpret_cast<Fn>(dlsym(handle, name));
  if (!fn) missing += std::string(missing.empty() ? "" : ", ") + name;
  return fn != nullptr;
}

// Opens a library once and fills its table; later calls return the first outcome.
template <class Table, class Fill>
Result<const Table*> load_once(const char* soname, ErrorCode code, Fill fill) {
  struct Loaded {
    Table table{};
    std::string error;
  };
  static const Loaded loaded = [&] {
    Loaded l;
    auto handle = open_library(soname, code);
    if (!handle) {
      l.error = handle.error().message;
      return l;
    }
    std::string missing;
    fill(*handle, l.table, missing);
    if (!missing.empty()) l.error = std::string(soname) + " lacks " + missing;
    return l;
  }();
  if (!loaded.error.empty()) return fail(code, loaded.error);
  return &loaded.table;
}

// pocketsphinx brings OpenBLAS, whose worker threads spin on sched_yield while idle; the
// decoder's small matrices do not need them (and hearth has its own threads). Stopped right
// after loading, when the BLAS loaded is OpenBLAS (looked up, so any other BLAS is left alone).
void stop_blas_threads(void* handle) {
  using SetThreads = void (*)(int);
  using Shutdown = int (*)();
  if (auto set = reinterpret_cast<SetThreads>(dlsym(handle, "openblas_set_num_threads"))) set(1);
  if (auto stop = reinterpret_cast<Shutdown>(dlsym(handle, "blas_thread_shutdown_"))) stop();
}

const std::map<std::string, const char*> kFliteVoiceLibs = {
    {"slt", HEARTH_FLITE_SLT_SONAME}, {"rms", HEARTH_FLITE_RMS_SONAME}, {"awb", HEARTH_FLITE_AWB_SONAME},
    {"kal", HEARTH_FLITE_KAL_SONAME}, {"kal16", HEARTH_FLITE_KAL16_SONAME}};

}  // namespace

Result<const Flite*> flite() {
  return load_once<Flite>(HEARTH_FLITE_SONAME, ErrorCode::kSpeech, [](void* h, Flite& t, std::string& m) {
    bind(h, "flite_init", t.init, m);
    bind(h, "flite_text_to_wave", t.text_to_wave, m);
    bind(h, "delete_wave", t.free_wave, m);
    bind(h, "get_param_float", t.get_param_float, m);
    bind(h, "feat_set_float", t.feat_set_float, m);
  });
}

Result<const Espeak*> espeak() {
  return load_once<Espeak>(HEARTH_ESPEAK_SONAME, ErrorCode::kSpeech, [](void* h, Espeak& t, std::string& m) {
    bind(h, "espeak_Initialize", t.initialize, m);
    bind(h, "espeak_SetSynthCallback", t.set_synth_callback, m);
    bind(h, "espeak_Info", t.info, m);
    bind(h, "espeak_SetVoiceByName", t.set_voice_by_name, m);
    bind(h, "espeak_SetParameter", t.set_parameter, m);
    bind(h, "espeak_Synth", t.synth, m);
  });
}

Result<const Sphinx*> sphinx() {
  return load_once<Sphinx>(HEARTH_POCKETSPHINX_SONAME, ErrorCode::kModel, [](void* h, Sphinx& t, std::string& m) {
    stop_blas_threads(h);
    bind(h, "ps_args", t.args, m);
    bind(h, "cmd_ln_init", t.config_init, m);
    bind(h, "cmd_ln_free_r", t.config_free, m);
    bind(h, "ps_init", t.init, m);
    bind(h, "ps_free", t.free, m);
    bind(h, "ps_process_raw", t.process_raw, m);
    bind(h, "ps_lookup_word", t.lookup_word, m);
    bind(h, "ps_add_word", t.add_word, m);
    bind(h, "ckd_free", t.free_string, m);
    bind(h, "ps_set_jsgf_string", t.set_jsgf_string, m);
    bind(h, "ps_set_search", t.set_search, m);
    bind(h, "ps_set_lm_file", t.set_lm_file, m);
    bind(h, "ps_start_utt", t.start_utt, m);
    bind(h, "ps_end_utt", t.end_utt, m);
    bind(h, "ps_get_hyp", t.get_hyp, m);
    bind(h, "ps_get_n_frames", t.get_n_frames, m);
    bind(h, "ps_seg_iter", t.seg_iter, m);
    bind(h, "ps_seg_next", t.seg_next, m);
    bind(h, "ps_seg_word", t.seg_word, m);
    bind(h, "ps_seg_frames", t.seg_frames, m);
    bind(h, "ps_seg_prob", t.seg_prob, m);
    bind(h, "ps_get_feat", t.get_feat, m);
    bind(h, "cmn_live_get", t.cmn_get, m);  // sphinxbase's, found through pocketsphinx's handle
    bind(h, "cmn_live_set", t.cmn_set, m);
    bind(h, "ps_get_lattice", t.get_lattice, m);
    bind(h, "ps_latnode_iter", t.latnode_iter, m);
    bind(h, "ps_latnode_iter_next", t.latnode_iter_next, m);
    bind(h, "ps_latnode_iter_node", t.latnode_iter_node, m);
    bind(h, "ps_latnode_times", t.latnode_times, m);
    bind(h, "ps_latnode_word", t.latnode_word, m);
    bind(h, "ps_latnode_exits", t.latnode_exits, m);
    bind(h, "ps_latnode_entries", t.latnode_entries, m);
    bind(h, "ps_latlink_iter_next", t.latlink_iter_next, m);
    bind(h, "ps_latlink_iter_link", t.latlink_iter_link, m);
    bind(h, "ps_latlink_nodes", t.latlink_nodes, m);
    bind(h, "ps_latlink_prob", t.latlink_prob, m);
    bind(h, "ps_get_fsg", t.get_fsg, m);
    bind(h, "fsg_model_arcs", t.fsg_arcs, m);
    bind(h, "fsg_arciter_get", t.fsg_arciter_get, m);
    bind(h, "fsg_arciter_next", t.fsg_arciter_next, m);
  });
}

bool is_flite_voice(const std::string& name) { return kFliteVoiceLibs.count(name) > 0; }

Result<RegisterVoice> flite_voice(const std::string& name) {
  const auto lib = kFliteVoiceLibs.find(name);
  if (lib == kFliteVoiceLibs.end())
    return fail(ErrorCode::kSpeech, "flite has no voice \"" + name + "\" (voices: slt, rms, awb, kal, kal16)");
  static std::mutex mu;
  static std::map<std::string, RegisterVoice> opened;
  std::lock_guard lock(mu);
  if (auto it = opened.find(name); it != opened.end()) return it->second;
  auto handle = open_library(lib->second, ErrorCode::kSpeech);
  if (!handle) return fail(handle.error().code, handle.error().message);
  const std::string symbol = "register_cmu_us_" + name;
  auto fn = reinterpret_cast<RegisterVoice>(dlsym(*handle, symbol.c_str()));
  if (!fn) return fail(ErrorCode::kSpeech, std::string(lib->second) + " lacks " + symbol);
  return opened[name] = fn;
}

}  // namespace hearth::audio::speech_libs
