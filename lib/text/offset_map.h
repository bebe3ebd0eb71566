// OffsetMap: where each byte of a derived text came from.
//
// Decoding (Shift_JIS -> UTF-8) and normalization (NFKC) both produce a text
// whose byte offsets differ from those of their input. Findings are located in
// the derived text but must be reported as byte spans of the caller's input,
// so every transformation records a map. The map is a list of pieces; each
// piece is a run of `count` units in which every unit of `src_unit` source
// bytes became `dst_unit` derived bytes. Unchanged text is one 1:1 piece,
// a run of kanji converted from Shift_JIS is one 2:3 piece, so a map costs
// memory in proportion to how often the kind of change changes, not to the
// length of the text. An empty map is the identity and costs nothing.
#ifndef KIMITSU_TEXT_OFFSET_MAP_H_
#define KIMITSU_TEXT_OFFSET_MAP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace kimitsu::text {

struct ByteSpan {
  size_t start;
  size_t end;
  bool operator==(const ByteSpan&) const = default;
};

class OffsetMap {
 public:
  // The identity map.
  OffsetMap() = default;

  bool is_identity() const { return pieces_.empty() && src_total_ == 0; }

  // Source offset of the unit that derived offset `d` falls in (rounds down
  // to the start of that unit). `d` equal to the derived length maps to the
  // source length.
  size_t SourceStart(size_t d) const;

  // Source offset just past the unit that holds derived byte `d - 1` (rounds
  // up to the end of that unit), so that [SourceStart(b), SourceEnd(e)) covers
  // every source byte that contributed to derived bytes [b, e).
  size_t SourceEnd(size_t d) const;

  // The source bytes that produced derived bytes [start, end): SourceStart
  // and SourceEnd together; an empty span stays empty.
  ByteSpan SourceSpan(size_t start, size_t end) const {
    size_t s = SourceStart(start);
    return {s, end > start ? SourceEnd(end) : s};
  }

  size_t source_length() const { return src_total_; }
  size_t derived_length() const { return dst_total_; }
  size_t piece_count() const { return pieces_.size() - first_; }

  void Clear();

  // Forgets the pieces that end before derived offset `d`: lookups below `d`
  // are no longer possible. Keeps a stream's map as small as its window.
  // (The pieces are dropped from the front of the list only when the next
  // piece is added and they outnumber those kept, so that a reader that
  // trims step by step through a large text moves nothing, and a stream
  // moves each piece at most once on average.)
  void TrimBefore(size_t d);

  // Records the next `count` units of `src_unit` source bytes that became
  // `dst_unit` derived bytes each. Source bytes that produce nothing (a BOM,
  // an ISO-2022 escape sequence) belong to no derived byte: the map jumps
  // over them, so spans never start or end inside them.
  void Append(uint32_t src_unit, uint32_t dst_unit, uint64_t count = 1) {
    // The common case, inline: more units like the last piece's.
    if (!jumped_ && pieces_.size() > first_ && dst_unit != 0 && pieces_.back().src_unit == src_unit &&
        pieces_.back().dst_unit == dst_unit) {
      pieces_.back().count += count;
      src_total_ += uint64_t{src_unit} * count;
      dst_total_ += uint64_t{dst_unit} * count;
      return;
    }
    AppendPiece(src_unit, dst_unit, count);
  }

  // Records `n` bytes copied unchanged.
  void AppendUnchanged(uint64_t n) { Append(1, 1, n); }

 private:
  struct Piece {
    uint64_t dst_start;
    uint64_t src_start;
    uint64_t count;
    uint32_t dst_unit;
    uint32_t src_unit;
  };
  const Piece* PieceFor(size_t d) const;
  void AppendPiece(uint32_t src_unit, uint32_t dst_unit, uint64_t count);

  std::vector<Piece> pieces_;  // from first_ on; those before it are trimmed
  size_t first_ = 0;
  uint64_t src_total_ = 0;
  uint64_t dst_total_ = 0;
  bool jumped_ = false;  // source bytes were skipped since the last piece
};

}  // namespace kimitsu::text

#endif  // KIMITSU_TEXT_OFFSET_MAP_H_
