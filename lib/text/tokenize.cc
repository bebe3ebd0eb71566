#include "text/tokenize.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <unicode/utext.h>

#include <algorithm>
#include <memory>

#include "text/utf8.h"

namespace kimitsu::text {
namespace {

// Word_Break property values of ASCII characters (UAX #29), as ICU's root
// rules use them.
enum WordBreak : unsigned char {
  kOther,
  kCR,
  kLF,
  kNewline,
  kSpace,       // WSegSpace
  kLetter,      // ALetter
  kNumeric,
  kExtendNum,   // ExtendNumLet: '_'
  kMidNumLet,   // '.'
  kQuote,       // Single_Quote: '\''
  kMidNum,      // ',' ';'
  kMidLetter,   // ':' where ICU keeps it in MidLetter
};

// ICU tailors two ASCII characters in its root rules, differently by
// version: ICU 72 took ':' out of MidLetter (before, "a:b" was one word),
// and ICU 72 to 73.1 put '@' into ALetter (so that "ops@example.com" is one
// word; 73.2 reverted it). The fast path must agree with the ICU it runs
// with, so it asks that ICU once; the version macros are only a fallback
// for when ICU's break data cannot be loaded.
struct AsciiTailoring {
  bool colon_is_mid_letter = U_ICU_VERSION_MAJOR_NUM < 72;
  bool at_is_letter = U_ICU_VERSION_MAJOR_NUM == 72 ||
                      (U_ICU_VERSION_MAJOR_NUM == 73 && U_ICU_VERSION_MINOR_NUM < 2);
};

AsciiTailoring ProbeIcuTailoring() {
  AsciiTailoring t;
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(
      icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || bi == nullptr) return t;
  auto joined = [&](const char16_t* s) {
    icu::UnicodeString u(s);
    bi->setText(u);
    return !bi->isBoundary(1);
  };
  t.colon_is_mid_letter = joined(u"a:b");  // WB6/7 join letters across MidLetter
  t.at_is_letter = joined(u"@a");          // WB5 joins letters
  return t;
}

struct AsciiClassTable {
  WordBreak cls[128];
  AsciiClassTable() {
    AsciiTailoring t = ProbeIcuTailoring();
    for (int c = 0; c < 128; ++c) {
      WordBreak k = kOther;
      if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') k = kLetter;
      else if (c >= '0' && c <= '9') k = kNumeric;
      else if (c == '\r') k = kCR;
      else if (c == '\n') k = kLF;
      else if (c == '\v' || c == '\f') k = kNewline;
      else if (c == ' ') k = kSpace;
      else if (c == '_') k = kExtendNum;
      else if (c == '.') k = kMidNumLet;
      else if (c == '\'') k = kQuote;
      else if (c == ',' || c == ';') k = kMidNum;
      else if (c == ':' && t.colon_is_mid_letter) k = kMidLetter;
      else if (c == '@' && t.at_is_letter) k = kLetter;
      cls[c] = k;
    }
  }
};

const AsciiClassTable& Classes() {
  static const AsciiClassTable table;  // thread-safe, built on first use
  return table;
}

bool IsMidLetterQ(WordBreak c) { return c == kMidLetter || c == kMidNumLet || c == kQuote; }
bool IsMidNumQ(WordBreak c) { return c == kMidNum || c == kMidNumLet || c == kQuote; }
bool IsAsciiSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Whether there is a boundary between s[i-1] and s[i], 0 < i < s.size().
bool AsciiBoundaryAt(std::string_view s, size_t i) {
  const WordBreak* table = Classes().cls;
  auto cls = [&](size_t k) { return table[static_cast<unsigned char>(s[k]) & 0x7F]; };
  WordBreak before = cls(i - 1), after = cls(i);
  if (before == kCR && after == kLF) return false;                       // WB3
  if (before == kCR || before == kLF || before == kNewline) return true;  // WB3a
  if (after == kCR || after == kLF || after == kNewline) return true;     // WB3b
  if (before == kSpace && after == kSpace) return false;                  // WB3d
  if (before == kLetter && after == kLetter) return false;                // WB5
  if (before == kLetter && IsMidLetterQ(after) && i + 1 < s.size() && cls(i + 1) == kLetter)
    return false;  // WB6
  if (IsMidLetterQ(before) && after == kLetter && i >= 2 && cls(i - 2) == kLetter)
    return false;  // WB7
  if (before == kNumeric && after == kNumeric) return false;  // WB8
  if (before == kLetter && after == kNumeric) return false;   // WB9
  if (before == kNumeric && after == kLetter) return false;   // WB10
  if (IsMidNumQ(before) && after == kNumeric && i >= 2 && cls(i - 2) == kNumeric)
    return false;  // WB11
  if (before == kNumeric && IsMidNumQ(after) && i + 1 < s.size() && cls(i + 1) == kNumeric)
    return false;  // WB12
  if ((before == kLetter || before == kNumeric || before == kExtendNum) && after == kExtendNum)
    return false;  // WB13a
  if (before == kExtendNum && (after == kLetter || after == kNumeric)) return false;  // WB13b
  return true;  // WB999
}

// Whether an ASCII segment holds a letter or digit: a token. ('@' may be a
// letter to the word-break rules but does not make a word by itself.)
bool HasAsciiAlnum(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
  });
}

