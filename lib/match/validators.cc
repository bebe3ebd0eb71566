#include "match/validators.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include <openssl/sha.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "match/secret_validators.h"

namespace kimitsu::match {
namespace {

// ---------------------------------------------------------------------------
// Reading digits through separators.

enum Separators : unsigned { kSpace = 1, kHyphen = 2, kParens = 4, kUnderscore = 8, kDot = 16 };

// Dashes that NFKC leaves alone but Japanese (and other) writing uses as a
// hyphen: U+2010 ‐, U+2012 ‒, U+2013 –, U+2014 —, U+2015 ―, U+2212 −, and
// U+30FC ー. (Full-width and small hyphen-minus, U+2011 and half-width ｰ are
// mapped to one of these or to '-' by NFKC.)
constexpr std::string_view kDashes[] = {
    "\xE2\x80\x90", "\xE2\x80\x92", "\xE2\x80\x93", "\xE2\x80\x94",
    "\xE2\x80\x95", "\xE2\x88\x92", "\xE3\x83\xBC",
};

constexpr bool IsDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

// The byte length of the separator `s` starts with, if it is of an
// `allowed` kind; 0 otherwise.
size_t SeparatorAt(std::string_view s, unsigned allowed) {
  if (s.empty()) return 0;
  if (s[0] == ' ') return (allowed & kSpace) ? 1 : 0;
  if (s[0] == '(' || s[0] == ')') return (allowed & kParens) ? 1 : 0;
  if (s[0] == '_') return (allowed & kUnderscore) ? 1 : 0;
  if (s[0] == '.') return (allowed & kDot) ? 1 : 0;
  if (!(allowed & kHyphen)) return 0;
  if (s[0] == '-') return 1;
  for (std::string_view dash : kDashes) {
    if (s.starts_with(dash)) return dash.size();
  }
  return 0;
}

// The digits of a candidate, separators removed, in a fixed buffer so that
// validating allocates nothing. 20 holds every digit-only value here (the
// longest is a 19-digit card number) plus one, to tell "too long".
struct Digits {
  std::array<uint8_t, 20> d{};
  size_t n = 0;

