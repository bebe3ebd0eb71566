// Line and page structure for placement rules ("alone on a line", "in the
// first lines of a page").
//
// Placement checks are local: they scan only around the position they ask
// about, with a byte budget, so a 50 MB line or ten million lines cost
// nothing until a candidate match lands there. Lines end at \n, \r\n, \r,
// \v and \f; \f also ends a page.
#ifndef KIMITSU_TEXT_LINES_H_
#define KIMITSU_TEXT_LINES_H_

#include <cstddef>
#include <string_view>

namespace kimitsu::text {

struct LineSpan {
  size_t start;  // first byte of the line
  size_t end;    // the line terminator (or the end of the text)
};

// The line holding byte `pos`, looking at most `max_scan` bytes each way. If
// no terminator was found within the budget, the side that ran out is set to
// `pos` -/+ max_scan and `*complete` (if given) is false.
LineSpan LineAround(std::string_view text, size_t pos, size_t max_scan, bool* complete = nullptr);

// How many non-blank lines of the same page precede the line holding `pos`:
// 0 for the first line with text on a page. Looks back at most `max_bytes`;
// returns `limit + 1` as soon as the count exceeds `limit` or the budget runs out.
size_t NonBlankLinesBefore(std::string_view text, size_t pos, size_t limit, size_t max_bytes);

// The same, counting the non-blank lines of the page that follow the line.
size_t NonBlankLinesAfter(std::string_view text, size_t pos, size_t limit, size_t max_bytes);

}  // namespace kimitsu::text

#endif  // KIMITSU_TEXT_LINES_H_
