#include "match/match_length.h"

#include <algorithm>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "re2/re2.h"

namespace kimitsu::match {
namespace {

constexpr size_t kInf = kUnboundedMatch;

size_t Add(size_t a, size_t b) { return a > kInf - b ? kInf : a + b; }

size_t Times(size_t a, size_t n) {
  if (a == 0 || n == 0) return 0;
  return a > kInf / n ? kInf : a * n;
}

size_t Utf8Length(char lead) {
  auto c = static_cast<unsigned char>(lead);
  if (c < 0x80) return 1;
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  return 2;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiPunct(char c) { return c > ' ' && c < 0x7F && !IsAsciiLetter(c) && !(c >= '0' && c <= '9'); }

// A pattern read into the parts that matter here.
struct Node {
  enum Kind { kAtom, kAssertion, kFlags, kSeq, kAlt, kRepeat, kGroup } kind;
  std::string text;   // kAtom, kAssertion, kFlags: as written; kRepeat: the quantifier; kGroup: its opener
  size_t width = 0;   // kAtom: its longest character in bytes
  size_t least = 0;   // kRepeat: fewest repetitions
  size_t most = 0;    // kRepeat: most repetitions, kInf for none
  std::vector<Node> kids;
  bool fold = false;    // kAtom: case-insensitive here
  bool dot_nl = false;  // kAtom: (?s) in force here
  bool wide = false;    // kAtom: may match a character past ASCII (case folding aside)
};

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

// Reads RE2 syntax (re2/syntax) into Nodes.
class Reader {
 public:
  Reader(std::string_view pattern, bool case_sensitive) : p_(pattern), fold_(!case_sensitive) {}

  bool Read(Node* root) {
    *root = Alternation();
    return !failed_ && i_ == p_.size();
  }

 private:
  bool At(char c) const { return i_ < p_.size() && p_[i_] == c; }

  Node Fail() {
    failed_ = true;
    i_ = p_.size();
    return Node{Node::kAssertion, {}, 0, 0, 0, {}};
  }

  static Node Make(Node::Kind kind, std::string text, size_t width = 0) {
    return Node{kind, std::move(text), width, 0, 0, {}};
  }

  // Up to an unmatched ')' or the end.
  Node Alternation() {
    Node alt = Make(Node::kAlt, {});
    while (true) {
      alt.kids.push_back(Sequence());
      if (!At('|')) break;
      ++i_;
    }
    if (alt.kids.size() == 1) return std::move(alt.kids[0]);
    return alt;
  }

  Node Sequence() {
    Node seq = Make(Node::kSeq, {});
    while (i_ < p_.size() && !At('|') && !At(')')) {
      Node atom = Atom();
      MarkFlags(&atom);
      if (atom.kind == Node::kSeq) {  // \Q...\E: a quantifier after it takes its last character
        for (Node& k : atom.kids) seq.kids.push_back(std::move(k));
        if (!seq.kids.empty()) {
          Node last = std::move(seq.kids.back());
          seq.kids.back() = Repeated(std::move(last));
        }
      } else {
        seq.kids.push_back(Repeated(std::move(atom)));
      }
    }
    return seq;
  }

  // Atoms remember the flags in force where they stand (for RunBytes).
  void MarkFlags(Node* n) const {
    if (n->kind == Node::kAtom) {
      n->fold = fold_;
      n->dot_nl = dot_nl_;
    }
    if (n->kind == Node::kSeq) {
      for (Node& k : n->kids) MarkFlags(&k);
    }
  }

  Node Repeated(Node atom) {
    while (i_ < p_.size()) {
      size_t start = i_;
      size_t least = 0, most;
      char c = p_[i_];
      if (c == '*' || c == '+') {
        ++i_;
        least = c == '+';
        most = kInf;
      } else if (c == '?') {
        ++i_;
        most = 1;
      } else if (c != '{' || !Count(&least, &most)) {
        break;  // a '{' that is no count is a literal
      }
      if (At('?')) ++i_;  // non-greedy
      Node rep = Make(Node::kRepeat, std::string(p_.substr(start, i_ - start)));
      rep.least = least;
      rep.most = most;
      rep.kids.push_back(std::move(atom));
      atom = std::move(rep);
    }
    return atom;
  }

  // {n}, {n,} or {n,m} at i_: the fewest and most repetitions, kInf for {n,}.
  bool Count(size_t* least, size_t* most) {
    size_t j = i_ + 1;
    auto number = [&](size_t* value) {
      size_t start = j;
      *value = 0;
      while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') {
        *value = std::min<size_t>(*value * 10 + static_cast<size_t>(p_[j] - '0'), 1u << 20);
        ++j;
      }
      return j > start;
    };
    if (!number(least)) return false;
    *most = *least;
    if (j < p_.size() && p_[j] == ',') {
      ++j;
      if (!number(most)) *most = kInf;
    }
    if (j >= p_.size() || p_[j] != '}') return false;
    i_ = j + 1;
    return true;
  }

  Node Atom() {
    switch (p_[i_]) {
      case '(':
        return Group();
      case '[':
        return Class();
      case '.': {
        ++i_;
        Node dot = Make(Node::kAtom, ".", 4);
        dot.wide = true;
        return dot;
      }
      case '^':
      case '$':
        return Make(Node::kAssertion, std::string(1, p_[i_++]));
      case '\\':
        return Escape();
      default:
        return Literal();
    }
  }

  // The width of one character as written. Case-insensitively a letter also
  // matches its other cases, which may be longer (k: U+212A KELVIN SIGN,
  // 3 bytes; ß: U+1E9E, 3 bytes) but stay in their plane: at most 3 bytes
  // in the BMP.
  size_t Width(char lead, size_t len) const {
    return fold_ && (len > 1 || IsAsciiLetter(lead)) ? std::max<size_t>(len, 3) : len;
  }

  Node Literal() {
    size_t len = std::min(Utf8Length(p_[i_]), p_.size() - i_);
    Node n = Make(Node::kAtom, std::string(p_.substr(i_, len)), Width(p_[i_], len));
    n.wide = len > 1;
    i_ += len;
    return n;
  }

  Node Group() {
    const size_t open = i_++;
    const bool outer_fold = fold_;
    const bool outer_dot_nl = dot_nl_;
    std::string opener = "(?:";
    if (At('?')) {
      ++i_;
      if (At('P') || At('<')) {  // (?P<name>...) or (?<name>...)
        size_t close = p_.find('>', i_);
        if (close == std::string_view::npos) return Fail();
        i_ = close + 1;
      } else {
        bool negated = false;
        while (i_ < p_.size() && !At(':') && !At(')')) {
          char flag = p_[i_++];
          if (flag == '-') {
            negated = true;
          } else if (flag == 'i') {
            fold_ = !negated;
          } else if (flag == 's') {
            dot_nl_ = !negated;
          } else if (flag != 'm' && flag != 'U') {
            return Fail();
          }
        }
        if (i_ >= p_.size()) return Fail();
        if (At(')')) {  // (?i): in force to the end of the enclosing group
          ++i_;
          return Make(Node::kFlags, std::string(p_.substr(open, i_ - open)));
        }
        ++i_;  // ':'
        opener = std::string(p_.substr(open, i_ - open));
      }
    }
    Node group = Make(Node::kGroup, std::move(opener));
    group.kids.push_back(Alternation());
    if (!At(')')) return Fail();
    ++i_;
    fold_ = outer_fold;
    dot_nl_ = outer_dot_nl;
    return group;
  }

  // An escape; \Q...\E gives a kSeq of its characters.
  Node Escape() {
    const size_t start = i_++;
    if (i_ >= p_.size()) return Fail();
    char c = p_[i_++];
    auto as_written = [&](Node::Kind kind, size_t width) {
      Node n = Make(kind, std::string(p_.substr(start, i_ - start)), width);
      n.wide = width == 4;  // \D, \S, \W, \p, \x...
      return n;
    };
    switch (c) {
      case 'A':
      case 'z':
      case 'b':
      case 'B':
        return as_written(Node::kAssertion, 0);
      case 'd':
      case 's':
        return as_written(Node::kAtom, 1);
      case 'w':
        return as_written(Node::kAtom, fold_ ? 3 : 1);
      case 'D':
      case 'S':
      case 'W':
        return as_written(Node::kAtom, 4);
      case 'p':
      case 'P':
      case 'x':
        if (At('{')) {
          size_t close = p_.find('}', i_);
          if (close == std::string_view::npos) return Fail();
          i_ = close + 1;
        } else {
          i_ = std::min(i_ + (c == 'x' ? 2 : 1), p_.size());
        }
        return as_written(Node::kAtom, 4);
      case 'C':
        return as_written(Node::kAtom, 1);
      case 'Q': {
        size_t end = p_.find("\\E", i_);
        size_t stop = end == std::string_view::npos ? p_.size() : end;
        Node seq = Make(Node::kSeq, {});
        while (i_ < stop) {
          Node ch = Literal();
          if (ch.text.size() == 1 && IsAsciiPunct(ch.text[0])) ch.text = absl::StrCat("\\", ch.text);
          seq.kids.push_back(std::move(ch));
        }
        i_ = end == std::string_view::npos ? p_.size() : end + 2;
        return seq;
      }
      default:
        if (c >= '0' && c <= '7') {  // octal
          for (int k = 0; k < 2 && i_ < p_.size() && p_[i_] >= '0' && p_[i_] <= '7'; ++k) ++i_;
          return as_written(Node::kAtom, 4);
        }
        if (static_cast<unsigned char>(c) >= 0x80) return Fail();
        return as_written(Node::kAtom, Width(c, 1));  // \n, \t, \., ...
    }
  }

  // A class matches one character: its longest member. A negated class
  // counts 4; under case folding a class counts at least 3 (ranges such as
  // !-~ hold letters).
  Node Class() {
    const size_t start = i_++;
    size_t widest = fold_ ? 3 : 1;
    bool wide = false;
    if (At('^')) {
      widest = 4;
      wide = true;
      ++i_;
    }
    bool first = true;
    while (i_ < p_.size()) {
      if (At(']') && !first) {
        ++i_;
        Node n = Make(Node::kAtom, std::string(p_.substr(start, i_ - start)), widest);
        n.wide = wide;
        return n;
      }
      first = false;
      if (p_.substr(i_, 2) == "[:") {
        size_t close = p_.find(":]", i_ + 2);
        if (close == std::string_view::npos) return Fail();
        if (p_[i_ + 2] == '^') widest = 4, wide = true;
        i_ = close + 2;
      } else if (At('\\')) {
        Node e = Escape();
        if (e.kind != Node::kAtom) return Fail();
        widest = std::max(widest, e.width);
        wide = wide || e.wide;
      } else {
        // A character, or either end of a range: the upper end of a range
        // is the longest character in it (UTF-8 length grows with the code
        // point) and is read as a character of its own.
        size_t len = std::min(Utf8Length(p_[i_]), p_.size() - i_);
        widest = std::max(widest, len);
        wide = wide || len > 1;
        i_ += len;
      }
    }
    return Fail();
  }

  std::string_view p_;
  size_t i_ = 0;
  bool fold_;
  bool dot_nl_ = false;
  bool failed_ = false;
};

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
  if (!Reader(pattern, case_sensitive).Read(&root)) return shape;
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
