#include "match/candidate_dfa.h"

#include <unicode/uchar.h>
#include <unicode/uniset.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <unordered_map>

#include "match/pattern_tree.h"
#include "text/utf8.h"

namespace kimitsu::match {
namespace {

// What one atom of a pattern can match: single bytes, and characters past
// ASCII (any, or exactly one).
struct CharSet {
  std::bitset<256> bytes;
  bool multibyte = false;  // any character past ASCII
  std::string exact;       // else this one, if not empty
  std::vector<std::string> also;  // and these (UTF-8)
};

// Case folding. RE2 folds by Unicode's simple case folding; ICU's case
// closure holds that and more (full foldings too): a larger set, never a
// smaller one. For each ASCII letter, the characters past ASCII in its
// closure (U+212A KELVIN SIGN for k, U+017F LONG S for s).
const std::vector<std::vector<char32_t>>& WideCasesOfAsciiLetters() {
  static const auto* cases = [] {
    auto* v = new std::vector<std::vector<char32_t>>(128);
    for (UChar32 c = 'A'; c <= 'z'; ++c) {
      if (!u_isalpha(c)) continue;
      icu::UnicodeSet set(c, c);
      set.closeOver(USET_CASE_INSENSITIVE);
      for (int32_t i = 0; i < set.getRangeCount(); ++i) {
        for (UChar32 x = set.getRangeStart(i); x <= set.getRangeEnd(i); ++x) {
          if (x >= 0x80) (*v)[static_cast<size_t>(c)].push_back(static_cast<char32_t>(x));
        }
      }
    }
    return v;
  }();
  return *cases;
}

// Case-insensitively: the other case of each ASCII letter in `s`, and
// (unless `s` takes any character past ASCII) the characters past ASCII
// that fold with them.
void AddOtherCase(CharSet& s) {
  for (int c = 'a'; c <= 'z'; ++c) {
    if (s.bytes[c] || s.bytes[c - 32]) s.bytes.set(c).set(c - 32);
  }
  if (s.multibyte) return;
  for (int c = 'A'; c <= 'z'; ++c) {
    if (!s.bytes[c]) continue;
    for (char32_t wide : WideCasesOfAsciiLetters()[static_cast<size_t>(c)]) {
      s.also.emplace_back();
      text::AppendUtf8(wide, s.also.back());
    }
  }
}

// Case-insensitively, a character past ASCII in [lo, hi] lets ASCII letters
// match whose closure holds it.
void AddAsciiFoldingTo(long lo, long hi, CharSet& s) {
  for (int c = 'A'; c <= 'z'; ++c) {
    for (char32_t wide : WideCasesOfAsciiLetters()[static_cast<size_t>(c)]) {
      if (lo <= static_cast<long>(wide) && static_cast<long>(wide) <= hi) s.bytes.set(static_cast<size_t>(c));
    }
  }
}

CharSet AnyCharacter(bool dot_nl) {
  CharSet s;
  for (int c = 0; c < 0x80; ++c) s.bytes.set(c);
  if (!dot_nl) s.bytes.reset('\n');
  s.multibyte = true;
  return s;
}

std::bitset<256> Range(int lo, int hi) {
  std::bitset<256> b;
  for (int c = lo; c <= hi; ++c) b.set(c);
  return b;
}

std::bitset<256> AsciiComplement(const std::bitset<256>& b) { return ~b & Range(0, 0x7F); }

// \d \s \w and their complements (RE2's are ASCII); false for others.
bool PerlClass(char c, CharSet* out) {
  std::bitset<256> b;
  switch (c) {
    case 'd': case 'D': b = Range('0', '9'); break;
    case 's': case 'S': b.set('\t').set('\n').set('\f').set('\r').set(' '); break;
    case 'w': case 'W': b = Range('0', '9') | Range('A', 'Z') | Range('a', 'z'); b.set('_'); break;
    default: return false;
  }
  if (c >= 'A' && c <= 'Z') {
    out->bytes = AsciiComplement(b);
    out->multibyte = true;
  } else {
    out->bytes = b;
  }
  return true;
}

// The character a one-character escape stands for (\n, \., \-, ...), or -1.
int EscapedChar(char c) {
  switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'f': return '\f';
    case 'v': return '\v';
    case 'a': return '\a';
    default: break;
  }
  auto u = static_cast<unsigned char>(c);
  if (u < 0x80 && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return c;
  return -1;
}

// Whether case-insensitively `cp` matches another character (ß: ẞ).
bool HasCase(char32_t cp) {
  icu::UnicodeSet set(static_cast<UChar32>(cp), static_cast<UChar32>(cp));
  set.closeOver(USET_CASE_INSENSITIVE);
  return set.size() > 1;
}

// A class "[...]" as written.
CharSet ClassSet(std::string_view text, bool fold) {
  CharSet s;
  size_t i = 1;
  const bool negated = text.size() > 2 && text[1] == '^';
  if (negated) ++i;
  const std::string_view body = text.substr(i, text.size() - 1 - i);
  bool unknown = false;
  // One character at j (literal or escaped): its code point, or -1 when it
  // is a class (added to s) or unknown.
  auto one = [&](size_t& j) -> long {
    if (body[j] == '\\' && j + 1 < body.size()) {
      char e = body[j + 1];
      j += 2;
      CharSet perl;
      if (PerlClass(e, &perl)) {
        s.bytes |= perl.bytes;
        s.multibyte = s.multibyte || perl.multibyte;
        return -1;
      }
      int c = EscapedChar(e);
      if (c < 0) {
        unknown = true;  // \p, \x, octal: this reading does not model them
        if ((e == 'p' || e == 'P' || e == 'x') && j < body.size() && body[j] == '{') {
          size_t close = body.find('}', j);
          j = close == std::string_view::npos ? body.size() : close + 1;
        }
        return -1;
      }
      return c;
    }
    return static_cast<long>(text::DecodeAt(body, j));
  };
  std::vector<std::pair<long, long>> wide;  // ranges past ASCII
  size_t j = 0;
  while (j < body.size()) {
    if (body.substr(j, 2) == "[:") {
      size_t close = body.find(":]", j + 2);
      unknown = true;
      j = close == std::string_view::npos ? body.size() : close + 2;
      continue;
    }
    long lo = one(j);
    if (lo < 0) continue;
    long hi = lo;
    if (j + 1 < body.size() && body[j] == '-') {
      size_t k = j + 1;
      long h = one(k);
      if (h >= 0) {
        hi = h;
        j = k;
      }
    }
    if (hi >= 0x80) {
      s.multibyte = true;
      wide.emplace_back(std::max<long>(lo, 0x80), hi);
    }
    if (lo < 0x80) s.bytes |= Range(static_cast<int>(lo), static_cast<int>(std::min<long>(hi, 0x7F)));
  }
  if (unknown) return AnyCharacter(true);
  if (negated) {
    // Without the other cases first: a larger set, never a smaller one.
    s.bytes = AsciiComplement(s.bytes);
    s.multibyte = true;
  } else if (fold) {
    for (auto [lo, hi] : wide) AddAsciiFoldingTo(lo, hi, s);
    AddOtherCase(s);
  }
  return s;
}

CharSet AtomSet(const PatternNode& atom) {
  const std::string& t = atom.text;
  CharSet s;
  if (t == ".") return AnyCharacter(atom.dot_nl);
  if (t.size() >= 2 && t[0] == '[') return ClassSet(t, atom.fold);
  if (t.size() >= 2 && t[0] == '\\') {
    if (t.size() == 2 && PerlClass(t[1], &s)) {
      if (atom.fold && !s.multibyte) AddOtherCase(s);
      return s;
    }
    if (t == "\\C") {
      s.bytes.set();
      return s;
    }
    int c = t.size() == 2 ? EscapedChar(t[1]) : -1;
    if (c < 0) return AnyCharacter(true);  // \p, \x, octal
    s.bytes.set(static_cast<size_t>(c));
  } else {
    size_t at = 0;
    const char32_t cp = text::DecodeAt(t, at);
    if (cp >= 0x80) {
      if (atom.fold && HasCase(cp)) {
        s.multibyte = true;
        AddAsciiFoldingTo(static_cast<long>(cp), static_cast<long>(cp), s);
        AddOtherCase(s);
      } else {
        s.exact = t;
      }
      return s;
    }
    s.bytes.set(cp);
  }
  if (atom.fold) AddOtherCase(s);
  return s;
}

}  // namespace

// Builds the approximation's NFA (Thompson's construction: each fragment
// has one way in and one way out).
class NfaBuilder {
 public:
  explicit NfaBuilder(CandidateDfa* dfa) : d_(dfa) {}

