#include "progress.h"

#include <cstdio>

namespace kimitsu_cli {

Progress::Progress(bool enabled, uint64_t total_files, uint64_t total_bytes)
    : enabled_(enabled),
      total_files_(total_files),
      total_bytes_(total_bytes),
      started_(std::chrono::steady_clock::now()),
      last_(started_) {}

void Progress::Update(uint64_t files_done, uint64_t bytes_done) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  double elapsed = std::chrono::duration<double>(now - started_).count();
  double rate = elapsed > 0 ? bytes_done / elapsed : 0;  // bytes per second
  char eta[32] = "--:--";
  if (rate > 0 && total_bytes_ >= bytes_done) {
    auto left = static_cast<unsigned long long>((total_bytes_ - bytes_done) / rate);
    std::snprintf(eta, sizeof eta, "%llu:%02llu", left / 60, left % 60);
  }
  std::fprintf(stderr, "\r\x1b[K%llu/%llu files  %.1f MB/s  ETA %s", static_cast<unsigned long long>(files_done),
               static_cast<unsigned long long>(total_files_), rate / 1e6, eta);
  std::fflush(stderr);
  shown_ = true;
}

void Progress::Clear() {
  if (!shown_) return;
  std::fprintf(stderr, "\r\x1b[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace kimitsu_cli
