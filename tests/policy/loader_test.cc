// Policy loader: YAML/JSON text to a Policy, with errors that name the
// source, line, column and rule; compile-step errors (bad regex, empty
// matches, pattern limits) through CompiledPolicy::FromText.
#include "policy/loader.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>

#include "match/compiled_policy.h"
#include "match/validators.h"
#include "policy/default_policy.h"
#include "policy/policy.h"

namespace kimitsu::policy {
namespace {

// True when `s` contains `part` (gtest without gmock).
::testing::AssertionResult Contains(std::string_view s, std::string_view part) {
  if (s.find(part) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << s << "' does not contain '" << part << "'";
}

// A small valid policy; tests below vary one thing at a time. Line numbers
// matter: the comments give them.
constexpr std::string_view kValid =
    "version: 1\n"                 // 1
    "name: test\n"                 // 2
    "tiers:\n"                     // 3
    "  - id: high\n"               // 4
    "    threshold: 0.6\n"         // 5
    "  - id: mid\n"                // 6
    "  - id: low\n"                // 7
    "default_tier: low\n"          // 8
    "rules:\n"                     // 9
    "  - id: r1\n"                 // 10
    "    tier: high\n"             // 11
    "    confidence: 0.9\n"        // 12
    "    keywords: [SECRET]\n";    // 13

// The tiers part of a policy, for tests that write their own rules (9 lines).
constexpr std::string_view kHead =
    "version: 1\n"          // 1
    "tiers:\n"              // 2
    "  - id: high\n"        // 3
    "    threshold: 0.6\n"  // 4
    "  - id: low\n"         // 5
    "default_tier: low\n"   // 6
    "rules:\n";             // 7

struct Parsed {
  bool ok = false;
  Policy policy;
  PolicyError error;
};

Parsed Parse(std::string_view text, const PolicyLimits& limits = {}) {
  Parsed p;
  p.ok = ParsePolicy(text, "test.yaml", limits, &p.policy, &p.error);
  return p;
}

// Parses and compiles; returns the error (empty message on success).
PolicyError CompileError(std::string_view text, const match::CompileOptions& options = {}) {
  PolicyError error;
  auto compiled = match::CompiledPolicy::FromText(text, "test.yaml", options, &error);
  if (compiled) {
    EXPECT_TRUE(error.message.empty());
  }
  return error;
}

std::string WithRules(std::string_view rules) { return std::string(kHead) + std::string(rules); }

// ---------------------------------------------------------------------------
// Valid input

TEST(LoaderTest, ParsesValidPolicyWithDefaults) {
  Parsed p = Parse(kValid);
  ASSERT_TRUE(p.ok) << p.error.ToString();
  EXPECT_EQ(p.policy.version, 1);
  EXPECT_EQ(p.policy.name, "test");
  EXPECT_EQ(p.policy.source, "test.yaml");
  ASSERT_EQ(p.policy.tiers.size(), 3u);
  EXPECT_EQ(p.policy.tiers[0].id, "high");
  EXPECT_EQ(p.policy.tiers[0].label, "high");  // label defaults to the id
  EXPECT_DOUBLE_EQ(p.policy.tiers[0].threshold, 0.6);
  EXPECT_DOUBLE_EQ(p.policy.tiers[1].threshold, 0.5);  // default threshold
  EXPECT_EQ(p.policy.tiers[0].where.line, 4);
  EXPECT_EQ(p.policy.tiers[0].where.column, 5);
  EXPECT_EQ(p.policy.default_tier, "low");
  ASSERT_EQ(p.policy.rules.size(), 1u);
  const Rule& r = p.policy.rules[0];
  EXPECT_EQ(r.id, "r1");
  EXPECT_EQ(r.tier, "high");
  EXPECT_DOUBLE_EQ(r.confidence, 0.9);
  EXPECT_EQ(r.kind, MatcherKind::kKeywords);
  ASSERT_EQ(r.keywords.size(), 1u);
  EXPECT_EQ(r.keywords[0], "SECRET");
  EXPECT_EQ(r.min_count, 1u);
  EXPECT_FALSE(r.max_score.has_value());
  EXPECT_FALSE(r.case_sensitive);
  EXPECT_FALSE(r.word_boundary);
  EXPECT_EQ(r.where.line, 10);
  EXPECT_EQ(r.where.column, 5);
  EXPECT_EQ(r.pattern_where.line, 13);
  EXPECT_EQ(r.pattern_where.column, 15);
}

TEST(LoaderTest, ParsesEveryRuleField) {
  Parsed p = Parse(WithRules(
      "  - id: full.rule-1\n"
      "    description: all fields\n"
      "    tier: high\n"
      "    entity: CREDIT_CARD\n"
      "    confidence: 0.4\n"
      "    regex: '\\d{16}'\n"
      "    validator: luhn\n"
      "    context:\n"
      "      - {words: [card, カード], window: 5, unit: tokens, boost: 0.3}\n"
      "      - {words: [test], penalty: 0.2}\n"
      "    min_count: 2\n"
      "    max_score: 0.7\n"
      "    case_sensitive: yes\n"
      "    word_boundary: true\n"
      "  - id: m\n"
      "    tier: high\n"
      "    confidence: 1\n"
      "    marking:\n"
      "      keywords: [秘]\n"
      "      page_lines: 5\n"
      "      placement: {line: 1.0, prose: 0.25}\n"));
  ASSERT_TRUE(p.ok) << p.error.ToString();
  ASSERT_EQ(p.policy.rules.size(), 2u);
  const Rule& r = p.policy.rules[0];
  EXPECT_EQ(r.id, "full.rule-1");
  EXPECT_EQ(r.entity, "CREDIT_CARD");
  EXPECT_EQ(r.kind, MatcherKind::kRegex);
  EXPECT_EQ(r.regex, "\\d{16}");
  EXPECT_EQ(r.validator, "luhn");
  ASSERT_EQ(r.context.size(), 2u);
  EXPECT_EQ(r.context[0].words, (std::vector<std::string>{"card", "カード"}));
  EXPECT_EQ(r.context[0].window, 5u);
  EXPECT_TRUE(r.context[0].window_in_tokens);
  EXPECT_DOUBLE_EQ(r.context[0].boost, 0.3);
  EXPECT_EQ(r.context[1].words, (std::vector<std::string>{"test"}));
  EXPECT_EQ(r.context[1].window, 60u);  // default
  EXPECT_FALSE(r.context[1].window_in_tokens);
  EXPECT_DOUBLE_EQ(r.context[1].penalty, 0.2);
  EXPECT_EQ(r.min_count, 2u);
  ASSERT_TRUE(r.max_score.has_value());
  EXPECT_DOUBLE_EQ(*r.max_score, 0.7);
  EXPECT_TRUE(r.case_sensitive);
  EXPECT_TRUE(r.word_boundary);

  const Rule& m = p.policy.rules[1];
  EXPECT_EQ(m.kind, MatcherKind::kMarking);
  EXPECT_EQ(m.keywords, (std::vector<std::string>{"秘"}));
  EXPECT_EQ(m.page_lines, 5u);
  // A placement map replaces the defaults: unnamed placements get 0.
  EXPECT_DOUBLE_EQ(m.placement[static_cast<size_t>(Placement::kLine)], 1.0);
  EXPECT_DOUBLE_EQ(m.placement[static_cast<size_t>(Placement::kHeader)], 0.0);
  EXPECT_DOUBLE_EQ(m.placement[static_cast<size_t>(Placement::kFooter)], 0.0);
  EXPECT_DOUBLE_EQ(m.placement[static_cast<size_t>(Placement::kLineStart)], 0.0);
  EXPECT_DOUBLE_EQ(m.placement[static_cast<size_t>(Placement::kProse)], 0.25);
}

TEST(LoaderTest, MarkingWithoutPlacementKeepsDefaultFactors) {
  Parsed p = Parse(WithRules(
      "  - id: m\n"
      "    tier: high\n"
      "    confidence: 0.9\n"
      "    marking: {regex: 'SECRET'}\n"));
  ASSERT_TRUE(p.ok) << p.error.ToString();
  const Rule& m = p.policy.rules[0];
  EXPECT_EQ(m.regex, "SECRET");
  EXPECT_EQ(m.page_lines, 3u);
  EXPECT_EQ(m.placement, (std::array<double, kPlacementCount>{1.0, 1.0, 1.0, 0.8, 0.1}));
  EXPECT_EQ(m.pattern_where.line, 11);
  EXPECT_EQ(m.pattern_where.column, 22);
}

TEST(LoaderTest, JsonInputIsAccepted) {
  Parsed p = Parse(R"({
  "version": 1,
  "tiers": [{"id": "secret", "threshold": 0.7}, {"id": "open"}],
  "default_tier": "open",
  "rules": [
    {"id": "j1", "tier": "secret", "confidence": 0.8, "regex": "SECRET", "case_sensitive": true},
    {"id": "j2", "tier": "secret", "confidence": 0.5, "keywords": ["a b", "c"],
     "context": {"words": ["x"], "required": true}}
  ]
})");
  ASSERT_TRUE(p.ok) << p.error.ToString();
  ASSERT_EQ(p.policy.tiers.size(), 2u);
  EXPECT_DOUBLE_EQ(p.policy.tiers[0].threshold, 0.7);
  ASSERT_EQ(p.policy.rules.size(), 2u);
  EXPECT_TRUE(p.policy.rules[0].case_sensitive);
  EXPECT_EQ(p.policy.rules[1].keywords, (std::vector<std::string>{"a b", "c"}));
  EXPECT_TRUE(p.policy.rules[1].context[0].required);
  EXPECT_EQ(p.policy.rules[1].where.line, 7);
}

TEST(LoaderTest, DefaultPolicyParsesAndCompiles) {
  PolicyError error;
  auto compiled = match::CompiledPolicy::FromText(DefaultPolicyText(), kDefaultPolicySource, {}, &error);
  ASSERT_NE(compiled, nullptr) << error.ToString();
  const Policy& p = compiled->spec();
  ASSERT_EQ(p.tiers.size(), 4u);
  EXPECT_EQ(p.tiers[0].id, "designated_secret");
  EXPECT_EQ(p.tiers[1].id, "protected");
  EXPECT_EQ(p.tiers[2].id, "business_related");
  EXPECT_EQ(p.tiers[3].id, "public");
  EXPECT_EQ(p.default_tier, "public");
  EXPECT_EQ(compiled->default_tier(), 3u);
  EXPECT_GT(p.rules.size(), 30u);
  EXPECT_EQ(compiled->rules().size(), p.rules.size());
  EXPECT_EQ(p.source, "<default policy>");
}

// ---------------------------------------------------------------------------
// Error format

TEST(PolicyErrorTest, ToStringFormat) {
  PolicyError e{"file.yaml", 3, 7, "r1", "something is wrong"};
  EXPECT_EQ(e.ToString(), "file.yaml:3:7: rule 'r1': something is wrong");
  e.rule_id.clear();
  EXPECT_EQ(e.ToString(), "file.yaml:3:7: something is wrong");
  e.line = 0;
  e.column = 0;
  EXPECT_EQ(e.ToString(), "file.yaml: something is wrong");
  e.source.clear();
  EXPECT_EQ(e.ToString(), "<policy>: something is wrong");
}

TEST(PolicyErrorTest, EmptySourceNameBecomesPolicy) {
  Policy p;
  PolicyError e;
  ASSERT_FALSE(ParsePolicy("version: 1\nbogus: 1\n", "", {}, &p, &e));
  EXPECT_EQ(e.source, "<policy>");
  EXPECT_EQ(e.ToString().rfind("<policy>:2:1: unknown key 'bogus'", 0), 0u) << e.ToString();
}

TEST(PolicyErrorTest, NullErrorPointerIsAllowed) {
  Policy p;
  EXPECT_FALSE(ParsePolicy("bogus: 1\n", "x", {}, &p, nullptr));
  EXPECT_TRUE(ParsePolicy(kValid, "x", {}, &p, nullptr));
  EXPECT_EQ(match::CompiledPolicy::FromText("rules: [", "x", {}, nullptr), nullptr);
}

// ---------------------------------------------------------------------------
// Unknown keys

TEST(LoaderErrorTest, UnknownKeyAtTopLevel) {
  Parsed p = Parse("version: 1\nbogus: 2\ntiers: []\n");
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.source, "test.yaml");
  EXPECT_EQ(p.error.line, 2);
  EXPECT_EQ(p.error.column, 1);
  EXPECT_EQ(p.error.rule_id, "");
  EXPECT_EQ(p.error.message,
            "unknown key 'bogus' in the policy (expected one of: version, name, description, tiers, "
            "default_tier, rules)");
  EXPECT_EQ(p.error.ToString(),
            "test.yaml:2:1: unknown key 'bogus' in the policy (expected one of: version, name, description, "
            "tiers, default_tier, rules)");
}

TEST(LoaderErrorTest, UnknownKeyInTier) {
  Parsed p = Parse(
      "tiers:\n"
      "  - id: high\n"
      "    colour: red\n"
      "  - id: low\n"
      "default_tier: low\n"
      "rules: []\n");
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 3);
  EXPECT_EQ(p.error.column, 5);
  EXPECT_EQ(p.error.rule_id, "");
  EXPECT_EQ(p.error.message,
            "unknown key 'colour' in a tier (expected one of: id, label, description, threshold)");
}