  uint8_t operator[](size_t i) const { return d[i]; }
  // The number formed by digits [from, from + count).
  uint32_t Value(size_t from, size_t count) const {
    uint32_t v = 0;
    for (size_t i = from; i < from + count; ++i) v = v * 10 + d[i];
    return v;
  }
  bool AllSame() const {
    for (size_t i = 1; i < n; ++i) {
      if (d[i] != d[0]) return false;
    }
    return true;
  }
};

// The digits of `s`, skipping separators of the `allowed` kinds wherever
// they are; nullopt on any other character or on more than 20 digits.
// Where separators sit is left to the rule's pattern, except for values
// whose grouping is fixed (SSN, postal code), which check it themselves.
std::optional<Digits> DigitsOf(std::string_view s, unsigned allowed) {
  Digits out;
  while (!s.empty()) {
    if (IsDigit(s[0])) {
      if (out.n == out.d.size()) return std::nullopt;
      out.d[out.n++] = static_cast<uint8_t>(s[0] - '0');
      s.remove_prefix(1);
    } else if (size_t len = SeparatorAt(s, allowed); len != 0) {
      s.remove_prefix(len);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Payment cards.

// The Luhn (mod 10) check of ISO/IEC 7812-1: from the rightmost digit,
// double every second digit, subtract 9 from doubles over 9, and the sum
// must be a multiple of 10.
bool LuhnOk(const Digits& d) {
  int sum = 0;
  for (size_t i = 0; i < d.n; ++i) {
    int v = d[d.n - 1 - i];
    if (i % 2 == 1) v = v * 2 > 9 ? v * 2 - 9 : v * 2;
    sum += v;
  }
  return sum % 10 == 0;
}

// Card numbers (PANs) are 12 to 19 digits (ISO/IEC 7812), written plain or
// in groups separated by spaces or hyphens. A number that is one digit
// repeated ("0000 0000 0000 0000", "8888 8888 8888 8888" — both pass Luhn)
// is a placeholder or a mask, not a card, and is rejected.
std::optional<Digits> CardDigits(std::string_view s) {
  std::optional<Digits> d = DigitsOf(s, kSpace | kHyphen);
  if (!d || d->n < 12 || d->n > 19 || d->AllSame() || !LuhnOk(*d)) return std::nullopt;
  return d;
}

bool IsLuhn(std::string_view s) { return CardDigits(s).has_value(); }

// Lengths as a bit set: bit n set means n digits are allowed.
constexpr uint32_t Lengths(int from, int to) {
  uint32_t bits = 0;
  for (int n = from; n <= to; ++n) bits |= uint32_t{1} << n;
  return bits;
}

// An issuer (IIN) range: numbers whose first `digits` digits lie in
// [lo, hi] belong to `brand` and have one of `lengths`.
struct CardRange {
  std::string_view brand;
  uint32_t lo, hi;
  uint8_t digits;
  uint32_t lengths;
};

// The ranges of the networks that issue most cards, as the networks
// publish them.
constexpr CardRange kCardRanges[] = {
    {"Visa", 4, 4, 1, Lengths(13, 13) | Lengths(16, 16) | Lengths(19, 19)},
    {"Mastercard", 51, 55, 2, Lengths(16, 16)},
    {"Mastercard", 2221, 2720, 4, Lengths(16, 16)},
    {"American Express", 34, 34, 2, Lengths(15, 15)},
    {"American Express", 37, 37, 2, Lengths(15, 15)},
    {"Discover", 6011, 6011, 4, Lengths(16, 19)},
    {"Discover", 644, 649, 3, Lengths(16, 19)},
    {"Discover", 65, 65, 2, Lengths(16, 19)},
    {"JCB", 3528, 3589, 4, Lengths(16, 19)},
    {"Diners Club", 300, 305, 3, Lengths(14, 19)},
    {"Diners Club", 36, 36, 2, Lengths(14, 19)},
    {"Diners Club", 38, 39, 2, Lengths(14, 19)},
    {"UnionPay", 62, 62, 2, Lengths(16, 19)},
    {"Maestro", 5018, 5018, 4, Lengths(12, 19)},
    {"Maestro", 5020, 5020, 4, Lengths(12, 19)},
    {"Maestro", 5038, 5038, 4, Lengths(12, 19)},
    {"Maestro", 5893, 5893, 4, Lengths(12, 19)},
    {"Maestro", 6304, 6304, 4, Lengths(12, 19)},
    {"Maestro", 6759, 6759, 4, Lengths(12, 19)},
    {"Maestro", 6761, 6763, 4, Lengths(12, 19)},
    {"Dankort", 5019, 5019, 4, Lengths(16, 16)},
    {"Mir", 2200, 2204, 4, Lengths(16, 19)},
    {"UATP", 1, 1, 1, Lengths(15, 15)},
};

// A Luhn-valid number is a card only if some network issues numbers with
// its prefix and length: this drops most of the Luhn-valid digit runs
// (one in ten of all random ones) that are not cards.
bool IsCreditCard(std::string_view s) {
  std::optional<Digits> d = CardDigits(s);
  if (!d) return false;
  for (const CardRange& r : kCardRanges) {
    uint32_t prefix = d->Value(0, r.digits);
    if (prefix >= r.lo && prefix <= r.hi && (r.lengths >> d->n) & 1) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Japan: 個人番号 and 法人番号.

// 個人番号 (My Number): 12 digits, the last a check digit defined by the
// 行政手続における特定の個人を識別するための番号の利用等に関する法律施行令
// and 総務省令 (平成26年総務省令第85号 第5条). With P_n the n-th of the first
// 11 digits counted from the right, Q_n = n + 1 for n <= 6 and n - 5 for
// n >= 7, r = (Σ P_n·Q_n) mod 11, the check digit is 0 if r <= 1, else
// 11 - r. Often written in groups of four. 000000000000 passes the check
// but is a placeholder, so one digit repeated is rejected.
bool IsJpMyNumber(std::string_view s) {
  std::optional<Digits> d = DigitsOf(s, kSpace | kHyphen | kUnderscore);  // 6141_0652_6000 in exports
  if (!d || d->n != 12 || d->AllSame()) return false;
  int sum = 0;
  for (int n = 1; n <= 11; ++n) {
    sum += (*d)[11 - n] * (n <= 6 ? n + 1 : n - 5);
  }
  int r = sum % 11;
  return (*d)[11] == (r <= 1 ? 0 : 11 - r);
}

// 法人番号 (Corporate Number): 13 digits, the FIRST a check digit (法人番号
// の指定等に関する省令 第2条). With P_n the n-th of the other 12 digits
// counted from the right, Q_n = 1 for odd n and 2 for even n, the check
// digit is 9 - ((Σ P_n·Q_n) mod 9), so it is never 0. 9999999999999 passes
// the check but is a placeholder, so one digit repeated is rejected.
bool IsJpCorporateNumber(std::string_view s) {
  std::optional<Digits> d = DigitsOf(s, kSpace | kHyphen);
  if (!d || d->n != 13 || d->AllSame()) return false;
  int sum = 0;
  for (int n = 1; n <= 12; ++n) {
    sum += (*d)[13 - n] * (n % 2 == 1 ? 1 : 2);
  }
  return (*d)[0] == 9 - sum % 9;
}

// ---------------------------------------------------------------------------
// IBAN.

struct IbanCountry {
  char code[3];
  uint8_t length;
};

// IBAN lengths by country, from the SWIFT IBAN Registry (ISO 13616-1).
// French overseas territories and the Crown dependencies use FR and GB.
constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20},
    {"BE", 16}, {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28},
    {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23},
    {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30},
    {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22},
    {"MK", 19}, {"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28},
    {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28}, {"PS", 29},
    {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
    {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26},
    {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

size_t IbanLength(char a, char b) {
  for (const IbanCountry& c : kIbanCountries) {
    if (c.code[0] == a && c.code[1] == b) return c.length;
  }
  return 0;
}

// IBAN (ISO 13616-1): country code, two check digits, then the national
// account number (BBAN) of the length the registry gives that country; the
// printed form groups it in fours with spaces. Valid when the string moved
// four characters to the left, letters read as 10 (A) .. 35 (Z), is 1 mod 97
// (ISO/IEC 7064 MOD 97-10). That check also holds for check digits 00 and 01
// in place of 97 and 98, which the standard never computes, so they are
// rejected. Countries outside the registry are rejected; lower case is read
// as upper case.
//
// Written plain or in groups separated by spaces or hyphens. A candidate that
// runs on past the country's length ("… 8901 X", a word the pattern took in)
// is cut at the separator where the length is reached; one that runs on
// without a separator is no IBAN.
size_t IbanValue(std::string_view s) {
  std::array<char, 34> c;  // 34 is the longest IBAN the standard allows
  size_t n = 0, want = 0, end = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    if (ch == ' ' || ch == '-') {
      if (want != 0 && n == want) break;
      continue;
    }
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    if (!IsDigit(ch) && !IsUpper(ch)) return 0;
    if ((want != 0 && n == want) || n == c.size()) return 0;
    c[n++] = ch;
    end = i + 1;
    if (n == 2 && (want = IbanLength(c[0], c[1])) == 0) return 0;
  }
  if (n < 4 || n != want || !IsUpper(c[0]) || !IsUpper(c[1]) || !IsDigit(c[2]) || !IsDigit(c[3])) {
    return 0;
  }
  int check = (c[2] - '0') * 10 + (c[3] - '0');
  if (check < 2 || check > 98) return 0;
  int r = 0;
  for (size_t i = 0; i < n; ++i) {
    char ch = c[(i + 4) % n];
    r = IsDigit(ch) ? (r * 10 + (ch - '0')) % 97 : (r * 100 + (ch - 'A' + 10)) % 97;
  }
  return r == 1 ? end : 0;
}

// ---------------------------------------------------------------------------
// United States.

// Social Security Number: 9 digits AAA-GG-SSSS, plain or grouped 3-2-4 by
// hyphens or by spaces (the same separator twice). The SSA has never
// assigned area 000, 666 or 900–999, group 00 or serial 0000
// (ssa.gov/employer/randomization.html). Also rejected: 078-05-1120, printed
// on a sample card sold in Woolworth wallets, and 219-09-9999, on a sample
// card in an SSA pamphlet (ssa.gov/history/ssn/misused.html), and the
// placeholder 123-45-6789.
//
// Written 3-2-4 with one separator twice (hyphen, space or dot), plain, or
// with one hyphen in 3-6 or 5-4 (078-051121, 07805-1121: seen in exports
// that reformatted the number).
bool IsUsSsn(std::string_view s) {
  size_t skip1 = 0, skip2 = 0;  // positions of separators, 0 when none
  if (s.size() == 11) {
    if (!((s[3] == '-' || s[3] == ' ' || s[3] == '.') && s[6] == s[3])) return false;
    skip1 = 3, skip2 = 6;
  } else if (s.size() == 10) {
    skip1 = s[3] == '-' ? 3 : s[5] == '-' ? 5 : 0;
    if (skip1 == 0) return false;
  } else if (s.size() != 9) {
    return false;
  }
  uint32_t v = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i != 0 && (i == skip1 || i == skip2)) continue;
    if (!IsDigit(s[i])) return false;
    v = v * 10 + static_cast<uint32_t>(s[i] - '0');
  }
  uint32_t area = v / 1000000, group = v / 10000 % 100, serial = v % 10000;
  if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return false;
  return v != 78'05'1120 && v != 219'09'9999 && v != 123'45'6789;
}

// ---------------------------------------------------------------------------
// Internet.

// IPv4 address in dotted-decimal: exactly four octets 0–255 separated by
// single dots, nothing else. An octet with a leading zero ("010") is
// rejected: inet_aton reads it as octal, so such text is rarely an address
// and often a date or version. 0.0.0.0 and 255.255.255.255 are addresses.
bool IsIpv4(std::string_view s) {
  size_t i = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (i == s.size() || s[i] != '.') return false;
      ++i;
    }
    size_t start = i;
    int v = 0;
    while (i < s.size() && IsDigit(s[i]) && i - start < 3) v = v * 10 + (s[i++] - '0');
    size_t len = i - start;
    if (len == 0 || v > 255 || (len > 1 && s[start] == '0')) return false;
  }
  return i == s.size();
}

constexpr int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// IPv6 address in the text forms of RFC 4291 §2.2: eight groups of 1–4 hex
// digits separated by ':', one run of zero groups compressed to "::", the
// last 32 bits optionally as dotted IPv4; then optionally a zone ("%eth0",
// RFC 4007) and a prefix length ("/64", 0–128). A prefix length that is not
// one ("/9999") is left out of the value. "::" alone (the unspecified
// address) is rejected: in text it is far more often C++, Haskell or Perl;
// so is an address without a single decimal digit ("a::b").
size_t Ipv6Value(std::string_view s) {
  size_t i = 0, groups = 0;
  bool compressed = false;
  if (s.starts_with("::")) {
    compressed = true;
    i = 2;
  } else if (s.starts_with(":")) {
    return 0;
  }
  while (i < s.size() && HexValue(s[i]) >= 0) {
    size_t start = i;
    while (i < s.size() && HexValue(s[i]) >= 0 && i - start < 5) ++i;
    if (i + 1 < s.size() && s[i] == '.' && IsDigit(s[i + 1])) {  // the embedded IPv4 tail
      size_t end = start;
      while (end < s.size() && (IsDigit(s[end]) || s[end] == '.')) ++end;
      while (end > start && s[end - 1] == '.') --end;
      if (!IsIpv4(s.substr(start, end - start))) return 0;
      groups += 2;
      i = end;
      break;
    }
    if (i - start > 4) return 0;
    ++groups;
    if (i + 1 < s.size() && s[i] == ':' && s[i + 1] == ':') {
      if (compressed) return 0;
      compressed = true;
      i += 2;
    } else if (i + 1 < s.size() && s[i] == ':' && HexValue(s[i + 1]) >= 0) {
      ++i;
    } else {
      break;
    }
  }
  if (groups > 8 || (compressed ? groups == 8 : groups != 8)) return 0;
  if (groups == 0) return 0;  // "::" alone
  // Hex letters only ("a::b", "dead::beef") is a C++ name or a word far more
  // often than an address: real addresses have a digit somewhere.
  if (std::none_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(i), IsDigit)) return 0;
  if (i < s.size() && s[i] == '%') {
    size_t start = ++i;
    while (i < s.size() && (IsDigit(s[i]) || IsUpper(s[i]) || (s[i] >= 'a' && s[i] <= 'z') || s[i] == '_' ||
                            s[i] == '.' || s[i] == '-')) {
      ++i;
    }
    if (i == start) return 0;
  }
  size_t address_end = i;
  if (i < s.size() && s[i] == '/') {
    size_t start = ++i;
    int bits = 0;
    while (i < s.size() && IsDigit(s[i]) && i - start < 4) bits = bits * 10 + (s[i++] - '0');
    if (i == start || i < s.size() || bits > 128 || (i - start > 1 && s[start] == '0')) return address_end;
    return i;
  }
  // A full stop after the address ends the sentence, not the address.
  return s.find_first_not_of('.', i) == std::string_view::npos ? i : 0;
}

// A MAC address (EUI-48) as people write it: six pairs of hex digits
// separated by one kind of separator, ':' or '-' (IEEE 802), or three groups
// of four separated by '.' (Cisco). All zeros and the broadcast address
// FF:FF:FF:FF:FF:FF name no device and are rejected.
bool IsMacAddress(std::string_view s) {
  size_t group = 0;
  char sep = 0;
  if (s.size() == 17) {
    sep = s[2];
    group = 2;
    if (sep != ':' && sep != '-') return false;
  } else if (s.size() == 14) {
    sep = '.';
    group = 4;
  } else {
    return false;
  }
  bool zeros = true, ones = true;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((i + 1) % (group + 1) == 0) {
      if (s[i] != sep) return false;
      continue;
    }
    int v = HexValue(s[i]);
    if (v < 0) return false;
    zeros = zeros && v == 0;
    ones = ones && v == 15;
  }
  return !zeros && !ones;
}

// Bitcoin addresses. Base58Check (legacy P2PKH "1…" and P2SH "3…"): the
// Base58 text decodes to 25 bytes, a version byte (0x00 or 0x05), 20 bytes
// of hash and 4 bytes of checksum, the first 4 bytes of SHA-256(SHA-256())
// of the 21 before. Bech32 (BIP 173) and Bech32m (BIP 350) segwit
// addresses ("bc1…"): the BCH checksum over the human-readable part and the
// data holds with constant 1 for witness version 0 and 0x2bc830a3 for 1–16;
// version 0 programs are 20 or 32 bytes, others 2–40.
bool IsBase58Check(std::string_view s) {
  static constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  if (s.size() < 26 || s.size() > 35) return false;
  std::array<uint8_t, 25> bytes{};
  for (char ch : s) {
    size_t digit = kAlphabet.find(ch);
    if (digit == std::string_view::npos) return false;
    uint32_t carry = static_cast<uint32_t>(digit);
    for (size_t i = bytes.size(); i-- > 0;) {
      carry += 58u * bytes[i];
      bytes[i] = static_cast<uint8_t>(carry & 0xFF);
      carry >>= 8;
    }
    if (carry != 0) return false;  // more than 25 bytes
  }
  // Each leading '1' stands for a leading zero byte, and only those do.
  size_t ones = 0;
  while (ones < s.size() && s[ones] == '1') ++ones;
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  if (ones != std::min<size_t>(zeros, bytes.size())) return false;
  if (bytes[0] != 0x00 && bytes[0] != 0x05) return false;
  unsigned char first[SHA256_DIGEST_LENGTH], second[SHA256_DIGEST_LENGTH];
  SHA256(bytes.data(), 21, first);
  SHA256(first, sizeof first, second);
  return std::equal(second, second + 4, bytes.begin() + 21);
}

bool IsBech32Address(std::string_view s) {
  static constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  if (s.size() < 14 || s.size() > 90) return false;
  bool lower = false, upper = false;
  for (char ch : s) {
    lower = lower || (ch >= 'a' && ch <= 'z');
    upper = upper || IsUpper(ch);
  }
  if (lower && upper) return false;
  auto low = [](char ch) { return static_cast<char>(IsUpper(ch) ? ch - 'A' + 'a' : ch); };
  if (low(s[0]) != 'b' || low(s[1]) != 'c' || s[2] != '1') return false;
  auto polymod_step = [](uint32_t chk, uint32_t value) {
    static constexpr uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ value;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) chk ^= kGen[i];
    }
    return chk;
  };
  uint32_t chk = 1;
  // The human-readable part "bc", expanded: high bits, 0, low bits.
  chk = polymod_step(chk, 'b' >> 5);
  chk = polymod_step(chk, 'c' >> 5);
  chk = polymod_step(chk, 0);
  chk = polymod_step(chk, 'b' & 31);
  chk = polymod_step(chk, 'c' & 31);
  std::string_view data = s.substr(3);
  int version = -1;
  for (char ch : data) {
    size_t v = kCharset.find(low(ch));
    if (v == std::string_view::npos) return false;
    if (version < 0) version = static_cast<int>(v);
    chk = polymod_step(chk, static_cast<uint32_t>(v));
  }
  if (version > 16) return false;
  uint32_t want = version == 0 ? 1u : 0x2bc830a3u;
  if (chk != want) return false;
  size_t bits = (data.size() - 1 - 6) * 5;  // the program, 5 bits per character
  size_t program = bits / 8;
  if (bits % 8 >= 5) return false;  // more padding than a conversion leaves
  if (version == 0) return program == 20 || program == 32;
  return program >= 2 && program <= 40;
}

