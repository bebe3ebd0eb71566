#ifndef KIMITSU_MATCH_MATCH_LENGTH_H_
#define KIMITSU_MATCH_MATCH_LENGTH_H_

#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace kimitsu::match {

inline constexpr size_t kUnboundedMatch = std::numeric_limits<size_t>::max();

// What the scanner needs to know of a rule's RE2 pattern (UTF-8 text) to
// search it piece by piece. `pattern` must be valid RE2 syntax (compile it
// first); a construct this reading does not understand makes the answers
// the safe ones (unbounded, no prefix pattern).
struct MatchShape {
  // An upper bound on the length in bytes of any match, or kUnboundedMatch
  // when a repetition (*, +, {n,}) makes it unbounded. Safe, not tight: a
  // character class counts as its longest possible character, a
  // case-insensitive letter as the longest character it folds to.
  size_t max_bytes = kUnboundedMatch;
  // A pattern matching every prefix of every match, for finding a match
  // still in progress where a search was cut: search it, followed by \z, on
  // the text up to the cut.
  std::optional<std::string> prefixes;
  // The pattern with its long counted repetitions ({n,64}) made {n,}: it
  // matches wherever the pattern does, and RE2's DFA for it is far smaller
  // (a counter multiplies the states of every pattern it runs beside in a
  // set), so it is what the prefilter searches for.
  std::optional<std::string> relaxed;
  // `prefixes` of the relaxed pattern: more strings, a smaller DFA.
  std::optional<std::string> relaxed_prefixes;
  // Where a long match shows. A match's bytes are those of its *open*
  // repetitions (unbounded, or able to match more than kOpenRepetition
  // bytes), at most `open_runs` stretches of text, all of them bytes in
  // `run_bytes`; and at most `outside_bytes` others. So any span of S
  // consecutive bytes of a match (or of a prefix of one) holds a run of at
  // least MinRun(S) bytes in `run_bytes`; text without such a run holds
  // no such span. (Unknown: outside_bytes kUnboundedMatch.)
  std::array<bool, 256> run_bytes{};
  size_t outside_bytes = kUnboundedMatch;
  size_t open_runs = 0;

  // The least run guaranteed in `span` bytes of a match, or 0 if none is.
  size_t MinRun(size_t span) const {
    if (outside_bytes >= span || open_runs == 0) return 0;
    return (span - outside_bytes + open_runs - 1) / open_runs;
  }
};

inline constexpr size_t kOpenRepetition = 128;

// The prefix patterns and the runs, which take longer to work out, only for
// patterns that can match more than `long_over` bytes.
MatchShape ShapeOf(std::string_view pattern, bool case_sensitive = true, size_t long_over = 0);

inline size_t MaxMatchBytes(std::string_view pattern, bool case_sensitive = true) {
  return ShapeOf(pattern, case_sensitive).max_bytes;
}

}  // namespace kimitsu::match

#endif  // KIMITSU_MATCH_MATCH_LENGTH_H_