TEST(LoaderErrorTest, UnknownKeyInRuleNamesTheRule) {
  Parsed p = Parse(WithRules(
      "  - id: r1\n"          // 8
      "    tier: high\n"      // 9
      "    confidence: 0.5\n" // 10
      "    severity: 3\n"     // 11
      "    keywords: [x]\n"));
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 11);
  EXPECT_EQ(p.error.column, 5);
  EXPECT_EQ(p.error.rule_id, "r1");
  EXPECT_TRUE(Contains(p.error.message, "unknown key 'severity' in a rule (expected one of: id, description, tier"));
  EXPECT_EQ(p.error.ToString().rfind("test.yaml:11:5: rule 'r1': unknown key 'severity'", 0), 0u)
      << p.error.ToString();
}

TEST(LoaderErrorTest, UnknownKeyInMarking) {
  Parsed p = Parse(WithRules(
      "  - id: m1\n"
      "    tier: high\n"
      "    confidence: 0.5\n"
      "    marking:\n"               // 11
      "      keywords: [SECRET]\n"   // 12
      "      position: line\n"));    // 13
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 13);
  EXPECT_EQ(p.error.column, 7);
  EXPECT_EQ(p.error.rule_id, "m1");
  EXPECT_EQ(p.error.message,
            "unknown key 'position' in a marking (expected one of: regex, keywords, placement, page_lines)");
}