  struct Frag {
    uint32_t in, out;
  };

  uint32_t NewState() {
    d_->states_.emplace_back();
    if (d_->states_.size() > d_->max_nfa_states_) too_large_ = true;
    return static_cast<uint32_t>(d_->states_.size() - 1);
  }
  void Empty(uint32_t from, uint32_t to) { d_->states_[from].empty.push_back(to); }
  void Bytes(uint32_t from, const std::bitset<256>& mask, uint32_t to) {
    auto [it, added] = mask_index_.try_emplace(mask, static_cast<uint32_t>(d_->masks_.size()));
    if (added) d_->masks_.push_back(mask);
    d_->states_[from].bytes.push_back({it->second, to});
  }

  bool too_large() const { return too_large_; }

  Frag Build(const PatternNode& n) {
    if (too_large_) return Epsilon();
    switch (n.kind) {
      case PatternNode::kAtom:
        return Chars(AtomSet(n));
      case PatternNode::kAssertion:
      case PatternNode::kFlags:
        return Epsilon();
      case PatternNode::kSeq: {
        Frag f = Epsilon();
        for (const PatternNode& k : n.kids) {
          Frag g = Build(k);
          Empty(f.out, g.in);
          f.out = g.out;
        }
        return f;
      }
      case PatternNode::kAlt: {
        Frag f{NewState(), NewState()};
        for (const PatternNode& k : n.kids) {
          Frag g = Build(k);
          Empty(f.in, g.in);
          Empty(g.out, f.out);
        }
        return f;
      }
      case PatternNode::kRepeat:
        return Repeat(n);
      case PatternNode::kGroup:
        return Build(n.kids[0]);
    }
    return Epsilon();
  }

