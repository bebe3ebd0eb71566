#include "text/tokenize.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include <algorithm>

#include "text/utf8.h"

namespace kimitsu::text {
namespace {

// Word_Break property values of ASCII characters (UAX #29, with ICU's root
// tailoring, which takes ':' out of MidLetter).
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
};

constexpr WordBreak ClassOf(unsigned char c) {
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return kLetter;
  if (c >= '0' && c <= '9') return kNumeric;
  switch (c) {
    case '\r': return kCR;
    case '\n': return kLF;
    case '\v': case '\f': return kNewline;
    case ' ': return kSpace;
    case '_': return kExtendNum;
    case '.': return kMidNumLet;
    case '\'': return kQuote;
    case ',': case ';': return kMidNum;
    default: return kOther;
  }
}

bool IsMidLetterQ(WordBreak c) { return c == kMidNumLet || c == kQuote; }
bool IsMidNumQ(WordBreak c) { return c == kMidNum || c == kMidNumLet || c == kQuote; }
bool IsAsciiSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Whether there is a boundary between s[i-1] and s[i], 0 < i < s.size().
bool AsciiBoundaryAt(std::string_view s, size_t i) {
  auto cls = [&](size_t k) { return ClassOf(static_cast<unsigned char>(s[k])); };
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

bool HasAsciiAlnum(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    WordBreak k = ClassOf(static_cast<unsigned char>(c));
    return k == kLetter || k == kNumeric;
  });
}

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// How far IsBoundary looks on each side of a position for the run around it.
constexpr size_t kReach = 192;

}  // namespace

void AsciiWordBoundaries(std::string_view s, std::vector<size_t>& out) {
  out.clear();
  out.push_back(0);
  for (size_t i = 1; i < s.size(); ++i) {
    if (AsciiBoundaryAt(s, i)) out.push_back(i);
  }
  if (!s.empty()) out.push_back(s.size());
}

Tokenizer::Tokenizer() {
  UErrorCode status = U_ZERO_ERROR;
  iterator_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status)) iterator_.reset();
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
    if (iterator_->getRuleStatus() >= UBRK_WORD_NONE_LIMIT) {
      out.push_back({base + static_cast<size_t>(prev), base + static_cast<size_t>(b)});
    }
  }
}

void Tokenizer::Tokenize(std::string_view text, std::vector<Token>& out) {
  size_t i = 0, n = text.size();
  while (i < n) {
    while (i < n && IsAsciiSpace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < n && !IsAsciiSpace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) SegmentRun(text.substr(start, i - start), start, out);
  }
}

bool Tokenizer::IsBoundary(std::string_view text, size_t pos) {
  if (pos == 0 || pos >= text.size()) return true;
  if (IsContinuation(text[pos])) return false;
  unsigned char before = static_cast<unsigned char>(text[pos - 1]);
  unsigned char after = static_cast<unsigned char>(text[pos]);
  // Whitespace decides alone, except inside CR LF and runs of spaces.
  if (IsAsciiSpace(before) || IsAsciiSpace(after)) {
    if (before == '\r' && after == '\n') return false;
    if (before == ' ' && after == ' ') return false;
    if (after < 0x80 || IsAsciiSpace(after)) return true;
    // A space followed by a combining mark: the mark joins the space (WB4).
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
  UErrorCode status = U_ZERO_ERROR;
  utext_ = utext_openUTF8(utext_, window.data(), static_cast<int64_t>(window.size()), &status);
  iterator_->setText(utext_, status);
  if (U_FAILURE(status)) return true;
  return iterator_->isBoundary(static_cast<int32_t>(at));
}

}  // namespace kimitsu::text
