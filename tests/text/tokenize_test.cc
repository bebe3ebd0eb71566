#include "text/tokenize.h"

#include <gtest/gtest.h>
#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "text/normalize.h"
#include "text_samples.h"
#include "text_test_util.h"

namespace kimitsu::text {
namespace {

using test_util::ByteSoup;

std::vector<std::string> TokenStrings(std::string_view text, const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const Token& t : tokens) out.emplace_back(text.substr(t.start, t.end - t.start));
  return out;
}

std::vector<std::string> Tokens(Tokenizer& tk, std::string_view text) {
  std::vector<Token> tokens;
  tk.Tokenize(text, tokens);
  return TokenStrings(text, tokens);
}

// The reference tokens: ICU's segments over the whole text (its own break
// iterator, made here) that hold a letter, a digit or an ideograph.
std::vector<std::string> ReferenceTokens(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  bi->setText(ut, status);
  EXPECT_TRUE(U_SUCCESS(status));
  std::vector<std::string> out;
  int32_t prev = bi->first();
  for (int32_t b = bi->next(); b != icu::BreakIterator::DONE; prev = b, b = bi->next()) {
    std::string_view seg = text.substr(static_cast<size_t>(prev), static_cast<size_t>(b - prev));
    bool wordy = false;
    for (UChar32 c : test_util::CodePoints(seg)) {
      wordy |= u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_isdigit(c) ||
               u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC);
    }
    if (wordy) out.emplace_back(seg);
  }
  utext_close(ut);
  return out;
}

std::vector<size_t> IcuBounds(Tokenizer& tk, std::string_view text) {
  std::vector<size_t> b;
  tk.IcuBoundaries(text, b);
  return b;
}

TEST(TokenizeTest, IcuLoads) {
  Tokenizer tk;
  ASSERT_TRUE(tk.ok());
}

TEST(TokenizeTest, EnglishContractionsNumbersAndNames) {
  Tokenizer tk;
  std::string text = "I can't meet O'Neil at 3.14 or with 1,000 people; it's 1,000.50 each.";
  std::vector<std::string> expect = {"I",  "can't", "meet",   "O'Neil", "at",       "3.14",
                                     "or", "with",  "1,000", "people", "it's", "1,000.50", "each"};
  EXPECT_EQ(Tokens(tk, text), expect);
  EXPECT_EQ(ReferenceTokens(text), expect);
  EXPECT_EQ(IcuBounds(tk, "can't"), (std::vector<size_t>{0, 5}));
  EXPECT_EQ(IcuBounds(tk, "O'Neil"), (std::vector<size_t>{0, 6}));
  EXPECT_FALSE(tk.IsBoundary(text, text.find("'t")));
  EXPECT_FALSE(tk.IsBoundary(text, text.find(".14")));
  EXPECT_TRUE(tk.IsBoundary(text, text.find("meet")));
  // A trailing period or apostrophe is not part of the word.
  EXPECT_EQ(Tokens(tk, "end. the dogs' bowl"), (std::vector<std::string>{"end", "the", "dogs", "bowl"}));
  EXPECT_EQ(Tokens(tk, "snake_case and __init__ x_1"),
            (std::vector<std::string>{"snake_case", "and", "__init__", "x_1"}));
}

TEST(TokenizeTest, UrlsAndEmailAddresses) {
  Tokenizer tk;
  std::string url = "see https://www.example.com/path/to?q=1&x=abc now";
  std::vector<std::string> tokens = Tokens(tk, url);
  EXPECT_EQ(tokens, ReferenceTokens(url));
  EXPECT_NE(std::find(tokens.begin(), tokens.end(), "www.example.com"), tokens.end());
  EXPECT_NE(std::find(tokens.begin(), tokens.end(), "https"), tokens.end());
  EXPECT_EQ(tokens.front(), "see");
  EXPECT_EQ(tokens.back(), "now");
  // ':' does not join letters in ICU's root rules.
  EXPECT_TRUE(tk.IsBoundary(url, url.find(':')));

  std::string mail = "mail ops@example.com or a.b-c@mail.example.co.jp today";
  tokens = Tokens(tk, mail);
  EXPECT_EQ(tokens, ReferenceTokens(mail));
  // example.com is one token whatever ICU does with '@' (ICU 72 joins
  // addresses into one word; other versions split at '@').
  bool found = false;
  for (const auto& t : tokens) found |= t.find("example.com") != std::string::npos;
  EXPECT_TRUE(found);
  EXPECT_FALSE(tk.IsBoundary(mail, mail.find("example") + 3));
}

