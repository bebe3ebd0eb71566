// The C API as a consumer sees it: this test includes only the public header
// and links the shared library, so it exercises exactly what is exported.
// Every entry point is called on its success path and on each error path;
// NULL arguments must give a status, never a crash.
#include "kimitsu/kimitsu.h"
#include "capi_handles.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

// ---------------------------------------------------------------------------
// Helpers

using kimitsu_test::ErrorPtr;
using kimitsu_test::PolicyPtr;
using kimitsu_test::ResultPtr;
using kimitsu_test::ScannerPtr;
using kimitsu_test::StreamPtr;

// A non-NULL pointer value that must be overwritten with NULL on failure.
template <typename T>
T* Garbage() {
  return reinterpret_cast<T*>(uintptr_t{0x1});
}

::testing::AssertionResult Contains(std::string_view s, std::string_view part) {
  if (s.find(part) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << s << "' does not contain '" << part << "'";
}

PolicyPtr DefaultPolicy() {
  kimitsu_policy* p = nullptr;
  EXPECT_EQ(kimitsu_policy_default(&p), KIMITSU_OK);
  return PolicyPtr(p);
}

// A small policy; line numbers matter to the error tests (comments give them).
constexpr std::string_view kSmallPolicy =
    "version: 1\n"                          // 1
    "name: capi-test\n"                     // 2
    "tiers:\n"                              // 3
    "  - id: high\n"                        // 4
    "    label: High\n"                     // 5
    "    description: the high tier\n"      // 6
    "    threshold: 0.6\n"                  // 7
    "  - id: low\n"                         // 8
    "default_tier: low\n"                   // 9
    "rules:\n"                              // 10
    "  - id: codeword\n"                    // 11
    "    tier: high\n"                      // 12
    "    entity: CODEWORD\n"                // 13
    "    description: the codeword\n"       // 14
    "    confidence: 0.9\n"                 // 15
    "    keywords: [BLUEBIRD]\n";           // 16

// The same policy with an unknown tier at line 12, column 11.
std::string BadPolicy() {
  std::string s(kSmallPolicy);
  s.replace(s.find("    tier: high\n"), 15, "    tier: nope\n");
  return s;
}

PolicyPtr Compile(std::string_view text) {
  kimitsu_policy* p = nullptr;
  kimitsu_error* e = nullptr;
  kimitsu_status s = kimitsu_policy_compile(text.data(), text.size(), &p, &e);
  EXPECT_EQ(s, KIMITSU_OK) << kimitsu_error_message(e);
  kimitsu_error_free(e);
  return PolicyPtr(p);
}

ResultPtr Scan(const kimitsu_policy* policy, std::string_view data, const kimitsu_scan_options* options = nullptr) {
  kimitsu_result* r = nullptr;
  EXPECT_EQ(kimitsu_scan(policy, data.data(), data.size(), options, &r), KIMITSU_OK);
  return ResultPtr(r);
}

kimitsu_finding Finding(const kimitsu_result* r, size_t i) {
  kimitsu_finding f = KIMITSU_FINDING_INIT;
  EXPECT_EQ(kimitsu_result_finding(r, i, &f), KIMITSU_OK);
  return f;
}

// The first finding of rule `rule`; struct_size 0 when there is none.
kimitsu_finding FindRule(const kimitsu_result* r, std::string_view rule) {
  for (size_t i = 0; i < kimitsu_result_finding_count(r); ++i) {
    kimitsu_finding f = Finding(r, i);
    if (rule == f.rule) return f;
  }
  kimitsu_finding none = KIMITSU_FINDING_INIT;
  none.struct_size = 0;
  return none;
}

std::string Excerpt(const kimitsu_finding& f) {
  return f.excerpt ? std::string(f.excerpt, f.excerpt_len) : std::string("<null>");
}

std::string Slice(std::string_view input, const kimitsu_finding& f) {
  EXPECT_LE(f.start, f.end);
  EXPECT_LE(f.end, input.size());
  return std::string(input.substr(f.start, f.end - f.start));
}

// Everything a result says, as text, to compare results from different runs.
std::string Describe(const kimitsu_result* r) {
  std::ostringstream out;
  out << kimitsu_result_tier(r) << " " << kimitsu_result_tier_index(r) << " " << kimitsu_result_score(r) << " "
      << kimitsu_result_encoding(r) << " flags=" << kimitsu_result_flags(r)
      << " bytes=" << kimitsu_result_input_bytes(r) << " total=" << kimitsu_result_total_findings(r) << "\n";
  for (size_t i = 0;; ++i) {
    double score = 0;
    if (kimitsu_result_tier_score(r, i, &score) != KIMITSU_OK) break;
    out << " t" << i << "=" << score;
  }
  out << "\n";
  for (size_t i = 0; i < kimitsu_result_finding_count(r); ++i) {
    kimitsu_finding f = Finding(r, i);
    out << f.rule << " " << f.tier << " " << f.entity << " " << f.start << "-" << f.end << " " << f.confidence
        << " " << f.placement << " " << Excerpt(f) << " " << f.rule_index << " " << f.tier_index << "\n";
  }
  return out.str();
}

constexpr std::string_view kCardText =
    "Payment details\n"
    "Please charge my card 4111 1111 1111 1111 for the order.\n";

// "ＴＯＰ ＳＥＣＲＥＴ" (full-width letters, ASCII space) as a banner line.
constexpr std::string_view kBannerUtf8 =
    "Exercise report\n"
    "\xEF\xBC\xB4\xEF\xBC\xAF\xEF\xBC\xB0 \xEF\xBC\xB3\xEF\xBC\xA5\xEF\xBC\xA3\xEF\xBC\xB2\xEF\xBC\xA5\xEF\xBC\xB4\n"
    "The exercise went as planned.\n";
constexpr std::string_view kBannerUtf8Marking =
    "\xEF\xBC\xB4\xEF\xBC\xAF\xEF\xBC\xB0 \xEF\xBC\xB3\xEF\xBC\xA5\xEF\xBC\xA3\xEF\xBC\xB2\xEF\xBC\xA5\xEF\xBC\xB4";

// The same in Shift_JIS, with Japanese prose: "作戦計画について" /
// banner / "本文は以下のとおり。".
constexpr std::string_view kBannerSjis =
    "\x8D\xEC\x90\xED\x8C\x76\x89\xE6\x82\xC9\x82\xC2\x82\xA2\x82\xC4\n"
    "\x82\x73\x82\x6E\x82\x6F\x20\x82\x72\x82\x64\x82\x62\x82\x71\x82\x64\x82\x73\n"
    "\x96\x7B\x95\xB6\x82\xCD\x88\xC8\x89\xBA\x82\xCC\x82\xC6\x82\xA8\x82\xE8\x81\x42\n";
constexpr std::string_view kBannerSjisMarking =
    "\x82\x73\x82\x6E\x82\x6F\x20\x82\x72\x82\x64\x82\x62\x82\x71\x82\x64\x82\x73";

// ---------------------------------------------------------------------------
// Version and status

TEST(CapiVersion, MacrosAgreeWithTheLinkedLibrary) {
  EXPECT_EQ(KIMITSU_VERSION_NUMBER,
            KIMITSU_VERSION_MAJOR * 10000 + KIMITSU_VERSION_MINOR * 100 + KIMITSU_VERSION_PATCH);
  EXPECT_EQ(kimitsu_version_number(), unsigned{KIMITSU_VERSION_NUMBER});
  std::string expected = std::to_string(KIMITSU_VERSION_MAJOR) + "." + std::to_string(KIMITSU_VERSION_MINOR) + "." +
                         std::to_string(KIMITSU_VERSION_PATCH);
  ASSERT_NE(kimitsu_version(), nullptr);
  EXPECT_EQ(std::string(kimitsu_version()), expected);
}

TEST(CapiStatus, EveryCodeHasItsOwnDescription) {
  const kimitsu_status all[] = {KIMITSU_OK,           KIMITSU_E_INVALID_ARGUMENT, KIMITSU_E_STRUCT_SIZE,
                                KIMITSU_E_NO_MEMORY,  KIMITSU_E_POLICY,           KIMITSU_E_IO,
                                KIMITSU_E_OUT_OF_RANGE, KIMITSU_E_STATE,         KIMITSU_E_ENCODING,
                                KIMITSU_E_INTERNAL};
  std::set<std::string> seen;
  for (kimitsu_status s : all) {
    const char* text = kimitsu_status_string(s);
    ASSERT_NE(text, nullptr) << s;
    EXPECT_GT(std::strlen(text), 0u) << s;
    EXPECT_NE(std::string(text), "unknown status") << s;
    seen.insert(text);
  }
  EXPECT_EQ(seen.size(), std::size(all));
  EXPECT_EQ(std::string(kimitsu_status_string(KIMITSU_OK)), "ok");
  EXPECT_EQ(std::string(kimitsu_status_string(KIMITSU_E_INVALID_ARGUMENT)), "invalid argument");
  // A code from a newer library still gets a string.
  EXPECT_EQ(std::string(kimitsu_status_string(static_cast<kimitsu_status>(-100))), "unknown status");
  EXPECT_EQ(std::string(kimitsu_status_string(static_cast<kimitsu_status>(1))), "unknown status");
}

TEST(CapiStatus, CodesAreStable) {
  // Part of the ABI: these numbers never change.
  EXPECT_EQ(KIMITSU_OK, 0);
  EXPECT_EQ(KIMITSU_E_INVALID_ARGUMENT, -1);
  EXPECT_EQ(KIMITSU_E_STRUCT_SIZE, -2);
  EXPECT_EQ(KIMITSU_E_NO_MEMORY, -3);
  EXPECT_EQ(KIMITSU_E_POLICY, -4);
  EXPECT_EQ(KIMITSU_E_IO, -5);
  EXPECT_EQ(KIMITSU_E_OUT_OF_RANGE, -6);
  EXPECT_EQ(KIMITSU_E_STATE, -7);
  EXPECT_EQ(KIMITSU_E_ENCODING, -8);
  EXPECT_EQ(KIMITSU_E_INTERNAL, -9);
}

// ---------------------------------------------------------------------------
// Policies

TEST(CapiPolicy, DefaultPolicy) {
  kimitsu_policy* p = Garbage<kimitsu_policy>();
  ASSERT_EQ(kimitsu_policy_default(&p), KIMITSU_OK);
  ASSERT_NE(p, nullptr);
  PolicyPtr policy(p);
  EXPECT_EQ(kimitsu_policy_tier_count(p), 4u);
  EXPECT_GT(kimitsu_policy_rule_count(p), 10u);

  kimitsu_tier_info first = KIMITSU_TIER_INFO_INIT, last = KIMITSU_TIER_INFO_INIT;
  ASSERT_EQ(kimitsu_policy_tier(p, 0, &first), KIMITSU_OK);
  ASSERT_EQ(kimitsu_policy_tier(p, 3, &last), KIMITSU_OK);
  EXPECT_STREQ(first.id, "designated_secret");
  EXPECT_EQ(first.is_default, 0);
  EXPECT_STREQ(last.id, "public");
  EXPECT_EQ(last.is_default, 1);

  // Two calls give two handles the caller frees independently.
  PolicyPtr again = DefaultPolicy();
  EXPECT_NE(again.get(), p);
}

TEST(CapiPolicy, DefaultPolicyNullOut) { EXPECT_EQ(kimitsu_policy_default(nullptr), KIMITSU_E_INVALID_ARGUMENT); }

TEST(CapiPolicy, CompileGoodPolicy) {
  kimitsu_policy* p = nullptr;
  kimitsu_error* e = Garbage<kimitsu_error>();
  ASSERT_EQ(kimitsu_policy_compile(kSmallPolicy.data(), kSmallPolicy.size(), &p, &e), KIMITSU_OK);
  PolicyPtr policy(p);
  EXPECT_EQ(e, nullptr);  // no error object on success
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(kimitsu_policy_tier_count(p), 2u);
  EXPECT_EQ(kimitsu_policy_rule_count(p), 1u);

  // The text need not be NUL-terminated: only `len` bytes are read.
  std::string padded = std::string(kSmallPolicy) + "garbage: [";
  kimitsu_policy* q = nullptr;
  ASSERT_EQ(kimitsu_policy_compile(padded.data(), kSmallPolicy.size(), &q, nullptr), KIMITSU_OK);
  kimitsu_policy_free(q);
}

TEST(CapiPolicy, CompileJsonPolicy) {
  constexpr std::string_view json =
      R"({"version": 1, "tiers": [{"id": "high", "threshold": 0.5}, {"id": "low"}], "default_tier": "low",)"
      R"( "rules": [{"id": "r", "tier": "high", "confidence": 0.9, "keywords": ["BLUEBIRD"]}]})";
  PolicyPtr p = Compile(json);
  ASSERT_NE(p, nullptr);
  ResultPtr r = Scan(p.get(), "BLUEBIRD\n");
  EXPECT_STREQ(kimitsu_result_tier(r.get()), "high");
}

TEST(CapiPolicy, CompileBadPolicyReportsWhereAndWhy) {
  std::string bad = BadPolicy();
  kimitsu_policy* p = Garbage<kimitsu_policy>();
  kimitsu_error* e = nullptr;
  ASSERT_EQ(kimitsu_policy_compile(bad.data(), bad.size(), &p, &e), KIMITSU_E_POLICY);
  ErrorPtr error(e);
  EXPECT_EQ(p, nullptr);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(kimitsu_error_line(e), 12);
  EXPECT_EQ(kimitsu_error_column(e), 11);
  EXPECT_STREQ(kimitsu_error_rule(e), "codeword");
  EXPECT_TRUE(Contains(kimitsu_error_message(e), "<policy>:12:11: "));
  EXPECT_TRUE(Contains(kimitsu_error_message(e), "codeword"));
  EXPECT_TRUE(Contains(kimitsu_error_message(e), "nope"));
}

TEST(CapiPolicy, CompileErrorWithoutRuleOrPosition) {
  // Valid YAML missing everything: an error not tied to a rule.
  constexpr std::string_view text = "version: 1\n";
  kimitsu_policy* p = nullptr;
  kimitsu_error* e = nullptr;
  ASSERT_EQ(kimitsu_policy_compile(text.data(), text.size(), &p, &e), KIMITSU_E_POLICY);
  ErrorPtr error(e);
  ASSERT_NE(e, nullptr);
  EXPECT_STREQ(kimitsu_error_rule(e), "");
  EXPECT_GE(kimitsu_error_line(e), 0);
  EXPECT_GE(kimitsu_error_column(e), 0);
  EXPECT_TRUE(Contains(kimitsu_error_message(e), "<policy>"));
}

TEST(CapiPolicy, CompileBadYamlSyntax) {
  constexpr std::string_view text = "version: 1\ntiers: [\n";
  kimitsu_policy* p = nullptr;
  kimitsu_error* e = nullptr;
  ASSERT_EQ(kimitsu_policy_compile(text.data(), text.size(), &p, &e), KIMITSU_E_POLICY);
  ErrorPtr error(e);
  EXPECT_EQ(p, nullptr);
  ASSERT_NE(e, nullptr);
  EXPECT_GT(kimitsu_error_line(e), 0);
  EXPECT_GT(kimitsu_error_column(e), 0);
  EXPECT_TRUE(Contains(kimitsu_error_message(e), "<policy>:" + std::to_string(kimitsu_error_line(e)) + ":" +
                                                     std::to_string(kimitsu_error_column(e))));
}

TEST(CapiPolicy, CompileErrorObjectIsOptional) {
  std::string bad = BadPolicy();
  kimitsu_policy* p = Garbage<kimitsu_policy>();
  EXPECT_EQ(kimitsu_policy_compile(bad.data(), bad.size(), &p, nullptr), KIMITSU_E_POLICY);
  EXPECT_EQ(p, nullptr);
}

TEST(CapiPolicy, CompileArguments) {
  kimitsu_policy* p = Garbage<kimitsu_policy>();
  kimitsu_error* e = Garbage<kimitsu_error>();
  // NULL out: nothing to put the policy in; *error is cleared.
  EXPECT_EQ(kimitsu_policy_compile(kSmallPolicy.data(), kSmallPolicy.size(), nullptr, &e),
            KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(e, nullptr);
  // NULL text with a length.
  e = Garbage<kimitsu_error>();
  EXPECT_EQ(kimitsu_policy_compile(nullptr, 10, &p, &e), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(e, nullptr);
  // NULL text of length 0 is the empty policy: not a valid policy, but no crash.
  p = Garbage<kimitsu_policy>();
  EXPECT_EQ(kimitsu_policy_compile(nullptr, 0, &p, &e), KIMITSU_E_POLICY);
  EXPECT_EQ(p, nullptr);
  ASSERT_NE(e, nullptr);
  kimitsu_error_free(e);
}

class CapiPolicyFile : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, std::string_view text) {
    std::string path = ::testing::TempDir() + "kimitsu_capi_" + name;
    std::ofstream(path, std::ios::binary) << text;
    paths_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const auto& p : paths_) std::remove(p.c_str());
  }
  std::vector<std::string> paths_;
};

