// TextStream: an input written in pieces, however it is cut, gives exactly
// what Document::Load gives for the whole input at once — the detection, the
// replacements, the normalized text and the way back from every span of that
// text to the input's bytes — and, read through a window that the reader
// trims, in memory that does not grow with the input.
#include "text/text_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "text/document.h"
#include "text/utf8.h"
#include "text_samples.h"
#include "text_test_util.h"

namespace kimitsu::text {
namespace {

using test_util::ByteSoup;
using test_util::Hex;

// Random tests run KIMITSU_STRESS times as many seeds when it is set.
uint32_t Seeds(uint32_t normal) {
  const char* e = std::getenv("KIMITSU_STRESS");
  return e ? normal * static_cast<uint32_t>(std::max(1, std::atoi(e))) : normal;
}

// ---------------------------------------------------------------------------
// Cutting an input into pieces

enum class Cut {
  kWhole,     // one piece
  kBytes,     // 1-byte pieces
  kTiny,      // 1..8
  kSmall,     // 1..300
  kMedium,    // 1..70,000 (crosses 64 KiB detection samples)
  kHuge,      // log-uniform 1..2 MiB
  kMixed,     // each piece of one of the above sizes
};
constexpr Cut kAllCuts[] = {Cut::kWhole, Cut::kBytes, Cut::kTiny, Cut::kSmall, Cut::kMedium, Cut::kHuge, Cut::kMixed};

const char* CutName(Cut c) {
  switch (c) {
    case Cut::kWhole: return "whole";
    case Cut::kBytes: return "bytes";
    case Cut::kTiny: return "tiny";
    case Cut::kSmall: return "small";
    case Cut::kMedium: return "medium";
    case Cut::kHuge: return "huge";
    case Cut::kMixed: return "mixed";
  }
  return "?";
}

size_t PieceSize(Cut c, std::mt19937& rng) {
  auto uniform = [&](size_t lo, size_t hi) { return std::uniform_int_distribution<size_t>(lo, hi)(rng); };
  switch (c) {
    case Cut::kWhole: return SIZE_MAX;
    case Cut::kBytes: return 1;
    case Cut::kTiny: return uniform(1, 8);
    case Cut::kSmall: return uniform(1, 300);
    case Cut::kMedium: return uniform(1, 70000);
    case Cut::kHuge: return size_t{1} << uniform(0, 21) | uniform(0, 1023);
    case Cut::kMixed: {
      static constexpr Cut kKinds[] = {Cut::kBytes, Cut::kTiny, Cut::kSmall, Cut::kMedium, Cut::kHuge};
      return PieceSize(kKinds[uniform(0, 4)], rng);
    }
  }
  return 1;
}

// Piece lengths that add up to `n`.
std::vector<size_t> Pieces(size_t n, Cut c, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<size_t> out;
  for (size_t at = 0; at < n;) {
    size_t len = std::min(n - at, PieceSize(c, rng));
    out.push_back(len);
    at += len;
  }
  return out;
}

// Two pieces, cut at `k`.
std::vector<size_t> SplitAt(size_t n, size_t k) {
  std::vector<size_t> out;
  if (k > 0) out.push_back(k);
  if (n > k) out.push_back(n - k);
  return out;
}

// ---------------------------------------------------------------------------
// The reference and the comparison

struct Case {
  std::string name;
  std::string bytes;
  DecodeOptions options;
};

// Writes `input` to `stream` in `pieces`, checking on the way that text once
// in the window is final (a prefix of the reference text) and that a
// detection, once decided, is the reference's. Does not discard.
void StreamInPieces(const Case& c, const std::vector<size_t>& pieces, const Document& doc, TextStream& stream,
                    const std::string& where) {
  stream.Begin(c.options);
  std::string_view ref = doc.text();
  size_t checked = 0;
  size_t at = 0;
  for (size_t len : pieces) {
    ASSERT_TRUE(stream.Write(std::string_view(c.bytes).substr(at, len)).ok()) << where;
    at += len;
    ASSERT_EQ(stream.input_bytes(), at) << where;
    std::string_view w = stream.window();
    ASSERT_EQ(stream.window_start(), 0u) << where;
    ASSERT_LE(w.size(), ref.size()) << where << " after " << at << " bytes";
    if (w.size() > checked) {
      ASSERT_TRUE(w.substr(checked) == ref.substr(checked, w.size() - checked))
          << where << ": text in the window after " << at << " bytes differs from the whole input's, from "
          << checked << "\n  stream: " << Hex(w.substr(checked), 48)
          << "\n  whole:  " << Hex(ref.substr(checked, w.size() - checked), 48);
      checked = w.size();
    }
    if (stream.decided()) {
      ASSERT_EQ(stream.detection().encoding, doc.decoded().encoding)
          << where << ": decided early as " << EncodingName(stream.detection().encoding) << " after " << at;
    }
  }
  ASSERT_EQ(at, c.bytes.size());
  ASSERT_TRUE(stream.Finish().ok()) << where;
  ASSERT_TRUE(stream.finished());
  ASSERT_TRUE(stream.decided());
}

// Offsets of the characters of UTF-8 `s` (and its end).
std::vector<size_t> CharStarts(std::string_view s) {
  std::vector<size_t> out;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) out.push_back(i);
  }
  out.push_back(s.size());
  return out;
}

