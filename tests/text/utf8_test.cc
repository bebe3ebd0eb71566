#include "text/utf8.h"

#include <gtest/gtest.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <string>
#include <vector>

#include "text/offset_map.h"
#include "text_test_util.h"

namespace kimitsu::text {
namespace {

using test_util::ByteSoup;
using test_util::Hex;

// Reference reading of arbitrary bytes with ICU's U8_NEXT, which since ICU 60
// consumes exactly one maximal ill-formed subpart per error.
struct RefSegment {
  size_t start, end;
  bool valid;
};
std::vector<RefSegment> IcuSegments(std::string_view s) {
  std::vector<RefSegment> out;
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    out.push_back({static_cast<size_t>(start), static_cast<size_t>(i), c >= 0});
  }
  return out;
}

TEST(Utf8Test, AsciiPrefixEveryLengthAndPosition) {
  for (size_t len = 0; len <= 40; ++len) {
    std::string s(len, 'a');
    EXPECT_TRUE(IsAscii(s));
    EXPECT_EQ(AsciiPrefixLength(s), len);
    for (size_t pos = 0; pos < len; ++pos) {
      for (unsigned char hi : {0x80, 0xC3, 0xFF}) {
        std::string t = s;
        t[pos] = static_cast<char>(hi);
        EXPECT_FALSE(IsAscii(t)) << len << " " << pos;
        EXPECT_EQ(AsciiPrefixLength(t), pos) << len << " " << pos;
      }
    }
  }
  // NUL and DEL are ASCII.
  EXPECT_TRUE(IsAscii(std::string("\0\x7F\0", 3)));
}

TEST(Utf8Test, AsciiPrefixOfUnalignedView) {
  std::string buf = "xxxxxxxabcdefghijklmnop\x80qrs";
  for (size_t off = 0; off < 8; ++off) {
    std::string_view v(buf.data() + off, buf.size() - off);
    EXPECT_EQ(AsciiPrefixLength(v), 23 - off);
  }
}

TEST(Utf8Test, WellFormedSequenceTableBoundaries) {
  struct Case {
    const char* bytes;
    size_t len;
  };
  const Case cases[] = {
      {"\x7F", 1},          {"\xC2\x80", 2},          {"\xDF\xBF", 2},
      {"\xC0\x80", 0},      {"\xC1\xBF", 0},          {"\xC2\x7F", 0},
      {"\xC2\xC0", 0},      {"\xC2", 0},              {"\xE0\xA0\x80", 3},
      {"\xE0\x9F\xBF", 0},  {"\xE1\x80\x80", 3},      {"\xEC\xBF\xBF", 3},
      {"\xED\x80\x80", 3},  {"\xED\x9F\xBF", 3},      {"\xED\xA0\x80", 0},
      {"\xED\xBF\xBF", 0},  {"\xEE\x80\x80", 3},      {"\xEF\xBF\xBF", 3},
      {"\xEF\xBF", 0},      {"\xF0\x90\x80\x80", 4},  {"\xF0\x8F\xBF\xBF", 0},
      {"\xF3\xBF\xBF\xBF", 4}, {"\xF4\x8F\xBF\xBF", 4}, {"\xF4\x90\x80\x80", 0},
      {"\xF5\x80\x80\x80", 0}, {"\xFF", 0},            {"\x80", 0},
      {"\xF0\x9F\x98", 0},
  };
  for (const auto& c : cases) {
    std::string s = c.bytes;
    EXPECT_EQ(WellFormedSequenceLength(s, 0), c.len) << Hex(s);
  }
}

TEST(Utf8Test, WellFormedSequenceLengthAgreesWithIcuOnAllTwoByteHeads) {
  // Every lead byte with every second byte, followed by two continuation bytes
  // (so only the first two bytes can make a sequence ill-formed) and also cut
  // after two bytes.
  for (int a = 0x80; a <= 0xFF; ++a) {
    for (int b = 0; b <= 0xFF; ++b) {
      for (std::string tail : {std::string("\x80\xBF"), std::string()}) {
        std::string s = {static_cast<char>(a), static_cast<char>(b)};
        s += tail;
        int32_t i = 0;
        UChar32 c;
        U8_NEXT(s.data(), i, static_cast<int32_t>(s.size()), c);
        size_t expect = c >= 0 ? static_cast<size_t>(i) : 0;
        ASSERT_EQ(WellFormedSequenceLength(s, 0), expect) << Hex(s);
      }
    }
  }
}

TEST(Utf8Test, DecodeAndAppendRoundTripEveryScalarValue) {
  std::string s;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    s.clear();
    AppendUtf8(cp, s);
    ASSERT_EQ(s, test_util::Utf8Of(static_cast<UChar32>(cp))) << std::hex << static_cast<uint32_t>(cp);
    ASSERT_EQ(WellFormedSequenceLength(s, 0), s.size());
    size_t i = 0;
    ASSERT_EQ(DecodeAt(s, i), cp);
    ASSERT_EQ(i, s.size());
  }
}

