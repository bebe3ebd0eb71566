// End to end, through the public C API: compile, scan (documents/s and MB/s
// per mix and size), two threads sharing one policy, heap allocations per
// scan in steady state, and peak resident memory.
#include <malloc.h>
#include <time.h>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "alloc_count.h"
#include "bench.h"
#include "fixtures.h"
#include "kimitsu/kimitsu.h"
#include "policy/default_policy.h"

namespace kimitsu::bench {
namespace {

using benchmark::Counter;
using benchmark::State;

// kimitsu_scanner_scan in a loop. One warm-up scan first (for documents up
// to 1 MB), so that the figures are those of a scanner in steady state.
void ScanLoop(State& st, const kimitsu_policy* policy, const std::string& doc) {
  kimitsu_scanner* scanner = nullptr;
  if (kimitsu_scanner_new(&scanner) != KIMITSU_OK) return st.SkipWithError("kimitsu_scanner_new");
  const kimitsu_result* result = nullptr;
  if (doc.size() <= kMB) kimitsu_scanner_scan(scanner, policy, doc.data(), doc.size(), nullptr, &result);
  for (auto _ : st) {
    if (kimitsu_scanner_scan(scanner, policy, doc.data(), doc.size(), nullptr, &result) != KIMITSU_OK) {
      st.SkipWithError("kimitsu_scanner_scan failed");
      break;
    }
    benchmark::DoNotOptimize(result);
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * doc.size()));
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations()));  // documents/s
  if (result) {
    st.counters["findings"] = static_cast<double>(kimitsu_result_total_findings(result));
    st.counters["tier"] = static_cast<double>(kimitsu_result_tier_index(result));
    st.counters["flags"] = static_cast<double>(kimitsu_result_flags(result));
  }
  kimitsu_scanner_free(scanner);
}

// The default policy's text through kimitsu_policy_compile (YAML parse
// included). Not kimitsu_policy_default, which compiles once per process and
// hands out the same policy afterwards.
kimitsu_status CompileDefaultText(kimitsu_policy** out) {
  std::string_view text = policy::DefaultPolicyText();
  return kimitsu_policy_compile(text.data(), text.size(), out, nullptr);
}

void BM_Compile(State& st) {
  int64_t live = 0;
  for (auto _ : st) {
    int64_t before = LiveHeapBytes();
    kimitsu_policy* p = nullptr;
    if (CompileDefaultText(&p) != KIMITSU_OK) return st.SkipWithError("kimitsu_policy_compile");
    live = LiveHeapBytes() - before;
    kimitsu_policy_free(p);
  }
  const match::CompiledPolicy& compiled = DefaultPolicy();
  st.counters["rules"] = static_cast<double>(compiled.rules().size());
  st.counters["program_size_MB"] = static_cast<double>(compiled.ProgramSize()) / kMB;
  st.counters["heap_MB"] = static_cast<double>(live) / kMB;
}

void BM_E2E(State& st, Mix mix, size_t size) {
  const std::string& doc = Doc(mix, size);
  st.counters["items_inserted"] = static_cast<double>(DocStats(mix, size).items);
  ScanLoop(st, DefaultCapiPolicy(), doc);
}

void BM_E2EJapaneseSjis(State& st, size_t size) { ScanLoop(st, DefaultCapiPolicy(), JapaneseSjisDoc(size)); }

// Prose alone, no numbers, no logs (UTF-8): where the window gate skips most windows.
void BM_E2EJapanese(State& st, size_t size) { ScanLoop(st, DefaultCapiPolicy(), JapaneseDoc(size)); }
void BM_E2EEnglish(State& st, size_t size) { ScanLoop(st, DefaultCapiPolicy(), EnglishDoc(size)); }

// kimitsu_scan without a scanner: what a caller that does not reuse one pays.
void BM_E2EOneShot(State& st, Mix mix, size_t size) {
  const std::string& doc = Doc(mix, size);
  for (auto _ : st) {
    kimitsu_result* result = nullptr;
    if (kimitsu_scan(DefaultCapiPolicy(), doc.data(), doc.size(), nullptr, &result) != KIMITSU_OK) {
      st.SkipWithError("kimitsu_scan failed");
      break;
    }
    kimitsu_result_free(result);
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * doc.size()));
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations()));
}

