// Scanning many inputs in parallel and delivering their records in input
// order (the inputs are sorted by path), so the output is the same for any
// number of jobs.
#ifndef KIMITSU_CLI_SCAN_H_
#define KIMITSU_CLI_SCAN_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "kimitsu/kimitsu.h"
#include "policy.h"
#include "record.h"
#include "walk.h"

namespace kimitsu_cli {

struct ScanStats {
  uint64_t files = 0;          // records delivered
  uint64_t bytes_scanned = 0;  // bytes read and scanned (a file under two names counts once)
  uint64_t errors = 0;         // records with an error
  uint64_t links = 0;          // records of symlinks sharing another file's classification
  double seconds = 0;          // wall time of the scan
};

struct ScanSettings {
  unsigned jobs = 1;
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  bool progress = false;  // a progress line on stderr
};

// Scans `inputs` with settings.jobs threads sharing `policy`, one
// kimitsu_scanner per thread, and calls `deliver` on the calling thread with
// each record, in the order of `inputs`. Records wait in memory only until
// the ones before them are delivered.
ScanStats ScanAll(const std::vector<Input>& inputs, const Policy& policy, const ScanSettings& settings,
                  const std::function<void(const FileRecord&)>& deliver);

}  // namespace kimitsu_cli

#endif  // KIMITSU_CLI_SCAN_H_
