#include "match/match_length.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

namespace kimitsu::match {
namespace {

TEST(MaxMatchBytes, SequencesAddAndAlternationsTakeTheLongestBranch) {
  EXPECT_EQ(MaxMatchBytes("abc"), 3u);
  EXPECT_EQ(MaxMatchBytes("ab|cdef|g"), 4u);
  EXPECT_EQ(MaxMatchBytes("(ab|c)(?:de|f)"), 4u);
  EXPECT_EQ(MaxMatchBytes("秘密"), 6u);
  EXPECT_EQ(MaxMatchBytes("\\Qa.b\\E"), 3u);
}

TEST(MaxMatchBytes, RepetitionsMultiplyOrAreUnbounded) {
  EXPECT_EQ(MaxMatchBytes("a?"), 1u);
  EXPECT_EQ(MaxMatchBytes("\\d{3}-\\d{4}"), 8u);
  EXPECT_EQ(MaxMatchBytes("[0-9]{2,5}?"), 5u);
  EXPECT_EQ(MaxMatchBytes("(?:ab){2}c{0,3}"), 7u);
  EXPECT_EQ(MaxMatchBytes("a+"), kUnboundedMatch);
  EXPECT_EQ(MaxMatchBytes("ab*c"), kUnboundedMatch);
  EXPECT_EQ(MaxMatchBytes("x{2,}"), kUnboundedMatch);
  EXPECT_EQ(MaxMatchBytes("(?:a{1000}){1000}"), 1000000u);
  // Assertions weigh nothing, even repeated.
  EXPECT_EQ(MaxMatchBytes("\\bkey\\b"), 3u);
  EXPECT_EQ(MaxMatchBytes("^(?:\\b)*x$"), 1u);
  // A brace that is no count is a literal: RE2 reads no leading zero and
  // at most 9 digits.
  EXPECT_EQ(MaxMatchBytes("a{,2}"), 5u);
  EXPECT_EQ(MaxMatchBytes("a{01}"), 5u);
  EXPECT_EQ(MaxMatchBytes("a{2,01}"), 7u);
  EXPECT_EQ(MaxMatchBytes("a{9999999999}"), 13u);
  EXPECT_EQ(MaxMatchBytes("a{0}b"), 1u);
}

TEST(MaxMatchBytes, ClassesCountTheirLongestCharacter) {
  EXPECT_EQ(MaxMatchBytes("[a-z_-]"), 1u);
  EXPECT_EQ(MaxMatchBytes("[]a]"), 1u);
  EXPECT_EQ(MaxMatchBytes("[ぁ-ん]"), 3u);
  EXPECT_EQ(MaxMatchBytes("[^a]"), 4u);
  EXPECT_EQ(MaxMatchBytes("[[:alpha:]]"), 1u);
  EXPECT_EQ(MaxMatchBytes("[[:^alpha:]]"), 4u);
  EXPECT_EQ(MaxMatchBytes("[\\p{Han}]"), 4u);
  EXPECT_EQ(MaxMatchBytes("."), 4u);
  EXPECT_EQ(MaxMatchBytes("\\S"), 4u);
  EXPECT_EQ(MaxMatchBytes("\\pL"), 4u);
  EXPECT_EQ(MaxMatchBytes("\\x{3042}"), 4u);
}

TEST(MaxMatchBytes, CaseFoldingCountsTheLongerFoldedLetters) {
  // Case-insensitively, "k" also matches U+212A KELVIN SIGN (3 bytes).
  EXPECT_EQ(MaxMatchBytes("k", false), 3u);
  EXPECT_EQ(MaxMatchBytes("(?i)k"), 3u);
  EXPECT_EQ(MaxMatchBytes("(?i:k)k"), 4u);
  EXPECT_EQ(MaxMatchBytes("(?i)k(?-i)k"), 4u);
  EXPECT_EQ(MaxMatchBytes("(?:(?i)k)k"), 4u);
  EXPECT_EQ(MaxMatchBytes("1", false), 1u);
  EXPECT_EQ(MaxMatchBytes("[!-~]", false), 3u);
  EXPECT_EQ(MaxMatchBytes("ß", false), 3u);
  EXPECT_EQ(MaxMatchBytes("\U0001F600", false), 4u);
}

TEST(MaxMatchBytes, NamedGroupsAndFlags) {
  EXPECT_EQ(MaxMatchBytes("(?P<v>\\d{4})"), 4u);
  EXPECT_EQ(MaxMatchBytes("(?s:.)"), 4u);
  EXPECT_EQ(MaxMatchBytes("(?U)a{2,3}"), 3u);
}

// The bound holds for what RE2 actually matches: each pattern is matched
// against texts made to give it its longest match.
TEST(MaxMatchBytes, BoundsWhatRe2Matches) {
  struct Case {
    const char* pattern;
    bool case_sensitive;
    const char* text;
  };
  const Case cases[] = {
      {"k{3}", false, "\u212A\u212A\u212A"},
      {"s{2}", false, "\u017F\u017F"},
      {"[a-z]{2}", false, "\u212A\u017F"},
      {"[ぁ-ん]{2}x?", true, "あんx"},
      {".{3}", true, "\U0001F600\U0001F600\U0001F600"},
      {"\\w{2}", false, "\u212Ak"},
      {"ß", false, "\u1E9E"},
      {"[a-zß]", false, "\u1E9E"},
      {"[^a]{2}", true, "\U0001F600\U0001F600"},
  };
  for (const Case& c : cases) {
    RE2::Options o;
    o.set_case_sensitive(c.case_sensitive);
    RE2 re(c.pattern, o);
    ASSERT_TRUE(re.ok()) << c.pattern;
    re2::StringPiece m;
    ASSERT_TRUE(re.Match(c.text, 0, strlen(c.text), RE2::UNANCHORED, &m, 1)) << c.pattern;
    EXPECT_EQ(m.size(), strlen(c.text)) << c.pattern;  // the text is the longest match
    EXPECT_GE(MaxMatchBytes(c.pattern, c.case_sensitive), m.size()) << c.pattern;
  }
}

TEST(MaxMatchBytes, WhatItCannotReadIsUnbounded) {
  EXPECT_EQ(MaxMatchBytes("(ab"), kUnboundedMatch);
  EXPECT_EQ(MaxMatchBytes("ab)"), kUnboundedMatch);
  EXPECT_EQ(MaxMatchBytes("[ab"), kUnboundedMatch);
  EXPECT_EQ(MaxMatchBytes("(?#comment)"), kUnboundedMatch);
}

TEST(MaxMatchBytes, QuantifierAfterQuotedTextTakesItsLastCharacter) {
  EXPECT_EQ(MaxMatchBytes("\\Qab\\E{3}"), 4u);
  EXPECT_EQ(MaxMatchBytes("\\Qa.\\E+"), kUnboundedMatch);
}

// Whether `text` is, by the prefix pattern of `pattern`, a prefix of a match.
bool PrefixOfAMatch(const char* pattern, std::string_view text, bool case_sensitive = true) {
  MatchShape shape = ShapeOf(pattern, case_sensitive);
  EXPECT_TRUE(shape.prefixes.has_value()) << pattern;
  RE2::Options o;
  o.set_case_sensitive(case_sensitive);
  RE2 re(*shape.prefixes + "\\z", o);
  EXPECT_TRUE(re.ok()) << *shape.prefixes << ": " << re.error();
  return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), re);
}

