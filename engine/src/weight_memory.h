// Memory for the weights a Model keeps outside its file mapping (private to the engine).
//
// Decode reads every weight once per generated token, so its speed is the memory bandwidth the
// core gets. Streaming hundreds of megabytes through 4 KiB pages costs a TLB miss and a page
// walk per page; a 2 MiB page ("transparent huge page", asked for with madvise) covers 512 times
// as much. On the hosts measured (benchmarks/results/engine.md) a single core read 512 MiB at
// 1.5x the bandwidth from huge pages, and 110M Q4_K_M decoded twice as fast. Where the kernel
// hands out no huge pages (THP "never", other systems) this is ordinary anonymous memory and
// everything works the same, only slower.
#pragma once

#include <cstddef>
#include <cstdint>

namespace hearth::engine {

class WeightMemory {
 public:
  WeightMemory() = default;
  // `bytes` of zeroed memory, 2 MiB aligned; data() is null when the system had none to give.
  static WeightMemory allocate(size_t bytes);
  ~WeightMemory();
  WeightMemory(WeightMemory&& other) noexcept;
  WeightMemory& operator=(WeightMemory&& other) noexcept;
  WeightMemory(const WeightMemory&) = delete;
  WeightMemory& operator=(const WeightMemory&) = delete;

  uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;  // bytes mapped at data_ (the request rounded up to whole huge pages)
};

}  // namespace hearth::engine
