#include "text/utf8.h"

#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/offset_map.h"

namespace kimitsu::text {

size_t AsciiPrefixLength(std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  size_t i = 0;
#if defined(__SSE2__)
  // 64 bytes per step while all are ASCII (one movemask of their OR), then
  // 16 at a time to find the first high byte.
  for (; i + 64 <= n; i += 64) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16));
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 32));
    const __m128i d = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 48));
    if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))) != 0) break;
  }
  for (; i + 16 <= n; i += 16) {
    const int high = _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
    if (high != 0) return i + static_cast<size_t>(std::countr_zero(static_cast<unsigned>(high)));
  }
#endif
  // Eight bytes at a time (the portable path, and the tail).
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if ((w & 0x8080808080808080ull) != 0) break;
  }
  while (i < n && static_cast<unsigned char>(p[i]) < 0x80) ++i;
  return i;
}

bool IsAscii(std::string_view s) { return AsciiPrefixLength(s) == s.size(); }

size_t WellFormedSequenceLength(std::string_view s, size_t i) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  unsigned char c = b[i];
  if (c < 0x80) return 1;
  auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i + k < n && b[i + k] >= lo && b[i + k] <= hi;
  };
  // Table 3-7 of the Unicode Standard: well-formed byte sequences.
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0, 0xBF) && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90, 0xBF) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

// Length of the maximal ill-formed subpart at s[i]: the longest prefix of a
// well-formed sequence that is present, or one byte.
size_t IllFormedSubpartLength(std::string_view s, size_t i) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  unsigned char c = b[i];
  unsigned char lo = 0x80, hi = 0xBF;
  size_t need;
  if (c >= 0xC2 && c <= 0xDF) need = 1;
  else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 1;
  }
  size_t k = 1;
  if (i + k < n && b[i + k] >= lo && b[i + k] <= hi) {
    ++k;
    while (k <= need && i + k < n && b[i + k] >= 0x80 && b[i + k] <= 0xBF) ++k;
  }
  return k;
}

namespace {

// The little-endian reading of b[i, i+4).
inline uint32_t Load32(const unsigned char* b, size_t i) {
  uint32_t w;
  std::memcpy(&w, b + i, 4);
  if constexpr (std::endian::native == std::endian::big) {
    w = (w & 0xFF) << 24 | (w & 0xFF00) << 8 | (w >> 8 & 0xFF00) | w >> 24;
  }
  return w;
}

// Whether the little-endian word `w` starts with a three-byte sequence of
// the common kind: 1110xxxx 10xxxxxx 10xxxxxx with a lead byte other than E0
// and ED (whose next byte is restricted): every BMP character but
// U+0000..U+0FFF and U+D000..U+D7FF, so all kana, kanji and full-width forms.
inline bool StartsCommonThreeByte(uint32_t w) {
  return (w & 0x00C0C0F0) == 0x008080E0 && (0xDFFEu >> (w & 0x0F) & 1) != 0;
}

// The end of the run of such sequences from b[i], one load each.
inline size_t CommonThreeByteRunEnd(const unsigned char* b, size_t i, size_t n) {
  while (i + 4 <= n && StartsCommonThreeByte(Load32(b, i))) i += 3;
  return i;
}

// The length of the well-formed 2- or 3-byte sequence at b[i] when it is one
// of the common ones (lead bytes C2..DF, and E1..EC, EE, EF), else 0.
inline size_t CommonSequenceLength(const unsigned char* b, size_t i, size_t n) {
  const unsigned char c = b[i];
  if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < n && (b[i + 1] & 0xC0) == 0x80 && (b[i + 2] & 0xC0) == 0x80) {
    return 3;
  }
  if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (b[i + 1] & 0xC0) == 0x80) return 2;
  return 0;
}

}  // namespace