TEST(ShapeOf, PrefixPatternMatchesEveryPrefixOfEveryMatch) {
  struct Case {
    const char* pattern;
    const char* match;
  };
  const Case cases[] = {
      {"BEGIN[a-z]+END", "BEGINabcEND"},
      {"(?i)key\\s*=\\s*(\\w{4,})", "KEY = abcdef"},
      {"\\b(?:TOP SECRET|SECRET)(?://[A-Z]+)*\\b", "TOP SECRET//SI//NOFORN"},
      {"a(?:bc){2,3}d?", "abcbcbcd"},
      {"\\Qa.b\\E+c", "a.bbbc"},
      {"(?s:x.y)", "x\ny"},
      {"秘密(?:区分|等級)[:：]\\s*(.+)", "秘密区分: 極秘"},
      {"^(?m)(?:foo|ba(?i)R)$", "baR"},
  };
  for (const Case& c : cases) {
    RE2 re(c.pattern);
    ASSERT_TRUE(re.ok()) << c.pattern;
    ASSERT_TRUE(RE2::FullMatch(c.match, re)) << c.pattern;
    std::string_view m = c.match;
    for (size_t len = 0; len <= m.size(); ++len) {
      if (len < m.size() && (static_cast<unsigned char>(m[len]) & 0xC0) == 0x80) continue;
      EXPECT_TRUE(PrefixOfAMatch(c.pattern, m.substr(0, len))) << c.pattern << " / " << m.substr(0, len);
    }
  }
}