TEST(LoaderErrorTest, UnknownPlacementName) {
  Parsed p = Parse(WithRules(
      "  - id: m1\n"
      "    tier: high\n"
      "    confidence: 0.5\n"
      "    marking:\n"
      "      keywords: [SECRET]\n"
      "      placement: {line: 1, middle: 0.5}\n"));  // 13
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 13);
  EXPECT_EQ(p.error.column, 28);
  EXPECT_EQ(p.error.rule_id, "m1");
  EXPECT_EQ(p.error.message,
            "unknown key 'middle' in placement (expected one of: line, header, footer, line_start, prose)");
}

TEST(LoaderErrorTest, UnknownKeyInContext) {
  Parsed p = Parse(WithRules(
      "  - id: c1\n"
      "    tier: high\n"
      "    confidence: 0.5\n"
      "    regex: 'x+'\n"
      "    context:\n"                 // 12
      "      words: [a]\n"             // 13
      "      boost: 0.1\n"             // 14
      "      distance: 5\n"));         // 15
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 15);
  EXPECT_EQ(p.error.column, 7);
  EXPECT_EQ(p.error.rule_id, "c1");
  EXPECT_EQ(p.error.message,
            "unknown key 'distance' in a context (expected one of: words, window, unit, boost, penalty, "
            "required)");
}

TEST(LoaderErrorTest, DuplicateKey) {
  Parsed p = Parse(WithRules(
      "  - id: r1\n"
      "    tier: high\n"
      "    confidence: 0.5\n"
      "    confidence: 0.6\n"   // 11
      "    keywords: [x]\n"));
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 11);
  EXPECT_EQ(p.error.column, 5);
  EXPECT_EQ(p.error.rule_id, "r1");
  EXPECT_EQ(p.error.message, "duplicate key 'confidence'");
}

// ---------------------------------------------------------------------------
// Wrong types

TEST(LoaderErrorTest, ConfidenceNotANumber) {
  Parsed p = Parse(WithRules(
      "  - id: r1\n"
      "    tier: high\n"
      "    confidence: \"high\"\n"   // 10
      "    keywords: [x]\n"));
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 10);
  EXPECT_EQ(p.error.column, 17);
  EXPECT_EQ(p.error.rule_id, "r1");
  EXPECT_EQ(p.error.message, "confidence must be a number");
  EXPECT_EQ(p.error.ToString(), "test.yaml:10:17: rule 'r1': confidence must be a number");
}

TEST(LoaderErrorTest, ConfidenceNaNAndOutOfRange) {
  Parsed nan = Parse(WithRules("  - {id: r1, tier: high, confidence: .nan, keywords: [x]}\n"));
  ASSERT_FALSE(nan.ok);
  EXPECT_EQ(nan.error.message, "confidence must be a number");
  Parsed big = Parse(WithRules("  - {id: r1, tier: high, confidence: 1.5, keywords: [x]}\n"));
  ASSERT_FALSE(big.ok);
  EXPECT_EQ(big.error.message, "confidence must be in [0, 1], not 1.5");
  EXPECT_EQ(big.error.line, 8);
  EXPECT_EQ(big.error.column, 38);
  Parsed neg = Parse(WithRules("  - {id: r1, tier: high, confidence: -0.1, keywords: [x]}\n"));
  ASSERT_FALSE(neg.ok);
  EXPECT_EQ(neg.error.message, "confidence must be in [0, 1], not -0.1");
}

TEST(LoaderErrorTest, KeywordsNotAList) {
  Parsed p = Parse(WithRules(
      "  - id: r1\n"
      "    tier: high\n"
      "    confidence: 0.5\n"
      "    keywords: 3\n"));   // 11
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 11);
  EXPECT_EQ(p.error.column, 15);
  EXPECT_EQ(p.error.rule_id, "r1");
  EXPECT_EQ(p.error.message, "keywords must be a list of strings");
}

TEST(LoaderErrorTest, KeywordsBadEntries) {
  Parsed nested = Parse(WithRules("  - {id: r1, tier: high, confidence: 0.5, keywords: [a, [b]]}\n"));
  ASSERT_FALSE(nested.ok);
  EXPECT_EQ(nested.error.message, "each of keywords must be a string");
  EXPECT_EQ(nested.error.column, 57);
  Parsed empty_string = Parse(WithRules("  - {id: r1, tier: high, confidence: 0.5, keywords: [a, '']}\n"));
  ASSERT_FALSE(empty_string.ok);
  EXPECT_EQ(empty_string.error.message, "keywords may not contain an empty string");
  Parsed empty_list = Parse(WithRules("  - {id: r1, tier: high, confidence: 0.5, keywords: []}\n"));
  ASSERT_FALSE(empty_list.ok);
  EXPECT_EQ(empty_list.error.message, "keywords may not be empty");
  Parsed map = Parse(WithRules("  - {id: r1, tier: high, confidence: 0.5, keywords: {a: 1}}\n"));
  ASSERT_FALSE(map.ok);
  EXPECT_EQ(map.error.message, "keywords must be a list of strings");
}

TEST(LoaderErrorTest, TiersNotAList) {
  Parsed p = Parse("version: 1\ntiers: {}\ndefault_tier: low\nrules: []\n");
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 2);
  EXPECT_EQ(p.error.column, 8);
  EXPECT_EQ(p.error.message, "'tiers' must be a list, highest first");
}