// The whole input at once, loaded once per case.
struct Reference {
  Document doc;
  std::vector<size_t> starts;  // of the text's characters
};

void Load(const Case& c, Reference& ref) {
  ASSERT_TRUE(ref.doc.Load(c.bytes, c.options).ok());
  ref.starts = CharStarts(ref.doc.text());
}

void ExpectSameAsDocument(const Case& c, const Reference& ref, const std::vector<size_t>& pieces,
                          const std::string& where, bool every_span = true) {
  const Document& doc = ref.doc;
  TextStream stream;
  StreamInPieces(c, pieces, doc, stream, where);
  if (::testing::Test::HasFatalFailure()) return;

  const Decoded& d = doc.decoded();
  EXPECT_EQ(EncodingName(stream.detection().encoding), EncodingName(d.encoding)) << where;
  EXPECT_EQ(stream.detection().confidence, d.confidence) << where;
  EXPECT_EQ(stream.detection().bom != 0, d.had_bom) << where;
  EXPECT_EQ(stream.detection().nul_bytes, d.nul_bytes) << where;
  EXPECT_EQ(stream.replacements(), d.replacements) << where;
  EXPECT_EQ(stream.input_bytes(), c.bytes.size()) << where;
  EXPECT_EQ(stream.window_start(), 0u);
  EXPECT_EQ(stream.text_end(), doc.text().size()) << where;
  ASSERT_TRUE(stream.window() == doc.text()) << where << "\n  stream: " << Hex(stream.window(), 96)
                                             << "\n  whole:  " << Hex(doc.text(), 96);

  // Every character, every empty span, and random spans (also ones that cut
  // characters, which the maps round outwards).
  std::string_view text = doc.text();
  const std::vector<size_t>& starts = ref.starts;
  size_t bad = 0;
  auto check = [&](size_t s, size_t e) {
    ByteSpan got = stream.ToInput(s, e), want = doc.ToInput(s, e);
    if (got == want) return;
    if (++bad <= 5) {
      ADD_FAILURE() << where << ": ToInput(" << s << ", " << e << ") = [" << got.start << ", " << got.end
                    << "), whole input: [" << want.start << ", " << want.end << ") text "
                    << Hex(text.substr(s, std::min<size_t>(e - s, 24)));
    }
  };
  size_t step = every_span ? 1 : std::max<size_t>(1, starts.size() / 5000);
  for (size_t k = 0; k + 1 < starts.size(); k += step) {
    check(starts[k], starts[k + 1]);
    check(starts[k], starts[k]);
  }
  check(text.size(), text.size());
  if (!text.empty()) check(0, text.size());
  std::mt19937 rng(static_cast<uint32_t>(c.bytes.size() * 31 + pieces.size()));
  for (int i = 0; i < 300 && !text.empty(); ++i) {
    size_t s = std::uniform_int_distribution<size_t>(0, text.size())(rng);
    size_t e = std::min(text.size(), s + std::uniform_int_distribution<size_t>(0, i % 3 == 0 ? 4096 : 40)(rng));
    check(s, e);
    size_t k = std::uniform_int_distribution<size_t>(0, starts.size() - 1)(rng);
    size_t l = std::min(starts.size() - 1, k + std::uniform_int_distribution<size_t>(0, 12)(rng));
    check(starts[k], starts[l]);
  }
  EXPECT_EQ(bad, 0u) << where << ": spans that map elsewhere";
}

void ExpectSameAsDocument(const Case& c, const std::vector<size_t>& pieces, const std::string& where) {
  Reference ref;
  Load(c, ref);
  ExpectSameAsDocument(c, ref, pieces, where);
}