 private:
  Frag Epsilon() {
    uint32_t s = NewState();
    return {s, s};
  }

  Frag Chars(const CharSet& set) {
    Frag f{NewState(), NewState()};
    if ((set.bytes & Range(0, 0x7F)).any()) Bytes(f.in, set.bytes & Range(0, 0x7F), f.out);
    if ((set.bytes & Range(0x80, 0xFF)).any()) Bytes(f.in, set.bytes & Range(0x80, 0xFF), f.out);  // \C
    if (set.multibyte) {
      // A lead byte and one to three continuation bytes.
      uint32_t a = NewState(), b = NewState(), c = NewState();
      Bytes(f.in, Range(0xC0, 0xFF), a);
      Bytes(a, Range(0x80, 0xBF), b);
      Empty(b, f.out);
      Bytes(b, Range(0x80, 0xBF), c);
      Empty(c, f.out);
      uint32_t e = NewState();
      Bytes(c, Range(0x80, 0xBF), e);
      Empty(e, f.out);
    } else {
      if (!set.exact.empty()) Sequence(f, set.exact);
      for (const std::string& also : set.also) Sequence(f, also);
    }
    return f;
  }

  // The bytes of `s` one after the other, from f.in to f.out.
  void Sequence(Frag f, const std::string& s) {
    uint32_t at = f.in;
    for (size_t i = 0; i < s.size(); ++i) {
      uint32_t to = i + 1 == s.size() ? f.out : NewState();
      std::bitset<256> m;
      m.set(static_cast<unsigned char>(s[i]));
      Bytes(at, m, to);
      at = to;
    }
  }

