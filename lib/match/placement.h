// Placement: where a candidate marking stands — alone on its line, first on
// its line, in the first or last lines of a page, or in running text. A
// banner "TOP SECRET//NOFORN" alone on a line is a marking; the same words in
// a sentence are, at most, weak evidence.
#ifndef KIMITSU_MATCH_PLACEMENT_H_
#define KIMITSU_MATCH_PLACEMENT_H_

#include <array>
#include <cstddef>
#include <string_view>

#include "policy/policy.h"

namespace kimitsu::match {

using Placements = std::array<bool, policy::kPlacementCount>;

// The placements that text[start, end) satisfies (kProse always does).
// "Alone" allows decorations around the span — brackets such as 【】「」()[],
// rules of -=*_~■, whitespace — and a trailing caveat chain such as
// "//SI//NOFORN". Looks at most a few KiB around the span.
Placements PlacementsOf(std::string_view text, size_t start, size_t end, size_t page_lines);

// The best factor among the satisfied placements, and which one it was.
double PlacementFactor(const std::array<double, policy::kPlacementCount>& factors, const Placements& where,
                       policy::Placement* best);

}  // namespace kimitsu::match

#endif  // KIMITSU_MATCH_PLACEMENT_H_
