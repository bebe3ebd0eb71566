#include "text/normalize.h"

#include <gtest/gtest.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>

#include <cstdio>
#include <string>
#include <vector>

#include "text/utf8.h"
#include "text_samples.h"
#include "text_test_util.h"

namespace kimitsu::text {
namespace {

using test_util::ByteSoup;
using test_util::Hex;

// NFKC of the whole string by ICU, the reference.
std::string IcuNfkc(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  std::string out;
  icu::StringByteSink<std::string> sink(&out);
  nfkc->normalizeUTF8(0, icu::StringPiece(s.data(), static_cast<int32_t>(s.size())), sink, nullptr,
                      status);
  EXPECT_TRUE(U_SUCCESS(status));
  return out;
}

Normalized Nfkc(std::string_view s) {
  Normalized n;
  absl::Status st = NormalizeNfkc(s, n);
  EXPECT_TRUE(st.ok()) << st;
  return n;
}

struct Span {
  size_t start, end;
  bool operator==(const Span&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Span& s) {
  return os << "[" << s.start << "," << s.end << ")";
}
Span SourceOf(const Normalized& n, size_t b, size_t e) {
  return {n.map.SourceStart(b), n.map.SourceEnd(e)};
}

TEST(NormalizeTest, FullWidthLatinAndDigits) {
  std::string in = "ＳＥＣＲＥＴ";
  Normalized n = Nfkc(in);
  EXPECT_EQ(n.text, "SECRET");
  EXPECT_TRUE(n.changed());
  for (size_t k = 0; k < 6; ++k) EXPECT_EQ(SourceOf(n, k, k + 1), (Span{3 * k, 3 * k + 3})) << k;
  EXPECT_EQ(SourceOf(n, 0, 6), (Span{0, 18}));

  n = Nfkc("No.１２３号");
  EXPECT_EQ(n.text, "No.123号");
  EXPECT_EQ(SourceOf(n, 3, 6), (Span{3, 12}));
  EXPECT_EQ(SourceOf(n, 4, 5), (Span{6, 9}));
  EXPECT_EQ(SourceOf(n, 6, 9), (Span{12, 15}));  // 号 unchanged after the change
  EXPECT_EQ(SourceOf(n, 0, 3), (Span{0, 3}));
}

TEST(NormalizeTest, HalfWidthKatakana) {
  // ｶﾀｶﾅ: 3 bytes -> 3 bytes each, but changed.
  Normalized n = Nfkc("ｶﾀｶﾅ");
  EXPECT_EQ(n.text, "カタカナ");
  for (size_t k = 0; k < 4; ++k) EXPECT_EQ(SourceOf(n, 3 * k, 3 * k + 3), (Span{3 * k, 3 * k + 3}));
  // ｶﾞ is two characters that become one: ガ maps to both.
  n = Nfkc("ｶﾞｲﾄﾞ");
  EXPECT_EQ(n.text, "ガイド");
  EXPECT_EQ(SourceOf(n, 0, 3), (Span{0, 6}));
  EXPECT_EQ(SourceOf(n, 3, 6), (Span{6, 9}));
  EXPECT_EQ(SourceOf(n, 6, 9), (Span{9, 15}));
  EXPECT_EQ(SourceOf(n, 1, 2), (Span{0, 6}));  // inside ガ: the whole unit
  // ﾊﾟ: handakuten.
  n = Nfkc("ﾊﾟｽﾜｰﾄﾞ");
  EXPECT_EQ(n.text, "パスワード");
}

TEST(NormalizeTest, SquaredAndParenthesizedCharacters) {
  Normalized n = Nfkc("㈱サンプル");
  EXPECT_EQ(n.text, "(株)サンプル");
  EXPECT_EQ(SourceOf(n, 0, 5), (Span{0, 3}));
  EXPECT_EQ(SourceOf(n, 1, 4), (Span{0, 3}));  // 株 alone maps to all of ㈱
  EXPECT_EQ(SourceOf(n, 5, 8), (Span{3, 6}));
  n = Nfkc("⑴①㍿㌔ﬁ½");
  EXPECT_EQ(n.text, IcuNfkc("⑴①㍿㌔ﬁ½"));
  EXPECT_EQ(n.text, "(1)1株式会社キロfi1⁄2");
}

TEST(NormalizeTest, IdeographicSpaceAndFullWidthPunctuation) {
  Normalized n = Nfkc("社外秘　（第２版）");
  EXPECT_EQ(n.text, "社外秘 (第2版)");
  EXPECT_EQ(SourceOf(n, 9, 10), (Span{9, 12}));
  EXPECT_EQ(SourceOf(n, 10, 11), (Span{12, 15}));
}

TEST(NormalizeTest, AlreadyNormalizedIsAViewWithIdentityMap) {
  const char* texts[] = {
      "",
      "plain ASCII text, with punctuation: 3.14 & 1,000!\n",
      "特定秘密の保護に関する法律",
      test_util::kJapaneseParagraphs[2],
      "Ça coûte 10 € — naïve",
      "한국어 텍스트",
      "emoji 😀 and 𠮷",
  };
  for (const char* t : texts) {
    std::string in = t;
    ASSERT_EQ(IcuNfkc(in), in);
    Normalized n = Nfkc(in);
    EXPECT_FALSE(n.changed()) << t;
    EXPECT_TRUE(n.map.is_identity()) << t;
    EXPECT_EQ(n.text.data(), in.data()) << t;
    EXPECT_EQ(n.text.size(), in.size()) << t;
    EXPECT_TRUE(n.storage.empty()) << t;
  }
}

// An ASCII letter followed by a combining mark composes: the ASCII prefix is
// not normalized on its own.
TEST(NormalizeTest, CombiningMarkAfterAscii) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"e\xCC\x81", "é"},
      {"Cafe\xCC\x81 menu", "Café menu"},
      {"resume\xCC\x81", "resumé"},
      {"A\xCC\x8A", "Å"},
      {"a\xCC\x81\xCC\xA3", "\xE1\xBA\xA1\xCC\x81"},  // reordered: dot below first, then composed
  };
  for (const Case& c : cases) {
    Normalized n = Nfkc(c.in);
    EXPECT_EQ(n.text, IcuNfkc(c.in)) << Hex(c.in);
    EXPECT_EQ(n.text, c.out) << Hex(c.in);
    EXPECT_TRUE(n.changed());
    EXPECT_EQ(n.map.SourceStart(n.text.size()), std::string_view(c.in).size());
  }
  Normalized n = Nfkc("Cafe\xCC\x81 menu");
  EXPECT_EQ(SourceOf(n, 3, 5), (Span{3, 6}));  // é <- e + U+0301
  EXPECT_EQ(SourceOf(n, 0, 3), (Span{0, 3}));
  EXPECT_EQ(SourceOf(n, 5, 10), (Span{6, 11}));
  // Kana with a combining voiced mark composes too.
  n = Nfkc("か\xE3\x82\x99");
  EXPECT_EQ(n.text, "が");
  EXPECT_EQ(SourceOf(n, 0, 3), (Span{0, 6}));
}

