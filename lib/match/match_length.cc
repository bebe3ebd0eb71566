#include "match/match_length.h"

#include <algorithm>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "match/pattern_tree.h"
#include "re2/re2.h"

namespace kimitsu::match {
namespace {

constexpr size_t kInf = kUnboundedMatch;
static_assert(kInf == kManyTimes);

size_t Add(size_t a, size_t b) { return a > kInf - b ? kInf : a + b; }

size_t Times(size_t a, size_t n) {
  if (a == 0 || n == 0) return 0;
  return a > kInf / n ? kInf : a * n;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

using Node = PatternNode;

// The pattern text of a node (capturing groups become non-capturing). With
// `relax`, a repetition {n,m} with m over `relax` becomes {n,}, which
// matches wherever the node does and makes RE2's DFAs smaller.

std::string Emit(const Node& n, size_t relax = kInf) {
  switch (n.kind) {
    case Node::kAtom:
    case Node::kAssertion:
    case Node::kFlags:
      return n.text;
    case Node::kSeq: {
      std::string s;
      for (const Node& k : n.kids) s += Emit(k, relax);
      return s;
    }
    case Node::kAlt: {
      std::string s = "(?:";
      for (size_t i = 0; i < n.kids.size(); ++i) absl::StrAppend(&s, i ? "|" : "", Emit(n.kids[i], relax));
      return s + ")";
    }
    case Node::kRepeat:
      if (n.most != kInf && n.most > relax) {
        return absl::StrCat("(?:", Emit(n.kids[0], relax), "){", n.least, ",}");
      }
      return absl::StrCat("(?:", Emit(n.kids[0], relax), ")", n.text);
    case Node::kGroup:
      return absl::StrCat(n.text, Emit(n.kids[0], relax), ")");
  }
  return {};
}

size_t Bound(const Node& n) {
  switch (n.kind) {
    case Node::kAtom:
      return n.width;
    case Node::kAssertion:
    case Node::kFlags:
      return 0;
    case Node::kSeq: {
      size_t total = 0;
      for (const Node& k : n.kids) total = Add(total, Bound(k));
      return total;
    }
    case Node::kAlt: {
      size_t longest = 0;
      for (const Node& k : n.kids) longest = std::max(longest, Bound(k));
      return longest;
    }
    case Node::kRepeat: {
      size_t one = Bound(n.kids[0]);
      return n.most == kInf ? (one == 0 ? 0 : kInf) : Times(one, n.most);
    }
    case Node::kGroup:
      return Bound(n.kids[0]);
  }
  return kInf;
}

// A pattern for every prefix of every match of `n`: a prefix of x·y is a
// prefix of x, or x then a prefix of y; of x{0,m}, up to m−1 x's then a
// prefix of x. A prefix may end just before an assertion (the text after
// the cut decides it); one within the prefix is checked.
std::string Prefixes(const Node& n, size_t relax = kInf) {
  switch (n.kind) {
    case Node::kAtom:
      return absl::StrCat("(?:", n.text, ")?");
    case Node::kAssertion:
      return {};
    case Node::kFlags:
      return n.text;
    case Node::kSeq: {
      std::string rest;
      for (size_t i = n.kids.size(); i-- > 0;) {
        const Node& k = n.kids[i];
        if (k.kind == Node::kFlags) {
          rest = k.text + rest;  // in force for what follows, in this group
        } else {
          // (A prefix may end just before an assertion, which the text past
          // the cut would decide.)
          rest = rest.empty() ? Prefixes(k, relax) : absl::StrCat("(?:", Prefixes(k, relax), "|", Emit(k, relax), "(?:", rest, "))");
        }
      }
      return rest;
    }
    case Node::kAlt: {
      std::string s = "(?:";
      for (size_t i = 0; i < n.kids.size(); ++i) absl::StrAppend(&s, i ? "|" : "", Prefixes(n.kids[i], relax));
      return s + ")";
    }
    case Node::kRepeat: {
      const Node& k = n.kids[0];
      const size_t most = n.most > relax ? kInf : n.most;
      if (most == 0) return {};
      if (most == 1) return Prefixes(k, relax);
      std::string times = most == kInf ? "*" : absl::StrCat("{0,", most - 1, "}");
      return absl::StrCat("(?:(?:", Emit(k, relax), ")", times, Prefixes(k, relax), ")");
    }
    case Node::kGroup:
      return absl::StrCat(n.text, Prefixes(n.kids[0], relax), ")");
  }
  return {};
}

// The atoms of `n`, as patterns that carry the flags in force where they
// stand; whether one of them can match a character past ASCII, case folding
// aside; and whether one of them folds case.
void CollectAtoms(const Node& n, std::set<std::string>* atoms, bool* wide, bool* fold) {
  if (n.kind == Node::kAtom) {
    atoms->insert(absl::StrCat(n.fold ? "(?i" : "(?", n.dot_nl ? "s" : "", ":", n.text, ")"));
    *wide = *wide || n.wide;
    *fold = *fold || n.fold;
  }
  for (const Node& k : n.kids) CollectAtoms(k, atoms, wide, fold);
}

// The bytes that characters of these atoms can consist of: the ASCII ones,
// as RE2 itself judges them, and every byte from 0x80 if an atom can match
// a longer character: if one is `wide`, or if a letter is among them and
// one folds case (k also matches U+212A KELVIN SIGN).
std::array<bool, 256> AtomBytes(const std::set<std::string>& atoms, bool wide, bool fold) {
  std::array<bool, 256> bytes{};
  if (!atoms.empty()) {
    RE2::Options o;
    o.set_log_errors(false);
    RE2 any(absl::StrJoin(atoms, "|"), o);
    for (int c = 0; c < 128; ++c) {
      bytes[c] = !any.ok() || RE2::FullMatch(re2::StringPiece(std::string(1, static_cast<char>(c))), any);
      wide = wide || (fold && bytes[c] && IsAsciiLetter(static_cast<char>(c)));
    }
  }
  std::fill(bytes.begin() + 128, bytes.end(), wide);
  return bytes;
}

// Splits `n` into its open repetitions (whose atoms go to `atoms`) and the
// rest: returns the most bytes of the rest and the most open repetitions a
// match goes through.
std::pair<size_t, size_t> SplitOpen(const Node& n, std::set<std::string>* atoms, bool* wide, bool* fold) {
  switch (n.kind) {
    case Node::kAtom:
      return {n.width, 0};
    case Node::kAssertion:
    case Node::kFlags:
      return {0, 0};
    case Node::kSeq:
    case Node::kAlt: {
      std::pair<size_t, size_t> total{0, 0};
      for (const Node& k : n.kids) {
        auto [outside, runs] = SplitOpen(k, atoms, wide, fold);
        if (n.kind == Node::kSeq) {
          total = {Add(total.first, outside), Add(total.second, runs)};
        } else {
          total = {std::max(total.first, outside), std::max(total.second, runs)};
        }
      }
      return total;
    }
    case Node::kRepeat: {
      // (One that is not open holds none that is.)
      const size_t bound = Bound(n);
      if (bound <= kOpenRepetition) return {bound, 0};
      CollectAtoms(n, atoms, wide, fold);
      return {0, 1};
    }
    case Node::kGroup:
      return SplitOpen(n.kids[0], atoms, wide, fold);
  }
  return {kInf, 0};
}

}  // namespace

MatchShape ShapeOf(std::string_view pattern, bool case_sensitive, size_t long_over) {
  MatchShape shape;
  Node root;
  if (!ReadPattern(pattern, case_sensitive, &root)) return shape;
  shape.max_bytes = Bound(root);
  // Counts over 4 are relaxed: RE2 builds a DFA state for every value of a
  // count, and in a set or a union the counts of all patterns multiply.
  shape.relaxed = Emit(root, 4);
  if (shape.max_bytes <= long_over) return shape;
  shape.prefixes = absl::StrCat("(?:", Prefixes(root), ")");
  shape.relaxed_prefixes = absl::StrCat("(?:", Prefixes(root, 4), ")");
  std::set<std::string> atoms;
  bool wide = false, fold = false;
  std::tie(shape.outside_bytes, shape.open_runs) = SplitOpen(root, &atoms, &wide, &fold);
  shape.run_bytes = AtomBytes(atoms, wide, fold);
  return shape;
}

}  // namespace kimitsu::match
