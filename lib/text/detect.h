// Encoding detection from the start of an input, in two steps so that a
// stream can decide as soon as it has seen enough, and a whole buffer is
// decided exactly the same way:
//
//   1. DetectFromHead looks at the first `detection_sample` bytes (the head):
//      a forced encoding, a byte-order mark, UTF-16 without a BOM (NULs, and
//      code units that read as text in one byte order only), binary data
//      (the signature of a binary format, or NULs or control bytes in
//      quantity), ISO-2022-JP (its escape
//      sequences, and no more than a stray 8-bit byte or two). Anything else is ASCII-compatible, and the answer
//      waits for
//   2. DetectFromSample, which looks at a sample starting just before the
//      first non-ASCII byte (a long ASCII header would otherwise hide it):
//      UTF-8, also with a few damaged sequences; else ICU's charset detector
//      restricted to the encodings kimitsu supports, and where it is unsure
//      (short text), whether the bytes read cleanly as Shift_JIS or EUC-JP;
//      finally windows-1252, which accepts any byte.
//
// Bytes before the first non-ASCII byte are ASCII in every candidate of
// step 2, so they can be decoded before step 2 has decided.
#ifndef KIMITSU_TEXT_DETECT_H_
#define KIMITSU_TEXT_DETECT_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include "text/encoding.h"

namespace kimitsu::text {

struct Detection {
  Encoding encoding = Encoding::kUtf8;
  int confidence = 100;  // 0..100
  size_t bom = 0;        // bytes of byte-order mark to skip
  size_t nul_bytes = 0;  // NUL bytes in the head
};

// A sample too small to hold a few characters cannot tell anything.
inline size_t SampleSize(const DecodeOptions& o) { return o.detection_sample < 64 ? 64 : o.detection_sample; }

// Step 1. `head` is input[0, SampleSize) (or the whole input if shorter).
std::optional<Detection> DetectFromHead(std::string_view head, const DecodeOptions& options);

// Where step 2's sample starts for a first non-ASCII byte at `first_non_ascii`:
// a little ASCII context before it, at most a quarter of the sample.
size_t SampleStart(size_t first_non_ascii, const DecodeOptions& options);

// Step 2. `sample` is input[SampleStart(p), SampleStart(p) + SampleSize), or
// empty when the input has no non-ASCII byte; `reaches_end` when it runs to
// the end of the input (a character cut off at its end is then an error).
Detection DetectFromSample(std::string_view sample, bool reaches_end);

}  // namespace kimitsu::text

#endif  // KIMITSU_TEXT_DETECT_H_
