// Scanner: rules run over documents — matchers, word boundaries, validators,
// context, placement, counts and caps, flags, offsets into the original
// bytes, chunking — and the default policy on a few short documents.
#include "match/scanner.h"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "match/compiled_policy.h"
#include "default_policy_fixture.h"
#include "policy/default_policy.h"
#include "policy/loader.h"

namespace kimitsu::match {
namespace {

using policy::Placement;

// Three tiers: rules below are evidence for `high` (0.6) or `mid` (0.5).
constexpr std::string_view kTiers =
    "version: 1\n"
    "tiers:\n"
    "  - {id: high, threshold: 0.6}\n"
    "  - {id: mid, threshold: 0.5}\n"
    "  - {id: low}\n"
    "default_tier: low\n"
    "rules:\n";
constexpr size_t kHigh = 0, kMid = 1, kLow = 2;

std::unique_ptr<CompiledPolicy> Compile(std::string_view rules) {
  policy::PolicyError error;
  auto p = CompiledPolicy::FromText(std::string(kTiers) + std::string(rules), "<test>", {}, &error);
  EXPECT_NE(p, nullptr) << error.ToString();
  return p;
}

using Span = std::pair<size_t, size_t>;

std::vector<Span> Spans(const ScanResult& r) {
  std::vector<Span> out;
  for (const Finding& f : r.findings) out.emplace_back(f.start, f.end);
  return out;
}

// The input bytes of each finding.
std::vector<std::string> Texts(const ScanResult& r, std::string_view input) {
  std::vector<std::string> out;
  for (const Finding& f : r.findings) out.emplace_back(input.substr(f.start, f.end - f.start));
  return out;
}

class ScannerTest : public ::testing::Test {
 protected:
  ScanResult Scan(const CompiledPolicy& policy, std::string_view input, const ScanOptions& options = {}) {
    ScanResult r;
    absl::Status s = scanner_.Scan(policy, input, options, &r);
    EXPECT_TRUE(s.ok()) << s;
    return r;
  }
  // Number of findings of `rules` (a YAML rule list) in `input`.
  size_t Count(std::string_view rules, std::string_view input) {
    auto p = Compile(rules);
    return p ? Scan(*p, input).findings.size() : 0;
  }

