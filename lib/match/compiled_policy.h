// CompiledPolicy: a Policy turned into what a scan runs — an RE2::Set over
// every rule as a prefilter (and a second over all but the few broad rules),
// one RE2 per rule to extract spans, validators and context matchers
// resolved, and for rules that can match more than kWindowOverlap a pattern
// of their matches' prefixes. Immutable after Compile() (but for the second
// set, made once on first use under std::call_once), so any number of
// threads may scan with one CompiledPolicy at once.
#ifndef KIMITSU_MATCH_COMPILED_POLICY_H_
#define KIMITSU_MATCH_COMPILED_POLICY_H_

#include <re2/re2.h>
#include <re2/set.h>

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "match/candidate_dfa.h"
#include "match/match_length.h"
#include "match/validators.h"
#include "policy/loader.h"
#include "policy/policy.h"

namespace kimitsu::match {

// The scanner searches windows of the text that overlap by this many bytes,
// so a rule whose matches are at most this long (MaxMatchBytes) is found
// exactly as in one search of the whole text. Rules that can match more are
// "long": where one of them has a match in progress at a window's end, that
// rule is searched up to kLongMatch bytes past the window, and a match cut
// there is flagged (kLongMatchCut).
inline constexpr size_t kWindowOverlap = 1024;
inline constexpr size_t kLongMatch = 16 * 1024;

// RE2's memory budgets. RE2 falls back to slower engines, or gives up, when a
// budget is exhausted; the set's budget is shared by its DFA caches, and 64 MiB
// made RE2::Set ~40% faster than the 8 MiB default on a 100-pattern set.
struct CompileOptions {
  int64_t set_max_mem = int64_t{64} << 20;
  int64_t rule_max_mem = int64_t{8} << 20;
  policy::PolicyLimits limits;
};

struct CompiledContext {
  std::unique_ptr<RE2> words;  // an alternation of the context words
  const policy::Context* spec;
};

// Long rules with the same run bytes (MatchShape): a match of one of them in
// progress across a window's last kWindowOverlap bytes leaves a run of at
// least `min_run` such bytes there. `min_run` 0: no run is guaranteed, the
// rules are checked at every window's end.
struct LongRuleGroup {
  std::array<bool, 256> bytes{};
  size_t min_run = 0;
  std::vector<uint32_t> rules;
};

// An RE2 compiled when first asked for, once, whichever thread asks first;
// get() is null if it could not be compiled within its memory budget
// (including the program for searching backwards, which is what the
// patterns made here are for).
class LazyRE2 {
 public:
  LazyRE2(std::string pattern, const RE2::Options& options) : pattern_(std::move(pattern)), options_(options) {}
  const RE2* get() const;

 private:
  std::string pattern_;
  RE2::Options options_;
  mutable std::once_flag once_;
  mutable std::unique_ptr<RE2> re_;
};

struct CompiledRule {
  const policy::Rule* spec;
  size_t tier;                      // index into the policy's tiers
  std::unique_ptr<RE2> re;          // extraction; group 1, if any, is the reported value
  const ValidatorInfo* validator;   // or nullptr
  std::vector<CompiledContext> context;
  bool reports_group = false;       // the pattern has a capturing group
  // Group 1 is always the whole match (`\b(...)\b`): the span comes from
  // RE2's DFAs alone, without its submatch engines, which allocate per call.
  bool group_is_whole = false;
  // For a pattern `(?:^|[...])(...)` (LineStartOrCharPrefix): the first
  // branch followed by the group. Where it matches the whole match, the
  // value is the whole match; elsewhere the match less its first character.
  // This too keeps RE2's submatch engines out of the search.
  std::unique_ptr<RE2> value_at_line_start;
  std::vector<size_t> counters;     // tiers this rule's score weakens
  size_t max_match_bytes = 0;       // bound on a match's length (MaxMatchBytes), or kUnboundedMatch
  // Long rules only: every prefix of a match, then \z (MatchShape::prefixes),
  // and the same for the relaxed pattern, a quicker first check (null if
  // the same). Made when first needed: most rules never have a match in
  // progress at a window's end.
  std::unique_ptr<LazyRE2> prefixes;
  std::unique_ptr<LazyRE2> relaxed_prefixes;
  // The pattern the prefilter searches instead of the rule's own, when the
  // rule has long counted repetitions (MatchShape::relaxed); else empty.
  std::string relaxed;
};

// Whether capturing group 1 of `pattern` always spans the whole match: the
// pattern is that group, with at most the zero-width assertions \b, ^ and $
// around it (`\b(\d{7,8})\b`). False when unsure.
bool GroupIsWholeMatch(std::string_view pattern);

// The length of the prefix `(?:^|C)` or `(?:(?m:^)|C)` of `pattern`, where C
// is one character class, when the rest of the pattern is a group that
// GroupIsWholeMatch accepts (`(?:^|[^0-9+])(\d{10})\b`); else 0.
size_t LineStartOrCharPrefix(std::string_view pattern);

class CompiledPolicy {
 public:
  // Compiles `policy`; on failure returns nullptr and fills `*error` (if not
  // null) with the rule, line and column concerned.
  static std::unique_ptr<CompiledPolicy> Compile(policy::Policy policy, const CompileOptions& options,
                                                 policy::PolicyError* error);

