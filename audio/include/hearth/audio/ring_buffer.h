// hearth/audio/ring_buffer.h — a lock-free single-producer single-consumer ring of samples.
//
// The audio callback (the producer) must never block or allocate, so it hands samples to the
// reader (the consumer) through this ring: push() and pop() touch only their own index and an
// acquire/release pair on the other's. When the reader falls behind, push() keeps what fits and
// reports how many samples it had to drop; nothing already in the ring is overwritten.
#pragma once

#include <atomic>
#include <cstddef>
#include <vector>

namespace hearth::audio {

template <class T>
class SpscRing {
 public:
  // Holds up to `capacity` items.
  explicit SpscRing(size_t capacity) : buf_(capacity + 1) {}
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  // Producer side. Returns how many of `n` items were stored; the rest are dropped.
  size_t push(const T* items, size_t n) {
    const size_t head = head_.load(std::memory_order_relaxed);
    const size_t tail = tail_.load(std::memory_order_acquire);
    const size_t cap = buf_.size();
    const size_t free = (tail + cap - head - 1) % cap;
    const size_t take = n < free ? n : free;
    for (size_t i = 0; i < take; ++i) buf_[(head + i) % cap] = items[i];
    head_.store((head + take) % cap, std::memory_order_release);
    return take;
  }

  // Consumer side. Moves up to `max` items into `out`; returns how many.
  size_t pop(T* out, size_t max) {
    const size_t tail = tail_.load(std::memory_order_relaxed);
    const size_t head = head_.load(std::memory_order_acquire);
    const size_t cap = buf_.size();
    const size_t have = (head + cap - tail) % cap;
    const size_t take = max < have ? max : have;
    for (size_t i = 0; i < take; ++i) out[i] = buf_[(tail + i) % cap];
    tail_.store((tail + take) % cap, std::memory_order_release);
    return take;
  }

  size_t size() const {
    const size_t cap = buf_.size();
    return (head_.load(std::memory_order_acquire) + cap - tail_.load(std::memory_order_acquire)) % cap;
  }
  size_t capacity() const { return buf_.size() - 1; }

 private:
  std::vector<T> buf_;
  alignas(64) std::atomic<size_t> head_{0};  // next slot the producer writes
  alignas(64) std::atomic<size_t> tail_{0};  // next slot the consumer reads
};

}  // namespace hearth::audio