TEST_F(CapiPolicyFile, LoadGoodFile) {
  std::string path = Write("good.yaml", kSmallPolicy);
  kimitsu_policy* p = nullptr;
  kimitsu_error* e = Garbage<kimitsu_error>();
  ASSERT_EQ(kimitsu_policy_load_file(path.c_str(), &p, &e), KIMITSU_OK);
  PolicyPtr policy(p);
  EXPECT_EQ(e, nullptr);
  EXPECT_EQ(kimitsu_policy_rule_count(p), 1u);
}

TEST_F(CapiPolicyFile, LoadBadFileNamesTheFile) {
  std::string path = Write("bad.yaml", BadPolicy());
  kimitsu_policy* p = Garbage<kimitsu_policy>();
  kimitsu_error* e = nullptr;
  ASSERT_EQ(kimitsu_policy_load_file(path.c_str(), &p, &e), KIMITSU_E_POLICY);
  ErrorPtr error(e);
  EXPECT_EQ(p, nullptr);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(kimitsu_error_line(e), 12);
  EXPECT_EQ(kimitsu_error_column(e), 11);
  EXPECT_STREQ(kimitsu_error_rule(e), "codeword");
  EXPECT_TRUE(Contains(kimitsu_error_message(e), path + ":12:11: "));
}

TEST_F(CapiPolicyFile, LoadMissingFile) {
  std::string path = ::testing::TempDir() + "kimitsu_capi_no_such_file.yaml";
  kimitsu_policy* p = Garbage<kimitsu_policy>();
  kimitsu_error* e = nullptr;
  ASSERT_EQ(kimitsu_policy_load_file(path.c_str(), &p, &e), KIMITSU_E_IO);
  ErrorPtr error(e);
  EXPECT_EQ(p, nullptr);
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(Contains(kimitsu_error_message(e), path));
  EXPECT_TRUE(Contains(kimitsu_error_message(e), "No such file"));
  EXPECT_EQ(kimitsu_error_line(e), 0);
  EXPECT_EQ(kimitsu_error_column(e), 0);
  EXPECT_STREQ(kimitsu_error_rule(e), "");

  // Without an error object.
  p = Garbage<kimitsu_policy>();
  EXPECT_EQ(kimitsu_policy_load_file(path.c_str(), &p, nullptr), KIMITSU_E_IO);
  EXPECT_EQ(p, nullptr);
}

TEST_F(CapiPolicyFile, LoadDirectoryIsAnIoError) {
  std::string dir = ::testing::TempDir();
  kimitsu_policy* p = Garbage<kimitsu_policy>();
  kimitsu_error* e = nullptr;
  EXPECT_EQ(kimitsu_policy_load_file(dir.c_str(), &p, &e), KIMITSU_E_IO);
  ErrorPtr error(e);
  EXPECT_EQ(p, nullptr);
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(Contains(kimitsu_error_message(e), dir));
}