bool IsCryptoWallet(std::string_view s) {
  if (s.size() > 3 && (s[0] == 'b' || s[0] == 'B') && (s[1] == 'c' || s[1] == 'C') && s[2] == '1') {
    return IsBech32Address(s);
  }
  return IsBase58Check(s);
}

// ---------------------------------------------------------------------------
// Japan: phone numbers and postal codes.

// Japanese phone number, per 総務省's numbering plan (電気通信番号計画),
// written with hyphens, spaces or parentheses ("03(1234)5678") anywhere.
// "+81" may replace the leading 0; a 0 kept after it ("+81 (0)3-…",
// "+81-03-…") is the trunk prefix written anyway and is dropped. The
// national number then starts with 0 and is either
//   11 digits beginning 0A0 with A in 2,5,6,7,8,9: mobile and M2M (090, 080,
//     070, 020), IP phone (050), 060, and 0800 toll-free; or
//   10 digits whose second and third digits are not 0: landlines
//     (03-1234-5678, 0123-45-6789), 0120 toll-free, 0570 and the like.
// 00 is the international prefix, and 0A0 numbers are never 10 digits.
bool IsJpPhone(std::string_view s) {
  constexpr unsigned kSeps = kSpace | kHyphen | kParens;
  bool international = s.starts_with("+81");
  if (international) s.remove_prefix(3);
  std::optional<Digits> d = DigitsOf(s, kSeps);
  if (!d || d->n == 0) return false;
  // The national number: digits [skip, n) after a leading 0 for "+81".
  size_t skip = international && (*d)[0] == 0 ? 1 : 0;
  size_t n = d->n - skip + (international ? 1 : 0);
  auto national = [&](size_t i) -> int {
    if (international) return i == 0 ? 0 : (*d)[skip + i - 1];
    return (*d)[i];
  };
  if ((n != 10 && n != 11) || national(0) != 0 || national(1) == 0) return false;
  if (n == 10) return national(2) != 0;
  int a = national(1);
  return national(2) == 0 && (a == 2 || a >= 5);
}

