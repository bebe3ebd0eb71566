// ReDoS timing curves (issue #8): catastrophic-backtracking regexes from the
// literature as kimitsu rules, scanned over attack inputs of growing size.
// RE2 runs them in time linear in the input (the "BigO" rows fit O(N)); a
// backtracking engine (std::regex, ECMAScript) doubles its time with each
// extra character of the same inputs, shown on sizes it can still finish.
//
//   cmake -S . -B build-bench -DKIMITSU_BUILD_BENCHMARKS=ON
//   cmake --build build-bench --target kimitsu_redos_bench
//   build-bench/benchmarks/kimitsu_redos_bench   (or build-bench/bin/...)
#include <benchmark/benchmark.h>

#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include "kimitsu/kimitsu.h"

namespace {

struct Evil {
  const char* name;
  const char* regex;
  char fill;       // the attack is `fill` repeated, then `tail`
  const char* tail;
};

const Evil kEvil[] = {
    {"(a+)+$", "(a+)+$", 'a', "!"},
    {"(a|aa)*b", "(a|aa)*b", 'a', ""},
    {"(.*a){20}", "(.*a){20}", 'x', ""},
    {"(x+x+)+y", "(x+x+)+y", 'x', ""},
    {"^(\\w+\\s?)+$", "^(\\w+\\s?)+$", 'w', "!"},
    {"owasp email",
     "^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$",
     'a', "!"},
};

std::string Attack(const Evil& e, size_t n) { return std::string(n, e.fill) + e.tail; }

kimitsu_policy* CompileRule(const char* regex) {
  std::string quoted;
  for (const char* p = regex; *p; ++p) {
    quoted += *p;
    if (*p == '\'') quoted += '\'';
  }
  std::string text =
      "tiers:\n  - {id: high, threshold: 0.5}\n  - {id: low}\ndefault_tier: low\nrules:\n"
      "  - {id: evil, tier: high, confidence: 0.9, regex: '" + quoted + "'}\n";
  kimitsu_policy* p = nullptr;
  kimitsu_error* e = nullptr;
  if (kimitsu_policy_compile(text.data(), text.size(), &p, &e) != KIMITSU_OK) {
    std::fprintf(stderr, "%s: %s\n", regex, kimitsu_error_message(e));
  }
  kimitsu_error_free(e);
  return p;
}

// kimitsu (RE2) over one attack input of N bytes.
void BM_Kimitsu(benchmark::State& state, const Evil* e) {
  kimitsu_policy* policy = CompileRule(e->regex);
  if (policy == nullptr) {
    state.SkipWithError("does not compile");
    return;
  }
  const std::string input = Attack(*e, static_cast<size_t>(state.range(0)));
  kimitsu_scanner* scanner = nullptr;
  kimitsu_scanner_new(&scanner);
  for (auto _ : state) {
    const kimitsu_result* r = nullptr;
    kimitsu_scanner_scan(scanner, policy, input.data(), input.size(), nullptr, &r);
    benchmark::DoNotOptimize(kimitsu_result_total_findings(r));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(input.size()));
  state.SetComplexityN(state.range(0));
  kimitsu_scanner_free(scanner);
  kimitsu_policy_free(policy);
}

// A backtracking engine over the same inputs, at sizes it still finishes.
void BM_Backtracking(benchmark::State& state, const Evil* e) {
  const std::regex re(e->regex, std::regex::ECMAScript);
  const std::string input = Attack(*e, static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(std::regex_search(input, re));
  state.SetComplexityN(state.range(0));
}

const bool kRegistered = [] {
  for (const Evil& e : kEvil) {
    benchmark::RegisterBenchmark((std::string("ReDoS/kimitsu/") + e.name).c_str(), BM_Kimitsu, &e)
        ->RangeMultiplier(4)
        ->Range(1 << 10, 1 << 20)
        ->Complexity(benchmark::oN)
        ->Unit(benchmark::kMicrosecond);
  }
  // Only the first two: the others take minutes past 20 characters.
  for (const Evil* e : {&kEvil[0], &kEvil[1]}) {
    benchmark::RegisterBenchmark((std::string("ReDoS/backtracking/") + e->name).c_str(), BM_Backtracking, e)
        ->DenseRange(16, 24, 2)
        ->Unit(benchmark::kMicrosecond);
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
