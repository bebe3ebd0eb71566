// Reading and scanning one input. Files up to 8 MiB are read whole and
// scanned with the worker's kimitsu_scanner (which reuses its buffers);
// larger files and stdin past 8 MiB go through a kimitsu_stream, 1 MiB at a
// time, so memory stays bounded whatever the size of the file.
#ifndef KIMITSU_CLI_SCAN_FILE_H_
#define KIMITSU_CLI_SCAN_FILE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "handles.h"
#include "policy.h"
#include "record.h"
#include "walk.h"

namespace kimitsu_cli {

inline constexpr size_t kWholeFileLimit = 8u << 20;  // read whole up to this size
inline constexpr size_t kStreamChunk = 1u << 20;     // then stream in pieces of this size

// The state one scanning thread keeps from file to file.
struct Worker {
  ScannerHandle scanner;
  std::vector<char> buffer;
};

// A new worker, or nullptr when the library cannot make a scanner.
std::unique_ptr<Worker> NewWorker();

// Scans `input` (kFile or kStdin) and returns its record; an input that
// cannot be opened or read gives a record with an error. Bytes read are
// added to *bytes_read as they come (for progress), if it is not null.
FileRecord ScanInput(const Input& input, const Policy& policy, const kimitsu_scan_options& options,
                     Worker& worker, std::atomic<uint64_t>* bytes_read);

}  // namespace kimitsu_cli

#endif  // KIMITSU_CLI_SCAN_FILE_H_
