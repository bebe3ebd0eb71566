#include "text/lines.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace kimitsu::text {
namespace {

constexpr size_t kBig = 1 << 20;

std::string_view LineText(std::string_view text, LineSpan s) { return text.substr(s.start, s.end - s.start); }

TEST(LinesTest, LineAroundWithEveryTerminator) {
  for (std::string nl : {"\n", "\r\n", "\r", "\v", "\f"}) {
    std::string text = "first" + nl + "極秘" + nl + nl + "last";
    size_t second = 5 + nl.size();
    for (size_t pos = second; pos <= second + 6; ++pos) {
      bool complete = false;
      LineSpan s = LineAround(text, pos, kBig, &complete);
      EXPECT_TRUE(complete);
      EXPECT_EQ(LineText(text, s), "極秘") << "nl " << int(nl[0]) << " pos " << pos;
    }
    LineSpan s = LineAround(text, 0, kBig);
    EXPECT_EQ(LineText(text, s), "first");
    s = LineAround(text, 3, kBig);
    EXPECT_EQ(s.start, 0u);
    EXPECT_EQ(s.end, 5u);
    s = LineAround(text, text.size(), kBig);
    EXPECT_EQ(LineText(text, s), "last");
    s = LineAround(text, text.size() + 100, kBig);  // clamped
    EXPECT_EQ(LineText(text, s), "last");
    // The blank line between the two terminators.
    size_t blank = second + 6 + nl.size();
    s = LineAround(text, blank, kBig);
    EXPECT_EQ(s.start, blank);
    EXPECT_EQ(s.end, blank);
  }
}

TEST(LinesTest, LineAroundTheLfOfCrLfIsTheLineItEnds) {
  std::string text = "abc\r\ndef";
  LineSpan s = LineAround(text, 4, kBig);  // the \n
  EXPECT_EQ(s.start, 0u);
  EXPECT_EQ(s.end, 3u);
  s = LineAround(text, 3, kBig);  // the \r
  EXPECT_EQ(s.start, 0u);
  EXPECT_EQ(s.end, 3u);
  s = LineAround(text, 5, kBig);
  EXPECT_EQ(LineText(text, s), "def");
}

TEST(LinesTest, LineAroundEmptyText) {
  bool complete = false;
  LineSpan s = LineAround("", 0, 10, &complete);
  EXPECT_EQ(s.start, 0u);
  EXPECT_EQ(s.end, 0u);
  EXPECT_TRUE(complete);
}

TEST(LinesTest, LineAroundBudget) {
  std::string text = "x\n" + std::string(1000, 'a') + "\ny";
  bool complete = true;
  LineSpan s = LineAround(text, 502, 100, &complete);
  EXPECT_FALSE(complete);
  EXPECT_EQ(s.start, 402u);
  EXPECT_EQ(s.end, 602u);
  // Only one side runs out.
  s = LineAround(text, 10, 100, &complete);
  EXPECT_FALSE(complete);
  EXPECT_EQ(s.start, 2u);
  EXPECT_EQ(s.end, 110u);
  // Exactly enough budget.
  s = LineAround(text, 2, 1000, &complete);
  EXPECT_TRUE(complete);
  EXPECT_EQ(s.start, 2u);
  EXPECT_EQ(s.end, 1002u);
  s = LineAround(text, 2, 999, &complete);
  EXPECT_FALSE(complete);
  EXPECT_EQ(s.end, 1001u);
  // A budget of zero finds only adjacent terminators.
  s = LineAround("a\n\nc", 2, 0, &complete);
  EXPECT_TRUE(complete);
  EXPECT_EQ(s.start, 2u);
  EXPECT_EQ(s.end, 2u);
  s = LineAround("a\nb\nc", 2, 0, &complete);
  EXPECT_FALSE(complete);
  EXPECT_EQ(s.start, 2u);
  EXPECT_EQ(s.end, 2u);
}

TEST(LinesTest, NonBlankLinesBeforeAndAfter) {
  // Lines: "HEADER", "", "  \t", "title", "body 1", "", "body 2", "FOOTER"
  std::string text = "HEADER\n\n  \t\ntitle\nbody 1\n\nbody 2\nFOOTER";
  auto at = [&](const char* s) { return text.find(s); };
  EXPECT_EQ(NonBlankLinesBefore(text, at("HEADER"), 10, kBig), 0u);
  EXPECT_EQ(NonBlankLinesBefore(text, at("title"), 10, kBig), 1u);
  EXPECT_EQ(NonBlankLinesBefore(text, at("title") + 3, 10, kBig), 1u);
  EXPECT_EQ(NonBlankLinesBefore(text, at("body 1"), 10, kBig), 2u);
  EXPECT_EQ(NonBlankLinesBefore(text, at("body 2"), 10, kBig), 3u);
  EXPECT_EQ(NonBlankLinesBefore(text, at("FOOTER"), 10, kBig), 4u);
  EXPECT_EQ(NonBlankLinesAfter(text, at("FOOTER"), 10, kBig), 0u);
  EXPECT_EQ(NonBlankLinesAfter(text, at("body 2"), 10, kBig), 1u);
  EXPECT_EQ(NonBlankLinesAfter(text, at("body 1"), 10, kBig), 2u);
  EXPECT_EQ(NonBlankLinesAfter(text, at("HEADER"), 10, kBig), 4u);
  // Limits.
  EXPECT_EQ(NonBlankLinesBefore(text, at("FOOTER"), 2, kBig), 3u);
  EXPECT_EQ(NonBlankLinesAfter(text, at("HEADER"), 3, kBig), 4u);
  EXPECT_EQ(NonBlankLinesBefore(text, at("FOOTER"), 4, kBig), 4u);
  EXPECT_EQ(NonBlankLinesBefore(text, at("FOOTER"), 0, kBig), 1u);
  EXPECT_EQ(NonBlankLinesAfter(text, at("FOOTER"), 0, kBig), 0u);
}

TEST(LinesTest, NonBlankLinesWithCrLfAndCr) {
  for (std::string nl : {"\r\n", "\r", "\v"}) {
    std::string text = "one" + nl + nl + "two" + nl + "three" + nl + " " + nl + "four";
    EXPECT_EQ(NonBlankLinesBefore(text, text.find("three"), 10, kBig), 2u) << int(nl[0]);
    EXPECT_EQ(NonBlankLinesBefore(text, text.find("four"), 10, kBig), 3u);
    EXPECT_EQ(NonBlankLinesAfter(text, text.find("one"), 10, kBig), 3u);
    EXPECT_EQ(NonBlankLinesAfter(text, text.find("three"), 10, kBig), 1u);
    EXPECT_EQ(NonBlankLinesAfter(text, 1, 10, kBig), 3u);
  }
}

TEST(LinesTest, FormFeedStartsAPage) {
  // Page 1: "a", "b"; page 2: "", "c", "d"; page 3: "e"
  std::string text = "a\nb\f\nc\nd\fe";
  EXPECT_EQ(NonBlankLinesBefore(text, text.find('b'), 10, kBig), 1u);
  EXPECT_EQ(NonBlankLinesAfter(text, text.find('b'), 10, kBig), 0u);
  EXPECT_EQ(NonBlankLinesBefore(text, text.find('c'), 10, kBig), 0u);
  EXPECT_EQ(NonBlankLinesBefore(text, text.find('d'), 10, kBig), 1u);
  EXPECT_EQ(NonBlankLinesAfter(text, text.find('c'), 10, kBig), 1u);
  EXPECT_EQ(NonBlankLinesAfter(text, text.find('d'), 10, kBig), 0u);
  EXPECT_EQ(NonBlankLinesBefore(text, text.find('e'), 10, kBig), 0u);
  EXPECT_EQ(NonBlankLinesAfter(text, text.find('a'), 10, kBig), 1u);
  EXPECT_EQ(NonBlankLinesAfter(text, text.find('e'), 10, kBig), 0u);
  // A position on the form feed itself: the line it ends, on the page before.
  EXPECT_EQ(NonBlankLinesBefore(text, 3, 10, kBig), 1u);
}

TEST(LinesTest, NonBlankLinesBudgetRunsOut) {
  std::string text = "header\n" + std::string(5000, ' ') + "\nline\nMARK\nafter\n" + std::string(5000, 'z');
  size_t mark = text.find("MARK");
  EXPECT_EQ(NonBlankLinesBefore(text, mark, 10, kBig), 2u);
  EXPECT_EQ(NonBlankLinesBefore(text, mark, 10, 100), 11u);  // budget ran out: limit + 1
  EXPECT_EQ(NonBlankLinesAfter(text, mark, 10, kBig), 2u);
  EXPECT_EQ(NonBlankLinesAfter(text, mark, 10, 100), 11u);
  // Within budget: counts exactly.
  // "line" fits in 10 bytes, the run of spaces before it does not.
  EXPECT_EQ(NonBlankLinesBefore(text, mark, 10, 10), 11u);
  EXPECT_EQ(NonBlankLinesBefore(text, mark, 0, 10), 1u);  // limit exceeded by "line" alone
  EXPECT_EQ(NonBlankLinesBefore(text, text.find("line"), 10, 4), 11u);
  // The line around the position itself is longer than the budget.
  std::string longline = "a\n" + std::string(1000, 'x') + "\nb";
  EXPECT_EQ(NonBlankLinesBefore(longline, 500, 10, 100), 11u);
  EXPECT_EQ(NonBlankLinesAfter(longline, 500, 10, 100), 11u);
  std::string tail = "a\n" + std::string(1000, 'x');
  EXPECT_EQ(NonBlankLinesAfter(tail, 500, 10, 100), 11u);
}

TEST(LinesTest, NonBlankLinesOnEmptyAndEdges) {
  EXPECT_EQ(NonBlankLinesBefore("", 0, 5, kBig), 0u);
  EXPECT_EQ(NonBlankLinesAfter("", 0, 5, kBig), 0u);
  EXPECT_EQ(NonBlankLinesBefore("abc", 99, 5, kBig), 0u);
  EXPECT_EQ(NonBlankLinesAfter("abc\n", 99, 5, kBig), 0u);
  EXPECT_EQ(NonBlankLinesAfter("abc\n\n\n", 0, 5, kBig), 0u);
  EXPECT_EQ(NonBlankLinesBefore("\n\n\nabc", 3, 5, kBig), 0u);
}

// LineAround and a simple reference agree on random texts.
TEST(LinesTest, RandomTextsAgreeWithReference) {
  for (uint32_t seed = 1; seed <= 500; ++seed) {
    std::mt19937 rng(seed);
    std::string text;
    size_t n = rng() % 200;
    for (size_t i = 0; i < n; ++i) text += "ab \t\n\r\f\v"[rng() % 8];
    // Reference: split into lines.
    std::vector<size_t> line_of(text.size() + 1), page_of(text.size() + 1);
    std::vector<LineSpan> spans;
    size_t line = 1, page = 1, start = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
      line_of[i] = line;
      page_of[i] = page;
      if (i == text.size()) {
        spans.push_back({start, i});
        break;
      }
      char c = text[i];
      if (c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        size_t end = i;
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
          line_of[i + 1] = line;
          page_of[i + 1] = page;
          ++i;
        }
        spans.push_back({start, end});
        ++line;
        if (c == '\f') ++page;
        start = i + 1;
      }
    }
    for (size_t i = 0; i <= text.size(); ++i) {
      LineSpan ref = spans[line_of[i] - 1];
      LineSpan got = LineAround(text, i, kBig);
      ASSERT_EQ(got.start, ref.start) << seed << " " << i;
      ASSERT_EQ(got.end, ref.end) << seed << " " << i;
      // Non-blank line counts against the reference.
      size_t before = 0, after = 0;
      for (size_t l = 0; l + 1 < line_of[i]; ++l) {
        if (page_of[spans[l].start] != page_of[i]) continue;
        std::string_view t = std::string_view(text).substr(spans[l].start, spans[l].end - spans[l].start);
        before += t.find_first_not_of(" \t") != std::string_view::npos;
      }
      for (size_t l = line_of[i]; l < spans.size(); ++l) {
        if (page_of[spans[l].start] != page_of[i]) continue;
        std::string_view t = std::string_view(text).substr(spans[l].start, spans[l].end - spans[l].start);
        after += t.find_first_not_of(" \t") != std::string_view::npos;
      }
      ASSERT_EQ(NonBlankLinesBefore(text, i, 1000, kBig), before) << seed << " " << i;
      ASSERT_EQ(NonBlankLinesAfter(text, i, 1000, kBig), after) << seed << " " << i;
    }
  }
}

}  // namespace
}  // namespace kimitsu::text