TEST(LoaderErrorTest, OtherWrongTypes) {
  struct Case {
    std::string rule;
    std::string message;
  } cases[] = {
      {"{id: r1, tier: high, confidence: 0.5, keywords: [x], case_sensitive: maybe}",
       "case_sensitive must be true or false"},
      {"{id: r1, tier: high, confidence: 0.5, keywords: [x], word_boundary: [true]}",
       "word_boundary must be true or false"},
      {"{id: r1, tier: high, confidence: 0.5, keywords: [x], min_count: 2.5}", "min_count must be a whole number"},
      {"{id: r1, tier: high, confidence: 0.5, keywords: [x], min_count: 0}", "min_count must be in [1, 1e+06], not 0"},
      {"{id: r1, tier: high, confidence: 0.5, keywords: [x], max_score: lots}", "max_score must be a number"},
      {"{id: r1, tier: high, confidence: 0.5, regex: [a, b]}", "regex must be a string"},
      {"{id: r1, tier: [high], confidence: 0.5, regex: a}", "tier must be a string"},
      {"{id: r1, tier: high, confidence: 0.5, regex: a, validator: {name: luhn}}", "validator must be a string"},
      {"{id: r1, tier: high, confidence: 0.5, regex: a, context: {words: [b], unit: lines, boost: 0.1}}",
       "unit must be 'chars' or 'tokens'"},
      {"{id: r1, tier: high, confidence: 0.5, regex: a, context: {words: [b], window: 0, boost: 0.1}}",
       "window (characters) must be in [1, 2000], not 0"},
      {"{id: r1, tier: high, confidence: 0.5, regex: a, context: {words: [b]}}",
       "a context needs a 'boost', a 'penalty' or 'required: true'"},
      {"{id: r1, tier: high, confidence: 0.5, regex: a, context: {boost: 0.1}}", "a context needs 'words'"},
      {"{id: r1, tier: high, confidence: 0.5, regex: a, context: {words: card, boost: 0.1}}",
       "context words must be a list of strings"},
      {"{id: r1, tier: high, confidence: 0.5, regex: a, context: [words]}", "a context must be a mapping"},
      {"{id: r1, tier: high, confidence: 0.5, marking: SECRET}", "a marking must be a mapping"},
      {"{id: r1, tier: high, confidence: 0.5, marking: {regex: a, keywords: [b]}}",
       "a marking needs exactly one of 'regex' or 'keywords'"},
      {"{id: r1, tier: high, confidence: 0.5, marking: {keywords: [b], page_lines: 0}}",
       "page_lines must be in [1, 100], not 0"},
      {"{id: r1, tier: high, confidence: 0.5, marking: {keywords: [b], placement: {line: 2}}}",
       "placement line must be in [0, 1], not 2"},
      {"{id: r1, tier: high, confidence: 0.5}", "a rule needs exactly one matcher: 'regex', 'keywords' or 'marking'"},
      {"{id: r1, tier: high, confidence: 0.5, regex: a, keywords: [b]}",
       "a rule needs exactly one matcher: 'regex', 'keywords' or 'marking'"},
      {"{id: r1, tier: high, regex: a}", "a rule needs a 'confidence'"},
      {"{id: r1, confidence: 0.5, regex: a}", "a rule needs a 'tier'"},
      {"{tier: high, confidence: 0.5, regex: a}", "a rule needs an 'id'"},
      {"{id: 'r 1', tier: high, confidence: 0.5, regex: a}", "rule id 'r 1' must be letters, digits, '_', '-' or '.'"},
      {"just a string", "a rule must be a mapping"},
  };
  for (const Case& c : cases) {
    Parsed p = Parse(WithRules("  - " + c.rule + "\n"));
    EXPECT_FALSE(p.ok) << c.rule;
    EXPECT_EQ(p.error.message, c.message) << c.rule;
    EXPECT_EQ(p.error.line, 8) << c.rule;
    EXPECT_GT(p.error.column, 0) << c.rule;
  }
}

// ---------------------------------------------------------------------------
// Regex, validators, tiers, ids

TEST(LoaderErrorTest, BadRegexReportsRe2MessageAtTheRegex) {
  std::string text = WithRules(
      "  - id: bad\n"
      "    tier: high\n"
      "    confidence: 0.5\n"
      "    regex: 'ab(c'\n");   // 11
  // The loader does not compile regexes; the compile step does.
  ASSERT_TRUE(Parse(text).ok);
  PolicyError e = CompileError(text);
  EXPECT_EQ(e.source, "test.yaml");
  EXPECT_EQ(e.line, 11);
  EXPECT_EQ(e.column, 12);
  EXPECT_EQ(e.rule_id, "bad");
  EXPECT_EQ(e.message, "bad regex: missing ): ab(c");
  EXPECT_EQ(e.ToString(), "test.yaml:11:12: rule 'bad': bad regex: missing ): ab(c");
}

TEST(LoaderErrorTest, BadRegexInMarking) {
  std::string text = WithRules(
      "  - id: bad\n"
      "    tier: high\n"
      "    confidence: 0.5\n"
      "    marking:\n"
      "      regex: '[z-a]'\n");   // 12
  PolicyError e = CompileError(text);
  EXPECT_EQ(e.line, 12);
  EXPECT_EQ(e.column, 14);
  EXPECT_EQ(e.rule_id, "bad");
  EXPECT_EQ(e.message, "bad regex: invalid character class range: z-a");
}

TEST(LoaderErrorTest, PatternMatchingEmptyStringRejected) {
  for (std::string_view regex : {"'a*'", "'(x)?'", "'^'", "'\\b'", "'|abc'"}) {
    std::string text = WithRules(
        "  - id: empty\n"
        "    tier: high\n"
        "    confidence: 0.5\n"
        "    regex: " + std::string(regex) + "\n");   // 11
    ASSERT_TRUE(Parse(text).ok) << regex;
    PolicyError e = CompileError(text);
    EXPECT_EQ(e.line, 11) << regex;
    EXPECT_EQ(e.column, 12) << regex;
    EXPECT_EQ(e.rule_id, "empty") << regex;
    EXPECT_EQ(e.message, "pattern matches the empty string, so it would match everywhere") << regex;
  }
  // A keyword of only spaces becomes an empty pattern and is caught the same way.
  PolicyError e = CompileError(WithRules("  - {id: sp, tier: high, confidence: 0.5, keywords: [abc, ' ']}\n"));
  EXPECT_EQ(e.rule_id, "sp");
  EXPECT_EQ(e.message, "pattern matches the empty string, so it would match everywhere");
}

