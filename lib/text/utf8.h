// UTF-8 helpers used on every hot path: validation with an ASCII fast path,
// code point decoding, and lossy repair of invalid input.
#ifndef KIMITSU_TEXT_UTF8_H_
#define KIMITSU_TEXT_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kimitsu::text {

class OffsetMap;

// True for a UTF-8 continuation byte (10xxxxxx): not the start of a character.
inline bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// True when every byte is below 0x80. Reads eight bytes at a time.
bool IsAscii(std::string_view s);

// Length of the leading run of ASCII bytes.
size_t AsciiPrefixLength(std::string_view s);

// Length in bytes of the well-formed UTF-8 sequence starting at s[i], or 0 when
// the bytes there are not one (strict: no overlongs, no surrogates, nothing
// above U+10FFFF, no truncated sequences).
size_t WellFormedSequenceLength(std::string_view s, size_t i);

// Length of the maximal ill-formed subpart at s[i] (which does not start a
// well-formed sequence): the longest prefix of a well-formed sequence that is
// present there, or one byte.
size_t IllFormedSubpartLength(std::string_view s, size_t i);

// Length of the longest prefix of `s` that is well-formed UTF-8.
size_t ValidUtf8PrefixLength(std::string_view s);

inline bool IsValidUtf8(std::string_view s) { return ValidUtf8PrefixLength(s) == s.size(); }

// Statistics of a UTF-8 reading of `s`, used to tell mostly-UTF-8 text with a
// few damaged bytes from text in another encoding.
struct Utf8Census {
  size_t multibyte_sequences = 0;  // well-formed sequences of 2..4 bytes
  size_t invalid_sequences = 0;    // maximal ill-formed subparts
  size_t nul_bytes = 0;
  size_t control_bytes = 0;        // C0 controls other than \t \n \v \f \r ESC, and DEL
  size_t high_bytes = 0;           // bytes 0x80..0xFF
};
Utf8Census TakeUtf8Census(std::string_view s);

// The number of NUL bytes in `s` (memchr: text has none, or a few).
size_t CountNulBytes(std::string_view s);

// Decodes the code point at s[i] (which must start a well-formed sequence)
// and advances i past it.
char32_t DecodeAt(std::string_view s, size_t& i);

// Appends the UTF-8 encoding of `cp` (which must be a scalar value).
// (Inline: decoders call it once per character.)
inline void AppendUtf8(char32_t cp, std::string& out) {
  char b[4];
  size_t n;
  if (cp < 0x80) {
    b[0] = static_cast<char>(cp), n = 1;
  } else if (cp < 0x800) {
    b[0] = static_cast<char>(0xC0 | (cp >> 6)), b[1] = static_cast<char>(0x80 | (cp & 0x3F)), n = 2;
  } else if (cp < 0x10000) {
    b[0] = static_cast<char>(0xE0 | (cp >> 12)), b[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    b[2] = static_cast<char>(0x80 | (cp & 0x3F)), n = 3;
  } else {
    b[0] = static_cast<char>(0xF0 | (cp >> 18)), b[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    b[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), b[3] = static_cast<char>(0x80 | (cp & 0x3F)), n = 4;
  }
  out.append(b, n);
}

// Copies `s` into `out`, replacing each maximal ill-formed subpart with
// U+FFFD (the W3C/Unicode "substitution of maximal subparts" practice), and
// appends to `map` how bytes of `out` relate to bytes of `s`. Returns the
// number of replacements made.
size_t RepairUtf8(std::string_view s, std::string& out, OffsetMap& map);

}  // namespace kimitsu::text

#endif  // KIMITSU_TEXT_UTF8_H_
