// The built-in default policy: policies/default.yaml, compiled into the
// library at build time so that it needs no file at run time.
#ifndef KIMITSU_POLICY_DEFAULT_POLICY_H_
#define KIMITSU_POLICY_DEFAULT_POLICY_H_

#include <string_view>

namespace kimitsu::policy {

std::string_view DefaultPolicyText();
inline constexpr std::string_view kDefaultPolicySource = "<default policy>";

}  // namespace kimitsu::policy

#endif  // KIMITSU_POLICY_DEFAULT_POLICY_H_