TEST_F(CapiPolicyFile, LoadArguments) {
  kimitsu_policy* p = Garbage<kimitsu_policy>();
  kimitsu_error* e = Garbage<kimitsu_error>();
  EXPECT_EQ(kimitsu_policy_load_file(nullptr, &p, &e), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(e, nullptr);
  std::string path = Write("args.yaml", kSmallPolicy);
  EXPECT_EQ(kimitsu_policy_load_file(path.c_str(), nullptr, nullptr), KIMITSU_E_INVALID_ARGUMENT);
}

#ifdef KIMITSU_SOURCE_DIR
TEST(CapiPolicy, LoadShippedDefaultPolicyFile) {
  std::string path = std::string(KIMITSU_SOURCE_DIR) + "/policies/default.yaml";
  kimitsu_policy* p = nullptr;
  kimitsu_error* e = nullptr;
  ASSERT_EQ(kimitsu_policy_load_file(path.c_str(), &p, &e), KIMITSU_OK) << kimitsu_error_message(e);
  PolicyPtr policy(p);
  PolicyPtr builtin = DefaultPolicy();
  EXPECT_EQ(kimitsu_policy_tier_count(p), kimitsu_policy_tier_count(builtin.get()));
  EXPECT_EQ(kimitsu_policy_rule_count(p), kimitsu_policy_rule_count(builtin.get()));
}
#endif

TEST(CapiPolicy, FreeAcceptsNull) {
  kimitsu_policy_free(nullptr);
  kimitsu_error_free(nullptr);
  kimitsu_result_free(nullptr);
  kimitsu_scanner_free(nullptr);
}

// ---------------------------------------------------------------------------
// Tier and rule enumeration

TEST(CapiEnumerate, Tiers) {
  PolicyPtr p = Compile(kSmallPolicy);
  ASSERT_EQ(kimitsu_policy_tier_count(p.get()), 2u);
  kimitsu_tier_info info;
  ASSERT_EQ(kimitsu_tier_info_init(&info, sizeof info), KIMITSU_OK);
  EXPECT_EQ(info.struct_size, sizeof info);
  EXPECT_EQ(info.id, nullptr);
  ASSERT_EQ(kimitsu_policy_tier(p.get(), 0, &info), KIMITSU_OK);
  EXPECT_EQ(info.struct_size, sizeof info);
  EXPECT_STREQ(info.id, "high");
  EXPECT_STREQ(info.label, "High");
  EXPECT_STREQ(info.description, "the high tier");
  EXPECT_DOUBLE_EQ(info.threshold, 0.6);
  EXPECT_EQ(info.is_default, 0);
  ASSERT_EQ(kimitsu_policy_tier(p.get(), 1, &info), KIMITSU_OK);
  EXPECT_STREQ(info.id, "low");
  EXPECT_EQ(info.is_default, 1);
}

TEST(CapiEnumerate, TierErrors) {
  PolicyPtr p = Compile(kSmallPolicy);
  kimitsu_tier_info info = KIMITSU_TIER_INFO_INIT;
  EXPECT_EQ(kimitsu_tier_info_init(&info, 0), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(kimitsu_tier_info_init(&info, sizeof info - 1), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(kimitsu_tier_info_init(nullptr, sizeof info), KIMITSU_E_INVALID_ARGUMENT);

  info.struct_size = 0;
  EXPECT_EQ(kimitsu_policy_tier(p.get(), 0, &info), KIMITSU_E_STRUCT_SIZE);
  info.struct_size = sizeof(size_t);
  EXPECT_EQ(kimitsu_policy_tier(p.get(), 0, &info), KIMITSU_E_STRUCT_SIZE);
  info.struct_size = sizeof info;
  info.id = "untouched";
  EXPECT_EQ(kimitsu_policy_tier(p.get(), 2, &info), KIMITSU_E_OUT_OF_RANGE);
  EXPECT_EQ(kimitsu_policy_tier(p.get(), SIZE_MAX, &info), KIMITSU_E_OUT_OF_RANGE);
  EXPECT_STREQ(info.id, "untouched");
  EXPECT_EQ(kimitsu_policy_tier(nullptr, 0, &info), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_policy_tier(p.get(), 0, nullptr), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_policy_tier_count(nullptr), 0u);
}

TEST(CapiEnumerate, Rules) {
  PolicyPtr p = Compile(kSmallPolicy);
  ASSERT_EQ(kimitsu_policy_rule_count(p.get()), 1u);
  kimitsu_rule_info info;
  ASSERT_EQ(kimitsu_rule_info_init(&info, sizeof info), KIMITSU_OK);
  ASSERT_EQ(kimitsu_policy_rule(p.get(), 0, &info), KIMITSU_OK);
  EXPECT_STREQ(info.id, "codeword");
  EXPECT_STREQ(info.tier, "high");
  EXPECT_STREQ(info.entity, "CODEWORD");
  EXPECT_STREQ(info.description, "the codeword");
  EXPECT_DOUBLE_EQ(info.confidence, 0.9);
  EXPECT_EQ(info.tier_index, 0u);
}

TEST(CapiEnumerate, DefaultPolicyRulesAreConsistent) {
  PolicyPtr p = DefaultPolicy();
  const size_t tiers = kimitsu_policy_tier_count(p.get());
  std::set<std::string> ids;
  for (size_t i = 0; i < kimitsu_policy_rule_count(p.get()); ++i) {
    kimitsu_rule_info rule = KIMITSU_RULE_INFO_INIT;
    ASSERT_EQ(kimitsu_policy_rule(p.get(), i, &rule), KIMITSU_OK);
    ASSERT_NE(rule.id, nullptr);
    ASSERT_NE(rule.entity, nullptr);  // "" when none, never NULL
    ASSERT_NE(rule.description, nullptr);
    EXPECT_TRUE(ids.insert(rule.id).second) << rule.id;
    ASSERT_LT(rule.tier_index, tiers);
    kimitsu_tier_info tier = KIMITSU_TIER_INFO_INIT;
    ASSERT_EQ(kimitsu_policy_tier(p.get(), rule.tier_index, &tier), KIMITSU_OK);
    EXPECT_STREQ(rule.tier, tier.id);
    EXPECT_GT(rule.confidence, 0.0);
    EXPECT_LE(rule.confidence, 1.0);
  }
  EXPECT_TRUE(ids.count("credit_card"));
}

TEST(CapiEnumerate, RuleErrors) {
  PolicyPtr p = Compile(kSmallPolicy);
  kimitsu_rule_info info = KIMITSU_RULE_INFO_INIT;
  EXPECT_EQ(kimitsu_rule_info_init(&info, 0), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(kimitsu_rule_info_init(&info, sizeof info - 1), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(kimitsu_rule_info_init(nullptr, sizeof info), KIMITSU_E_INVALID_ARGUMENT);
  info.struct_size = 0;
  EXPECT_EQ(kimitsu_policy_rule(p.get(), 0, &info), KIMITSU_E_STRUCT_SIZE);
  info.struct_size = sizeof info;
  EXPECT_EQ(kimitsu_policy_rule(p.get(), 1, &info), KIMITSU_E_OUT_OF_RANGE);
  EXPECT_EQ(kimitsu_policy_rule(p.get(), SIZE_MAX, &info), KIMITSU_E_OUT_OF_RANGE);
  EXPECT_EQ(kimitsu_policy_rule(nullptr, 0, &info), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_policy_rule(p.get(), 0, nullptr), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_policy_rule_count(nullptr), 0u);
}

// A struct from a newer header than the library: larger struct_size is
// accepted, the known fields are filled, the bytes past them are untouched.
template <typename T>
struct Newer {
  T known;
  unsigned char extra[32];
};

template <typename T>
void FillExtra(Newer<T>& s) {
  std::memset(s.extra, 0xAB, sizeof s.extra);
}

template <typename T>
bool ExtraUntouched(const Newer<T>& s) {
  for (unsigned char c : s.extra) {
    if (c != 0xAB) return false;
  }
  return true;
}

TEST(CapiStructSize, LargerStructsAreAcceptedAndExtraBytesUntouched) {
  PolicyPtr p = DefaultPolicy();

  Newer<kimitsu_tier_info> tier;
  FillExtra(tier);
  ASSERT_EQ(kimitsu_tier_info_init(&tier.known, sizeof tier), KIMITSU_OK);
  EXPECT_EQ(tier.known.struct_size, sizeof tier);
  EXPECT_TRUE(ExtraUntouched(tier));
  ASSERT_EQ(kimitsu_policy_tier(p.get(), 0, &tier.known), KIMITSU_OK);
  EXPECT_STREQ(tier.known.id, "designated_secret");
  EXPECT_EQ(tier.known.struct_size, sizeof tier);
  EXPECT_TRUE(ExtraUntouched(tier));

  Newer<kimitsu_rule_info> rule;
  FillExtra(rule);
  ASSERT_EQ(kimitsu_rule_info_init(&rule.known, sizeof rule), KIMITSU_OK);
  EXPECT_TRUE(ExtraUntouched(rule));
  ASSERT_EQ(kimitsu_policy_rule(p.get(), 0, &rule.known), KIMITSU_OK);
  EXPECT_NE(rule.known.id, nullptr);
  EXPECT_TRUE(ExtraUntouched(rule));

  Newer<kimitsu_scan_options> options;
  FillExtra(options);
  ASSERT_EQ(kimitsu_scan_options_init(&options.known, sizeof options), KIMITSU_OK);
  EXPECT_EQ(options.known.struct_size, sizeof options);
  EXPECT_EQ(options.known.flags, 0u);
  EXPECT_EQ(options.known.encoding, nullptr);
  EXPECT_TRUE(ExtraUntouched(options));
  options.known.flags = KIMITSU_SCAN_EXCERPTS;
  kimitsu_result* r = nullptr;
  ASSERT_EQ(kimitsu_scan(p.get(), kCardText.data(), kCardText.size(), &options.known, &r), KIMITSU_OK);
  ResultPtr result(r);
  EXPECT_TRUE(ExtraUntouched(options));

  Newer<kimitsu_finding> finding;
  FillExtra(finding);
  ASSERT_EQ(kimitsu_finding_init(&finding.known, sizeof finding), KIMITSU_OK);
  EXPECT_TRUE(ExtraUntouched(finding));
  ASSERT_GE(kimitsu_result_finding_count(r), 1u);
  ASSERT_EQ(kimitsu_result_finding(r, 0, &finding.known), KIMITSU_OK);
  EXPECT_EQ(finding.known.struct_size, sizeof finding);
  EXPECT_NE(finding.known.rule, nullptr);
  EXPECT_NE(finding.known.excerpt, nullptr);
  EXPECT_TRUE(ExtraUntouched(finding));
}

TEST(CapiStructSize, InitMacrosMatchInitFunctions) {
  kimitsu_scan_options a = KIMITSU_SCAN_OPTIONS_INIT, b;
  std::memset(&b, 0x5A, sizeof b);
  ASSERT_EQ(kimitsu_scan_options_init(&b, sizeof b), KIMITSU_OK);
  EXPECT_EQ(a.struct_size, b.struct_size);
  EXPECT_EQ(a.flags, b.flags);
  EXPECT_EQ(a.max_findings, b.max_findings);
  EXPECT_EQ(a.max_input_bytes, b.max_input_bytes);
  EXPECT_EQ(a.encoding, b.encoding);

  kimitsu_finding f = KIMITSU_FINDING_INIT, g;
  std::memset(&g, 0x5A, sizeof g);
  ASSERT_EQ(kimitsu_finding_init(&g, sizeof g), KIMITSU_OK);
  EXPECT_EQ(f.struct_size, g.struct_size);
  EXPECT_EQ(g.rule, nullptr);
  EXPECT_EQ(g.excerpt, nullptr);
  EXPECT_EQ(g.excerpt_len, 0u);
  EXPECT_EQ(g.start, 0u);

  EXPECT_EQ(kimitsu_scan_options_init(&b, 0), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(kimitsu_scan_options_init(nullptr, sizeof b), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_finding_init(&g, 0), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(kimitsu_finding_init(&g, sizeof g - 1), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(kimitsu_finding_init(nullptr, sizeof g), KIMITSU_E_INVALID_ARGUMENT);
}

// ---------------------------------------------------------------------------
// Scanning

TEST(CapiScan, NullOptions) {
  PolicyPtr p = DefaultPolicy();
  ResultPtr r = Scan(p.get(), kCardText);
  ASSERT_NE(r, nullptr);
  EXPECT_STREQ(kimitsu_result_tier(r.get()), "protected");
  EXPECT_EQ(kimitsu_result_tier_index(r.get()), 1u);
  EXPECT_GE(kimitsu_result_score(r.get()), 0.5);
  EXPECT_LE(kimitsu_result_score(r.get()), 1.0);
  EXPECT_STREQ(kimitsu_result_encoding(r.get()), "UTF-8");
  EXPECT_EQ(kimitsu_result_flags(r.get()), 0u);
  EXPECT_EQ(kimitsu_result_input_bytes(r.get()), kCardText.size());

  kimitsu_finding f = FindRule(r.get(), "credit_card");
  ASSERT_NE(f.struct_size, 0u);
  EXPECT_STREQ(f.tier, "protected");
  EXPECT_STREQ(f.entity, "CREDIT_CARD");
  EXPECT_EQ(Slice(kCardText, f), "4111 1111 1111 1111");
  EXPECT_GT(f.confidence, 0.5);  // "card" nearby raised it
  EXPECT_LE(f.confidence, 1.0);
  EXPECT_NE(f.placement, nullptr);
  EXPECT_EQ(f.excerpt, nullptr);  // no KIMITSU_SCAN_EXCERPTS
  EXPECT_EQ(f.excerpt_len, 0u);
  EXPECT_EQ(f.tier_index, 1u);
  kimitsu_rule_info rule = KIMITSU_RULE_INFO_INIT;
  ASSERT_EQ(kimitsu_policy_rule(p.get(), f.rule_index, &rule), KIMITSU_OK);
  EXPECT_STREQ(rule.id, "credit_card");
}

TEST(CapiScan, ScoresAndRuleEvidence) {
  PolicyPtr p = DefaultPolicy();
  ResultPtr r = Scan(p.get(), kCardText);
  const size_t tiers = kimitsu_policy_tier_count(p.get());
  double highest_other = 0.0;
  for (size_t t = 0; t < tiers; ++t) {
    double s = -1;
    ASSERT_EQ(kimitsu_result_tier_score(r.get(), t, &s), KIMITSU_OK);
    EXPECT_GE(s, 0.0);
    EXPECT_LE(s, 1.0);
    if (t == kimitsu_result_tier_index(r.get())) {
      EXPECT_DOUBLE_EQ(s, kimitsu_result_score(r.get()));
    }
    if (t != tiers - 1) highest_other = std::max(highest_other, s);
  }
  double s = 42;
  EXPECT_EQ(kimitsu_result_tier_score(r.get(), tiers, &s), KIMITSU_E_OUT_OF_RANGE);
  EXPECT_EQ(s, 42);
  EXPECT_EQ(kimitsu_result_tier_score(r.get(), 0, nullptr), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_result_tier_score(nullptr, 0, &s), KIMITSU_E_INVALID_ARGUMENT);

  // The findings of the rules that score add up to the total; a rule short
  // of its min_count may have matched but scores 0 and is not counted.
  uint64_t sum = 0;
  const size_t rules = kimitsu_policy_rule_count(p.get());
  for (size_t i = 0; i < rules; ++i) {
    uint64_t count = 0;
    double score = -1;
    ASSERT_EQ(kimitsu_result_rule(r.get(), i, &count, &score), KIMITSU_OK);
    EXPECT_GE(score, 0.0);
    EXPECT_LE(score, 1.0);
    if (count == 0) {
      EXPECT_EQ(score, 0.0);
    }
    if (score > 0) sum += count;
  }
  EXPECT_EQ(sum, kimitsu_result_total_findings(r.get()));
  uint64_t card_count = 0;
  double card_score = 0;
  kimitsu_finding card = FindRule(r.get(), "credit_card");
  ASSERT_NE(card.struct_size, 0u);
  ASSERT_EQ(kimitsu_result_rule(r.get(), card.rule_index, &card_count, &card_score), KIMITSU_OK);
  EXPECT_EQ(card_count, 1u);
  EXPECT_GT(card_score, 0.5);
  EXPECT_EQ(kimitsu_result_rule(r.get(), 0, nullptr, nullptr), KIMITSU_OK);
  EXPECT_EQ(kimitsu_result_rule(r.get(), rules, nullptr, nullptr), KIMITSU_E_OUT_OF_RANGE);
  EXPECT_EQ(kimitsu_result_rule(nullptr, 0, nullptr, nullptr), KIMITSU_E_INVALID_ARGUMENT);

  // A public document: its score is 1 - the highest score of the others.
  ResultPtr plain = Scan(p.get(), "The weather is nice today.\n");
  ASSERT_STREQ(kimitsu_result_tier(plain.get()), "public");
  highest_other = 0.0;
  for (size_t t = 0; t + 1 < tiers; ++t) {
    double ts = 0;
    ASSERT_EQ(kimitsu_result_tier_score(plain.get(), t, &ts), KIMITSU_OK);
    highest_other = std::max(highest_other, ts);
  }
  EXPECT_DOUBLE_EQ(kimitsu_result_score(plain.get()), 1.0 - highest_other);
}

TEST(CapiScan, ExcerptsAreMaskedByDefault) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.flags = KIMITSU_SCAN_EXCERPTS;
  ResultPtr r = Scan(p.get(), kCardText, &options);
  kimitsu_finding f = FindRule(r.get(), "credit_card");
  ASSERT_NE(f.struct_size, 0u);
  EXPECT_EQ(Excerpt(f), "4111 **** **** 1111");
  EXPECT_EQ(f.excerpt[f.excerpt_len], '\0');  // also NUL-terminated

  options.flags = KIMITSU_SCAN_EXCERPTS | KIMITSU_SCAN_UNMASKED;
  ResultPtr u = Scan(p.get(), kCardText, &options);
  f = FindRule(u.get(), "credit_card");
  ASSERT_NE(f.struct_size, 0u);
  EXPECT_EQ(Excerpt(f), "4111 1111 1111 1111");

  // UNMASKED alone asks for no excerpts.
  options.flags = KIMITSU_SCAN_UNMASKED;
  ResultPtr n = Scan(p.get(), kCardText, &options);
  f = FindRule(n.get(), "credit_card");
  ASSERT_NE(f.struct_size, 0u);
  EXPECT_EQ(f.excerpt, nullptr);
}

TEST(CapiScan, FindingsCap) {
  PolicyPtr p = DefaultPolicy();
  std::string text = "Customer cards on file:\n";
  const char* cards[] = {"4111 1111 1111 1111", "5555 5555 5555 4444", "4012 8888 8888 1881",
                         "3782 822463 10005", "6011 1111 1111 1117"};
  for (const char* c : cards) text += std::string("card ") + c + "\n";

  ResultPtr all = Scan(p.get(), text);
  const size_t n = kimitsu_result_finding_count(all.get());
  ASSERT_GE(n, 5u);
  EXPECT_EQ(kimitsu_result_total_findings(all.get()), n);
  EXPECT_EQ(kimitsu_result_flags(all.get()) & KIMITSU_RESULT_FINDINGS_TRUNCATED, 0u);

  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.max_findings = 2;
  options.flags = KIMITSU_SCAN_EXCERPTS;
  ResultPtr capped = Scan(p.get(), text, &options);
  const size_t kept = kimitsu_result_finding_count(capped.get());
  EXPECT_GE(kept, 1u);
  EXPECT_LE(kept, 2u);
  EXPECT_EQ(kimitsu_result_total_findings(capped.get()), n);
  EXPECT_NE(kimitsu_result_flags(capped.get()) & KIMITSU_RESULT_FINDINGS_TRUNCATED, 0u);
  // Scores count every finding, kept or not.
  EXPECT_STREQ(kimitsu_result_tier(capped.get()), kimitsu_result_tier(all.get()));
  EXPECT_DOUBLE_EQ(kimitsu_result_score(capped.get()), kimitsu_result_score(all.get()));
  kimitsu_finding f = KIMITSU_FINDING_INIT;
  EXPECT_EQ(kimitsu_result_finding(capped.get(), kept - 1, &f), KIMITSU_OK);
  EXPECT_NE(f.excerpt, nullptr);
  EXPECT_EQ(kimitsu_result_finding(capped.get(), kept, &f), KIMITSU_E_OUT_OF_RANGE);

  // The smallest cap.
  options.max_findings = 1;
  ResultPtr one = Scan(p.get(), text, &options);
  EXPECT_LE(kimitsu_result_finding_count(one.get()), 1u);
  EXPECT_EQ(kimitsu_result_total_findings(one.get()), n);
  EXPECT_NE(kimitsu_result_flags(one.get()) & KIMITSU_RESULT_FINDINGS_TRUNCATED, 0u);
}

// A capped result keeps the first max_findings findings in input order, even
// when other rules' candidates (12-digit runs inside the card numbers) are
// dropped for min_count afterwards.
TEST(CapiScan, FindingsCapKeepsTheFirstFindingsInInputOrder) {
  PolicyPtr p = DefaultPolicy();
  std::string text = "Customer cards on file:\n";
  const char* cards[] = {"4111 1111 1111 1111", "5555 5555 5555 4444", "4012 8888 8888 1881",
                         "3782 822463 10005", "6011 1111 1111 1117"};
  for (const char* c : cards) text += std::string("card ") + c + "\n";
  ResultPtr all = Scan(p.get(), text);
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.max_findings = 2;
  ResultPtr capped = Scan(p.get(), text, &options);
  ASSERT_EQ(kimitsu_result_finding_count(capped.get()), 2u);
  for (size_t i = 0; i < 2; ++i) {
    kimitsu_finding a = Finding(all.get(), i), c = Finding(capped.get(), i);
    EXPECT_STREQ(a.rule, c.rule);
    EXPECT_EQ(a.start, c.start);
  }
}

TEST(CapiScan, OffsetsPointIntoUtf8Input) {
  PolicyPtr p = DefaultPolicy();
  ResultPtr r = Scan(p.get(), kBannerUtf8);
  EXPECT_STREQ(kimitsu_result_tier(r.get()), "designated_secret");
  EXPECT_STREQ(kimitsu_result_encoding(r.get()), "UTF-8");
  kimitsu_finding f = FindRule(r.get(), "us_banner_top_secret");
  ASSERT_NE(f.struct_size, 0u) << Describe(r.get());
  EXPECT_EQ(Slice(kBannerUtf8, f), kBannerUtf8Marking);
  EXPECT_EQ(f.start, kBannerUtf8.find(kBannerUtf8Marking));
  EXPECT_STREQ(f.placement, "line");
}

TEST(CapiScan, ForcedShiftJisAndOffsetsIntoTheOriginalBytes) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.encoding = "Shift_JIS";
  options.flags = KIMITSU_SCAN_EXCERPTS | KIMITSU_SCAN_UNMASKED;
  ResultPtr r = Scan(p.get(), kBannerSjis, &options);
  EXPECT_STREQ(kimitsu_result_encoding(r.get()), "Shift_JIS");
  EXPECT_STREQ(kimitsu_result_tier(r.get()), "designated_secret");
  EXPECT_EQ(kimitsu_result_flags(r.get()) & KIMITSU_RESULT_LOSSY_DECODE, 0u);
  kimitsu_finding f = FindRule(r.get(), "us_banner_top_secret");
  ASSERT_NE(f.struct_size, 0u) << Describe(r.get());
  EXPECT_EQ(Slice(kBannerSjis, f), kBannerSjisMarking);
  EXPECT_EQ(f.start, kBannerSjis.find(kBannerSjisMarking));
  // The excerpt is UTF-8 of the normalized (NFKC) text, whatever the input was.
  EXPECT_EQ(Excerpt(f), "TOP SECRET");

  // Names are matched with their common aliases.
  options.encoding = "cp932";
  ResultPtr alias = Scan(p.get(), kBannerSjis, &options);
  EXPECT_STREQ(kimitsu_result_encoding(alias.get()), "Shift_JIS");
  EXPECT_EQ(Describe(alias.get()), Describe(r.get()));
}

TEST(CapiScan, DetectsShiftJis) {
  PolicyPtr p = DefaultPolicy();
  ResultPtr r = Scan(p.get(), kBannerSjis);
  EXPECT_STREQ(kimitsu_result_encoding(r.get()), "Shift_JIS");
  kimitsu_finding f = FindRule(r.get(), "us_banner_top_secret");
  ASSERT_NE(f.struct_size, 0u) << Describe(r.get());
  EXPECT_EQ(Slice(kBannerSjis, f), kBannerSjisMarking);
}

TEST(CapiScan, ForcedEncodingChangesTheReading) {
  // The UTF-8 bytes read as windows-1252 are mojibake: no full-width banner.
  PolicyPtr p = DefaultPolicy();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.encoding = "windows-1252";
  ResultPtr r = Scan(p.get(), kBannerUtf8, &options);
  EXPECT_STREQ(kimitsu_result_encoding(r.get()), "windows-1252");
  EXPECT_EQ(FindRule(r.get(), "us_banner_top_secret").struct_size, 0u);
}

TEST(CapiScan, UnknownEncoding) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.encoding = "KLINGON-8";
  kimitsu_result* r = Garbage<kimitsu_result>();
  EXPECT_EQ(kimitsu_scan(p.get(), kCardText.data(), kCardText.size(), &options, &r), KIMITSU_E_ENCODING);
  EXPECT_EQ(r, nullptr);
  options.encoding = "";
  EXPECT_EQ(kimitsu_scan(p.get(), kCardText.data(), kCardText.size(), &options, &r), KIMITSU_E_ENCODING);
  EXPECT_EQ(r, nullptr);
}

// One e-mail address: the rule needs five to count, so by default there is
// no finding; with ALL_MATCHES it is reported, and its rule still scores 0.
TEST(CapiScan, AllMatchesReportsFindingsShortOfMinCount) {
  PolicyPtr p = DefaultPolicy();
  const std::string text = "write to info@example.com today";  // not a URL either
  size_t rule = SIZE_MAX;
  for (size_t i = 0; i < kimitsu_policy_rule_count(p.get()); ++i) {
    kimitsu_rule_info info = KIMITSU_RULE_INFO_INIT;
    ASSERT_EQ(kimitsu_policy_rule(p.get(), i, &info), KIMITSU_OK);
    if (std::string(info.entity) == "EMAIL_ADDRESS") rule = i;
  }
  ASSERT_NE(rule, SIZE_MAX);

  kimitsu_result* plain = nullptr;
  ASSERT_EQ(kimitsu_scan(p.get(), text.data(), text.size(), nullptr, &plain), KIMITSU_OK);
  EXPECT_EQ(kimitsu_result_finding_count(plain), 0u);
  EXPECT_EQ(kimitsu_result_total_findings(plain), 0u);

  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.flags = KIMITSU_SCAN_ALL_MATCHES;
  kimitsu_result* all = nullptr;
  ASSERT_EQ(kimitsu_scan(p.get(), text.data(), text.size(), &options, &all), KIMITSU_OK);
  ASSERT_EQ(kimitsu_result_finding_count(all), 1u);
  EXPECT_EQ(kimitsu_result_total_findings(all), 1u);
  kimitsu_finding f = KIMITSU_FINDING_INIT;
  ASSERT_EQ(kimitsu_result_finding(all, 0, &f), KIMITSU_OK);
  EXPECT_EQ(f.rule_index, rule);
  EXPECT_EQ(text.substr(f.start, f.end - f.start), "info@example.com");
  double score = -1;
  uint64_t count = 0;
  ASSERT_EQ(kimitsu_result_rule(all, rule, &count, &score), KIMITSU_OK);
  EXPECT_EQ(count, 1u);
  EXPECT_EQ(score, 0.0);
  // The decision does not change.
  EXPECT_EQ(kimitsu_result_tier_index(all), kimitsu_result_tier_index(plain));
  EXPECT_EQ(kimitsu_result_score(all), kimitsu_result_score(plain));
  kimitsu_result_free(plain);
  kimitsu_result_free(all);
}

TEST(CapiScan, BadFlags) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  for (uint32_t flags : {8u, 0x80000000u, 0xFFFFFFFFu}) {
    options.flags = flags;
    kimitsu_result* r = Garbage<kimitsu_result>();
    EXPECT_EQ(kimitsu_scan(p.get(), kCardText.data(), kCardText.size(), &options, &r), KIMITSU_E_INVALID_ARGUMENT)
        << flags;
    EXPECT_EQ(r, nullptr);
  }
}

TEST(CapiScan, OptionsStructSize) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  kimitsu_result* r = Garbage<kimitsu_result>();
  options.struct_size = 0;
  EXPECT_EQ(kimitsu_scan(p.get(), kCardText.data(), kCardText.size(), &options, &r), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(r, nullptr);
  // Smaller than the first version of the struct (which ended before max_excerpt_bytes).
  options.struct_size = offsetof(kimitsu_scan_options, max_excerpt_bytes) - 1;
  EXPECT_EQ(kimitsu_scan(p.get(), kCardText.data(), kCardText.size(), &options, &r), KIMITSU_E_STRUCT_SIZE);
}

TEST(CapiScan, InputTooLargeIsFlaggedNotSilent) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.max_input_bytes = 10;
  ResultPtr r = Scan(p.get(), kCardText, &options);
  ASSERT_NE(r, nullptr);
  const uint32_t flags = kimitsu_result_flags(r.get());
  EXPECT_NE(flags & KIMITSU_RESULT_INPUT_TOO_LARGE, 0u);
  EXPECT_NE(flags & KIMITSU_RESULT_INCOMPLETE, 0u);
  EXPECT_EQ(kimitsu_result_finding_count(r.get()), 0u);
  EXPECT_EQ(kimitsu_result_input_bytes(r.get()), kCardText.size());
  EXPECT_STREQ(kimitsu_result_tier(r.get()), "public");

  // At the limit exactly, the input is scanned.
  options.max_input_bytes = kCardText.size();
  ResultPtr ok = Scan(p.get(), kCardText, &options);
  EXPECT_EQ(kimitsu_result_flags(ok.get()) & (KIMITSU_RESULT_INPUT_TOO_LARGE | KIMITSU_RESULT_INCOMPLETE), 0u);
  EXPECT_STREQ(kimitsu_result_tier(ok.get()), "protected");
}

TEST(CapiScan, BinaryAndLossyInputsAreFlagged) {
  PolicyPtr p = DefaultPolicy();
  std::string binary(4096, '\0');
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 7);
  ResultPtr b = Scan(p.get(), binary);
  EXPECT_NE(kimitsu_result_flags(b.get()) & KIMITSU_RESULT_BINARY, 0u);
  EXPECT_STREQ(kimitsu_result_encoding(b.get()), "binary");

  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.encoding = "UTF-8";
  ResultPtr l = Scan(p.get(), "caf\xC3 \xFF\n", &options);
  EXPECT_NE(kimitsu_result_flags(l.get()) & KIMITSU_RESULT_LOSSY_DECODE, 0u);
}

TEST(CapiScan, EmptyInput) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_result* r = nullptr;
  ASSERT_EQ(kimitsu_scan(p.get(), nullptr, 0, nullptr, &r), KIMITSU_OK);
  ResultPtr result(r);
  EXPECT_STREQ(kimitsu_result_tier(r), "public");
  EXPECT_EQ(kimitsu_result_finding_count(r), 0u);
  EXPECT_EQ(kimitsu_result_total_findings(r), 0u);
  EXPECT_EQ(kimitsu_result_input_bytes(r), 0u);
  EXPECT_EQ(kimitsu_result_flags(r), 0u);

  kimitsu_result* r2 = nullptr;
  ASSERT_EQ(kimitsu_scan(p.get(), "", 0, nullptr, &r2), KIMITSU_OK);
  kimitsu_result_free(r2);
}

TEST(CapiScan, NullArguments) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_result* r = Garbage<kimitsu_result>();
  EXPECT_EQ(kimitsu_scan(nullptr, kCardText.data(), kCardText.size(), nullptr, &r), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(r, nullptr);
  r = Garbage<kimitsu_result>();
  EXPECT_EQ(kimitsu_scan(p.get(), nullptr, 5, nullptr, &r), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(r, nullptr);
  EXPECT_EQ(kimitsu_scan(p.get(), kCardText.data(), kCardText.size(), nullptr, nullptr),
            KIMITSU_E_INVALID_ARGUMENT);
}

TEST(CapiScan, NullResultAccessors) {
  EXPECT_STREQ(kimitsu_result_tier(nullptr), "");
  EXPECT_EQ(kimitsu_result_tier_index(nullptr), 0u);
  EXPECT_EQ(kimitsu_result_score(nullptr), 0.0);
  EXPECT_EQ(kimitsu_result_finding_count(nullptr), 0u);
  EXPECT_EQ(kimitsu_result_total_findings(nullptr), 0u);
  EXPECT_STREQ(kimitsu_result_encoding(nullptr), "");
  EXPECT_EQ(kimitsu_result_flags(nullptr), 0u);
  EXPECT_EQ(kimitsu_result_input_bytes(nullptr), 0u);
  kimitsu_finding f = KIMITSU_FINDING_INIT;
  EXPECT_EQ(kimitsu_result_finding(nullptr, 0, &f), KIMITSU_E_INVALID_ARGUMENT);
  double d;
  EXPECT_EQ(kimitsu_result_tier_score(nullptr, 0, &d), KIMITSU_E_INVALID_ARGUMENT);
  uint64_t c;
  EXPECT_EQ(kimitsu_result_rule(nullptr, 0, &c, &d), KIMITSU_E_INVALID_ARGUMENT);

  EXPECT_STREQ(kimitsu_error_message(nullptr), "");
  EXPECT_EQ(kimitsu_error_line(nullptr), 0);
  EXPECT_EQ(kimitsu_error_column(nullptr), 0);
  EXPECT_STREQ(kimitsu_error_rule(nullptr), "");
}

TEST(CapiScan, FindingErrors) {
  PolicyPtr p = DefaultPolicy();
  ResultPtr r = Scan(p.get(), kCardText);
  ASSERT_GE(kimitsu_result_finding_count(r.get()), 1u);
  kimitsu_finding f = KIMITSU_FINDING_INIT;
  EXPECT_EQ(kimitsu_result_finding(r.get(), 0, nullptr), KIMITSU_E_INVALID_ARGUMENT);
  f.struct_size = 0;
  EXPECT_EQ(kimitsu_result_finding(r.get(), 0, &f), KIMITSU_E_STRUCT_SIZE);
  f.struct_size = sizeof f - 1;
  EXPECT_EQ(kimitsu_result_finding(r.get(), 0, &f), KIMITSU_E_STRUCT_SIZE);
  f.struct_size = sizeof f;
  f.rule = "untouched";
  EXPECT_EQ(kimitsu_result_finding(r.get(), kimitsu_result_finding_count(r.get()), &f), KIMITSU_E_OUT_OF_RANGE);
  EXPECT_EQ(kimitsu_result_finding(r.get(), SIZE_MAX, &f), KIMITSU_E_OUT_OF_RANGE);
  EXPECT_STREQ(f.rule, "untouched");
}

TEST(CapiScan, FindingsAreInInputOrder) {
  PolicyPtr p = DefaultPolicy();
  std::string text = std::string(kBannerUtf8) + std::string(kCardText);
  ResultPtr r = Scan(p.get(), text);
  uint64_t last = 0;
  for (size_t i = 0; i < kimitsu_result_finding_count(r.get()); ++i) {
    kimitsu_finding f = Finding(r.get(), i);
    EXPECT_GE(f.start, last);
    EXPECT_LT(f.start, f.end);
    EXPECT_LE(f.end, text.size());
    last = f.start;
  }
}

TEST(CapiScan, ResultOutlivesThePolicy) {
  kimitsu_policy* p = nullptr;
  ASSERT_EQ(kimitsu_policy_compile(kSmallPolicy.data(), kSmallPolicy.size(), &p, nullptr), KIMITSU_OK);
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.flags = KIMITSU_SCAN_EXCERPTS;
  const std::string text = "Subject: BLUEBIRD\nBLUEBIRD\n";
  kimitsu_result* r = nullptr;
  ASSERT_EQ(kimitsu_scan(p, text.data(), text.size(), &options, &r), KIMITSU_OK);
  ResultPtr result(r);
  kimitsu_policy_free(p);  // the result keeps what it needs

  EXPECT_STREQ(kimitsu_result_tier(r), "high");
  ASSERT_GE(kimitsu_result_finding_count(r), 1u);
  kimitsu_finding f = Finding(r, 0);
  EXPECT_STREQ(f.rule, "codeword");
  EXPECT_STREQ(f.tier, "high");
  EXPECT_STREQ(f.entity, "CODEWORD");
  EXPECT_EQ(Slice(text, f), "BLUEBIRD");
  EXPECT_NE(f.excerpt, nullptr);
  uint64_t count = 0;
  ASSERT_EQ(kimitsu_result_rule(r, 0, &count, nullptr), KIMITSU_OK);
  EXPECT_EQ(count, kimitsu_result_total_findings(r));
}

TEST(CapiScan, ResultDoesNotReferToTheInput) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.flags = KIMITSU_SCAN_EXCERPTS;
  std::string text(kCardText);
  ResultPtr r = Scan(p.get(), text, &options);
  std::string before = Describe(r.get());
  std::fill(text.begin(), text.end(), 'x');
  text.clear();
  text.shrink_to_fit();
  EXPECT_EQ(Describe(r.get()), before);
}

// ---------------------------------------------------------------------------
// Reusable scanners

TEST(CapiScanner, ReuseGivesTheRightAnswers) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_scanner* s = Garbage<kimitsu_scanner>();
  ASSERT_EQ(kimitsu_scanner_new(&s), KIMITSU_OK);
  ASSERT_NE(s, nullptr);
  ScannerPtr scanner(s);
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.flags = KIMITSU_SCAN_EXCERPTS;

  ResultPtr card = Scan(p.get(), kCardText, &options);
  ResultPtr banner = Scan(p.get(), kBannerUtf8, &options);
  ResultPtr plain = Scan(p.get(), "Nothing to see here.\n", &options);

  const kimitsu_result* r = nullptr;
  ASSERT_EQ(kimitsu_scanner_scan(s, p.get(), kCardText.data(), kCardText.size(), &options, &r), KIMITSU_OK);
  ASSERT_NE(r, nullptr);
  EXPECT_STREQ(kimitsu_result_tier(r), "protected");
  EXPECT_EQ(Describe(r), Describe(card.get()));
  const kimitsu_result* first = r;

  ASSERT_EQ(kimitsu_scanner_scan(s, p.get(), kBannerUtf8.data(), kBannerUtf8.size(), &options, &r), KIMITSU_OK);
  EXPECT_EQ(r, first);  // owned by the scanner, the same object each time
  EXPECT_STREQ(kimitsu_result_tier(r), "designated_secret");
  EXPECT_EQ(Describe(r), Describe(banner.get()));

  ASSERT_EQ(kimitsu_scanner_scan(s, p.get(), "Nothing to see here.\n", 21, &options, &r), KIMITSU_OK);
  EXPECT_EQ(Describe(r), Describe(plain.get()));

  // Without excerpts after a scan with them: none left over.
  ASSERT_EQ(kimitsu_scanner_scan(s, p.get(), kCardText.data(), kCardText.size(), nullptr, &r), KIMITSU_OK);
  ASSERT_GE(kimitsu_result_finding_count(r), 1u);
  EXPECT_EQ(Finding(r, 0).excerpt, nullptr);

  // Empty input after a non-empty one.
  ASSERT_EQ(kimitsu_scanner_scan(s, p.get(), nullptr, 0, nullptr, &r), KIMITSU_OK);
  EXPECT_EQ(kimitsu_result_finding_count(r), 0u);
  EXPECT_EQ(kimitsu_result_input_bytes(r), 0u);
  EXPECT_STREQ(kimitsu_result_tier(r), "public");
}