// Every way of cutting the case that its size affords. Every character span
// is compared for the first cuts of inputs up to 100 KB, a sample otherwise.
void ExpectSameHoweverCut(const Case& c, int seeds = 2) {
  const size_t n = c.bytes.size();
  Reference ref;
  Load(c, ref);
  bool every_span = n < 100000;
  for (Cut cut : kAllCuts) {
    if (cut == Cut::kBytes && n > 40000) continue;
    if (cut == Cut::kTiny && n > 400000) continue;
    for (int seed = 1; seed <= (cut == Cut::kWhole ? 1 : seeds); ++seed) {
      std::string where = c.name + " [" + CutName(cut) + " seed " + std::to_string(seed) + "]";
      ExpectSameAsDocument(c, ref, Pieces(n, cut, static_cast<uint32_t>(seed * 7919 + n)), where, every_span);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

// Two pieces cut at every offset (short inputs) or around `points`.
void ExpectSameCutAnywhere(const Case& c, std::vector<size_t> points = {}, size_t around = 2) {
  const size_t n = c.bytes.size();
  Reference ref;
  Load(c, ref);
  std::vector<size_t> cuts;
  if (n <= 400) {
    for (size_t k = 0; k <= n; ++k) cuts.push_back(k);
  } else {
    for (size_t p : points) {
      for (size_t k = p > around ? p - around : 0; k <= p + around && k <= n; ++k) cuts.push_back(k);
    }
  }
  for (size_t k : cuts) {
    ExpectSameAsDocument(c, ref, SplitAt(n, k), c.name + " [cut at " + std::to_string(k) + "]", n < 20000);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// ---------------------------------------------------------------------------
// Inputs

struct Enc {
  const char* name;
  const char* converter;  // for ucnv_fromUChars; nullptr: UTF-8 itself
  Encoding encoding;
  const char* bom;        // nullptr: none exists
};
constexpr Enc kEncodings[] = {
    {"UTF-8", nullptr, Encoding::kUtf8, "\xEF\xBB\xBF"},
    {"UTF-16LE", "UTF-16LE", Encoding::kUtf16LE, "\xFF\xFE"},
    {"UTF-16BE", "UTF-16BE", Encoding::kUtf16BE, "\xFE\xFF"},
    {"Shift_JIS", "windows-31j", Encoding::kShiftJis, nullptr},
    {"EUC-JP", "EUC-JP", Encoding::kEucJp, nullptr},
    {"ISO-2022-JP", "ISO-2022-JP", Encoding::kIso2022Jp, nullptr},
    {"windows-1252", "windows-1252", Encoding::kWindows1252, nullptr},
};

std::string Encode(const Enc& e, std::string_view utf8) {
  if (e.converter == nullptr) return std::string(utf8);
  if (e.encoding == Encoding::kIso2022Jp) return test_util::EncodeIso2022Jp(utf8).bytes;
  return test_util::EncodeWhole(e.converter, utf8);
}

// Text each encoding can carry, with characters that NFKC changes where the
// encoding has them.
std::string TextFor(const Enc& e) {
  using namespace test_util;
  if (e.encoding == Encoding::kWindows1252) return std::string(kLatin) + kEnglish + "½ ¼ ™ … ² µ\n";  // NFKC: 1⁄2, TM, ..., 2, μ
  std::string t;
  for (const char* p : kJapaneseParagraphs) t += p;
  t += "本書は「ＳＥＣＲＥＴ」扱いです。番号：１２３－４５６\n";
  t += kEnglish;
  if (e.encoding != Encoding::kIso2022Jp) t += kHalfWidthKana;  // ｶﾞ
  if (e.encoding != Encoding::kShiftJis && e.encoding != Encoding::kEucJp && e.encoding != Encoding::kIso2022Jp) {
    t += kSupplementary;
    t += "㈱ ㍻ ﬁ e\xCC\x81 a\xCC\x8A\xCC\x81 \xEF\xBD\xB6\xEF\xBE\x9E\n";  // ㈱ ㍻ ﬁ é ǻ ｶﾞ
  }
  if (e.encoding == Encoding::kShiftJis) t += "㈱ ①②\n";  // CP932 NEC specials, NFKC-changed
  return t;
}

std::string Repeat(std::string_view s, size_t at_least) {
  std::string out;
  while (out.size() < at_least) out += s;
  return out;
}

std::string AsciiProse(size_t at_least) {
  return Repeat("Subject: quarterly numbers, see the attached sheet (v2).\nThe meeting is on Tuesday.\n",
                at_least);
}

TEST(TextStreamTest, EveryEncodingDetectedAndForcedWithAndWithoutBom) {
  for (const Enc& e : kEncodings) {
    std::string text = TextFor(e);
    std::string bytes = Encode(e, text);
    DecodeOptions forced;
    forced.force = e.encoding;
    // Detected, short and long (several conversion buffers and normalize
    // batches), and forced.
    ExpectSameHoweverCut({std::string(e.name) + " detected", bytes, {}});
    ExpectSameHoweverCut({std::string(e.name) + " x40 detected", Repeat(bytes, 40 * bytes.size()), {}}, 1);
    ExpectSameHoweverCut({std::string(e.name) + " forced", bytes, forced});
    if (e.bom) {
      ExpectSameHoweverCut({std::string(e.name) + " BOM", e.bom + bytes, {}});
      ExpectSameHoweverCut({std::string(e.name) + " BOM forced", e.bom + bytes, forced});
      ExpectSameCutAnywhere({std::string(e.name) + " BOM short", e.bom + Encode(e, "秘 ＳＥＣＲＥＴ e\xCC\x81"), {}});
    }
    const char* short_text = e.encoding == Encoding::kWindows1252 ? "Café ½ CONFIDENTIAL™" : "取扱注意 ＳＥＣＲＥＴ";
    ExpectSameCutAnywhere({std::string(e.name) + " short", Encode(e, short_text), {}});
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(TextStreamTest, ForcedEncodingsOnBytesOfAnother) {
  std::string sjis = test_util::EncodeWhole("windows-31j", test_util::kJapaneseParagraphs[0]);
  std::string utf8 = test_util::kJapaneseParagraphs[1];
  for (const Enc& e : kEncodings) {
    DecodeOptions forced;
    forced.force = e.encoding;
    ExpectSameHoweverCut({std::string("Shift_JIS forced as ") + e.name, sjis, forced});
    ExpectSameHoweverCut({std::string("UTF-8 forced as ") + e.name, utf8, forced});
    ExpectSameCutAnywhere({std::string("odd bytes forced as ") + e.name, "\xFF\xFE\x81", forced});
    ExpectSameCutAnywhere({std::string("UTF-8 BOM forced as ") + e.name, "\xEF\xBB\xBF", forced});
  }
  DecodeOptions binary;
  binary.force = Encoding::kBinary;
  ExpectSameHoweverCut({"UTF-8 forced as binary", utf8, binary});
}

TEST(TextStreamTest, EmptyAndOneByteInputs) {
  for (DecodeOptions o : {DecodeOptions{}, DecodeOptions{Encoding::kUtf16LE}, DecodeOptions{Encoding::kShiftJis}}) {
    ExpectSameAsDocument({"empty", "", o}, {}, "empty");
    for (int b = 0; b < 256; ++b) {
      std::string one(1, static_cast<char>(b));
      ExpectSameAsDocument({"one byte", one, o}, {1}, "one byte " + Hex(one));
    }
  }
  // Begin/Finish without any write, and writes of nothing.
  Document doc;
  ASSERT_TRUE(doc.Load("ab", {}).ok());
  TextStream s;
  s.Begin({});
  ASSERT_TRUE(s.Write("").ok());
  ASSERT_TRUE(s.Write("a").ok());
  ASSERT_TRUE(s.Write("").ok());
  ASSERT_TRUE(s.Write("b").ok());
  ASSERT_TRUE(s.Finish().ok());
  EXPECT_EQ(s.window(), "ab");
  s.Begin({});
  ASSERT_TRUE(s.Finish().ok());
  EXPECT_EQ(s.window(), "");
  EXPECT_EQ(s.ToInput(0, 0), (ByteSpan{0, 0}));
}

TEST(TextStreamTest, PureAscii) {
  ExpectSameCutAnywhere({"ascii short", "CONFIDENTIAL: the plan", {}});
  std::string big = AsciiProse(300000);
  ExpectSameHoweverCut({"ascii 300 KB", big, {}});
  ExpectSameCutAnywhere({"ascii 300 KB", big, {}}, {1, 64, 16384, 65535, 65536, 65537, big.size() - 1});
  // With ESC bytes but no ISO-2022-JP escape; with a few control bytes.
  ExpectSameHoweverCut({"ascii with controls", Repeat("a\x1B[1mbold\x1B[0m\x01\tz\r\n", 100000), {}});
}

TEST(TextStreamTest, LongAsciiPrefixThenJapanese) {
  for (size_t prefix : {size_t{65536 - 40}, size_t{65536}, size_t{200000}}) {
    std::string ascii = AsciiProse(prefix).substr(0, prefix);
    std::string jp;
    for (const char* p : test_util::kJapaneseParagraphs) jp += p;
    jp += "ＳＥＣＲＥＴ ｶﾞ\n";
    for (const char* conv : {"windows-31j", "EUC-JP", "UTF-8"}) {
      std::string bytes = ascii + (std::string_view(conv) == "UTF-8" ? jp : test_util::EncodeWhole(conv, jp));
      Case c{std::string("ascii ") + std::to_string(prefix) + " + " + conv, bytes, {}};
      if (prefix != 65536) ExpectSameHoweverCut(c, 1);
      // Cuts around the first non-ASCII byte, where its sample starts and
      // ends, and at the end of the head.
      DecodeOptions o;
      size_t p = ascii.size();
      size_t s = SampleStart(p, o);
      ExpectSameCutAnywhere(c, {p, s, s + SampleSize(o), SampleSize(o), bytes.size() - 1}, 1);
      // Much Japanese after the sample too.
      if (prefix == 65536) ExpectSameHoweverCut({c.name + " long", bytes + Repeat(bytes.substr(p), 300000), {}}, 1);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

TEST(TextStreamTest, Utf16WithoutBom) {
  std::string text;
  for (const char* p : test_util::kJapaneseParagraphs) text += p;
  text += test_util::kEnglish;
  text += test_util::kSupplementary;
  text += "ＳＥＣＲＥＴ ㈱ ｶﾞ e\xCC\x81\n";
  for (const char* conv : {"UTF-16LE", "UTF-16BE"}) {
    std::string bytes = test_util::EncodeWhole(conv, text);
    ExpectSameHoweverCut({std::string(conv) + " no BOM", bytes, {}});
    ExpectSameHoweverCut({std::string(conv) + " no BOM long", Repeat(bytes, 300000), {}}, 1);
    ExpectSameHoweverCut({std::string(conv) + " English no BOM", test_util::EncodeWhole(conv, Repeat(test_util::kEnglish, 5000)), {}});
    // An odd length: a byte cut off at the end.
    ExpectSameHoweverCut({std::string(conv) + " odd", bytes + "A", {}});
    // An unpaired surrogate in the middle and one cut off at the end.
    std::string lone = std::string_view(conv) == "UTF-16LE" ? std::string("\x3D\xD8", 2) : std::string("\xD8\x3D", 2);
    ExpectSameHoweverCut({std::string(conv) + " lone surrogates", bytes + lone + bytes + lone, {}});
  }
}

TEST(TextStreamTest, BinaryInput) {
  std::string bin;
  std::mt19937 rng(7);
  for (int i = 0; i < 100000; ++i) {
    bin += static_cast<char>(i % 5 == 0 ? 0 : rng() % 256);
    if (i % 1000 == 0) bin += "SECRET password=hunter2 取扱注意";
  }
  ExpectSameHoweverCut({"binary", bin, {}});
  ExpectSameCutAnywhere({"binary short", std::string("\0\0\0\x01\x02PK\x03\x04\0\x80\xFF\0abc", 17), {}});
  // UTF-16LE strings (turned into their ASCII text), strings too short to
  // be one, and UTF-8 sequences cut off by a string, whatever the pieces.
  auto wide = [](std::string_view ascii) {
    std::string w;
    for (char c : ascii) w.append({c, '\0'});
    return w;
  };
  std::string mixed = std::string("\0\x01\x02", 3) + wide("TOP SECRET memo\r\n") + std::string("\x01\xE5\x8F", 3) +
                      wide("AKIA2QX7LR9WT4KZ8MNP") + wide("abc") + "x" + wide("defg") + "\xC3" + wide("hijk") + "y" +
                      std::string("\0\0", 2) + wide("tail");
  ExpectSameCutAnywhere({"binary with UTF-16LE strings", mixed, {}});
  ExpectSameCutAnywhere({"binary ending in a UTF-16LE unit cut", std::string("\0\x01", 2) + wide("abcdef") + "g", {}});
}

TEST(TextStreamTest, DamagedUtf8) {
  std::string good;
  for (const char* p : test_util::kJapaneseParagraphs) good += p;
  // Truncated sequences, stray continuation bytes, overlongs, surrogates, bytes
  // that never occur.
  const char* damage[] = {"\xE3\x81", "\xE3", "\xF0\x9F\x98", "\x80", "\xBF\xBF", "\xC0\xAF", "\xED\xA0\x80",
                          "\xF4\x90\x80\x80", "\xFF", "\xC2", "\xE0\x80\x80", "\xF0\x9F"};
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    bytes += good.substr(0, 50 + i * 7);
    bytes += damage[i % std::size(damage)];
    bytes += "ＳＥＣＲＥＴ";
  }
  ExpectSameHoweverCut({"damaged UTF-8", bytes, {}}, 3);
  // Damage at the very end, and pieces cut inside each damaged sequence.
  for (const char* d : damage) {
    std::string s = std::string("秘密 e") + d + "\xCC\x81 x" + d;
    ExpectSameCutAnywhere({std::string("damage ") + Hex(d), s, {}});
    ExpectSameCutAnywhere({std::string("damage sample 64 ") + Hex(d), s, DecodeOptions{std::nullopt, 64}});
  }
  // Long: mostly good text, damage every few KiB, so that detection says UTF-8.
  std::string longer;
  for (int i = 0; longer.size() < 500000; ++i) {
    longer += good;
    longer += damage[i % std::size(damage)];
  }
  ExpectSameHoweverCut({"damaged UTF-8 long", longer, {}}, 1);
}

TEST(TextStreamTest, Iso2022JpWithEscapesAtPieceEdges) {
  std::string text;
  for (const char* p : test_util::kJapaneseParagraphs) text += p;
  std::string bytes = test_util::EncodeIso2022Jp(text).bytes;
  // Every piece edge falls at every kind of place in some cut.
  ExpectSameHoweverCut({"ISO-2022-JP", bytes, {}}, 4);
  ExpectSameCutAnywhere({"ISO-2022-JP short", test_util::EncodeIso2022Jp("秘 ab 取扱注意 x").bytes, {}});
  // Pieces cut at every offset of every escape sequence.
  std::vector<size_t> escapes;
  for (size_t i = bytes.find('\x1B'); i != std::string::npos && escapes.size() < 40; i = bytes.find('\x1B', i + 1)) {
    escapes.push_back(i);
  }
  ExpectSameCutAnywhere({"ISO-2022-JP escapes", bytes, {}}, escapes);
  // ICU's own encoder (other escape choices), a stray 8-bit byte, an escape
  // cut off at the end, shifts SO/SI.
  std::string icu = test_util::EncodeWhole("ISO-2022-JP", text + "ＳＥＣＲＥＴ ① ㈱\n");
  ExpectSameHoweverCut({"ISO-2022-JP by ICU", icu, {}}, 3);
  ExpectSameHoweverCut({"ISO-2022-JP stray", bytes.substr(0, 301) + "\x80" + bytes.substr(301) + "\x1B$", {}}, 3);
  ExpectSameHoweverCut({"ISO-2022-JP long", Repeat(bytes, 300000), {}}, 1);
  DecodeOptions forced;
  forced.force = Encoding::kIso2022Jp;
  // Many escape sequences between two characters, cut after them: the span of
  // the character before them ends where they begin.
  std::string shifts;
  for (int i = 0; i < 20; ++i) shifts += "\x1B(B\x1B$B";
  std::string many = "\x1B$B" + test_util::EncodeIso2022Jp("秘").bytes.substr(3, 2) + shifts + "!!\x1B(BA";
  ExpectSameCutAnywhere({"ISO-2022-JP many escapes", many, forced});
  ExpectSameCutAnywhere({"ISO-2022-JP many escapes", Repeat(many, 1000), forced}, {many.size() - 4, 2 * many.size() - 4});
  ExpectSameCutAnywhere({"ISO-2022-JP shifts", "\x1B$)C\x0E!!\x0F" "ab\x1B(I1\x1B(Bc\x1B$B", forced});
}

TEST(TextStreamTest, TextThatNfkcChanges) {
  std::string text;
  for (int i = 0; i < 3000; ++i) {
    text += "ＳＥＣＲＥＴ ｶﾞｲﾄﾞ ㈱ ㍻ １２３ ﬁle e\xCC\x81 a\xCC\x8A\xCC\x81 ";
    text += test_util::kJapaneseParagraphs[i % 5];
  }
  ExpectSameHoweverCut({"NFKC UTF-8", text, {}});
  ExpectSameHoweverCut({"NFKC Shift_JIS", test_util::EncodeWhole("windows-31j", Repeat("ＳＥＣＲＥＴ ｶﾞｲﾄﾞ ㈱ ①", 100000)), {}});
  ExpectSameCutAnywhere({"NFKC short", "ＳＥＣＲＥＴ ｶﾞ ㈱ e\xCC\x81", {}});
}

TEST(TextStreamTest, CombiningMarksSplitAcrossPieces) {
  // e + U+0301, and longer runs of marks, on both sides of piece edges and of
  // the 16 KiB normalize batches.
  std::string text;
  for (int i = 0; text.size() < 100000; ++i) {
    text += std::string(static_cast<size_t>(i % 50), 'x');
    text += "e\xCC\x81";  // é
    if (i % 7 == 0) text += "\xCC\xA3\xCC\x81\xCC\x88";  // more marks, reordered by NFKC
    if (i % 11 == 0) text += "\xE3\x82\xAB\xE3\x82\x99";  // カ + combining voiced mark
    if (i % 13 == 0) text += "\xEF\xBD\xB6\xEF\xBE\x9E";  // ｶﾞ
  }
  ExpectSameHoweverCut({"combining marks", text, {}}, 3);
  std::vector<size_t> marks;
  for (size_t i = text.find("\xCC\x81"); i != std::string::npos && marks.size() < 12; i = text.find("\xCC\x81", i + 1)) {
    marks.push_back(i);
  }
  marks.push_back(16384);
  marks.push_back(32768);
  ExpectSameCutAnywhere({"combining marks", text, {}}, marks, 1);
  // A run of marks longer than NfkcSafePrefixLength looks back over (and
  // which ICU reorders: short, as that takes quadratic time).
  std::string run = "abc e" + Repeat("\xCC\x81\xCC\xA3", 2000) + " tail ＳＥＣＲＥＴ";
  ExpectSameHoweverCut({"long run of marks", run, {}}, 2);
}

// Once decided, well-formed UTF-8 is normalized from the written bytes
// themselves (up to the last safe cut in them), after what waits in the
// decoder's output with the written bytes up to their first safe cut. With
// a 64-byte sample every cut of these texts reaches that path: marks that
// compose with the last character of the previous piece, a character cut in
// two, a run of marks longer than the look-back, ill-formed bytes.
TEST(TextStreamTest, WrittenUtf8NormalizedInPlaceCutAnywhere) {
  const std::string texts[] = {
      "The stamp reads: 秘密 e\xCC\x81 か\xE3\x82\x99 ｶﾞｲﾄﾞ ＳＥＣＲＥＴ １２３ ㈱\n" "a\xCC\x8A\xCC\x81 end",
      "header line for the sample, long enough to be judged: " + Repeat("\xCC\x81\xCC\xA3", 40) + " tail",
      "x" + Repeat("秘密の文書です。", 12) + "\xE3\x82\x99\xE3\x82\x9A" + Repeat("e\xCC\x81", 10) + "\xFF ok",
  };
  for (size_t k = 0; k < std::size(texts); ++k) {
    Case c{"in place " + std::to_string(k), texts[k], {}};
    c.options.detection_sample = 64;
    ExpectSameCutAnywhere(c);
    if (::testing::Test::HasFatalFailure()) return;
    for (Cut cut : {Cut::kBytes, Cut::kTiny, Cut::kSmall}) {
      ExpectSameAsDocument(c, Pieces(c.bytes.size(), cut, static_cast<uint32_t>(k + 1)), c.name + " " + CutName(cut));
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

// Random bytes and random text, with small detection samples too, so that
// head, sample and decoding edges fall everywhere.
TEST(TextStreamTest, RandomInputsAndSmallDetectionSamples) {
  for (uint32_t seed = 1; seed <= Seeds(150); ++seed) {
    ByteSoup soup(seed);
    std::string in = std::string(soup.Uniform(0, 200), 'a') + soup.Next(600);
    for (size_t sample : {size_t{64}, size_t{100}, size_t{65536}}) {
      Case c{"soup " + std::to_string(seed) + " sample " + std::to_string(sample), in, {}};
      c.options.detection_sample = sample;
      for (Cut cut : {Cut::kBytes, Cut::kTiny, Cut::kSmall}) {
        ExpectSameAsDocument(c, Pieces(in.size(), cut, seed), c.name + " " + CutName(cut));
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
  // Japanese encodings cut anywhere with a 64-byte sample.
  for (const char* conv : {"windows-31j", "EUC-JP"}) {
    std::string bytes = "abc " + test_util::EncodeWhole(conv, "取扱注意の資料です。社外秘ＳＥＣＲＥＴ");
    Case c{std::string(conv) + " sample 64", bytes, {}};
    c.options.detection_sample = 64;
    ExpectSameCutAnywhere(c);
  }
}

// Random bytes forced through every converter, cut into small pieces: the
// converters' error paths (bytes held from one piece to the next that turn
// out ill-formed) at every piece edge. For ISO-2022-JP, bytes mostly of its
// escape sequences.
TEST(TextStreamTest, RandomBytesForcedThroughEveryEncoding) {
  static const char kIso[] = {'\x1B', '$', '(', ')', 'B', '@', 'J', 'I', 'D', '!', '"', '~', '\x0E', '\x0F', '\n', '\x80', 'A', '.', 'N'};
  for (const Enc& e : kEncodings) {
    for (uint32_t seed = 1; seed <= Seeds(40); ++seed) {
      ByteSoup soup(seed * 13 + static_cast<uint32_t>(e.encoding));
      std::string in = soup.Next(seed % 10 == 0 ? 4000 : 400);
      if (e.encoding == Encoding::kIso2022Jp) {
        for (char& ch : in) ch = kIso[static_cast<unsigned char>(ch) % std::size(kIso)];
      }
      Case c{std::string("soup ") + std::to_string(seed) + " forced " + e.name, in, {e.encoding}};
      Reference ref;
      Load(c, ref);
      for (Cut cut : {Cut::kBytes, Cut::kTiny, Cut::kSmall}) {
        ExpectSameAsDocument(c, ref, Pieces(in.size(), cut, seed), c.name + " " + CutName(cut));
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

// The input ends exactly where the detection sample does, in the middle of a
// character: whether the sample "reaches the end" decides whether the cut-off
// character counts against the encoding. A stream that has the whole sample
// but not yet the end must not decide as if more followed.
TEST(TextStreamTest, InputEndingWhereTheSampleEnds) {
  size_t differ = 0;
  for (const char* conv : {"windows-31j", "EUC-JP"}) {
    for (size_t sample : {size_t{64}, size_t{100}, size_t{256}}) {
      DecodeOptions o;
      o.detection_sample = sample;
      // Few double-byte characters, so that one cut off tips the balance.
      std::string ascii = "Memo: ";
      std::string body = test_util::EncodeWhole(conv, Repeat("秘a密b", 400));
      const size_t end = SampleStart(ascii.size(), o) + SampleSize(o);
      const char lead = std::string_view(conv) == "EUC-JP" ? '\xC8' : '\x93';
      for (size_t cut : {end, end - 1, end + 1}) {
        std::string bytes = (ascii + body).substr(0, cut);
        bytes.back() = lead;  // a character cut off by the end
        Case c{std::string(conv) + " ends near the sample end " + std::to_string(sample) + "/" +
                   std::to_string(cut),
               bytes, o};
        Document whole, more;
        ASSERT_TRUE(whole.Load(bytes, o).ok());
        std::string longer = bytes + "\x81";
        ASSERT_TRUE(more.Load(longer, o).ok());
        differ += whole.decoded().encoding != more.decoded().encoding;
        ExpectSameCutAnywhere(c);
        for (Cut k : {Cut::kBytes, Cut::kTiny}) ExpectSameAsDocument(c, Pieces(bytes.size(), k, 3), c.name);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
  // The case is one where it matters.
  EXPECT_GT(differ, 0u);
}

// The ASCII before the first non-ASCII byte is passed through before the
// encoding is known, so every encoding that detection can choose then must
// read those bytes as themselves: ICU's CP932 table reads 0x1A, 0x1C and 0x7F
// as U+001C, U+007F and U+001A.
TEST(TextStreamTest, ControlBytesBeforeShiftJis) {
  std::string controls = "ctl \x1A \x1C \x7F \x1B \x0E \x0F end\n";
  std::string jp;
  for (const char* p : test_util::kJapaneseParagraphs) jp += p;
  for (const char* conv : {"windows-31j", "EUC-JP"}) {
    std::string tail = test_util::EncodeWhole(conv, jp) + controls;
    for (size_t prefix : {size_t{1000}, size_t{70000}}) {
      std::string bytes = Repeat(controls + AsciiProse(200), prefix) + tail;
      Case c{std::string("controls ") + std::to_string(prefix) + " + " + conv, bytes, {}};
      ExpectSameHoweverCut(c, 1);
      Document doc;
      ASSERT_TRUE(doc.Load(bytes).ok());
      EXPECT_EQ(doc.text().substr(0, controls.size()), controls);
      EXPECT_TRUE(doc.text().ends_with(controls)) << conv;
    }
  }
}

// ---------------------------------------------------------------------------
// A long input read through a trimmed window

TEST(TextStreamTest, DiscardingKeepsTheWindowBoundedAndSpansExact) {
  constexpr size_t kKeep = 64 * 1024;
  constexpr size_t kPiece = 1 << 20;
  // Several MB of mixed text: Shift_JIS with NFKC changes, and UTF-8.
  std::string jp;
  for (int i = 0; i < 5; ++i) jp += std::string(test_util::kJapaneseParagraphs[i]) + "ＳＥＣＲＥＴ ｶﾞｲﾄﾞ ①\n";
  std::string utf8 = Repeat(jp + "e\xCC\x81 ﬁ 😀\n" + test_util::kEnglish, 5 << 20);
  std::string sjis = test_util::EncodeWhole("windows-31j", Repeat(jp + test_util::kEnglish, 3 << 20));
  std::string ascii_then_eucjp = AsciiProse(100000) + test_util::EncodeWhole("EUC-JP", Repeat(jp, 3 << 20));
  for (const Case& c : {Case{"UTF-8 5 MB", utf8, {}}, Case{"Shift_JIS 3 MB", sjis, {}},
                        Case{"ASCII + EUC-JP 3 MB", ascii_then_eucjp, {}}}) {
    Document doc;
    ASSERT_TRUE(doc.Load(c.bytes, {}).ok());
    const std::string_view ref = doc.text();
    TextStream s;
    s.Begin({});
    std::mt19937 rng(11);
    size_t max_window = 0, checks = 0;
    auto check_window = [&] {
      std::string_view w = s.window();
      ASSERT_TRUE(w == ref.substr(s.window_start(), w.size())) << c.name << " at " << s.window_start();
      for (int i = 0; i < 200 && !w.empty(); ++i) {
        size_t a = s.window_start() + std::uniform_int_distribution<size_t>(0, w.size())(rng);
        size_t b = std::min(s.text_end(), a + std::uniform_int_distribution<size_t>(0, 64)(rng));
        ASSERT_EQ(s.ToInput(a, b), doc.ToInput(a, b)) << c.name << " span [" << a << ", " << b << ")";
        ++checks;
      }
      // The first and last spans of the window.
      ASSERT_EQ(s.ToInput(s.window_start(), s.window_start() + std::min<size_t>(w.size(), 3)),
                doc.ToInput(s.window_start(), s.window_start() + std::min<size_t>(w.size(), 3)));
      ASSERT_EQ(s.ToInput(s.text_end(), s.text_end()), doc.ToInput(s.text_end(), s.text_end()));
    };
    for (size_t at = 0; at < c.bytes.size(); at += kPiece) {
      // Pieces of 1 MiB, give or take, so that edges fall anywhere.
      size_t len = std::min(c.bytes.size() - at, kPiece);
      ASSERT_TRUE(s.Write(std::string_view(c.bytes).substr(at, len)).ok());
      max_window = std::max(max_window, s.window().size());
      check_window();
      if (s.text_end() > kKeep) s.DiscardBefore(s.text_end() - kKeep);
      EXPECT_LE(s.window().size(), kKeep);
      check_window();
      if (::testing::Test::HasFatalFailure()) return;
    }
    ASSERT_TRUE(s.Finish().ok());
    max_window = std::max(max_window, s.window().size());
    check_window();
    EXPECT_EQ(s.text_end(), ref.size()) << c.name;
    EXPECT_EQ(s.replacements(), doc.decoded().replacements);
    EXPECT_EQ(s.detection().encoding, doc.decoded().encoding);
    EXPECT_LT(max_window, size_t{2} << 20) << c.name << ": the window grew with the input";
    EXPECT_GT(checks, 1000u);
    // Discarding never moves backwards, nor past the end.
    size_t start = s.window_start();
    s.DiscardBefore(start - 1);
    EXPECT_EQ(s.window_start(), start);
    s.DiscardBefore(s.text_end() + 100);
    EXPECT_EQ(s.window_start(), ref.size());
    EXPECT_EQ(s.window().size(), 0u);
  }
}

}  // namespace
}  // namespace kimitsu::text
