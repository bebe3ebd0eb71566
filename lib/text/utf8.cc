#include "text/utf8.h"

#include <cstring>

#include "text/offset_map.h"

namespace kimitsu::text {

size_t AsciiPrefixLength(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size(), i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) break;
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

size_t ValidUtf8PrefixLength(std::string_view s) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0, n = s.size();
  while (i < n) {
    i += AsciiPrefixLength(s.substr(i));
    // A run of other characters. The common 3-byte ones (E1..EC, EE, EF:
    // kana, kanji, full-width forms) and 2-byte ones are checked here, not
    // by a call per character; the rest by WellFormedSequenceLength.
    while (i < n && b[i] >= 0x80) {
      const unsigned char c = b[i];
      if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < n && (b[i + 1] & 0xC0) == 0x80 &&
          (b[i + 2] & 0xC0) == 0x80) {
        i += 3;
        continue;
      }
      if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (b[i + 1] & 0xC0) == 0x80) {
        i += 2;
        continue;
      }
      size_t len = WellFormedSequenceLength(s, i);
      if (len == 0) return i;
      i += len;
    }
  }
  return n;
}

Utf8Census TakeUtf8Census(std::string_view s) {
  Utf8Census c;
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0, n = s.size();
  while (i < n) {
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
    size_t len = WellFormedSequenceLength(s, i);
    if (len) {
      ++c.multibyte_sequences;
      i += len;
    } else {
      ++c.invalid_sequences;
      i += IllFormedSubpartLength(s, i);
    }
  }
  return c;
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
