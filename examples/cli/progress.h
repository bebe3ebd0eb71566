// The progress line of `kimitsu scan` on stderr (only when stderr is a
// terminal): files done/total, throughput and time left, rewritten in place
// with \r at most ten times a second and cleared at the end.
#ifndef KIMITSU_CLI_PROGRESS_H_
#define KIMITSU_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>

namespace kimitsu_cli {

class Progress {
 public:
  Progress(bool enabled, uint64_t total_files, uint64_t total_bytes);
  ~Progress() { Clear(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Update(uint64_t files_done, uint64_t bytes_done);
  // Erases the line (once).
  void Clear();

 private:
  bool enabled_;
  bool shown_ = false;
  uint64_t total_files_;
  uint64_t total_bytes_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace kimitsu_cli

#endif  // KIMITSU_CLI_PROGRESS_H_