TEST(LoaderErrorTest, UnknownValidatorListsKnownOnes) {
  Parsed p = Parse(WithRules(
      "  - id: card\n"
      "    tier: high\n"
      "    confidence: 0.5\n"
      "    regex: '\\d+'\n"
      "    validator: lunh\n"));  // 12
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 12);
  EXPECT_EQ(p.error.column, 16);
  EXPECT_EQ(p.error.rule_id, "card");
  std::string expected = "unknown validator 'lunh' (known: ";
  bool first = true;
  for (const auto& v : match::Validators()) {
    if (!first) expected += ", ";
    expected += v.name;
    first = false;
  }
  expected += ")";
  EXPECT_EQ(p.error.message, expected);
  for (std::string_view name : {"luhn", "credit_card", "jp_my_number", "iban", "ipv4"}) {
    EXPECT_TRUE(Contains(p.error.message, name));
  }
}

TEST(LoaderErrorTest, UnknownTier) {
  Parsed p = Parse(WithRules(
      "  - id: r1\n"
      "    tier: nope\n"        // 9
      "    confidence: 0.5\n"
      "    keywords: [x]\n"));
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 9);
  EXPECT_EQ(p.error.column, 11);
  EXPECT_EQ(p.error.rule_id, "r1");
  EXPECT_EQ(p.error.message, "unknown tier 'nope'");
}

TEST(LoaderErrorTest, RuleTargetingDefaultTier) {
  Parsed p = Parse(WithRules(
      "  - id: r1\n"
      "    tier: low\n"         // 9
      "    confidence: 0.5\n"
      "    keywords: [x]\n"));
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 9);
  EXPECT_EQ(p.error.column, 11);
  EXPECT_EQ(p.error.rule_id, "r1");
  EXPECT_EQ(p.error.message,
            "rules are evidence for a tier above the default tier 'low' (or counter-evidence, with 'counters')");
}

TEST(LoaderErrorTest, DuplicateRuleId) {
  Parsed p = Parse(WithRules(
      "  - {id: r1, tier: high, confidence: 0.5, keywords: [x]}\n"
      "  - {id: r2, tier: high, confidence: 0.5, keywords: [y]}\n"
      "  - {id: r1, tier: high, confidence: 0.5, keywords: [z]}\n"));  // 10
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 10);
  EXPECT_EQ(p.error.column, 10);
  EXPECT_EQ(p.error.rule_id, "r1");
  EXPECT_EQ(p.error.message, "duplicate rule id");
  EXPECT_EQ(p.error.ToString(), "test.yaml:10:10: rule 'r1': duplicate rule id");
}

TEST(LoaderErrorTest, DuplicateTierId) {
  Parsed p = Parse(
      "tiers:\n"
      "  - id: high\n"
      "  - id: mid\n"
      "  - id: high\n"   // 4
      "  - id: low\n"
      "default_tier: low\n"
      "rules: []\n");
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 4);
  EXPECT_EQ(p.error.column, 9);
  EXPECT_EQ(p.error.rule_id, "");
  EXPECT_EQ(p.error.message, "duplicate tier id 'high'");
}

TEST(LoaderErrorTest, TooFewTiers) {
  // The error points at the list: the flow "[]" on line 2, the block list's first "-" on line 3.
  for (auto [tiers, line] : {std::pair<std::string_view, int>{"tiers: []\n", 2}, {"tiers:\n  - id: low\n", 3}}) {
    Parsed p = Parse(std::string("version: 1\n") + std::string(tiers) + "default_tier: low\nrules: []\n");
    ASSERT_FALSE(p.ok) << tiers;
    EXPECT_EQ(p.error.line, line) << tiers;
    EXPECT_EQ(p.error.message, "'tiers' needs at least two tiers: one with evidence and the default") << tiers;
  }
  Parsed missing = Parse("version: 1\ndefault_tier: low\nrules: []\n");
  ASSERT_FALSE(missing.ok);
  EXPECT_EQ(missing.error.message, "the policy needs 'tiers' (a list, highest first)");
}

TEST(LoaderErrorTest, ThresholdOutOfRange) {
  for (std::string_view value : {"1.5", "-0.25", "2"}) {
    Parsed p = Parse(
        "tiers:\n"
        "  - id: high\n"
        "    threshold: " + std::string(value) + "\n"   // 3
        "  - id: low\n"
        "default_tier: low\n"
        "rules: []\n");
    ASSERT_FALSE(p.ok) << value;
    EXPECT_EQ(p.error.line, 3);
    EXPECT_EQ(p.error.column, 16);
    EXPECT_EQ(p.error.message, "threshold must be in [0, 1], not " + std::string(value));
  }
  // The ends of the range are allowed.
  Parsed ok = Parse(
      "tiers:\n  - {id: a, threshold: 0}\n  - {id: b, threshold: 1}\n  - {id: low}\ndefault_tier: low\nrules: []\n");
  EXPECT_TRUE(ok.ok) << ok.error.ToString();
}

TEST(LoaderErrorTest, DefaultTierMustBeLastAndKnown) {
  Parsed p = Parse(
      "tiers:\n"
      "  - id: high\n"
      "  - id: low\n"
      "  - id: mid\n"
      "default_tier: low\n"   // 5
      "rules: []\n");
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 5);
  EXPECT_EQ(p.error.column, 15);
  EXPECT_EQ(p.error.message, "tiers are listed highest first, so the default tier 'low' must be the last one");

  Parsed unknown = Parse("tiers:\n  - id: high\n  - id: low\ndefault_tier: lowest\nrules: []\n");
  ASSERT_FALSE(unknown.ok);
  EXPECT_EQ(unknown.error.line, 4);
  EXPECT_EQ(unknown.error.message, "default_tier 'lowest' is not one of the tiers");

  Parsed missing = Parse("tiers:\n  - id: high\n  - id: low\nrules: []\n");
  ASSERT_FALSE(missing.ok);
  EXPECT_EQ(missing.error.message, "the policy needs a 'default_tier'");
}

TEST(LoaderErrorTest, TierIdRules) {
  Parsed bad = Parse("tiers:\n  - id: 'a b'\n  - id: low\ndefault_tier: low\nrules: []\n");
  ASSERT_FALSE(bad.ok);
  EXPECT_EQ(bad.error.message, "tier id 'a b' must be letters, digits, '_', '-' or '.'");
  EXPECT_EQ(bad.error.line, 2);
  EXPECT_EQ(bad.error.column, 9);
  Parsed none = Parse("tiers:\n  - label: A\n  - id: low\ndefault_tier: low\nrules: []\n");
  ASSERT_FALSE(none.ok);
  EXPECT_EQ(none.error.message, "a tier needs an 'id'");
  EXPECT_EQ(none.error.line, 2);
  EXPECT_EQ(none.error.column, 5);
}

