// Registration of the benchmark groups, in the order bench_main.cc runs them.
#ifndef KIMITSU_BENCHMARKS_BENCH_H_
#define KIMITSU_BENCHMARKS_BENCH_H_

namespace kimitsu::bench {

void RegisterRssBenchmarks();        // bench_e2e.cc
void RegisterE2EBenchmarks();        // bench_e2e.cc
void RegisterStageBenchmarks();      // bench_stages.cc
void RegisterReferenceBenchmarks();  // bench_references.cc
void RegisterScalingBenchmarks();    // bench_references.cc

}  // namespace kimitsu::bench

#endif  // KIMITSU_BENCHMARKS_BENCH_H_