TEST(TokenizeTest, JapaneseDictionarySegmentation) {
  Tokenizer tk;
  // 便秘 is one word: 秘 inside it is not a word of its own.
  EXPECT_EQ(IcuBounds(tk, "便秘"), (std::vector<size_t>{0, 6}));
  EXPECT_FALSE(tk.IsBoundary("便秘", 3));
  std::string s = "この薬は便秘に効く";
  EXPECT_EQ(Tokens(tk, s), (std::vector<std::string>{"この", "薬", "は", "便秘", "に", "効く"}));
  EXPECT_FALSE(tk.IsBoundary(s, s.find("秘")));
  EXPECT_TRUE(tk.IsBoundary(s, s.find("便")));
  EXPECT_TRUE(tk.IsBoundary(s, s.find("に")));

  // 「秘」: the stamp stands alone, a boundary on both sides.
  s = "「秘」";
  EXPECT_TRUE(tk.IsBoundary(s, 3));
  EXPECT_TRUE(tk.IsBoundary(s, 6));
  EXPECT_EQ(Tokens(tk, s), (std::vector<std::string>{"秘"}));
  s = "書類に「秘」の印がある";
  size_t at = s.find("秘");
  EXPECT_TRUE(tk.IsBoundary(s, at));
  EXPECT_TRUE(tk.IsBoundary(s, at + 3));
  s = "【秘】取扱注意";
  EXPECT_TRUE(tk.IsBoundary(s, 3));
  EXPECT_TRUE(tk.IsBoundary(s, 6));

  // 秘密保持: no boundary between 秘 and 密.
  s = "秘密保持";
  EXPECT_FALSE(tk.IsBoundary(s, 3));
  s = "秘密保持契約を締結した";
  EXPECT_FALSE(tk.IsBoundary(s, 3));
  EXPECT_TRUE(tk.IsBoundary(s, 6));  // ICU: 秘密 | 保持 | 契約
  EXPECT_EQ(IcuBounds(tk, "秘密保持契約"), (std::vector<size_t>{0, 6, 12, 18}));

  // Mixed scripts.
  s = "SECRET文書と第2四半期のreport";
  EXPECT_EQ(Tokens(tk, s), ReferenceTokens(s));
  EXPECT_TRUE(tk.IsBoundary(s, 6));  // SECRET | 文書
  EXPECT_FALSE(tk.IsBoundary(s, 2));
}

TEST(TokenizeTest, FullWidthInputAfterNfkc) {
  Tokenizer tk;
  Normalized n;
  ASSERT_TRUE(NormalizeNfkc("ＳＥＣＲＥＴ　ｄｏｃｕｍｅｎｔ　１２３，４５６円", n).ok());
  EXPECT_EQ(n.text, "SECRET document 123,456円");
  EXPECT_EQ(Tokens(tk, n.text), (std::vector<std::string>{"SECRET", "document", "123,456", "円"}));
  ASSERT_TRUE(NormalizeNfkc("ﾏﾙﾋ（秘）ｶﾞｲﾄﾞ", n).ok());
  EXPECT_EQ(n.text, "マルヒ(秘)ガイド");
  EXPECT_EQ(Tokens(tk, n.text), ReferenceTokens(n.text));
  size_t at = n.text.find("秘");
  EXPECT_TRUE(tk.IsBoundary(n.text, at));
  EXPECT_TRUE(tk.IsBoundary(n.text, at + 3));
}

TEST(TokenizeTest, EdgesAndEmptyText) {
  Tokenizer tk;
  EXPECT_EQ(IcuBounds(tk, ""), (std::vector<size_t>{0}));
  std::vector<size_t> b;
  AsciiWordBoundaries("", b);
  EXPECT_EQ(b, (std::vector<size_t>{0}));
  EXPECT_TRUE(tk.IsBoundary("", 0));
  EXPECT_TRUE(tk.IsBoundary("abc", 0));
  EXPECT_TRUE(tk.IsBoundary("abc", 3));
  EXPECT_TRUE(tk.IsBoundary("abc", 10));  // past the end
  EXPECT_FALSE(tk.IsBoundary("秘密", 1));  // inside a character
  EXPECT_FALSE(tk.IsBoundary("秘密", 2));
  EXPECT_TRUE(Tokens(tk, "").empty());
  EXPECT_TRUE(Tokens(tk, "  \n\t ").empty());
  EXPECT_TRUE(Tokens(tk, "... --- !!!").empty());
  EXPECT_EQ(Tokens(tk, "\r\nword\r\n"), (std::vector<std::string>{"word"}));
}