TEST(LoaderErrorTest, MissingOrMistypedRules) {
  Parsed missing = Parse("tiers: [{id: a}, {id: b}]\ndefault_tier: b\n");
  ASSERT_FALSE(missing.ok);
  EXPECT_EQ(missing.error.message, "the policy needs 'rules'");
  Parsed map = Parse("tiers: [{id: a}, {id: b}]\ndefault_tier: b\nrules: {}\n");
  ASSERT_FALSE(map.ok);
  EXPECT_EQ(map.error.message, "'rules' must be a list");
  EXPECT_EQ(map.error.line, 3);
  EXPECT_EQ(map.error.column, 8);
  // No rules at all is a valid (if useless) policy.
  EXPECT_TRUE(Parse("tiers: [{id: a}, {id: b}]\ndefault_tier: b\nrules: []\n").ok);
}

// ---------------------------------------------------------------------------
// Text-level problems

TEST(LoaderErrorTest, YamlSyntaxErrorHasPosition) {
  Parsed p = Parse(
      "version: 1\n"
      "tiers: [{id: a}, {id: b}\n"   // unclosed flow sequence
      "default_tier: b\n");
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 3);
  EXPECT_EQ(p.error.column, 1);
  EXPECT_EQ(p.error.message, "end of sequence flow not found");
  EXPECT_EQ(p.error.rule_id, "");

  Parsed tab = Parse("version: 1\nname: x\n  bad indentation: here\n");
  ASSERT_FALSE(tab.ok);
  EXPECT_EQ(tab.error.line, 3);
  EXPECT_EQ(tab.error.column, 18);
  EXPECT_EQ(tab.error.message, "illegal map value");
}

TEST(LoaderErrorTest, YamlErrorsCarryYamlCppPositionAndMessage) {
  struct Case {
    std::string_view text;
    int line, column;
    std::string_view message;
  } cases[] = {
      {"version: 1\nname: a: b\n", 2, 8, "illegal map value"},
      {"version: 1\nrules: *nope\n", 2, 8, "the referenced anchor is not defined"},
      {"version: 1\ntiers: [1, 2]]\n", 2, 14, "illegal flow end"},
      {"version: 1\ntiers: {a: 1\n", 3, 1, "end of map flow not found"},
  };
  for (const Case& c : cases) {
    Parsed p = Parse(c.text);
    ASSERT_FALSE(p.ok) << c.text;
    EXPECT_EQ(p.error.line, c.line) << c.text;
    EXPECT_EQ(p.error.column, c.column) << c.text;
    EXPECT_EQ(p.error.message, c.message) << c.text;
    EXPECT_EQ(p.error.rule_id, "");
  }
  Parsed p = Parse("version: 1\nname: a: b\n");
  EXPECT_EQ(p.error.ToString(), "test.yaml:2:8: illegal map value");
}

TEST(LoaderErrorTest, NonUtf8TextReportsBadByte) {
  Parsed p = Parse("version: 1\nname: caf\xE9 au lait\n");
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 2);
  EXPECT_EQ(p.error.column, 10);
  EXPECT_EQ(p.error.message, "the policy is not valid UTF-8 here");
  // Columns count characters, not bytes.
  Parsed ja = Parse("version: 1\nname: 秘密\xFF\n");
  ASSERT_FALSE(ja.ok);
  EXPECT_EQ(ja.error.line, 2);
  EXPECT_EQ(ja.error.column, 9);
  // A truncated multi-byte sequence at the very end.
  Parsed cut = Parse("name: 秘\xE5\xAF");
  ASSERT_FALSE(cut.ok);
  EXPECT_EQ(cut.error.line, 1);
  EXPECT_EQ(cut.error.column, 8);
}

TEST(LoaderErrorTest, NulByteRejected) {
  std::string text = "version: 1\nname: a";
  text += '\0';
  text += "b\n";
  Parsed p = Parse(text);
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 2);
  EXPECT_EQ(p.error.column, 8);
  EXPECT_EQ(p.error.message, "the policy contains a NUL byte");
}

TEST(LoaderErrorTest, EmptyText) {
  for (std::string_view text : {"", "\n\n", "# only a comment\n", "~\n"}) {
    Parsed p = Parse(text);
    ASSERT_FALSE(p.ok) << text;
    EXPECT_EQ(p.error.line, 1);
    EXPECT_EQ(p.error.column, 1);
    EXPECT_EQ(p.error.message, "the policy is empty");
    EXPECT_EQ(p.error.ToString(), "test.yaml:1:1: the policy is empty");
  }
  Parsed scalar = Parse("just text\n");
  ASSERT_FALSE(scalar.ok);
  EXPECT_EQ(scalar.error.message, "the policy must be a mapping");
  Parsed list = Parse("- a\n- b\n");
  ASSERT_FALSE(list.ok);
  EXPECT_EQ(list.error.message, "the policy must be a mapping");
}

TEST(LoaderErrorTest, VersionTwoRejected) {
  Parsed p = Parse("version: 2\ntiers: [{id: a}, {id: b}]\ndefault_tier: b\nrules: []\n");
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.line, 1);
  EXPECT_EQ(p.error.column, 10);
  EXPECT_EQ(p.error.message, "policy version 2 is not supported (this kimitsu reads version 1)");
  Parsed text = Parse("version: one\n");
  ASSERT_FALSE(text.ok);
  EXPECT_EQ(text.error.message, "version must be a number");
  Parsed zero = Parse("version: 0\n");
  ASSERT_FALSE(zero.ok);
  EXPECT_EQ(zero.error.message, "version must be in [1, 1000], not 0");
  // The version may be omitted.
  EXPECT_TRUE(Parse("tiers: [{id: a}, {id: b}]\ndefault_tier: b\nrules: []\n").ok);
}

// ---------------------------------------------------------------------------
// Limits

TEST(LoaderLimitsTest, MaxRules) {
  PolicyLimits limits;
  limits.max_rules = 2;
  std::string rules =
      "  - {id: r1, tier: high, confidence: 0.5, keywords: [a]}\n"
      "  - {id: r2, tier: high, confidence: 0.5, keywords: [b]}\n";
  EXPECT_TRUE(Parse(WithRules(rules), limits).ok);
  Parsed p = Parse(WithRules(rules + "  - {id: r3, tier: high, confidence: 0.5, keywords: [c]}\n"), limits);
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "3 rules exceed the limit of 2");
  EXPECT_EQ(p.error.line, 8);
  EXPECT_EQ(p.error.column, 3);
  EXPECT_EQ(p.error.rule_id, "");
}

