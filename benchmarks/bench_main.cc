// kimitsu_bench: the benchmark suite (see benchmarks/RESULTS.md for how to
// run it and what it found).
//
//   kimitsu_bench [Google Benchmark flags]
//   kimitsu_bench --dump_corpus=mixed|clean|dense:BYTES   writes a corpus document to stdout
//   kimitsu_bench --probe_generated=RULES[:SET_MAX_MEM_MIB]  compiles a generated policy, scans 1 MB
//   kimitsu_bench --trace_allocs=MIX:BYTES    where a steady-state scan allocates (call stacks)
//   kimitsu_bench --profile_scan=MIX:BYTES:N  N scans and nothing else, for perf or callgrind
//   kimitsu_bench --findings=MIX:BYTES        what the default policy finds in a corpus document
//
// Groups run in this order: rss, compile/default, e2e, threads, allocs,
// stage, ref, scale + compile/generated. The run's context (in the JSON
// output) also records the corpus, Hyperscan's version and the patterns it
// rejected, and what FilteredRE2 would make of the default policy.
#include <re2/filtered_re2.h>
#include <sys/resource.h>

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#ifdef KIMITSU_BENCH_HYPERSCAN
#include <hs.h>
#endif

#include "alloc_count.h"
#include "bench.h"
#include "fixtures.h"
#include "match/scanner.h"
#include "policy/loader.h"

namespace kimitsu::bench {
namespace {

int DumpCorpus(const char* spec) {
  std::string s = spec;
  size_t colon = s.find(':');
  if (colon == std::string::npos) return 2;
  std::string mix = s.substr(0, colon);
  size_t bytes = std::stoull(s.substr(colon + 1));
  Mix m = mix == "clean" ? Mix::kClean : mix == "dense" ? Mix::kDense : Mix::kMixed;
  std::string doc = GenerateCorpus(m, bytes);
  std::fwrite(doc.data(), 1, doc.size(), stdout);
  return 0;
}

// Compiles the generated policy of N rules with a prefilter budget of M MiB
// and scans the 1 MB mixed document once: how large a policy fits.
int ProbeGenerated(const char* spec) {
  size_t rules = std::stoull(spec);
  const char* colon = std::strchr(spec, ':');
  int64_t mib = colon ? std::stoll(colon + 1) : 64;
  std::string yaml = GeneratedPolicyYaml(rules);
  match::CompileOptions options;
  options.set_max_mem = mib << 20;
  policy::PolicyError error;
  auto t0 = std::chrono::steady_clock::now();
  auto compiled = match::CompiledPolicy::FromText(yaml, "<generated>", options, &error);
  double compile_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!compiled) {
    std::printf("rules=%zu set_max_mem=%lldMiB: compile failed after %.0f ms: %s\n", rules,
                static_cast<long long>(mib), compile_ms, error.ToString().c_str());
    return 1;
  }
  match::Scanner scanner;
  match::ScanResult result;
  const std::string& doc = Doc(Mix::kMixed, kMB);
  for (int i = 0; i < 2; ++i) {
    auto t1 = std::chrono::steady_clock::now();
    scanner.Scan(*compiled, doc, {}, &result).IgnoreError();
    double scan_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count();
    std::printf("rules=%zu set_max_mem=%lldMiB: compiled in %.0f ms, program %.1f MB; scan %d of 1 MB: %.1f ms, flags %u\n",
                rules, static_cast<long long>(mib), compile_ms, static_cast<double>(compiled->ProgramSize()) / kMB,
                i + 1, scan_ms, result.flags);
  }
  return 0;
}

// Scans a corpus document four times with one scanner, tracing the
// allocations of the fourth scan (steady state): where they come from.
int TraceAllocations(const char* spec) {
  std::string s = spec;
  size_t colon = s.find(':');
  std::string mix = s.substr(0, colon);
  size_t bytes = colon == std::string::npos ? 65536 : std::stoull(s.substr(colon + 1));
  Mix m = mix == "clean" ? Mix::kClean : mix == "dense" ? Mix::kDense : Mix::kMixed;
  const std::string& doc = Doc(m, bytes);
  kimitsu_scanner* scanner = nullptr;
  kimitsu_scanner_new(&scanner);
  const kimitsu_result* result = nullptr;
  for (int i = 0; i < 3; ++i) kimitsu_scanner_scan(scanner, DefaultCapiPolicy(), doc.data(), doc.size(), nullptr, &result);
  StartAllocTrace();
  kimitsu_scanner_scan(scanner, DefaultCapiPolicy(), doc.data(), doc.size(), nullptr, &result);
  StopAllocTrace();
  kimitsu_scanner_free(scanner);
  return 0;
}

// For profilers: warms the default policy with kimitsu_scan, then scans a
// corpus document N times with kimitsu_scanner_scan and nothing else, e.g.
//   valgrind --tool=callgrind --toggle-collect=kimitsu_scanner_scan kimitsu_bench --profile_scan=mixed:1048576:5
int ProfileScan(const char* spec) {
  std::string s = spec;
  size_t c1 = s.find(':');
  size_t c2 = c1 == std::string::npos ? c1 : s.find(':', c1 + 1);
  std::string mix = s.substr(0, c1);
  size_t bytes = c1 == std::string::npos ? kMB : std::stoull(s.substr(c1 + 1, c2 - c1 - 1));
  int n = c2 == std::string::npos ? 10 : std::stoi(s.substr(c2 + 1));
  Mix m = mix == "clean" ? Mix::kClean : mix == "dense" ? Mix::kDense : Mix::kMixed;
  const std::string& doc = Doc(m, bytes);
  kimitsu_result* warm = nullptr;
  kimitsu_scan(DefaultCapiPolicy(), doc.data(), doc.size(), nullptr, &warm);
  kimitsu_result_free(warm);
  kimitsu_scanner* scanner = nullptr;
  kimitsu_scanner_new(&scanner);
  const kimitsu_result* result = nullptr;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) kimitsu_scanner_scan(scanner, DefaultCapiPolicy(), doc.data(), doc.size(), nullptr, &result);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%d scans of %zu bytes (%s): %.2f ms each, %llu findings\n", n, doc.size(), mix.c_str(), ms / n,
              static_cast<unsigned long long>(kimitsu_result_total_findings(result)));
  kimitsu_scanner_free(scanner);
  return 0;
}

