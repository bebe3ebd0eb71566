#include "scan.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "progress.h"
#include "scan_file.h"

namespace kimitsu_cli {
namespace {

FileRecord ErrorRecord(const std::string& path, std::string error) {
  FileRecord r;
  r.path = path;
  r.error = std::move(error);
  return r;
}

// The records of a scan, filled by the workers in any order and taken by the
// delivering thread in input order.
class Slots {
 public:
  explicit Slots(size_t n) : records_(n) {}

  void Put(size_t i, std::unique_ptr<FileRecord> record) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      records_[i] = std::move(record);
    }
    ready_.notify_all();
  }

  // Waits until record i is there, waking at least every `tick` to call
  // `on_tick` (progress). Returns it, leaving the slot empty unless `keep`.
  std::shared_ptr<const FileRecord> Take(size_t i, bool keep, std::chrono::milliseconds tick,
                                         const std::function<void()>& on_tick) {
    std::unique_lock<std::mutex> lock(mu_);
    while (!records_[i]) {
      if (!ready_.wait_for(lock, tick, [&] { return records_[i] != nullptr; })) {
        lock.unlock();
        on_tick();
        lock.lock();
      }
    }
    if (keep) return records_[i];
    std::shared_ptr<const FileRecord> r = std::move(records_[i]);
    return r;
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::vector<std::shared_ptr<FileRecord>> records_;
};

}  // namespace

ScanStats ScanAll(const std::vector<Input>& inputs, const Policy& policy, const ScanSettings& settings,
                  const std::function<void(const FileRecord&)>& deliver) {
  auto started = std::chrono::steady_clock::now();
  const size_t n = inputs.size();

  uint64_t total_bytes = 0;
  std::vector<bool> is_link_target(n, false);
  for (const Input& in : inputs) {
    if (in.kind == InputKind::kFile) total_bytes += in.size;
    if (in.kind == InputKind::kLink) is_link_target[in.link_index] = true;
  }

  Slots slots(n);
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::atomic<uint64_t> bytes_read{0};

  auto work = [&] {
    std::unique_ptr<Worker> worker;
    try {
      worker = NewWorker();
    } catch (...) {  // no memory: every input of this thread becomes an error record
    }
    for (;;) {
      size_t i = next.fetch_add(1);
      if (i >= n) break;
      const Input& in = inputs[i];
      auto record = std::make_unique<FileRecord>();
      try {
        switch (in.kind) {
          case InputKind::kFile:
          case InputKind::kStdin:
            *record = worker ? ScanInput(in, policy, settings.options, *worker, &bytes_read)
                             : ErrorRecord(in.path, "cannot scan: the library could not make a scanner");
            break;
          case InputKind::kLink:
            record->path = in.path;  // filled from its target when delivered
            record->link_to = in.link_to;
            break;
          case InputKind::kError:
            *record = ErrorRecord(in.path, in.error);
            break;
        }
      } catch (const std::exception& e) {
        *record = ErrorRecord(in.path, std::string("internal error: ") + e.what());
      } catch (...) {
        *record = ErrorRecord(in.path, "internal error");
      }
      slots.Put(i, std::move(record));
      done.fetch_add(1);
    }
  };

  unsigned jobs = settings.jobs == 0 ? 1 : settings.jobs;
  if (jobs > n) jobs = n == 0 ? 1 : static_cast<unsigned>(n);
  std::vector<std::thread> threads;
  threads.reserve(jobs);
  for (unsigned j = 0; j < jobs; ++j) threads.emplace_back(work);

  Progress progress(settings.progress, n, total_bytes);
  auto tick = [&] { progress.Update(done.load(), bytes_read.load()); };
  ScanStats stats;
  std::vector<std::shared_ptr<const FileRecord>> kept(n);  // link targets, until the end
  // If delivering fails (no memory), stop the workers before the exception
  // leaves, so that no thread is left running.
  struct JoinOnExit {
    std::atomic<size_t>& next;
    size_t n;
    std::vector<std::thread>& threads;
    ~JoinOnExit() {
      next.store(n);
      for (std::thread& t : threads) {
        if (t.joinable()) t.join();
      }
    }
  } join_on_exit{next, n, threads};
  for (size_t i = 0; i < n; ++i) {
    std::shared_ptr<const FileRecord> record = slots.Take(i, is_link_target[i], std::chrono::milliseconds(100), tick);
    if (is_link_target[i]) kept[i] = record;
    if (inputs[i].kind == InputKind::kLink) {
      size_t t = inputs[i].link_index;
      std::shared_ptr<const FileRecord> target =
          kept[t] ? kept[t] : slots.Take(t, true, std::chrono::milliseconds(100), tick);
      FileRecord link = *target;
      link.path = inputs[i].path;
      link.link_to = inputs[i].link_to;
      ++stats.links;
      if (!link.error.empty()) ++stats.errors;
      deliver(link);
    } else {
      if (!record->error.empty()) ++stats.errors;
      if (record->scanned) stats.bytes_scanned += record->bytes;
      deliver(*record);
    }
    ++stats.files;
    tick();
  }
  for (std::thread& t : threads) t.join();
  progress.Clear();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return stats;
}

}  // namespace kimitsu_cli
