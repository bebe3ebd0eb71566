#include "match/placement.h"

#include "text/lines.h"
#include "text/utf8.h"

namespace kimitsu::match {
namespace {

using policy::Placement;

constexpr size_t kLineBudget = 4096;   // bytes examined each way for the line
constexpr size_t kPageBudget = 16384;  // bytes examined for header/footer lines

bool IsDecoration(char32_t c) {
  switch (c) {
    case ' ': case '\t': case '(': case ')': case '[': case ']': case '{': case '}': case '<': case '>':
    case '*': case '=': case '-': case '_': case '~': case '#': case '|': case '"': case '\'': case '.':
    case ':': case '+':
    case 0x3010: case 0x3011:  // 【】
    case 0x300C: case 0x300D:  // 「」
    case 0x300E: case 0x300F:  // 『』
    case 0x3014: case 0x3015:  // 〔〕
    case 0x3008: case 0x3009:  // 〈〉
    case 0x300A: case 0x300B:  // 《》
    case 0x3016: case 0x3017:  // 〖〗
    case 0x25A0: case 0x25A1:  // ■□
    case 0x25CF: case 0x25CB:  // ●○
    case 0x25C6: case 0x25C7:  // ◆◇
    case 0x2605: case 0x2606:  // ★☆
    case 0x203B:               // ※
    case 0x30FB:               // ・
    case 0x2500: case 0x2501: case 0x2015: case 0x2014: case 0x2013:  // rules and dashes
    case 0x3000:               // ideographic space (NFKC makes it ' ', but be safe)
      return true;
    default:
      return false;
  }
}

// Skips decorations forward from i to at most `limit`.
size_t SkipDecorationsForward(std::string_view s, size_t i, size_t limit) {
  while (i < limit) {
    size_t len = text::WellFormedSequenceLength(s, i);
    if (len == 0) return i;
    size_t j = i;
    if (!IsDecoration(text::DecodeAt(s, j))) return i;
    i = j;
  }
  return i;
}

// A caveat chain after a marking: "//SI//NOFORN", "//REL TO USA, GBR".
size_t SkipCaveats(std::string_view s, size_t i, size_t limit) {
  while (i + 1 < limit && s[i] == '/' && s[i + 1] == '/') {
    i += 2;
    while (i < limit) {
      char c = s[i];
      bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == ',' || c == '-' ||
                (c == '/' && !(i + 1 < limit && s[i + 1] == '/'));
      if (!ok) break;
      ++i;
    }
  }
  return i;
}

// What may follow a marking that leads its line: the end of the line, a tab,
// two spaces, a decoration, or one space before anything but a lower-case
// word ("CUI is ..." is a sentence; "CUI Basic", "秘 令和5年" are stamps).
bool IsSeparatorAt(std::string_view s, size_t i, size_t line_end) {
  if (i >= line_end) return true;
  if (s[i] == ' ') {
    if (i + 1 >= line_end) return true;
    char next = s[i + 1];
    return !(next >= 'a' && next <= 'z');
  }
  if (text::WellFormedSequenceLength(s, i) == 0) return false;
  size_t j = i;
  char32_t c = text::DecodeAt(s, j);
  if (c == '.' || c == ',' || c == ';') return j >= line_end;  // "CUI. You may ..." is a sentence
  return IsDecoration(c) || c == '/';
}

// Whether a well-formed character that is neither a decoration nor a line end
// comes between the start of the line and `start` (looking back no further
// than kLineBudget). Then the candidate is prose whatever the rest says, and
// nothing more need be read: in a long line dense with candidates (秘 秘 秘 …)
// each would otherwise read kLineBudget bytes each way.
bool TextBeforeOnLine(std::string_view s, size_t start) {
  size_t i = start;
  while (i > 0 && start - i < kLineBudget) {
    char b = s[i - 1];
    if (b == '\n' || b == '\r' || b == '\v' || b == '\f') return false;
    size_t k = i - 1;
    while (k > 0 && i - k < 4 && text::IsContinuation(s[k])) --k;
    if (text::WellFormedSequenceLength(s, k) != i - k) return false;  // let the full check decide
    size_t j = k;
    if (!IsDecoration(text::DecodeAt(s, j))) return true;
    i = k;
  }
  return false;
}

}  // namespace

Placements PlacementsOf(std::string_view text, size_t start, size_t end, size_t page_lines) {
  Placements p{};
  p[static_cast<size_t>(Placement::kProse)] = true;
  if (TextBeforeOnLine(text, start)) return p;
  bool complete = true;
  text::LineSpan line = text::LineAround(text, start, kLineBudget, &complete);
  if (!complete || end > line.end) return p;
  bool first = SkipDecorationsForward(text, line.start, start) == start;
  if (!first) return p;
  size_t after = SkipCaveats(text, end, line.end);
  bool alone = SkipDecorationsForward(text, after, line.end) == line.end;
  bool leads = alone || IsSeparatorAt(text, end, line.end);
  p[static_cast<size_t>(Placement::kLine)] = alone;
  p[static_cast<size_t>(Placement::kLineStart)] = leads;
  if (leads) {
    size_t limit = page_lines == 0 ? 0 : page_lines - 1;
    p[static_cast<size_t>(Placement::kHeader)] = text::NonBlankLinesBefore(text, start, limit, kPageBudget) <= limit;
    p[static_cast<size_t>(Placement::kFooter)] = text::NonBlankLinesAfter(text, end, limit, kPageBudget) <= limit;
  }
  return p;
}

double PlacementFactor(const std::array<double, policy::kPlacementCount>& factors, const Placements& where,
                       policy::Placement* best) {
  double f = -1.0;
  for (size_t i = 0; i < policy::kPlacementCount; ++i) {
    if (where[i] && factors[i] > f) {
      f = factors[i];
      if (best) *best = static_cast<policy::Placement>(i);
    }
  }
  return f < 0 ? 0.0 : f;
}

}  // namespace kimitsu::match
