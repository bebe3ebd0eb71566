#include "text/document.h"

namespace kimitsu::text {

absl::Status Document::Load(std::string_view input, const DecodeOptions& options) {
  input_ = input;
  Decode(input, options, decoded_);
  return NormalizeNfkc(decoded_.text, normalized_);
}

ByteSpan Document::ToInput(size_t start, size_t end) const {
  ByteSpan decoded = normalized_.map.SourceSpan(start, end);
  return decoded_.map.SourceSpan(decoded.start, decoded.end);
}

std::string_view Document::DecodedText(size_t start, size_t end) const {
  ByteSpan decoded = normalized_.map.SourceSpan(start, end);
  return decoded_.text.substr(decoded.start, decoded.end - decoded.start);
}

}  // namespace kimitsu::text
