#include "text/lines.h"

#include <algorithm>

namespace kimitsu::text {
namespace {

bool IsLineEnd(char c) { return c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

}  // namespace

LineSpan LineAround(std::string_view text, size_t pos, size_t max_scan, bool* complete) {
  pos = std::min(pos, text.size());
  // The \n of a \r\n belongs to the line the pair ends.
  if (pos > 0 && pos < text.size() && text[pos] == '\n' && text[pos - 1] == '\r') --pos;
  bool whole = true;
  size_t start = pos;
  while (start > 0 && !IsLineEnd(text[start - 1])) {
    if (pos - start >= max_scan) {
      whole = false;
      break;
    }
    --start;
  }
  size_t end = pos;
  while (end < text.size() && !IsLineEnd(text[end])) {
    if (end - pos >= max_scan) {
      whole = false;
      break;
    }
    ++end;
  }
  if (complete) *complete = whole;
  return {start, end};
}

size_t NonBlankLinesBefore(std::string_view text, size_t pos, size_t limit, size_t max_bytes) {
  pos = std::min(pos, text.size());
  size_t i = LineAround(text, pos, max_bytes).start;
  size_t count = 0, scanned = pos - i;
  bool line_has_text = false;
  while (i > 0) {
    char c = text[--i];
    if (++scanned > max_bytes) return limit + 1;
    if (c == '\f') break;
    if (IsLineEnd(c)) {
      if (line_has_text && ++count > limit) return limit + 1;
      line_has_text = false;
    } else if (!IsBlank(c)) {
      line_has_text = true;
    }
  }
  if (line_has_text) ++count;
  return count > limit ? limit + 1 : count;
}

size_t NonBlankLinesAfter(std::string_view text, size_t pos, size_t limit, size_t max_bytes) {
  pos = std::min(pos, text.size());
  size_t i = LineAround(text, pos, max_bytes).end;
  size_t count = 0, scanned = i - pos;
  if (i < text.size() && text[i] == '\f') return 0;
  bool line_has_text = false;
  for (i = i < text.size() ? i + 1 : i; i < text.size(); ++i) {
    char c = text[i];
    if (++scanned > max_bytes) return limit + 1;
    if (IsLineEnd(c)) {
      if (line_has_text && ++count > limit) return limit + 1;
      line_has_text = false;
      if (c == '\f') break;
    } else if (!IsBlank(c)) {
      line_has_text = true;
    }
  }
  if (line_has_text) ++count;
  return count > limit ? limit + 1 : count;
}

}  // namespace kimitsu::text
