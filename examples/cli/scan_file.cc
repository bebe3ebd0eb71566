#include "scan_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "text.h"

namespace kimitsu_cli {
namespace {

// Closes a descriptor it opened (never stdin).
class Fd {
 public:
  Fd(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~Fd() {
    if (owned_ && fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
  bool owned_;
};

// Opens a file for reading without blocking (a fifo put in place of a file
// after the walk must not hang the scan) and, when the caller may, without
// updating its access time (evidence stays as it was found).
int OpenForReading(const std::string& path) {
  int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
#ifdef O_NOATIME
  int fd = open(path.c_str(), flags | O_NOATIME);
  if (fd >= 0 || errno != EPERM) return fd;
#endif
  return open(path.c_str(), flags);
}

// Reads up to `len` bytes, retrying interrupted and partial reads. Returns
// the bytes read (less than `len` only at end of file), or -1 with errno.
ssize_t ReadFull(int fd, char* data, size_t len) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = read(fd, data + done, len - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

FileRecord ErrorRecord(const std::string& path, std::string error) {
  FileRecord r;
  r.path = path;
  r.error = std::move(error);
  return r;
}

// Copies what the reports need out of `result`.
void CopyResult(const kimitsu_result* result, const Policy& policy, FileRecord& r) {
  r.scanned = true;
  r.tier = kimitsu_result_tier_index(result);
  r.score = kimitsu_result_score(result);
  r.scores.assign(policy.tiers.size(), 0.0);
  for (size_t t = 0; t < policy.tiers.size(); ++t) kimitsu_result_tier_score(result, t, &r.scores[t]);
  r.bytes = kimitsu_result_input_bytes(result);
  const char* encoding = kimitsu_result_encoding(result);
  r.encoding = encoding ? encoding : "";
  r.flags = kimitsu_result_flags(result);
  r.total_findings = kimitsu_result_total_findings(result);
  size_t n = kimitsu_result_finding_count(result);
  r.findings.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    kimitsu_finding f = KIMITSU_FINDING_INIT;
    if (kimitsu_result_finding(result, i, &f) != KIMITSU_OK) continue;
    FindingRecord fr;
    fr.rule_index = f.rule_index;
    fr.tier_index = f.tier_index;
    fr.start = f.start;
    fr.end = f.end;
    fr.line = f.line;
    fr.confidence = f.confidence;
    fr.base_confidence = f.base_confidence;
    fr.context_delta = f.context_delta;
    fr.placement = f.placement ? f.placement : "";
    if (f.excerpt) fr.excerpt.assign(f.excerpt, f.excerpt_len);
    r.findings.push_back(std::move(fr));
  }
  for (size_t i = 0; i < policy.rules.size(); ++i) {
    uint64_t count = 0;
    double score = 0;
    if (kimitsu_result_rule(result, i, &count, &score) == KIMITSU_OK && count > 0) {
      r.rules.push_back({i, count, score});
    }
  }
  for (FindingRecord& fr : r.findings) {
    double score = 0;
    fr.scored = kimitsu_result_rule(result, fr.rule_index, nullptr, &score) == KIMITSU_OK && score > 0;
  }
}

// Streams the rest of `fd` after `head` (already read) through a kimitsu_stream.
FileRecord ScanStreamed(const Input& input, int fd, const char* head, size_t head_len, const Policy& policy,
                        const kimitsu_scan_options& options, Worker& worker, std::atomic<uint64_t>* bytes_read) {
  kimitsu_stream* raw = nullptr;
  if (kimitsu_status s = kimitsu_stream_open(policy.handle.get(), &options, &raw); s != KIMITSU_OK) {
    return ErrorRecord(input.path, std::string("cannot scan: ") + kimitsu_status_string(s));
  }
  StreamHandle stream(raw);
  if (head_len > 0) {
    if (kimitsu_status s = kimitsu_stream_write(stream.get(), head, head_len); s != KIMITSU_OK) {
      return ErrorRecord(input.path, std::string("cannot scan: ") + kimitsu_status_string(s));
    }
  }
  if (worker.buffer.size() < kStreamChunk) worker.buffer.resize(kStreamChunk);
  for (;;) {
    ssize_t n = ReadFull(fd, worker.buffer.data(), kStreamChunk);
    if (n < 0) return ErrorRecord(input.path, "read error: " + ErrnoText(errno));
    if (n == 0) break;
    if (bytes_read) *bytes_read += static_cast<uint64_t>(n);
    if (kimitsu_status s = kimitsu_stream_write(stream.get(), worker.buffer.data(), static_cast<size_t>(n));
        s != KIMITSU_OK) {
      return ErrorRecord(input.path, std::string("cannot scan: ") + kimitsu_status_string(s));
    }
    if (static_cast<size_t>(n) < kStreamChunk) break;
  }
  kimitsu_result* result_raw = nullptr;
  if (kimitsu_status s = kimitsu_stream_finish(stream.get(), &result_raw); s != KIMITSU_OK) {
    return ErrorRecord(input.path, std::string("cannot scan: ") + kimitsu_status_string(s));
  }
  ResultHandle result(result_raw);
  FileRecord r;
  r.path = input.path;
  CopyResult(result.get(), policy, r);
  return r;
}

}  // namespace

std::unique_ptr<Worker> NewWorker() {
  kimitsu_scanner* raw = nullptr;
  if (kimitsu_scanner_new(&raw) != KIMITSU_OK) return nullptr;
  auto worker = std::make_unique<Worker>();
  worker->scanner.reset(raw);
  return worker;
}

FileRecord ScanInput(const Input& input, const Policy& policy, const kimitsu_scan_options& options, Worker& worker,
                     std::atomic<uint64_t>* bytes_read) {
  bool is_stdin = input.kind == InputKind::kStdin;
  int raw_fd = is_stdin ? STDIN_FILENO : OpenForReading(input.path);
  if (raw_fd < 0) return ErrorRecord(input.path, "cannot open: " + ErrnoText(errno));
  Fd fd(raw_fd, !is_stdin);

  struct stat st;
  if (fstat(fd.get(), &st) != 0) return ErrorRecord(input.path, "cannot stat: " + ErrnoText(errno));
  bool regular = S_ISREG(st.st_mode);
  if (!is_stdin) {
    if (!regular) return ErrorRecord(input.path, "not a regular file");
    int fl = fcntl(fd.get(), F_GETFL);
    if (fl >= 0) fcntl(fd.get(), F_SETFL, fl & ~O_NONBLOCK);
  }

  // A regular file larger than the limit streams from the start; anything
  // else (small files, stdin) is read up to the limit plus one byte, and
  // streams only if that byte exists.
  if (regular && static_cast<uint64_t>(st.st_size) > kWholeFileLimit) {
#ifdef POSIX_FADV_SEQUENTIAL
    posix_fadvise(fd.get(), 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    return ScanStreamed(input, fd.get(), nullptr, 0, policy, options, worker, bytes_read);
  }
  size_t want = regular ? static_cast<size_t>(st.st_size) + 1 : kWholeFileLimit + 1;
  if (want > kWholeFileLimit + 1) want = kWholeFileLimit + 1;
  if (worker.buffer.size() < want) worker.buffer.resize(want);
  ssize_t n = ReadFull(fd.get(), worker.buffer.data(), want);
  if (n < 0) return ErrorRecord(input.path, "read error: " + ErrnoText(errno));
  size_t len = static_cast<size_t>(n);
  if (bytes_read) *bytes_read += len;
  if (len > kWholeFileLimit) {
    return ScanStreamed(input, fd.get(), worker.buffer.data(), len, policy, options, worker, bytes_read);
  }
  if (len == want && regular) {
    // The file grew after fstat: read on, up to the limit.
    size_t more = kWholeFileLimit + 1 - len;
    if (worker.buffer.size() < kWholeFileLimit + 1) worker.buffer.resize(kWholeFileLimit + 1);
    ssize_t m = ReadFull(fd.get(), worker.buffer.data() + len, more);
    if (m < 0) return ErrorRecord(input.path, "read error: " + ErrnoText(errno));
    len += static_cast<size_t>(m);
    if (bytes_read) *bytes_read += static_cast<uint64_t>(m);
    if (len > kWholeFileLimit) {
      return ScanStreamed(input, fd.get(), worker.buffer.data(), len, policy, options, worker, bytes_read);
    }
  }

  const kimitsu_result* result = nullptr;
  if (kimitsu_status s = kimitsu_scanner_scan(worker.scanner.get(), policy.handle.get(), worker.buffer.data(), len,
                                              &options, &result);
      s != KIMITSU_OK) {
    return ErrorRecord(input.path, std::string("cannot scan: ") + kimitsu_status_string(s));
  }
  FileRecord r;
  r.path = input.path;
  CopyResult(result, policy, r);
  return r;
}

}  // namespace kimitsu_cli
