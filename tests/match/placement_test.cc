// Placement: where a candidate marking stands on its line and page.
#include "match/placement.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace kimitsu::match {
namespace {

using policy::Placement;

struct Where {
  bool line, header, footer, line_start, prose;
  bool operator==(const Where&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Where& w) {
  return os << "{line=" << w.line << " header=" << w.header << " footer=" << w.footer
            << " line_start=" << w.line_start << " prose=" << w.prose << "}";
}

// The placements of the `nth` occurrence (0-based) of `needle` in `text`.
Where At(std::string_view text, std::string_view needle, size_t page_lines = 3, int nth = 0) {
  size_t pos = text.find(needle);
  for (int i = 0; i < nth && pos != std::string_view::npos; ++i) pos = text.find(needle, pos + 1);
  EXPECT_NE(pos, std::string_view::npos) << needle;
  if (pos == std::string_view::npos) return {};
  Placements p = PlacementsOf(text, pos, pos + needle.size(), page_lines);
  return {p[static_cast<size_t>(Placement::kLine)], p[static_cast<size_t>(Placement::kHeader)],
          p[static_cast<size_t>(Placement::kFooter)], p[static_cast<size_t>(Placement::kLineStart)],
          p[static_cast<size_t>(Placement::kProse)]};
}

// Shorthands for the common outcomes.
constexpr Where kEverywhere{true, true, true, true, true};    // alone on a one-line page
constexpr Where kAloneMidPage{true, false, false, true, true};
constexpr Where kLeadsMidPage{false, false, false, true, true};
constexpr Where kProseOnly{false, false, false, false, true};

// A page of `n` filler lines "line i" with `marking` as line `at` (1-based).
std::string Page(int n, int at, std::string_view marking) {
  std::string s;
  for (int i = 1; i <= n; ++i) {
    s += i == at ? std::string(marking) : "line " + std::to_string(i) + " of body text";
    s += '\n';
  }
  return s;
}

// ---------------------------------------------------------------------------
// Alone on a line

TEST(PlacementTest, AloneWithDecorations) {
  EXPECT_EQ(At("【特定秘密】", "特定秘密"), kEverywhere);
  EXPECT_EQ(At("■秘■", "秘"), kEverywhere);
  EXPECT_EQ(At("「秘」", "秘"), kEverywhere);
  EXPECT_EQ(At("-- SECRET --", "SECRET"), kEverywhere);
  EXPECT_EQ(At("  * 〔極秘〕 ★  ", "極秘"), kEverywhere);
  EXPECT_EQ(At("=====SECRET=====", "SECRET"), kEverywhere);
  EXPECT_EQ(At("(SECRET)", "SECRET"), kEverywhere);
  EXPECT_EQ(At("※秘※", "秘"), kEverywhere);
}

TEST(PlacementTest, AloneWithCaveatChain) {
  EXPECT_EQ(At("TOP SECRET//SI//NOFORN", "TOP SECRET"), kEverywhere);
  EXPECT_EQ(At("TOP SECRET//REL TO USA, GBR, AUS", "TOP SECRET"), kEverywhere);
  EXPECT_EQ(At("-- SECRET//NOFORN --", "SECRET"), kEverywhere);
  // Lower-case words after the chain make it a line start, not a banner.
  EXPECT_EQ(At("SECRET//NOFORN is a caveat", "SECRET"), (Where{false, true, true, true, true}));
  EXPECT_EQ(At("SECRET//noforn", "SECRET"), (Where{false, true, true, true, true}));
}

TEST(PlacementTest, AloneAmongOtherLines) {
  std::string text = Page(20, 10, "【特定秘密】");
  EXPECT_EQ(At(text, "特定秘密"), kAloneMidPage);
  EXPECT_EQ(At("line one\n  SECRET  \r\nline three\nline four\nline five\nline six\n", "SECRET"),
            (Where{true, true, false, true, true}));
}

// ---------------------------------------------------------------------------
// First on the line

TEST(PlacementTest, LineStartWithSeparators) {
  std::string mid = Page(20, 10, "秘 令和5年4月1日");
  EXPECT_EQ(At(mid, "秘"), kLeadsMidPage);
  EXPECT_EQ(At(Page(20, 10, "CUI Basic"), "CUI"), kLeadsMidPage);
  EXPECT_EQ(At(Page(20, 10, "CUI\tbasic"), "CUI"), kLeadsMidPage);
  EXPECT_EQ(At(Page(20, 10, "CUI  and then lower case"), "CUI"), kLeadsMidPage);  // two spaces
  EXPECT_EQ(At(Page(20, 10, "SECRET: project names"), "SECRET"), kLeadsMidPage);
  EXPECT_EQ(At(Page(20, 10, "SECRET/REL"), "SECRET"), kLeadsMidPage);
  EXPECT_EQ(At(Page(20, 10, "SECRET 2024"), "SECRET"), kLeadsMidPage);
  // A line start in the first lines of a page is a header.
  EXPECT_EQ(At("秘 令和5年4月1日\n本文\n", "秘"), (Where{false, true, true, true, true}));
}

TEST(PlacementTest, ProseIsNotALineStart) {
  EXPECT_EQ(At(Page(20, 10, "CUI is information the government creates"), "CUI"), kProseOnly);
  EXPECT_EQ(At(Page(20, 10, "CUI. You may share it"), "CUI"), kProseOnly);
  EXPECT_EQ(At(Page(20, 10, "CUI, and other markings"), "CUI"), kProseOnly);
  EXPECT_EQ(At(Page(20, 10, "SECRETARY of the board"), "SECRET"), kProseOnly);
  EXPECT_EQ(At(Page(20, 10, "秘密保持契約"), "秘"), kProseOnly);
  // Not first on the line.
  EXPECT_EQ(At(Page(20, 10, "The SECRET plan"), "SECRET"), kProseOnly);
  EXPECT_EQ(At("the report mentions TOP SECRET programs", "TOP SECRET"), kProseOnly);
  EXPECT_EQ(At("便秘", "秘"), kProseOnly);
  EXPECT_EQ(At("Page 1 SECRET", "SECRET"), kProseOnly);
  // Even in the first line of a page, prose is not a header.
  EXPECT_EQ(At("CUI is information\nmore\n", "CUI"), kProseOnly);
}

TEST(PlacementTest, SentenceEndAfterMarkingIsAlone) {
  // "CUI." ending its line: the period is a decoration.
  EXPECT_EQ(At(Page(20, 10, "CUI."), "CUI"), kAloneMidPage);
}

// ---------------------------------------------------------------------------
// Header and footer

TEST(PlacementTest, HeaderAndFooterAcrossFormFeedPages) {
  std::string text = Page(8, 8, "END1") + "\f" + Page(8, 1, "HEAD2") + "\f" + Page(8, 5, "MID3");
  // The last line of page 1, right before the form feed.
  EXPECT_EQ(At(text, "END1"), (Where{true, false, true, true, true}));
  // The first line after the form feed.
  EXPECT_EQ(At(text, "HEAD2"), (Where{true, true, false, true, true}));
  // Line 5 of 8 on page 3: 4 lines before, 3 after.
  EXPECT_EQ(At(text, "MID3"), kAloneMidPage);
  EXPECT_EQ(At(text, "MID3", 4), (Where{true, false, true, true, true}));
  EXPECT_EQ(At(text, "MID3", 5), (Where{true, true, true, true, true}));
}

TEST(PlacementTest, FormFeedDirectlyAfterMarking) {
  std::string text = Page(10, 0, "") + "SECRET\fnext page\n";
  EXPECT_EQ(At(text, "SECRET"), (Where{true, false, true, true, true}));
  std::string before = Page(10, 0, "") + "\fSECRET\n" + Page(10, 0, "");
  EXPECT_EQ(At(before, "SECRET"), (Where{true, true, false, true, true}));
}

TEST(PlacementTest, BlankLinesAreNotCounted) {
  std::string top = "\n\n   \n\t\n\nSECRET\n" + Page(10, 0, "");
  EXPECT_EQ(At(top, "SECRET", 1), (Where{true, true, false, true, true}));
  std::string bottom = Page(10, 0, "") + "SECRET\n\n  \n\t\n\n";
  EXPECT_EQ(At(bottom, "SECRET", 1), (Where{true, false, true, true, true}));
  // Blank lines between text lines do not count either: two text lines above.
  std::string gaps = "title\n\n\nsubtitle\n\n\nSECRET\n" + Page(10, 0, "");
  EXPECT_EQ(At(gaps, "SECRET", 3).header, true);
  EXPECT_EQ(At(gaps, "SECRET", 2).header, false);
}

TEST(PlacementTest, PageLinesParameter) {
  // SECRET is the third line with text; four lines follow it.
  std::string text = "a\nb\nSECRET\nc\nd\ne\nf\n";
  EXPECT_EQ(At(text, "SECRET", 1).header, false);
  EXPECT_EQ(At(text, "SECRET", 2).header, false);
  EXPECT_EQ(At(text, "SECRET", 3).header, true);
  EXPECT_EQ(At(text, "SECRET", 4).footer, false);
  EXPECT_EQ(At(text, "SECRET", 5).footer, true);
  EXPECT_EQ(At(text, "SECRET", 100), kEverywhere);
  // page_lines 1: only the very first and last lines with text.
  EXPECT_EQ(At("SECRET\nx\n", "SECRET", 1), (Where{true, true, false, true, true}));
  EXPECT_EQ(At("x\nSECRET\n", "SECRET", 1), (Where{true, false, true, true, true}));
}

TEST(PlacementTest, MiddleOfTwentyLinePageIsNeitherHeaderNorFooter) {
  std::string text = Page(20, 10, "SECRET");
  EXPECT_EQ(At(text, "SECRET"), kAloneMidPage);
  EXPECT_EQ(At(text, "SECRET", 9), kAloneMidPage);
  EXPECT_EQ(At(text, "SECRET", 10).header, true);   // 9 lines before
  EXPECT_EQ(At(text, "SECRET", 10).footer, false);  // 10 lines after
  EXPECT_EQ(At(text, "SECRET", 11).footer, true);
  // Header and footer lines of the same page.
  EXPECT_EQ(At(Page(20, 3, "SECRET"), "SECRET"), (Where{true, true, false, true, true}));
  EXPECT_EQ(At(Page(20, 4, "SECRET"), "SECRET"), kAloneMidPage);
  EXPECT_EQ(At(Page(20, 18, "SECRET"), "SECRET"), (Where{true, false, true, true, true}));
  EXPECT_EQ(At(Page(20, 17, "SECRET"), "SECRET"), kAloneMidPage);
}

TEST(PlacementTest, OtherLineEndings) {
  EXPECT_EQ(At("x\r\ny\r\nz\r\nw\r\nSECRET\r\nv\r\nu\r\nt\r\ns\r\n", "SECRET"), kAloneMidPage);
  EXPECT_EQ(At("x\ry\rz\rw\rSECRET\rv\ru\rt\rs\r", "SECRET"), kAloneMidPage);
  EXPECT_EQ(At("x\r\nSECRET\r\ny\r\n", "SECRET"), kEverywhere);
}

TEST(PlacementTest, VeryLongLineIsOnlyProse) {
  // The line is examined within a budget of a few KiB; beyond it nothing is claimed.
  std::string text = "SECRET " + std::string(10000, 'X') + "\n";
  EXPECT_EQ(At(text, "SECRET"), kProseOnly);
  std::string before = std::string(10000, 'X') + " SECRET\n";
  EXPECT_EQ(At(before, "SECRET"), kProseOnly);
}

TEST(PlacementTest, SpanAtTextEdges) {
  EXPECT_EQ(At("SECRET", "SECRET"), kEverywhere);
  Placements p = PlacementsOf("", 0, 0, 3);
  EXPECT_TRUE(p[static_cast<size_t>(Placement::kProse)]);
}

// ---------------------------------------------------------------------------
// PlacementFactor

TEST(PlacementFactorTest, BestSatisfiedPlacementWins) {
  const std::array<double, policy::kPlacementCount> factors = {1.0, 0.9, 0.7, 0.8, 0.1};
  Placement best = Placement::kProse;
  Placements prose{false, false, false, false, true};
  EXPECT_DOUBLE_EQ(PlacementFactor(factors, prose, &best), 0.1);
  EXPECT_EQ(best, Placement::kProse);

  Placements start{false, false, false, true, true};
  EXPECT_DOUBLE_EQ(PlacementFactor(factors, start, &best), 0.8);
  EXPECT_EQ(best, Placement::kLineStart);

  Placements header{false, true, false, true, true};
  EXPECT_DOUBLE_EQ(PlacementFactor(factors, header, &best), 0.9);
  EXPECT_EQ(best, Placement::kHeader);

  Placements all{true, true, true, true, true};
  EXPECT_DOUBLE_EQ(PlacementFactor(factors, all, &best), 1.0);
  EXPECT_EQ(best, Placement::kLine);
}

TEST(PlacementFactorTest, HigherFactorBeatsEnumOrder) {
  // A rule that values the page header over a line alone (like a 注意 stamp).
  const std::array<double, policy::kPlacementCount> factors = {0.5, 1.0, 0.7, 0.0, 0.0};
  Placement best = Placement::kProse;
  EXPECT_DOUBLE_EQ(PlacementFactor(factors, {true, true, false, true, true}, &best), 1.0);
  EXPECT_EQ(best, Placement::kHeader);
  EXPECT_DOUBLE_EQ(PlacementFactor(factors, {true, false, false, true, true}, &best), 0.5);
  EXPECT_EQ(best, Placement::kLine);
  // Ties go to the first placement in enum order.
  const std::array<double, policy::kPlacementCount> flat = {1.0, 1.0, 1.0, 1.0, 1.0};
  EXPECT_DOUBLE_EQ(PlacementFactor(flat, {false, true, true, true, true}, &best), 1.0);
  EXPECT_EQ(best, Placement::kHeader);
}

TEST(PlacementFactorTest, NothingSatisfiedIsZero) {
  const std::array<double, policy::kPlacementCount> factors = {1.0, 1.0, 1.0, 0.8, 0.1};
  Placement best = Placement::kLine;
  EXPECT_DOUBLE_EQ(PlacementFactor(factors, Placements{}, &best), 0.0);
  EXPECT_EQ(best, Placement::kLine);  // untouched
  EXPECT_DOUBLE_EQ(PlacementFactor(factors, {false, false, false, false, true}, nullptr), 0.1);
}

TEST(PlacementNameTest, Names) {
  EXPECT_STREQ(policy::PlacementName(Placement::kLine), "line");
  EXPECT_STREQ(policy::PlacementName(Placement::kHeader), "header");
  EXPECT_STREQ(policy::PlacementName(Placement::kFooter), "footer");
  EXPECT_STREQ(policy::PlacementName(Placement::kLineStart), "line_start");
  EXPECT_STREQ(policy::PlacementName(Placement::kProse), "prose");
}

}  // namespace
}  // namespace kimitsu::match
