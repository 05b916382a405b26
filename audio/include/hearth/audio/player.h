// hearth/audio/player.h — sound out through PortAudio: spoken replies and the chime.
//
// One output stream stays open; play() queues samples and returns at once, PortAudio's
// callback takes them from a lock-free ring (silence when there is nothing). stop() drops what
// is playing and queued: that is barge-in, when the wake word is heard during a reply.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "hearth/audio/error.h"
#include "hearth/audio/wav.h"

namespace hearth::audio {

struct PlayerOptions {
  std::string device;          // as find_audio_device(spec, false)
  double buffer_seconds = 60;  // the longest queue of sound
};

class Player {
 public:
  static Result<std::unique_ptr<Player>> open(const PlayerOptions& options = {});
  ~Player();
  Player(const Player&) = delete;
  Player& operator=(const Player&) = delete;

  // Queues the sound (any rate; converted to the device's). kInvalidInput when the queue
  // cannot hold it; kDeviceLost when the device has stopped.
  Result<void> play(const Pcm& pcm);
  void stop();                                   // silence now; the queue is dropped
  bool playing() const;                          // something is queued or sounding
  bool wait_idle(std::chrono::milliseconds timeout) const;  // true once nothing is queued
  const std::string& device_name() const;

 private:
  Player() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hearth::audio