TEST(CapiScanner, DifferentPoliciesWithOneScanner) {
  PolicyPtr def = DefaultPolicy();
  PolicyPtr small = Compile(kSmallPolicy);
  ScannerPtr scanner;
  {
    kimitsu_scanner* s = nullptr;
    ASSERT_EQ(kimitsu_scanner_new(&s), KIMITSU_OK);
    scanner.reset(s);
  }
  const std::string text = "BLUEBIRD\n" + std::string(kCardText);
  const kimitsu_result* r = nullptr;
  ASSERT_EQ(kimitsu_scanner_scan(scanner.get(), def.get(), text.data(), text.size(), nullptr, &r), KIMITSU_OK);
  EXPECT_STREQ(kimitsu_result_tier(r), "protected");
  ASSERT_EQ(kimitsu_scanner_scan(scanner.get(), small.get(), text.data(), text.size(), nullptr, &r), KIMITSU_OK);
  EXPECT_STREQ(kimitsu_result_tier(r), "high");
  EXPECT_EQ(kimitsu_result_finding_count(r), 1u);
  // The scanner's result keeps the policy alive too.
  small.reset();
  EXPECT_STREQ(Finding(r, 0).rule, "codeword");
  ASSERT_EQ(kimitsu_scanner_scan(scanner.get(), def.get(), text.data(), text.size(), nullptr, &r), KIMITSU_OK);
  EXPECT_STREQ(kimitsu_result_tier(r), "protected");
}