TEST(ShapeOf, PrefixPatternRejectsWhatNoMatchStartsWith) {
  EXPECT_FALSE(PrefixOfAMatch("BEGIN[a-z]+END", "BEGIN12"));
  EXPECT_FALSE(PrefixOfAMatch("BEGIN[a-z]+END", "xBEGIN"));
  EXPECT_FALSE(PrefixOfAMatch("BEGIN[a-z]+END", "BEGINabcENDx"));
  EXPECT_FALSE(PrefixOfAMatch("a(?:bc){2,3}d?", "abcbcbcbc"));
  EXPECT_FALSE(PrefixOfAMatch("(?i)key=\\d+", "kex"));
  EXPECT_TRUE(PrefixOfAMatch("(?i)key=\\d+", "KEY=12"));
  EXPECT_TRUE(PrefixOfAMatch("key=\\d+", "KEY=12", false));
  EXPECT_FALSE(PrefixOfAMatch("key=\\d+", "KEY=12", true));
}

// The longest run of bytes in `bytes` in `text`.
size_t LongestRun(std::string_view text, const std::array<bool, 256>& bytes) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = bytes[static_cast<unsigned char>(c)] ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

std::string Repeat(std::string_view piece, size_t times) {
  std::string s;
  for (size_t i = 0; i < times; ++i) s += piece;
  return s;
}