// The first scan with a newly compiled policy and a new scanner: RE2 builds
// its DFA states as it meets them, so a process that scans a few documents
// pays this, not the steady-state figure. (Compiling is not timed.)
void BM_FirstScan(State& st, Mix mix, size_t size) {
  const std::string& doc = Doc(mix, size);
  for (auto _ : st) {
    st.PauseTiming();
    kimitsu_policy* policy = nullptr;
    if (CompileDefaultText(&policy) != KIMITSU_OK) return st.SkipWithError("compile failed");
    kimitsu_scanner* scanner = nullptr;
    kimitsu_scanner_new(&scanner);
    const kimitsu_result* result = nullptr;
    st.ResumeTiming();
    kimitsu_scanner_scan(scanner, policy, doc.data(), doc.size(), nullptr, &result);
    st.PauseTiming();
    kimitsu_scanner_free(scanner);
    kimitsu_policy_free(policy);
    st.ResumeTiming();
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * doc.size()));
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations()));
}

// One policy shared by every thread, one scanner per thread. cpu_share is
// the fraction of a core each thread actually got (its CPU time over the
// wall-clock time of its loop): on a machine busy with other work it falls
// below 1, and the wall-clock throughput with it.
void BM_Threads(State& st, Mix mix, size_t size) {
  const std::string& doc = Doc(mix, size);
  const kimitsu_policy* policy = DefaultCapiPolicy();
  kimitsu_scanner* scanner = nullptr;
  kimitsu_scanner_new(&scanner);
  const kimitsu_result* result = nullptr;
  kimitsu_scanner_scan(scanner, policy, doc.data(), doc.size(), nullptr, &result);
  auto thread_cpu = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  };
  double cpu0 = thread_cpu();
  auto wall0 = std::chrono::steady_clock::now();
  for (auto _ : st) {
    kimitsu_scanner_scan(scanner, policy, doc.data(), doc.size(), nullptr, &result);
    benchmark::DoNotOptimize(result);
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  double cpu = thread_cpu() - cpu0;
  st.counters["cpu_share"] = Counter(wall > 0 ? cpu / wall : 0, Counter::kAvgThreads);
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * doc.size()));
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations()));
  kimitsu_scanner_free(scanner);
}

// Allocations per scan of a scanner in steady state (after three scans of
// the same document): operator new calls, and ICU's own allocations.
void BM_Allocations(State& st, Mix mix, size_t size) {
  const std::string& doc = Doc(mix, size);
  const kimitsu_policy* policy = DefaultCapiPolicy();
  kimitsu_scanner* scanner = nullptr;
  kimitsu_scanner_new(&scanner);
  const kimitsu_result* result = nullptr;
  for (int i = 0; i < 3; ++i) kimitsu_scanner_scan(scanner, policy, doc.data(), doc.size(), nullptr, &result);
  AllocCounts before = ThreadAllocCounts();
  for (auto _ : st) {
    kimitsu_scanner_scan(scanner, policy, doc.data(), doc.size(), nullptr, &result);
  }
  AllocCounts after = ThreadAllocCounts();
  double n = static_cast<double>(st.iterations());
  st.counters["allocs_per_scan"] = static_cast<double>(after.new_calls - before.new_calls) / n;
  st.counters["alloc_bytes_per_scan"] = static_cast<double>(after.new_bytes - before.new_bytes) / n;
  st.counters["icu_allocs_per_scan"] = static_cast<double>(after.icu_calls - before.icu_calls) / n;
  st.counters["findings"] = static_cast<double>(kimitsu_result_total_findings(result));
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * doc.size()));
  kimitsu_scanner_free(scanner);
}

// Resident memory, in KiB, from /proc/self/status ("VmRSS", "VmHWM").
long ProcStatusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  size_t n = std::strlen(field);
  while (std::getline(in, line)) {
    if (line.compare(0, n, field) == 0 && line.size() > n && line[n] == ':') return std::stol(line.substr(n + 1));
  }
  return -1;
}

// Resets the peak (VmHWM) to the current RSS (Linux >= 4.0).
bool ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

