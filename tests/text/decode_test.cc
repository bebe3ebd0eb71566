#include "text/decode.h"

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

constexpr std::string_view kFFFD = "\xEF\xBF\xBD";

// The forms a sample can be encoded in, each built independently of the
// decoder (see text_test_util.h).
enum class Form { kUtf8, kUtf8Bom, kUtf16LE, kUtf16LEBom, kUtf16BE, kUtf16BEBom, kSjis, kEucJp, kIso2022Jp, kCp1252 };

struct FormInfo {
  Form form;
  const char* name;
  Encoding encoding;
  bool bom;
  bool ascii_compatible;  // pure ASCII text encodes to the same bytes
};

constexpr FormInfo kForms[] = {
    {Form::kUtf8, "UTF-8", Encoding::kUtf8, false, true},
    {Form::kUtf8Bom, "UTF-8+BOM", Encoding::kUtf8, true, false},
    {Form::kUtf16LE, "UTF-16LE", Encoding::kUtf16LE, false, false},
    {Form::kUtf16LEBom, "UTF-16LE+BOM", Encoding::kUtf16LE, true, false},
    {Form::kUtf16BE, "UTF-16BE", Encoding::kUtf16BE, false, false},
    {Form::kUtf16BEBom, "UTF-16BE+BOM", Encoding::kUtf16BE, true, false},
    {Form::kSjis, "Shift_JIS", Encoding::kShiftJis, false, true},
    {Form::kEucJp, "EUC-JP", Encoding::kEucJp, false, true},
    {Form::kIso2022Jp, "ISO-2022-JP", Encoding::kIso2022Jp, false, true},
    {Form::kCp1252, "windows-1252", Encoding::kWindows1252, false, true},
};

EncodedText EncodeAs(Form f, std::string_view s) {
  switch (f) {
    case Form::kUtf8: return test_util::Utf8ByChar(s);
    case Form::kUtf8Bom: return test_util::Utf8ByChar(s, "\xEF\xBB\xBF");
    case Form::kUtf16LE: return test_util::EncodeByChar("UTF-16LE", s);
    case Form::kUtf16LEBom: return test_util::EncodeByChar("UTF-16LE", s, "\xFF\xFE");
    case Form::kUtf16BE: return test_util::EncodeByChar("UTF-16BE", s);
    case Form::kUtf16BEBom: return test_util::EncodeByChar("UTF-16BE", s, "\xFE\xFF");
    case Form::kSjis: return test_util::EncodeByChar("windows-31j", s);
    case Form::kEucJp: return test_util::EncodeByChar("EUC-JP", s);
    case Form::kIso2022Jp: return test_util::EncodeIso2022Jp(s);
    case Form::kCp1252: return test_util::EncodeByChar("windows-1252", s);
  }
  return {};
}

// The decoded text equals the sample and every character maps back to
// exactly the bytes the independent encoding put it in.
void ExpectRoundTrip(const Decoded& d, const EncodedText& t, const std::string& what) {
  std::string expect = test_util::JoinUtf8(t);
  ASSERT_TRUE(d.text == expect) << what << "\n got " << Hex(d.text, 48) << "\n not " << Hex(expect, 48);
  EXPECT_EQ(d.replacements, 0u) << what;
  size_t off = 0;
  for (const auto& c : t.chars) {
    ASSERT_EQ(d.map.SourceStart(off), c.start) << what << " char at " << off;
    for (size_t k = 1; k < c.utf8.size(); ++k) {
      // Inside a character: somewhere inside its bytes (the start of a
      // converted unit, or the same byte of text copied unchanged).
      size_t s = d.map.SourceStart(off + k);
      ASSERT_TRUE(s >= c.start && s < c.end) << what << " char at " << off << "+" << k << ": " << s;
    }
    ASSERT_EQ(d.map.SourceEnd(off + c.utf8.size()), c.end) << what << " char at " << off;
    off += c.utf8.size();
  }
  EXPECT_EQ(d.map.SourceStart(d.text.size()), t.bytes.size()) << what;
}

struct Sample {
  const char* label;
  const char* text;
  bool legacy_jp;    // encodable in Shift_JIS / EUC-JP
  bool iso2022;      // encodable in ISO-2022-JP
  bool cp1252;       // encodable in windows-1252
  bool detectable;   // long and typical enough for detection to be required
};

std::vector<Sample> Samples() {
  std::vector<Sample> out;
  for (size_t i = 0; i < std::size(test_util::kJapaneseParagraphs); ++i) {
    out.push_back({"japanese", test_util::kJapaneseParagraphs[i], true, true, false, true});
  }
  out.push_back({"english", test_util::kEnglish, true, true, true, true});
  out.push_back({"latin", test_util::kLatin, false, false, true, true});
  out.push_back({"supplementary", test_util::kSupplementary, false, false, false, true});
  out.push_back({"halfwidth", test_util::kHalfWidthKana, true, false, false, false});
  return out;
}

bool Encodable(const FormInfo& f, const Sample& s) {
  switch (f.form) {
    case Form::kSjis:
    case Form::kEucJp: return s.legacy_jp;
    case Form::kIso2022Jp: return s.iso2022;
    case Form::kCp1252: return s.cp1252;
    default: return true;
  }
}

