#include "text/offset_map.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace kimitsu::text {
namespace {

// The map and a plain reference, each derived byte's source span, appended
// to alike: `count` pieces of `su` source bytes that became `du` bytes.
struct MapAndReference {
  OffsetMap map;
  std::vector<size_t> start, end;  // per derived byte
  size_t src = 0;

  void Append(uint32_t su, uint32_t du, uint64_t count) {
    map.Append(su, du, count);
    for (uint64_t c = 0; c < count; ++c) {
      for (uint32_t b = 0; b < du; ++b) {
        start.push_back(src);
        end.push_back(src + su);
      }
      src += su;
    }
  }
};

TEST(OffsetMapTest, EmptyMapIsIdentity) {
  OffsetMap m;
  EXPECT_TRUE(m.is_identity());
  EXPECT_EQ(m.piece_count(), 0u);
  for (size_t d : {0, 1, 7, 1000}) {
    EXPECT_EQ(m.SourceStart(d), d);
    EXPECT_EQ(m.SourceEnd(d), d);
  }
}

TEST(OffsetMapTest, UnchangedTextIsOnePiece) {
  OffsetMap m;
  m.AppendUnchanged(10);
  m.AppendUnchanged(5);
  EXPECT_FALSE(m.is_identity());
  EXPECT_EQ(m.piece_count(), 1u);
  EXPECT_EQ(m.source_length(), 15u);
  EXPECT_EQ(m.derived_length(), 15u);
  for (size_t d = 0; d <= 15; ++d) {
    EXPECT_EQ(m.SourceStart(d), d);
    EXPECT_EQ(m.SourceEnd(d), d);
  }
}

TEST(OffsetMapTest, ShiftJisKanjiRunIsOneTwoToThreePiece) {
  // "ab" + 3 kanji (2 bytes -> 3 bytes each) + "c"
  OffsetMap m;
  m.AppendUnchanged(2);
  m.Append(2, 3);
  m.Append(2, 3);
  m.Append(2, 3);
  m.AppendUnchanged(1);
  EXPECT_EQ(m.piece_count(), 3u);
  EXPECT_EQ(m.source_length(), 9u);
  EXPECT_EQ(m.derived_length(), 12u);
  // Derived byte -> (start, end) of its unit.
  const size_t start[] = {0, 1, 2, 2, 2, 4, 4, 4, 6, 6, 6, 8, 9};
  const size_t end_of[] = {0, 1, 2, 4, 4, 4, 6, 6, 6, 8, 8, 8, 9};  // SourceEnd(d)
  for (size_t d = 0; d <= 12; ++d) {
    EXPECT_EQ(m.SourceStart(d), start[d]) << d;
    EXPECT_EQ(m.SourceEnd(d), end_of[d]) << d;
  }
}

TEST(OffsetMapTest, JumpsSkipBytesThatProduceNothing) {
  // BOM (3 bytes) then 4 unchanged, an escape (3 bytes), 2 more, a trailing escape.
  OffsetMap m;
  m.Append(3, 0);
  m.AppendUnchanged(4);
  m.Append(3, 0);
  m.AppendUnchanged(2);
  m.Append(3, 0);
  EXPECT_FALSE(m.is_identity());
  EXPECT_EQ(m.piece_count(), 2u);  // a jump prevents merging
  EXPECT_EQ(m.source_length(), 15u);
  EXPECT_EQ(m.derived_length(), 6u);
  EXPECT_EQ(m.SourceStart(0), 3u);
  EXPECT_EQ(m.SourceStart(3), 6u);
  EXPECT_EQ(m.SourceEnd(4), 7u);   // ends before the escape
  EXPECT_EQ(m.SourceStart(4), 10u);  // starts after it
  EXPECT_EQ(m.SourceEnd(6), 12u);
  EXPECT_EQ(m.SourceStart(6), 15u);  // the end maps to the end of the source
  EXPECT_EQ(m.SourceEnd(0), 3u);
}

// A jump over nothing (a converter reporting a character that starts where
// the last one ended) must not split the run it sits in.
TEST(OffsetMapTest, EmptyJumpKeepsPiecesMerging) {
  OffsetMap m;
  for (int i = 0; i < 100; ++i) {
    m.Append(0, 0);
    m.Append(2, 3);
  }
  EXPECT_EQ(m.piece_count(), 1u);
  EXPECT_EQ(m.source_length(), 200u);
  EXPECT_EQ(m.SourceStart(299), 198u);
  m.Append(0, 0, 7);
  m.Append(2, 3);
  EXPECT_EQ(m.piece_count(), 1u);
  m.Append(1, 0);
  m.Append(2, 3);
  EXPECT_EQ(m.piece_count(), 2u);
}

TEST(OffsetMapTest, OnlyJumps) {
  OffsetMap m;
  m.Append(2, 0);
  EXPECT_FALSE(m.is_identity());
  EXPECT_EQ(m.derived_length(), 0u);
  EXPECT_EQ(m.SourceStart(0), 2u);
  EXPECT_EQ(m.SourceEnd(0), 2u);
}

TEST(OffsetMapTest, ZeroCountIsIgnoredAndClearResets) {
  OffsetMap m;
  m.Append(2, 3, 0);
  EXPECT_TRUE(m.is_identity());
  m.Append(2, 3, 4);
  EXPECT_EQ(m.derived_length(), 12u);
  m.Clear();
  EXPECT_TRUE(m.is_identity());
  EXPECT_EQ(m.SourceStart(5), 5u);
  m.Append(4, 0);
  m.Clear();
  m.AppendUnchanged(1);
  m.AppendUnchanged(1);
  EXPECT_EQ(m.piece_count(), 1u);  // Clear forgot the jump
}

TEST(OffsetMapTest, HugeCounts) {
  OffsetMap m;
  m.AppendUnchanged(uint64_t{5} << 30);
  m.Append(2, 3, uint64_t{1} << 30);
  EXPECT_EQ(m.source_length(), (uint64_t{7} << 30));
  EXPECT_EQ(m.derived_length(), (uint64_t{8} << 30));
  size_t d = (size_t{5} << 30) + 4;  // inside the second unit of the 2:3 piece
  EXPECT_EQ(m.SourceStart(d), (size_t{5} << 30) + 2);
  EXPECT_EQ(m.SourceEnd(d), (size_t{5} << 30) + 4);
}

// Random maps against a byte-by-byte reference.
TEST(OffsetMapTest, RandomMapsMatchReference) {
  for (uint32_t seed = 1; seed <= 500; ++seed) {
    std::mt19937 rng(seed);
    auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    MapAndReference r;
    int ops = uni(0, 30);
    for (int k = 0; k < ops; ++k) {
      uint32_t su = static_cast<uint32_t>(uni(0, 6));
      uint32_t du = static_cast<uint32_t>(uni(0, 4));
      uint64_t count = static_cast<uint64_t>(uni(0, 5));
      if (su == 0 && du == 0) continue;
      r.Append(su, du, count);
    }
    ASSERT_EQ(r.map.source_length(), r.src);
    ASSERT_EQ(r.map.derived_length(), r.start.size());
    if (r.map.is_identity()) continue;
    for (size_t d = 0; d < r.start.size(); ++d) {
      ASSERT_EQ(r.map.SourceStart(d), r.start[d]) << "seed " << seed << " d " << d;
      ASSERT_EQ(r.map.SourceEnd(d + 1), r.end[d]) << "seed " << seed << " d " << d;
    }
    ASSERT_EQ(r.map.SourceStart(r.start.size()), r.src);
    // Monotonic in both functions.
    for (size_t d = 1; d <= r.start.size(); ++d) {
      ASSERT_LE(r.map.SourceStart(d - 1), r.map.SourceStart(d));
      ASSERT_LE(r.map.SourceEnd(d - 1), r.map.SourceEnd(d));
      ASSERT_LE(r.map.SourceStart(d - 1), r.map.SourceEnd(d));
    }
  }
}

// A stream trims as it reads and appends as text comes: lookups at and
// after the trimmed offset stay exact whichever pieces were dropped, and
// pieces added after a trim merge with the last one as before.
TEST(OffsetMapTest, TrimThenAppendKeepsLookupsExact) {
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(seed);
    auto uni = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    MapAndReference r;
    size_t trimmed = 0;
    for (int k = 0; k < 60; ++k) {
      if (uni(0, 3) == 0 && !r.start.empty()) {
        trimmed = std::max<size_t>(trimmed, static_cast<size_t>(uni(0, static_cast<int>(r.start.size()))));
        r.map.TrimBefore(trimmed);
      } else {
        uint32_t su = static_cast<uint32_t>(uni(1, 4));
        uint32_t du = static_cast<uint32_t>(uni(1, 3));
        uint64_t count = static_cast<uint64_t>(uni(1, 4));
        r.Append(su, du, count);
      }
      for (size_t d = trimmed; d < r.start.size(); ++d) {
        ASSERT_EQ(r.map.SourceStart(d), r.start[d]) << "seed " << seed << " step " << k << " d " << d;
        ASSERT_EQ(r.map.SourceEnd(d + 1), r.end[d]) << "seed " << seed << " step " << k << " d " << d;
      }
      ASSERT_EQ(r.map.SourceStart(r.start.size()), r.src);
      ASSERT_EQ(r.map.derived_length(), r.start.size());
    }
  }
}

