// Text runs in binary input. Binary data (executables, images, archives,
// compressed streams) is scanned for the strings inside it, but in bytes that
// are noise every weak rule fires now and then by chance: "DOB", "DMZ",
// "pw:x" or "0d::" turn up in a few MB of random bytes. A string that a
// program or a file format really holds is a run of text between control
// bytes, NULs and undecodable bytes, as `strings` extracts them; chance hits
// lie in short runs (a byte of noise is text with odds of about 0.4, so a run
// of 10 characters comes about once in 30 KB of it, and one that holds a
// given pattern almost never).
//
// So in binary input:
// - a finding counts only if it lies inside one run of at least
//   kMinBinaryRunChars characters;
// - a marking's placement is judged inside its run, as though the run were
//   the document, when the run has lines (an embedded text, the text stream
//   of a .doc, a memo field). A run without a line break is a string — a
//   label, an identifier, a message — and a marking in it is prose:
//   "RESTRICTED" or "internal-only" among a program's strings is not a banner.
// (Strings in UTF-16LE are turned into text by the decoder, decode.h.)
#ifndef KIMITSU_MATCH_TEXT_RUNS_H_
#define KIMITSU_MATCH_TEXT_RUNS_H_

#include <cstddef>
#include <string_view>

#include "match/placement.h"

namespace kimitsu::match {

inline constexpr size_t kMinBinaryRunChars = 10;

// Whether code point `c` belongs in a text run: anything but C0 and C1
// controls other than \t \n \v \f \r, DEL and U+FFFD (an undecodable byte).
inline bool IsRunChar(char32_t c) {
  if (c < 0x20) return c >= '\t' && c <= '\r';
  return !(c >= 0x7F && c <= 0x9F) && c != 0xFFFD;
}

// Whether a finding text[start, end) of binary input counts. `text` is
// well-formed UTF-8 (the scanner's NFKC text).
bool CountsInBinary(std::string_view text, size_t start, size_t end);

// The placements of a marking text[start, end) of binary input (see above).
Placements PlacementsInBinary(std::string_view text, size_t start, size_t end, size_t page_lines);

}  // namespace kimitsu::match

#endif  // KIMITSU_MATCH_TEXT_RUNS_H_