// A reference segmentation: cut the input wherever the next character starts
// a normalization-independent segment; NFKC of the whole is the
// concatenation of NFKC of the segments, and the map must send each
// segment's output exactly back to that segment.
struct Segment {
  size_t src_start, src_end, dst_start, dst_end;
};
std::vector<Segment> ReferenceSegments(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  std::vector<size_t> cuts;
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    int32_t at = i;
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    if (at == 0 || nfkc->hasBoundaryBefore(c)) cuts.push_back(static_cast<size_t>(at));
  }
  cuts.push_back(s.size());
  std::vector<Segment> out;
  size_t dst = 0;
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    size_t len = IcuNfkc(s.substr(cuts[k], cuts[k + 1] - cuts[k])).size();
    out.push_back({cuts[k], cuts[k + 1], dst, dst + len});
    dst += len;
  }
  return out;
}

const std::vector<std::string>& Pool() {
  static const std::vector<std::string> pool = {
      "a", "Z", "e", "0", " ", "\n", ".", "-", "秘", "密", "社", "の", "カ", "ガ", "ｶ", "ﾞ", "ﾟ", "ﾊ",
      "ｱ", "Ｓ", "Ｅ", "１", "２", "　", "（", "）", "㈱", "㍿", "①", "ﬁ", "½", "™", "ｰ", "\xCC\x81",
      "\xCC\xA3", "\xE3\x82\x99", "\xE3\x82\x9A", "é", "Å", "ǅ", "한", "\xE1\x84\x80", "\xE1\x85\xA1",
      "ﷺ", "𝐀", "😀", "𠮷", "\xEF\xBB\xBF", "\xE2\x80\x8B", "Ⅻ", "ℌ", "µ", "ſ", "ẛ"};
  return pool;
}