TEST(TokenizeTest, WhitespaceNextToNonAsciiCharacters) {
  Tokenizer tk;
  std::vector<size_t> icu;
  const char* lines[] = {
      "秘密\xE3\x80\x80 文書",      // U+3000 then a space: WB3d joins them
      "秘密 \xE3\x80\x80文書",      // a space then U+3000
      "秘密\t\xE3\x80\x80文書",     // a tab is no WSegSpace
      "a \xCC\x81" "b",              // a combining mark attaches to the space (WB4)
      "a \xE2\x80\x8D\xF0\x9F\x98\x80", // a ZWJ attaches to the space
      "a\t\xCC\x81" "b",
      "a\n\xCC\x81" "b",             // but not to a line end (WB3a)
      "\xCC\x81 \xE3\x80\x80",
  };
  for (const char* line : lines) {
    std::string s = line;
    tk.IcuBoundaries(s, icu);
    std::set<size_t> bset(icu.begin(), icu.end());
    for (size_t p = 0; p <= s.size(); ++p) {
      EXPECT_EQ(tk.IsBoundary(s, p), bset.count(p) > 0) << test_util::Hex(s) << " pos " << p;
    }
    EXPECT_EQ(Tokens(tk, s), ReferenceTokens(s)) << test_util::Hex(s);
  }
  EXPECT_FALSE(tk.IsBoundary("秘密\xE3\x80\x80 文書", 9));
  EXPECT_FALSE(tk.IsBoundary("a \xCC\x81" "b", 2));
}

// Any bytes at all: no crash, no read outside the text (run under ASan).
TEST(TokenizeTest, ArbitraryBytesAreSafe) {
  Tokenizer tk;
  std::vector<Token> tokens;
  for (uint32_t seed = 1; seed <= 1000; ++seed) {
    ByteSoup soup(seed);
    std::string s = soup.Next(200);
    // Exact-size heap copy so that a read past the end is caught.
    std::unique_ptr<char[]> buf(new char[s.size() + 1]);
    std::copy(s.begin(), s.end(), buf.get());
    std::string_view v(buf.get(), s.size());
    tokens.clear();
    tk.Tokenize(v, tokens);
    for (const Token& t : tokens) ASSERT_LE(t.end, v.size());
    for (size_t p = 0; p <= v.size() + 1; ++p) (void)tk.IsBoundary(v, p);
  }
}

// The ASCII fast path is held equal to ICU on random strings drawn from an
// alphabet rich in the characters the word-break rules care about.
TEST(TokenizeTest, AsciiFastPathEqualsIcu) {
  static const std::string kAlphabet =
      "aZq09_.,;:'\" \t\r\n\f\v-/@#!?$%&()*+<=>[]\\^`{|}~\x01\x1B\x7F";
  Tokenizer tk;
  std::vector<size_t> fast, icu;
  for (uint32_t seed = 1; seed <= 6000; ++seed) {
    ByteSoup soup(seed);
    size_t len = soup.Uniform(0, 24);
    // Bias toward letters and digits so that the mid-word rules get context.
    std::string s;
    for (size_t i = 0; i < len; ++i) {
      size_t r = soup.Uniform(0, 2 * kAlphabet.size());
      s += r < kAlphabet.size() ? kAlphabet[r] : "ab19"[r % 4];
    }
    AsciiWordBoundaries(s, fast);
    tk.IcuBoundaries(s, icu);
    ASSERT_EQ(fast, icu) << "seed " << seed << " \"" << s << "\"";
    ASSERT_EQ(Tokens(tk, s), ReferenceTokens(s)) << "seed " << seed << " \"" << s << "\"";
    std::set<size_t> bset(icu.begin(), icu.end());
    for (size_t p = 0; p <= s.size(); ++p) {
      ASSERT_EQ(tk.IsBoundary(s, p), bset.count(p) > 0) << "seed " << seed << " pos " << p << " \"" << s << "\"";
    }
  }
}

