// Policies for the benchmarks: generated policies of any size for the
// scaling rows, variants of the default policy with checks removed (to see
// what the checks cost), and the patterns of a compiled policy exported for
// the reference engines.
#ifndef KIMITSU_BENCHMARKS_POLICIES_H_
#define KIMITSU_BENCHMARKS_POLICIES_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "match/compiled_policy.h"
#include "policy/policy.h"

namespace kimitsu::bench {

// A policy of `rules` rules, alternately keyword rules (4–6 invented words,
// Latin or katakana, some of two words) and regex rules (five shapes: codes
// with a prefix, labelled ids, key assignments, katakana-labelled numbers),
// generated from `seed`. The first n rules of a larger policy are the rules
// of the policy of n rules. Some are case-sensitive, most not. Rarely
// matches the benchmark corpus, as a custom policy of project code names
// and document ids would.
std::string GeneratedPolicyYaml(size_t rules, uint64_t seed = 0x5CA1E);

// What a reference engine needs of a rule: the pattern kimitsu compiles
// (keywords joined as KeywordPattern does) and whether it is caseless.
struct ExportedPattern {
  std::string rule_id;
  std::string pattern;
  bool caseless = false;
};
std::vector<ExportedPattern> ExportPatterns(const match::CompiledPolicy& policy);

enum class Variant {
  kFull,       // the policy as written
  kNoContext,  // context entries removed (required-context rules then keep every candidate)
  kBare,       // no context, no validators, no word boundaries, markings as plain matchers
};
const char* VariantName(Variant v);

// The default policy, compiled with the engine's default options, in one of
// the variants. Never null (aborts if the default policy does not compile).
std::unique_ptr<match::CompiledPolicy> CompileDefault(Variant v);

// Compiles policy text with the engine's default options; aborts on error.
std::unique_ptr<match::CompiledPolicy> CompileText(const std::string& text);

}  // namespace kimitsu::bench

#endif  // KIMITSU_BENCHMARKS_POLICIES_H_
