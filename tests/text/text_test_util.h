// Helpers shared by the text-layer tests. Everything here computes its answer
// independently of the code under test: encodings come from ICU's encoders
// (ucnv_fromUChars), one character at a time, so the byte span of every
// character in an encoded buffer is known without asking the decoder.
#ifndef KIMITSU_TESTS_TEXT_TEXT_TEST_UTIL_H_
#define KIMITSU_TESTS_TEXT_TEXT_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace kimitsu::text::test_util {

// One character of a sample: its UTF-8 form and the byte span it occupies in
// an encoded buffer.
struct EncodedChar {
  std::string utf8;
  size_t start;
  size_t end;
};

struct EncodedText {
  std::string bytes;                // the encoded buffer
  std::vector<EncodedChar> chars;   // in order
};

// The code points of UTF-8 `s` (which must be well-formed).
inline std::vector<UChar32> CodePoints(std::string_view s) {
  std::vector<UChar32> out;
  int32_t i = 0, n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(s.data(), i, n, c);
    out.push_back(c);
  }
  return out;
}

inline std::string Utf8Of(UChar32 c) {
  char buf[4];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, 4, c, error);
  (void)error;
  return std::string(buf, static_cast<size_t>(n));
}

// Encodes one code point with ICU's converter `converter` (a fresh converter,
// so stateful encodings start in their initial state). Fails the test if the
// character is not representable.
inline std::string EncodeOne(const char* converter, UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* cnv = ucnv_open(converter, &status);
  EXPECT_TRUE(U_SUCCESS(status)) << converter;
  ucnv_setFromUCallBack(cnv, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  UChar u[2];
  int32_t len = 0;
  U16_APPEND_UNSAFE(u, len, c);
  char out[32];
  int32_t n = ucnv_fromUChars(cnv, out, sizeof out, u, len, &status);
  EXPECT_TRUE(U_SUCCESS(status)) << converter << " cannot encode U+" << std::hex << c;
  ucnv_close(cnv);
  return std::string(out, U_SUCCESS(status) ? static_cast<size_t>(n) : 0);
}

// Encodes the whole of UTF-8 `s` with one converter call.
inline std::string EncodeWhole(const char* converter, std::string_view s) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  UErrorCode status = U_ZERO_ERROR;
  UConverter* cnv = ucnv_open(converter, &status);
  EXPECT_TRUE(U_SUCCESS(status));
  ucnv_setFromUCallBack(cnv, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  std::string out(static_cast<size_t>(u.length()) * 8 + 16, '\0');
  int32_t n = ucnv_fromUChars(cnv, out.data(), static_cast<int32_t>(out.size()), u.getBuffer(),
                              u.length(), &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  ucnv_close(cnv);
  out.resize(U_SUCCESS(status) ? static_cast<size_t>(n) : 0);
  return out;
}

// Encodes UTF-8 `s` character by character with a stateless converter, after
// `prefix` bytes (a BOM), recording each character's span.
inline EncodedText EncodeByChar(const char* converter, std::string_view s,
                                std::string_view prefix = {}) {
  EncodedText t;
  t.bytes.assign(prefix);
  for (UChar32 c : CodePoints(s)) {
    std::string b = EncodeOne(converter, c);
    t.chars.push_back({Utf8Of(c), t.bytes.size(), t.bytes.size() + b.size()});
    t.bytes += b;
  }
  return t;
}

// UTF-8 itself, by the same scheme (the spans of a UTF-8 buffer are its
// characters' own bytes).
inline EncodedText Utf8ByChar(std::string_view s, std::string_view prefix = {}) {
  EncodedText t;
  t.bytes.assign(prefix);
  for (UChar32 c : CodePoints(s)) {
    std::string b = Utf8Of(c);
    t.chars.push_back({b, t.bytes.size(), t.bytes.size() + b.size()});
    t.bytes += b;
  }
  return t;
}

// ISO-2022-JP built by hand from per-character EUC-JP codes: ASCII in ASCII
// mode, JIS X 0208 (EUC-JP bytes with the high bit cleared) after ESC $ B,
// ESC ( B before ASCII and at the end. Escapes belong to no character.
inline EncodedText EncodeIso2022Jp(std::string_view s) {
  EncodedText t;
  bool kanji = false;
  for (UChar32 c : CodePoints(s)) {
    std::string e = EncodeOne("EUC-JP", c);
    if (e.size() == 1) {
      if (kanji) t.bytes += "\x1B(B";
      kanji = false;
    } else {
      EXPECT_EQ(e.size(), 2u) << "not in JIS X 0208: U+" << std::hex << c;
      if (!kanji) t.bytes += "\x1B$B";
      kanji = true;
      for (char& b : e) b = static_cast<char>(b & 0x7F);
    }
    t.chars.push_back({Utf8Of(c), t.bytes.size(), t.bytes.size() + e.size()});
    t.bytes += e;
  }
  if (kanji) t.bytes += "\x1B(B";
  return t;
}

inline std::string JoinUtf8(const EncodedText& t) {
  std::string s;
  for (const auto& c : t.chars) s += c.utf8;
  return s;
}

// Printable hex of bytes, for failure messages.
inline std::string Hex(std::string_view s, size_t max = 64) {
  static const char* kDigits = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < s.size() && i < max; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (i) out += ' ';
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  if (s.size() > max) out += " ...";
  return out;
}

// Random byte strings mixing the kinds of bytes that stress decoders.
class ByteSoup {
 public:
  explicit ByteSoup(uint32_t seed) : rng_(seed) {}

  std::string Next(size_t max_len = 300) {
    size_t len = Uniform(0, max_len);
    // Each string leans on a few kinds of bytes, so that some look like
    // UTF-8, some like Shift_JIS, some like binary.
    uint32_t kinds = static_cast<uint32_t>(Uniform(1, 127));
    std::string s;
    while (s.size() < len) {
      int kind;
      do kind = static_cast<int>(Uniform(0, 6));
      while (!(kinds & (1u << kind)));
      switch (kind) {
        case 0: s += static_cast<char>(Uniform(0x20, 0x7E)); break;                   // ASCII
        case 1: s += "\n\r\t \x0C"[Uniform(0, 4)]; break;                            // space
        case 2: s += Utf8Of(RandomScalar()); break;                                   // UTF-8
        case 3: {                                                                     // SJIS-like
          unsigned lead = Uniform(0, 1) ? Uniform(0x81, 0x9F) : Uniform(0xE0, 0xFC);
          s += static_cast<char>(lead);
          s += static_cast<char>(Uniform(0x40, 0xFC));
          if (Uniform(0, 3) == 0) s += static_cast<char>(Uniform(0xA1, 0xDF));  // half-width kana
          break;
        }
        case 4: s += '\0'; break;                                                     // NUL
        case 5: s += static_cast<char>(Uniform(0x80, 0xFF)); break;                   // garbage
        case 6: s += static_cast<char>(Uniform(0x00, 0x1F)); break;                   // controls
      }
    }
    if (s.size() > len) s.resize(len);  // may cut a sequence: also wanted
    return s;
  }

  UChar32 RandomScalar() {
    switch (Uniform(0, 3)) {
      case 0: return static_cast<UChar32>(Uniform(0x80, 0x7FF));
      case 1: {
        UChar32 c;
        do c = static_cast<UChar32>(Uniform(0x800, 0xFFFF));
        while (U_IS_SURROGATE(c));
        return c;
      }
      case 2: return static_cast<UChar32>(Uniform(0x3000, 0x9FFF));  // kana, kanji
      default: return static_cast<UChar32>(Uniform(0x10000, 0x10FFFF));
    }
  }

  size_t Uniform(size_t lo, size_t hi) {
    return std::uniform_int_distribution<size_t>(lo, hi)(rng_);
  }
  std::mt19937& rng() { return rng_; }

 private:
  std::mt19937 rng_;
};

}  // namespace kimitsu::text::test_util

#endif  // KIMITSU_TESTS_TEXT_TEXT_TEST_UTIL_H_
