// Scanner: runs a CompiledPolicy over one document.
//
//   decode → NFKC → for each chunk of ≤64 KiB cut at line ends, window by
//   window (~4 KiB): the candidate DFAs (candidate_dfa.h) say where a match
//   of some rule can start → from there, RE2::Set says which rules can
//   match → each of those rules' RE2 finds spans there → word boundaries,
//   validator, placement, context → per-rule evidence → per-tier scores →
//   tier. (Rules whose matches can be long are searched further where one
//   is in progress at a window's end.)
//
// A Scanner holds the per-thread state (decoded and normalized buffers, the
// ICU break iterator, scratch vectors) and reuses it from scan to scan; it is
// not thread-safe: use one per thread, all sharing one CompiledPolicy.
#ifndef KIMITSU_MATCH_SCANNER_H_
#define KIMITSU_MATCH_SCANNER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "match/compiled_policy.h"
#include "policy/policy.h"
#include "score/score.h"
#include "text/text_stream.h"
#include "text/tokenize.h"

namespace kimitsu::match {

// What excerpts to keep with findings (see excerpt.h).
enum class Excerpts { kNone, kMasked, kUnmasked };

struct ScanOptions {
  size_t max_findings = 1000;                // findings kept; counting goes on past it
  size_t max_input_bytes = size_t{1} << 31;  // one-shot Scan() refuses more (stream it instead)
  Excerpts excerpts = Excerpts::kNone;
  size_t max_excerpt_bytes = 160;            // kMaxExcerptBytes; longer excerpts are cut (kExcerptsTruncated)
  // Also keep the findings of rules short of their min_count (they score 0):
  // every entity recognized, not only those that are evidence.
  bool all_matches = false;
  text::DecodeOptions decode;
};

struct Finding {
  uint32_t rule = 0;
  uint32_t tier = 0;
  size_t start = 0, end = 0;            // bytes of the caller's input
  size_t text_start = 0, text_end = 0;  // bytes of the NFKC text
  uint64_t line = 0;                    // 1-based line of `start` (lines end at '\n')
  double confidence = 0.0;              // after placement and context
  double base = 0.0;                    // rule confidence × placement factor
  policy::Placement placement = policy::Placement::kProse;
  double context_delta = 0.0;           // what context added (or took away)
  size_t excerpt_begin = 0, excerpt_end = 0;  // in ScanResult::excerpts
};

// Flags for every bound hit: a result is never a quiet "nothing found".
enum ScanFlag : uint32_t {
  kFindingsTruncated = 1u << 0,  // more findings than max_findings; scores count them all
  kLossyDecode = 1u << 1,        // invalid byte sequences were replaced
  kBinaryInput = 1u << 2,        // the input looks like binary data
  kEngineLimit = 1u << 3,        // RE2 ran out of memory on the prefilter; all rules ran instead
  kInputTooLarge = 1u << 4,      // refused: larger than max_input_bytes
  kIncomplete = 1u << 5,         // some text was not examined; the tier may be too low
  kExcerptsTruncated = 1u << 6,  // an excerpt was cut at max_excerpt_bytes
  kLongMatchCut = 1u << 7,       // a match reached kLongMatch bytes and was cut there (with kIncomplete)
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
  uint64_t input_bytes = 0;
  uint32_t flags = 0;
  bool excerpts_kept = false;          // ScanOptions::excerpts was not kNone
  std::string excerpts;                // the findings' excerpts, back to back

  std::string_view excerpt(const Finding& f) const {
    return std::string_view(excerpts).substr(f.excerpt_begin, f.excerpt_end - f.excerpt_begin);
  }
};

class Scanner {
 public:
  Scanner() = default;
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Scans `input` with `policy` into `out` (whose buffers are reused).
  absl::Status Scan(const CompiledPolicy& policy, std::string_view input, const ScanOptions& options,
                    ScanResult* out);

  // The same, for an input given in pieces, in memory that does not grow
  // with the input: Begin, Write any number of times, Finish. The result is
  // the one Scan() gives for the concatenation of the pieces. `policy` and
  // `out` must stay alive until Finish() returns.
  void Begin(const CompiledPolicy& policy, const ScanOptions& options, ScanResult* out);
  absl::Status Write(std::string_view bytes);
  absl::Status Finish();

 private:
  // Scans every chunk that has all the text it may look at.
  void Pump();
  // Matches in chunk [begin, end) that start before `next_chunk` are its;
  // the others are left to the next chunk, which starts there. (Offsets in
  // the whole text.)
  void ScanChunk(size_t begin, size_t end, size_t next_chunk);
  // `cut`: the text goes on past `end`, so a match reaching it may be longer.
  void ExtractRule(size_t rule, size_t begin, size_t end, size_t next_chunk, bool cut);
  double ContextDelta(const CompiledRule& rule, size_t start, size_t end, bool* dropped);
  std::string_view ColumnHeader(size_t pos);
  uint64_t LineOf(size_t pos);
  void MoveLineCount(size_t offset);
  void ScanWindow(size_t begin, size_t end, size_t next);
  void FindLongMatches(size_t begin, size_t end, size_t next);
  bool Extended(uint32_t rule) const;  // searched further in this window (FindLongMatches)
  size_t NextCandidate(size_t from);
  void FireRules(size_t begin, size_t end, bool known);
  bool InProgress(const RE2& prefixes, size_t begin, size_t at, size_t next) const;
  void FindTableHeader();
  void Conclude();

  const CompiledPolicy* policy_ = nullptr;
  bool binary_ = false;  // binary input: findings count only in text runs (text_runs.h)
  ScanOptions options_;
  ScanResult* out_ = nullptr;
  text::TextStream stream_;
  std::string_view text_;  // the stream's window...
  size_t base_ = 0;        // ...which starts at this offset of the whole text
  size_t pos_ = 0;         // the next chunk starts here
  // Line numbers: lines_before_ '\n' precede line_at_ (an offset of the
  // whole text, in the window).
  size_t line_at_ = 0;
  uint64_t lines_before_ = 0;
  text::Tokenizer tokenizer_;
  std::vector<int> fired_;
  std::vector<uint32_t> extended_;  // long rules this window searched further
  // Where the next match of any rule can start (CompiledPolicy::candidate_dfa,
  // or where it does: any_rule), as far as a search from `candidate_from_`
  // to the chunk's end found; npos for none. Valid for the chunk ending at
  // `candidate_chunk_end_`.
  size_t chunk_end_ = 0;
  size_t candidate_chunk_end_ = static_cast<size_t>(-1);
  size_t candidate_from_ = 0;
  size_t candidate_at_ = 0;
  CandidateDfa::Scratch candidate_scratch_;
  std::vector<text::Token> tokens_;
  std::vector<size_t> resume_;  // per rule: where its search goes on in the next chunk
  std::vector<size_t> stored_;  // per rule: findings kept
  std::vector<double> miss_;    // per tier, for scoring
  std::vector<double> countered_;  // per tier: the product of (1 - s) of rules countering it

  // The table header line (CSV, TSV), if the text starts with one.
  struct TableHeader {
    bool looked = false;
    char delimiter = 0;
    size_t start = 0;  // its offset in the whole text
    std::string line;
  };
  TableHeader header_;
};

}  // namespace kimitsu::match

#endif  // KIMITSU_MATCH_SCANNER_H_