TEST(DecodeTest, RoundTripEveryEncodingForcedAndDetected) {
  int checked = 0;
  for (const FormInfo& f : kForms) {
    for (const Sample& s : Samples()) {
      if (!Encodable(f, s)) continue;
      EncodedText t = EncodeAs(f.form, s.text);
      std::string what = std::string(f.name) + " / " + s.label + " / " + Hex(t.bytes, 24);
      Decoded d;

      DecodeOptions forced;
      forced.force = f.encoding;
      Decode(t.bytes, forced, d);
      EXPECT_EQ(d.encoding, f.encoding) << what;
      EXPECT_EQ(d.had_bom, f.bom) << what;
      ExpectRoundTrip(d, t, "forced " + what);

      if (!s.detectable) continue;
      Decode(t.bytes, {}, d);
      bool ascii = IsAscii(s.text);
      Encoding expect = ascii && f.ascii_compatible ? Encoding::kUtf8 : f.encoding;
      EXPECT_EQ(EncodingName(d.encoding), EncodingName(expect)) << what;
      EXPECT_EQ(d.had_bom, f.bom) << what;
      ExpectRoundTrip(d, t, "detected " + what);
      ++checked;
    }
  }
  EXPECT_GE(checked, 60);
}

TEST(DecodeTest, Utf8InputIsAViewNotACopy) {
  std::string in = test_util::kJapaneseParagraphs[0];
  Decoded d;
  Decode(in, {}, d);
  EXPECT_EQ(d.encoding, Encoding::kUtf8);
  EXPECT_EQ(d.text.data(), in.data());
  EXPECT_EQ(d.text.size(), in.size());
  EXPECT_TRUE(d.map.is_identity());
  EXPECT_TRUE(d.storage.empty());

  std::string bom = "\xEF\xBB\xBF" + in;
  Decode(bom, {}, d);
  EXPECT_TRUE(d.had_bom);
  EXPECT_EQ(d.text.data(), bom.data() + 3);
  EXPECT_EQ(d.text, in);
  EXPECT_EQ(d.map.SourceStart(0), 3u);
  EXPECT_EQ(d.map.SourceEnd(in.size()), bom.size());
  EXPECT_EQ(d.map.piece_count(), 1u);
}

TEST(DecodeTest, IcusOwnIso2022JpEncodingDecodes) {
  for (const char* s : test_util::kJapaneseParagraphs) {
    std::string bytes = test_util::EncodeWhole("ISO-2022-JP", s);
    EXPECT_EQ(bytes, test_util::EncodeIso2022Jp(s).bytes);
    Decoded d;
    Decode(bytes, {}, d);
    EXPECT_EQ(d.encoding, Encoding::kIso2022Jp);
    EXPECT_EQ(d.text, s);
    EXPECT_EQ(d.replacements, 0u);
  }
}

// Realistic Japanese business text of a few hundred bytes is detected as what
// it is, alone and in combinations.
TEST(DecodeTest, DetectsJapaneseLegacyEncodingsOfParagraphs) {
  std::vector<std::string> texts;
  for (const char* p : test_util::kJapaneseParagraphs) texts.emplace_back(p);
  texts.push_back(std::string(test_util::kJapaneseParagraphs[0]) + test_util::kEnglish);
  texts.push_back(std::string(test_util::kEnglish) + test_util::kJapaneseParagraphs[2]);
  texts.push_back(std::string(test_util::kJapaneseParagraphs[4]) + test_util::kHalfWidthKana);
  struct Enc {
    const char* converter;
    Encoding encoding;
  };
  for (Enc e : {Enc{"windows-31j", Encoding::kShiftJis}, Enc{"EUC-JP", Encoding::kEucJp},
                Enc{"ISO-2022-JP", Encoding::kIso2022Jp}}) {
    for (const std::string& text : texts) {
      if (e.encoding == Encoding::kIso2022Jp && text.find("ｶ") != std::string::npos) continue;
      std::string bytes = test_util::EncodeWhole(e.converter, text);
      ASSERT_GE(bytes.size(), 150u);
      Decoded d;
      Decode(bytes, {}, d);
      EXPECT_EQ(EncodingName(d.encoding), EncodingName(e.encoding)) << e.converter << ": " << text;
      EXPECT_EQ(d.text, text) << e.converter;
      EXPECT_EQ(d.replacements, 0u);
      EXPECT_GT(d.confidence, 0);
    }
  }
}

// Short Japanese strings (a stamp, a title) carry little evidence; they must
// still not come out as UTF-16 or as Latin text when they read as Japanese.
TEST(DecodeTest, DetectsShortJapaneseStrings) {
  const char* stamps[] = {"極秘", "秘密", "社外秘", "取扱注意", "特定秘密の保護", "関係者外秘\n",
                          "この文書は社外秘です。"};
  for (const char* s : stamps) {
    for (auto [converter, encoding] : {std::pair{"windows-31j", Encoding::kShiftJis},
                                       std::pair{"EUC-JP", Encoding::kEucJp}}) {
      std::string bytes = test_util::EncodeWhole(converter, s);
      Decoded d;
      Decode(bytes, {}, d);
      EXPECT_EQ(EncodingName(d.encoding), EncodingName(encoding)) << converter << " " << s;
      EXPECT_EQ(d.text, s) << converter;
    }
  }
}

TEST(DecodeTest, UnicodeBomsWinOverContent) {
  // A UTF-16LE BOM before text that would otherwise look like ASCII.
  std::string le = std::string("\xFF\xFE", 2) + std::string("h\0i\0", 4);
  Decoded d;
  Decode(le, {}, d);
  EXPECT_EQ(d.encoding, Encoding::kUtf16LE);
  EXPECT_TRUE(d.had_bom);
  EXPECT_EQ(d.text, "hi");
  EXPECT_EQ(d.map.SourceStart(0), 2u);
  EXPECT_EQ(d.map.SourceEnd(1), 4u);
  // A BOM alone.
  for (std::string bom : {std::string("\xEF\xBB\xBF"), std::string("\xFF\xFE"), std::string("\xFE\xFF")}) {
    Decode(bom, {}, d);
    EXPECT_TRUE(d.had_bom) << Hex(bom);
    EXPECT_EQ(d.text, "") << Hex(bom);
    EXPECT_EQ(d.map.SourceStart(0), bom.size()) << Hex(bom);
  }
}

