// The text of the built-in default policy (policies/default.yaml), embedded
// at build time by embed_policy.cmake for `kimitsu policy dump`.
#ifndef KIMITSU_CLI_DEFAULT_POLICY_TEXT_H_
#define KIMITSU_CLI_DEFAULT_POLICY_TEXT_H_

#include <string_view>

namespace kimitsu_cli {

std::string_view DefaultPolicyText();

}  // namespace kimitsu_cli

#endif  // KIMITSU_CLI_DEFAULT_POLICY_TEXT_H_