  Scanner scanner_;
};

// ---------------------------------------------------------------------------
// Regex and keyword matchers

TEST_F(ScannerTest, RegexWithoutGroupReportsWholeMatch) {
  auto p = Compile("  - {id: id, tier: high, confidence: 0.7, regex: 'ID-[0-9]{4}'}\n");
  ASSERT_NE(p, nullptr);
  std::string_view input = "see ID-1234 and ID-99 now";
  ScanResult r = Scan(*p, input);
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.start, 4u);
  EXPECT_EQ(f.end, 11u);
  EXPECT_EQ(f.text_start, 4u);
  EXPECT_EQ(f.text_end, 11u);
  EXPECT_EQ(f.rule, 0u);
  EXPECT_EQ(f.tier, kHigh);
  EXPECT_DOUBLE_EQ(f.confidence, 0.7);
  EXPECT_DOUBLE_EQ(f.base, 0.7);
  EXPECT_EQ(f.placement, Placement::kProse);
  EXPECT_EQ(f.context_delta, 0.0);
  EXPECT_EQ(r.total_findings, 1u);
  EXPECT_EQ(r.tier, kHigh);
  EXPECT_DOUBLE_EQ(r.score, 0.7);
  EXPECT_EQ(r.tier_scores, (std::vector<double>{0.7, 0.0, 0.0}));
  EXPECT_EQ(r.rule_scores, (std::vector<double>{0.7}));
  EXPECT_EQ(r.flags, 0u);
  EXPECT_EQ(r.encoding, text::Encoding::kUtf8);
  EXPECT_EQ(r.input_bytes, input.size());
}

TEST_F(ScannerTest, RegexGroupOneIsTheReportedSpan) {
  auto p = Compile("  - {id: id, tier: high, confidence: 0.7, regex: 'ID-([0-9]{4})'}\n");
  ASSERT_NE(p, nullptr);
  std::string_view input = "see ID-1234 and ID-5678.";
  ScanResult r = Scan(*p, input);
  EXPECT_EQ(Spans(r), (std::vector<Span>{{7, 11}, {19, 23}}));
  EXPECT_EQ(Texts(r, input), (std::vector<std::string>{"1234", "5678"}));
}

TEST_F(ScannerTest, RegexGroupThatDidNotParticipateReportsWholeMatch) {
  auto p = Compile("  - {id: id, tier: high, confidence: 0.7, regex: 'ID-(?:([0-9]{4})|XX)'}\n");
  ASSERT_NE(p, nullptr);
  std::string_view input = "ID-XX ID-1234";
  ScanResult r = Scan(*p, input);
  EXPECT_EQ(Texts(r, input), (std::vector<std::string>{"ID-XX", "1234"}));
}

TEST_F(ScannerTest, RegexIsCaseInsensitiveUnlessAsked) {
  EXPECT_EQ(Count("  - {id: r, tier: high, confidence: 0.5, regex: 'secret'}\n", "SECRET Secret secret"), 3u);
  EXPECT_EQ(Count("  - {id: r, tier: high, confidence: 0.5, regex: 'secret', case_sensitive: true}\n",
                  "SECRET Secret secret"),
            1u);
}

TEST_F(ScannerTest, KeywordsLongestWins) {
  auto p = Compile("  - {id: k, tier: high, confidence: 0.5, keywords: [秘, 秘密]}\n");
  ASSERT_NE(p, nullptr);
  std::string_view input = "これは秘密です";
  ScanResult r = Scan(*p, input);
  EXPECT_EQ(Spans(r), (std::vector<Span>{{9, 15}}));
  std::string_view both = "秘と秘密";
  EXPECT_EQ(Texts(Scan(*p, both), both), (std::vector<std::string>{"秘", "秘密"}));
}

TEST_F(ScannerTest, FullWidthKeywordMatchesHalfWidthTextAndBack) {
  auto full = Compile("  - {id: k, tier: high, confidence: 0.5, keywords: [ＳＥＣＲＥＴ]}\n");
  ASSERT_NE(full, nullptr);
  EXPECT_EQ(Spans(Scan(*full, "the SECRET plan")), (std::vector<Span>{{4, 10}}));
  auto half = Compile("  - {id: k, tier: high, confidence: 0.5, keywords: [SECRET, ﾏｲﾅﾝﾊﾞｰ]}\n");
  ASSERT_NE(half, nullptr);
  std::string_view input = "the ＳＥＣＲＥＴ plan マイナンバー";
  ScanResult r = Scan(*half, input);
  EXPECT_EQ(Texts(r, input), (std::vector<std::string>{"ＳＥＣＲＥＴ", "マイナンバー"}));
  EXPECT_EQ(Spans(r)[0], (Span{4, 22}));
}

TEST_F(ScannerTest, KeywordCaseSensitivity) {
  std::string_view input = "SECRET secret Secret";
  EXPECT_EQ(Count("  - {id: k, tier: high, confidence: 0.5, keywords: [Secret]}\n", input), 3u);
  auto p = Compile("  - {id: k, tier: high, confidence: 0.5, keywords: [Secret], case_sensitive: true}\n");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(Spans(Scan(*p, input)), (std::vector<Span>{{14, 20}}));
}

TEST_F(ScannerTest, KeywordsAreLiteral) {
  // Regex metacharacters in keywords match themselves.
  auto p = Compile("  - {id: k, tier: high, confidence: 0.5, keywords: ['a.b', '(x)', 'SS#']}\n");
  ASSERT_NE(p, nullptr);
  std::string_view input = "axb a.b x (x) SS# SS";
  EXPECT_EQ(Texts(Scan(*p, input), input), (std::vector<std::string>{"a.b", "(x)", "SS#"}));
}

TEST_F(ScannerTest, MultiWordKeywordMatchesSeparatorVariants) {
  auto p = Compile("  - {id: dob, tier: high, confidence: 0.5, keywords: [date of birth]}\n");
  ASSERT_NE(p, nullptr);
  std::string_view input = "date_of_birth,Date of\nBirth,date-of-birth,DATE  OF \t BIRTH,dateofbirth,date of\n\nbirth";
  ScanResult r = Scan(*p, input);
  EXPECT_EQ(Texts(r, input), (std::vector<std::string>{"date_of_birth", "Date of\nBirth", "date-of-birth",
                                                       "DATE  OF \t BIRTH", "date of\n\nbirth"}));
}

// ---------------------------------------------------------------------------
// Word boundaries

TEST_F(ScannerTest, WordBoundaryJapanese) {
  const std::string rule = "  - {id: k, tier: high, confidence: 0.9, keywords: [秘], word_boundary: true}\n";
  auto p = Compile(rule);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(Spans(Scan(*p, "「秘」")), (std::vector<Span>{{3, 6}}));
  EXPECT_EQ(Spans(Scan(*p, "秘\n本文")), (std::vector<Span>{{0, 3}}));
  EXPECT_EQ(Spans(Scan(*p, "本文\n秘\n")), (std::vector<Span>{{7, 10}}));
  EXPECT_EQ(Spans(Scan(*p, "秘")), (std::vector<Span>{{0, 3}}));
  EXPECT_EQ(Scan(*p, "便秘に効くレシピです。").findings.size(), 0u);
  EXPECT_EQ(Scan(*p, "秘密保持契約を結ぶ。").findings.size(), 0u);
  EXPECT_EQ(Scan(*p, "便秘\n秘密保持契約\n").tier, kLow);
  // Without word_boundary the same keyword is found inside words.
  auto loose = Compile("  - {id: k, tier: high, confidence: 0.9, keywords: [秘]}\n");
  ASSERT_NE(loose, nullptr);
  EXPECT_EQ(Scan(*loose, "便秘に効くレシピです。").findings.size(), 1u);
  EXPECT_EQ(Scan(*loose, "秘密保持契約を結ぶ。").findings.size(), 1u);
}

TEST_F(ScannerTest, WordBoundaryAscii) {
  const std::string rule = "  - {id: k, tier: high, confidence: 0.9, keywords: [SECRET], word_boundary: true}\n";
  std::string_view input = "SECRETARY SECRET, SECRETS (SECRET) xSECRET";
  auto p = Compile(rule);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(Spans(Scan(*p, input)), (std::vector<Span>{{10, 16}, {27, 33}}));
}

// ---------------------------------------------------------------------------
// Validators

TEST_F(ScannerTest, ValidatorPrunesCandidates) {
  auto p = Compile("  - {id: cc, tier: high, confidence: 0.8, regex: '\\b\\d{16}\\b', validator: luhn}\n");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(Scan(*p, "4111111111111112").findings.size(), 0u);
  EXPECT_EQ(Scan(*p, "4111111111111112").tier, kLow);
  EXPECT_EQ(Spans(Scan(*p, "4111111111111112 and 4111111111111111")), (std::vector<Span>{{21, 37}}));
}

TEST_F(ScannerTest, FailedCandidateLetsAnOverlappingOneQualify) {
  // "9411111111111111" fails Luhn; one digit later "4111111111111111" passes.
  auto p = Compile("  - {id: cc, tier: high, confidence: 0.8, regex: '\\d{16}', validator: luhn}\n");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(Spans(Scan(*p, "94111111111111111")), (std::vector<Span>{{1, 17}}));
}

TEST_F(ScannerTest, ValidatorSeesGroupOne) {
  auto p = Compile("  - {id: cc, tier: high, confidence: 0.8, regex: 'card:\\s*(\\d{16})', validator: luhn}\n");
  ASSERT_NE(p, nullptr);
  std::string_view input = "card: 4111111111111111; card: 4111111111111112";
  EXPECT_EQ(Texts(Scan(*p, input), input), (std::vector<std::string>{"4111111111111111"}));
}

// ---------------------------------------------------------------------------
// Context

TEST_F(ScannerTest, ContextBoostInCharacters) {
  auto p = Compile(
      "  - id: x\n"
      "    tier: high\n"
      "    confidence: 0.4\n"
      "    regex: 'X[0-9]{3}'\n"
      "    context: {words: [カード], window: 5, boost: 0.3}\n");
  ASSERT_NE(p, nullptr);
  auto conf = [&](std::string_view input) {
    ScanResult r = Scan(*p, input);
    EXPECT_EQ(r.findings.size(), 1u) << input;
    return r.findings.empty() ? -1.0 : r.findings[0].confidence;
  };
  // The window counts characters (3 bytes each here), not bytes.
  EXPECT_DOUBLE_EQ(conf("カードああX123"), 0.7);    // the word starts 5 characters before
  EXPECT_DOUBLE_EQ(conf("カードあああX123"), 0.4);  // 6 characters before
  EXPECT_DOUBLE_EQ(conf("X123ああカード"), 0.7);    // ends 5 characters after
  EXPECT_DOUBLE_EQ(conf("X123あああカード"), 0.4);
  EXPECT_DOUBLE_EQ(conf("X123"), 0.4);
  ScanResult r = Scan(*p, "カードX123");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_DOUBLE_EQ(r.findings[0].base, 0.4);
  EXPECT_DOUBLE_EQ(r.findings[0].context_delta, 0.3);
  EXPECT_EQ(r.tier, kHigh);
  EXPECT_DOUBLE_EQ(r.score, 0.7);
}

TEST_F(ScannerTest, ContextWindowInTokens) {
  auto p = Compile(
      "  - id: x\n"
      "    tier: high\n"
      "    confidence: 0.4\n"
      "    regex: 'X[0-9]{3}'\n"
      "    context: {words: [card], window: 2, unit: tokens, boost: 0.3}\n");
  ASSERT_NE(p, nullptr);
  auto conf = [&](std::string_view input) {
    ScanResult r = Scan(*p, input);
    EXPECT_EQ(r.findings.size(), 1u) << input;
    return r.findings.empty() ? -1.0 : r.findings[0].confidence;
  };
  EXPECT_DOUBLE_EQ(conf("card, two: X123"), 0.7);      // 2 tokens back, punctuation aside
  EXPECT_DOUBLE_EQ(conf("card one two X123"), 0.4);    // 3 tokens back
  EXPECT_DOUBLE_EQ(conf("X123 -- one card"), 0.7);     // 2 tokens ahead
  EXPECT_DOUBLE_EQ(conf("X123 one two card"), 0.4);    // 3 tokens ahead
  EXPECT_DOUBLE_EQ(conf("card ......................................... X123"), 0.7);
}

TEST_F(ScannerTest, ContextPenaltyAndClamping) {
  auto p = Compile(
      "  - id: x\n"
      "    tier: high\n"
      "    confidence: 0.4\n"
      "    regex: 'X[0-9]{3}'\n"
      "    context:\n"
      "      - {words: [sample, example], window: 20, penalty: 0.3}\n"
      "      - {words: [real], window: 20, boost: 0.8}\n");
  ASSERT_NE(p, nullptr);
  ScanResult pen = Scan(*p, "sample X123");
  ASSERT_EQ(pen.findings.size(), 1u);
  EXPECT_NEAR(pen.findings[0].confidence, 0.1, 1e-12);
  EXPECT_NEAR(pen.findings[0].context_delta, -0.3, 1e-12);
  EXPECT_EQ(pen.tier, kLow);
  // Both contexts near: 0.4 - 0.3 + 0.8 = 0.9.
  ScanResult both = Scan(*p, "real example X123");
  ASSERT_EQ(both.findings.size(), 1u);
  EXPECT_NEAR(both.findings[0].confidence, 0.9, 1e-12);
  // Boost beyond 1 is clamped.
  ScanResult clamp = Scan(*p, "real X123");
  ASSERT_EQ(clamp.findings.size(), 1u);
  EXPECT_DOUBLE_EQ(clamp.findings[0].confidence, 1.0);
  // A penalty that takes the confidence to 0 drops the finding.
  auto zero = Compile(
      "  - {id: x, tier: high, confidence: 0.3, regex: 'X[0-9]{3}', context: {words: [sample], penalty: 0.5}}\n");
  ASSERT_NE(zero, nullptr);
  ScanResult z = Scan(*zero, "sample X123");
  EXPECT_EQ(z.findings.size(), 0u);
  EXPECT_EQ(z.total_findings, 0u);
  EXPECT_EQ(z.rule_scores[0], 0.0);
}

TEST_F(ScannerTest, ContextRequired) {
  auto p = Compile(
      "  - {id: x, tier: high, confidence: 0.8, regex: 'X[0-9]{3}', context: {words: [passport], window: 30, required: true}}\n");
  ASSERT_NE(p, nullptr);
  ScanResult without = Scan(*p, "ticket X123 issued");
  EXPECT_EQ(without.findings.size(), 0u);
  EXPECT_EQ(without.rule_scores[0], 0.0);
  EXPECT_EQ(without.tier, kLow);
  ScanResult with = Scan(*p, "Passport no. X123 issued");
  ASSERT_EQ(with.findings.size(), 1u);
  EXPECT_DOUBLE_EQ(with.findings[0].confidence, 0.8);
  EXPECT_EQ(with.findings[0].context_delta, 0.0);
  EXPECT_EQ(with.tier, kHigh);
  // Only the candidates near the word survive.
  std::string far(40, '.');
  EXPECT_EQ(Spans(Scan(*p, "X111 " + far + " passport X222 " + far + " X333")).size(), 1u);
}

TEST_F(ScannerTest, CsvColumnHeaderIsContextForValuesFarBelow) {
  auto p = Compile(
      "  - {id: cc, tier: high, confidence: 0.8, regex: '\\b\\d{16}\\b', validator: luhn,\n"
      "     context: {words: [card], window: 10, required: true}}\n");
  ASSERT_NE(p, nullptr);
  std::string csv = "# exported\nname,card_number,note\n";
  for (int i = 0; i < 300; ++i) csv += "person" + std::to_string(i) + ",n/a,ok\n";
  size_t value = csv.size() + 6;
  csv += "Alice,4111111111111111,ok\n";
  size_t other = csv.size() + 8;
  csv += "Bob,n/a,4111111111111111\n";  // under "note": no context
  ASSERT_GT(value, 5000u);
  ScanResult r = Scan(*p, csv);
  EXPECT_EQ(Spans(r), (std::vector<Span>{{value, value + 16}}));
  EXPECT_NE(other, value);

  // The same with tabs.
  std::string tsv = "name\tcard number\tnote\n";
  for (int i = 0; i < 300; ++i) tsv += "person\tn/a\tok\n";
  size_t tvalue = tsv.size() + 6;
  tsv += "Alice\t4111111111111111\tok\n";
  EXPECT_EQ(Spans(Scan(*p, tsv)), (std::vector<Span>{{tvalue, tvalue + 16}}));

  // Not a table: no header, no context.
  std::string prose = "name card number note\n" + std::string(300, '\n') + "Alice 4111111111111111 ok\n";
  EXPECT_EQ(Scan(*p, prose).findings.size(), 0u);
}

TEST_F(ScannerTest, ColumnHeaderIsForgottenBetweenScans) {
  auto p = Compile(
      "  - {id: cc, tier: high, confidence: 0.8, regex: '\\b\\d{16}\\b', validator: luhn,\n"
      "     context: {words: [card], window: 10, required: true}}\n");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(Scan(*p, "name,card,x\nA,4111111111111111,y\n").findings.size(), 1u);
  EXPECT_EQ(Scan(*p, "name,phone,x\nA,4111111111111111,y\n").findings.size(), 0u);
}

// ---------------------------------------------------------------------------
// Markings

TEST_F(ScannerTest, MarkingPlacementScalesConfidence) {
  auto p = Compile(
      "  - id: m\n"
      "    tier: high\n"
      "    confidence: 0.9\n"
      "    case_sensitive: true\n"
      "    marking:\n"
      "      keywords: [SECRET]\n"
      "      placement: {line: 1.0, header: 0.9, footer: 0.9, line_start: 0.5, prose: 0.1}\n");
  ASSERT_NE(p, nullptr);
  std::string body;
  for (int i = 0; i < 10; ++i) body += "body line\n";
  ScanResult alone = Scan(*p, body + "-- SECRET --\n" + body);
  ASSERT_EQ(alone.findings.size(), 1u);
  EXPECT_EQ(alone.findings[0].placement, Placement::kLine);
  EXPECT_DOUBLE_EQ(alone.findings[0].base, 0.9);
  EXPECT_EQ(alone.tier, kHigh);

  ScanResult start = Scan(*p, body + "SECRET Plans\n" + body);
  ASSERT_EQ(start.findings.size(), 1u);
  EXPECT_EQ(start.findings[0].placement, Placement::kLineStart);
  EXPECT_DOUBLE_EQ(start.findings[0].confidence, 0.45);
  EXPECT_EQ(start.tier, kLow);

  ScanResult head = Scan(*p, "SECRET Plans\n" + body);
  ASSERT_EQ(head.findings.size(), 1u);
  EXPECT_EQ(head.findings[0].placement, Placement::kHeader);
  EXPECT_DOUBLE_EQ(head.findings[0].confidence, 0.9 * 0.9);

  ScanResult prose = Scan(*p, body + "the SECRET plans\n" + body);
  ASSERT_EQ(prose.findings.size(), 1u);
  EXPECT_EQ(prose.findings[0].placement, Placement::kProse);
  EXPECT_NEAR(prose.findings[0].confidence, 0.09, 1e-12);
}

TEST_F(ScannerTest, MarkingWithZeroProseFactorDropsProse) {
  auto p = Compile(
      "  - {id: m, tier: high, confidence: 0.9, marking: {keywords: [秘], placement: {line: 1.0}}}\n");
  ASSERT_NE(p, nullptr);
  ScanResult r = Scan(*p, "便秘に効く\n秘\n");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].start, 16u);
  EXPECT_EQ(r.total_findings, 1u);
}

