#include "match/pattern_tree.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace kimitsu::match {
namespace {

using Node = PatternNode;
constexpr size_t kInf = kManyTimes;

size_t Utf8Length(char lead) {
  auto c = static_cast<unsigned char>(lead);
  if (c < 0x80) return 1;
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  return 2;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiPunct(char c) { return c > ' ' && c < 0x7F && !IsAsciiLetter(c) && !(c >= '0' && c <= '9'); }

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
    // As RE2 reads a count: no leading zero, at most 9 digits; else the
    // brace is a literal ("a{01}", "a{9999999999}" match themselves).
    auto digit = [&](size_t k) { return k < p_.size() && p_[k] >= '0' && p_[k] <= '9'; };
    auto number = [&](size_t* value) {
      if (!digit(j) || (p_[j] == '0' && digit(j + 1))) return false;
      size_t n = 0;
      for (; digit(j); ++j) {
        if (n >= 100000000) return false;
        n = n * 10 + static_cast<size_t>(p_[j] - '0');
      }
      *value = n;
      return true;
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

}  // namespace

bool ReadPattern(std::string_view pattern, bool case_sensitive, PatternNode* root) {
  return Reader(pattern, case_sensitive).Read(root);
}

}  // namespace kimitsu::match