TEST(CapiScanner, InputTooLargeAfterAScanReportsNoStaleData) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_scanner* s = nullptr;
  ASSERT_EQ(kimitsu_scanner_new(&s), KIMITSU_OK);
  ScannerPtr scanner(s);
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.encoding = "Shift_JIS";
  const kimitsu_result* r = nullptr;
  ASSERT_EQ(kimitsu_scanner_scan(s, p.get(), kBannerSjis.data(), kBannerSjis.size(), &options, &r), KIMITSU_OK);
  EXPECT_STREQ(kimitsu_result_encoding(r), "Shift_JIS");

  kimitsu_scan_options small = KIMITSU_SCAN_OPTIONS_INIT;
  small.max_input_bytes = 4;
  small.flags = KIMITSU_SCAN_EXCERPTS;
  ASSERT_EQ(kimitsu_scanner_scan(s, p.get(), kCardText.data(), kCardText.size(), &small, &r), KIMITSU_OK);
  // The same answer as a fresh one-shot scan, nothing left from the scan before.
  ResultPtr fresh = Scan(p.get(), kCardText, &small);
  EXPECT_EQ(Describe(r), Describe(fresh.get()));
}

TEST(CapiScanner, Errors) {
  PolicyPtr p = DefaultPolicy();
  EXPECT_EQ(kimitsu_scanner_new(nullptr), KIMITSU_E_INVALID_ARGUMENT);
  kimitsu_scanner* s = nullptr;
  ASSERT_EQ(kimitsu_scanner_new(&s), KIMITSU_OK);
  ScannerPtr scanner(s);
  const kimitsu_result* r = Garbage<const kimitsu_result>();
  EXPECT_EQ(kimitsu_scanner_scan(nullptr, p.get(), "x", 1, nullptr, &r), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(r, nullptr);
  r = Garbage<const kimitsu_result>();
  EXPECT_EQ(kimitsu_scanner_scan(s, nullptr, "x", 1, nullptr, &r), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(r, nullptr);
  EXPECT_EQ(kimitsu_scanner_scan(s, p.get(), nullptr, 1, nullptr, &r), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_scanner_scan(s, p.get(), "x", 1, nullptr, nullptr), KIMITSU_E_INVALID_ARGUMENT);
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.encoding = "no-such-encoding";
  r = Garbage<const kimitsu_result>();
  EXPECT_EQ(kimitsu_scanner_scan(s, p.get(), "x", 1, &options, &r), KIMITSU_E_ENCODING);
  EXPECT_EQ(r, nullptr);
  options = KIMITSU_SCAN_OPTIONS_INIT;
  options.flags = 64;
  EXPECT_EQ(kimitsu_scanner_scan(s, p.get(), "x", 1, &options, &r), KIMITSU_E_INVALID_ARGUMENT);
  options.flags = 0;
  options.struct_size = 0;
  EXPECT_EQ(kimitsu_scanner_scan(s, p.get(), "x", 1, &options, &r), KIMITSU_E_STRUCT_SIZE);

  // After errors the scanner still works.
  ASSERT_EQ(kimitsu_scanner_scan(s, p.get(), kCardText.data(), kCardText.size(), nullptr, &r), KIMITSU_OK);
  EXPECT_STREQ(kimitsu_result_tier(r), "protected");
}

// ---------------------------------------------------------------------------
// Threads: one shared policy, many threads, the same answers as one thread.

std::vector<std::string> Documents() {
  std::vector<std::string> docs = {std::string(kCardText), std::string(kBannerUtf8), std::string(kBannerSjis),
                                   "Nothing to see here.\n", ""};
#ifdef KIMITSU_SOURCE_DIR
  const std::string dir = std::string(KIMITSU_SOURCE_DIR) + "/tests/corpus/";
  std::ifstream manifest(dir + "manifest.jsonl");
  EXPECT_TRUE(manifest.good()) << dir;
  std::string line;
  size_t n = 0;
  while (std::getline(manifest, line)) {
    // Every third entry keeps the test quick and still covers both languages
    // and the non-UTF-8 encodings.
    if (n++ % 3 != 0) continue;
    const std::string key = "\"path\": \"";
    size_t at = line.find(key);
    if (at == std::string::npos) continue;
    at += key.size();
    std::string path = dir + line.substr(at, line.find('"', at) - at);
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in.good()) << path;
    std::ostringstream text;
    text << in.rdbuf();
    docs.push_back(text.str());
  }
#endif
  return docs;
}

TEST(CapiThreads, SharedPolicyGivesTheSingleThreadedAnswers) {
  PolicyPtr p = DefaultPolicy();
  const std::vector<std::string> docs = Documents();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.flags = KIMITSU_SCAN_EXCERPTS;

  std::vector<std::string> expected;
  for (const auto& d : docs) expected.push_back(Describe(Scan(p.get(), d, &options).get()));

  constexpr int kThreads = 8;
  constexpr int kRounds = 50;
  std::vector<int> mismatches(kThreads, 0), failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Half the threads scan one-shot, half with their own scanner.
      kimitsu_scanner* scanner = nullptr;
      if (t % 2 == 1 && kimitsu_scanner_new(&scanner) != KIMITSU_OK) ++failures[t];
      for (int round = 0; round < kRounds; ++round) {
        for (size_t k = 0; k < docs.size(); ++k) {
          size_t i = (k + t * 7 + round) % docs.size();  // each thread in its own order
          const std::string& d = docs[i];
          if (scanner) {
            const kimitsu_result* r = nullptr;
            if (kimitsu_scanner_scan(scanner, p.get(), d.data(), d.size(), &options, &r) != KIMITSU_OK) {
              ++failures[t];
              continue;
            }
            if (Describe(r) != expected[i]) ++mismatches[t];
          } else {
            kimitsu_result* r = nullptr;
            if (kimitsu_scan(p.get(), d.data(), d.size(), &options, &r) != KIMITSU_OK) {
              ++failures[t];
              continue;
            }
            if (Describe(r) != expected[i]) ++mismatches[t];
            kimitsu_result_free(r);
          }
        }
      }
      kimitsu_scanner_free(scanner);
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], 0) << "thread " << t;
    EXPECT_EQ(mismatches[t], 0) << "thread " << t;
  }
}