TEST(ShapeOf, RunsSayWhatALongMatchIsMadeOf) {
  MatchShape s = ShapeOf("BEGIN[a-z]+END");
  EXPECT_EQ(s.outside_bytes, 8u);
  EXPECT_EQ(s.open_runs, 1u);
  EXPECT_EQ(s.MinRun(1024), 1016u);
  for (int c = 0; c < 256; ++c) EXPECT_EQ(s.run_bytes[c], c >= 'a' && c <= 'z') << c;

  s = ShapeOf("[ \\t]*x|a[0-9]*b[0-9]*c[0-9]*");
  EXPECT_EQ(s.outside_bytes, 3u);  // the longer branch: a, b and c
  EXPECT_EQ(s.open_runs, 3u);      // and three runs of digits
  EXPECT_EQ(s.MinRun(1024), (1024u - 3 + 2) / 3);
  EXPECT_TRUE(s.run_bytes[' '] && s.run_bytes['\t'] && s.run_bytes['7']);
  EXPECT_FALSE(s.run_bytes['a'] || s.run_bytes['x'] || s.run_bytes[0xE3]);
  // A repetition of an open run is one open run, of all its bytes.
  s = ShapeOf("x(?:a[0-9]*){3}");
  EXPECT_EQ(s.outside_bytes, 1u);
  EXPECT_EQ(s.open_runs, 1u);
  EXPECT_TRUE(s.run_bytes['a'] && s.run_bytes['0']);

  // Case folding: k and s also match characters past ASCII.
  s = ShapeOf("(?i)key\\s*=\\s*(\\w+)");
  EXPECT_EQ(s.open_runs, 3u);
  EXPECT_TRUE(s.run_bytes['Q'] && s.run_bytes['q'] && s.run_bytes['_'] && s.run_bytes['\n']);
  EXPECT_TRUE(s.run_bytes[0xE2] && s.run_bytes[0x84] && s.run_bytes[0xAA]);  // U+212A KELVIN SIGN
  EXPECT_FALSE(s.run_bytes['='] || s.run_bytes['-']);
  s = ShapeOf("x[\\s_-]+y", false);  // no letters in the run: ASCII only
  EXPECT_FALSE(s.run_bytes[0xE3]);

  // . takes a line break only under (?s).
  EXPECT_FALSE(ShapeOf("<.+>").run_bytes['\n']);
  EXPECT_TRUE(ShapeOf("(?s:<.+>)").run_bytes['\n']);
  EXPECT_TRUE(ShapeOf("(?s)<.+>").run_bytes['\n']);
  EXPECT_FALSE(ShapeOf("(?s:x)<.+>").run_bytes['\n']);
  EXPECT_TRUE(ShapeOf("<[^>]+>").run_bytes[0xE3]);

  // Repetitions bounded at kOpenRepetition bytes or less are not runs.
  s = ShapeOf("a{0,100}b+");
  EXPECT_EQ(s.outside_bytes, 100u);
  EXPECT_EQ(s.open_runs, 1u);
  EXPECT_FALSE(s.run_bytes['a']);
  s = ShapeOf("a{0,1000}b+");
  EXPECT_EQ(s.open_runs, 2u);
  EXPECT_TRUE(s.run_bytes['a']);

  // Nothing guaranteed when the rest can fill the span, or when unread.
  EXPECT_EQ(ShapeOf("[a-z]{2000}").MinRun(1024), 1024u);
  std::string eleven_hundred;
  for (char c = 'a'; c <= 'k'; ++c) eleven_hundred += std::string(1, c) + "{100}";
  EXPECT_EQ(ShapeOf(eleven_hundred + "z*").MinRun(1024), 0u);
  EXPECT_EQ(ShapeOf("x{100}(?:y{100}){10}z*").MinRun(1024), (1024u - 100 + 1) / 2);
  EXPECT_EQ(ShapeOf("a\\").MinRun(1024), 0u);
}

TEST(ShapeOf, EverySpanOfALongMatchHoldsTheRun) {
  struct Case {
    const char* pattern;
    std::string match;
  };
  const std::string words = Repeat("alpha beta\tgamma ", 200);
  const Case cases[] = {
      {"BEGIN[a-z]+END", "BEGIN" + std::string(3000, 'q') + "END"},
      {"(?:\\w+\\s)+x", words + "x"},
      {"(?:a[0-9]*){3}", "a" + std::string(700, '1') + "a" + std::string(700, '2') + "a" + std::string(700, '3')},
      {"k\\s*=\\s*\"[^\"\\n]*\"", "k" + std::string(600, ' ') + "=" + std::string(600, ' ') + "\"" +
                                          Repeat("秘密 x ", 200) + "\""},
      {"(?:[0-9]{1,4}-){100,}[0-9]+", Repeat("1234-", 500) + "9"},
      {"(?s)<<.*>>", "<<" + Repeat("line\n", 500) + ">>"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.pattern);
    ASSERT_TRUE(RE2::FullMatch(c.match, RE2(c.pattern)));
    MatchShape s = ShapeOf(c.pattern);
    ASSERT_GT(s.max_bytes, 1024u);
    const size_t span = 1024, run = s.MinRun(span);
    ASSERT_GT(run, 0u);
    for (size_t at = 0; at + span <= c.match.size(); at += 7) {
      ASSERT_GE(LongestRun(std::string_view(c.match).substr(at, span), s.run_bytes), run) << at;
    }
  }
}

}  // namespace
}  // namespace kimitsu::match