// ---------------------------------------------------------------------------
// Counts and caps

TEST_F(ScannerTest, MinCount) {
  auto p = Compile("  - {id: k, tier: high, confidence: 0.4, keywords: [ACCT], min_count: 3, max_score: 0.9}\n");
  ASSERT_NE(p, nullptr);
  ScanResult two = Scan(*p, "ACCT ACCT");
  EXPECT_EQ(two.findings.size(), 0u);
  EXPECT_EQ(two.total_findings, 0u);
  EXPECT_EQ(two.rule_scores[0], 0.0);
  EXPECT_EQ(two.evidence[0].count, 2u);  // the evidence is still there to explain
  EXPECT_EQ(two.tier_scores[kHigh], 0.0);
  EXPECT_EQ(two.tier, kLow);
  EXPECT_DOUBLE_EQ(two.score, 1.0);

  ScanResult three = Scan(*p, "ACCT ACCT ACCT");
  EXPECT_EQ(Spans(three), (std::vector<Span>{{0, 4}, {5, 9}, {10, 14}}));
  EXPECT_EQ(three.total_findings, 3u);
  EXPECT_DOUBLE_EQ(three.rule_scores[0], 1.0 - 0.6 * 0.6 * 0.6);  // 0.784
  EXPECT_EQ(three.tier, kHigh);
}

