// The speech libraries, opened the first time voice needs them.
//
// flite (with its voices), espeak-ng and pocketsphinx are not linked into hearth: loading them
// at start cost every process about 13 MiB of resident memory (the loader relocates their large
// tables of pointers) that text-only use, a headless hub without a microphone and the engine's
// benchmarks never need. Each library is opened (dlopen) once, on first use, and kept for the
// life of the process; a missing library is an error that names it, not a crash at start.
//
// The function tables carry the libraries' own prototypes (their headers are still compiled
// against), so a call through them is checked like a direct call.
#pragma once

#include <espeak-ng/speak_lib.h>
#include <pocketsphinx.h>

extern "C" {
#include <flite/flite.h>
}

#include <string>

#include "hearth/audio/error.h"

namespace hearth::audio::speech_libs {

using hearth::audio::Result;

struct Flite {
  decltype(&::flite_init) init;
  decltype(&::flite_text_to_wave) text_to_wave;
  decltype(&::delete_wave) free_wave;
  decltype(&::get_param_float) get_param_float;
  decltype(&::feat_set_float) feat_set_float;
};

struct Espeak {
  decltype(&::espeak_Initialize) initialize;
  decltype(&::espeak_SetSynthCallback) set_synth_callback;
  decltype(&::espeak_Info) info;
  decltype(&::espeak_SetVoiceByName) set_voice_by_name;
  decltype(&::espeak_SetParameter) set_parameter;
  decltype(&::espeak_Synth) synth;
};

struct Sphinx {
  decltype(&::ps_args) args;
  decltype(&::cmd_ln_init) config_init;
  decltype(&::cmd_ln_free_r) config_free;
  decltype(&::ps_init) init;
  decltype(&::ps_free) free;
  decltype(&::ps_process_raw) process_raw;
  decltype(&::ps_lookup_word) lookup_word;
  decltype(&::ps_add_word) add_word;
  decltype(&::ckd_free) free_string;  // frees what lookup_word returned
  decltype(&::ps_set_jsgf_string) set_jsgf_string;
  decltype(&::ps_set_search) set_search;
  decltype(&::ps_set_lm_file) set_lm_file;
  decltype(&::ps_start_utt) start_utt;
  decltype(&::ps_end_utt) end_utt;
  decltype(&::ps_get_hyp) get_hyp;
  decltype(&::ps_get_n_frames) get_n_frames;
  // The best path's words, one segment at a time (frames and scores of each); seg_next frees
  // the iterator at the end.
  decltype(&::ps_seg_iter) seg_iter;
  decltype(&::ps_seg_next) seg_next;
  decltype(&::ps_seg_word) seg_word;
  decltype(&::ps_seg_frames) seg_frames;
  decltype(&::ps_seg_prob) seg_prob;
  // The live cepstral mean normalization (the channel: microphone and room), read and set so a
  // restart need not learn it again. feat_t's cmn_struct is the decoder's.
  decltype(&::ps_get_feat) get_feat;
  decltype(&::cmn_live_get) cmn_get;
  decltype(&::cmn_live_set) cmn_set;
  // The word lattice of the last utterance (owned by the decoder) and the compiled grammar, for
  // alternatives to the best path (nbest.cpp).
  decltype(&::ps_get_lattice) get_lattice;
  decltype(&::ps_latnode_iter) latnode_iter;
  decltype(&::ps_latnode_iter_next) latnode_iter_next;
  decltype(&::ps_latnode_iter_node) latnode_iter_node;
  decltype(&::ps_latnode_times) latnode_times;
  decltype(&::ps_latnode_word) latnode_word;
  decltype(&::ps_latnode_exits) latnode_exits;
  decltype(&::ps_latnode_entries) latnode_entries;
  decltype(&::ps_latlink_iter_next) latlink_iter_next;
  decltype(&::ps_latlink_iter_link) latlink_iter_link;
  decltype(&::ps_latlink_nodes) latlink_nodes;
  decltype(&::ps_latlink_prob) latlink_prob;
  decltype(&::ps_get_fsg) get_fsg;
  decltype(&::fsg_model_arcs) fsg_arcs;
  decltype(&::fsg_arciter_get) fsg_arciter_get;
  decltype(&::fsg_arciter_next) fsg_arciter_next;
};

// Each opens its library on the first call (thread-safe) and returns the same table after;
// an error (kSpeech for the voices, kModel for pocketsphinx) names the library that failed.
Result<const Flite*> flite();
Result<const Espeak*> espeak();
Result<const Sphinx*> sphinx();

// A flite voice's register function ("slt", "rms", "awb", "kal", "kal16"), its library opened
// on first use. Unknown names are an error listing the voices.
using RegisterVoice = cst_voice* (*)(const char* voxdir);
Result<RegisterVoice> flite_voice(const std::string& name);
// Whether `name` is one of flite's voices (no library is opened).
bool is_flite_voice(const std::string& name);

}  // namespace hearth::audio::speech_libs
