// CandidateDfa: where the next match of any of a policy's rules can start,
// found by DFAs of kimitsu's own instead of RE2's.
//
// RE2's DFA reads a byte in ~9 cycles here, its time that of loads that
// wait for each other. These DFAs' step is one such load (a byte's class
// is known ahead): a 32-bit entry that is the next state's row, 0 where it
// is not built yet, negative where it accepts; and past the first 256
// bytes the text is read as four lanes in step, so that four loads wait at
// once (Forward). They recognise a language that holds every match of
// every pattern, not the patterns themselves: assertions (\b, ^, $, \A,
// \z) are taken as always true, a character class that reaches past ASCII
// as taking any character past ASCII, Unicode classes and escapes this
// reading does not model as any character, counts over kMaxCount as open,
// and case-insensitive characters as their whole case closure (ICU's, a
// superset of RE2's folding: k also matches U+212A KELVIN SIGN).
//
// Next() runs the forward DFA (the approximation, unanchored) to the first
// place e where a match of it ends, then the backward DFA (every prefix of
// a match, reversed) from e back to the leftmost place s where one can
// start. A match of a rule that starts before e ends at or after e, so what
// it has before e is such a prefix: it starts at or after s. So no match of
// any rule starts between `from` and s, and s is where to look.
//
// States are built when a text first needs them, once for every thread
// (as RE2 builds its DFAs' states), and kept; a DFA that reaches its most
// states starts again empty.
#ifndef KIMITSU_MATCH_CANDIDATE_DFA_H_
#define KIMITSU_MATCH_CANDIDATE_DFA_H_

#include <bitset>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace kimitsu::match {

class CandidateDfa {
 public:
  struct Pattern {
    std::string_view pattern;  // RE2 syntax, compiled by RE2 first
    bool case_sensitive = true;
  };
  // Counts over this are taken as open ({n,m} → {min(n, kMaxCount),}):
  // a count multiplies a DFA's states.
  static constexpr size_t kMaxCount = 8;
  static constexpr size_t kMaxNfaStates = 2000000;
  static constexpr size_t kMaxStates = 8192;

  // Null if a pattern uses syntax this reading does not know, the automaton
  // would exceed `max_nfa_states`, or the approximation matches the empty
  // string (it would make every place a candidate). Each DFA holds at most
  // `max_states` states (at least 4); then it starts again empty. (The
  // default policy: ~14,000 NFA states, ~10 ms; a generated policy of
  // 10,000 rules: 1.2 million, ~1.1 s and ~130 MB.)
  static std::unique_ptr<CandidateDfa> Build(const std::vector<Pattern>& patterns, size_t max_states = kMaxStates,
                                             size_t max_nfa_states = kMaxNfaStates);
  ~CandidateDfa();

  // One thread's working space for Next(), kept from call to call (a
  // scanner's). The DFAs' states are the CandidateDfa's, shared.
  class Scratch {
   public:
    Scratch() = default;
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

   private:
    friend class CandidateDfa;
    std::vector<uint32_t> mark_;  // per NFA state: the pass that last reached it
    uint32_t pass_ = 0;
    std::vector<uint32_t> stack_, reached_;
  };

  // A place s in [from, end] such that no match of any pattern that lies
  // in text[from, end) starts in [from, s), at most where the first such
  // match starts; npos if none can lie there. Offsets in `text`. Safe to
  // call from several threads at once, each with its own Scratch.
  size_t Next(std::string_view text, size_t from, size_t end, Scratch& scratch) const;

  size_t nfa_states() const { return states_.size(); }
  size_t byte_classes() const { return classes_; }
  // States built so far, forward and backward; times a DFA started again.
  size_t forward_states() const;
  size_t backward_states() const;
  size_t resets() const;

 private:
  struct Edge {
    uint32_t mask;  // into masks_
    uint32_t to;
  };
  struct State {
    std::vector<Edge> bytes;
    std::vector<uint32_t> empty;  // ε edges
  };
  // A DFA's states. State k's row is at (k + 1) * classes_ in `next`: each
  // entry 0 where the next state is not built yet, else the next state's
  // row, negated where that state is accepting. `next` has room for
  // max_states_ rows and never moves; entries are read without a lock
  // (atomically) and written under build_mutex_, as are `sets` and `rows`.
  struct Table {
    int32_t* next = nullptr;  // calloc'd: pages are used as rows are
    std::vector<std::vector<uint32_t>> sets;  // each state's NFA states, sorted
    absl::flat_hash_map<std::string_view, int32_t> rows;  // a set's bytes (in sets) -> its row
    size_t resets = 0;
    bool full = false;  // a state was wanted and there was no room
  };
  friend class NfaBuilder;

  static constexpr size_t kLanes = 4;
  static constexpr size_t kSingle = 256;
  static constexpr size_t kMinLane = 256;
  static constexpr size_t kLane = 4096;
  static constexpr size_t kHistory = 256;
  // Next() gives up on the DFAs after starting them again this many times in
  // one call (a text that needs more states than they hold): `from`.
  static constexpr int kMaxRestarts = 2;
  static constexpr size_t kRestart = static_cast<size_t>(-2);  // a table was full
  static constexpr int32_t kFull = INT32_MIN;

  size_t Search(const uint8_t* p, size_t from, size_t end, Scratch& scratch) const;
  size_t Run(const uint8_t* p, size_t from, size_t to, int32_t* row, Scratch& scratch) const;
  size_t Forward(const uint8_t* p, size_t from, size_t end, Scratch& scratch) const;
  bool Finish();
  void Prepare(Scratch& scratch) const;
  void Reset(Table& table, bool forward) const;
  int32_t Intern(Table& table, std::vector<uint32_t> set) const;
  int32_t Step(Table& table, bool forward, int32_t row, uint8_t cls, Scratch& scratch) const;
  void Close(const std::vector<State>& graph, Scratch& scratch) const;

  std::vector<State> states_;     // the approximation's NFA (start_, accept_)
  std::vector<State> reversed_;   // its edges reversed
  std::vector<std::bitset<256>> masks_;
  uint32_t start_ = 0, accept_ = 0;
  size_t max_states_ = kMaxStates;
  size_t max_nfa_states_ = kMaxNfaStates;
  // The NFA states a DFA state's set keeps: those with byte edges (forward
  // or backward) and the goal; forward, not the start state's own (start_
  // and what ε reaches from it, part of every forward state).
  std::vector<bool> kept_forward_, kept_backward_;
  std::vector<std::vector<uint32_t>> start_step_;  // per class: the start state's next, as kept
  std::vector<uint32_t> live_;       // states from which accept_ can be reached: the backward start
  uint8_t class_of_[256] = {};
  uint8_t representative_[256] = {};  // a byte of each class
  size_t classes_ = 0;

  // Searches hold search_mutex_ shared; starting a full table again holds
  // it exclusively. Building a state holds build_mutex_.
  mutable std::shared_mutex search_mutex_;
  mutable std::mutex build_mutex_;
  mutable Table forward_, backward_;
};

}  // namespace kimitsu::match

#endif  // KIMITSU_MATCH_CANDIDATE_DFA_H_
