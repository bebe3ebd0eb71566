// Decoding: any byte buffer to UTF-8, with the encoding it was in and a map
// from every byte of the UTF-8 text back to the bytes of the input.
//
// Order of decisions: a caller's forced encoding (its own byte-order mark is
// still dropped); a byte-order mark; valid UTF-8 (ISO-2022-JP, being 7-bit,
// is recognised by its escape sequences); UTF-16 without a BOM (NUL bytes,
// and code units that read as text in one byte order and not the other);
// binary data (NULs or control bytes in quantity); UTF-8 with a few damaged
// sequences; ICU's charset detector restricted to the encodings kimitsu
// supports, and where it is unsure (short text), whether the bytes read
// cleanly as Shift_JIS or EUC-JP; finally windows-1252, which accepts any
// byte. Invalid sequences become U+FFFD and are counted; decoding never fails.
#ifndef KIMITSU_TEXT_DECODE_H_
#define KIMITSU_TEXT_DECODE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "text/offset_map.h"

namespace kimitsu::text {

enum class Encoding : uint8_t {
  kUtf8,
  kUtf16LE,
  kUtf16BE,
  kShiftJis,  // decoded as CP932 (windows-31j), the superset Windows writes
  kEucJp,
  kIso2022Jp,
  kWindows1252,
  kBinary,  // not text: decoded as UTF-8 with replacement so strings inside are still seen
};

// The name reported to users: "UTF-8", "Shift_JIS", "binary", ...
std::string_view EncodingName(Encoding e);

// Parses a user-given encoding name, case-insensitively, with common aliases
// (utf8, sjis, cp932, windows-31j, eucjp, jis, utf-16le, latin1, ...).
std::optional<Encoding> ParseEncodingName(std::string_view name);

struct DecodeOptions {
  std::optional<Encoding> force;       // skip detection and decode as this
  size_t detection_sample = 64 * 1024;  // bytes given to the heuristics and ICU's detector
};

// The UTF-8 text of one input. `text` points either into `storage` or, when
// the input was already UTF-8 (possibly after a BOM), into the caller's
// input itself: it is valid only as long as that input is.
struct Decoded {
  Encoding encoding = Encoding::kUtf8;
  int confidence = 0;          // 0..100: how sure detection was
  bool had_bom = false;
  size_t replacements = 0;     // ill-formed sequences replaced with U+FFFD
  size_t nul_bytes = 0;        // NUL bytes seen in the detection sample
  std::string_view text;
  std::string storage;
  OffsetMap map;               // byte offsets of `text` -> byte offsets of the input

  bool lossy() const { return replacements != 0; }
};

// Decodes `input` into `out`, reusing `out`'s storage.
void Decode(std::string_view input, const DecodeOptions& options, Decoded& out);

}  // namespace kimitsu::text

#endif  // KIMITSU_TEXT_DECODE_H_
