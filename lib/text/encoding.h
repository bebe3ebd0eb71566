// The encodings kimitsu reads, their names, and how a caller chooses one.
#ifndef KIMITSU_TEXT_ENCODING_H_
#define KIMITSU_TEXT_ENCODING_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

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

// The ICU converter that decodes `e`, or nullptr for UTF-8 and binary,
// which kimitsu decodes itself.
const char* IcuConverterName(Encoding e);

struct DecodeOptions {
  std::optional<Encoding> force;        // skip detection and decode as this
  size_t detection_sample = 64 * 1024;  // bytes given to the heuristics and ICU's detector
};

}  // namespace kimitsu::text

#endif  // KIMITSU_TEXT_ENCODING_H_