// What the default policy finds in a corpus document: per rule, how many
// findings and the first one (unmasked), to check what the corpus holds.
int ListFindings(const char* spec) {
  std::string s = spec;
  size_t colon = s.find(':');
  std::string mix = s.substr(0, colon);
  size_t bytes = colon == std::string::npos ? kMB : std::stoull(s.substr(colon + 1));
  Mix m = mix == "clean" ? Mix::kClean : mix == "dense" ? Mix::kDense : Mix::kMixed;
  const std::string& doc = Doc(m, bytes);
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.flags = KIMITSU_SCAN_EXCERPTS | KIMITSU_SCAN_UNMASKED;
  options.max_findings = 1000000;
  kimitsu_result* result = nullptr;
  if (kimitsu_scan(DefaultCapiPolicy(), doc.data(), doc.size(), &options, &result) != KIMITSU_OK) return 1;
  std::map<std::string, std::pair<size_t, std::string>> rules;
  for (size_t i = 0; i < kimitsu_result_finding_count(result); ++i) {
    kimitsu_finding f = KIMITSU_FINDING_INIT;
    kimitsu_result_finding(result, i, &f);
    auto& r = rules[f.rule];
    if (r.first++ == 0) r.second = "line " + std::to_string(f.line) + ": " + std::string(f.excerpt, f.excerpt_len);
  }
  std::printf("%s, %zu bytes: tier %s, %llu findings\n", mix.c_str(), doc.size(), kimitsu_result_tier(result),
              static_cast<unsigned long long>(kimitsu_result_total_findings(result)));
  for (const auto& [rule, r] : rules) std::printf("  %-32s %6zu  first at %s\n", rule.c_str(), r.first, r.second.c_str());
  kimitsu_result_free(result);
  return 0;
}

// What FilteredRE2 (literal atoms, min length 3) would make of the default
// policy: how many atoms, and which rules have none and so would always run.
void DescribeFilteredRe2() {
  re2::FilteredRE2 filtered(3);
  for (const ExportedPattern& p : DefaultPatterns()) {
    RE2::Options o;
    o.set_case_sensitive(!p.caseless);
    o.set_log_errors(false);
    int id;
    filtered.Add(p.pattern, o, &id);
  }
  std::vector<std::string> atoms;
  filtered.Compile(&atoms);
  std::vector<int> unfiltered;
  filtered.AllPotentials({}, &unfiltered);
  std::string names;
  for (int r : unfiltered) names += (names.empty() ? "" : " ") + DefaultPatterns()[static_cast<size_t>(r)].rule_id;
  benchmark::AddCustomContext("filtered_re2_atoms", std::to_string(atoms.size()));
  benchmark::AddCustomContext("filtered_re2_unfiltered_rules",
                              std::to_string(unfiltered.size()) + " of " + std::to_string(DefaultPatterns().size()) +
                                  ": " + names);
}