  // Parses and compiles policy text (YAML or JSON).
  static std::unique_ptr<CompiledPolicy> FromText(std::string_view text, std::string_view source,
                                                  const CompileOptions& options, policy::PolicyError* error);

  const policy::Policy& spec() const { return spec_; }
  const std::vector<CompiledRule>& rules() const { return rules_; }
  // The prefilter: the set's index i is rule i.
  const RE2::Set& prefilter() const { return *set_; }
  // The rules whose matches can be longer than kWindowOverlap. Those whose
  // long matches may be made of ordinary text, with one pattern for a prefix
  // of a match of any of them ending at \z (built from the relaxed patterns:
  // a quick, broader first check; made on first use, like the rules' own
  // prefix patterns). The others grouped by what their long matches are
  // made of (a quicker first check).
  const std::vector<uint32_t>& long_rules() const { return long_; }
  const std::vector<uint32_t>& long_union_rules() const { return union_; }
  const LazyRE2* any_in_progress() const { return any_in_progress_.get(); }
  const std::vector<LongRuleGroup>& long_rule_groups() const { return long_groups_; }
  // Where the next match of any rule can start: kimitsu's own DFAs over
  // every rule's prefilter pattern (candidate_dfa.h), or, where those
  // cannot read a pattern, one RE2 of all of them as alternatives (for
  // policies of up to 2,000 rules), whose leftmost search says where the
  // next match of any rule starts. Made on first use (~10 ms for the default
  // policy's DFAs), once, whichever thread asks first; both null if neither
  // can be made (then whole windows are prefiltered).
  const CandidateDfa* candidate_dfa() const {
    std::call_once(candidates_once_, [this] { MakeCandidateFinder(); });
    return candidate_dfa_.get();
  }
  const RE2* any_rule() const {
    std::call_once(candidates_once_, [this] { MakeCandidateFinder(); });
    return any_rule_ != nullptr ? any_rule_->get() : nullptr;
  }
  // The rules that match in ordinary text (ChooseBroadRules), and a set of
  // every other rule, or null. Where the prefilter fires but this set does
  // not, only broad rules can match: the scanner tries them directly instead
  // of asking the prefilter which rules fired, an answer RE2::Set allocates.
  // Both are made on first use (~10 ms for the default policy, most of it
  // compiling the second set), once, whichever thread asks first: a policy
  // that is only checked, or never scans a window where a rule can match,
  // does not pay for them.
  const std::vector<int>& broad_rules() const {
    std::call_once(narrow_once_, [this] { ChooseBroadRules(); });
    return broad_rules_;
  }
  const RE2::Set* narrow_prefilter() const {
    std::call_once(narrow_once_, [this] { ChooseBroadRules(); });
    return narrow_set_.get();
  }
  size_t tier_count() const { return spec_.tiers.size(); }
  size_t default_tier() const { return default_tier_; }
  const std::vector<double>& thresholds() const { return thresholds_; }
  // Index of the tier with this id, or -1.
  int TierIndex(std::string_view id) const;
  // Rough bytes held by the compiled programs (RE2's program sizes).
  size_t ProgramSize() const { return program_size_; }

 private:
  CompiledPolicy() = default;
  void ChooseBroadRules() const;
  void MakeCandidateFinder() const;
  void AddLongRule(CompiledRule* cr, const MatchShape& shape, bool case_sensitive, const CompileOptions& options,
                   std::string* any_prefix);
  static constexpr size_t kMaxUnion = 32;

  policy::Policy spec_;
  std::vector<CompiledRule> rules_;
  std::unique_ptr<RE2::Set> set_;
  std::vector<uint32_t> long_;
  std::vector<uint32_t> union_;
  std::unique_ptr<LazyRE2> any_in_progress_;
  std::vector<LongRuleGroup> long_groups_;
  // Made once, on first use (candidate_dfa(), any_rule()).
  mutable std::once_flag candidates_once_;
  mutable std::unique_ptr<CandidateDfa> candidate_dfa_;
  mutable std::unique_ptr<LazyRE2> any_rule_;
  int64_t set_max_mem_ = 0;
  // Made once, on first use (broad_rules(), narrow_prefilter()).
  mutable std::once_flag narrow_once_;
  mutable std::vector<int> broad_rules_;
  mutable std::unique_ptr<RE2::Set> narrow_set_;
  std::vector<double> thresholds_;
  size_t default_tier_ = 0;
  size_t program_size_ = 0;
};

}  // namespace kimitsu::match

#endif  // KIMITSU_MATCH_COMPILED_POLICY_H_