// Peak resident memory of one scan of a `size` document, above what the
// process held before: with `fresh_policy`, compiling the default policy and
// filling RE2's caches count too; else the policy is compiled and warm and
// only a new scanner and its scan count. The input itself is not counted.
void BM_PeakRss(State& st, size_t size, bool fresh_policy) {
  const std::string& doc = Doc(Mix::kMixed, size);
  if (!fresh_policy) {
    // Warm the shared policy's RE2 caches first, as a long-running process has them.
    const std::string& warmup = Doc(Mix::kMixed, kMB);
    kimitsu_scanner* scanner = nullptr;
    kimitsu_scanner_new(&scanner);
    const kimitsu_result* result = nullptr;
    kimitsu_scanner_scan(scanner, DefaultCapiPolicy(), warmup.data(), warmup.size(), nullptr, &result);
    kimitsu_scanner_free(scanner);
  }
  double delta_mb = 0, peak_mb = 0;
  for (auto _ : st) {
    st.PauseTiming();
    const kimitsu_policy* warm = fresh_policy ? nullptr : DefaultCapiPolicy();
    malloc_trim(0);
    if (!ResetPeakRss()) return st.SkipWithError("cannot reset the peak RSS (/proc/self/clear_refs)");
    long before = ProcStatusKb("VmRSS");
    st.ResumeTiming();
    kimitsu_policy* fresh = nullptr;
    if (fresh_policy) CompileDefaultText(&fresh);
    kimitsu_scanner* scanner = nullptr;
    kimitsu_scanner_new(&scanner);
    const kimitsu_result* result = nullptr;
    kimitsu_scanner_scan(scanner, fresh ? fresh : warm, doc.data(), doc.size(), nullptr, &result);
    long peak = ProcStatusKb("VmHWM");
    kimitsu_scanner_free(scanner);
    kimitsu_policy_free(fresh);
    delta_mb = static_cast<double>(peak - before) / 1024.0;
    peak_mb = static_cast<double>(peak) / 1024.0;
  }
  st.counters["rss_delta_MB"] = delta_mb;
  st.counters["rss_peak_MB"] = peak_mb;
  st.counters["input_MB"] = static_cast<double>(doc.size()) / kMB;
}

constexpr Mix kMixes[] = {Mix::kMixed, Mix::kClean, Mix::kDense};
constexpr size_t kSizes[] = {kKB, 64 * kKB, kMB, 64 * kMB};

}  // namespace

void RegisterRssBenchmarks() {
  for (size_t size : {kMB, 64 * kMB}) {
    for (bool fresh : {true, false}) {
      std::string name = std::string("rss/") + (fresh ? "compile+scan" : "scan") + "/mixed/" + SizeName(size);
      benchmark::RegisterBenchmark(name.c_str(), BM_PeakRss, size, fresh)->Iterations(1)->Unit(benchmark::kMillisecond);
    }
  }
}

// Rows the targets are judged on run three times; the JSON keeps their
// mean, median and standard deviation.
benchmark::internal::Benchmark* Repeated(benchmark::internal::Benchmark* b) {
  return b->Repetitions(3)->ReportAggregatesOnly(true);
}

void RegisterE2EBenchmarks() {
  benchmark::RegisterBenchmark("compile/default", BM_Compile)->Unit(benchmark::kMillisecond);
  for (Mix mix : kMixes) {
    for (size_t size : kSizes) {
      std::string name = "e2e/kimitsu/" + std::string(MixName(mix)) + "/" + SizeName(size);
      auto* b = benchmark::RegisterBenchmark(name.c_str(), BM_E2E, mix, size);
      b->Unit(size >= kMB ? benchmark::kMillisecond : benchmark::kMicrosecond);
      if (size > kMB) {
        b->Iterations(2);
      } else if (mix == Mix::kMixed) {
        Repeated(b);
      }
    }
  }
  benchmark::RegisterBenchmark("e2e/kimitsu/japanese_sjis/1MB", BM_E2EJapaneseSjis, kMB)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("e2e/kimitsu/japanese_prose/1MB", BM_E2EJapanese, kMB)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("e2e/kimitsu/english_prose/1MB", BM_E2EEnglish, kMB)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("e2e/kimitsu_oneshot/mixed/64KB", BM_E2EOneShot, Mix::kMixed, 64 * kKB)
      ->Unit(benchmark::kMicrosecond);
  for (size_t size : {64 * kKB, kMB}) {
    std::string name = "e2e/kimitsu_first_scan/mixed/" + SizeName(size);
    benchmark::RegisterBenchmark(name.c_str(), BM_FirstScan, Mix::kMixed, size)->Unit(benchmark::kMillisecond);
  }
  Repeated(benchmark::RegisterBenchmark("threads/kimitsu/mixed/1MB", BM_Threads, Mix::kMixed, kMB)
               ->Threads(1)
               ->Threads(2)
               ->UseRealTime()
               ->Unit(benchmark::kMillisecond));
  for (auto [mix, size] : {std::pair{Mix::kClean, 64 * kKB}, std::pair{Mix::kClean, kMB},
                           std::pair{Mix::kMixed, 64 * kKB}, std::pair{Mix::kMixed, kMB},
                           std::pair{Mix::kDense, 64 * kKB}}) {
    std::string name = "allocs/kimitsu/" + std::string(MixName(mix)) + "/" + SizeName(size);
    benchmark::RegisterBenchmark(name.c_str(), BM_Allocations, mix, size)->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace kimitsu::bench
