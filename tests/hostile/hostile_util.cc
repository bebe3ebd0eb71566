#include "hostile_util.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <sstream>

namespace hostile {

PolicyPtr DefaultPolicy() {
  kimitsu_policy* p = nullptr;
  EXPECT_EQ(kimitsu_policy_default(&p), KIMITSU_OK);
  return PolicyPtr(p);
}

Compiled Compile(std::string_view text, const kimitsu_policy_options* options) {
  return kimitsu_test::CompileWith(text, options);
}

ResultPtr Scan(const kimitsu_policy* policy, std::string_view data, const kimitsu_scan_options* options) {
  return kimitsu_test::ScanWith(policy, data, options);
}

ResultPtr StreamScan(const kimitsu_policy* policy, std::string_view data, size_t piece,
                     const kimitsu_scan_options* options) {
  kimitsu_stream* s = nullptr;
  EXPECT_EQ(kimitsu_stream_open(policy, options, &s), KIMITSU_OK);
  if (s == nullptr) return nullptr;
  for (size_t at = 0; at < data.size(); at += piece) {
    size_t n = std::min(piece, data.size() - at);
    EXPECT_EQ(kimitsu_stream_write(s, data.data() + at, n), KIMITSU_OK);
  }
  kimitsu_result* r = nullptr;
  EXPECT_EQ(kimitsu_stream_finish(s, &r), KIMITSU_OK);
  kimitsu_stream_free(s);
  return ResultPtr(r);
}

std::string Describe(const kimitsu_result* r) {
  std::ostringstream out;
  out << kimitsu_result_tier(r) << " " << kimitsu_result_score(r) << " " << kimitsu_result_encoding(r)
      << " flags=" << kimitsu_result_flags(r) << " bytes=" << kimitsu_result_input_bytes(r)
      << " total=" << kimitsu_result_total_findings(r) << "\n";
  for (size_t i = 0; i < kimitsu_result_finding_count(r); ++i) {
    kimitsu_finding f = KIMITSU_FINDING_INIT;
    EXPECT_EQ(kimitsu_result_finding(r, i, &f), KIMITSU_OK);
    out << f.rule << " " << f.start << "-" << f.end << " " << f.confidence << " " << f.line << "\n";
  }
  return out.str();
}

void ExpectSane(const kimitsu_policy* policy, const kimitsu_result* r, std::string_view input) {
  ASSERT_NE(r, nullptr);
  EXPECT_LT(kimitsu_result_tier_index(r), kimitsu_policy_tier_count(policy));
  const double score = kimitsu_result_score(r);
  EXPECT_GE(score, 0.0);
  EXPECT_LE(score, 1.0);
  EXPECT_EQ(kimitsu_result_input_bytes(r), input.size());
  const size_t kept = kimitsu_result_finding_count(r);
  EXPECT_GE(kimitsu_result_total_findings(r), kept);
  uint64_t last_start = 0;
  for (size_t i = 0; i < kept; ++i) {
    kimitsu_finding f = KIMITSU_FINDING_INIT;
    ASSERT_EQ(kimitsu_result_finding(r, i, &f), KIMITSU_OK);
    EXPECT_LE(f.start, f.end) << i;
    EXPECT_LE(f.end, input.size()) << i;
    EXPECT_GE(f.start, last_start) << i;
    EXPECT_GE(f.confidence, 0.0);
    EXPECT_LE(f.confidence, 1.0);
    last_start = f.start;
  }
  if (kimitsu_result_total_findings(r) > kept) {
    EXPECT_NE(kimitsu_result_flags(r) & KIMITSU_RESULT_FINDINGS_TRUNCATED, 0u);
  }
}

// ---------------------------------------------------------------------------
// The counting allocator

namespace memory {
namespace {
std::atomic<size_t> in_use{0};
std::atomic<size_t> peak{0};

void Add(size_t n) {
  size_t now = in_use.fetch_add(n, std::memory_order_relaxed) + n;
  size_t p = peak.load(std::memory_order_relaxed);
  while (now > p && !peak.compare_exchange_weak(p, now, std::memory_order_relaxed)) {
  }
}
}  // namespace

#if KIMITSU_HOSTILE_COUNT_ALLOCATIONS
bool Available() { return true; }
#else
bool Available() { return false; }
#endif
void ResetPeak() { peak.store(in_use.load()); }
size_t InUse() { return in_use.load(); }
size_t Peak() { return peak.load(); }

void* Allocate(size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  Add(malloc_usable_size(p));
  return p;
}

void* AllocateAligned(size_t n, size_t alignment) {
  void* p = nullptr;
  if (posix_memalign(&p, std::max(alignment, sizeof(void*)), n == 0 ? 1 : n) != 0) throw std::bad_alloc();
  Add(malloc_usable_size(p));
  return p;
}

void Release(void* p) {
  if (p == nullptr) return;
  in_use.fetch_sub(malloc_usable_size(p), std::memory_order_relaxed);
  std::free(p);
}
}  // namespace memory

}  // namespace hostile

#if KIMITSU_HOSTILE_COUNT_ALLOCATIONS
void* operator new(size_t n) { return hostile::memory::Allocate(n); }
void* operator new[](size_t n) { return hostile::memory::Allocate(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept {
  try {
    return hostile::memory::Allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](size_t n, const std::nothrow_t&) noexcept {
  try {
    return hostile::memory::Allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new(size_t n, std::align_val_t a) { return hostile::memory::AllocateAligned(n, size_t(a)); }
void* operator new[](size_t n, std::align_val_t a) { return hostile::memory::AllocateAligned(n, size_t(a)); }
void operator delete(void* p) noexcept { hostile::memory::Release(p); }
void operator delete[](void* p) noexcept { hostile::memory::Release(p); }
void operator delete(void* p, size_t) noexcept { hostile::memory::Release(p); }
void operator delete[](void* p, size_t) noexcept { hostile::memory::Release(p); }
void operator delete(void* p, std::align_val_t) noexcept { hostile::memory::Release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { hostile::memory::Release(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { hostile::memory::Release(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { hostile::memory::Release(p); }
#endif
