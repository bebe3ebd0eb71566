// An RE2 pattern (UTF-8, Perl syntax) read into a tree of the parts that
// the pattern analyses need: how long a match can be and what its prefixes
// are (match_length.h), and a DFA of our own for where a match can start
// (candidate_dfa.h). Atoms keep their text as written; a construct this
// reading does not know makes it fail, and each analysis then gives its
// safe answer.
#ifndef KIMITSU_MATCH_PATTERN_TREE_H_
#define KIMITSU_MATCH_PATTERN_TREE_H_

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace kimitsu::match {

// PatternNode::most of *, + and {n,}.
inline constexpr size_t kManyTimes = std::numeric_limits<size_t>::max();

struct PatternNode {
  enum Kind { kAtom, kAssertion, kFlags, kSeq, kAlt, kRepeat, kGroup } kind;
  std::string text;   // kAtom, kAssertion, kFlags: as written; kRepeat: the quantifier; kGroup: its opener
  size_t width = 0;   // kAtom: its longest character in bytes
  size_t least = 0;   // kRepeat: fewest repetitions
  size_t most = 0;    // kRepeat: most repetitions, kManyTimes for none
  std::vector<PatternNode> kids;
  bool fold = false;    // kAtom: case-insensitive here
  bool dot_nl = false;  // kAtom: (?s) in force here
  bool wide = false;    // kAtom: may match a character past ASCII (case folding aside)
};

// Reads `pattern` as RE2 compiles it with `case_sensitive`; false if it uses
// syntax this reading does not know (compile the pattern with RE2 first:
// a pattern RE2 rejects may still be read).
bool ReadPattern(std::string_view pattern, bool case_sensitive, PatternNode* root);

}  // namespace kimitsu::match

#endif  // KIMITSU_MATCH_PATTERN_TREE_H_
