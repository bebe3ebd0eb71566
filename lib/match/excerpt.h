// Excerpts of findings for reports. Reports must not become a second leak,
// so excerpts are masked unless the user asks otherwise: letters and digits
// are replaced by '*' except a few at the ends, separators are kept, so a
// reader can still recognise the kind of value ("4111 **** **** 1111",
// "特定**", "AKIA************WXYZ").
#ifndef KIMITSU_MATCH_EXCERPT_H_
#define KIMITSU_MATCH_EXCERPT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace kimitsu::match {

// Longest excerpt kept by default, in bytes (cut at a character boundary,
// "…" appended); ScanOptions::max_excerpt_bytes changes it.
inline constexpr size_t kMaxExcerptBytes = 160;

// Appends to `out` an excerpt of well-formed UTF-8 `matched`, of at most
// `max_bytes` bytes of it (cut at a character boundary, then "…"); returns
// whether it was cut. With `masked`,
// of n letters and digits the first n/2 (n ≤ 4) or min(4, n/4) stay visible,
// and for n ≥ 12 the last min(4, n/4) too; every other letter or digit
// becomes '*'. Line breaks and tabs become spaces.
bool AppendExcerpt(std::string_view matched, bool masked, size_t max_bytes, std::string& out);

}  // namespace kimitsu::match

#endif  // KIMITSU_MATCH_EXCERPT_H_
