// The shortcuts CompiledPolicy prepares for the scanner: rules whose value
// span comes from RE2's DFAs alone, and the broad rules tried directly.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "default_policy_fixture.h"
#include "match/compiled_policy.h"

namespace kimitsu::match {
namespace {

TEST(GroupIsWholeMatchTest, AGroupWithOnlyAssertionsAround) {
  EXPECT_TRUE(GroupIsWholeMatch(R"(\b(\d{7,8})\b)"));
  EXPECT_TRUE(GroupIsWholeMatch(R"((a|b))"));
  EXPECT_TRUE(GroupIsWholeMatch(R"(^((?:x|y)[)(]\)+)$)"));
  EXPECT_TRUE(GroupIsWholeMatch(R"(\b(\d{4}|\d{6}(?:-\d)?)\b)"));
  EXPECT_TRUE(GroupIsWholeMatch(R"((a\)))"));  // the group holds "a)"
}

TEST(GroupIsWholeMatchTest, AnythingElse) {
  EXPECT_FALSE(GroupIsWholeMatch(R"(\d{7})"));
  EXPECT_FALSE(GroupIsWholeMatch(R"(\b(a)|(b)\b)"));
  EXPECT_FALSE(GroupIsWholeMatch(R"((a)b)"));
  EXPECT_FALSE(GroupIsWholeMatch(R"(x(a))"));
  EXPECT_FALSE(GroupIsWholeMatch(R"((a)+)"));
  EXPECT_FALSE(GroupIsWholeMatch(R"((a)|b)"));
  EXPECT_FALSE(GroupIsWholeMatch(R"((?:a))"));
  EXPECT_FALSE(GroupIsWholeMatch(R"((?P<v>a))"));
  EXPECT_FALSE(GroupIsWholeMatch(R"((\Q)\E))"));
  EXPECT_FALSE(GroupIsWholeMatch(R"(([[:digit:]]))"));
  EXPECT_FALSE(GroupIsWholeMatch(R"(\b(a)\B)"));
}

TEST(LineStartOrCharPrefixTest, ThePrefixesThatEmulateALookbehind) {
  EXPECT_EQ(LineStartOrCharPrefix(R"((?:^|[^0-9+])(\d{10})\b)"), 13u);
  EXPECT_EQ(LineStartOrCharPrefix(R"((?:(?m:^)|\s)(x+))"), 13u);
  EXPECT_EQ(LineStartOrCharPrefix(R"((?:^|[^\]])(a))"), 11u);
  EXPECT_EQ(LineStartOrCharPrefix(R"((?:^|[^0-9])(\d+)x)"), 0u);   // more after the group
  EXPECT_EQ(LineStartOrCharPrefix(R"((?:^|ab)(\d+))"), 0u);        // two characters
  EXPECT_EQ(LineStartOrCharPrefix(R"((?:\b|[^0-9])(\d+))"), 0u);   // not a line start
  EXPECT_EQ(LineStartOrCharPrefix(R"((?:^|[^0-9])\d(\d+))"), 0u);  // the group is not the rest
}

// Every match of every rule of the default policy that has a shortcut, in
// every corpus document and in texts made to reach the line-start branch:
// the span the scanner takes is the one RE2's submatch engines give.
class ValueSpanTest : public DefaultPolicyFixture {};

TEST_F(ValueSpanTest, TheShortcutsGiveRe2sGroupSpans) {
  std::vector<std::string> texts = {
      "+81 90-1234-5678\n(415) 555-0100 and 415.555.0100\n+44 20 7946 0958",
      "0312345678\n090 12345678, 123 4567890\n-0312345678 +0312345678",
      "password=hunter2hunter2\n  pwd: 'letmein123'\nAPI_KEY = \"abcd1234efgh5678\"\nx_token:abc",
      "token=abcdef123456 secret: s3cr3t-value key = 'k' \"pass\" === user_password",
      "https://example.com/path?q=1\nftp://files.example.org/x.zip (see http://a.example.net)",
      "パスワード: abcdefg123\n暗証番号=1234\n",
  };
  int corpus = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(KIMITSU_SOURCE_DIR) +
                                                                         "/tests/corpus")) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    texts.push_back(ss.str());
    ++corpus;
  }
  ASSERT_GT(corpus, 10);
  int whole = 0, line_start = 0, checked = 0, at_line_start = 0;
  for (const CompiledRule& rule : policy_->rules()) {
    if (!rule.reports_group) continue;
    whole += rule.group_is_whole;
    line_start += rule.value_at_line_start != nullptr;
    if (!rule.group_is_whole && !rule.value_at_line_start) continue;
    for (const std::string& text : texts) {
      const re2::StringPiece t(text);
      re2::StringPiece m[2], m0;
      for (size_t pos = 0; pos < text.size(); ++pos) {
        if (!rule.re->Match(t, pos, text.size(), RE2::UNANCHORED, m, 2)) break;
        ASSERT_TRUE(rule.re->Match(t, pos, text.size(), RE2::UNANCHORED, &m0, 1));
        ASSERT_EQ(m0.data(), m[0].data());
        ASSERT_EQ(m0.size(), m[0].size());
        size_t ms = static_cast<size_t>(m0.data() - t.data()), me = ms + m0.size(), vs = ms;
        if (rule.value_at_line_start && !rule.value_at_line_start->Match(t, ms, me, RE2::ANCHOR_BOTH, nullptr, 0)) {
          vs = ms + 1;
          while (vs < text.size() && (static_cast<unsigned char>(text[vs]) & 0xC0) == 0x80) ++vs;
        } else if (rule.value_at_line_start) {
          ++at_line_start;
        }
        EXPECT_EQ(static_cast<size_t>(m[1].data() - t.data()), vs) << rule.spec->id << " in " << text.substr(ms, 40);
        EXPECT_EQ(static_cast<size_t>(m[1].data() - t.data()) + m[1].size(), me) << rule.spec->id;
        ++checked;
        pos = ms;
      }
    }
  }
  // The default policy's digit rules (\b(...)\b) and its lookbehind-like
  // prefixes (phone numbers, credentials, URLs) take the shortcuts.
  EXPECT_GE(whole, 10);
  EXPECT_GE(line_start, 3);
  EXPECT_GT(checked, 500);
  EXPECT_GT(at_line_start, 5);
}

TEST_F(ValueSpanTest, BroadRulesAreLeftOutOfTheNarrowSet) {
  ASSERT_NE(policy_->narrow_prefilter(), nullptr);
  ASSERT_FALSE(policy_->broad_rules().empty());
  for (int r : policy_->broad_rules()) {
    // A broad rule's matches do not make the narrow set fire.
    const std::string_view text = "order 40580982 shipped\nsort_key = updated_at\n";
    const re2::StringPiece t(text.data(), text.size());
    if (policy_->rules()[static_cast<size_t>(r)].re->Match(t, 0, text.size(), RE2::UNANCHORED, nullptr, 0)) {
      EXPECT_FALSE(policy_->narrow_prefilter()->Match(t, nullptr)) << policy_->spec().rules[static_cast<size_t>(r)].id;
    }
  }
}

}  // namespace
}  // namespace kimitsu::match
