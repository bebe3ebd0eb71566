// Word tokens and word boundaries, after Unicode's word segmentation (UAX #29)
// as ICU implements it, with dictionary segmentation for Japanese and Chinese.
//
// ICU's word break iterator runs at ~30 MB/s (~10 MB/s on Japanese), so it is
// never run over a whole document on the scan path: the matcher asks
// IsBoundary() at the edges of candidate matches, and only the run of text
// around that position is segmented. Runs of plain ASCII are segmented by a
// small implementation of the same rules, which tests hold equal to ICU.
#ifndef KIMITSU_TEXT_TOKENIZE_H_
#define KIMITSU_TEXT_TOKENIZE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/uversion.h>

struct UText;
U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace kimitsu::text {

// A word token: a segment holding letters, digits or ideographs (spaces and
// punctuation are not tokens). Byte offsets into the text.
struct Token {
  size_t start;
  size_t end;
  bool operator==(const Token&) const = default;
};

// Word boundaries of pure-ASCII text, including 0 and s.size().
void AsciiWordBoundaries(std::string_view s, std::vector<size_t>& out);

// Holds an ICU break iterator created once and reused: one per thread. Not
// thread-safe; cheap to keep, costly to create.
class Tokenizer {
 public:
  Tokenizer();
  ~Tokenizer();
  Tokenizer(const Tokenizer&) = delete;
  Tokenizer& operator=(const Tokenizer&) = delete;

  // False if ICU's break data could not be loaded; then every position
  // between code points counts as a boundary. The ICU iterator is created on
  // first use, so a scanner that never needs one never pays for it.
  bool ok();

  // Appends the word tokens of well-formed UTF-8 `text` to `out`.
  void Tokenize(std::string_view text, std::vector<Token>& out);

  // All word boundaries of `text` (including 0 and text.size()), from ICU
  // alone: the reference the fast path is tested against.
  void IcuBoundaries(std::string_view text, std::vector<size_t>& out);

  // Whether byte offset `pos` of `text` is a word boundary. Segments only the
  // run of text around `pos` (bounded by whitespace and a few hundred bytes).
  // `text_offset` is where `text` starts in the whole text: where ICU is
  // needed, the window segmented is chosen on a grid of the whole text's
  // offsets, so that the answer does not depend on how the text was cut into
  // views, and every candidate in one grid block shares one segmentation
  // (a run of thousands of candidates, such as 秘秘秘…, costs one ICU pass
  // per block, not one per candidate).
  bool IsBoundary(std::string_view text, size_t pos, size_t text_offset = 0);

 private:
  void SegmentRun(std::string_view run, size_t base, std::vector<Token>& out);

  std::unique_ptr<icu::BreakIterator> iterator_;
  bool created_ = false;
  UText* utext_ = nullptr;
  std::vector<size_t> scratch_;
  // The last window IsBoundary segmented with ICU, and its boundaries.
  std::string window_;
  std::vector<size_t> window_breaks_;
};

}  // namespace kimitsu::text

#endif  // KIMITSU_TEXT_TOKENIZE_H_