TEST(Utf8Test, ValidPrefixLength) {
  EXPECT_EQ(ValidUtf8PrefixLength(""), 0u);
  EXPECT_EQ(ValidUtf8PrefixLength("abc"), 3u);
  EXPECT_EQ(ValidUtf8PrefixLength("秘密"), 6u);
  EXPECT_EQ(ValidUtf8PrefixLength("秘密\xE5\xAF"), 6u);     // truncated third character
  EXPECT_EQ(ValidUtf8PrefixLength("abcdefghij\xFF秘"), 10u);  // after an 8-byte ASCII word
  EXPECT_EQ(ValidUtf8PrefixLength("\xED\xA0\x80"), 0u);
  EXPECT_TRUE(IsValidUtf8("𝄞 and 秘 and é"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));
}

// The replacement practice for every class of ill-formed input, with the
// source span of each U+FFFD.
TEST(Utf8Test, RepairReplacesMaximalSubparts) {
  struct Case {
    std::string input;
    std::string expect;  // FFFD written as "?"
    size_t replacements;
  };
  const std::vector<Case> cases = {
      {"\xC0\x80", "??", 2},                // overlong NUL: C0 is never a lead
      {"\xC1\xBF", "??", 2},
      {"\xE0\x80\x80", "???", 3},           // overlong 3-byte: E0 then 80 out of range
      {"\xF0\x80\x80\x80", "????", 4},      // overlong 4-byte
      {"\xED\xA0\x80", "???", 3},           // surrogate D800
      {"\xED\xBF\xBF", "???", 3},           // surrogate DFFF
      {"\xF4\x90\x80\x80", "????", 4},      // U+110000
      {"\xF5\x80\x80\x80", "????", 4},      // F5 never a lead
      {"\x80", "?", 1},                     // lone continuation
      {"\xBF\x80\xBF", "???", 3},
      {"\xE3\x81", "?", 1},                 // truncated 3-byte
      {"\xF0\x9F\x98", "?", 1},             // truncated 4-byte
      {"\xF0\x9F\x98x", "?x", 1},
      {"a\xE3\x81" "b", "a?b", 1},
      {"\xE3\x81\xE3\x81\x82", "?あ", 1},   // truncated then whole
      {"\xC2\xC2\xA9", "?©", 1},
      {"\xFE\xFF", "??", 2},
      {"\xF4\x8F\xBF", "?", 1},             // truncated max scalar
      {"\xE0\xA0", "?", 1},
      {"\xE0\x9F", "??", 2},
  };
  for (const auto& c : cases) {
    std::string out;
    OffsetMap map;
    size_t n = RepairUtf8(c.input, out, map);
    std::string shown;
    for (size_t i = 0; i < out.size();) {
      if (out.compare(i, 3, "\xEF\xBF\xBD") == 0) {
        shown += '?';
        i += 3;
      } else {
        shown += out[i++];
      }
    }
    EXPECT_EQ(shown, c.expect) << Hex(c.input);
    EXPECT_EQ(n, c.replacements) << Hex(c.input);
    EXPECT_TRUE(IsValidUtf8(out));
    EXPECT_EQ(map.source_length(), c.input.size());
    EXPECT_EQ(map.derived_length(), out.size());
  }
}

