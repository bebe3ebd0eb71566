#include "text/document.h"

namespace kimitsu::text {

absl::Status Document::Load(std::string_view input, const DecodeOptions& options) {
  input_ = input;
  Decode(input, options, decoded_);
  return NormalizeNfkc(decoded_.text, normalized_);
}

ByteSpan Document::ToInput(size_t start, size_t end) const {
  size_t d_start = normalized_.map.SourceStart(start);
  size_t d_end = end > start ? normalized_.map.SourceEnd(end) : d_start;
  size_t s = decoded_.map.SourceStart(d_start);
  size_t e = d_end > d_start ? decoded_.map.SourceEnd(d_end) : s;
  return {s, e};
}

std::string_view Document::DecodedText(size_t start, size_t end) const {
  size_t d_start = normalized_.map.SourceStart(start);
  size_t d_end = end > start ? normalized_.map.SourceEnd(end) : d_start;
  return decoded_.text.substr(d_start, d_end - d_start);
}

}  // namespace kimitsu::text