// IsBoundary, which segments only a window around the position, agrees with
// ICU on the whole line at every byte of mixed Japanese/English lines.
TEST(TokenizeTest, IsBoundaryAgreesWithIcuOnMixedLines) {
  static const std::vector<std::string> kPieces = {
      "便秘", "秘", "秘密", "秘密保持", "社外秘", "取扱注意", "特定秘密", "の", "は", "を", "、", "。",
      "「", "」", "【", "】", "（", "）", "カタカナ", "ﾏﾙﾋ", "ｶﾞ", "漢字", "情報", "文書", "契約",
      "SECRET", "Confidential", "can't", "O'Neil", "3.14", "1,000", "2024", "ops@example.com",
      "https://a.example/x?y=1", "e.g.", "foo_bar", " ", " ", "  ", "\t", "\n", "\r\n", ":", ";",
      "-", "/", ".", ",", "'", "\"", "\xCC\x81", "\xE3\x82\x99", "\xE2\x80\x8D", "😀", "👍🏽",
      "🇯🇵", "Ｓ", "１２", "é", "한국", "ไทย", "\xC2\xA0", "\xE3\x80\x80"};
  Tokenizer tk;
  std::vector<size_t> icu;
  for (uint32_t seed = 1; seed <= 1500; ++seed) {
    ByteSoup soup(seed);
    std::string line;
    size_t n = soup.Uniform(1, 20);
    for (size_t i = 0; i < n; ++i) {
      const std::string& p = kPieces[soup.Uniform(0, kPieces.size() - 1)];
      if (line.size() + p.size() >= 150) break;
      line += p;
    }
    tk.IcuBoundaries(line, icu);
    std::set<size_t> bset(icu.begin(), icu.end());
    for (size_t p = 0; p <= line.size(); ++p) {
      ASSERT_EQ(tk.IsBoundary(line, p), bset.count(p) > 0)
          << "seed " << seed << " pos " << p << " line \"" << line << "\"";
    }
    ASSERT_EQ(Tokens(tk, line), ReferenceTokens(line)) << "seed " << seed << " \"" << line << "\"";
  }
}

// IsBoundary segments at most a few hundred bytes around the position. On
// long runs of Japanese without spaces (normal prose) it still agrees with
// ICU over the whole run, here at every character of a 13 KB run.
TEST(TokenizeTest, IsBoundaryOnLongRunsWithoutSpaces) {
  std::string run;
  for (const char* p : test_util::kJapaneseParagraphs) {
    for (const char* c = p; *c; ++c) {
      if (*c != '\n' && *c != ' ') run += *c;
    }
  }
  for (int i = 0; i < 3; ++i) run += run;
  ASSERT_GT(run.size(), 10000u);
  Tokenizer tk;
  std::vector<size_t> icu;
  tk.IcuBoundaries(run, icu);
  std::set<size_t> bset(icu.begin(), icu.end());
  for (size_t p = 0; p <= run.size(); ++p) {
    ASSERT_EQ(tk.IsBoundary(run, p), bset.count(p) > 0) << "pos " << p;
  }
}

// Tokens never span ASCII whitespace and always lie inside the text, in order.
TEST(TokenizeTest, TokensOnRandomUtf8AreOrderedAndInside) {
  Tokenizer tk;
  for (uint32_t seed = 1; seed <= 500; ++seed) {
    ByteSoup soup(seed);
    std::string s;
    size_t n = soup.Uniform(0, 80);
    for (size_t i = 0; i < n; ++i) {
      s += soup.Uniform(0, 3) == 0 ? std::string(1, " \n\ta.,1"[soup.Uniform(0, 6)])
                                   : test_util::Utf8Of(soup.RandomScalar());
    }
    std::vector<Token> tokens;
    tk.Tokenize(s, tokens);
    size_t prev = 0;
    for (const Token& t : tokens) {
      ASSERT_LE(prev, t.start);
      ASSERT_LT(t.start, t.end);
      ASSERT_LE(t.end, s.size());
      for (size_t k = t.start; k < t.end; ++k) ASSERT_EQ(std::string(" \n\t").find(s[k]), std::string::npos);
      ASSERT_TRUE(tk.IsBoundary(s, t.start)) << "seed " << seed << " at " << t.start << " " << test_util::Hex(s.substr(t.start > 4 ? t.start - 4 : 0, 12));
      ASSERT_TRUE(tk.IsBoundary(s, t.end)) << "seed " << seed << " at " << t.end << " " << test_util::Hex(s.substr(t.end > 4 ? t.end - 4 : 0, 12));
      prev = t.end;
    }
  }
}

}  // namespace
}  // namespace kimitsu::text