TEST_F(ScannerTest, RuleScoreCaps) {
  std::string_view input = "ACCT ACCT ACCT";  // three findings of 0.5: noisy-OR 0.875
  auto strongest = Compile("  - {id: k, tier: high, confidence: 0.5, keywords: [ACCT]}\n");
  auto capped = Compile("  - {id: k, tier: high, confidence: 0.5, keywords: [ACCT], max_score: 0.8}\n");
  auto loose = Compile("  - {id: k, tier: high, confidence: 0.5, keywords: [ACCT], max_score: 0.95}\n");
  ASSERT_TRUE(strongest && capped && loose);
  ScanResult a = Scan(*strongest, input);
  EXPECT_DOUBLE_EQ(a.rule_scores[0], 0.5);
  EXPECT_EQ(a.tier, kLow);
  EXPECT_DOUBLE_EQ(a.score, 0.5);  // 1 - 0.5
  ScanResult b = Scan(*capped, input);
  EXPECT_DOUBLE_EQ(b.rule_scores[0], 0.8);
  EXPECT_DOUBLE_EQ(b.tier_scores[kHigh], 0.8);
  EXPECT_EQ(b.tier, kHigh);
  EXPECT_DOUBLE_EQ(Scan(*loose, input).rule_scores[0], 0.875);
}

TEST_F(ScannerTest, RulesOfATierCombineAndTiersDecide) {
  auto p = Compile(
      "  - {id: a, tier: high, confidence: 0.4, keywords: [AAA]}\n"
      "  - {id: b, tier: high, confidence: 0.5, keywords: [BBB]}\n"
      "  - {id: c, tier: mid, confidence: 0.55, keywords: [CCC]}\n");
  ASSERT_NE(p, nullptr);
  ScanResult ab = Scan(*p, "AAA BBB CCC");
  EXPECT_DOUBLE_EQ(ab.tier_scores[kHigh], 1.0 - 0.6 * 0.5);  // 0.7
  EXPECT_DOUBLE_EQ(ab.tier_scores[kMid], 0.55);
  EXPECT_EQ(ab.tier, kHigh);
  EXPECT_DOUBLE_EQ(ab.score, 0.7);
  ScanResult b = Scan(*p, "BBB CCC");
  EXPECT_EQ(b.tier, kMid);  // 0.5 misses high's 0.6; mid reaches 0.5
  EXPECT_DOUBLE_EQ(b.score, 0.55);
  ScanResult a = Scan(*p, "AAA");
  EXPECT_EQ(a.tier, kLow);
  EXPECT_DOUBLE_EQ(a.score, 0.6);  // 1 - 0.4
}

TEST_F(ScannerTest, FindingsCap) {
  auto p = Compile("  - {id: k, tier: high, confidence: 0.05, keywords: [SECRET], max_score: 0.9}\n");
  ASSERT_NE(p, nullptr);
  std::string input;
  for (int i = 0; i < 50; ++i) input += "SECRET ";
  ScanResult all = Scan(*p, input);
  EXPECT_EQ(all.findings.size(), 50u);
  EXPECT_EQ(all.total_findings, 50u);
  EXPECT_EQ(all.flags & kFindingsTruncated, 0u);

  ScanOptions options;
  options.max_findings = 10;
  ScanResult capped = Scan(*p, input, options);
  EXPECT_EQ(capped.findings.size(), 10u);
  EXPECT_EQ(capped.total_findings, 50u);
  EXPECT_NE(capped.flags & kFindingsTruncated, 0u);
  EXPECT_EQ(capped.findings.back().start, 9u * 7);  // the first ten, in order
  EXPECT_EQ(capped.rule_scores, all.rule_scores);
  EXPECT_EQ(capped.tier_scores, all.tier_scores);
  EXPECT_EQ(capped.tier, all.tier);
  EXPECT_EQ(capped.score, all.score);
  EXPECT_DOUBLE_EQ(all.rule_scores[0], 0.9);  // 1 - 0.95^50 = 0.923, capped

  options.max_findings = 0;
  ScanResult none = Scan(*p, input, options);
  EXPECT_EQ(none.findings.size(), 0u);
  EXPECT_EQ(none.total_findings, 50u);
  EXPECT_NE(none.flags & kFindingsTruncated, 0u);
  EXPECT_EQ(none.tier_scores, all.tier_scores);
}

TEST_F(ScannerTest, FindingsSortedByPosition) {
  auto p = Compile(
      "  - {id: a, tier: high, confidence: 0.4, keywords: [AAA]}\n"
      "  - {id: b, tier: mid, confidence: 0.5, regex: 'B+'}\n");
  ASSERT_NE(p, nullptr);
  ScanResult r = Scan(*p, "BBB AAA B AAA BB");
  EXPECT_EQ(Spans(r), (std::vector<Span>{{0, 3}, {4, 7}, {8, 9}, {10, 13}, {14, 16}}));
  std::vector<uint32_t> rules;
  for (const Finding& f : r.findings) rules.push_back(f.rule);
  EXPECT_EQ(rules, (std::vector<uint32_t>{1, 0, 1, 0, 1}));
  EXPECT_EQ(r.findings[0].tier, kMid);
  EXPECT_EQ(r.findings[1].tier, kHigh);
}

// ---------------------------------------------------------------------------
// Flags

TEST_F(ScannerTest, InputTooLarge) {
  auto p = Compile("  - {id: k, tier: high, confidence: 0.9, keywords: [SECRET]}\n");
  ASSERT_NE(p, nullptr);
  ScanOptions options;
  options.max_input_bytes = 6;
  ScanResult ok = Scan(*p, "SECRET", options);
  EXPECT_EQ(ok.findings.size(), 1u);
  EXPECT_EQ(ok.flags, 0u);
  ScanResult big = Scan(*p, "SECRET!", options);
  EXPECT_EQ(big.flags, static_cast<uint32_t>(kInputTooLarge | kIncomplete));
  EXPECT_EQ(big.findings.size(), 0u);
  EXPECT_EQ(big.total_findings, 0u);
  EXPECT_EQ(big.tier, kLow);
  EXPECT_EQ(big.input_bytes, 7u);
  EXPECT_EQ(big.tier_scores, (std::vector<double>{0.0, 0.0, 0.0}));
}

TEST_F(ScannerTest, LossyDecodeFlagAndOffsetsAfterTheDamage) {
  auto p = Compile("  - {id: k, tier: high, confidence: 0.9, keywords: [SECRET]}\n");
  ASSERT_NE(p, nullptr);
  std::string input = "秘密文書です。SECRET \xFF 確認しました。SECRET";
  ScanResult r = Scan(*p, input);
  EXPECT_NE(r.flags & kLossyDecode, 0u);
  EXPECT_EQ(r.flags & kBinaryInput, 0u);
  EXPECT_EQ(r.replacements, 1u);
  EXPECT_EQ(r.encoding, text::Encoding::kUtf8);
  size_t second = input.rfind("SECRET");
  EXPECT_EQ(Spans(r), (std::vector<Span>{{21, 27}, {second, second + 6}}));
  // In the decoded text the bad byte became U+FFFD, three bytes.
  EXPECT_EQ(r.findings[1].text_start, second + 2);
  ScanResult clean = Scan(*p, "SECRET");
  EXPECT_EQ(clean.flags, 0u);
  EXPECT_EQ(clean.replacements, 0u);
}

TEST_F(ScannerTest, BinaryInputFlagStillFindsStrings) {
  auto p = Compile("  - {id: k, tier: high, confidence: 0.9, keywords: [SECRET], case_sensitive: true}\n");
  ASSERT_NE(p, nullptr);
  std::mt19937 rng(7);
  std::string input(8192, '\0');
  for (char& c : input) c = static_cast<char>(rng() % 20 == 0 ? 0 : rng() % 256);
  // Strings of the data, each between NULs. (Shorter runs of text are noise
  // in binary input: binary_test.cc.)
  for (size_t at : {1000u, 5000u}) input.replace(at, 15, std::string("\0 SECRET memo\0", 15));
  ScanResult r = Scan(*p, input);
  EXPECT_NE(r.flags & kBinaryInput, 0u);
  EXPECT_EQ(r.encoding, text::Encoding::kBinary);
  EXPECT_EQ(Spans(r), (std::vector<Span>{{1002, 1008}, {5002, 5008}}));
}

