// Heap allocations of a scan in steady state: a scanner that has scanned a
// document before scans a document without findings again without
// allocating, even where rules fire and their candidates are turned down.
// This program counts every operator new and every ICU allocation made on
// the scanning thread.
#include <gtest/gtest.h>
#include <unicode/uclean.h>

#include <cstdlib>
#include <new>
#include <string>

#include "match/compiled_policy.h"
#include "match/scanner.h"
#include "policy/default_policy.h"

namespace {

thread_local long t_allocations = 0;

void* Allocate(size_t n) {
  ++t_allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}

void* U_CALLCONV IcuAlloc(const void*, size_t n) {
  ++t_allocations;
  return std::malloc(n ? n : 1);
}
void* U_CALLCONV IcuRealloc(const void*, void* p, size_t n) {
  ++t_allocations;
  return std::realloc(p, n ? n : 1);
}
void U_CALLCONV IcuFree(const void*, void* p) { std::free(p); }

// Before anything uses ICU.
const bool kIcuHooked = [] {
  UErrorCode status = U_ZERO_ERROR;
  u_setMemoryFunctions(nullptr, IcuAlloc, IcuRealloc, IcuFree, &status);
  return U_SUCCESS(status);
}();

}  // namespace

void* operator new(size_t n) { return Allocate(n); }
void* operator new[](size_t n) { return Allocate(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return std::malloc(n ? n : 1); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return std::malloc(n ? n : 1); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace kimitsu::match {
namespace {

// ~300 KB of ordinary text: prose (English and Japanese, which goes through
// ICU's normalizer), log and CSV lines with long order numbers (which the
// digit rules pick up and turn down) and configuration with *_key settings
// (which the credential rule picks up and turns down).
std::string CleanDocument() {
  std::string doc;
  for (int i = 0; doc.size() < 300 * 1024; ++i) {
    doc += "The committee went through the schedule again and agreed that the survey results would be "
           "presented in the spring, after the regional offices had sent their comments.\n";
    doc += "2025-03-0" + std::to_string(1 + i % 9) + "T10:1" + std::to_string(i % 10) +
           ":05Z INFO worker-2 processed order " + std::to_string(40580000 + i * 7919) + " in 41 ms\n";
    doc += std::to_string(50719364 + i) + ",C-0" + std::to_string(1000 + i % 900) + ",12,WH-KANSAI,shipped\n";
    if (i % 16 == 0) doc += "cache_dir=/var/cache/app\nsort_key = updated_at\nprimary_key: order_id\n";
    if (i % 4 == 0) doc += "本日の会議では、来年度の日程について話し合いました。次回は４月１５日の予定です。\n";
  }
  return doc;
}

TEST(ScanAllocationsTest, ADocumentWithoutFindingsAllocatesNothingOnceTheScannerIsWarm) {
  ASSERT_TRUE(kIcuHooked);
  policy::PolicyError error;
  auto policy = CompiledPolicy::FromText(policy::DefaultPolicyText(), policy::kDefaultPolicySource, {}, &error);
  ASSERT_NE(policy, nullptr);
  const std::string doc = CleanDocument();
  // The test means something only if rules fire in the document: the
  // prefilter names rules in it, which the scanner then turns down.
  std::vector<int> fired;
  ASSERT_TRUE(policy->prefilter().Match(doc, &fired));
  EXPECT_GE(fired.size(), 2u);

  Scanner scanner;
  ScanResult result;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(scanner.Scan(*policy, doc, {}, &result).ok());
  const long before = t_allocations;
  ASSERT_TRUE(scanner.Scan(*policy, doc, {}, &result).ok());
  const long allocations = t_allocations - before;
  EXPECT_EQ(result.findings.size(), 0u);
  EXPECT_EQ(result.total_findings, 0u);
  EXPECT_EQ(allocations, 0);

  // In pieces, the same.
  const long before_stream = t_allocations;
  scanner.Begin(*policy, {}, &result);
  for (size_t off = 0; off < doc.size(); off += 10000) ASSERT_TRUE(scanner.Write(std::string_view(doc).substr(off, 10000)).ok());
  ASSERT_TRUE(scanner.Finish().ok());
  EXPECT_EQ(t_allocations - before_stream, 0);
}

}  // namespace
}  // namespace kimitsu::match