TEST(LoaderLimitsTest, MaxKeywordsPerRule) {
  PolicyLimits limits;
  limits.max_keywords_per_rule = 3;
  EXPECT_TRUE(Parse(WithRules("  - {id: r1, tier: high, confidence: 0.5, keywords: [a, b, c]}\n"), limits).ok);
  Parsed p = Parse(WithRules("  - {id: r1, tier: high, confidence: 0.5, keywords: [a, b, c, d]}\n"), limits);
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "keywords: 4 entries exceed the limit of 3");
  EXPECT_EQ(p.error.rule_id, "r1");
  EXPECT_EQ(p.error.line, 8);
  EXPECT_EQ(p.error.column, 53);
  // Marking keywords count too.
  Parsed m = Parse(WithRules("  - {id: m1, tier: high, confidence: 0.5, marking: {keywords: [a, b, c, d]}}\n"), limits);
  ASSERT_FALSE(m.ok);
  EXPECT_EQ(m.error.message, "keywords: 4 entries exceed the limit of 3");
}

TEST(LoaderLimitsTest, MaxKeywordsTotal) {
  PolicyLimits limits;
  limits.max_keywords_total = 5;
  std::string rules =
      "  - {id: r1, tier: high, confidence: 0.5, keywords: [a, b, c]}\n"
      "  - {id: r2, tier: high, confidence: 0.5, keywords: [d, e]}\n";
  EXPECT_TRUE(Parse(WithRules(rules), limits).ok);
  Parsed p = Parse(WithRules(rules + "  - {id: r3, tier: high, confidence: 0.5, keywords: [f]}\n"), limits);
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "the policy's keywords exceed the limit of 5");
  EXPECT_EQ(p.error.rule_id, "r3");
  EXPECT_EQ(p.error.line, 10);
  EXPECT_EQ(p.error.column, 5);
}

TEST(LoaderLimitsTest, MaxPatternBytesForRegex) {
  match::CompileOptions options;
  options.limits.max_pattern_bytes = 10;
  std::string ok = WithRules("  - {id: r1, tier: high, confidence: 0.5, regex: '0123456789'}\n");
  EXPECT_TRUE(Parse(ok, options.limits).ok);
  EXPECT_EQ(CompileError(ok, options).message, "");
  std::string text = WithRules("  - {id: r1, tier: high, confidence: 0.5, regex: '0123456789A'}\n");
  Parsed p = Parse(text, options.limits);
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "regex of 11 bytes exceeds the limit of 10");
  EXPECT_EQ(p.error.rule_id, "r1");
  EXPECT_EQ(p.error.line, 8);
  EXPECT_EQ(p.error.column, 50);
  EXPECT_EQ(CompileError(text, options).message, "regex of 11 bytes exceeds the limit of 10");
}

TEST(LoaderLimitsTest, MaxPatternBytesForJoinedKeywords) {
  match::CompileOptions options;
  options.limits.max_pattern_bytes = 10;
  // "abcde|fghij" is 11 bytes once joined: the compile step refuses it.
  std::string text = WithRules("  - {id: kw, tier: high, confidence: 0.5, keywords: [abcde, fghij]}\n");
  ASSERT_TRUE(Parse(text, options.limits).ok);
  PolicyError e = CompileError(text, options);
  EXPECT_EQ(e.message, "pattern of 11 bytes exceeds the limit of 10");
  EXPECT_EQ(e.rule_id, "kw");
  EXPECT_EQ(e.line, 8);
  EXPECT_EQ(e.column, 53);
  EXPECT_EQ(CompileError(WithRules("  - {id: kw, tier: high, confidence: 0.5, keywords: [abcd, fghij]}\n"), options)
                .message,
            "");
}

TEST(LoaderLimitsTest, MaxContextWordsAndPolicyBytes) {
  PolicyLimits limits;
  limits.max_context_words = 2;
  Parsed p = Parse(
      WithRules("  - {id: r1, tier: high, confidence: 0.5, regex: x, context: {words: [a, b, c], boost: 0.1}}\n"),
      limits);
  ASSERT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "context words: 3 entries exceed the limit of 2");
  EXPECT_EQ(p.error.rule_id, "r1");

  PolicyLimits small;
  small.max_policy_bytes = 16;
  Parsed big = Parse(kValid, small);
  ASSERT_FALSE(big.ok);
  EXPECT_EQ(big.error.message, "the policy is " + std::to_string(kValid.size()) + " bytes; the limit is 16");
  EXPECT_EQ(big.error.line, 0);
  EXPECT_EQ(big.error.ToString(), big.error.source + ": " + big.error.message);
}

TEST(LoaderLimitsTest, RegexMemoryBudgets) {
  std::string text = WithRules(
      "  - {id: small, tier: high, confidence: 0.5, regex: 'abc'}\n"
      "  - {id: big, tier: high, confidence: 0.5, regex: '[a-z]{1,300}x[0-9]{1,300}'}\n");  // 9
  EXPECT_EQ(CompileError(text).message, "");
  match::CompileOptions tight;
  tight.rule_max_mem = 64 << 10;
  PolicyError e = CompileError(text, tight);
  EXPECT_EQ(e.message, "pattern too large for the memory budget (rule_max_mem, 65536 bytes)");
  EXPECT_EQ(e.rule_id, "big");
  EXPECT_EQ(e.line, 9);
  EXPECT_EQ(e.column, 51);

  // (The prefilter relaxes long counts such as {1,300}: a long sequence is
  // large in it too.)
  std::string long_sequence;
  for (int i = 0; i < 600; ++i) long_sequence += "[a-z][0-9]";
  match::CompileOptions tiny_set;
  tiny_set.set_max_mem = 16 << 10;
  PolicyError s = CompileError(
      WithRules("  - {id: small, tier: high, confidence: 0.5, regex: 'abc'}\n"
                "  - {id: big, tier: high, confidence: 0.5, regex: '" + long_sequence + "'}\n"),
      tiny_set);
  const std::string set_message =
      "the rules together are too large for the prefilter's memory budget (prefilter_max_mem, 16384 bytes)";
  EXPECT_EQ(s.message, set_message);
  EXPECT_EQ(s.rule_id, "");
  EXPECT_EQ(s.line, 0);
  EXPECT_EQ(s.ToString(), "test.yaml: " + set_message);
}

TEST(LoaderLimitsTest, CompiledSizeLimitNamesTheRuleThatCrossesIt) {
  std::string text = WithRules(
      "  - {id: small, tier: high, confidence: 0.5, regex: 'abc'}\n"
      "  - {id: big, tier: high, confidence: 0.5, regex: '[a-z]{1,300}x[0-9]{1,300}'}\n"  // 9
      "  - {id: after, tier: high, confidence: 0.5, regex: 'def'}\n");
  EXPECT_EQ(CompileError(text).message, "");
  match::CompileOptions tight;
  tight.limits.max_compiled_bytes = 4096;
  PolicyError e = CompileError(text, tight);
  EXPECT_EQ(e.rule_id, "big");
  EXPECT_EQ(e.line, 9);
  EXPECT_NE(e.message.find("past the limit of 4096 (max_compiled_bytes)"), std::string::npos) << e.message;
}