// ---------------------------------------------------------------------------
// Offsets into the original input

std::string Encode(std::string_view utf8, const char* charset) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(charset, &status);
  EXPECT_TRUE(U_SUCCESS(status)) << charset;
  if (U_FAILURE(status)) return {};
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  std::string out(static_cast<size_t>(u.length()) * 4 + 16, '\0');
  int32_t n = ucnv_fromUChars(conv, out.data(), static_cast<int32_t>(out.size()), u.getBuffer(), u.length(), &status);
  ucnv_close(conv);
  EXPECT_TRUE(U_SUCCESS(status));
  out.resize(static_cast<size_t>(n));
  return out;
}

TEST_F(ScannerTest, OffsetsIndexOriginalUtf8Bytes) {
  auto p = Compile("  - {id: k, tier: high, confidence: 0.9, keywords: [SECRET], case_sensitive: true}\n");
  ASSERT_NE(p, nullptr);
  std::string_view input = "機密：ＳＥＣＲＥＴ文書と SECRET";
  ScanResult r = Scan(*p, input);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].start, 9u);
  EXPECT_EQ(r.findings[0].end, 27u);
  EXPECT_EQ(input.substr(r.findings[0].start, 18), "ＳＥＣＲＥＴ");
  // In the NFKC text: "機密:SECRET文書と SECRET".
  EXPECT_EQ(r.findings[0].text_start, 7u);
  EXPECT_EQ(r.findings[0].text_end, 13u);
  EXPECT_EQ(r.findings[1].start, input.size() - 6);
  EXPECT_EQ(r.findings[1].end, input.size());
}

TEST_F(ScannerTest, OffsetsIndexOriginalShiftJisBytes) {
  auto p = Compile("  - {id: k, tier: high, confidence: 0.9, keywords: [SECRET], case_sensitive: true}\n");
  ASSERT_NE(p, nullptr);
  std::string sjis = Encode("機密：ＳＥＣＲＥＴ文書", "Shift_JIS");
  ASSERT_EQ(sjis.size(), 22u);  // 11 characters, 2 bytes each
  ScanOptions forced;
  forced.decode.force = text::Encoding::kShiftJis;
  ScanResult r = Scan(*p, sjis, forced);
  EXPECT_EQ(r.encoding, text::Encoding::kShiftJis);
  EXPECT_EQ(Spans(r), (std::vector<Span>{{6, 18}}));
  EXPECT_EQ(sjis.substr(6, 12), Encode("ＳＥＣＲＥＴ", "Shift_JIS"));

  // Detected rather than forced, in a longer document.
  std::string doc = Encode(
      "本書は関係者以外の閲覧を禁止します。取り扱いには十分に注意してください。\n"
      "分類：ＳＥＣＲＥＴ\n"
      "以上の内容について、担当者は確認のうえ署名してください。会議は来週の月曜日に開催します。\n",
      "Shift_JIS");
  std::string prefix = Encode(
      "本書は関係者以外の閲覧を禁止します。取り扱いには十分に注意してください。\n分類：", "Shift_JIS");
  ScanResult d = Scan(*p, doc);
  EXPECT_EQ(d.encoding, text::Encoding::kShiftJis);
  EXPECT_EQ(Spans(d), (std::vector<Span>{{prefix.size(), prefix.size() + 12}}));
}

// ---------------------------------------------------------------------------
// Chunking: documents larger than one 64 KiB chunk

// Lower-case filler (no 'K', no digits, no upper case), with a newline every
// `line` bytes, or none when `line` is 0.
std::string Filler(size_t n, size_t line) {
  static constexpr std::string_view kWords = "lorem ipsum dolor sit amet consectetur adipiscing elit ";
  std::string s;
  s.reserve(n);
  while (s.size() < n) s += kWords;
  s.resize(n);
  if (line > 0) {
    for (size_t i = line - 1; i < n; i += line) s[i] = '\n';
  }
  return s;
}

struct Layout {
  const char* name;
  size_t line;          // newline every `line` bytes (0: one line)
  size_t first_newline; // if nonzero, a single newline here and none elsewhere
};

TEST_F(ScannerTest, MatchesAroundChunkBoundariesAreFoundOnce) {
  auto p = Compile(
      "  - {id: kw, tier: high, confidence: 0.9, keywords: [SECRET], case_sensitive: true}\n"
      "  - {id: re, tier: high, confidence: 0.9, regex: 'K[0-9]+', case_sensitive: true}\n");
  ASSERT_NE(p, nullptr);
  // Around 32K, 64K, 128K and 192K, and around where chunks start and end on a
  // long line (64 KiB chunks restarting 1 KiB early) and on 40000-byte lines.
  const std::vector<size_t> anchors = {32768,  40000,  64512,  65536,  80000,  98304,  120000, 129024,
                                       130048, 131072, 160000, 193536, 194560, 196608, 200000};
  const Layout layouts[] = {
      {"short lines", 100, 0},
      {"one long line", 0, 0},
      {"a newline, then one long line", 0, 10000},
      {"40000-byte lines", 40000, 0},
  };
  const std::string tokens[] = {"SECRET", "K1234567"};
  const long deltas[] = {-9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3};
  for (const Layout& layout : layouts) {
    std::string base = Filler(210000, layout.line);
    if (layout.first_newline) base[layout.first_newline] = '\n';
    for (size_t t = 0; t < 2; ++t) {
      const std::string& token = tokens[t];
      for (long d : deltas) {
        std::string doc = base;
        std::vector<Span> expected;
        for (size_t a : anchors) {
          size_t at = static_cast<size_t>(static_cast<long>(a) + d);
          doc.replace(at, token.size(), token);
          expected.emplace_back(at, at + token.size());
        }
        ScanResult r = Scan(*p, doc);
        EXPECT_EQ(Spans(r), expected) << layout.name << ", token " << token << ", delta " << d;
        for (const Finding& f : r.findings) EXPECT_EQ(f.rule, t);
        EXPECT_EQ(r.total_findings, anchors.size()) << layout.name << ", token " << token << ", delta " << d;
      }
    }
  }
}

TEST_F(ScannerTest, MatchAcrossTheLineEndWhereAChunkIsCut) {
  // Keywords with spaces match across line breaks ("Date of\nBirth"); the
  // line end at which a chunk is cut must not hide them. With 100-byte lines
  // the cuts fall on line ends near 64 KiB, 128 KiB, 192 KiB.
  auto p = Compile(
      "  - {id: dob, tier: high, confidence: 0.9, keywords: [date of birth]}\n"
      "  - {id: re, tier: high, confidence: 0.9, regex: 'K[0-9]+(?:\\s+[0-9]+)*', case_sensitive: true}\n");
  ASSERT_NE(p, nullptr);
  std::string base = Filler(210000, 100);
  for (const std::string& token : {std::string("date of\nbirth"), std::string("K1234\n5678")}) {
    size_t newline_at = token.find('\n');
    std::vector<Span> expected;
    std::string doc = base;
    // Put the token's line break on every 10th line end from 60 KB on, so that
    // one of them is where a chunk ends, whatever the exact cut.
    for (size_t nl = 59999; nl + 20 < doc.size(); nl += 1000) {
      size_t at = nl - newline_at;
      doc.replace(at, token.size(), token);
      expected.emplace_back(at, at + token.size());
    }
    ScanResult r = Scan(*p, doc);
    std::vector<Span> found = Spans(r), missing, extra;
    std::set_difference(expected.begin(), expected.end(), found.begin(), found.end(), std::back_inserter(missing));
    std::set_difference(found.begin(), found.end(), expected.begin(), expected.end(), std::back_inserter(extra));
    EXPECT_TRUE(missing.empty()) << token << ": missing " << ::testing::PrintToString(missing);
    EXPECT_TRUE(extra.empty()) << token << ": extra " << ::testing::PrintToString(extra);
    EXPECT_EQ(found.size(), expected.size());
  }
}