// The code point at s[i] (U+FFFD for an ill-formed sequence), advancing i.
// Unlike DecodeAt, safe on any bytes: IsBoundary may be asked about text
// that is not well-formed.
UChar32 NextCodePoint(std::string_view s, size_t& i) {
  std::string_view w = s.substr(i, 4);
  int32_t k = 0;
  UChar32 c;
  U8_NEXT(w.data(), k, static_cast<int32_t>(w.size()), c);
  i += static_cast<size_t>(k);
  return c < 0 ? 0xFFFD : c;
}

int WordBreakAt(std::string_view s, size_t i) {
  return u_getIntPropertyValue(NextCodePoint(s, i), UCHAR_WORD_BREAK);
}

bool IsExtendOrFormat(int wb) { return wb == U_WB_EXTEND || wb == U_WB_FORMAT || wb == U_WB_ZWJ; }

// WSegSpace, and rule WB3d that joins it, came with Unicode 11 (ICU 62).
bool IsWSegSpace(int wb) {
#if U_ICU_VERSION_MAJOR_NUM >= 62
  return wb == U_WB_WSEGSPACE;
#else
  (void)wb;
  return false;
#endif
}

// Whether a segment holds a letter, a digit or an ideograph.
bool IsWordy(std::string_view seg) {
  if (IsAscii(seg)) return HasAsciiAlnum(seg);
  for (size_t i = 0; i < seg.size();) {
    UChar32 c = NextCodePoint(seg, i);
    if (u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_isdigit(c) ||
        u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC))
      return true;
  }
  return false;
}

// How far IsBoundary looks on each side of a position for the run around it.
constexpr size_t kReach = 192;

// Where ICU must segment, IsBoundary segments the window around a block of
// this many bytes of the whole text (plus kReach on each side), once for all
// the positions in the block.
constexpr size_t kBlock = 1024;

}  // namespace

void AsciiWordBoundaries(std::string_view s, std::vector<size_t>& out) {
  out.clear();
  out.push_back(0);
  for (size_t i = 1; i < s.size(); ++i) {
    if (AsciiBoundaryAt(s, i)) out.push_back(i);
  }
  if (!s.empty()) out.push_back(s.size());
}

Tokenizer::Tokenizer() = default;

bool Tokenizer::ok() {
  if (!created_) {
    created_ = true;
    UErrorCode status = U_ZERO_ERROR;
    iterator_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) iterator_.reset();
  }
  return iterator_ != nullptr;
}

Tokenizer::~Tokenizer() {
  if (utext_ != nullptr) utext_close(utext_);
}