// ---------------------------------------------------------------------------
// Robustness: ParsePolicy returns true or false (with a message) on anything.

void ExpectParsesOrExplains(const std::string& text) {
  Policy p;
  PolicyError e;
  bool ok = ParsePolicy(text, "fuzz", {}, &p, &e);
  if (!ok) {
    EXPECT_FALSE(e.message.empty()) << text;
    EXPECT_GE(e.line, 0);
    EXPECT_GE(e.column, 0);
    EXPECT_EQ(e.source, "fuzz");
  } else {
    EXPECT_GE(p.tiers.size(), 2u);
    EXPECT_EQ(p.tiers.back().id, p.default_tier);
  }
  // Compiling whatever parsed must not crash either.
  PolicyError ce;
  auto compiled = match::CompiledPolicy::FromText(text, "fuzz", {}, &ce);
  if (!compiled) {
    EXPECT_FALSE(ce.message.empty()) << text;
  }
}

TEST(LoaderFuzzTest, TruncationsNeverCrash) {
  std::string base = WithRules(
      "  - id: r1\n"
      "    tier: high\n"
      "    confidence: 0.5\n"
      "    regex: '(\\d{4})-\\d{4}'\n"
      "    validator: luhn\n"
      "    context: [{words: [card, \"date of birth\"], window: 3, unit: tokens, boost: 0.25}]\n"
      "  - id: \"m-1\"\n"
      "    tier: high\n"
      "    confidence: 0.9\n"
      "    marking: {keywords: [秘, 極秘], placement: {line: 1, prose: 0.1}, page_lines: 2}\n"
      "    max_score: 0.95\n");
  ASSERT_TRUE(Parse(base).ok);
  size_t ok_count = 0;
  for (size_t n = 0; n <= base.size(); ++n) {
    std::string cut = base.substr(0, n);
    ExpectParsesOrExplains(cut);
    Policy p;
    if (ParsePolicy(cut, "", {}, &p, nullptr)) ++ok_count;
  }
  EXPECT_GE(ok_count, 1u);  // at least the whole text
}

TEST(LoaderFuzzTest, RandomMutationsNeverCrash) {
  const std::string base = WithRules(
      "  - {id: r1, tier: high, confidence: 0.5, regex: 'a+b', min_count: 2, max_score: 0.8}\n"
      "  - id: r2\n"
      "    tier: high\n"
      "    confidence: 0.4\n"
      "    keywords: [\"x y\", 秘密]\n"
      "    context: {words: [z], window: 10, penalty: 0.1}\n"
      "    word_boundary: true\n");
  ASSERT_TRUE(Parse(base).ok);
  std::mt19937 rng(20240601);
  const std::string alphabet = "abc:-[]{}#&*!|>'\"%@`,?\n \t0123456789.~\\秘";
  size_t parsed = 0, rejected = 0;
  for (int i = 0; i < 400; ++i) {
    std::string s = base;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits && !s.empty(); ++k) {
      size_t at = rng() % s.size();
      switch (rng() % 6) {
        case 0: s.erase(at, 1 + rng() % 8); break;                                    // delete
        case 1: s.insert(at, 1, alphabet[rng() % alphabet.size()]); break;            // insert a byte
        case 2: s[at] = alphabet[rng() % alphabet.size()]; break;                     // replace a byte
        case 3: s[at] = static_cast<char>(rng() % 256); break;                        // any byte at all
        case 4: s.insert(at, s.substr(rng() % s.size(), 1 + rng() % 40)); break;      // duplicate a run
        case 5: s.resize(at); break;                                                  // truncate
      }
    }
    Policy p;
    PolicyError e;
    if (ParsePolicy(s, "fuzz", {}, &p, &e)) {
      ++parsed;
    } else {
      ++rejected;
      EXPECT_FALSE(e.message.empty()) << s;
    }
    ExpectParsesOrExplains(s);
  }
  EXPECT_EQ(parsed + rejected, 400u);
  EXPECT_GT(rejected, 0u);
}

TEST(LoaderFuzzTest, HostileShapes) {
  // Deep nesting, aliases, merge keys, huge numbers, odd tags.
  std::string deep(50000, '[');
  ExpectParsesOrExplains(deep);
  ExpectParsesOrExplains(std::string(50000, '{'));
  ExpectParsesOrExplains("a: &x [1, 2]\nb: *x\nc: *x\n");
  ExpectParsesOrExplains("rules: *undefined\n");
  ExpectParsesOrExplains("<<: {version: 1}\n");
  ExpectParsesOrExplains(WithRules("  - {id: r1, tier: high, confidence: 1e999, regex: a}\n"));
  ExpectParsesOrExplains(WithRules("  - {id: r1, tier: high, confidence: !!binary aGVsbG8=, regex: a}\n"));
  ExpectParsesOrExplains(WithRules("  - {id: r1, tier: high, confidence: 0.5, min_count: 1e300, regex: a}\n"));
  ExpectParsesOrExplains(WithRules("  - {? [complex, key] : 1}\n"));
  ExpectParsesOrExplains("%YAML 1.2\n---\nversion: 1\n...\n---\nversion: 2\n");
  ExpectParsesOrExplains("\xEF\xBB\xBFversion: 1\n");
}


TEST(LoaderErrorTest, CountersMustNameATierAboveTheDefault) {
  Parsed ok = Parse(WithRules("  - {id: c, tier: low, confidence: 0.5, counters: [high], keywords: [x]}\n"));
  ASSERT_TRUE(ok.ok) << ok.error.ToString();
  EXPECT_EQ(ok.policy.rules[0].counters, std::vector<std::string>{"high"});
  for (std::string_view bad : {"[low]", "[nope]"}) {
    Parsed p = Parse(WithRules("  - id: c\n    tier: low\n    confidence: 0.5\n    counters: " + std::string(bad) +
                               "\n    keywords: [x]\n"));
    ASSERT_FALSE(p.ok) << bad;
    EXPECT_EQ(p.error.line, 11) << bad;
    EXPECT_EQ(p.error.rule_id, "c");
    EXPECT_NE(p.error.message.find("counters:"), std::string::npos) << p.error.message;
  }
  Parsed not_a_list = Parse(WithRules("  - {id: c, tier: low, confidence: 0.5, counters: high, keywords: [x]}\n"));
  EXPECT_FALSE(not_a_list.ok);
}

}  // namespace
}  // namespace kimitsu::policy