// ---------------------------------------------------------------------------
// Streams: kimitsu_stream_open / write / finish / free

StreamPtr OpenStream(const kimitsu_policy* policy, const kimitsu_scan_options* options = nullptr) {
  kimitsu_stream* s = nullptr;
  EXPECT_EQ(kimitsu_stream_open(policy, options, &s), KIMITSU_OK);
  EXPECT_NE(s, nullptr);
  return StreamPtr(s);
}

// Streams `data` in chunks of random sizes (1..max_chunk, a third of them of
// 1..4 bytes) drawn with `seed`, and returns the result.
ResultPtr StreamScan(const kimitsu_policy* policy, std::string_view data, const kimitsu_scan_options* options,
                     uint32_t seed, size_t max_chunk) {
  StreamPtr s = OpenStream(policy, options);
  if (!s) return nullptr;
  uint32_t x = seed * 2654435761u + 1;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  };
  for (size_t at = 0; at < data.size();) {
    size_t len = next() % 3 == 0 ? 1 + next() % 4 : 1 + next() % max_chunk;
    len = std::min(len, data.size() - at);
    EXPECT_EQ(kimitsu_stream_write(s.get(), data.data() + at, len), KIMITSU_OK);
    at += len;
  }
  kimitsu_result* r = Garbage<kimitsu_result>();
  EXPECT_EQ(kimitsu_stream_finish(s.get(), &r), KIMITSU_OK);
  return ResultPtr(r);
}