// Which rules the prefilter fires, and in how many 64 KiB chunks, on the
// 1 MB mixed document: the rules whose extraction re-scans whole chunks.
void DescribeFiredRules(size_t size) {
  const std::string& text = NormalizedDoc(Mix::kMixed, size);
  const match::CompiledPolicy& policy = DefaultPolicy();
  std::vector<size_t> count(policy.rules().size());
  std::vector<int> fired;
  size_t chunks = 0;
  for (size_t pos = 0; pos < text.size(); pos += 64 * kKB, ++chunks) {
    size_t end = std::min(text.size(), pos + 64 * kKB);
    fired.clear();
    policy.prefilter().Match(re2::StringPiece(text.data() + pos, end - pos), &fired, nullptr);
    for (int r : fired) ++count[static_cast<size_t>(r)];
  }
  std::string s;
  for (size_t r = 0; r < count.size(); ++r) {
    if (count[r]) s += (s.empty() ? "" : " ") + policy.rules()[r].spec->id + ":" + std::to_string(count[r]);
  }
  benchmark::AddCustomContext("prefilter_fired_mixed_" + SizeName(size),
                              "of " + std::to_string(chunks) + " chunks: " + s);
}

void DescribeRun(bool icu_hooks) {
  benchmark::AddCustomContext("kimitsu_version", kimitsu_version());
  benchmark::AddCustomContext("corpus_seed", std::to_string(kCorpusSeed));
  benchmark::AddCustomContext("icu_alloc_hooks", icu_hooks ? "installed" : "not installed (ICU already in use)");
  benchmark::AddCustomContext("default_policy_rules", std::to_string(DefaultPolicy().rules().size()));
  const CorpusStats& s = DocStats(Mix::kMixed, kMB);
  double total = static_cast<double>(s.english_bytes + s.japanese_bytes + s.table_bytes);
  char mix[200];
  std::snprintf(mix, sizeof mix, "english %.1f%%, japanese %.1f%%, csv/log %.1f%%, %zu sensitive items",
                100.0 * static_cast<double>(s.english_bytes) / total, 100.0 * static_cast<double>(s.japanese_bytes) / total,
                100.0 * static_cast<double>(s.table_bytes) / total, s.items);
  benchmark::AddCustomContext("corpus_mixed_1MB", mix);
  DescribeFilteredRe2();
  DescribeFiredRules(64 * kKB);
  DescribeFiredRules(kMB);
#ifdef KIMITSU_BENCH_HYPERSCAN
  benchmark::AddCustomContext("hyperscan_version", hs_version());
  const HyperscanReference& hs = HyperscanFor(0);
  std::string rejected;
  for (const std::string& r : hs.rejected()) rejected += (rejected.empty() ? "" : "; ") + r;
  benchmark::AddCustomContext("hyperscan_rejected_default", rejected.empty() ? "none" : rejected);
  for (const std::string& r : hs.rejected()) std::fprintf(stderr, "hyperscan rejected (default policy): %s\n", r.c_str());
#else
  benchmark::AddCustomContext("hyperscan_version", "not built (libhs not found at configure time)");
#endif
}

}  // namespace
}  // namespace kimitsu::bench

int main(int argc, char** argv) {
  using namespace kimitsu::bench;
  // Before anything touches ICU.
  bool icu_hooks = InstallIcuAllocHooks();
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--dump_corpus=", 14) == 0) return DumpCorpus(argv[i] + 14);
    if (std::strncmp(argv[i], "--probe_generated=", 18) == 0) return ProbeGenerated(argv[i] + 18);
    if (std::strncmp(argv[i], "--trace_allocs=", 15) == 0) return TraceAllocations(argv[i] + 15);
    if (std::strncmp(argv[i], "--profile_scan=", 15) == 0) return ProfileScan(argv[i] + 15);
    if (std::strncmp(argv[i], "--findings=", 11) == 0) return ListFindings(argv[i] + 11);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  DescribeRun(icu_hooks);
  RegisterRssBenchmarks();
  RegisterE2EBenchmarks();
  RegisterStageBenchmarks();
  RegisterReferenceBenchmarks();
  RegisterScalingBenchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::fprintf(stderr, "kimitsu_bench: peak RSS of the whole run %.1f MB\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
  return 0;
}