TEST(NormalizeTest, RandomTextsMatchIcuAndMapSegmentsExactly) {
  const auto& pool = Pool();
  for (uint32_t seed = 1; seed <= 2000; ++seed) {
    ByteSoup soup(seed);
    std::string in;
    size_t len = soup.Uniform(0, 60);
    // Some texts start with a long ASCII run, which takes the fast path.
    if (seed % 4 == 0) in = std::string(soup.Uniform(1, 40), 'x');
    for (size_t k = 0; k < len; ++k) in += pool[soup.Uniform(0, pool.size() - 1)];
    std::string what = "seed " + std::to_string(seed) + ": " + in;
    Normalized n = Nfkc(in);
    std::string expect = IcuNfkc(in);
    ASSERT_EQ(n.text, expect) << what;
    ASSERT_EQ(n.changed(), expect != in) << what;
    if (!n.changed()) {
      ASSERT_EQ(n.text.data(), in.data());
      continue;
    }
    ASSERT_EQ(n.map.derived_length(), n.text.size());
    ASSERT_EQ(n.map.source_length(), in.size());
    for (const Segment& seg : ReferenceSegments(in)) {
      ASSERT_EQ(n.map.SourceStart(seg.dst_start), seg.src_start) << what;
      ASSERT_EQ(n.map.SourceEnd(seg.dst_end), seg.src_end) << what;
    }
    size_t prev = 0;
    for (size_t d = 0; d <= n.text.size(); ++d) {
      ASSERT_LE(prev, n.map.SourceStart(d)) << what;
      prev = n.map.SourceStart(d);
      ASSERT_LE(n.map.SourceEnd(d), in.size());
    }
  }
}

// Long ASCII runs inside the text: it is normalized stretch by stretch
// (ASCII copied, the rest through ICU), and a combining mark right after a
// run must still compose with the run's last letter.
TEST(NormalizeTest, LongAsciiRunsBetweenOtherTextMatchIcuAndMapSegmentsExactly) {
  const auto& pool = Pool();
  for (uint32_t seed = 1; seed <= 2000; ++seed) {
    ByteSoup soup(seed);
    std::string in;
    size_t len = soup.Uniform(1, 40);
    for (size_t k = 0; k < len; ++k) {
      if (soup.Uniform(0, 2) == 0) in += std::string(soup.Uniform(28, 70), "eaK s"[soup.Uniform(0, 4)]);
      in += pool[soup.Uniform(0, pool.size() - 1)];
    }
    std::string what = "seed " + std::to_string(seed) + ": " + in;
    Normalized n = Nfkc(in);
    std::string expect = IcuNfkc(in);
    ASSERT_EQ(n.text, expect) << what;
    if (!n.changed()) continue;
    ASSERT_EQ(n.map.derived_length(), n.text.size());
    ASSERT_EQ(n.map.source_length(), in.size());
    for (const Segment& seg : ReferenceSegments(in)) {
      ASSERT_EQ(n.map.SourceStart(seg.dst_start), seg.src_start) << what;
      ASSERT_EQ(n.map.SourceEnd(seg.dst_end), seg.src_end) << what;
    }
  }
}

TEST(NormalizeTest, ReuseKeepsNothingFromThePreviousText) {
  Normalized n;
  ASSERT_TRUE(NormalizeNfkc("ＳＥＣＲＥＴ", n).ok());
  EXPECT_TRUE(n.changed());
  std::string plain = "secret";
  ASSERT_TRUE(NormalizeNfkc(plain, n).ok());
  EXPECT_FALSE(n.changed());
  EXPECT_EQ(n.text.data(), plain.data());
  std::string jp = "秘密";
  ASSERT_TRUE(NormalizeNfkc(jp, n).ok());
  EXPECT_FALSE(n.changed());
  EXPECT_EQ(n.text.data(), jp.data());
}

TEST(NormalizeTest, LongTextWithChangesFarApart) {
  std::string in;
  for (int i = 0; i < 20000; ++i) in += (i % 1000 == 999) ? "ＳＥＣＲＥＴ" : "秘密の文書です。";
  Normalized n = Nfkc(in);
  ASSERT_EQ(n.text, IcuNfkc(in));
  EXPECT_LT(n.map.piece_count(), 200u);  // pieces per change, not per character
  size_t at = 0, src = 0;
  for (int i = 0; i < 20000; ++i) {
    if (i % 1000 == 999) {
      ASSERT_EQ(n.text.substr(at, 6), "SECRET");
      ASSERT_EQ(SourceOf(n, at, at + 6), (Span{src, src + 18}));
      at += 6;
      src += 18;
    } else {
      at += 24;
      src += 24;
    }
  }
}

// ICU's own map of the whole text (Edits, fine-grained), the reference for
// the map that AppendNfkc builds while it copies what needs no change and
// hands ICU only the rest.
OffsetMap IcuMap(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  std::string out;
  icu::StringByteSink<std::string> sink(&out);
  icu::Edits edits;
  nfkc->normalizeUTF8(0, icu::StringPiece(s.data(), static_cast<int32_t>(s.size())), sink, &edits, status);
  EXPECT_TRUE(U_SUCCESS(status));
  OffsetMap map;
  icu::Edits::Iterator it = edits.getFineIterator();
  while (it.next(status)) {
    if (it.hasChange()) {
      map.Append(static_cast<uint32_t>(it.oldLength()), static_cast<uint32_t>(it.newLength()));
    } else {
      map.AppendUnchanged(static_cast<uint64_t>(it.oldLength()));
    }
  }
  return map;
}

