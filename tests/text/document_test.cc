#include "text/document.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/utf8.h"
#include "text_samples.h"
#include "text_test_util.h"

namespace kimitsu::text {
namespace {

using test_util::ByteSoup;
using test_util::EncodedText;
using test_util::Hex;

// The byte span of characters [first, last) of an independently encoded text.
ByteSpan CharSpan(const EncodedText& t, size_t first, size_t last) {
  return {t.chars[first].start, t.chars[last - 1].end};
}

// Index of the character at which UTF-8 `needle` starts in the sample.
size_t CharIndexOf(const EncodedText& t, std::string_view needle) {
  std::string joined;
  for (size_t k = 0; k < t.chars.size(); ++k) {
    if (std::string_view(test_util::JoinUtf8(t)).substr(joined.size()).starts_with(needle)) return k;
    joined += t.chars[k].utf8;
  }
  ADD_FAILURE() << "not found: " << needle;
  return 0;
}

struct Enc {
  const char* label;
  const char* converter;  // nullptr: UTF-8
  Encoding encoding;
};
constexpr Enc kEncodings[] = {
    {"Shift_JIS", "windows-31j", Encoding::kShiftJis},
    {"EUC-JP", "EUC-JP", Encoding::kEucJp},
    {"UTF-16LE", "UTF-16LE", Encoding::kUtf16LE},
    {"UTF-8", nullptr, Encoding::kUtf8},
};

EncodedText EncodeFor(const Enc& e, std::string_view text) {
  if (e.converter == nullptr) return test_util::Utf8ByChar(text);
  if (e.encoding == Encoding::kUtf16LE) return test_util::EncodeByChar("UTF-16LE", text, "\xFF\xFE");
  return test_util::EncodeByChar(e.converter, text);
}

// A finding on ＳＥＣＲＥＴ maps to the bytes of those full-width characters in
// the caller's buffer, whatever its encoding.
TEST(DocumentTest, FullWidthFindingMapsToOriginalBytesThroughDecoding) {
  const std::string text = std::string(test_util::kJapaneseParagraphs[1]) +
                           "本書は「ＳＥＣＲＥＴ」扱いです。番号：１２３－４５６\n" +
                           test_util::kJapaneseParagraphs[2];
  for (const Enc& e : kEncodings) {
    EncodedText t = EncodeFor(e, text);
    Document doc;
    ASSERT_TRUE(doc.Load(t.bytes).ok());
    EXPECT_EQ(doc.decoded().encoding, e.encoding) << e.label;
    EXPECT_TRUE(doc.normalized_changed());
    size_t at = doc.text().find("SECRET");
    ASSERT_NE(at, std::string_view::npos) << e.label;
    size_t first = CharIndexOf(t, "ＳＥＣＲＥＴ");
    EXPECT_EQ(doc.ToInput(at, at + 6), CharSpan(t, first, first + 6)) << e.label;
    for (size_t k = 0; k < 6; ++k) {
      EXPECT_EQ(doc.ToInput(at + k, at + k + 1), CharSpan(t, first + k, first + k + 1)) << e.label << k;
    }
    at = doc.text().find("123");
    ASSERT_NE(at, std::string_view::npos);
    first = CharIndexOf(t, "１２３");
    EXPECT_EQ(doc.ToInput(at, at + 3), CharSpan(t, first, first + 3)) << e.label;
    // Text that NFKC left alone maps straight through decoding.
    at = doc.text().find("扱いです");
    first = CharIndexOf(t, "扱いです");
    EXPECT_EQ(doc.ToInput(at, at + 12), CharSpan(t, first, first + 4)) << e.label;
    // An empty span sits where it starts.
    ByteSpan empty = doc.ToInput(at, at);
    EXPECT_EQ(empty.start, t.chars[first].start);
    EXPECT_EQ(empty.end, empty.start);
  }
}

TEST(DocumentTest, DecodedTextIsWhatTheDocumentSays) {
  std::string sjis = test_util::EncodeWhole("windows-31j", "本書は「ＳＥＣＲＥＴ」扱い。ｶﾞｲﾄﾞ参照");
  Document doc;
  ASSERT_TRUE(doc.Load(sjis).ok());
  size_t at = doc.text().find("SECRET");
  ASSERT_NE(at, std::string_view::npos);
  EXPECT_EQ(doc.DecodedText(at, at + 6), "ＳＥＣＲＥＴ");
  EXPECT_EQ(doc.DecodedText(at + 1, at + 2), "Ｅ");
  at = doc.text().find("ガイド");
  EXPECT_EQ(doc.DecodedText(at, at + 3), "ｶﾞ");
  EXPECT_EQ(doc.DecodedText(at, at), "");
  EXPECT_EQ(doc.DecodedText(0, 9), "本書は");
}

TEST(DocumentTest, HalfWidthKatakanaAndCompositesThroughShiftJis) {
  const std::string text = std::string(test_util::kJapaneseParagraphs[4]) +
                           "ｶﾞｲﾄﾞ：㈱サンプル　ﾏﾙﾋ\n";
  for (const Enc& e : {kEncodings[0], kEncodings[1]}) {
    EncodedText t = EncodeFor(e, text);
    Document doc;
    ASSERT_TRUE(doc.Load(t.bytes).ok());
    ASSERT_EQ(doc.decoded().encoding, e.encoding) << e.label;
    // ｶﾞ (two characters) became ガ.
    size_t at = doc.text().find("ガイド");
    ASSERT_NE(at, std::string_view::npos);
    size_t first = CharIndexOf(t, "ｶﾞｲﾄﾞ");
    EXPECT_EQ(doc.ToInput(at, at + 3), CharSpan(t, first, first + 2)) << e.label;
    EXPECT_EQ(doc.ToInput(at + 3, at + 6), CharSpan(t, first + 2, first + 3)) << e.label;
    EXPECT_EQ(doc.ToInput(at, at + 9), CharSpan(t, first, first + 5)) << e.label;
    // ㈱ became (株): 株 alone maps to all of ㈱.
    at = doc.text().find("(株)");
    ASSERT_NE(at, std::string_view::npos);
    first = CharIndexOf(t, "㈱");
    EXPECT_EQ(doc.ToInput(at + 1, at + 4), CharSpan(t, first, first + 1)) << e.label;
    at = doc.text().find("マルヒ");
    first = CharIndexOf(t, "ﾏﾙﾋ");
    EXPECT_EQ(doc.ToInput(at, at + 9), CharSpan(t, first, first + 3)) << e.label;
  }
}

// Every character of every sample maps back to its bytes through both maps.
TEST(DocumentTest, EveryCharacterMapsBackWhenNothingNormalizes) {
  for (const Enc& e : kEncodings) {
    const std::string text = test_util::kJapaneseParagraphs[2];  // already NFKC
    EncodedText t = EncodeFor(e, text);
    Document doc;
    ASSERT_TRUE(doc.Load(t.bytes).ok());
    EXPECT_FALSE(doc.normalized_changed());
    ASSERT_EQ(doc.text(), text);
    size_t off = 0;
    for (const auto& c : t.chars) {
      ASSERT_EQ(doc.ToInput(off, off + c.utf8.size()), (ByteSpan{c.start, c.end})) << e.label;
      off += c.utf8.size();
    }
  }
}

TEST(DocumentTest, AsciiAndNfkcUtf8AreViewsOfTheInput) {
  std::string ascii = test_util::kEnglish;
  Document doc;
  ASSERT_TRUE(doc.Load(ascii).ok());
  EXPECT_EQ(doc.text().data(), ascii.data());
  EXPECT_FALSE(doc.normalized_changed());
  EXPECT_EQ(doc.ToInput(3, 9), (ByteSpan{3, 9}));
  std::string jp = test_util::kJapaneseParagraphs[2];
  ASSERT_TRUE(doc.Load(jp).ok());
  EXPECT_EQ(doc.text().data(), jp.data());
  EXPECT_EQ(doc.input().data(), jp.data());
}

TEST(DocumentTest, ReloadingForgetsThePreviousDocument) {
  Document doc;
  std::string sjis = test_util::EncodeWhole("windows-31j", "ＳＥＣＲＥＴ文書です。特定秘密の保護に関する法律に基づき開示を禁止します。");
  ASSERT_TRUE(doc.Load(sjis).ok());
  ASSERT_EQ(doc.decoded().encoding, Encoding::kShiftJis);
  ASSERT_TRUE(doc.normalized_changed());
  std::string plain = "plain text";
  ASSERT_TRUE(doc.Load(plain).ok());
  EXPECT_EQ(doc.decoded().encoding, Encoding::kUtf8);
  EXPECT_FALSE(doc.normalized_changed());
  EXPECT_EQ(doc.text().data(), plain.data());
  EXPECT_EQ(doc.ToInput(6, 10), (ByteSpan{6, 10}));
}

TEST(DocumentTest, EmptyInput) {
  Document doc;
  ASSERT_TRUE(doc.Load("").ok());
  EXPECT_EQ(doc.text(), "");
  EXPECT_EQ(doc.ToInput(0, 0), (ByteSpan{0, 0}));
}

void ExpectToInputInside(const Document& doc, std::mt19937& rng, const std::string& what) {
  size_t n = doc.text().size(), in = doc.input().size();
  ByteSpan whole = doc.ToInput(0, n);
  ASSERT_LE(whole.start, whole.end) << what;
  ASSERT_LE(whole.end, in) << what;
  for (int k = 0; k < 20; ++k) {
    size_t i = n ? rng() % (n + 1) : 0;
    size_t j = n ? rng() % (n + 1) : 0;
    if (i > j) std::swap(i, j);
    ByteSpan s = doc.ToInput(i, j);
    ASSERT_LE(s.start, s.end) << what << " [" << i << "," << j << ")";
    ASSERT_LE(s.end, in) << what << " [" << i << "," << j << ")";
    // Wider spans of the text map to wider spans of the input.
    ByteSpan wider = doc.ToInput(i > 0 ? i - 1 : 0, j < n ? j + 1 : n);
    ASSERT_LE(wider.start, s.start) << what;
    if (j > i) {
      ASSERT_GE(wider.end, s.end) << what;
    }
    ASSERT_GE(s.start, whole.start) << what;
    if (j > i) {
      ASSERT_LE(s.end, whole.end) << what;
    }
  }
}

TEST(DocumentTest, RandomBytesMapInsideTheInput) {
  Document doc;
  for (uint32_t seed = 1; seed <= 3000; ++seed) {
    ByteSoup soup(seed);
    std::string in = soup.Next();
    std::string what = "seed " + std::to_string(seed) + ": " + Hex(in, 80);
    ASSERT_TRUE(doc.Load(in).ok()) << what;
    ASSERT_TRUE(IsValidUtf8(doc.text())) << what;
    ExpectToInputInside(doc, soup.rng(), what);
  }
}

// Random text full of characters NFKC changes, in every encoding that can
// hold it: every character of the decoded text lands inside the span of the
// encoded character it came from.
TEST(DocumentTest, RandomNormalizingTextsMapToTheirCharacters) {
  const std::vector<std::string> pool = {"Ｓ", "Ｅ", "１", "　", "ｶ", "ﾞ", "ﾟ", "ﾊ", "㈱", "秘", "密", "の",
                                         "a", "B", "7", " ", "\n", "、", "（", "）", "ｰ", "①", "㌔"};
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    ByteSoup soup(seed);
    std::string text;
    size_t len = soup.Uniform(1, 80);
    for (size_t k = 0; k < len; ++k) text += pool[soup.Uniform(0, pool.size() - 1)];
    for (const Enc& e : kEncodings) {
      EncodedText t = EncodeFor(e, text);
      Document doc;
      DecodeOptions o;
      o.force = e.encoding;
      ASSERT_TRUE(doc.Load(t.bytes, o).ok());
      // Every character of the NFKC text maps to a span that starts and
      // ends on character boundaries of the encoded input.
      ByteSpan all = doc.ToInput(0, doc.text().size());
      ASSERT_EQ(all.start, t.chars.front().start) << e.label << " seed " << seed;
      ASSERT_EQ(all.end, t.chars.back().end) << e.label << " seed " << seed;
      std::string_view nt = doc.text();
      for (size_t d = 0, next = 0; d < nt.size(); d = next) {
        next = d + WellFormedSequenceLength(nt, d);
        ByteSpan s = doc.ToInput(d, next);
        // Both ends fall on character boundaries of the encoded text.
        bool start_ok = false, end_ok = false;
        for (const auto& c : t.chars) {
          start_ok |= c.start == s.start;
          end_ok |= c.end == s.end;
        }
        ASSERT_TRUE(start_ok && end_ok) << e.label << " seed " << seed << " byte " << d;
      }
    }
  }
}

TEST(DocumentTest, FiftyMegabyteSingleLines) {
  const size_t kSize = 50u << 20;
  Document doc;
  {
    std::string ascii;
    ascii.reserve(kSize);
    while (ascii.size() + 16 <= kSize) ascii += "confidential ab ";
    ASSERT_TRUE(doc.Load(ascii).ok());
    EXPECT_EQ(doc.decoded().encoding, Encoding::kUtf8);
    EXPECT_EQ(doc.text().data(), ascii.data());
    EXPECT_FALSE(doc.normalized_changed());
    EXPECT_EQ(doc.ToInput(kSize - 32, kSize - 16), (ByteSpan{kSize - 32, kSize - 16}));
  }
  {
    std::string jp;
    jp.reserve(kSize);
    while (jp.size() + 24 <= kSize) jp += "特定秘密の取扱注意";  // 27 bytes
    ASSERT_TRUE(doc.Load(jp).ok());
    EXPECT_EQ(doc.decoded().encoding, Encoding::kUtf8);
    EXPECT_EQ(doc.text().data(), jp.data());
    EXPECT_FALSE(doc.normalized_changed());
  }
  {
    // Japanese with full-width letters in Shift_JIS: decoded and normalized.
    std::string unit = test_util::EncodeWhole("windows-31j", "社外秘ＳＥＣＲＥＴ資料");
    std::string sjis;
    sjis.reserve(kSize);
    while (sjis.size() + unit.size() <= kSize) sjis += unit;
    ASSERT_TRUE(doc.Load(sjis).ok());
    EXPECT_EQ(doc.decoded().encoding, Encoding::kShiftJis);
    EXPECT_EQ(doc.decoded().replacements, 0u);
    EXPECT_TRUE(doc.normalized_changed());
    size_t units = sjis.size() / unit.size();
    std::string_view text = doc.text();
    ASSERT_EQ(text.size(), units * std::string("社外秘SECRET資料").size());
    size_t last = text.rfind("SECRET");
    ASSERT_NE(last, std::string_view::npos);
    size_t base = (units - 1) * unit.size();
    EXPECT_EQ(doc.ToInput(last, last + 6), (ByteSpan{base + 6, base + 18}));
  }
}

}  // namespace
}  // namespace kimitsu::text