TEST(Utf8Test, RepairMapsEachReplacementToItsSubpart) {
  // "A" C0 "B" E3 81 "C" F4 90 80 80 "D"
  std::string in = "A\xC0" "B\xE3\x81" "C\xF4\x90\x80\x80" "D";
  std::string out;
  OffsetMap map;
  ASSERT_EQ(RepairUtf8(in, out, map), 6u);
  ASSERT_EQ(out, "A\xEF\xBF\xBD" "B\xEF\xBF\xBD" "C\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "D");
  struct Span {
    size_t d, s_start, s_end;  // derived char start -> source span
  };
  const Span spans[] = {{0, 0, 1}, {1, 1, 2}, {4, 2, 3}, {5, 3, 5}, {8, 5, 6},
                        {9, 6, 7}, {12, 7, 8}, {15, 8, 9}, {18, 9, 10}, {21, 10, 11}};
  const size_t lens[] = {1, 3, 1, 3, 1, 3, 3, 3, 3, 1};
  for (size_t k = 0; k < std::size(spans); ++k) {
    EXPECT_EQ(map.SourceStart(spans[k].d), spans[k].s_start) << k;
    EXPECT_EQ(map.SourceEnd(spans[k].d + lens[k]), spans[k].s_end) << k;
  }
}

// Random bytes: the repair agrees with ICU's reading segment by segment, and
// the census counts what ICU counts.
TEST(Utf8Test, RepairAndCensusAgreeWithIcuOnRandomBytes) {
  for (uint32_t seed = 1; seed <= 3000; ++seed) {
    ByteSoup soup(seed);
    std::string in = soup.Next();
    std::vector<RefSegment> ref = IcuSegments(in);
    std::string expect;
    size_t invalid = 0, multibyte = 0, nul = 0;
    for (const auto& seg : ref) {
      if (seg.valid) {
        expect.append(in, seg.start, seg.end - seg.start);
        multibyte += seg.end - seg.start > 1;
        nul += in[seg.start] == '\0';
      } else {
        expect += "\xEF\xBF\xBD";
        ++invalid;
      }
    }
    std::string out;
    OffsetMap map;
    size_t n = RepairUtf8(in, out, map);
    ASSERT_EQ(out, expect) << "seed " << seed << ": " << Hex(in, 300);
    ASSERT_EQ(n, invalid) << "seed " << seed;
    ASSERT_EQ(IsValidUtf8(in), invalid == 0) << "seed " << seed;
    Utf8Census census = TakeUtf8Census(in);
    ASSERT_EQ(census.invalid_sequences, invalid) << "seed " << seed;
    ASSERT_EQ(census.multibyte_sequences, multibyte) << "seed " << seed;
    ASSERT_EQ(census.nul_bytes, nul) << "seed " << seed;
    ASSERT_EQ(census.nul_bytes, CountNulBytes(in)) << "seed " << seed;
    ASSERT_EQ(census.high_bytes, static_cast<size_t>(std::count_if(in.begin(), in.end(), [](char ch) {
                return static_cast<unsigned char>(ch) >= 0x80;
              }))) << "seed " << seed;
    // Each derived segment maps to its source segment.
    size_t d = 0;
    for (const auto& seg : ref) {
      size_t len = seg.valid ? seg.end - seg.start : 3;
      ASSERT_EQ(map.SourceStart(d), seg.start) << "seed " << seed;
      ASSERT_EQ(map.SourceEnd(d + len), seg.end) << "seed " << seed;
      d += len;
    }
    ASSERT_EQ(map.derived_length(), out.size());
    ASSERT_EQ(map.source_length(), in.size());
  }
}

// The census skips 16 bytes at a time while none of them counts: a control
// byte, NUL or high byte at every position of such blocks is still counted.
TEST(Utf8Test, CensusCountsAtEveryPositionOfABlock) {
  const std::string base = "The quick brown fox\tjumps\r\nover the lazy dog\x1B[0m and on and on. ";
  for (size_t pos = 0; pos < base.size(); ++pos) {
    for (const std::string& ins : {std::string("\x01"), std::string("\x7F"), std::string(1, '\0'), std::string("\x80"),
                                   std::string("\xE7\xA7\x98")}) {
      std::string s = base;
      s.replace(pos, 1, ins);
      Utf8Census c = TakeUtf8Census(s);
      EXPECT_EQ(c.control_bytes, ins == "\x01" || ins == "\x7F" ? 1u : 0u) << pos << " " << Hex(ins);
      EXPECT_EQ(c.nul_bytes, ins.size() == 1 && ins[0] == 0 ? 1u : 0u) << pos;
      EXPECT_EQ(c.invalid_sequences, ins == "\x80" ? 1u : 0u) << pos;
      EXPECT_EQ(c.multibyte_sequences, ins.size() == 3 ? 1u : 0u) << pos;
      EXPECT_EQ(c.high_bytes, static_cast<unsigned char>(ins[0]) >= 0x80 ? ins.size() : 0u) << pos;
    }
  }
}

TEST(Utf8Test, CensusCountsControls) {
  Utf8Census c = TakeUtf8Census(std::string("a\x01\x02\t\n\r\x0B\x0C\x1B\x7F\0", 11));
  EXPECT_EQ(c.control_bytes, 3u);  // 01 02 7F
  EXPECT_EQ(c.nul_bytes, 1u);
  EXPECT_EQ(c.multibyte_sequences, 0u);
  EXPECT_EQ(c.invalid_sequences, 0u);
  c = TakeUtf8Census("秘\xE5\xAF");
  EXPECT_EQ(c.multibyte_sequences, 1u);
  EXPECT_EQ(c.invalid_sequences, 1u);
}

TEST(Utf8Test, RepairOfValidTextIsOneUnchangedPiece) {
  std::string out;
  OffsetMap map;
  EXPECT_EQ(RepairUtf8("取扱注意 internal", out, map), 0u);
  EXPECT_EQ(out, "取扱注意 internal");
  EXPECT_EQ(map.piece_count(), 1u);
  EXPECT_EQ(map.SourceStart(3), 3u);
}

// The ASCII scan reads 64, 16 and 8 bytes at a time: a high byte at every
// position of texts longer than a few such blocks, at every alignment.
TEST(Utf8Test, AsciiPrefixAcrossBlocksAndAlignments) {
  std::string buf(300, 'a');
  for (size_t off = 0; off < 16; ++off) {
    for (size_t len = 0; len + off <= 200; len += (len < 70 ? 1 : 13)) {
      std::string_view v(buf.data() + off, len);
      ASSERT_EQ(AsciiPrefixLength(v), len) << off << " " << len;
      for (size_t pos = 0; pos < len; ++pos) {
        buf[off + pos] = '\x80';
        ASSERT_EQ(AsciiPrefixLength(v), pos) << off << " " << len << " " << pos;
        buf[off + pos] = 'a';
      }
    }
  }
}

// The reference: the length of the longest prefix ICU's U8_NEXT reads
// without an error.
size_t IcuValidPrefix(std::string_view s) {
  size_t valid = 0;
  for (const RefSegment& seg : IcuSegments(s)) {
    if (!seg.valid) break;
    valid = seg.end;
  }
  return valid;
}

// Validation checks runs of three-byte characters one 4-byte load at a time
// and ASCII in blocks: every kind of character at every offset of such a
// run, and an ill-formed byte in place of each byte of it, agree with ICU.
TEST(Utf8Test, ValidPrefixAgreesWithIcuAroundFastPaths) {
  const std::vector<std::string> pieces = {
      "a", "\n", "é", "\xDF\xBF", "\xC2\x80", "秘", "。", "\xE0\xA0\x80", "\xE0\xBF\xBF", "\xED\x9F\xBF",
      "\xEE\x80\x80", "\xEF\xBF\xBF", "\xE1\x80\x80", "\xEC\xBF\xBF", "😀", "\xF4\x8F\xBF\xBF"};
  const std::vector<std::string> bad = {"\x80", "\xBF", "\xC0", "\xC1", "\xE0\x80", "\xE0\x9F\xBF", "\xED\xA0\x80",
                                        "\xED\xBF", "\xF0\x8F", "\xF4\x90", "\xF5", "\xFF", "\xE3\x81", "\xE3"};
  for (const std::string& x : pieces) {
    // x at each position of a run of kanji, then end there or go on.
    for (size_t before = 0; before < 6; ++before) {
      for (size_t after = 0; after < 3; ++after) {
        std::string s;
        for (size_t k = 0; k < before; ++k) s += "秘";
        s += x;
        for (size_t k = 0; k < after; ++k) s += "密";
        ASSERT_EQ(ValidUtf8PrefixLength(s), s.size()) << Hex(s);
        for (const std::string& b : bad) {
          // An ill-formed sequence in place of any byte, or cutting the text there.
          for (size_t at = 0; at <= s.size(); ++at) {
            std::string t = s.substr(0, at) + b + s.substr(at);
            ASSERT_EQ(ValidUtf8PrefixLength(t), IcuValidPrefix(t)) << Hex(t);
            std::string u = s.substr(0, at);
            ASSERT_EQ(ValidUtf8PrefixLength(u), IcuValidPrefix(u)) << Hex(u);
          }
        }
      }
    }
  }
}

// Random mixtures of ASCII runs, kanji runs and other characters, damaged at
// random places.
TEST(Utf8Test, ValidPrefixAgreesWithIcuOnRandomMixtures) {
  for (uint32_t seed = 1; seed <= 2000; ++seed) {
    ByteSoup soup(seed);
    std::string s;
    const size_t parts = soup.Uniform(1, 12);
    for (size_t k = 0; k < parts; ++k) {
      switch (soup.Uniform(0, 3)) {
        case 0: s += std::string(soup.Uniform(1, 90), 'x'); break;
        case 1: for (size_t r = soup.Uniform(1, 30); r > 0; --r) s += "秘密の"; break;
        case 2: {
          auto c = static_cast<UChar32>(soup.Uniform(0x80, 0xFFFF));
          s += test_util::Utf8Of(U_IS_SURROGATE(c) ? 0xFFFD : c);
          break;
        }
        case 3: s += soup.Next(12); break;
      }
    }
    ASSERT_EQ(ValidUtf8PrefixLength(s), IcuValidPrefix(s)) << "seed " << seed << ": " << Hex(s, 300);
    Utf8Census census = TakeUtf8Census(s);
    size_t multibyte = 0, invalid = 0;
    for (const RefSegment& seg : IcuSegments(s)) {
      multibyte += seg.valid && seg.end - seg.start > 1;
      invalid += !seg.valid;
    }
    ASSERT_EQ(census.multibyte_sequences, multibyte) << "seed " << seed;
    ASSERT_EQ(census.invalid_sequences, invalid) << "seed " << seed;
  }
}

}  // namespace
}  // namespace kimitsu::text
