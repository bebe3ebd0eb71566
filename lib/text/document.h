// Document: one input as the matcher sees it — decoded to UTF-8, normalized
// to NFKC — with the way back from any span of that text to the bytes of the
// caller's input.
#ifndef KIMITSU_TEXT_DOCUMENT_H_
#define KIMITSU_TEXT_DOCUMENT_H_

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"
#include "text/decode.h"
#include "text/normalize.h"

namespace kimitsu::text {

// Reusable: Load() keeps the buffers of the previous document, so a scanner
// that holds one Document allocates nothing for text that needs no copy.
// The input must outlive the Document's use of it (views may point into it).
class Document {
 public:
  Document() = default;
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  absl::Status Load(std::string_view input, const DecodeOptions& options = {});

  // The NFKC UTF-8 text that rules match against.
  std::string_view text() const { return normalized_.text; }
  std::string_view input() const { return input_; }
  const Decoded& decoded() const { return decoded_; }
  bool normalized_changed() const { return normalized_.changed(); }

  // The bytes of the input that produced text()[start, end).
  ByteSpan ToInput(size_t start, size_t end) const;

  // The decoded (UTF-8, not normalized) text that text()[start, end) came
  // from: what the document says, for excerpts.
  std::string_view DecodedText(size_t start, size_t end) const;

 private:
  std::string_view input_;
  Decoded decoded_;
  Normalized normalized_;
};

}  // namespace kimitsu::text

#endif  // KIMITSU_TEXT_DOCUMENT_H_