TEST_F(ScannerTest, ManyMatchesAcrossALongLine) {
  // Every 997 bytes on a 300 KB line: each found once, in order.
  auto p = Compile("  - {id: re, tier: high, confidence: 0.9, regex: 'K[0-9]+', case_sensitive: true}\n");
  ASSERT_NE(p, nullptr);
  std::string doc = Filler(300000, 0);
  std::vector<Span> expected;
  for (size_t at = 500; at + 20 < doc.size(); at += 997) {
    doc.replace(at, 10, "K123456789");
    expected.emplace_back(at, at + 10);
  }
  ScanResult r = Scan(*p, doc);
  EXPECT_EQ(Spans(r), expected);
  EXPECT_EQ(r.total_findings, expected.size());
}

// The matches of one leftmost-first search over the whole text with `re`.
std::vector<Span> WholeTextMatches(const RE2& re, std::string_view text) {
  std::vector<Span> out;
  re2::StringPiece m;
  size_t pos = 0;
  while (pos < text.size() && re.Match(text, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
    size_t ms = static_cast<size_t>(m.data() - text.data());
    out.emplace_back(ms, ms + m.size());
    pos = ms + std::max<size_t>(m.size(), 1);
  }
  return out;
}

// `doc` scanned as a stream written in pieces of 1 to `most` bytes, cut at
// random.
ScanResult StreamedInRandomPieces(const CompiledPolicy& p, std::string_view doc, const ScanOptions& options,
                                  uint32_t seed, size_t most) {
  Scanner scanner;
  ScanResult out;
  scanner.Begin(p, options, &out);
  std::mt19937 rng(seed);
  for (size_t pos = 0; pos < doc.size();) {
    size_t len = std::min(doc.size() - pos, size_t{1} + rng() % most);
    EXPECT_TRUE(scanner.Write(doc.substr(pos, len)).ok());
    pos += len;
  }
  EXPECT_TRUE(scanner.Finish().ok());
  return out;
}

TEST_F(ScannerTest, ChunkedScanEqualsOneSearchOverTheWholeText) {
  // Random documents of short lines and lines longer than a chunk, so that
  // both kinds of cut occur at random places; the scanner must report exactly
  // what one search over the whole text finds.
  const std::string patterns[] = {"K[0-9]+(?:\\s+[0-9]+)*", "[0-9]{3,}", "x+y", "\\b[a-fxy]+\\b"};
  const std::string_view alphabet = "abcxyKK00112233445566778899      ";
  std::mt19937 rng(12345);
  for (int doc_index = 0; doc_index < 6; ++doc_index) {
    std::string doc;
    while (doc.size() < 400000) {
      size_t len = rng() % 4 == 0 ? 70000 + rng() % 80000 : 1 + rng() % 200;
      for (size_t i = 0; i < len; ++i) doc += alphabet[rng() % alphabet.size()];
      doc += '\n';
    }
    for (const std::string& pattern : patterns) {
      auto p = Compile("  - {id: r, tier: high, confidence: 0.5, case_sensitive: true, regex: '" + pattern + "'}\n");
      ASSERT_NE(p, nullptr) << pattern;
      RE2 re(p->spec().rules[0].regex);
      ASSERT_TRUE(re.ok());
      std::vector<Span> expected = WholeTextMatches(re, doc);
      ASSERT_GT(expected.size(), 200u) << pattern;
      ScanOptions options;
      options.max_findings = expected.size() + 1;
      ScanResult r = Scan(*p, doc, options);
      std::vector<Span> found = Spans(r), missing, extra;
      std::set_difference(expected.begin(), expected.end(), found.begin(), found.end(), std::back_inserter(missing));
      std::set_difference(found.begin(), found.end(), expected.begin(), expected.end(), std::back_inserter(extra));
      EXPECT_TRUE(missing.empty()) << pattern << " doc " << doc_index << ": missing " << ::testing::PrintToString(missing);
      EXPECT_TRUE(extra.empty()) << pattern << " doc " << doc_index << ": extra " << ::testing::PrintToString(extra);
      EXPECT_EQ(r.total_findings, expected.size());
    }
  }
}

TEST_F(ScannerTest, RulesOfEveryBoundInOnePolicyEqualOneSearchEach) {
  // Several rules in one policy, matches of some far apart (a window's
  // first candidate, a stretch, text skipped) and of others crowded (a
  // window's second candidate and those after it): each rule's findings are
  // what one search of the whole text finds, whatever its longest match (a
  // few bytes, a few dozen, unbounded) and whichever rule's match the union
  // found first, one-shot and streamed.
  auto p = Compile(
      "  - {id: digits, tier: high, confidence: 0.9, case_sensitive: true, regex: '\\b[0-9]{3,8}\\b'}\n"
      "  - {id: code, tier: high, confidence: 0.9, case_sensitive: true, regex: '[A-Z]{2}-[0-9]{4}'}\n"
      "  - {id: words, tier: high, confidence: 0.9, keywords: [secret plan, confidential]}\n"
      "  - {id: k, tier: high, confidence: 0.9, case_sensitive: true, regex: 'K[0-9]+(?:\\s+[0-9]+)*'}\n"
      "  - {id: xy, tier: high, confidence: 0.9, case_sensitive: true, regex: 'x+y'}\n"
      "  - {id: id, tier: high, confidence: 0.9, case_sensitive: true, regex: 'ID-[0-9]{10,60}'}\n");
  ASSERT_NE(p, nullptr);
  const std::vector<std::string> snippets = {"4711", "12345678", "AB-1234", "secret plan", "Secret  Plan",
                                             "CONFIDENTIAL", "K12 34 56", "xxxxy", "K7\n8",
                                             "ID-" + std::string(50, '7')};
  std::mt19937 rng(77);
  for (size_t line : {size_t{0}, size_t{60}, size_t{3000}}) {
    std::string doc = Filler(400000, line);
    for (size_t at = 100; at + 100 < doc.size();) {
      std::string m = " " + snippets[rng() % snippets.size()] + " ";
      if (rng() % 8 == 0) m = std::string(60 + rng() % 600, 'x') + "y";  // a long x+y
      doc.replace(at, m.size(), m);
      // Now crowded (a few bytes apart), now sparse (up to two windows).
      at += m.size() + 1 + (rng() % 8 == 0 ? rng() % 8000 : rng() % 40);
    }
    ScanOptions options;
    options.max_findings = 100000;
    ScanResult r = Scan(*p, doc, options);
    EXPECT_EQ(r.flags, 0u) << line;
    for (size_t rule = 0; rule < p->rules().size(); ++rule) {
      std::vector<Span> found;
      for (const Finding& f : r.findings) {
        if (f.rule == rule) found.emplace_back(f.start, f.end);
      }
      std::vector<Span> expected = WholeTextMatches(*p->rules()[rule].re, doc);
      EXPECT_GT(expected.size(), 50u) << line << " " << rule;
      EXPECT_EQ(found, expected) << "line " << line << ", rule " << p->rules()[rule].spec->id;
    }
    ScanResult streamed = StreamedInRandomPieces(*p, doc, options, static_cast<uint32_t>(line), 20000);
    EXPECT_EQ(Spans(streamed), Spans(r)) << line;
  }
}

TEST_F(ScannerTest, LongMatchesAreFoundWholeUpTo16KiBAndFlaggedBeyond) {
  // Rules whose matches can be longer than the windows' 1 KiB overlap are
  // searched further where a match is in progress at a window's end,
  // reaching 16 KiB past the window. On one long line the windows are cut
  // every 4 KiB: a match from 50,000 on (in the window [49152, 53248)) is
  // found whole if it ends before 53248 + 16 KiB, and beyond that the result
  // says the search was cut, whether the rule then finds a shortened match
  // (open) or none (closed).
  auto p = Compile(
      "  - {id: closed, tier: high, confidence: 0.9, case_sensitive: true, regex: 'BEGIN[a-z]+END'}\n"
      "  - {id: open, tier: high, confidence: 0.9, case_sensitive: true, regex: 'BEGIN[a-z]+'}\n");
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->long_rules().size(), 2u);
  // Both are made of [a-z] runs: in 1 KiB of a match, at least 1024 - 8
  // bytes of them.
  ASSERT_EQ(p->long_rule_groups().size(), 1u);
  EXPECT_EQ(p->long_rule_groups()[0].min_run, 1016u);
  RE2 closed(p->spec().rules[0].regex), open(p->spec().rules[1].regex);
  const size_t at = 50000, reach = 53248 + 16 * 1024;
  for (size_t n : {3000, 12000, 19000, 20000, 40000}) {
    std::string doc = Filler(300000, 0);
    doc.replace(at, n + 8, "BEGIN" + std::string(n, 'a') + "END");
    const bool whole = at + n + 8 <= reach;
    ScanOptions options;
    options.max_findings = 100;
    ScanResult r = Scan(*p, doc, options);
    std::vector<Span> closed_found, open_found;
    for (const Finding& f : r.findings) (f.rule == 0 ? closed_found : open_found).emplace_back(f.start, f.end);
    if (whole) {
      EXPECT_EQ(closed_found, WholeTextMatches(closed, doc)) << n;
      EXPECT_EQ(open_found, WholeTextMatches(open, doc)) << n;
      EXPECT_EQ(closed_found.size(), 1u) << n;
      EXPECT_EQ(r.flags, 0u) << n;
      EXPECT_EQ(r.tier, kHigh) << n;
    } else {
      EXPECT_TRUE(closed_found.empty()) << n;
      ASSERT_EQ(open_found.size(), 1u) << n;
      EXPECT_EQ(open_found[0], Span(at, reach)) << n;  // cut
      EXPECT_EQ(r.flags, kLongMatchCut | kIncomplete) << n;
    }
    // A stream cut into random pieces sees the same.
    ScanResult streamed = StreamedInRandomPieces(*p, doc, options, static_cast<uint32_t>(n), 20000);
    EXPECT_EQ(Spans(streamed), Spans(r)) << n;
    EXPECT_EQ(streamed.flags, r.flags) << n;
  }
}

