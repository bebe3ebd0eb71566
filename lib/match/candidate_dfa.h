// CandidateDfa: where the next match of any of a policy's rules can start,
// found by DFAs of kimitsu's own instead of RE2's.
//
// RE2's DFA reads a byte in ~9 cycles here: three dependent loads, one of
// them a state's flags. These DFAs read one in ~4: a byte's class, then
// one 32-bit table entry, which is the next state's row, negative where
// the state is special (not built yet, or accepting). They recognise a
// language that holds every match of every pattern, not the patterns
// themselves: assertions (\b, ^, $, \A, \z) are taken as always true, a
// character class that reaches past ASCII as taking any character past
// ASCII, Unicode classes and escapes this reading does not model as any
// character, counts over kMaxCount as open. (Case-insensitive ASCII letters
// take their two cases: RE2 also lets k and s match U+212A and U+017F, which
// NFKC text, all a scanner sees, never holds.)
//
// Next() runs the forward DFA (the approximation, unanchored) to the first
// place e where a match of it ends, then the backward DFA (every prefix of
// a match, reversed) from e back to the leftmost place s where one can
// start. A match of a rule that starts before e ends at or after e, so what
// it has before e is such a prefix: it starts at or after s. So no match of
// any rule starts between `from` and s, and s is where to look.
//
// States are built when the text first needs them, in a Cache each scanner
// keeps (a DFA's table is written as it is read: not shared between
// threads). A cache that reaches kMaxStates states starts again empty.
#ifndef KIMITSU_MATCH_CANDIDATE_DFA_H_
#define KIMITSU_MATCH_CANDIDATE_DFA_H_

#include <atomic>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <memory>
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
  static constexpr size_t kMaxNfaStates = 200000;
  static constexpr size_t kMaxStates = 10000;

  // Null if a pattern uses syntax this reading does not know, the automaton
  // would exceed kMaxNfaStates, or the approximation matches the empty
  // string (it would make every place a candidate).
  // A Cache holds at most `max_states` states of each DFA (at least 4).
  static std::unique_ptr<CandidateDfa> Build(const std::vector<Pattern>& patterns, size_t max_states = kMaxStates);

  class Cache {
   public:
    Cache() = default;
    Cache(const Cache&) = delete;
    Cache& operator=(const Cache&) = delete;
    // States built, forward and backward (for tests and benchmarks).
    size_t forward_states() const { return forward_.sets.size(); }
    size_t backward_states() const { return backward_.sets.size(); }
    size_t resets() const { return forward_.resets + backward_.resets; }

   private:
    friend class CandidateDfa;
    struct Table {
      // Row of state k at k * classes: each entry the next state's row, or
      // kUnknown, or (-2 - row) where the next state is accepting.
      std::vector<int32_t> next;
      std::vector<std::vector<uint32_t>> sets;  // each state's NFA states, sorted
      absl::flat_hash_map<std::string_view, int32_t> rows;  // a set's bytes (in sets) -> its row
      size_t resets = 0;
    };
    uint64_t owner_ = 0;  // the CandidateDfa's id_ (an address may be reused)
    Table forward_, backward_;
    std::vector<uint32_t> mark_;  // per NFA state: the pass that last reached it
    uint32_t pass_ = 0;
    std::vector<uint32_t> stack_, reached_;
  };

  // The least s in [from, end] such that no match of any pattern that lies
  // in text[from, end) starts in [from, s): where one can start; npos if
  // none can lie there. Offsets in `text`.
  size_t Next(std::string_view text, size_t from, size_t end, Cache& cache) const;

  size_t nfa_states() const { return states_.size(); }
  size_t byte_classes() const { return classes_; }

 private:
  static constexpr int32_t kUnknown = -1;
  struct Edge {
    uint32_t mask;  // into masks_
    uint32_t to;
  };
  struct State {
    std::vector<Edge> bytes;
    std::vector<uint32_t> empty;  // ε edges
  };
  friend class NfaBuilder;

  static constexpr size_t kLanes = 4;
  static constexpr size_t kSingle = 256;
  static constexpr size_t kMinLane = 256;
  static constexpr size_t kLane = 4096;
  static constexpr size_t kHistory = 256;
  size_t Run(const uint8_t* p, size_t from, size_t to, int32_t* row, Cache& cache) const;
  size_t Forward(const uint8_t* p, size_t from, size_t end, Cache& cache) const;
  void Finish();
  void Prepare(Cache& cache) const;
  void Reset(Cache::Table& table, bool forward) const;
  int32_t Intern(Cache::Table& table, std::vector<uint32_t> set) const;
  int32_t Step(Cache::Table& table, bool forward, int32_t row, uint8_t cls, Cache& cache) const;
  void Close(const std::vector<State>& graph, Cache& cache) const;

  uint64_t id_ = 0;               // unique in the process: whose a Cache is
  std::vector<State> states_;     // the approximation's NFA (start_, accept_)
  std::vector<State> reversed_;   // its edges reversed
  std::vector<std::bitset<256>> masks_;
  uint32_t start_ = 0, accept_ = 0;
  size_t max_states_ = kMaxStates;
  std::vector<uint32_t> start_set_;  // the forward DFA's start: start_ and what ε reaches
  std::vector<bool> in_start_set_;
  // The NFA states a DFA state's set keeps: those with byte edges (forward
  // or backward) and the goal; forward, not the start state's own.
  std::vector<bool> kept_forward_, kept_backward_;
  std::vector<std::vector<uint32_t>> start_step_;  // per class: the start state's next, less start_set_
  std::vector<uint32_t> live_;       // states from which accept_ can be reached: the backward start
  uint8_t class_of_[256] = {};
  uint8_t representative_[256] = {};  // a byte of each class
  size_t classes_ = 0;
};

}  // namespace kimitsu::match

#endif  // KIMITSU_MATCH_CANDIDATE_DFA_H_
