// A test fixture holding the compiled built-in default policy (compiled once
// per test suite) and a scanner, for tests of the default policy's rules.
#ifndef KIMITSU_TESTS_MATCH_DEFAULT_POLICY_FIXTURE_H_
#define KIMITSU_TESTS_MATCH_DEFAULT_POLICY_FIXTURE_H_

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "match/compiled_policy.h"
#include "match/scanner.h"
#include "policy/default_policy.h"
#include "policy/loader.h"

namespace kimitsu::match {

class DefaultPolicyFixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    policy::PolicyError error;
    policy_ = CompiledPolicy::FromText(policy::DefaultPolicyText(), policy::kDefaultPolicySource, {}, &error)
                  .release();
    ASSERT_NE(policy_, nullptr) << error.ToString();
  }
  static void TearDownTestSuite() {
    delete policy_;
    policy_ = nullptr;
  }

  ScanResult Scan(std::string_view input) {
    ScanResult r;
    EXPECT_TRUE(scanner_.Scan(*policy_, input, {}, &r).ok());
    return r;
  }
  // The tier id the default policy gives `input`.
  std::string TierOf(std::string_view input) { return policy_->spec().tiers[Scan(input).tier].id; }
  std::string RuleOf(const Finding& f) { return policy_->spec().rules[f.rule].id; }
  // The ids of the rules with findings in `input`.
  std::set<std::string> RulesOf(std::string_view input) {
    std::set<std::string> out;
    for (const Finding& f : Scan(input).findings) out.insert(RuleOf(f));
    return out;
  }

  static inline const CompiledPolicy* policy_ = nullptr;
  Scanner scanner_;
};

}  // namespace kimitsu::match

#endif  // KIMITSU_TESTS_MATCH_DEFAULT_POLICY_FIXTURE_H_
