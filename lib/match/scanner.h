// Scanner: runs a CompiledPolicy over one document.
//
//   decode → NFKC → for each chunk of ≤64 KiB cut at line ends:
//     RE2::Set says which rules can match → each of those rules' RE2 finds
//     spans in the chunk → word boundaries, validator, placement, context
//   → per-rule evidence → per-tier scores → tier.
//
// A Scanner holds the per-thread state (decoded and normalized buffers, the
// ICU break iterator, scratch vectors) and reuses it from scan to scan; it is
// not thread-safe: use one per thread, all sharing one CompiledPolicy.
#ifndef KIMITSU_MATCH_SCANNER_H_
#define KIMITSU_MATCH_SCANNER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "match/compiled_policy.h"
#include "policy/policy.h"
#include "score/score.h"
#include "text/document.h"
#include "text/tokenize.h"

namespace kimitsu::match {

struct ScanOptions {
  size_t max_findings = 1000;                  // findings kept; counting goes on past it
  size_t max_input_bytes = size_t{1} << 31;    // larger inputs are refused (stream them)
  text::DecodeOptions decode;
};

struct Finding {
  uint32_t rule = 0;
  uint32_t tier = 0;
  size_t start = 0, end = 0;            // bytes of the caller's input
  size_t text_start = 0, text_end = 0;  // bytes of the NFKC text
  double confidence = 0.0;              // after placement and context
  double base = 0.0;                    // rule confidence × placement factor
  policy::Placement placement = policy::Placement::kProse;
  double context_delta = 0.0;           // what context added (or took away)
};

// Flags for every bound hit: a result is never a quiet "nothing found".
enum ScanFlag : uint32_t {
  kFindingsTruncated = 1u << 0,  // more findings than max_findings; scores count them all
  kLossyDecode = 1u << 1,        // invalid byte sequences were replaced
  kBinaryInput = 1u << 2,        // the input looks like binary data
  kEngineLimit = 1u << 3,        // RE2 ran out of memory on the prefilter; all rules ran instead
  kInputTooLarge = 1u << 4,      // refused: larger than max_input_bytes
  kIncomplete = 1u << 5,         // some text was not examined; the tier may be too low
};

struct ScanResult {
  size_t tier = 0;
  double score = 0.0;
  std::vector<double> tier_scores;
  std::vector<Finding> findings;       // in text order
  std::vector<score::RuleEvidence> evidence;  // per rule
  std::vector<double> rule_scores;     // per rule
  size_t total_findings = 0;           // including those past max_findings
  text::Encoding encoding = text::Encoding::kUtf8;
  int encoding_confidence = 0;
  size_t replacements = 0;
  size_t input_bytes = 0;
  uint32_t flags = 0;
};

class Scanner {
 public:
  Scanner() = default;
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Scans `input` with `policy` into `out` (whose vectors are reused).
  absl::Status Scan(const CompiledPolicy& policy, std::string_view input, const ScanOptions& options,
                    ScanResult* out);

  // The document of the last scan (valid while its input is).
  const text::Document& document() const { return doc_; }

 private:
  // Matches in text[begin, end) that start before `next_chunk` are this
  // chunk's; the others are left to the next chunk, which starts there.
  void ScanChunk(const CompiledPolicy& policy, size_t begin, size_t end, size_t next_chunk,
                 const ScanOptions& options, ScanResult* out);
  void ExtractRule(const CompiledPolicy& policy, size_t rule, size_t begin, size_t end, size_t next_chunk,
                   const ScanOptions& options, ScanResult* out);
  double ContextDelta(const CompiledRule& rule, size_t start, size_t end, bool* dropped);
  text::ByteSpan ColumnHeader(size_t pos);

  // The document's table header line, found on first use in each scan.
  struct TableHeader {
    bool looked = false;
    char delimiter = 0;
    size_t start = 0, end = 0;
  };

  text::Document doc_;
  text::Tokenizer tokenizer_;
  std::vector<int> fired_;
  std::vector<text::Token> tokens_;
  std::vector<size_t> resume_;  // per rule: where its search goes on in the next chunk
  TableHeader header_;
};

}  // namespace kimitsu::match

#endif  // KIMITSU_MATCH_SCANNER_H_