TEST_F(ScannerTest, LongMatchesOfEveryShapeAreFoundWhole) {
  // Long rules of both kinds: those whose long matches are runs of a few
  // bytes (asked only where the window's overlap holds such a run) and
  // those whose long matches may be ordinary text (asked through one union
  // at every window's end). Matches of 1.5 to 12 KiB at random places, on
  // one long line and on short and long lines, are found as one search of
  // the whole text finds them, one-shot and streamed.
  auto p = Compile(
      "  - {id: base64, tier: high, confidence: 0.9, case_sensitive: true, regex: 'TOKEN:[A-Za-z0-9+/]+='}\n"
      "  - {id: numbers, tier: high, confidence: 0.9, case_sensitive: true, regex: 'ID(?:[0-9]{1,4}-){100,}[0-9]+'}\n"
      "  - {id: quoted, tier: high, confidence: 0.9, regex: 'key\\s*=\\s*\"[^\"\\n]*\"'}\n"
      "  - {id: words, tier: high, confidence: 0.9, case_sensitive: true, regex: '<<(?:\\s*[a-z]+)+\\s*>>'}\n");
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->long_rules().size(), 4u);
  EXPECT_EQ(p->long_union_rules(), (std::vector<uint32_t>{2, 3}));
  std::vector<uint32_t> grouped;
  for (const LongRuleGroup& g : p->long_rule_groups()) grouped.insert(grouped.end(), g.rules.begin(), g.rules.end());
  EXPECT_EQ(grouped, (std::vector<uint32_t>{0, 1}));
  std::mt19937 rng(2026);
  auto make = [&](size_t rule, size_t len) {
    std::string m;
    switch (rule) {
      case 0:
        m = "TOKEN:";
        while (m.size() + 1 < len) m += "Ab9+/xyZ"[rng() % 8];
        return m + "=";
      case 1:
        m = "ID";
        while (m.size() + 6 < len) m += std::to_string(rng() % 10000) + "-";
        return m + "42";
      case 2:
        m = "key = \"";
        while (m.size() + 1 < len) m += rng() % 7 == 0 ? ' ' : static_cast<char>('a' + rng() % 26);
        return m + "\"";
      default:
        m = "<<";
        while (m.size() + 2 < len) m += rng() % 5 == 0 ? (rng() % 3 == 0 ? '\n' : ' ') : static_cast<char>('a' + rng() % 26);
        return m + " >>";
    }
  };
  for (size_t line : {size_t{0}, size_t{100}, size_t{5000}}) {
    std::string doc = Filler(300000, line);
    for (size_t at = 3000; at + 14000 < doc.size();) {
      const size_t rule = rng() % 4;
      std::string m = make(rule, 1500 + rng() % 10500);
      // Often a shorter match of the same rule soon after, in the same
      // window: it is found though the long one was searched further.
      if (rng() % 2 == 0) m += std::string(1 + rng() % 1500, ' ') + make(rule, 40 + rng() % 900);
      if (line != 0) {  // keep the filler's line breaks out of the matches of rules that stop at one
        for (char& c : m) c = c == '\n' && m[0] != '<' ? ' ' : c;
      }
      doc.replace(at, m.size(), m);
      at += m.size() + 1 + rng() % 6000;
    }
    ScanOptions options;
    options.max_findings = 1000;
    ScanResult r = Scan(*p, doc, options);
    EXPECT_EQ(r.flags, 0u) << line;
    for (size_t rule = 0; rule < 4; ++rule) {
      std::vector<Span> found;
      for (const Finding& f : r.findings) {
        if (f.rule == rule) found.emplace_back(f.start, f.end);
      }
      std::vector<Span> expected = WholeTextMatches(RE2(p->rules()[rule].re->pattern(), p->rules()[rule].re->options()), doc);
      EXPECT_FALSE(expected.empty()) << line << " " << rule;
      EXPECT_EQ(found, expected) << "line " << line << ", rule " << rule;
    }
    ScanResult streamed = StreamedInRandomPieces(*p, doc, options, static_cast<uint32_t>(line), 30000);
    EXPECT_EQ(Spans(streamed), Spans(r)) << line;
    EXPECT_EQ(streamed.flags, r.flags) << line;
  }
}

TEST_F(ScannerTest, LongRuleFlagsOnlyAMatchStillInProgress) {
  // Long documents with complete long-rule matches, and text that merely
  // resembles the start of one, are not flagged.
  auto p = Compile(
      "  - {id: block, tier: high, confidence: 0.9, case_sensitive: true, regex: '(?s)BEGIN.{0,900}?END'}\n"
      "  - {id: run, tier: mid, confidence: 0.9, case_sensitive: true, regex: 'x[0-9]+y'}\n");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->long_rules().size(), 2u);  // 900 characters of up to 4 bytes
  std::string doc = Filler(500000, 100);
  std::vector<Span> expected;
  for (size_t at = 1000; at + 30000 < doc.size(); at += 37000) {
    std::string block = "BEGIN" + Filler(800, 100) + "END";
    doc.replace(at, block.size(), block);
    expected.emplace_back(at, at + block.size());
    doc.replace(at + 20000, 8, "BEGIN no");  // no END within 900 characters
  }
  ScanResult r = Scan(*p, doc);
  EXPECT_EQ(Spans(r), expected);
  EXPECT_EQ(r.flags, 0u);
}

// ---------------------------------------------------------------------------
// The scanner is reusable