  Frag Repeat(const PatternNode& n) {
    const PatternNode& k = n.kids[0];
    size_t least = n.least, most = n.most;
    if (most == kManyTimes || most > CandidateDfa::kMaxCount || least > CandidateDfa::kMaxCount) {
      least = std::min(least, CandidateDfa::kMaxCount);
      most = kManyTimes;
    }
    Frag f = Epsilon();
    for (size_t i = 0; i < least && !too_large_; ++i) {
      Frag g = Build(k);
      Empty(f.out, g.in);
      f.out = g.out;
    }
    if (most == kManyTimes) {
      // x*: around and around, or past.
      Frag g = Build(k);
      uint32_t out = NewState();
      Empty(f.out, g.in);
      Empty(g.out, g.in);
      Empty(f.out, out);
      Empty(g.out, out);
      f.out = out;
    } else {
      // Up to most − least more, each optional: (x(x(x)?)?)?
      uint32_t out = NewState();
      for (size_t i = least; i < most && !too_large_; ++i) {
        Frag g = Build(k);
        Empty(f.out, out);
        Empty(f.out, g.in);
        f.out = g.out;
      }
      Empty(f.out, out);
      f.out = out;
    }
    return f;
  }

  CandidateDfa* d_;
  std::unordered_map<std::bitset<256>, uint32_t> mask_index_;  // into d_->masks_
  bool too_large_ = false;
};

std::unique_ptr<CandidateDfa> CandidateDfa::Build(const std::vector<Pattern>& patterns, size_t max_states,
                                                  size_t max_nfa_states) {
  auto dfa = std::unique_ptr<CandidateDfa>(new CandidateDfa());
  dfa->max_states_ = std::max<size_t>(max_states, 4);
  dfa->max_nfa_states_ = max_nfa_states;
  NfaBuilder b(dfa.get());
  dfa->start_ = b.NewState();
  dfa->accept_ = b.NewState();
  for (const Pattern& p : patterns) {
    PatternNode root;
    if (!ReadPattern(p.pattern, p.case_sensitive, &root)) return nullptr;
    NfaBuilder::Frag f = b.Build(root);
    if (b.too_large()) return nullptr;
    b.Empty(dfa->start_, f.in);
    b.Empty(f.out, dfa->accept_);
  }
  if (patterns.empty() || !dfa->Finish()) return nullptr;
  // Rows for max_states_ states, after an unused row 0 and before the
  // frozen state's row, which leads only to itself (Forward's lanes).
  const size_t frozen = (dfa->max_states_ + 1) * dfa->classes_;
  for (Table* t : {&dfa->forward_, &dfa->backward_}) {
    t->next = static_cast<int32_t*>(std::calloc(frozen + dfa->classes_, sizeof(int32_t)));
    if (t->next == nullptr) return nullptr;
  }
  std::fill(dfa->forward_.next + frozen, dfa->forward_.next + frozen + dfa->classes_, static_cast<int32_t>(frozen));
  dfa->Reset(dfa->forward_, true);
  dfa->Reset(dfa->backward_, false);
  return dfa;
}

// False if the approximation matches the empty string, or nothing.
bool CandidateDfa::Finish() {
  // Byte classes: bytes that no mask tells apart.
  std::vector<std::vector<bool>> seen;
  for (int c = 0; c < 256; ++c) {
    std::vector<bool> key(masks_.size());  // which masks hold c
    for (size_t m = 0; m < masks_.size(); ++m) key[m] = masks_[m][c];
    auto it = std::find(seen.begin(), seen.end(), key);
    if (it == seen.end()) {
      seen.push_back(key);
      representative_[seen.size() - 1] = static_cast<uint8_t>(c);
      it = seen.end() - 1;
    }
    class_of_[c] = static_cast<uint8_t>(it - seen.begin());
  }
  classes_ = seen.size();
  // The reversed graph, and the states from which accept_ is reached.
  reversed_.assign(states_.size(), {});
  for (uint32_t s = 0; s < states_.size(); ++s) {
    for (const Edge& e : states_[s].bytes) reversed_[e.to].bytes.push_back({e.mask, s});
    for (uint32_t t : states_[s].empty) reversed_[t].empty.push_back(s);
  }
  std::vector<bool> live(states_.size(), false);
  std::vector<uint32_t> stack{accept_};
  live[accept_] = true;
  while (!stack.empty()) {
    uint32_t s = stack.back();
    stack.pop_back();
    auto visit = [&](uint32_t t) {
      if (!live[t]) {
        live[t] = true;
        stack.push_back(t);
      }
    };
    for (const Edge& e : reversed_[s].bytes) visit(e.to);
    for (uint32_t t : reversed_[s].empty) visit(t);
  }
  for (uint32_t s = 0; s < states_.size(); ++s) {
    if (live[s]) live_.push_back(s);
  }
  // The forward start: start_ and its ε closure.
  Scratch scratch;
  scratch.mark_.assign(states_.size(), 0);
  scratch.reached_ = {start_};
  Close(states_, scratch);
  const std::vector<uint32_t> start_set = scratch.reached_;
  std::vector<bool> in_start_set(states_.size(), false);
  for (uint32_t s : start_set) in_start_set[s] = true;
  if (in_start_set[accept_]) return false;
  kept_forward_.assign(states_.size(), false);
  kept_backward_.assign(states_.size(), false);
  for (uint32_t s = 0; s < states_.size(); ++s) {
    kept_forward_[s] = (!states_[s].bytes.empty() || s == accept_) && !in_start_set[s];
    kept_backward_[s] = !reversed_[s].bytes.empty() || s == start_;
  }
  std::erase_if(live_, [&](uint32_t s) { return !kept_backward_[s]; });
  // Where the start state goes on each class (less the start state's own
  // NFA states, which every forward state holds and none stores).
  start_step_.assign(classes_, {});
  for (size_t c = 0; c < classes_; ++c) {
    scratch.reached_.clear();
    for (uint32_t s : start_set) {
      for (const Edge& e : states_[s].bytes) {
        if (masks_[e.mask][representative_[c]]) scratch.reached_.push_back(e.to);
      }
    }
    Close(states_, scratch);
    for (uint32_t s : scratch.reached_) {
      if (kept_forward_[s]) start_step_[c].push_back(s);
    }
    std::sort(start_step_[c].begin(), start_step_[c].end());
  }
  return !live_.empty();
}

// Adds to scratch.reached_ what its states reach by ε edges of `graph`.
void CandidateDfa::Close(const std::vector<State>& graph, Scratch& scratch) const {
  if (++scratch.pass_ == 0) {  // (after 2^32 passes: marks of old passes would look new)
    std::fill(scratch.mark_.begin(), scratch.mark_.end(), 0);
    scratch.pass_ = 1;
  }
  const uint32_t pass = scratch.pass_;
  scratch.stack_.clear();
  for (uint32_t s : scratch.reached_) {
    if (scratch.mark_[s] != pass) {  // (reached_ may hold a state twice)
      scratch.mark_[s] = pass;
      scratch.stack_.push_back(s);
    }
  }
  scratch.reached_.clear();
  while (!scratch.stack_.empty()) {
    uint32_t s = scratch.stack_.back();
    scratch.stack_.pop_back();
    scratch.reached_.push_back(s);
    for (uint32_t t : graph[s].empty) {
      if (scratch.mark_[t] != pass) {
        scratch.mark_[t] = pass;
        scratch.stack_.push_back(t);
      }
    }
  }
}

void CandidateDfa::Prepare(Scratch& scratch) const {
  if (scratch.mark_.size() != states_.size()) {
    scratch.mark_.assign(states_.size(), 0);
    scratch.pass_ = 0;
  }
}

CandidateDfa::~CandidateDfa() {
  std::free(forward_.next);
  std::free(backward_.next);
}

// Empties a table but for its start state (row 1 × classes_) and, backward,
// the dead state (row 2 × classes_: no NFA state). With no search running.
void CandidateDfa::Reset(Table& table, bool forward) const {
  if (!table.sets.empty()) {
    ++table.resets;
    std::memset(table.next, 0, (table.sets.size() + 1) * classes_ * sizeof(int32_t));
  }
  table.sets.clear();
  table.rows.clear();
  table.full = false;
  Intern(table, forward ? std::vector<uint32_t>{} : live_);
  if (!forward) Intern(table, {});
}

int32_t CandidateDfa::Intern(Table& table, std::vector<uint32_t> set) const {
  const std::string_view key(reinterpret_cast<const char*>(set.data()), set.size() * sizeof(uint32_t));
  if (auto it = table.rows.find(key); it != table.rows.end()) return it->second;
  const auto row = static_cast<int32_t>((table.sets.size() + 1) * classes_);
  table.sets.push_back(std::move(set));
  const std::vector<uint32_t>& stored = table.sets.back();  // its buffer stays where it is
  table.rows.emplace(std::string_view(reinterpret_cast<const char*>(stored.data()), stored.size() * sizeof(uint32_t)),
                     row);
  return row;
}

namespace {

int32_t Load(int32_t* entry) { return std::atomic_ref<int32_t>(*entry).load(std::memory_order_acquire); }

}  // namespace

// The entry for the state at `row` reading a byte of class `cls`, made now;
// kFull if it needs a state the table has no room for.
// (A forward state's set leaves out the start state's, part of them all.)
int32_t CandidateDfa::Step(Table& table, bool forward, int32_t row, uint8_t cls, Scratch& scratch) const {
  std::lock_guard<std::mutex> lock(build_mutex_);
  int32_t* slot = &table.next[static_cast<size_t>(row) + cls];
  if (int32_t x = Load(slot); x != 0) return x;  // made meanwhile by another thread
  const std::vector<State>& graph = forward ? states_ : reversed_;
  const uint8_t byte = representative_[cls];
  scratch.reached_.clear();
  for (uint32_t s : table.sets[static_cast<size_t>(row) / classes_ - 1]) {
    for (const Edge& e : graph[s].bytes) {
      if (masks_[e.mask][byte]) scratch.reached_.push_back(e.to);
    }
  }
  Close(graph, scratch);
  // Sorted: a large set by reading the marks Close left, a small one by
  // sorting it. Only NFA states with byte edges, and the goal, tell DFA
  // states apart.
  std::vector<uint32_t>& own = scratch.stack_;  // (free after Close)
  own.clear();
  const std::vector<bool>& kept = forward ? kept_forward_ : kept_backward_;
  if (scratch.reached_.size() * 16 > states_.size()) {
    for (uint32_t s = 0; s < states_.size(); ++s) {
      if (scratch.mark_[s] == scratch.pass_ && kept[s]) own.push_back(s);
    }
  } else {
    for (uint32_t s : scratch.reached_) {
      if (kept[s]) own.push_back(s);
    }
    std::sort(own.begin(), own.end());
  }
  std::vector<uint32_t> set;
  if (forward) {
    const std::vector<uint32_t>& from_start = start_step_[cls];
    set.reserve(own.size() + from_start.size());
    std::set_union(own.begin(), own.end(), from_start.begin(), from_start.end(), std::back_inserter(set));
  } else {
    set = own;
  }
  const uint32_t goal = forward ? accept_ : start_;
  const bool accepting = std::binary_search(set.begin(), set.end(), goal);
  const std::string_view key(reinterpret_cast<const char*>(set.data()), set.size() * sizeof(uint32_t));
  if (table.sets.size() >= max_states_ && !table.rows.contains(key)) {
    table.full = true;
    return kFull;
  }
  const int32_t to = Intern(table, std::move(set));
  const int32_t entry = accepting ? -to : to;
  std::atomic_ref<int32_t>(*slot).store(entry, std::memory_order_release);
  return entry;
}

// The forward DFA from `*row` over [from, to): where it first accepts (the
// place after the byte), or npos with `*row` its state at `to`; kRestart if
// the table is full.
size_t CandidateDfa::Run(const uint8_t* p, size_t from, size_t to, int32_t* row, Scratch& scratch) const {
  int32_t* next = forward_.next;
  int32_t r = *row;
  for (size_t i = from; i < to; ++i) {
    const uint8_t cls = class_of_[p[i]];
    int32_t x = Load(&next[r + cls]);
    if (x <= 0) {
      if (x == 0 && (x = Step(forward_, true, r, cls, scratch)) == kFull) return kRestart;
      if (x < 0) {
        *row = -x;
        return i + 1;
      }
    }
    r = x;
  }
  *row = r;
  return std::string_view::npos;
}

namespace {

// The four lanes from step i on, in step, while every entry is an ordinary
// state's; returns the step where one is not, or `lane`. The states stay in
// registers (an array would put a store and a load in each lookup's wait);
// each lane's first kHistory states are recorded.
template <size_t kHistory>
size_t LockStep(int32_t* next, const uint8_t* class_of, const uint8_t* base, size_t lane, int32_t* rows, size_t i,
                int32_t (*history)[kHistory]) {
  const uint8_t* b0 = base;
  const uint8_t* b1 = base + lane;
  const uint8_t* b2 = b1 + lane;
  const uint8_t* b3 = b2 + lane;
  int32_t r0 = rows[0], r1 = rows[1], r2 = rows[2], r3 = rows[3];
  auto step = [&](size_t j) {
    const int32_t x0 = Load(&next[r0 + class_of[b0[j]]]);
    const int32_t x1 = Load(&next[r1 + class_of[b1[j]]]);
    const int32_t x2 = Load(&next[r2 + class_of[b2[j]]]);
    const int32_t x3 = Load(&next[r3 + class_of[b3[j]]]);
    if (((x0 - 1) | (x1 - 1) | (x2 - 1) | (x3 - 1)) < 0) return false;  // 0 (not built) or accepting
    r0 = x0, r1 = x1, r2 = x2, r3 = x3;
    return true;
  };
  for (; i < std::min(lane, kHistory); ++i) {
    if (!step(i)) break;
    history[0][i] = r0, history[1][i] = r1, history[2][i] = r2, history[3][i] = r3;
  }
  if (i >= kHistory) {
    for (; i < lane; ++i) {
      if (!step(i)) break;
    }
  }
  rows[0] = r0, rows[1] = r1, rows[2] = r2, rows[3] = r3;
  return i;
}

}  // namespace

// Where the first match of the approximation that starts at or after `from`
// ends; npos for none before `end`; kRestart if the table is full.
//
// One DFA reads a byte per table lookup, each waiting for the last: the
// time is the lookups' latency. So past the first kSingle bytes (where
// candidates close together are found without waste), the text is read in
// blocks of kLanes lanes, each lane started in the start state and all
// read in step, their lookups overlapping. The DFA reading from `from`
// (the exact one) holds, at any place in a lane, every state the lane's DFA
// does (which started in the start state, itself part of every state), and
// also the matches in progress from before the lane; once those end, the
// two are in the same state, and the lane's findings from there on are
// exact. So each lane is read again from the exact state the lanes before
// it end in, up to where it is in step with the lane's own first
// kHistory states (usually a few bytes: at the next space or line end).
size_t CandidateDfa::Forward(const uint8_t* p, size_t from, size_t end, Scratch& scratch) const {
  constexpr size_t kNone = std::string_view::npos;
  const auto start = static_cast<int32_t>(classes_);
  int32_t row = start;
  size_t at = std::min(end, from + kSingle);
  if (size_t e = Run(p, from, at, &row, scratch); e != kNone) return e;
  int32_t* next = forward_.next;
  const auto frozen = static_cast<int32_t>((max_states_ + 1) * classes_);
  int32_t history[kLanes][kHistory];
  while (end - at >= kLanes * kMinLane) {
    const size_t lane = std::min(kLane, (end - at) / kLanes);
    static_assert(kLanes == 4);  // (LockStep)
    int32_t rows[kLanes];
    size_t accepted[kLanes];
    std::fill(accepted, accepted + kLanes, kNone);
    size_t first_accepting = kLanes;  // none
    std::fill(rows, rows + kLanes, start);
    // A lane that accepts, and those after it, are not needed: they go on
    // in the frozen state, so that the others stay in step.
    size_t i = 0;
    while (true) {
      i = LockStep(next, class_of_, p + at, lane, rows, i, history);
      if (i == lane) break;
      // At step i an entry is 0 (not built) or accepting.
      int32_t x[kLanes];
      for (size_t k = 0; k < kLanes; ++k) {
        const uint8_t cls = class_of_[p[at + k * lane + i]];
        x[k] = Load(&next[rows[k] + cls]);
        if (x[k] == 0 && (x[k] = Step(forward_, true, rows[k], cls, scratch)) == kFull) return kRestart;
      }
      for (size_t k = 0; k < first_accepting; ++k) {
        if (x[k] < 0) {
          accepted[k] = at + k * lane + i + 1;
          first_accepting = k;
        }
      }
      if (first_accepting == 0) break;
      for (size_t k = 0; k < kLanes; ++k) {
        rows[k] = k < first_accepting ? x[k] : frozen;
        if (i < kHistory) history[k][i] = rows[k];
      }
      ++i;
    }
    const size_t recorded = std::min(i, kHistory);
    // Lane by lane, up to the first that accepted: `row` is the exact state
    // at its start.
    for (size_t k = 0; k < std::min(first_accepting + 1, kLanes); ++k) {
      const size_t lane_start = at + k * lane, lane_end = lane_start + lane;
      bool in_step = row == start;
      size_t pos = lane_start;
      for (size_t j = 0; !in_step && j < recorded; ++j, ++pos) {
        const uint8_t cls = class_of_[p[pos]];
        int32_t x = Load(&next[row + cls]);
        if (x == 0 && (x = Step(forward_, true, row, cls, scratch)) == kFull) return kRestart;
        if (x < 0) return pos + 1;
        row = x;
        in_step = row == history[k][j];
      }
      if (!in_step) {
        // Not in step within the recorded states: the lane's findings say
        // nothing; read the rest of it exactly.
        size_t e = Run(p, pos, lane_end, &row, scratch);
        if (e != kNone) return e;  // (or kRestart)
        continue;
      }
      // (An accepting place before `pos` would have been found above.)
      if (accepted[k] != kNone) return accepted[k];
      row = rows[k];
    }
    at += kLanes * lane;
  }
  return Run(p, at, end, &row, scratch);
}

// Next() with search_mutex_ held shared; kRestart if a table was full.
size_t CandidateDfa::Search(const uint8_t* p, size_t from, size_t end, Scratch& scratch) const {
  const size_t e = Forward(p, from, end, scratch);
  if (e == std::string_view::npos || e == kRestart) return e;
  // Backward from e over what can be a prefix of a match; the leftmost
  // place where one can start. (The empty prefix is one: s ≤ e.)
  int32_t* next = backward_.next;
  const auto dead = static_cast<int32_t>(2 * classes_);
  auto row = static_cast<int32_t>(classes_);
  size_t s = e;
  for (size_t i = e; i > from;) {
    --i;
    const uint8_t cls = class_of_[p[i]];
    int32_t x = Load(&next[row + cls]);
    if (x == 0 && (x = Step(backward_, false, row, cls, scratch)) == kFull) return kRestart;
    if (x < 0) {
      row = -x;
      s = i;
    } else {
      row = x;
    }
    if (row == dead) break;
  }
  return s;
}

size_t CandidateDfa::Next(std::string_view text, size_t from, size_t end, Scratch& scratch) const {
  Prepare(scratch);
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  for (int restarts = 0;; ++restarts) {
    {
      std::shared_lock<std::shared_mutex> lock(search_mutex_);
      const size_t s = Search(p, from, end, scratch);
      if (s != kRestart) return s;
    }
    // A text that needs more states than the tables hold: where any match
    // can start, as far as this call knows.
    if (restarts == kMaxRestarts) return from;
    std::unique_lock<std::shared_mutex> lock(search_mutex_);
    std::lock_guard<std::mutex> build(build_mutex_);
    if (forward_.full) Reset(forward_, true);
    if (backward_.full) Reset(backward_, false);
  }
}

size_t CandidateDfa::forward_states() const {
  std::lock_guard<std::mutex> lock(build_mutex_);
  return forward_.sets.size();
}

size_t CandidateDfa::backward_states() const {
  std::lock_guard<std::mutex> lock(build_mutex_);
  return backward_.sets.size();
}

size_t CandidateDfa::resets() const {
  std::lock_guard<std::mutex> lock(build_mutex_);
  return forward_.resets + backward_.resets;
}

}  // namespace kimitsu::match
