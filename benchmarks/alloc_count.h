// Counting heap allocations in the benchmark binary: a replaced global
// operator new (every C++ allocation: kimitsu, RE2, Abseil, yaml-cpp) and
// ICU's memory hooks (u_setMemoryFunctions: ICU allocates with malloc, not
// new). Counts are per thread, so a benchmark reads its own thread's figures.
#ifndef KIMITSU_BENCHMARKS_ALLOC_COUNT_H_
#define KIMITSU_BENCHMARKS_ALLOC_COUNT_H_

#include <cstdint>

namespace kimitsu::bench {

struct AllocCounts {
  uint64_t new_calls = 0;   // operator new / new[] (all forms)
  uint64_t new_bytes = 0;   // bytes asked of operator new
  uint64_t icu_calls = 0;   // ICU's allocations and reallocations
  uint64_t icu_bytes = 0;
};

// This thread's counts so far.
AllocCounts ThreadAllocCounts();

// Bytes currently held through operator new by all threads (usable sizes).
int64_t LiveHeapBytes();

// Installs the ICU hooks. Must run before anything uses ICU; false (and the
// ICU figures stay 0) when ICU was already in use.
bool InstallIcuAllocHooks();

// Allocation tracing, for finding where steady-state allocations come
// from: between StartAllocTrace() and StopAllocTrace(), each allocation of
// this thread (operator new or ICU) records its call stack (up to 256
// allocations), which StopAllocTrace() prints to stderr, symbolized with
// addr2line, identical stacks grouped.
void StartAllocTrace();
void StopAllocTrace();

}  // namespace kimitsu::bench

#endif  // KIMITSU_BENCHMARKS_ALLOC_COUNT_H_