// Describe() and each rule's evidence.
std::string DescribeWithEvidence(const kimitsu_policy* policy, const kimitsu_result* r) {
  std::ostringstream out;
  out << Describe(r);
  for (size_t i = 0; i < kimitsu_result_finding_count(r); ++i) {
    kimitsu_finding f = Finding(r, i);
    out << f.line << " " << f.base_confidence << " " << f.context_delta << "\n";
  }
  for (size_t i = 0; i < kimitsu_policy_rule_count(policy); ++i) {
    uint64_t count = 0;
    double score = 0;
    EXPECT_EQ(kimitsu_result_rule(r, i, &count, &score), KIMITSU_OK);
    out << i << ":" << count << "/" << score << " ";
  }
  return out.str();
}

TEST(CapiStream, EqualsScanHoweverTheInputIsCut) {
  PolicyPtr p = DefaultPolicy();
  std::vector<std::string> docs = Documents();
  // And one larger document, made of the others, past several 64 KiB chunks.
  std::string big;
  while (big.size() < 400000) {
    for (const std::string& d : docs) big += d + "\n";
  }
  docs.push_back(big);
  // Shift_JIS past the 64 KiB that detection holds back, so that characters
  // are cut between chunks as they are decoded.
  std::string sjis;
  while (sjis.size() < 200000) sjis += std::string(kBannerSjis) + "\n";
  docs.push_back(sjis);
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.flags = KIMITSU_SCAN_EXCERPTS;
  size_t with_findings = 0;
  for (size_t k = 0; k < docs.size(); ++k) {
    const std::string& d = docs[k];
    ResultPtr want = Scan(p.get(), d, &options);
    ASSERT_NE(want, nullptr);
    with_findings += kimitsu_result_finding_count(want.get()) > 0;
    // As detected, and forced to the encoding detected (then nothing is held
    // back for detection: every chunk is decoded as it comes).
    const std::string encoding = kimitsu_result_encoding(want.get());
    kimitsu_scan_options forced = options;
    forced.encoding = encoding == "binary" ? nullptr : encoding.c_str();
    for (const kimitsu_scan_options* o : {&options, &forced}) {
      ResultPtr reference = Scan(p.get(), d, o);
      const std::string expected = DescribeWithEvidence(p.get(), reference.get());
      for (uint32_t seed = 1; seed <= 3; ++seed) {
        size_t max_chunk = seed == 1 ? 1 : seed == 2 ? 64 : 70000;
        if (d.size() > 20000 && max_chunk == 1) max_chunk = 9;
        ResultPtr got = StreamScan(p.get(), d, o, seed + static_cast<uint32_t>(k), max_chunk);
        ASSERT_NE(got, nullptr);
        EXPECT_EQ(DescribeWithEvidence(p.get(), got.get()), expected)
            << "document " << k << " (" << d.size() << " bytes, " << encoding << (o == &forced ? " forced" : "")
            << "), chunks up to " << max_chunk;
      }
    }
  }
  EXPECT_GT(with_findings, 5u);
}