// Japanese postal code (郵便番号): 7 digits written NNN-NNNN, the hyphen
// optional (any dash NFKC leaves), optionally after 〒 and spaces. 000-0000
// is not a postal code but a blank form's filler.
bool IsJpPostalCode(std::string_view s) {
  constexpr std::string_view kPostalMark = "\xE3\x80\x92";  // 〒 (〶 is NFKC 〒)
  if (s.starts_with(kPostalMark)) {
    s.remove_prefix(kPostalMark.size());
    while (s.starts_with(' ')) s.remove_prefix(1);
  }
  int digits = 0;
  bool all_zero = true;
  for (int group = 0; group < 2; ++group) {
    if (group == 1) s.remove_prefix(SeparatorAt(s, kHyphen));
    for (int i = 0; i < (group == 0 ? 3 : 4); ++i, ++digits) {
      if (s.empty() || !IsDigit(s[0])) return false;
      all_zero = all_zero && s[0] == '0';
      s.remove_prefix(1);
    }
  }
  return s.empty() && !all_zero;
}

// A North American Numbering Plan number in national form, "(415) 555-0132",
// "415-555-0132", "415.555.0132", "1 415 555 0132": 10 digits (or 11 with
// the leading 1), area code and exchange both NXX with N in 2-9 and not
// N11 (service codes such as 411 and 911).
bool IsNanpNumber(std::string_view s) {
  std::optional<Digits> d = DigitsOf(s, kSpace | kHyphen | kParens | kDot);
  if (!d) return false;
  size_t first = d->n == 11 && (*d)[0] == 1 ? 1 : 0;
  if (d->n - first != 10) return false;
  auto nxx = [&](size_t i) { return (*d)[i] >= 2 && !((*d)[i + 1] == 1 && (*d)[i + 2] == 1); };
  return nxx(first) && nxx(first + 3);
}

