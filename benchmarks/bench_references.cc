// The reference engines on the default policy's patterns, and everything
// (kimitsu and the references) on generated policies of 10 to 10,000 rules.
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <string>

#include "alloc_count.h"
#include "bench.h"
#include "fixtures.h"
#include "match/scanner.h"
#include "policy/loader.h"

namespace kimitsu::bench {
namespace {

using benchmark::State;

// rules == 0: the default policy's patterns.
void BM_RefRe2Set(State& st, Mix mix, size_t size, size_t rules) {
  const std::string* doc = &Doc(mix, size);
  const Re2SetReference& ref = Re2SetFor(rules);
  if (!ref.ok()) return st.SkipWithError("RE2::Set does not compile");
  bool gave_up = false;
  size_t fired = ref.Scan(*doc, 64 * kKB, &gave_up);  // warm-up: RE2 builds its DFA states lazily
  for (auto _ : st) fired = ref.Scan(*doc, 64 * kKB, &gave_up);
  st.counters["fired"] = static_cast<double>(fired);
  st.counters["gave_up"] = gave_up;
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * doc->size()));
}

void BM_RefNaive(State& st, Mix mix, size_t size, size_t rules) {
  const std::string* doc = &Doc(mix, size);
  const NaiveReference& ref = NaiveFor(rules);
  size_t matches = 0;
  if (doc->size() <= kMB && rules <= 100) ref.Scan(*doc);  // warm-up, where it is cheap
  for (auto _ : st) matches = ref.Scan(*doc);
  st.counters["matches"] = static_cast<double>(matches);
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * doc->size()));
}

void BM_RefMemchr(State& st, Mix mix, size_t size) {
  const std::string* doc = &Doc(mix, size);
  for (auto _ : st) benchmark::DoNotOptimize(MemchrScan(*doc));
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * doc->size()));
}

#ifdef KIMITSU_BENCH_HYPERSCAN
void BM_RefHyperscan(State& st, Mix mix, size_t size, size_t rules) {
  const std::string* doc = &Doc(mix, size);
  const HyperscanReference& ref = HyperscanFor(rules);
  if (!ref.ok()) return st.SkipWithError("Hyperscan does not compile the patterns");
  HyperscanReference::Scratch scratch(ref);
  size_t matches = 0;
  for (auto _ : st) matches = ref.Scan(*doc, scratch);
  st.counters["matches"] = static_cast<double>(matches);
  st.counters["patterns"] = static_cast<double>(ref.accepted());
  st.counters["rejected"] = static_cast<double>(ref.rejected().size());
  st.counters["hs_compile_ms"] = ref.compile_ms();
  st.counters["hs_db_MB"] = static_cast<double>(ref.database_bytes()) / kMB;
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * doc->size()));
}
#endif

// kimitsu with a generated policy: through the C API, or, for a policy
// the C API cannot compile with the default budget, through the engine
// (match::Scanner) with the raised budget. The first scan, which fills
// RE2's DFA caches, is timed apart (first_scan_ms).
void BM_ScaleKimitsu(State& st, size_t rules) {
  const std::string& doc = Doc(Mix::kMixed, kMB);
  const GeneratedPolicy& g = Generated(rules);
  kimitsu_scanner* scanner = nullptr;
  kimitsu_scanner_new(&scanner);
  match::Scanner engine_scanner;
  match::ScanResult engine_result;
  const kimitsu_result* result = nullptr;
  auto scan = [&] {
    if (g.capi) return kimitsu_scanner_scan(scanner, g.capi, doc.data(), doc.size(), nullptr, &result) == KIMITSU_OK;
    return engine_scanner.Scan(*g.compiled, doc, {}, &engine_result).ok();
  };
  // The first scan ever with this policy (later repetitions find RE2's
  // caches warm, so the first one's figure is kept for them).
  static std::map<size_t, double> first_scan_ms;
  auto t0 = std::chrono::steady_clock::now();
  scan();
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  double first_ms = first_scan_ms.emplace(rules, ms).first->second;
  for (auto _ : st) {
    if (!scan()) {
      st.SkipWithError("scan failed");
      break;
    }
  }
  st.counters["first_scan_ms"] = first_ms;
  st.counters["set_max_mem_MB"] = static_cast<double>(g.set_max_mem >> 20);
  st.counters["capi"] = g.capi != nullptr;
  st.counters["findings"] = static_cast<double>(g.capi ? kimitsu_result_total_findings(result) : engine_result.total_findings);
  st.counters["flags"] = static_cast<double>(g.capi ? kimitsu_result_flags(result) : engine_result.flags);
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * doc.size()));
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations()));
  kimitsu_scanner_free(scanner);
}