size_t ValidUtf8PrefixLength(std::string_view s) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0, n = s.size();
  while (i < n) {
    if (b[i] < 0x80) {
      i += AsciiPrefixLength(s.substr(i));
      continue;
    }
    // A run of other characters: the common ones inline, the rest by
    // WellFormedSequenceLength.
    do {
      i = CommonThreeByteRunEnd(b, i, n);
      if (i >= n || b[i] < 0x80) break;
      size_t len = CommonSequenceLength(b, i, n);
      if (len == 0 && (len = WellFormedSequenceLength(s, i)) == 0) return i;
      i += len;
    } while (i < n && b[i] >= 0x80);
  }
  return n;
}

Utf8Census TakeUtf8Census(std::string_view s) {
  Utf8Census c;
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0, n = s.size();
  while (i < n) {
#if defined(__SSE2__)
    // Sixteen bytes at once while none counts: printable ASCII, \t..\r, ESC.
    while (i + 16 <= n) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + i));
      const __m128i printable = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0x1F)), _mm_cmplt_epi8(x, _mm_set1_epi8(0x7F)));
      const __m128i space = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(0x08)), _mm_cmplt_epi8(x, _mm_set1_epi8(0x0E)));
      const __m128i esc = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x1B));
      if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(printable, space), esc)) != 0xFFFF) break;
      i += 16;
    }
#endif
    // Eight printable ASCII bytes at once: none is high, below 0x20 or 0x7F.
    constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, b + i, 8);
      const uint64_t del = w ^ (kOnes * 0x7F);
      if (((w | ((w - kOnes * 0x20) & ~w) | ((del - kOnes) & ~del)) & kHighs) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char x = b[i];
    if (x < 0x80) {
      if (x == 0) ++c.nul_bytes;
      else if ((x < 0x20 && x != '\t' && x != '\n' && x != '\v' && x != '\f' && x != '\r' &&
                x != 0x1B) || x == 0x7F)
        ++c.control_bytes;
      ++i;
      continue;
    }
    const size_t run = CommonThreeByteRunEnd(b, i, n) - i;
    if (run > 0) {
      c.multibyte_sequences += run / 3;
      c.high_bytes += run;
      i += run;
      continue;
    }
    size_t len = CommonSequenceLength(b, i, n);
    if (len || (len = WellFormedSequenceLength(s, i)) != 0) {
      ++c.multibyte_sequences;
    } else {
      ++c.invalid_sequences;
      len = IllFormedSubpartLength(s, i);
    }
    c.high_bytes += len;  // (an ill-formed subpart is all high bytes too)
    i += len;
  }
  return c;
}

size_t CountNulBytes(std::string_view s) {
  size_t count = 0;
  for (const char* p = s.data(), *end = s.data() + s.size();
       (p = static_cast<const char*>(std::memchr(p, 0, static_cast<size_t>(end - p)))) != nullptr; ++p) {
    ++count;
  }
  return count;
}

char32_t DecodeAt(std::string_view s, size_t& i) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  unsigned char c = b[i];
  if (c < 0x80) {
    ++i;
    return c;
  }
  if (c < 0xE0) {
    char32_t cp = ((c & 0x1F) << 6) | (b[i + 1] & 0x3F);
    i += 2;
    return cp;
  }
  if (c < 0xF0) {
    char32_t cp = ((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
    i += 3;
    return cp;
  }
  char32_t cp = ((c & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) |
                (b[i + 3] & 0x3F);
  i += 4;
  return cp;
}

size_t RepairUtf8(std::string_view s, std::string& out, OffsetMap& map) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  out.clear();
  out.reserve(s.size() + 16);
  size_t replaced = 0, i = 0, n = s.size();
  while (i < n) {
    size_t good = ValidUtf8PrefixLength(s.substr(i));
    out.append(s.data() + i, good);
    map.AppendUnchanged(good);
    i += good;
    if (i >= n) break;
    size_t bad = IllFormedSubpartLength(s, i);
    out.append(kReplacement);
    map.Append(static_cast<uint32_t>(bad), 3);
    ++replaced;
    i += bad;
  }
  return replaced;
}

}  // namespace kimitsu::text