TEST_F(ScannerTest, ReuseGivesTheSameResults) {
  auto p = Compile(
      "  - {id: a, tier: high, confidence: 0.4, keywords: [AAA]}\n"
      "  - {id: b, tier: mid, confidence: 0.5, regex: 'B+'}\n");
  ASSERT_NE(p, nullptr);
  ScanResult first = Scan(*p, "AAA BB ＡＡＡ");
  ScanResult other = Scan(*p, "nothing here");
  EXPECT_EQ(other.findings.size(), 0u);
  EXPECT_EQ(other.tier, kLow);
  ScanResult again = Scan(*p, "AAA BB ＡＡＡ");
  EXPECT_EQ(Spans(first), Spans(again));
  EXPECT_EQ(first.tier_scores, again.tier_scores);
  EXPECT_EQ(Spans(first), (std::vector<Span>{{0, 3}, {4, 6}, {7, 16}}));
}

// ---------------------------------------------------------------------------
// The default policy on a few short documents

class DefaultPolicyTest : public DefaultPolicyFixture {};

TEST_F(DefaultPolicyTest, JapaneseDesignatedSecretMarking) {
  ScanResult r = Scan("【特定秘密】\n防衛装備品の調達計画について、以下のとおり報告する。\n");
  EXPECT_EQ(policy_->spec().tiers[r.tier].id, "designated_secret");
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(RuleOf(r.findings[0]), "jp_designated_secret_marking");
  EXPECT_EQ(r.findings[0].start, 3u);
  EXPECT_EQ(r.findings[0].end, 15u);
  EXPECT_EQ(r.findings[0].placement, Placement::kLine);
  EXPECT_DOUBLE_EQ(r.score, 0.95);
}

TEST_F(DefaultPolicyTest, UsBannerWithCaveats) {
  ScanResult r = Scan("TOP SECRET//SI//NOFORN\n\nSUBJECT: (U) Program review\n\nTOP SECRET//SI//NOFORN\n");
  EXPECT_EQ(policy_->spec().tiers[r.tier].id, "designated_secret");
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].start, 0u);
  EXPECT_GE(r.score, 0.95);
}

TEST_F(DefaultPolicyTest, ProseAboutSecretsIsPublic) {
  EXPECT_EQ(TierOf("The report mentions top secret programs and how they were later declassified."), "public");
  EXPECT_EQ(TierOf("The historian said the report was not a designated secret at all."), "public");
  EXPECT_EQ(TierOf("便秘に効くレシピ：ごぼうと玄米のスープは食物繊維が豊富で、毎朝食べると効果的です。"), "public");
  ScanResult r = Scan("便秘に効くレシピ：ごぼうと玄米のスープ。\n");
  EXPECT_EQ(r.findings.size(), 0u);
  EXPECT_DOUBLE_EQ(r.score, 1.0);
}

TEST_F(DefaultPolicyTest, HandlingCaveatStampIsProtected) {
  ScanResult r = Scan("取扱注意\n\n令和6年度 施設整備計画（案）\n");
  EXPECT_EQ(policy_->spec().tiers[r.tier].id, "protected");
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(RuleOf(r.findings[0]), "jp_handling_caveat");
}

TEST_F(DefaultPolicyTest, CorporateMarkingIsBusinessRelated) {
  ScanResult r = Scan("社外秘\n\n来期の営業方針について\n");
  EXPECT_EQ(policy_->spec().tiers[r.tier].id, "business_related");
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(RuleOf(r.findings[0]), "corporate_marking");
  EXPECT_EQ(r.findings[0].start, 0u);
  EXPECT_EQ(r.findings[0].end, 9u);
}

TEST_F(DefaultPolicyTest, CardNumberNearCardIsProtected) {
  std::string_view input = "Please charge my card 4111 1111 1111 1111 for the order.";
  ScanResult r = Scan(input);
  EXPECT_EQ(policy_->spec().tiers[r.tier].id, "protected");
  bool found = false;
  for (const Finding& f : r.findings) {
    if (RuleOf(f) != "credit_card") continue;
    found = true;
    EXPECT_EQ(input.substr(f.start, f.end - f.start), "4111 1111 1111 1111");
    EXPECT_NEAR(f.confidence, 0.85, 1e-12);
  }
  EXPECT_TRUE(found);
  // The same number failing Luhn is nothing.
  EXPECT_EQ(TierOf("Please charge my card 4111 1111 1111 1112 for the order."), "public");
}


// ---------------------------------------------------------------------------
// Counter-evidence

// A rule with `counters` multiplies the countered tier's score by 1 - s;
// it may stand on the default tier (it is evidence of nothing above it).
TEST_F(ScannerTest, CountersWeakenTheNamedTierOnly) {
  auto p = Compile(
      "  - {id: mark, tier: high, confidence: 0.9, keywords: [TOPSECRET]}\n"
      "  - {id: note, tier: mid, confidence: 0.8, keywords: [NOTE]}\n"
      "  - {id: unclass, tier: low, confidence: 0.5, min_count: 2, max_score: 0.75, counters: [high],"
      " keywords: [UNCLASSIFIED]}\n");
  ASSERT_NE(p, nullptr);
  ScanResult alone = Scan(*p, "TOPSECRET NOTE\n");
  EXPECT_EQ(alone.tier, kHigh);
  EXPECT_DOUBLE_EQ(alone.tier_scores[kHigh], 0.9);

  ScanResult once = Scan(*p, "UNCLASSIFIED\nTOPSECRET NOTE\n");  // short of min_count: no effect
  EXPECT_DOUBLE_EQ(once.tier_scores[kHigh], 0.9);

  ScanResult countered = Scan(*p, "UNCLASSIFIED\nTOPSECRET NOTE\nUNCLASSIFIED\n");
  EXPECT_DOUBLE_EQ(countered.rule_scores[2], 0.75);
  EXPECT_NEAR(countered.tier_scores[kHigh], 0.9 * 0.25, 1e-12);
  EXPECT_DOUBLE_EQ(countered.tier_scores[kMid], 0.8);  // not countered
  EXPECT_EQ(countered.tier, kMid);
}

}  // namespace
}  // namespace kimitsu::match

namespace kimitsu::match {
namespace {

TEST_F(ScannerTest, CandidatesFromRe2sUnionWhereTheDfasCannotBeMade) {
  // `\b\B` never matches, but with assertions taken as true it matches
  // the empty string: no candidate DFAs for a policy that has it, and RE2's
  // union of every rule finds the candidates instead. Both ways, the same
  // findings.
  const std::string rules =
      "  - {id: num, tier: high, confidence: 0.5, regex: '\\b[0-9]{3,8}\\b'}\n"
      "  - {id: word, tier: high, confidence: 0.5, keywords: [secret, 機密]}\n"
      "  - {id: mail, tier: high, confidence: 0.5, regex: '[a-z]+@[a-z]+\\.com'}\n";
  auto with_dfas = Compile(rules);
  auto with_union = Compile(rules + "  - {id: never, tier: high, confidence: 0.5, regex: '\\b\\B'}\n");
  ASSERT_NE(with_dfas, nullptr);
  ASSERT_NE(with_union, nullptr);
  EXPECT_NE(with_dfas->candidate_dfa(), nullptr);
  EXPECT_EQ(with_union->candidate_dfa(), nullptr);
  EXPECT_NE(with_union->any_rule(), nullptr);
  std::mt19937 rng(5);
  const char* pieces[] = {"lorem ", "ipsum\n", "12345 ", "1234567890 ", "secret ", "機密の", "bob@example.com ", "x@y "};
  for (int doc_index = 0; doc_index < 4; ++doc_index) {
    std::string doc;
    while (doc.size() < 200000) doc += pieces[rng() % 8];
    ScanOptions options;
    options.max_findings = 100000;
    options.all_matches = true;
    ScanResult a = Scan(*with_dfas, doc, options), b = Scan(*with_union, doc, options);
    EXPECT_GT(a.findings.size(), 1000u);
    EXPECT_EQ(Spans(a), Spans(b)) << doc_index;
    EXPECT_EQ(a.total_findings, b.total_findings);
  }
}

}  // namespace
}  // namespace kimitsu::match
