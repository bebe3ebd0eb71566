// A compiled policy with its tiers and rules copied out of the C API, so the
// reports can name them without calling back into the library.
#ifndef KIMITSU_CLI_POLICY_H_
#define KIMITSU_CLI_POLICY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "handles.h"

namespace kimitsu_cli {

struct TierInfo {
  std::string id;
  std::string label;
  double threshold = 0;
  bool is_default = false;
};

struct RuleInfo {
  std::string id;
  std::string tier;
  std::string entity;
  std::string description;
  double confidence = 0;
  size_t tier_index = 0;
};

struct Policy {
  PolicyHandle handle;   // immutable, shared by every scanning thread
  std::string source;    // the file it came from, or "built-in default"
  std::vector<TierInfo> tiers;  // highest first; the default tier is last
  std::vector<RuleInfo> rules;

  // The index of the tier called `id`, if the policy has one.
  std::optional<size_t> FindTier(std::string_view id) const;
  // "designated_secret, protected, ..." for messages.
  std::string TierList() const;
  size_t default_tier() const { return tiers.empty() ? 0 : tiers.size() - 1; }
};

// Loads the policy file at `path`, or the built-in default when `path` is
// empty. On failure returns nullopt and sets *error to a message that names
// file:line:column when the library knows them.
std::optional<Policy> LoadPolicy(const std::string& path, std::string* error);

}  // namespace kimitsu_cli

#endif  // KIMITSU_CLI_POLICY_H_