TEST(OffsetMapTest, TrimmedPiecesAreNotCounted) {
  OffsetMap m;
  for (int k = 0; k < 8; ++k) {
    m.AppendUnchanged(4);
    m.Append(3, 1, 2);
  }
  EXPECT_EQ(m.piece_count(), 16u);
  // Each pair of pieces is 6 derived bytes from 10: offset 32 is in the
  // 11th piece (the 6th pair's unchanged bytes).
  m.TrimBefore(32);
  EXPECT_EQ(m.piece_count(), 6u);
  EXPECT_EQ(m.SourceStart(32), 52u);
  m.AppendUnchanged(1);  // drops the 10 trimmed pieces: they outnumber the 6 kept
  EXPECT_EQ(m.piece_count(), 7u);
  EXPECT_EQ(m.SourceStart(32), 52u);
  EXPECT_EQ(m.SourceEnd(34), 54u);
  EXPECT_EQ(m.SourceEnd(35), 57u);  // a 3:1 unit
  EXPECT_EQ(m.SourceEnd(48), 80u);
  EXPECT_EQ(m.SourceEnd(49), 81u);
  m.AppendUnchanged(1);  // merges
  EXPECT_EQ(m.piece_count(), 7u);
}

}  // namespace
}  // namespace kimitsu::text
