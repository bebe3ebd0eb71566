#include "match/text_runs.h"

#include <algorithm>

#include "text/utf8.h"

namespace kimitsu::match {
namespace {

using text::IsContinuation;

// Placement looks this far around a marking (placement.cc's page budget).
constexpr size_t kPlacementReach = 16 * 1024;

struct Run {
  bool text = false;       // [start, end) itself is all text
  size_t start = 0, end = 0;
  size_t chars = 0;
  bool cut_before = false, cut_after = false;  // the run goes on past `reach`
};

// The run of text around text[start, end), followed at most `reach` bytes
// each way from it.
Run RunAround(std::string_view text, size_t start, size_t end, size_t reach) {
  Run r;
  for (size_t i = start; i < end; ++r.chars) {
    if (!IsRunChar(text::DecodeAt(text, i))) return r;
  }
  r.text = true;
  const size_t low = start - std::min(start, reach);
  size_t s = start;
  while (s > low) {
    size_t k = s - 1;
    while (k > low && IsContinuation(text[k])) --k;
    size_t j = k;
    if (IsContinuation(text[k]) || !IsRunChar(text::DecodeAt(text, j))) break;
    s = k;
    ++r.chars;
  }
  const size_t high = std::min(text.size(), end + reach);
  size_t e = end;
  while (e < high) {
    size_t j = e;
    if (!IsRunChar(text::DecodeAt(text, j))) break;
    e = j;
    ++r.chars;
  }
  r.start = s;
  r.end = e;
  r.cut_before = s == low && s > 0;
  r.cut_after = e >= high && e < text.size();
  return r;
}

}  // namespace

bool CountsInBinary(std::string_view text, size_t start, size_t end) {
  // Following the run 4 bytes a character each way is enough to count to
  // kMinBinaryRunChars.
  Run r = RunAround(text, start, end, kMinBinaryRunChars * 4);
  return r.text && (r.chars >= kMinBinaryRunChars || r.cut_before || r.cut_after);
}

Placements PlacementsInBinary(std::string_view text, size_t start, size_t end, size_t page_lines) {
  Placements prose{};
  prose[static_cast<size_t>(policy::Placement::kProse)] = true;
  Run r = RunAround(text, start, end, kPlacementReach);
  if (!r.text) return prose;
  // A run longer than placement looks is text as far as it can tell.
  size_t from = r.cut_before ? 0 : r.start;
  size_t to = r.cut_after ? text.size() : r.end;
  std::string_view run = text.substr(from, to - from);
  if (run.find_first_of("\n\r\v\f") == std::string_view::npos) return prose;
  return PlacementsOf(run, start - from, end - from, page_lines);
}

}  // namespace kimitsu::match
