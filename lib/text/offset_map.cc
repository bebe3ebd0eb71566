#include "text/offset_map.h"

#include <algorithm>

namespace kimitsu::text {

void OffsetMap::Clear() {
  pieces_.clear();
  first_ = 0;
  src_total_ = dst_total_ = 0;
  jumped_ = false;
}

void OffsetMap::AppendPiece(uint32_t src_unit, uint32_t dst_unit, uint64_t count) {
  if (count == 0) return;
  if (dst_unit == 0) {
    // Skipping nothing is no jump: it must not stop the next piece from
    // merging with the last one.
    if (src_unit == 0) return;
    src_total_ += uint64_t{src_unit} * count;
    jumped_ = true;
    return;
  }
  if (!jumped_ && pieces_.size() > first_) {
    Piece& last = pieces_.back();
    if (last.src_unit == src_unit && last.dst_unit == dst_unit) {
      last.count += count;
      src_total_ += uint64_t{src_unit} * count;
      dst_total_ += uint64_t{dst_unit} * count;
      return;
    }
  }
  jumped_ = false;
  if (first_ > 0 && first_ >= pieces_.size() - first_) {
    pieces_.erase(pieces_.begin(), pieces_.begin() + static_cast<std::ptrdiff_t>(first_));
    first_ = 0;
  }
  pieces_.push_back({dst_total_, src_total_, count, dst_unit, src_unit});
  src_total_ += uint64_t{src_unit} * count;
  dst_total_ += uint64_t{dst_unit} * count;
}

void OffsetMap::TrimBefore(size_t d) {
  const Piece* keep = PieceFor(d);
  if (keep == nullptr) return;
  first_ = static_cast<size_t>(keep - pieces_.data());
}

const OffsetMap::Piece* OffsetMap::PieceFor(size_t d) const {
  // The last piece starting at or before d.
  const auto live = pieces_.begin() + static_cast<std::ptrdiff_t>(first_);
  auto it = std::upper_bound(live, pieces_.end(), d, [](size_t v, const Piece& p) { return v < p.dst_start; });
  return it == live ? nullptr : &*(it - 1);
}

size_t OffsetMap::SourceStart(size_t d) const {
  if (is_identity()) return d;
  if (d >= dst_total_) return src_total_;
  const Piece* p = PieceFor(d);  // never null: the first piece starts at 0
  uint64_t unit = (d - p->dst_start) / p->dst_unit;
  return p->src_start + unit * p->src_unit;
}

size_t OffsetMap::SourceEnd(size_t d) const {
  if (is_identity()) return d;
  if (d == 0) return SourceStart(0);
  if (d > dst_total_) return src_total_;
  const Piece* p = PieceFor(d - 1);
  uint64_t unit = (d - 1 - p->dst_start) / p->dst_unit;
  return p->src_start + (unit + 1) * p->src_unit;
}

}  // namespace kimitsu::text
