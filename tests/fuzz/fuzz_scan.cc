// Fuzz target: arbitrary bytes scanned with the default policy, at once and
// streamed in pieces (cut where the input's first bytes say). Results are in
// range, findings lie inside the input, and the two scans agree exactly.
#include <cstdint>
#include <memory>
#include <string_view>

#include "fuzz_util.h"
#include "match/compiled_policy.h"
#include "match/scanner.h"
#include "policy/default_policy.h"

namespace {

const kimitsu::match::CompiledPolicy& Policy() {
  static const auto* policy = [] {
    kimitsu::policy::PolicyError error;
    return kimitsu::match::CompiledPolicy::FromText(kimitsu::policy::DefaultPolicyText(), "default", {}, &error)
        .release();
  }();
  return *policy;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kimitsu::match;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ScanOptions options;
  options.max_findings = 50;
  options.excerpts = Excerpts::kMasked;
  // Reused from input to input, as the C API's per-thread scanners are: a
  // scanner must leave nothing behind that changes the next scan.
  static Scanner one_shot, streamed;
  ScanResult a, b;
  FUZZ_CHECK(one_shot.Scan(Policy(), input, options, &a).ok());
  FUZZ_CHECK(a.tier < Policy().tier_count());
  FUZZ_CHECK(a.score >= 0.0 && a.score <= 1.0);
  FUZZ_CHECK(a.findings.size() <= options.max_findings);
  FUZZ_CHECK(a.total_findings >= a.findings.size());
  for (const Finding& f : a.findings) FUZZ_CHECK(f.start <= f.end && f.end <= input.size());

  streamed.Begin(Policy(), options, &b);
  // The pieces are cut where the input's own first bytes say.
  uint32_t seed = static_cast<uint32_t>(size) * 2654435761u;
  for (unsigned char c : input.substr(0, 8)) seed = (seed ^ c) * 16777619u;
  for (size_t off = 0; off < input.size();) {
    seed = seed * 1103515245u + 12345u;
    size_t piece = 1 + (seed >> 8) % 4096;
    FUZZ_CHECK(streamed.Write(input.substr(off, piece)).ok());
    off += piece;
  }
  FUZZ_CHECK(streamed.Finish().ok());
  FUZZ_CHECK(a.tier == b.tier && a.score == b.score && a.tier_scores == b.tier_scores);
  FUZZ_CHECK(a.total_findings == b.total_findings && a.findings.size() == b.findings.size());
  for (size_t i = 0; i < a.findings.size(); ++i) {
    FUZZ_CHECK(a.findings[i].rule == b.findings[i].rule);
    FUZZ_CHECK(a.findings[i].start == b.findings[i].start && a.findings[i].end == b.findings[i].end);
    FUZZ_CHECK(a.excerpt(a.findings[i]) == b.excerpt(b.findings[i]));
  }
  return 0;
}