TEST(CapiStream, ForcedEncodingAndShiftJis) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.flags = KIMITSU_SCAN_EXCERPTS | KIMITSU_SCAN_UNMASKED;
  ResultPtr detected = StreamScan(p.get(), kBannerSjis, &options, 5, 1);
  ASSERT_NE(detected, nullptr);
  EXPECT_STREQ(kimitsu_result_encoding(detected.get()), "Shift_JIS");
  EXPECT_EQ(Describe(detected.get()), Describe(Scan(p.get(), kBannerSjis, &options).get()));
  options.encoding = "cp932";
  ResultPtr forced = StreamScan(p.get(), kBannerSjis, &options, 6, 3);
  ASSERT_NE(forced, nullptr);
  EXPECT_EQ(Describe(forced.get()), Describe(Scan(p.get(), kBannerSjis, &options).get()));
  kimitsu_finding f = FindRule(forced.get(), "us_banner_top_secret");
  ASSERT_NE(f.struct_size, 0u) << Describe(forced.get());
  EXPECT_EQ(Slice(kBannerSjis, f), kBannerSjisMarking);
  EXPECT_EQ(Excerpt(f), "TOP SECRET");
}

TEST(CapiStream, EmptyStream) {
  PolicyPtr p = DefaultPolicy();
  StreamPtr s = OpenStream(p.get());
  EXPECT_EQ(kimitsu_stream_write(s.get(), nullptr, 0), KIMITSU_OK);  // NULL with length 0 is fine
  EXPECT_EQ(kimitsu_stream_write(s.get(), "", 0), KIMITSU_OK);
  kimitsu_result* r = nullptr;
  ASSERT_EQ(kimitsu_stream_finish(s.get(), &r), KIMITSU_OK);
  ResultPtr result(r);
  EXPECT_EQ(Describe(result.get()), Describe(Scan(p.get(), "").get()));
  EXPECT_EQ(kimitsu_result_input_bytes(r), 0u);
}

TEST(CapiStream, NullArguments) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_stream* s = Garbage<kimitsu_stream>();
  EXPECT_EQ(kimitsu_stream_open(nullptr, nullptr, &s), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(s, nullptr);
  EXPECT_EQ(kimitsu_stream_open(p.get(), nullptr, nullptr), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_stream_write(nullptr, "abc", 3), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_stream_write(nullptr, nullptr, 0), KIMITSU_E_INVALID_ARGUMENT);
  kimitsu_result* r = Garbage<kimitsu_result>();
  EXPECT_EQ(kimitsu_stream_finish(nullptr, &r), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(r, nullptr);
  kimitsu_stream_free(nullptr);

  StreamPtr stream = OpenStream(p.get());
  EXPECT_EQ(kimitsu_stream_write(stream.get(), nullptr, 5), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(kimitsu_stream_finish(stream.get(), nullptr), KIMITSU_E_INVALID_ARGUMENT);
  // Those failures changed nothing: the stream still works.
  ASSERT_EQ(kimitsu_stream_write(stream.get(), kCardText.data(), kCardText.size()), KIMITSU_OK);
  r = nullptr;
  ASSERT_EQ(kimitsu_stream_finish(stream.get(), &r), KIMITSU_OK);
  ResultPtr result(r);
  EXPECT_STREQ(kimitsu_result_tier(r), "protected");
}

TEST(CapiStream, CallsAfterFinishAreStateErrors) {
  PolicyPtr p = DefaultPolicy();
  StreamPtr s = OpenStream(p.get());
  ASSERT_EQ(kimitsu_stream_write(s.get(), kCardText.data(), 10), KIMITSU_OK);
  ASSERT_EQ(kimitsu_stream_write(s.get(), kCardText.data() + 10, kCardText.size() - 10), KIMITSU_OK);
  kimitsu_result* r = nullptr;
  ASSERT_EQ(kimitsu_stream_finish(s.get(), &r), KIMITSU_OK);
  ResultPtr result(r);
  EXPECT_EQ(Describe(r), Describe(Scan(p.get(), kCardText).get()));
  // Write after finish, finish twice (the second gives no result), also empty writes.
  EXPECT_EQ(kimitsu_stream_write(s.get(), "more", 4), KIMITSU_E_STATE);
  EXPECT_EQ(kimitsu_stream_write(s.get(), nullptr, 0), KIMITSU_E_STATE);
  kimitsu_result* again = Garbage<kimitsu_result>();
  EXPECT_EQ(kimitsu_stream_finish(s.get(), &again), KIMITSU_E_STATE);
  EXPECT_EQ(again, nullptr);
  // The first result is untouched by those calls, and outlives the stream.
  s.reset();
  EXPECT_STREQ(kimitsu_result_tier(r), "protected");
  EXPECT_EQ(kimitsu_result_input_bytes(r), kCardText.size());
  EXPECT_STREQ(kimitsu_status_string(KIMITSU_E_STATE), kimitsu_status_string(KIMITSU_E_STATE));
}

// Freed without finishing, at every stage (nothing written, the head held,
// text in the window, a character cut off): under ASan, nothing leaks.
TEST(CapiStream, FreeWithoutFinish) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_stream_free(OpenStream(p.get()).release());
  for (std::string_view d : {kCardText, kBannerSjis}) {
    for (size_t len : {size_t{1}, d.size() / 2, d.size()}) {
      StreamPtr s = OpenStream(p.get());
      ASSERT_EQ(kimitsu_stream_write(s.get(), d.data(), len), KIMITSU_OK);
    }
  }
  std::string big(300000, 'x');
  for (size_t i = 100; i < big.size(); i += 100) big[i] = '\n';
  StreamPtr s = OpenStream(p.get());
  ASSERT_EQ(kimitsu_stream_write(s.get(), big.data(), big.size()), KIMITSU_OK);
  ASSERT_EQ(kimitsu_stream_write(s.get(), kBannerSjis.data(), 3), KIMITSU_OK);
}

TEST(CapiStream, KeepsThePolicyAlive) {
  kimitsu_policy* policy = nullptr;
  ASSERT_EQ(kimitsu_policy_compile(kSmallPolicy.data(), kSmallPolicy.size(), &policy, nullptr), KIMITSU_OK);
  kimitsu_stream* s = nullptr;
  ASSERT_EQ(kimitsu_stream_open(policy, nullptr, &s), KIMITSU_OK);
  StreamPtr stream(s);
  kimitsu_policy_free(policy);  // the caller's reference goes; the stream keeps its own
  const std::string text = "The codeword is BLUEBIRD.\n";
  for (char c : text) ASSERT_EQ(kimitsu_stream_write(s, &c, 1), KIMITSU_OK);
  kimitsu_result* r = nullptr;
  ASSERT_EQ(kimitsu_stream_finish(s, &r), KIMITSU_OK);
  ResultPtr result(r);
  stream.reset();  // and the result keeps what it needs after the stream is gone
  EXPECT_STREQ(kimitsu_result_tier(r), "high");
  ASSERT_EQ(kimitsu_result_finding_count(r), 1u);
  kimitsu_finding f = Finding(r, 0);
  EXPECT_STREQ(f.rule, "codeword");
  EXPECT_STREQ(f.entity, "CODEWORD");
  EXPECT_EQ(Slice(text, f), "BLUEBIRD");
}

TEST(CapiStream, BadOptionsAreRejectedAtOpen) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  kimitsu_stream* s = Garbage<kimitsu_stream>();
  options.struct_size = 0;
  EXPECT_EQ(kimitsu_stream_open(p.get(), &options, &s), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(s, nullptr);
  s = Garbage<kimitsu_stream>();
  options.struct_size = offsetof(kimitsu_scan_options, max_excerpt_bytes) - 1;
  EXPECT_EQ(kimitsu_stream_open(p.get(), &options, &s), KIMITSU_E_STRUCT_SIZE);
  EXPECT_EQ(s, nullptr);
  options = KIMITSU_SCAN_OPTIONS_INIT;
  options.encoding = "KLINGON-8";
  s = Garbage<kimitsu_stream>();
  EXPECT_EQ(kimitsu_stream_open(p.get(), &options, &s), KIMITSU_E_ENCODING);
  EXPECT_EQ(s, nullptr);
  options.encoding = nullptr;
  options.flags = 0x80000000u;
  s = Garbage<kimitsu_stream>();
  EXPECT_EQ(kimitsu_stream_open(p.get(), &options, &s), KIMITSU_E_INVALID_ARGUMENT);
  EXPECT_EQ(s, nullptr);
  // A struct from a newer header (larger) is accepted.
  struct {
    kimitsu_scan_options options;
    char extra[16];
  } newer;
  ASSERT_EQ(kimitsu_scan_options_init(&newer.options, sizeof newer), KIMITSU_OK);
  s = nullptr;
  EXPECT_EQ(kimitsu_stream_open(p.get(), &newer.options, &s), KIMITSU_OK);
  kimitsu_stream_free(s);
}

// max_input_bytes bounds one-shot scans only: a stream reads on, in bounded memory.
TEST(CapiStream, MaxInputBytesDoesNotApply) {
  PolicyPtr p = DefaultPolicy();
  kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
  options.max_input_bytes = 10;
  ResultPtr r = StreamScan(p.get(), kCardText, &options, 9, 7);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(kimitsu_result_flags(r.get()) & (KIMITSU_RESULT_INPUT_TOO_LARGE | KIMITSU_RESULT_INCOMPLETE), 0u);
  EXPECT_EQ(kimitsu_result_input_bytes(r.get()), kCardText.size());
  EXPECT_STREQ(kimitsu_result_tier(r.get()), "protected");
  options.max_input_bytes = 0;
  EXPECT_EQ(Describe(r.get()), Describe(Scan(p.get(), kCardText, &options).get()));
}

}  // namespace