// A phone number valid in its country. In national form (no "+"), a
// Japanese (jp_phone) or North American number: the countries of the
// default policy, checked here without allocating. In international form
// ("+1 415 555 0132", "+44 (20) 7123 4567"), any country's, per Google's
// libphonenumber (the metadata every phone-number library uses); that
// parse allocates, and only "+" candidates pay for it.
bool IsPhone(std::string_view s) {
  if (!s.starts_with('+')) return IsJpPhone(s) || IsNanpNumber(s);
  if (s.size() > 40) return false;
  using i18n::phonenumbers::PhoneNumber;
  using i18n::phonenumbers::PhoneNumberUtil;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  return util.Parse(std::string(s), "ZZ", &number) == PhoneNumberUtil::NO_PARSING_ERROR &&
         util.IsValidNumber(number);
}

// A secret's value as written in configuration: rejects the placeholders that
// documentation and templates use (changeme, your_password, xxxx, ****,
// <...>, ${...}, example, dummy, hogehoge), values of one repeated character
// and values with fewer than four distinct characters.
bool IsSecretValue(std::string_view s) {
  if (s.size() < 6) return false;
  bool seen[256] = {};
  size_t distinct = 0;
  for (unsigned char c : s) distinct += !std::exchange(seen[c], true);
  if (distinct < 4) return false;
  std::array<char, 256> buffer;  // the first 256 bytes, lower-cased, without allocating
  size_t n = std::min(s.size(), buffer.size());
  for (size_t i = 0; i < n; ++i) buffer[i] = static_cast<char>(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
  std::string_view lower(buffer.data(), n);
  static constexpr std::string_view kPlaceholders[] = {
      "changeme", "change_me", "change-me", "your", "example", "placeholder", "dummy", "sample",
      "redacted", "xxxx", "****", "....", "hogehoge", "fugafuga", "password", "passwd", "secret",
      "replace", "todo", "fixme", "none", "null", "undefined", "env(", "getenv", "os.environ",
      "process.env", "{{", "}}", "${", "%(", "<", ">"};
  for (std::string_view p : kPlaceholders) {
    if (lower.find(p) != std::string_view::npos) return false;
  }
  return true;
}

// The validators that accept a whole candidate or nothing.
template <bool (*Check)(std::string_view)>
size_t Whole(std::string_view s) {
  return Check(s) ? s.size() : 0;
}

constexpr ValidatorInfo kValidators[] = {
    {"luhn", Whole<IsLuhn>, "12-19 digits passing the Luhn (mod 10) check, not one digit repeated"},
    {"credit_card", Whole<IsCreditCard>,
     "payment card number: Luhn check plus a known network's prefix and length"},
    {"jp_my_number", Whole<IsJpMyNumber>, "Japanese Individual Number (個人番号): 12 digits with check digit"},
    {"jp_corporate_number", Whole<IsJpCorporateNumber>,
     "Japanese Corporate Number (法人番号): 13 digits, leading check digit"},
    {"iban", IbanValue, "IBAN (ISO 13616): registered country, its length, mod-97 check"},
    {"us_ssn", Whole<IsUsSsn>, "US Social Security Number: AAA-GG-SSSS in ranges the SSA assigns"},
    {"ipv4", Whole<IsIpv4>, "IPv4 address: four dotted octets 0-255 without leading zeros"},
    {"ipv6", Ipv6Value, "IPv6 address (RFC 4291 text form, with zone and prefix length); not '::' alone"},
    {"mac_address", Whole<IsMacAddress>, "MAC address (EUI-48): 6 hex pairs or 3 dotted quads; not 0s or broadcast"},
    {"crypto_wallet", Whole<IsCryptoWallet>, "Bitcoin address: Base58Check (1..., 3...) or Bech32/Bech32m (bc1...)"},
    {"phone", Whole<IsPhone>, "phone number valid in its country: +CC form (libphonenumber), or JP/NANP national"},
    {"jp_phone", Whole<IsJpPhone>, "Japanese phone number: landline, mobile, IP or toll-free, or +81"},
    {"jp_postal_code", Whole<IsJpPostalCode>, "Japanese postal code: 〒NNN-NNNN, not 000-0000"},
    {"secret_assignment", Whole<IsSecretAssignment>,
     "key = value naming a secret (password, api key, token...) with a literal, random-enough value"},
    {"user_password_pair", Whole<IsUserPasswordPair>,
     "user:password of curl -u / --user with a real-looking password"},
    {"token_value", Whole<IsTokenValue>,
     "a token of a known format that is not a placeholder (xxxx, one letter repeated)"},
    {"aws_key", Whole<IsAwsKey>, "an AWS key id or secret key: token_value, not AWS documentation's EXAMPLE keys"},
    {"jwt", Whole<IsJwt>, "a JSON Web Token: base64url header and payload that decode to JSON objects"},
    {"secret_value", Whole<IsSecretValue>,
     "a configured secret's value: not a placeholder (changeme, <...>, ${...}), not one repeated character"},
};

}  // namespace

std::span<const ValidatorInfo> Validators() { return kValidators; }

const ValidatorInfo* FindValidator(std::string_view name) {
  for (const ValidatorInfo& v : kValidators) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

}  // namespace kimitsu::match
