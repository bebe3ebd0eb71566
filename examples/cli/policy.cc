#include "policy.h"

namespace kimitsu_cli {

std::optional<size_t> Policy::FindTier(std::string_view id) const {
  for (size_t i = 0; i < tiers.size(); ++i) {
    if (tiers[i].id == id) return i;
  }
  return std::nullopt;
}

std::string Policy::TierList() const {
  std::string out;
  for (const TierInfo& t : tiers) {
    if (!out.empty()) out += ", ";
    out += t.id;
  }
  return out;
}

namespace {

std::string OrEmpty(const char* s) { return s ? s : ""; }

// Copies the tiers and rules of `p.handle` into `p`.
bool Describe(Policy& p, std::string* error) {
  size_t tiers = kimitsu_policy_tier_count(p.handle.get());
  for (size_t i = 0; i < tiers; ++i) {
    kimitsu_tier_info info = KIMITSU_TIER_INFO_INIT;
    if (kimitsu_status s = kimitsu_policy_tier(p.handle.get(), i, &info); s != KIMITSU_OK) {
      *error = std::string("cannot read tier: ") + kimitsu_status_string(s);
      return false;
    }
    p.tiers.push_back({OrEmpty(info.id), OrEmpty(info.label), info.threshold, info.is_default != 0});
  }
  size_t rules = kimitsu_policy_rule_count(p.handle.get());
  for (size_t i = 0; i < rules; ++i) {
    kimitsu_rule_info info = KIMITSU_RULE_INFO_INIT;
    if (kimitsu_status s = kimitsu_policy_rule(p.handle.get(), i, &info); s != KIMITSU_OK) {
      *error = std::string("cannot read rule: ") + kimitsu_status_string(s);
      return false;
    }
    p.rules.push_back({OrEmpty(info.id), OrEmpty(info.tier), OrEmpty(info.entity), OrEmpty(info.description),
                       info.confidence, info.tier_index});
  }
  if (p.tiers.empty()) {
    *error = "the policy has no tiers";
    return false;
  }
  return true;
}

}  // namespace

std::optional<Policy> LoadPolicy(const std::string& path, std::string* error) {
  Policy p;
  kimitsu_policy* raw = nullptr;
  if (path.empty()) {
    p.source = "built-in default";
    if (kimitsu_status s = kimitsu_policy_default(&raw); s != KIMITSU_OK) {
      *error = std::string("built-in default policy: ") + kimitsu_status_string(s);
      return std::nullopt;
    }
  } else {
    p.source = path;
    kimitsu_error* raw_error = nullptr;
    kimitsu_status s = kimitsu_policy_load_file(path.c_str(), &raw, &raw_error);
    ErrorHandle err(raw_error);
    if (s != KIMITSU_OK) {
      const char* message = err ? kimitsu_error_message(err.get()) : nullptr;
      *error = message && *message ? message : path + ": " + kimitsu_status_string(s);
      return std::nullopt;
    }
  }
  p.handle.reset(raw);
  if (!Describe(p, error)) return std::nullopt;
  return p;
}

}  // namespace kimitsu_cli
