// Decoding: bytes in a detected (detect.h) or forced encoding to UTF-8, with
// a map from every byte of the UTF-8 text back to the bytes of the input.
// Invalid sequences become U+FFFD and are counted; decoding never fails.
// Binary data is read as UTF-8, and its UTF-16LE strings of ASCII text as
// that text (each unit's NUL dropped), so that the strings of a Windows
// program are seen too.
#ifndef KIMITSU_TEXT_DECODE_H_
#define KIMITSU_TEXT_DECODE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "text/encoding.h"
#include "text/offset_map.h"

namespace kimitsu::text {

// Decodes one input incrementally: feed it the input's bytes in order, in
// pieces of any size; the output does not depend on where the pieces are cut.
// Reusable (Start again); not thread-safe.
class Decoder {
 public:
  Decoder();
  ~Decoder();
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  // Starts decoding as `e` at input offset `start`: the caller has already
  // accounted in its map for the bytes before it (a BOM, plain ASCII).
  void Start(Encoding e, size_t start);

  // Decodes the next `bytes` of the input, appending UTF-8 to `out` and its
  // pieces to `map`. A character cut off at the end of `bytes` waits for the
  // next call, unless `last` says the input ends here.
  void Feed(std::string_view bytes, bool last, std::string& out, OffsetMap& map);

  size_t replacements() const;

  // UTF-8 with nothing held from the last Feed: the length of the longest
  // well-formed prefix of `bytes`, which decodes to itself, so that a caller
  // may take it as it is (then Skip it) instead of having it copied. 0 for
  // other encodings.
  size_t PassThroughLength(std::string_view bytes) const;
  // The next `n` bytes of the input were taken as PassThroughLength allowed.
  void Skip(size_t n) { consumed_ += n; }

 private:
  struct Icu;
  void FeedUtf8(std::string_view bytes, bool last, std::string& out, OffsetMap& map);
  // Binary data: UTF-8 with replacement, except that strings in UTF-16LE
  // (kMinUtf16Units or more units of ASCII text, each followed by a NUL, as
  // Windows programs and resources hold them) become their ASCII text.
  void FeedBinary(std::string_view bytes, bool last, std::string& out, OffsetMap& map);

  Encoding encoding_ = Encoding::kUtf8;
  size_t consumed_ = 0;     // input offset of the next byte fed
  size_t replacements_ = 0;
  std::string carry_;       // UTF-8: a sequence cut off at the end of the last Feed
  std::string held16_;      // binary: the start of what may be a UTF-16LE string, cut off
  bool in_utf16_ = false;   // binary: inside a UTF-16LE string
  std::unique_ptr<Icu> icu_;
};

// The UTF-8 text of one whole input. `text` points either into `storage` or,
// when the input was well-formed UTF-8 (possibly after a BOM), into the
// caller's input itself: it is valid only as long as that input is.
struct Decoded {
  Encoding encoding = Encoding::kUtf8;
  int confidence = 0;       // 0..100: how sure detection was
  bool had_bom = false;
  size_t replacements = 0;  // ill-formed sequences replaced with U+FFFD
  size_t nul_bytes = 0;     // NUL bytes seen in the detection sample
  std::string_view text;
  std::string storage;
  OffsetMap map;            // byte offsets of `text` -> byte offsets of the input

  bool lossy() const { return replacements != 0; }
};

// Detects the encoding of `input` (detect.h) and decodes it into `out`,
// reusing `out`'s storage.
void Decode(std::string_view input, const DecodeOptions& options, Decoded& out);

}  // namespace kimitsu::text

#endif  // KIMITSU_TEXT_DECODE_H_