// Compiling a generated policy (YAML parse included), with the budget it
// needs (see GeneratedPolicy).
void BM_CompileGenerated(State& st, size_t rules) {
  const GeneratedPolicy& g = Generated(rules);
  match::CompileOptions options;
  options.set_max_mem = g.set_max_mem;
  int64_t live = 0;
  for (auto _ : st) {
    int64_t before = LiveHeapBytes();
    policy::PolicyError error;
    auto p = match::CompiledPolicy::FromText(g.yaml, "<generated>", options, &error);
    if (!p) return st.SkipWithError("compile failed");
    live = LiveHeapBytes() - before;
  }
  st.counters["rules"] = static_cast<double>(rules);
  st.counters["set_max_mem_MB"] = static_cast<double>(g.set_max_mem >> 20);
  st.counters["capi_compiles"] = g.capi != nullptr;
  st.counters["program_size_MB"] = static_cast<double>(g.compiled->ProgramSize()) / kMB;
  st.counters["heap_MB"] = static_cast<double>(live) / kMB;
}

constexpr size_t kRuleCounts[] = {10, 100, 1000, 10000};

}  // namespace

void RegisterReferenceBenchmarks() {
  auto ms = benchmark::kMillisecond;
  for (Mix mix : {Mix::kMixed, Mix::kClean, Mix::kDense}) {
    for (size_t size : {kMB, 64 * kMB}) {
      if (size > kMB && mix != Mix::kMixed) continue;
      std::string suffix = std::string(MixName(mix)) + "/" + SizeName(size);
      auto limit = [&](benchmark::internal::Benchmark* b, int iterations) {
        b->Unit(ms);
        if (size > kMB) b->Iterations(iterations);
      };
      limit(benchmark::RegisterBenchmark(("ref/memchr/" + suffix).c_str(), BM_RefMemchr, mix, size), 8);
      auto* set = benchmark::RegisterBenchmark(("ref/re2_set/" + suffix).c_str(), BM_RefRe2Set, mix, size, size_t{0});
      limit(set, 2);
#ifdef KIMITSU_BENCH_HYPERSCAN
      auto* hs = benchmark::RegisterBenchmark(("ref/hyperscan/" + suffix).c_str(), BM_RefHyperscan, mix, size, size_t{0});
      limit(hs, 2);
      if (size == kMB && mix == Mix::kMixed) hs->Repetitions(3)->ReportAggregatesOnly(true);
#endif
      if (size == kMB && mix == Mix::kMixed) set->Repetitions(3)->ReportAggregatesOnly(true);
      limit(benchmark::RegisterBenchmark(("ref/naive_re2/" + suffix).c_str(), BM_RefNaive, mix, size, size_t{0}), 1);
    }
  }
}

void RegisterScalingBenchmarks() {
  auto ms = benchmark::kMillisecond;
  for (size_t n : kRuleCounts) {
    std::string suffix = "/rules:" + std::to_string(n);
    benchmark::RegisterBenchmark(("scale/kimitsu" + suffix).c_str(), BM_ScaleKimitsu, n)
        ->Unit(ms)
        ->Repetitions(3)
        ->ReportAggregatesOnly(true);
    benchmark::RegisterBenchmark(("scale/re2_set" + suffix).c_str(), BM_RefRe2Set, Mix::kMixed, kMB, n)->Unit(ms);
#ifdef KIMITSU_BENCH_HYPERSCAN
    benchmark::RegisterBenchmark(("scale/hyperscan" + suffix).c_str(), BM_RefHyperscan, Mix::kMixed, kMB, n)
        ->Unit(ms);
#endif
    auto* naive = benchmark::RegisterBenchmark(("scale/naive_re2" + suffix).c_str(), BM_RefNaive, Mix::kMixed, kMB, n);
    naive->Unit(ms);
    if (n >= 1000) naive->Iterations(1);
    benchmark::RegisterBenchmark(("compile/generated" + suffix).c_str(), BM_CompileGenerated, n)->Unit(ms);
  }
}

}  // namespace kimitsu::bench
