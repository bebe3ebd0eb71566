#include "alloc_count.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <malloc.h>
#include <unicode/uclean.h>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <new>

namespace kimitsu::bench {
namespace {

thread_local AllocCounts t_counts;
std::atomic<int64_t> g_live_bytes{0};

constexpr int kTraceDepth = 24;
constexpr int kTraceMax = 256;
struct Trace {
  void* frames[kTraceDepth];
  int depth;
  size_t bytes;
  bool icu;
};
Trace g_traces[kTraceMax];
int g_trace_count = 0;
thread_local bool t_tracing = false;

void Record(size_t bytes, bool icu) {
  if (!t_tracing || g_trace_count >= kTraceMax) return;
  t_tracing = false;  // backtrace() must not recurse into this
  Trace& t = g_traces[g_trace_count++];
  t.depth = backtrace(t.frames, kTraceDepth);
  t.bytes = bytes;
  t.icu = icu;
  t_tracing = true;
}

void* Allocate(size_t n, size_t align) {
  if (n == 0) n = 1;
  void* p = nullptr;
  if (align <= alignof(std::max_align_t)) {
    p = std::malloc(n);
  } else if (posix_memalign(&p, align, n) != 0) {
    p = nullptr;
  }
  if (p) {
    Record(n, false);
    ++t_counts.new_calls;
    t_counts.new_bytes += n;
    g_live_bytes.fetch_add(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  }
  return p;
}

void Release(void* p) noexcept {
  if (!p) return;
  g_live_bytes.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}

void* AllocateOrThrow(size_t n, size_t align) {
  void* p = Allocate(n, align);
  if (!p) throw std::bad_alloc();
  return p;
}

void* U_CALLCONV IcuAlloc(const void*, size_t n) {
  Record(n, true);
  ++t_counts.icu_calls;
  t_counts.icu_bytes += n;
  return std::malloc(n ? n : 1);
}
void* U_CALLCONV IcuRealloc(const void*, void* p, size_t n) {
  Record(n, true);
  ++t_counts.icu_calls;
  t_counts.icu_bytes += n;
  return std::realloc(p, n ? n : 1);
}
void U_CALLCONV IcuFree(const void*, void* p) { std::free(p); }

}  // namespace

AllocCounts ThreadAllocCounts() { return t_counts; }

int64_t LiveHeapBytes() { return g_live_bytes.load(std::memory_order_relaxed); }

void StartAllocTrace() {
  void* warm[2];
  backtrace(warm, 2);  // loads the unwinder now, not inside operator new
  g_trace_count = 0;
  t_tracing = true;
}

namespace {
// "function (file:line)" of each frame, one line per frame, via addr2line.
std::string Symbolize(const Trace& t) {
  std::string out;
  for (int i = 2; i < t.depth; ++i) {  // skip Record and Allocate
    Dl_info info;
    if (!dladdr(t.frames[i], &info) || !info.dli_fname) continue;
    uintptr_t offset = reinterpret_cast<uintptr_t>(t.frames[i]) - reinterpret_cast<uintptr_t>(info.dli_fbase) - 1;
    char cmd[1024];
    std::snprintf(cmd, sizeof cmd, "addr2line -f -C -p -e '%s' 0x%lx 2>/dev/null", info.dli_fname,
                  static_cast<unsigned long>(offset));
    std::string line;
    if (FILE* f = popen(cmd, "r")) {
      char buf[1024];
      while (std::fgets(buf, sizeof buf, f)) line += buf;
      pclose(f);
    }
    if (line.empty() || line.rfind("??", 0) == 0) {
      line = std::string(info.dli_sname ? info.dli_sname : "?") + " in " + info.dli_fname + "\n";
    }
    out += "    " + line;
    if (line.find("kimitsu_scanner_scan") != std::string::npos) break;
  }
  return out;
}
}  // namespace

void StopAllocTrace() {
  t_tracing = false;
  std::map<std::string, std::pair<int, size_t>> stacks;
  for (int i = 0; i < g_trace_count; ++i) {
    auto& entry = stacks[(g_traces[i].icu ? "  ICU allocation\n" : "  operator new\n") + Symbolize(g_traces[i])];
    ++entry.first;
    entry.second += g_traces[i].bytes;
  }
  std::fprintf(stderr, "%d allocations%s\n", g_trace_count, g_trace_count >= kTraceMax ? " (at least)" : "");
  for (const auto& [stack, n] : stacks) {
    std::fprintf(stderr, "%d x, %zu bytes:\n%s\n", n.first, n.second, stack.c_str());
  }
}

bool InstallIcuAllocHooks() {
  UErrorCode status = U_ZERO_ERROR;
  u_setMemoryFunctions(nullptr, IcuAlloc, IcuRealloc, IcuFree, &status);
  return U_SUCCESS(status);
}

}  // namespace kimitsu::bench

using kimitsu::bench::AllocateOrThrow;
using kimitsu::bench::Release;

void* operator new(size_t n) { return AllocateOrThrow(n, 0); }
void* operator new[](size_t n) { return AllocateOrThrow(n, 0); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return kimitsu::bench::Allocate(n, 0); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return kimitsu::bench::Allocate(n, 0); }
void* operator new(size_t n, std::align_val_t a) { return AllocateOrThrow(n, static_cast<size_t>(a)); }
void* operator new[](size_t n, std::align_val_t a) { return AllocateOrThrow(n, static_cast<size_t>(a)); }
void* operator new(size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return kimitsu::bench::Allocate(n, static_cast<size_t>(a));
}
void* operator new[](size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return kimitsu::bench::Allocate(n, static_cast<size_t>(a));
}
void operator delete(void* p) noexcept { Release(p); }
void operator delete[](void* p) noexcept { Release(p); }
void operator delete(void* p, size_t) noexcept { Release(p); }
void operator delete[](void* p, size_t) noexcept { Release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { Release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { Release(p); }
void operator delete(void* p, std::align_val_t) noexcept { Release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { Release(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { Release(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { Release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { Release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { Release(p); }
