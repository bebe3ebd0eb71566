#!/usr/bin/env bash
# Builds and runs the kimitsu benchmark suite.
#
#   bash benchmarks/run.sh            the full suite (~10 minutes on 2 cores)
#   bash benchmarks/run.sh --quick    a smoke run: short timings, no 64 MB or 10,000-rule rows
#   bash benchmarks/run.sh [--quick] --benchmark_filter=REGEX   (any Google Benchmark flag)
#
# Configures a Release build in build-bench/ (KIMITSU_BUILD_BENCHMARKS=ON,
# tests off), builds kimitsu_bench, runs it with JSON output to
# benchmarks/results/<date>.json (quick runs: <date>-quick.json), then
# benchmarks/report.py writes the summary tables to <date>.md and the plot of
# throughput against rule count to <date>-scaling.png. Installs what it needs
# besides scripts/setup's packages: libhyperscan-dev (the Hyperscan rows) and
# python3-matplotlib (the plot).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/setup" libhyperscan-dev python3-matplotlib
build="$root/build-bench"
results="$root/benchmarks/results"

quick=0
args=()
for a in "$@"; do
  if [ "$a" = "--quick" ]; then quick=1; else args+=("$a"); fi
done

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DKIMITSU_BUILD_BENCHMARKS=ON \
  -DKIMITSU_BUILD_TESTS=OFF -DKIMITSU_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target kimitsu_bench

mkdir -p "$results"
stamp="$(date -u +%Y-%m-%d)"
flags=(--benchmark_min_time=0.5)
if ((quick)); then
  stamp="$stamp-quick"
  flags=(--benchmark_min_time=0.05 "--benchmark_filter=-64MB|rules:10000")
fi
out="$results/$stamp.json"

commit="$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$root" status --porcelain -- lib include policies CMakeLists.txt 2>/dev/null | wc -l | tr -d ' ')"
cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1 | tr ',' ' ')"
cores="$(nproc)"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
context="commit=$commit,engine_files_changed_since_commit=$dirty,cpu_model=$cpu,cores=$cores,load_at_start=$load"
# Google Benchmark reads the context as key=value pairs separated by commas:
# an '=' or ',' in the arguments (--benchmark_filter=...) would make it
# reject the flag, so they are written as ':' and ';' there.
command_line="$*"
command_line="${command_line//=/:}"
context+=",command=bash benchmarks/run.sh ${command_line//,/;}"

echo "run.sh: kimitsu_bench -> $out" >&2
start=$(date +%s)
"$build/bin/kimitsu_bench" "${flags[@]}" --benchmark_out="$out" --benchmark_out_format=json \
  "--benchmark_context=$context" "${args[@]}"
echo "run.sh: the suite took $(( $(date +%s) - start )) s" >&2

python=/usr/bin/python3
[ -x "$python" ] || python=python3
"$python" "$root/benchmarks/report.py" "$out" --plot "$results/$stamp-scaling.png" >"$results/$stamp.md"
echo "run.sh: summary in $results/$stamp.md, plot in $results/$stamp-scaling.png" >&2
