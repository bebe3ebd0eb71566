// Reading a policy: YAML (or JSON, which is YAML) text to a Policy, with
// errors that name the source, line, column and rule.
#ifndef KIMITSU_POLICY_LOADER_H_
#define KIMITSU_POLICY_LOADER_H_

#include <string>
#include <string_view>

#include "policy/policy.h"

namespace kimitsu::policy {

struct PolicyError {
  std::string source;    // file name, or "<policy>"
  int line = 0;          // 1-based, 0 when unknown
  int column = 0;        // 1-based, 0 when unknown
  std::string rule_id;   // the rule concerned, if any
  std::string message;

  // "source:line:column: rule 'id': message"
  std::string ToString() const;
};

// Hard limits that no policy may exceed, so that a hostile or careless policy
// fails to compile with a clear message instead of exhausting the machine.
struct PolicyLimits {
  size_t max_rules = 20000;
  size_t max_keywords_per_rule = 200000;
  size_t max_keywords_total = 500000;
  size_t max_pattern_bytes = 1 << 20;  // one regex, or one rule's keywords joined
  size_t max_context_words = 1000;     // per context entry
  size_t max_policy_bytes = 64 << 20;
  size_t max_compiled_bytes = size_t{256} << 20;  // the rules' RE2 programs together (CompiledPolicy)
};

// Parses `text`. On failure returns false and fills `*error` (the first
// problem found). Never throws; never crashes on any input.
bool ParsePolicy(std::string_view text, std::string_view source, const PolicyLimits& limits,
                 Policy* out, PolicyError* error);

}  // namespace kimitsu::policy

#endif  // KIMITSU_POLICY_LOADER_H_
