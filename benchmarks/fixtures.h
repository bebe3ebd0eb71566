// What the benchmarks share, made once on first use and kept for the run:
// documents of the corpus, the default policy (C API and engine), generated
// policies and the reference engines built on their patterns. Thread-safe.
#ifndef KIMITSU_BENCHMARKS_FIXTURES_H_
#define KIMITSU_BENCHMARKS_FIXTURES_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "corpus.h"
#include "kimitsu/kimitsu.h"
#include "match/compiled_policy.h"
#include "policies.h"
#include "references.h"

namespace kimitsu::bench {

inline constexpr size_t kKB = 1024;
inline constexpr size_t kMB = 1024 * 1024;

// "1KB", "64KB", "1MB", "64MB".
std::string SizeName(size_t bytes);

const std::string& Doc(Mix mix, size_t bytes);
const CorpusStats& DocStats(Mix mix, size_t bytes);
const std::string& JapaneseDoc(size_t bytes);
const std::string& JapaneseSjisDoc(size_t bytes);  // JapaneseDoc in Shift_JIS (CP932)
const std::string& EnglishDoc(size_t bytes);
// Doc() decoded and NFKC-normalized: the text the matcher sees.
const std::string& NormalizedDoc(Mix mix, size_t bytes);

// The built-in default policy through the C API (kimitsu_policy_default).
const kimitsu_policy* DefaultCapiPolicy();
const match::CompiledPolicy& DefaultPolicy(Variant v = Variant::kFull);
const std::vector<ExportedPattern>& DefaultPatterns();

// A generated policy of `rules` rules (policies.h). Compiled through the C
// API when it fits the default prefilter budget (64 MiB); when it does not,
// `capi` is null, `capi_error` says why, and `compiled` was made through the
// engine with the budget raised to 128 MiB (`set_max_mem`).
struct GeneratedPolicy {
  std::string yaml;
  kimitsu_policy* capi = nullptr;
  std::string capi_error;
  int64_t set_max_mem = int64_t{64} << 20;
  std::unique_ptr<match::CompiledPolicy> compiled;
  std::vector<ExportedPattern> patterns;
};
const GeneratedPolicy& Generated(size_t rules);

// The patterns of the default policy (rules == 0) or of a generated one.
const std::vector<ExportedPattern>& PatternsFor(size_t rules);
const Re2SetReference& Re2SetFor(size_t rules);
const NaiveReference& NaiveFor(size_t rules);
#ifdef KIMITSU_BENCH_HYPERSCAN
const HyperscanReference& HyperscanFor(size_t rules);
#endif

}  // namespace kimitsu::bench

#endif  // KIMITSU_BENCHMARKS_FIXTURES_H_
