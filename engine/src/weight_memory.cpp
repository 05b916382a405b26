#include "weight_memory.h"

#include <sys/mman.h>

#include <utility>

namespace hearth::engine {

namespace {
constexpr size_t kHugePage = size_t{2} << 20;
}

WeightMemory WeightMemory::allocate(size_t bytes) {
  WeightMemory m;
  if (bytes == 0) return m;
  const size_t size = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  // Map one huge page more than needed and unmap the unaligned ends: the kernel can only back
  // 2 MiB-aligned ranges with huge pages.
  void* raw = ::mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return m;
  const auto start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
  if (aligned > start) ::munmap(raw, aligned - start);
  const uintptr_t tail = aligned + size, end = start + size + kHugePage;
  if (end > tail) ::munmap(reinterpret_cast<void*>(tail), end - tail);
  // Advice only: an error (no THP support) leaves ordinary pages, which work the same.
#ifdef MADV_HUGEPAGE
  ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);
#endif
  m.data_ = reinterpret_cast<uint8_t*>(aligned);
  m.size_ = size;
  return m;
}

WeightMemory::~WeightMemory() {
  if (data_) ::munmap(data_, size_);
}

WeightMemory::WeightMemory(WeightMemory&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

WeightMemory& WeightMemory::operator=(WeightMemory&& other) noexcept {
  if (this != &other) {
    if (data_) ::munmap(data_, size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

}  // namespace hearth::engine