TEST(DecodeTest, EncodingNames) {
  EXPECT_EQ(EncodingName(Encoding::kUtf8), "UTF-8");
  EXPECT_EQ(EncodingName(Encoding::kShiftJis), "Shift_JIS");
  EXPECT_EQ(EncodingName(Encoding::kEucJp), "EUC-JP");
  EXPECT_EQ(EncodingName(Encoding::kIso2022Jp), "ISO-2022-JP");
  EXPECT_EQ(EncodingName(Encoding::kUtf16LE), "UTF-16LE");
  EXPECT_EQ(EncodingName(Encoding::kUtf16BE), "UTF-16BE");
  EXPECT_EQ(EncodingName(Encoding::kWindows1252), "windows-1252");
  EXPECT_EQ(EncodingName(Encoding::kBinary), "binary");
  const std::pair<const char*, Encoding> aliases[] = {
      {"utf8", Encoding::kUtf8},           {"UTF-8", Encoding::kUtf8},
      {"sjis", Encoding::kShiftJis},       {"Shift_JIS", Encoding::kShiftJis},
      {"CP932", Encoding::kShiftJis},      {"windows-31j", Encoding::kShiftJis},
      {"MS_Kanji", Encoding::kShiftJis},   {"euc-jp", Encoding::kEucJp},
      {"EUCJP", Encoding::kEucJp},         {"jis", Encoding::kIso2022Jp},
      {"ISO-2022-JP", Encoding::kIso2022Jp}, {"utf-16le", Encoding::kUtf16LE},
      {"UTF16BE", Encoding::kUtf16BE},     {"latin1", Encoding::kWindows1252},
      {"cp1252", Encoding::kWindows1252},  {"ISO-8859-1", Encoding::kWindows1252},
      {"binary", Encoding::kBinary},
  };
  for (auto [name, e] : aliases) {
    auto parsed = ParseEncodingName(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(*parsed, e) << name;
  }
  for (const char* bad : {"", "utf", "koi8-r", "utf-16", "big5", "shift jis"}) {
    EXPECT_FALSE(ParseEncodingName(bad).has_value()) << bad;
  }
  // Every reported name parses back to its encoding.
  for (int i = 0; i <= static_cast<int>(Encoding::kBinary); ++i) {
    Encoding e = static_cast<Encoding>(i);
    EXPECT_EQ(ParseEncodingName(EncodingName(e)), e);
  }
}

// ---- Bad input -------------------------------------------------------------

TEST(DecodeTest, EmptyInput) {
  Decoded d;
  d.storage = "left over";
  Decode("", {}, d);
  EXPECT_EQ(d.encoding, Encoding::kUtf8);
  EXPECT_EQ(d.text.size(), 0u);
  EXPECT_EQ(d.replacements, 0u);
  EXPECT_FALSE(d.had_bom);
  EXPECT_EQ(d.map.SourceStart(0), 0u);
  EXPECT_EQ(d.map.SourceEnd(0), 0u);
  for (int i = 0; i <= static_cast<int>(Encoding::kBinary); ++i) {
    DecodeOptions o;
    o.force = static_cast<Encoding>(i);
    Decode("", o, d);
    EXPECT_EQ(d.text.size(), 0u) << i;
    EXPECT_EQ(d.map.SourceStart(0), 0u) << i;
  }
}

TEST(DecodeTest, OneByte) {
  Decoded d;
  std::string nul(1, '\0');
  Decode(nul, {}, d);
  EXPECT_EQ(d.encoding, Encoding::kBinary);
  EXPECT_EQ(d.text, nul);
  EXPECT_EQ(d.nul_bytes, 1u);

  Decode("A", {}, d);
  EXPECT_EQ(d.encoding, Encoding::kUtf8);
  EXPECT_EQ(d.text, "A");

  // A lone high byte is not UTF-8; windows-1252 reads every byte.
  Decode("\x80", {}, d);
  EXPECT_EQ(d.encoding, Encoding::kWindows1252);
  EXPECT_EQ(d.text, "€");
  EXPECT_EQ(d.replacements, 0u);
  EXPECT_EQ(d.map.SourceStart(0), 0u);
  EXPECT_EQ(d.map.SourceEnd(3), 1u);

  Decode("\xFF", {}, d);
  EXPECT_EQ(d.encoding, Encoding::kWindows1252);
  EXPECT_EQ(d.text, "ÿ");
  EXPECT_EQ(d.map.SourceEnd(2), 1u);
}

TEST(DecodeTest, AllNulsAreBinary) {
  for (size_t n : {1, 2, 3, 4, 64, 1000, 70000}) {
    std::string in(n, '\0');
    Decoded d;
    Decode(in, {}, d);
    EXPECT_EQ(d.encoding, Encoding::kBinary) << n;
    EXPECT_EQ(d.text, in) << n;  // NUL is valid UTF-8: nothing replaced
    EXPECT_EQ(d.replacements, 0u);
    EXPECT_EQ(d.nul_bytes, std::min<size_t>(n, DecodeOptions{}.detection_sample));
  }
}

TEST(DecodeTest, SignaturesOfBinaryFormatsMeanBinary) {
  // A small file of a binary format has too little data for the statistics:
  // its signature decides (a one-page PDF, an icon, a short .gz).
  const std::string text = "The quick brown fox jumps over the lazy dog.\n";
  for (std::string_view sig : {std::string_view("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n"), std::string_view("\x1F\x8B\x08\x00", 4),
                               std::string_view("PK\x03\x04\x14\x00", 6), std::string_view("\x89PNG\r\n\x1A\n"),
                               std::string_view("\xFF\xD8\xFF\xE0"), std::string_view("GIF89a"),
                               std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
                               std::string_view("SQLite format 3\0", 16), std::string_view("\x7F" "ELF\x02\x01"),
                               std::string_view("BZh91AY&SY")}) {
    Decoded d;
    Decode(std::string(sig) + text, {}, d);
    EXPECT_EQ(d.encoding, Encoding::kBinary) << Hex(sig);
  }
  // Text that merely starts like one is text.
  for (std::string_view t : {"%PDF is a file format\n", "PK is a penalty kick\n", "GIF8 images\n", "BZh9 block\n"}) {
    Decoded d;
    Decode(t, {}, d);
    EXPECT_EQ(d.encoding, Encoding::kUtf8) << t;
  }
}

TEST(DecodeTest, BinaryDataReadsUtf16LeStringsAsText) {
  // A Windows program's strings: ASCII text in UTF-16LE, NUL-terminated.
  // (NULs on both sides of the units: not UTF-16 text as a whole.)
  std::string in(600, '\0');
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<char>(i % 3 == 0 ? 0 : i * 37 % 256);
  const size_t at = in.size();
  for (char c : std::string_view("SECRET plan")) in.append({c, '\0'});
  in.append(std::string("\0\0\x01", 3));
  // Three units are not a string: they stay as they are.
  in.append(std::string("ab\0c\0d\0\x02", 8));
  Decoded d;
  Decode(in, {}, d);
  ASSERT_EQ(d.encoding, Encoding::kBinary);
  EXPECT_TRUE(IsValidUtf8(d.text));
  size_t s = d.text.find("SECRET plan");
  ASSERT_NE(s, std::string_view::npos);
  EXPECT_EQ(d.map.SourceSpan(s, s + 11), (ByteSpan{at, at + 22}));
  EXPECT_EQ(d.map.SourceSpan(s + 7, s + 11), (ByteSpan{at + 14, at + 22}));
  EXPECT_NE(d.text.find(std::string_view("ab\0c\0d\0\x02", 8)), std::string_view::npos);
}

TEST(DecodeTest, BinaryDataKeepsItsStrings) {
  std::string in;
  for (int i = 0; i < 64; ++i) in += static_cast<char>(i * 37 % 256);
  in += "SECRET";
  in += std::string("\0\0\x01\xFF\xFE\x80", 6);
  in += "社外秘";
  in += std::string(40, '\0');
  Decoded d;
  Decode(in, {}, d);
  EXPECT_EQ(d.encoding, Encoding::kBinary);
  EXPECT_TRUE(IsValidUtf8(d.text));
  size_t at = d.text.find("SECRET");
  ASSERT_NE(at, std::string_view::npos);
  EXPECT_EQ(d.map.SourceStart(at), 64u);
  EXPECT_EQ(d.map.SourceEnd(at + 6), 70u);
  at = d.text.find("社外秘");
  ASSERT_NE(at, std::string_view::npos);
  EXPECT_EQ(d.map.SourceStart(at), 76u);
  EXPECT_EQ(d.map.SourceEnd(at + 9), 85u);
}

TEST(DecodeTest, TruncatedUtf8AtTheEnd) {
  std::string text = test_util::kJapaneseParagraphs[1];
  // Cut inside the last character before the final "以上\n".
  size_t cut = text.rfind("以上") + 2;  // 2 of the 3 bytes of 以
  std::string in = text.substr(0, cut);
  Decoded d;
  Decode(in, {}, d);
  EXPECT_EQ(d.encoding, Encoding::kUtf8);
  EXPECT_EQ(d.replacements, 1u);
  EXPECT_EQ(d.text, text.substr(0, cut - 2) + std::string(kFFFD));
  EXPECT_EQ(d.map.SourceStart(d.text.size() - 3), cut - 2);
  EXPECT_EQ(d.map.SourceEnd(d.text.size()), cut);
  EXPECT_EQ(d.map.SourceStart(10), 10u);  // the valid part maps 1:1
}

// A realistic Shift_JIS (or EUC-JP) text cut in the middle of its last
// character is still recognised, with exactly one replacement.
TEST(DecodeTest, TruncatedLegacyJapaneseAtTheEnd) {
  for (auto [converter, encoding] : {std::pair{"windows-31j", Encoding::kShiftJis},
                                     std::pair{"EUC-JP", Encoding::kEucJp}}) {
    for (const char* p : test_util::kJapaneseParagraphs) {
      std::string text = p;
      while (!text.empty() && static_cast<unsigned char>(text.back()) < 0x80) text.pop_back();
      EncodedText t = test_util::EncodeByChar(converter, text);
      ASSERT_EQ(t.chars.back().end - t.chars.back().start, 2u);
      std::string in = t.bytes.substr(0, t.bytes.size() - 1);  // lead byte only
      Decoded d;
      Decode(in, {}, d);
      EXPECT_EQ(EncodingName(d.encoding), EncodingName(encoding)) << converter << " " << p;
      EXPECT_EQ(d.replacements, 1u) << converter;
      std::string expect = text.substr(0, text.size() - t.chars.back().utf8.size());
      EXPECT_EQ(d.text, expect + std::string(kFFFD)) << converter;
      EXPECT_EQ(d.map.SourceStart(expect.size()), in.size() - 1);
      EXPECT_EQ(d.map.SourceEnd(d.text.size()), in.size());
    }
  }
}

TEST(DecodeTest, InvalidLegacyBytesBecomeReplacementCharacters) {
  // Shift_JIS: an unassigned double-byte code (85 40), a lone 0x80 and 0xFF,
  // a lead byte followed by an invalid trail byte.
  struct Case {
    std::string in;
    Encoding encoding;
    std::string expect;
    size_t replacements;
  };
  const Case cases[] = {
      {"\x94\xE9\x85\x40\x96\xA7", Encoding::kShiftJis, "秘\xEF\xBF\xBD密", 1},
      {"a\x80" "b", Encoding::kShiftJis, "a\xEF\xBF\xBD" "b", 1},
      {"a\xFF" "b", Encoding::kShiftJis, "a\xEF\xBF\xBD" "b", 1},
      {"\x94\xE9\x94", Encoding::kShiftJis, "秘\xEF\xBF\xBD", 1},
      {"\xC8\xEB\xFF\xCC\xA9", Encoding::kEucJp, "秘\xEF\xBF\xBD密", 1},
      {"\xC8\xEB\xC8", Encoding::kEucJp, "秘\xEF\xBF\xBD", 1},
      {"\x1B$BHk\x1B(B\x80", Encoding::kIso2022Jp, "秘\xEF\xBF\xBD", 1},
  };
  for (const Case& c : cases) {
    DecodeOptions o;
    o.force = c.encoding;
    Decoded d;
    Decode(c.in, o, d);
    EXPECT_EQ(d.text, c.expect) << Hex(c.in);
    EXPECT_EQ(d.replacements, c.replacements) << Hex(c.in);
    EXPECT_TRUE(IsValidUtf8(d.text));
    EXPECT_EQ(d.map.SourceStart(d.text.size()), c.in.size());
  }
}

TEST(DecodeTest, Utf16UnpairedSurrogates) {
  // a, lone lead D800, b, lone trail DC00, c, a good pair (U+1F600), lead at the end.
  const uint16_t units[] = {'a', 0xD800, 'b', 0xDC00, 'c', 0xD83D, 0xDE00, 0xD83D};
  for (bool le : {true, false}) {
    std::string in = le ? "\xFF\xFE" : "\xFE\xFF";
    for (uint16_t u : units) {
      char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>(u >> 8);
      in += le ? lo : hi;
      in += le ? hi : lo;
    }
    Decoded d;
    Decode(in, {}, d);
    EXPECT_EQ(d.encoding, le ? Encoding::kUtf16LE : Encoding::kUtf16BE);
    EXPECT_EQ(d.text, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c😀\xEF\xBF\xBD");
    EXPECT_EQ(d.replacements, 3u);
    // Spans: a[2,4) FFFD[4,6) b[6,8) FFFD[8,10) c[10,12) 😀[12,16) FFFD[16,18)
    const size_t starts[] = {0, 1, 4, 5, 8, 9, 13};
    const size_t lens[] = {1, 3, 1, 3, 1, 4, 3};
    const size_t src[] = {2, 4, 6, 8, 10, 12, 16};
    const size_t src_end[] = {4, 6, 8, 10, 12, 16, 18};
    for (size_t k = 0; k < 7; ++k) {
      EXPECT_EQ(d.map.SourceStart(starts[k]), src[k]) << le << " " << k;
      EXPECT_EQ(d.map.SourceEnd(starts[k] + lens[k]), src_end[k]) << le << " " << k;
    }
  }
}

TEST(DecodeTest, Utf16OddLength) {
  std::string in("\xFF\xFEh\0i\0!", 7);
  Decoded d;
  Decode(in, {}, d);
  EXPECT_EQ(d.text, "hi\xEF\xBF\xBD");
  EXPECT_EQ(d.replacements, 1u);
  EXPECT_EQ(d.map.SourceStart(2), 6u);
  EXPECT_EQ(d.map.SourceEnd(5), 7u);
}

// Invalid UTF-8 of every class inside otherwise good UTF-8 text: the text is
// still read as UTF-8 and replacements follow the maximal-subpart practice.
TEST(DecodeTest, InvalidUtf8InsideUtf8Text) {
  struct Case {
    const char* bad;
    size_t replacements;
  };
  const Case cases[] = {
      {"\xC0\x80", 2},          // overlong
      {"\xE0\x80\xAF", 3},      // overlong 3-byte
      {"\xED\xA0\x80", 3},      // surrogate
      {"\xF4\x90\x80\x80", 4},  // above U+10FFFF
      {"\x80", 1},              // lone continuation
      {"\xBF\xBF", 2},
      {"\xE3\x81", 1},          // truncated
      {"\xF0\x9F\x98", 1},      // truncated 4-byte
      {"\xFF", 1},
  };
  std::string head = test_util::kJapaneseParagraphs[0];
  std::string tail = test_util::kJapaneseParagraphs[2];
  for (const Case& c : cases) {
    std::string bad = c.bad;
    std::string in = head + bad + tail;
    Decoded d;
    Decode(in, {}, d);
    EXPECT_EQ(d.encoding, Encoding::kUtf8) << Hex(bad);
    EXPECT_EQ(d.replacements, c.replacements) << Hex(bad);
    std::string expect = head;
    for (size_t k = 0; k < c.replacements; ++k) expect += kFFFD;
    expect += tail;
    EXPECT_EQ(d.text, expect) << Hex(bad);
    // The replacements together map to the bad bytes; the tail maps back to itself.
    EXPECT_EQ(d.map.SourceStart(head.size()), head.size());
    EXPECT_EQ(d.map.SourceEnd(head.size() + 3 * c.replacements), head.size() + bad.size());
    size_t tail_at = head.size() + 3 * c.replacements;
    EXPECT_EQ(d.map.SourceStart(tail_at + 3), head.size() + bad.size() + 3);
  }
}

// Decoding works in chunks; characters that straddle a chunk boundary (a
// surrogate pair, a double-byte character) keep their exact spans.
TEST(DecodeTest, LongInputsAcrossConversionChunks) {
  for (std::string pad : {"", "a", "ab", "abc"}) {
    std::string text = pad;
    for (int i = 0; i < 20000; ++i) text += (i % 3 == 0) ? "😀" : (i % 3 == 1 ? "秘" : "x");
    for (auto [converter, bom, enc] :
         {std::tuple{"UTF-16LE", "\xFF\xFE", Encoding::kUtf16LE},
          std::tuple{"UTF-16BE", "\xFE\xFF", Encoding::kUtf16BE}}) {
      EncodedText t = test_util::EncodeByChar(converter, text, bom);
      Decoded d;
      Decode(t.bytes, {}, d);
      EXPECT_EQ(d.encoding, enc);
      ExpectRoundTrip(d, t, std::string(converter) + " pad " + pad);
    }
  }
  std::string jp;
  for (int i = 0; i < 30000; ++i) jp += (i % 7 == 0) ? "a" : (i % 7 == 3 ? "ｶ" : "秘");
  for (const char* converter : {"windows-31j", "EUC-JP"}) {
    EncodedText t = test_util::EncodeByChar(converter, jp);
    DecodeOptions o;
    o.force = std::string_view(converter) == "EUC-JP" ? Encoding::kEucJp : Encoding::kShiftJis;
    Decoded d;
    Decode(t.bytes, o, d);
    ExpectRoundTrip(d, t, converter);
    EXPECT_LT(d.map.piece_count(), 30000u);
  }
  std::string iso;
  for (int i = 0; i < 30000; ++i) iso += (i % 5 == 0) ? "ab" : "秘密";
  EncodedText t = test_util::EncodeIso2022Jp(iso);
  Decoded d;
  Decode(t.bytes, {}, d);
  EXPECT_EQ(d.encoding, Encoding::kIso2022Jp);
  ExpectRoundTrip(d, t, "ISO-2022-JP long");
}

TEST(DecodeTest, MapsCostPiecesPerChangeOfKindNotPerCharacter) {
  std::string jp;
  for (int i = 0; i < 1000; ++i) jp += "秘密情報";
  std::string sjis = test_util::EncodeWhole("windows-31j", jp);
  Decoded d;
  Decode(sjis, {}, d);
  EXPECT_EQ(d.encoding, Encoding::kShiftJis);
  EXPECT_EQ(d.map.piece_count(), 1u);  // one 2:3 run
}

TEST(DecodeTest, ReusedDecodedForgetsThePreviousInput) {
  Decoded d;
  std::string sjis = test_util::EncodeWhole("windows-31j", test_util::kJapaneseParagraphs[0]);
  Decode(sjis, {}, d);
  ASSERT_EQ(d.encoding, Encoding::kShiftJis);
  std::string bom = "\xEF\xBB\xBFok";
  Decode(bom, {}, d);
  EXPECT_EQ(d.text, "ok");
  EXPECT_EQ(d.confidence, 100);
  std::string plain = "plain";
  Decode(plain, {}, d);
  EXPECT_FALSE(d.had_bom);
  EXPECT_EQ(d.replacements, 0u);
  EXPECT_TRUE(d.map.is_identity());
  EXPECT_EQ(d.text.data(), plain.data());
}

// A forced encoding still drops its own byte-order mark.
TEST(DecodeTest, ForcedEncodingDropsItsBom) {
  Decoded d;
  DecodeOptions o;
  o.force = Encoding::kUtf8;
  Decode("\xEF\xBB\xBFok", o, d);
  EXPECT_EQ(d.text, "ok");
  EXPECT_TRUE(d.had_bom);
  o.force = Encoding::kShiftJis;  // not its BOM: decoded as bytes
  Decode("\xEF\xBB\xBFok", o, d);
  EXPECT_FALSE(d.had_bom);
  EXPECT_NE(d.text, "ok");
}

// Short Latin text in windows-1252 that happens to look like a few
// Shift_JIS characters (an accented letter and the letter after it) stays
// windows-1252.
TEST(DecodeTest, ShortLatinTextStaysWindows1252) {
  for (const char* w : {"Éléphant", "Ångström", "Über", "Café", "naïve façade", "Straße",
                        "Æsir Øre", "résumé", "déjà vu", "Ça coûte très cher", "10 € net"}) {
    std::string bytes = test_util::EncodeWhole("windows-1252", w);
    Decoded d;
    Decode(bytes, {}, d);
    EXPECT_EQ(EncodingName(d.encoding), "windows-1252") << w;
    EXPECT_EQ(d.text, w);
  }
}

TEST(DecodeTest, Iso2022JpCharacterSets) {
  struct Case {
    std::string in;
    std::string text;
    std::vector<std::pair<size_t, size_t>> spans;  // per character
  };
  const Case cases[] = {
      // JIS X 0201 katakana, JIS C 6226-1978 kanji, JIS X 0201 Roman.
      {"\x1B(I\x36\x40\x1B(B ok", "ｶﾀ ok", {{3, 4}, {4, 5}, {8, 9}, {9, 10}, {10, 11}}},
      {"\x1B$@Hk\x1B(B ok", "秘 ok", {{3, 5}, {8, 9}, {9, 10}, {10, 11}}},
      {"\x1B(J\x5C\x7E\x1B(B", "¥‾", {{3, 4}, {4, 5}}},
      {"a\x1B$BHkL)\x1B(Bb\x1B$BHk\x1B(B", "a秘密b秘", {{0, 1}, {4, 6}, {6, 8}, {11, 12}, {15, 17}}},
  };
  for (const Case& c : cases) {
    Decoded d;
    Decode(c.in, {}, d);
    EXPECT_EQ(d.encoding, Encoding::kIso2022Jp) << Hex(c.in);
    ASSERT_EQ(d.text, c.text) << Hex(c.in);
    EXPECT_EQ(d.replacements, 0u);
    size_t off = 0, k = 0;
    for (UChar32 cp : test_util::CodePoints(c.text)) {
      size_t len = test_util::Utf8Of(cp).size();
      EXPECT_EQ(d.map.SourceStart(off), c.spans[k].first) << Hex(c.in) << " char " << k;
      EXPECT_EQ(d.map.SourceEnd(off + len), c.spans[k].second) << Hex(c.in) << " char " << k;
      off += len;
      ++k;
    }
    EXPECT_EQ(d.map.SourceStart(off), c.in.size());
  }
}

TEST(DecodeTest, Iso2022JpWithAStrayEightBitByte) {
  std::string text = test_util::kJapaneseParagraphs[2];
  std::string bytes = test_util::EncodeWhole("ISO-2022-JP", text);
  Decoded d;
  Decode(bytes + "\x80", {}, d);
  EXPECT_EQ(d.encoding, Encoding::kIso2022Jp);
  EXPECT_EQ(d.replacements, 1u);
  EXPECT_EQ(d.text, text + std::string(kFFFD));
}

TEST(DecodeTest, LongAsciiHeaderThenShiftJis) {
  std::string header;
  while (header.size() < 100000) header += "Subject: quarterly numbers, see attached\n";
  for (const char* p : test_util::kJapaneseParagraphs) {
    std::string text = header + p;
    std::string bytes = test_util::EncodeWhole("windows-31j", text);
    Decoded d;
    Decode(bytes, {}, d);
    EXPECT_EQ(d.encoding, Encoding::kShiftJis);
    EXPECT_TRUE(d.text == text);
    EXPECT_EQ(d.map.SourceStart(header.size()), header.size());
  }
}

// ICU's detector sees only the first 4 KiB of the detection sample: English
// text with a short Japanese phrase every 2.5 KB holds one or two of them
// there, and the encoding is still told (from the whole sample where ICU is
// unsure), and told the same for any phrase. (Not where half-width
// katakana outnumber the other characters: ｶﾀｶﾅ in Shift_JIS is two valid
// kanji in EUC-JP and the other way round, and GuessJapanese takes a
// sample with more of them than double-byte characters for EUC-JP misread,
// at any sample size.)
TEST(DecodeTest, SparseJapaneseInEnglishText) {
  for (const char* phrase : {"取扱注意", "社外秘", "個人番号", "マイナンバー（個人番号）", "機密"}) {
    std::string text;
    while (text.size() < 100000) {
      text += test_util::kEnglish;
      if (text.size() % 2500 < 600) text += std::string(" ") + phrase + " ";
    }
    for (const char* converter : {"windows-31j", "EUC-JP"}) {
      std::string bytes = test_util::EncodeWhole(converter, text);
      Decoded d;
      Decode(bytes, {}, d);
      EXPECT_EQ(EncodingName(d.encoding), std::string_view(converter) == "EUC-JP" ? "EUC-JP" : "Shift_JIS")
          << converter << " " << phrase;
      EXPECT_TRUE(d.text == text) << converter << " " << phrase;
    }
  }
}

// The CSV exports of older Japanese systems keep names in half-width
// katakana: more of them than double-byte characters, in Shift_JIS (CP932)
// or EUC-JP. Such files were read as windows-1252. Latin text whose
// accented capitals read as half-width katakana in Shift_JIS, and EUC-JP
// text of kanji and kana, which reads as runs of them, keep their encodings.
TEST(DecodeTest, JapaneseWithMostlyHalfWidthKatakana) {
  const char* names[] = {"ﾔﾏﾀﾞ ﾀﾛｳ", "ｽｽﾞｷ ﾊﾅｺ", "ｻﾄｳ ｲﾁﾛｳ", "ﾀﾅｶ ﾕｳｺ", "ｺﾊﾞﾔｼ ｹﾝ"};
  for (const char* header : {"顧客ID,氏名ｶﾅ,電話番号\n", "id,name_kana,phone\n"}) {
    std::string text = header;
    for (int i = 0; i < 200; ++i) {
      text += std::to_string(100000 + i) + "," + names[i % 5] + ",03-" + std::to_string(1000 + i * 7) + "-0001\n";
    }
    for (const char* converter : {"windows-31j", "EUC-JP"}) {
      Decoded d;
      Decode(test_util::EncodeWhole(converter, text), {}, d);
      EXPECT_EQ(EncodingName(d.encoding), std::string_view(converter) == "EUC-JP" ? "EUC-JP" : "Shift_JIS")
          << converter << " " << header;
      EXPECT_TRUE(d.text == text) << converter << " " << header;
    }
  }
  std::string latin;
  while (latin.size() < 20000) latin += "ÉCOLE ÉLÉMENTAIRE DE ZÜRICH, ÀGE: 7 ANS. ÅNGSTRÖM ÉTÉ. ";
  Decoded d;
  Decode(test_util::EncodeWhole("windows-1252", latin), {}, d);
  EXPECT_EQ(EncodingName(d.encoding), "windows-1252");
  EXPECT_TRUE(d.text == latin);
  std::string euc_text;
  while (euc_text.size() < 20000) euc_text += std::string(test_util::kJapaneseParagraphs[1]) + "\n";
  Decode(test_util::EncodeWhole("EUC-JP", euc_text), {}, d);
  EXPECT_EQ(EncodingName(d.encoding), "EUC-JP");
}

// A caller may shrink the detection sample, even to nothing: detection gets
// weaker, never unsafe (a sample of pure ASCII before the first non-ASCII
// byte once divided by zero).
TEST(DecodeTest, SmallDetectionSamples) {
  for (size_t sample : {0, 1, 8, 64, 100, 300}) {
    DecodeOptions o;
    o.detection_sample = sample;
    for (const char* p : test_util::kJapaneseParagraphs) {
      std::string bytes = test_util::EncodeWhole("windows-31j", p);
      Decoded d;
      Decode(bytes, o, d);
      EXPECT_EQ(EncodingName(d.encoding), "Shift_JIS") << sample << " " << p;
      EXPECT_TRUE(d.text == p);
      Decode(p, o, d);
      EXPECT_EQ(d.encoding, Encoding::kUtf8);
    }
    for (uint32_t seed = 1; seed <= 300; ++seed) {
      ByteSoup soup(seed);
      std::string in = std::string(soup.Uniform(0, 400), 'a') + soup.Next();
      Decoded d;
      Decode(in, o, d);
      ASSERT_TRUE(IsValidUtf8(d.text)) << sample << " seed " << seed;
      ASSERT_EQ(d.map.SourceStart(d.text.size()), in.size());
    }
  }
}

// Arrays of small integers have NULs on one parity like UTF-16 text does,
// but read as nothing like text.
TEST(DecodeTest, IntegerArraysAreBinaryNotUtf16) {
  std::string i16, i32;
  for (int i = 0; i < 300; ++i) {
    i16 += static_cast<char>(i * 7 % 256);
    i16 += '\0';
    i32 += static_cast<char>(i % 256);
    i32 += std::string(3, '\0');
  }
  Decoded d;
  Decode(i16, {}, d);
  EXPECT_EQ(d.encoding, Encoding::kBinary);
  Decode(i32, {}, d);
  EXPECT_EQ(d.encoding, Encoding::kBinary);
}

// Supplementary characters (surrogate pairs) in UTF-16 without a BOM are
// text, not damage.
TEST(DecodeTest, BomlessUtf16WithManySurrogatePairs) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "😀𠮷 ok\n";
  for (auto [converter, enc] : {std::pair{"UTF-16LE", Encoding::kUtf16LE},
                                std::pair{"UTF-16BE", Encoding::kUtf16BE}}) {
    EncodedText t = test_util::EncodeByChar(converter, text);
    Decoded d;
    Decode(t.bytes, {}, d);
    EXPECT_EQ(d.encoding, enc) << converter;
    ExpectRoundTrip(d, t, converter);
  }
}

// ---- Properties over random bytes -----------------------------------------

void ExpectSaneDecoding(std::string_view in, const Decoded& d, const std::string& what) {
  ASSERT_TRUE(IsValidUtf8(d.text)) << what;
  const OffsetMap& m = d.map;
  size_t n = d.text.size();
  if (!m.is_identity()) {
    ASSERT_EQ(m.derived_length(), n) << what;
    ASSERT_EQ(m.source_length(), in.size()) << what;
  }
  ASSERT_EQ(m.SourceStart(n), in.size()) << what;
  size_t prev = 0;
  for (size_t i = 0; i <= n; ++i) {
    size_t s = m.SourceStart(i), e = m.SourceEnd(i);
    ASSERT_LE(prev, s) << what << " at " << i;
    ASSERT_LE(s, in.size()) << what;
    ASSERT_LE(e, in.size()) << what;
    if (i > 0) {
      ASSERT_GE(e, m.SourceStart(i - 1)) << what << " at " << i;
    }
    prev = s;
  }
}

TEST(DecodeTest, RandomBytesNeverBreakTheDecoder) {
  Decoded d;
  for (uint32_t seed = 1; seed <= 3000; ++seed) {
    ByteSoup soup(seed);
    std::string in = soup.Next();
    std::string what = "seed " + std::to_string(seed) + ": " + Hex(in, 80);
    Decode(in, {}, d);
    ExpectSaneDecoding(in, d, "detected " + what);
    if (seed % 5 == 0) {
      for (int e = 0; e <= static_cast<int>(Encoding::kBinary); ++e) {
        DecodeOptions o;
        o.force = static_cast<Encoding>(e);
        Decode(in, o, d);
        ExpectSaneDecoding(in, d, std::string(EncodingName(*o.force)) + " " + what);
      }
    }
  }
}

// Random sequences of whole characters in each encoding decode back exactly.
TEST(DecodeTest, RandomCharacterStringsRoundTrip) {
  std::vector<UChar32> pool;
  for (const char* s : test_util::kJapaneseParagraphs) {
    for (UChar32 c : test_util::CodePoints(s)) pool.push_back(c);
  }
  for (UChar32 c : test_util::CodePoints(test_util::kHalfWidthKana)) pool.push_back(c);
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    ByteSoup soup(seed);
    std::string text;
    size_t len = soup.Uniform(1, 120);
    for (size_t i = 0; i < len; ++i) text += test_util::Utf8Of(pool[soup.Uniform(0, pool.size() - 1)]);
    for (Form f : {Form::kSjis, Form::kEucJp, Form::kUtf16LEBom, Form::kUtf16BE, Form::kUtf8Bom}) {
      const FormInfo& info = kForms[static_cast<int>(f)];
      EncodedText t = EncodeAs(f, text);
      DecodeOptions o;
      o.force = info.encoding;
      Decoded d;
      Decode(t.bytes, o, d);
      ExpectRoundTrip(d, t, std::string(info.name) + " seed " + std::to_string(seed));
    }
  }
}

}  // namespace
}  // namespace kimitsu::text
