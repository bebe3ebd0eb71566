// What the CLI reports for one input: a self-contained copy of a scan result
// (the scanner's own result is reused for the next file), or why there is
// none.
#ifndef KIMITSU_CLI_RECORD_H_
#define KIMITSU_CLI_RECORD_H_

#include <cstdint>
#include <string>
#include <vector>

namespace kimitsu_cli {

struct FindingRecord {
  size_t rule_index = 0;
  size_t tier_index = 0;
  uint64_t start = 0;  // byte offsets into the file as stored: [start, end)
  uint64_t end = 0;
  uint64_t line = 0;   // 1-based
  double confidence = 0;
  double base_confidence = 0;
  double context_delta = 0;
  std::string placement;
  std::string excerpt;  // masked unless --show-matches
  bool scored = true;   // false: kept by --all-matches, its rule short of min_count
};

// The evidence of one rule that fired in a file.
struct RuleHit {
  size_t rule_index = 0;
  uint64_t count = 0;
  double score = 0;
};

struct FileRecord {
  std::string path;      // as reported: the argument, joined with names found below it
  std::string error;     // why there is no classification; empty when scanned
  std::string link_to;   // a symlink reported with the classification of this file
  bool scanned = false;  // the fields below are valid
  size_t tier = 0;
  double score = 0;
  std::vector<double> scores;  // per tier, highest tier first
  uint64_t bytes = 0;
  std::string encoding;
  uint32_t flags = 0;    // KIMITSU_RESULT_*
  std::vector<FindingRecord> findings;
  uint64_t total_findings = 0;
  std::vector<RuleHit> rules;  // rules with at least one finding, by rule index
};

// The finding that best explains the decision: the most confident finding
// of the decided tier (the earliest of equals), else the most confident one.
// nullptr when there are none.
const FindingRecord* StrongestEvidence(const FileRecord& record);

// Names of the flags set in `flags`: "findings_truncated", "lossy_decode",
// "binary", "engine_limit", "input_too_large", "incomplete", "excerpts_truncated",
// plus "unknown_N".
std::vector<std::string> FlagNames(uint32_t flags);

// The same for people: "findings truncated", "lossy decode", ...
std::string FlagText(uint32_t flags);

}  // namespace kimitsu_cli

#endif  // KIMITSU_CLI_RECORD_H_
