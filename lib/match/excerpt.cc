#include "match/excerpt.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <vector>

#include "text/utf8.h"

namespace kimitsu::match {
namespace {

bool IsMaskable(char32_t c) { return u_isalnum(static_cast<UChar32>(c)) != 0; }

}  // namespace

bool AppendExcerpt(std::string_view matched, bool masked, size_t max_bytes, std::string& out) {
  std::string_view s = matched.substr(0, text::ValidUtf8PrefixLength(matched));
  bool cut = false;
  if (s.size() > max_bytes) {
    size_t end = max_bytes;
    while (end > 0 && text::IsContinuation(s[end])) --end;
    s = s.substr(0, end);
    cut = true;
  }
  size_t maskable = 0;
  if (masked) {
    for (size_t i = 0; i < s.size();) maskable += IsMaskable(text::DecodeAt(s, i));
  }
  size_t n = maskable;
  size_t head = n <= 4 ? n / 2 : std::min<size_t>(4, n / 4);
  size_t tail = n >= 12 ? std::min<size_t>(4, n / 4) : 0;
  size_t k = 0;
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    char32_t c = text::DecodeAt(s, i);
    if (c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
      out.push_back(' ');
      continue;
    }
    if (masked && IsMaskable(c)) {
      bool visible = k < head || k >= n - tail;
      ++k;
      if (!visible) {
        out.push_back('*');
        continue;
      }
    }
    out.append(s.data() + start, i - start);
  }
  if (cut) out.append("\xE2\x80\xA6");
  return cut;
}

}  // namespace kimitsu::match
