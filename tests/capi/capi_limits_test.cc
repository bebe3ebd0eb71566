// The C API's limits: kimitsu_policy_options (compile budgets and policy
// limits) and kimitsu_scan_options.max_excerpt_bytes. Every limit hit is a
// clear compile error naming the limit and the rule, or a flag on the result
// (with INCOMPLETE only where the tier could be affected). Public header and
// shared library only, like capi_test.cc.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kimitsu/kimitsu.h"
#include "capi_handles.h"

namespace {

using kimitsu_test::Compiled;
using kimitsu_test::ErrorPtr;
using kimitsu_test::PolicyPtr;
using kimitsu_test::ResultPtr;

Compiled Compile(std::string_view text, const kimitsu_policy_options* options) {
  return kimitsu_test::CompileWith(text, options);
}
ResultPtr Scan(const kimitsu_policy* policy, std::string_view data, const kimitsu_scan_options* options) {
  return kimitsu_test::ScanWith(policy, data, options);
}

::testing::AssertionResult Contains(std::string_view s, std::string_view part) {
  if (s.find(part) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << s << "' does not contain '" << part << "'";
}

kimitsu_policy_options PolicyOptions() {
  kimitsu_policy_options o;
  EXPECT_EQ(kimitsu_policy_options_init(&o, sizeof o), KIMITSU_OK);
  return o;
}

constexpr std::string_view kHead =
    "tiers:\n"                          // 1
    "  - {id: high, threshold: 0.5}\n"  // 2
    "  - {id: low}\n"                   // 3
    "default_tier: low\n"               // 4
    "rules:\n";                         // 5

// Line 6: a small rule; line 7: one whose regex needs ~100 KiB of program.
std::string TwoRules() {
  return std::string(kHead) +
         "  - {id: small, tier: high, confidence: 0.9, regex: 'BLUEBIRD'}\n"                  // 6
         "  - {id: big, tier: high, confidence: 0.9, regex: '[a-z]{1,300}x[0-9]{1,300}'}\n";  // 7
}

// ---------------------------------------------------------------------------
// kimitsu_policy_options

TEST(CapiPolicyOptions, InitMacroMatchesInitFunctionAndZeroMeansDefault) {
  kimitsu_policy_options a = KIMITSU_POLICY_OPTIONS_INIT, b;
  std::memset(&b, 0x5A, sizeof b);
  ASSERT_EQ(kimitsu_policy_options_init(&b, sizeof b), KIMITSU_OK);
  EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0);
  EXPECT_EQ(b.struct_size, sizeof b);
  EXPECT_EQ(b.prefilter_max_mem, 0u);
  EXPECT_EQ(kimitsu_policy_options_init(&b, 0), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(kimitsu_policy_options_init(&b, sizeof b - 1), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(kimitsu_policy_options_init(nullptr, sizeof b), KIMITSU_E_INVALID_ARGUMENT);

  // All zero is the defaults: the same policy as kimitsu_policy_compile.
  Compiled with = Compile(TwoRules(), &a);
  Compiled without = Compile(TwoRules(), nullptr);
  ASSERT_EQ(with.status, KIMITSU_OK) << with.message();
  ASSERT_EQ(without.status, KIMITSU_OK) << without.message();
  EXPECT_EQ(kimitsu_policy_rule_count(with.policy.get()), 2u);
}

TEST(CapiPolicyOptions, BadArguments) {
  kimitsu_policy_options o = PolicyOptions();
  std::string text = TwoRules();
  kimitsu_policy* p = reinterpret_cast<kimitsu_policy*>(uintptr_t{1});
  kimitsu_error* e = reinterpret_cast<kimitsu_error*>(uintptr_t{1});

  o.struct_size = sizeof o - 1;
  EXPECT_EQ(kimitsu_policy_compile_v2(text.data(), text.size(), &o, &p, &e), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(e, nullptr);
  EXPECT_EQ(kimitsu_policy_load_file_v2("/nonexistent/policy.yaml", &o, &p, &e), KIMITSU_E_STRUCT_SIZE);

  o = PolicyOptions();
  o.rule_max_mem = uint64_t{1} << 63;  // past INT64_MAX
  EXPECT_EQ(kimitsu_policy_compile_v2(text.data(), text.size(), &o, &p, &e), KIMITSU_E_INVALID_ARGUMENT);
  o = PolicyOptions();
  o.prefilter_max_mem = UINT64_MAX;
  EXPECT_EQ(kimitsu_policy_compile_v2(text.data(), text.size(), &o, &p, &e), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_policy_compile_v2(text.data(), text.size(), nullptr, nullptr, &e), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_policy_compile_v2(nullptr, 5, nullptr, &p, &e), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_policy_load_file_v2(nullptr, nullptr, &p, &e), KIMITSU_E_INVALID_ARGUMENT);
}

TEST(CapiPolicyOptions, LargerStructFromANewerHeaderIsAccepted) {
  struct {
    kimitsu_policy_options known;
    unsigned char extra[16];
  } newer;
  std::memset(&newer, 0xAB, sizeof newer);
  ASSERT_EQ(kimitsu_policy_options_init(&newer.known, sizeof newer), KIMITSU_OK);
  for (unsigned char c : newer.extra) EXPECT_EQ(c, 0xAB);
  Compiled c = Compile(TwoRules(), &newer.known);
  EXPECT_EQ(c.status, KIMITSU_OK) << c.message();
}

TEST(CapiPolicyOptions, RuleMemoryBudgetNamesTheLimitAndTheRule) {
  kimitsu_policy_options o = PolicyOptions();
  o.rule_max_mem = 64 << 10;
  Compiled c = Compile(TwoRules(), &o);
  ASSERT_EQ(c.status, KIMITSU_E_POLICY);
  EXPECT_EQ(c.rule(), "big");
  EXPECT_EQ(kimitsu_error_line(c.error.get()), 7);
  EXPECT_TRUE(Contains(c.message(), "rule_max_mem, 65536 bytes")) << c.message();

  o.rule_max_mem = 16 << 20;  // a larger budget than the default compiles it
  EXPECT_EQ(Compile(TwoRules(), &o).status, KIMITSU_OK);
}

TEST(CapiPolicyOptions, PrefilterBudgetTooSmallIsACompileError) {
  kimitsu_policy_options o = PolicyOptions();
  o.prefilter_max_mem = 16 << 10;
  // (The prefilter relaxes long counts such as {1,300}: a long sequence is
  // large in it too.)
  std::string long_sequence;
  for (int i = 0; i < 600; ++i) long_sequence += "[a-z][0-9]";
  Compiled c = Compile(std::string(kHead) + "  - {id: big, tier: high, confidence: 0.9, regex: '" + long_sequence + "'}\n", &o);
  ASSERT_EQ(c.status, KIMITSU_E_POLICY);
  EXPECT_TRUE(Contains(c.message(), "prefilter_max_mem, 16384 bytes")) << c.message();
}

// A prefilter budget just large enough for the set to compile: RE2's DFA then
// works in a small cache (resetting it as it fills), and finds the same as
// with the default budget. (RE2::Set checks at compile time that its DFA can
// hold 20 states, and a many-match DFA resets its cache instead of giving up,
// so a compiled prefilter does not fail at scan time; were it to, the result
// would carry ENGINE_LIMIT and every rule would run.)
TEST(CapiPolicyOptions, SmallestWorkingPrefilterBudgetFindsTheSame) {
  std::string policy = std::string(kHead);
  const char* letters = "abcdefgh";
  for (int i = 0; i < 8; ++i) {
    policy += std::string("  - {id: r") + letters[i] + ", tier: high, confidence: 0.9, regex: '[a-z]{0,12}" +
              letters[i] + "[a-z]{12}q'}\n";
  }
  std::string doc;
  uint32_t x = 12345;
  for (int i = 0; i < 100000; ++i) {
    x = x * 1103515245u + 12345u;
    doc += "abcdefghijklmnopqrstuvwxyz0123 \n"[(x >> 16) % 32];
  }
  Compiled big = Compile(policy, nullptr);
  ASSERT_EQ(big.status, KIMITSU_OK) << big.message();
  ResultPtr expected = Scan(big.policy.get(), doc, nullptr);
  ASSERT_GT(kimitsu_result_total_findings(expected.get()), 0u);

  kimitsu_policy_options o = PolicyOptions();
  Compiled small;
  for (o.prefilter_max_mem = 16 << 10; o.prefilter_max_mem <= (4u << 20); o.prefilter_max_mem += 16 << 10) {
    small = Compile(policy, &o);
    if (small.status == KIMITSU_OK) break;
    ASSERT_TRUE(Contains(small.message(), "prefilter_max_mem")) << small.message();
  }
  ASSERT_EQ(small.status, KIMITSU_OK);
  ResultPtr r = Scan(small.policy.get(), doc, nullptr);
  EXPECT_EQ(kimitsu_result_total_findings(r.get()), kimitsu_result_total_findings(expected.get()));
  EXPECT_EQ(kimitsu_result_finding_count(r.get()), kimitsu_result_finding_count(expected.get()));
  EXPECT_STREQ(kimitsu_result_tier(r.get()), kimitsu_result_tier(expected.get()));
  for (size_t i = 0; i < kimitsu_result_finding_count(r.get()); ++i) {
    kimitsu_finding a = KIMITSU_FINDING_INIT, b = KIMITSU_FINDING_INIT;
    ASSERT_EQ(kimitsu_result_finding(r.get(), i, &a), KIMITSU_OK);
    ASSERT_EQ(kimitsu_result_finding(expected.get(), i, &b), KIMITSU_OK);
    EXPECT_EQ(a.start, b.start);
    EXPECT_STREQ(a.rule, b.rule);
  }
  // Whatever the budget, a bound hit would be flagged, never silent.
  EXPECT_EQ(kimitsu_result_flags(r.get()) & ~uint32_t{KIMITSU_RESULT_ENGINE_LIMIT}, 0u);
}

TEST(CapiPolicyOptions, PolicyLimitsNameTheLimit) {
  kimitsu_policy_options o = PolicyOptions();
  o.max_rules = 1;
  Compiled rules = Compile(TwoRules(), &o);
  ASSERT_EQ(rules.status, KIMITSU_E_POLICY);
  EXPECT_TRUE(Contains(rules.message(), "2 rules exceed the limit of 1")) << rules.message();

  o = PolicyOptions();
  o.max_pattern_bytes = 10;
  Compiled pattern = Compile(TwoRules(), &o);
  ASSERT_EQ(pattern.status, KIMITSU_E_POLICY);
  EXPECT_EQ(pattern.rule(), "big");
  EXPECT_TRUE(Contains(pattern.message(), "exceeds the limit of 10")) << pattern.message();

  std::string keywords = std::string(kHead) +
                         "  - {id: k1, tier: high, confidence: 0.9, keywords: [alpha, beta, gamma]}\n"
                         "  - {id: k2, tier: high, confidence: 0.9, keywords: [delta, epsilon]}\n";
  o = PolicyOptions();
  o.max_keywords_per_rule = 2;
  Compiled per_rule = Compile(keywords, &o);
  ASSERT_EQ(per_rule.status, KIMITSU_E_POLICY);
  EXPECT_EQ(per_rule.rule(), "k1");
  EXPECT_TRUE(Contains(per_rule.message(), "3 entries exceed the limit of 2")) << per_rule.message();

  o = PolicyOptions();
  o.max_keywords_total = 4;
  Compiled total = Compile(keywords, &o);
  ASSERT_EQ(total.status, KIMITSU_E_POLICY);
  EXPECT_EQ(total.rule(), "k2");
  EXPECT_TRUE(Contains(total.message(), "keywords exceed the limit of 4")) << total.message();

  o = PolicyOptions();
  o.max_policy_bytes = 32;
  Compiled size = Compile(keywords, &o);
  ASSERT_EQ(size.status, KIMITSU_E_POLICY);
  EXPECT_TRUE(Contains(size.message(), "the limit is 32")) << size.message();

  o = PolicyOptions();
  o.max_compiled_bytes = 4096;
  Compiled compiled = Compile(TwoRules(), &o);
  ASSERT_EQ(compiled.status, KIMITSU_E_POLICY);
  EXPECT_EQ(compiled.rule(), "big");
  EXPECT_TRUE(Contains(compiled.message(), "max_compiled_bytes")) << compiled.message();
}

// A policy "file" that never ends (/dev/zero) is read no further than the
// size limit allows, and refused.
TEST(CapiPolicyOptions, EndlessPolicyFileIsRefusedAtTheSizeLimit) {
  std::FILE* f = std::fopen("/dev/zero", "rb");
  if (f == nullptr) GTEST_SKIP() << "no /dev/zero";
  std::fclose(f);
  kimitsu_policy_options o = PolicyOptions();
  o.max_policy_bytes = 1 << 20;
  kimitsu_policy* p = nullptr;
  kimitsu_error* e = nullptr;
  EXPECT_EQ(kimitsu_policy_load_file_v2("/dev/zero", &o, &p, &e), KIMITSU_E_POLICY);
  ErrorPtr error(e);
  EXPECT_EQ(p, nullptr);
  EXPECT_TRUE(Contains(kimitsu_error_message(e), "the limit is 1048576")) << kimitsu_error_message(e);
  // With the default limit (64 MiB) too.
  EXPECT_EQ(kimitsu_policy_load_file("/dev/zero", &p, &e), KIMITSU_E_POLICY);
  ErrorPtr error2(e);
  EXPECT_TRUE(Contains(kimitsu_error_message(e), "the limit is 67108864")) << kimitsu_error_message(e);
}

// ---------------------------------------------------------------------------
// kimitsu_scan_options.max_excerpt_bytes

constexpr std::string_view kLongMatchPolicy =
    "tiers:\n"
    "  - {id: high, threshold: 0.5}\n"
    "  - {id: low}\n"
    "default_tier: low\n"
    "rules:\n"
    "  - {id: long, tier: high, confidence: 0.9, regex: 'KEY-[A-Z0-9]{10,400}'}\n";

std::string Excerpt(const kimitsu_result* r, size_t i) {
  kimitsu_finding f = KIMITSU_FINDING_INIT;
  EXPECT_EQ(kimitsu_result_finding(r, i, &f), KIMITSU_OK);
  return f.excerpt ? std::string(f.excerpt, f.excerpt_len) : "<null>";
}

TEST(CapiExcerptLimit, DefaultIs160BytesAndTheCutIsFlagged) {
  Compiled c = Compile(kLongMatchPolicy, nullptr);
  ASSERT_EQ(c.status, KIMITSU_OK) << c.message();
  const std::string key = "KEY-" + std::string(300, 'A');
  const std::string doc = "short KEY-ABCDEFGHIJ\nlong " + key + "\n";
  kimitsu_scan_options o = KIMITSU_SCAN_OPTIONS_INIT;
  o.flags = KIMITSU_SCAN_EXCERPTS | KIMITSU_SCAN_UNMASKED;
  ResultPtr r = Scan(c.policy.get(), doc, &o);
  ASSERT_EQ(kimitsu_result_finding_count(r.get()), 2u);
  EXPECT_EQ(Excerpt(r.get(), 0), "KEY-ABCDEFGHIJ");
  EXPECT_EQ(Excerpt(r.get(), 1), key.substr(0, 160) + "\xE2\x80\xA6");
  const uint32_t flags = kimitsu_result_flags(r.get());
  EXPECT_NE(flags & KIMITSU_RESULT_EXCERPTS_TRUNCATED, 0u);
  EXPECT_EQ(flags & KIMITSU_RESULT_INCOMPLETE, 0u);  // the tier does not depend on excerpts

  // Without excerpts nothing is cut, nothing flagged.
  ResultPtr plain = Scan(c.policy.get(), doc, nullptr);
  EXPECT_EQ(kimitsu_result_flags(plain.get()), 0u);
  EXPECT_STREQ(kimitsu_result_tier(plain.get()), kimitsu_result_tier(r.get()));
  EXPECT_EQ(kimitsu_result_score(plain.get()), kimitsu_result_score(r.get()));
}

TEST(CapiExcerptLimit, SetterCutsAtACharacterBoundary) {
  Compiled c = Compile(
      "tiers:\n  - {id: high, threshold: 0.5}\n  - {id: low}\ndefault_tier: low\nrules:\n"
      "  - {id: jp, tier: high, confidence: 0.9, keywords: [\xE7\x89\xB9\xE5\xAE\x9A\xE7\xA7\x98\xE5\xAF\x86]}\n",
      nullptr);  // 特定秘密: 4 characters of 3 bytes
  ASSERT_EQ(c.status, KIMITSU_OK) << c.message();
  const std::string doc = "\xE7\x89\xB9\xE5\xAE\x9A\xE7\xA7\x98\xE5\xAF\x86\n";
  kimitsu_scan_options o = KIMITSU_SCAN_OPTIONS_INIT;
  o.flags = KIMITSU_SCAN_EXCERPTS | KIMITSU_SCAN_UNMASKED;
  o.max_excerpt_bytes = 7;  // inside the third character: cut before it
  ResultPtr r = Scan(c.policy.get(), doc, &o);
  ASSERT_EQ(kimitsu_result_finding_count(r.get()), 1u);
  EXPECT_EQ(Excerpt(r.get(), 0), "\xE7\x89\xB9\xE5\xAE\x9A\xE2\x80\xA6");
  EXPECT_NE(kimitsu_result_flags(r.get()) & KIMITSU_RESULT_EXCERPTS_TRUNCATED, 0u);

  o.max_excerpt_bytes = 12;  // exactly the match: not cut
  ResultPtr whole = Scan(c.policy.get(), doc, &o);
  EXPECT_EQ(Excerpt(whole.get(), 0), doc.substr(0, 12));
  EXPECT_EQ(kimitsu_result_flags(whole.get()) & KIMITSU_RESULT_EXCERPTS_TRUNCATED, 0u);

  o.max_excerpt_bytes = 1000;  // longer than the default
  const std::string key = "KEY-" + std::string(300, 'B');
  Compiled l = Compile(kLongMatchPolicy, nullptr);
  ResultPtr longer = Scan(l.policy.get(), key + "\n", &o);
  ASSERT_EQ(kimitsu_result_finding_count(longer.get()), 1u);
  EXPECT_EQ(Excerpt(longer.get(), 0), key);
  EXPECT_EQ(kimitsu_result_flags(longer.get()) & KIMITSU_RESULT_EXCERPTS_TRUNCATED, 0u);
}

// A caller built against the header before max_excerpt_bytes passes the old,
// smaller struct_size: accepted, and the field (not in its struct) is not read.
TEST(CapiExcerptLimit, OlderStructSizeKeepsTheDefault) {
  Compiled c = Compile(kLongMatchPolicy, nullptr);
  ASSERT_EQ(c.status, KIMITSU_OK) << c.message();
  const std::string key = "KEY-" + std::string(300, 'C');
  kimitsu_scan_options o = KIMITSU_SCAN_OPTIONS_INIT;
  o.flags = KIMITSU_SCAN_EXCERPTS | KIMITSU_SCAN_UNMASKED;
  o.struct_size = offsetof(kimitsu_scan_options, max_excerpt_bytes);
  o.max_excerpt_bytes = 5;  // beyond the old struct: must be ignored
  ResultPtr r = Scan(c.policy.get(), key + "\n", &o);
  ASSERT_EQ(kimitsu_result_finding_count(r.get()), 1u);
  EXPECT_EQ(Excerpt(r.get(), 0), key.substr(0, 160) + "\xE2\x80\xA6");

  kimitsu_scan_options init;
  EXPECT_EQ(kimitsu_scan_options_init(&init, offsetof(kimitsu_scan_options, max_excerpt_bytes)), KIMITSU_OK);
  EXPECT_EQ(kimitsu_scan_options_init(&init, offsetof(kimitsu_scan_options, max_excerpt_bytes) - 1),
            KIMITSU_E_STRUCT_SIZE);
}

// The stream path reads the same option.
TEST(CapiExcerptLimit, StreamsCutExcerptsToo) {
  Compiled c = Compile(kLongMatchPolicy, nullptr);
  ASSERT_EQ(c.status, KIMITSU_OK) << c.message();
  const std::string doc = "KEY-" + std::string(300, 'D') + "\n";
  kimitsu_scan_options o = KIMITSU_SCAN_OPTIONS_INIT;
  o.flags = KIMITSU_SCAN_EXCERPTS | KIMITSU_SCAN_UNMASKED;
  o.max_excerpt_bytes = 20;
  kimitsu_stream* s = nullptr;
  ASSERT_EQ(kimitsu_stream_open(c.policy.get(), &o, &s), KIMITSU_OK);
  for (char ch : doc) ASSERT_EQ(kimitsu_stream_write(s, &ch, 1), KIMITSU_OK);
  kimitsu_result* out = nullptr;
  ASSERT_EQ(kimitsu_stream_finish(s, &out), KIMITSU_OK);
  kimitsu_stream_free(s);
  ResultPtr r(out);
  ASSERT_EQ(kimitsu_result_finding_count(r.get()), 1u);
  EXPECT_EQ(Excerpt(r.get(), 0), doc.substr(0, 20) + "\xE2\x80\xA6");
  EXPECT_NE(kimitsu_result_flags(r.get()) & KIMITSU_RESULT_EXCERPTS_TRUNCATED, 0u);
}

}  // namespace