// Same text as ICU's and, byte for byte, the same map as ICU's edits give;
// or, unless `exact`, a map at least as fine: where ICU's slow path takes a
// character whose form is fixed together with a combining mark after it
// (㈐ + U+3099), the table maps each to its own bytes. Either way each
// segment (ReferenceSegments) maps exactly to its source.
void ExpectAsIcu(std::string_view in, const std::string& what, bool exact = true) {
  std::string out;
  OffsetMap map;
  ASSERT_TRUE(AppendNfkc(in, out, map).ok()) << what;
  ASSERT_EQ(out, IcuNfkc(in)) << what;
  OffsetMap ref = IcuMap(in);
  ASSERT_EQ(map.derived_length(), out.size()) << what;
  ASSERT_EQ(map.source_length(), in.size()) << what;
  for (size_t d = 0; d <= out.size(); ++d) {
    if (exact) {
      ASSERT_EQ(map.SourceStart(d), ref.SourceStart(d)) << what << " at " << d;
      ASSERT_EQ(map.SourceEnd(d), ref.SourceEnd(d)) << what << " at " << d;
    } else if (d < out.size()) {
      ASSERT_LE(ref.SourceStart(d), map.SourceStart(d)) << what << " at " << d;
      ASSERT_LE(map.SourceEnd(d + 1), ref.SourceEnd(d + 1)) << what << " at " << d;
      ASSERT_LT(map.SourceStart(d), map.SourceEnd(d + 1)) << what << " at " << d;
    }
  }
  for (const Segment& seg : ReferenceSegments(in)) {
    ASSERT_EQ(map.SourceStart(seg.dst_start), seg.src_start) << what;
    ASSERT_EQ(map.SourceEnd(seg.dst_end), seg.src_end) << what;
  }
}

// Every BMP character between others that take each of the paths (ASCII,
// kana and kanji copied as they are, full-width forms from the table, the
// rest through ICU), and before a combining mark.
TEST(NormalizeTest, EveryBmpCharacterInContextMatchesIcu) {
  for (UChar32 c = 0x80; c < 0x10000; ++c) {
    if (U_IS_SURROGATE(c)) continue;
    const std::string x = test_util::Utf8Of(c);
    const std::string in = "a" + x + "か" + x + x + "秘" + x + "\xE3\x82\x99" + x + "\xCC\x81" + "Ｓ" + x + "e";
    std::string out;
    OffsetMap map;
    ASSERT_TRUE(AppendNfkc(in, out, map).ok());
    ASSERT_EQ(out, IcuNfkc(in)) << "U+" << std::hex << c;
    // (The maps of a quarter of them, and of all CJK symbols, kana and
    // full-width forms: the sanitizer builds run this too.)
    if (c % 4 == 0 || (c >= 0x3000 && c < 0x3100) || c >= 0xFF00) {
      char name[16];
      std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
      ExpectAsIcu(in, name, /*exact=*/false);
    }
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// Long runs of text that is NFKC already (ASCII, kana, kanji, ideographic
// punctuation) around characters that change or compose, at every distance
// from the run's ends: text and map as ICU's.
TEST(NormalizeTest, KeptRunsAroundChangesMapAsIcu) {
  const auto& pool = Pool();
  const std::vector<std::string> kept = {"秘密の文書です。", "カタカナ、ひらがな", "plain ascii text ", "한국어 ", "Ça coûte 😀 "};
  for (uint32_t seed = 1; seed <= 1500; ++seed) {
    ByteSoup soup(seed);
    std::string in;
    const size_t parts = soup.Uniform(1, 10);
    for (size_t k = 0; k < parts; ++k) {
      for (size_t r = soup.Uniform(0, 6); r > 0; --r) in += kept[soup.Uniform(0, kept.size() - 1)];
      for (size_t r = soup.Uniform(0, 3); r > 0; --r) in += pool[soup.Uniform(0, pool.size() - 1)];
    }
    ExpectAsIcu(in, "seed " + std::to_string(seed) + ": " + in);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// Already NFKC but not only ASCII and characters that are NFKC-yes alone: a
// combining mark that composes with nothing. Still a view, with no copy.
TEST(NormalizeTest, UncomposableMarkLeavesTheTextAView) {
  std::string in = "秘密 x\xCC\xB8 is not composed";  // x + U+0338: no precomposed form
  ASSERT_EQ(IcuNfkc(in), in);
  Normalized n = Nfkc(in);
  EXPECT_FALSE(n.changed());
  EXPECT_EQ(n.text.data(), in.data());
}

}  // namespace
}  // namespace kimitsu::text