void Tokenizer::IcuBoundaries(std::string_view text, std::vector<size_t>& out) {
  out.clear();
  out.push_back(0);
  if (!ok() || text.empty()) {
    if (!text.empty()) out.push_back(text.size());
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  utext_ = utext_openUTF8(utext_, text.data(), static_cast<int64_t>(text.size()), &status);
  iterator_->setText(utext_, status);
  if (U_FAILURE(status)) {
    out.push_back(text.size());
    return;
  }
  for (int32_t b = iterator_->next(); b != icu::BreakIterator::DONE; b = iterator_->next()) {
    out.push_back(static_cast<size_t>(b));
  }
}

void Tokenizer::SegmentRun(std::string_view run, size_t base, std::vector<Token>& out) {
  if (IsAscii(run)) {
    AsciiWordBoundaries(run, scratch_);
    for (size_t k = 1; k < scratch_.size(); ++k) {
      std::string_view seg = run.substr(scratch_[k - 1], scratch_[k] - scratch_[k - 1]);
      if (HasAsciiAlnum(seg)) out.push_back({base + scratch_[k - 1], base + scratch_[k]});
    }
    return;
  }
  if (!ok()) {
    out.push_back({base, base + run.size()});
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  utext_ = utext_openUTF8(utext_, run.data(), static_cast<int64_t>(run.size()), &status);
  iterator_->setText(utext_, status);
  if (U_FAILURE(status)) return;
  int32_t prev = iterator_->first();
  for (int32_t b = iterator_->next(); b != icu::BreakIterator::DONE; prev = b, b = iterator_->next()) {
    // A token by what it holds, not by ICU's rule status, which calls runs
    // of '_' (and, in ICU 72, '@') letters and a letter followed by some
    // combining marks nothing.
    std::string_view seg = run.substr(static_cast<size_t>(prev), static_cast<size_t>(b - prev));
    if (IsWordy(seg)) out.push_back({base + static_cast<size_t>(prev), base + static_cast<size_t>(b)});
  }
}

void Tokenizer::Tokenize(std::string_view text, std::vector<Token>& out) {
  size_t i = 0, n = text.size();
  while (i < n) {
    while (i < n && IsAsciiSpace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > 0 && i < n && static_cast<unsigned char>(text[i]) >= 0x80 &&
        (text[i - 1] == ' ' || text[i - 1] == '\t')) {
      // Marks and format characters after a space or tab belong to it (WB4):
      // no word starts among them.
      while (i < n && static_cast<unsigned char>(text[i]) >= 0x80) {
        size_t next = i;
        if (!IsExtendOrFormat(u_getIntPropertyValue(NextCodePoint(text, next), UCHAR_WORD_BREAK))) break;
        i = next;
      }
    }
    size_t start = i;
    while (i < n && !IsAsciiSpace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) SegmentRun(text.substr(start, i - start), start, out);
  }
}

bool Tokenizer::IsBoundary(std::string_view text, size_t pos, size_t text_offset) {
  if (pos == 0 || pos >= text.size()) return true;
  if (IsContinuation(text[pos])) return false;
  unsigned char before = static_cast<unsigned char>(text[pos - 1]);
  unsigned char after = static_cast<unsigned char>(text[pos]);
  // Next to ASCII whitespace the rules are local: decide here, since the
  // window below starts and ends at whitespace.
  if (IsAsciiSpace(before) || IsAsciiSpace(after)) {
    if (before == '\r' && after == '\n') return false;                      // WB3
    if (before != ' ' && before != '\t' && IsAsciiSpace(before)) return true;  // WB3a
    if (after != ' ' && after != '\t' && IsAsciiSpace(after)) return true;     // WB3b
    if (before < 0x80 && after < 0x80) return !(before == ' ' && after == ' ');  // WB3d
    if (after >= 0x80) {
      // A space or tab, then a non-ASCII character: marks and format
      // characters attach to the space (WB4); another space joins it (WB3d).
      int wb = WordBreakAt(text, pos);
      if (IsExtendOrFormat(wb)) return false;
      return !(before == ' ' && IsWSegSpace(wb));
    }
    // A non-ASCII character, then a space or tab: only a space after a
    // space (U+3000 and the like) is joined (WB3d).
    if (after == '\t') return true;
    size_t i = pos - 1;
    while (i > 0 && pos - i < 4 && IsContinuation(text[i])) --i;
    return !IsWSegSpace(WordBreakAt(text.substr(0, pos), i));
  }
  size_t left = pos;
  while (left > 0 && pos - left < kReach && !IsAsciiSpace(static_cast<unsigned char>(text[left - 1])))
    --left;
  while (left < pos && IsContinuation(text[left])) ++left;
  size_t right = pos;
  while (right < text.size() && right - pos < kReach &&
         !IsAsciiSpace(static_cast<unsigned char>(text[right])))
    ++right;
  while (right > pos && right < text.size() && IsContinuation(text[right])) --right;
  std::string_view window = text.substr(left, right - left);
  size_t at = pos - left;
  if (IsAscii(window)) return AsciiBoundaryAt(window, at);
  if (!ok()) return true;
  // The ICU window: the run around pos, reaching kReach past the block of
  // the whole text that pos is in (so at least kReach on each side of pos).
  const size_t whole = text_offset + pos;
  const size_t block = whole - whole % kBlock;
  const size_t reach_left = block >= text_offset + kReach ? block - kReach - text_offset : 0;
  const size_t reach_right = std::min(text.size(), block + kBlock + kReach - text_offset);
  left = pos;
  while (left > reach_left && !IsAsciiSpace(static_cast<unsigned char>(text[left - 1]))) --left;
  while (left < pos && IsContinuation(text[left])) ++left;
  right = pos;
  while (right < reach_right && !IsAsciiSpace(static_cast<unsigned char>(text[right]))) ++right;
  while (right > pos && right < text.size() && IsContinuation(text[right])) --right;
  window = text.substr(left, right - left);
  at = pos - left;
  if (window != window_) {
    window_breaks_.clear();
    window_.clear();
    UErrorCode status = U_ZERO_ERROR;
    utext_ = utext_openUTF8(utext_, window.data(), static_cast<int64_t>(window.size()), &status);
    iterator_->setText(utext_, status);
    if (U_FAILURE(status)) return true;
    for (int32_t b = iterator_->first(); b != icu::BreakIterator::DONE; b = iterator_->next()) {
      window_breaks_.push_back(static_cast<size_t>(b));
    }
    window_.assign(window);
  }
  return std::binary_search(window_breaks_.begin(), window_breaks_.end(), at);
}

}  // namespace kimitsu::text
