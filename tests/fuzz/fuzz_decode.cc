// Fuzz target: arbitrary bytes through decoding and NFKC. The text is valid
// UTF-8; every character maps back inside the input, in order; and the same
// bytes streamed in pieces (cut where the input's own bytes say) give the
// same text, encoding and offsets.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "text/document.h"
#include "text/text_stream.h"
#include "text/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kimitsu::text;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Document doc;
  FUZZ_CHECK(doc.Load(input).ok());
  std::string_view text = doc.text();
  FUZZ_CHECK(IsValidUtf8(text));

  TextStream stream;
  stream.Begin({});
  uint32_t seed = 2166136261u;
  for (unsigned char c : input.substr(0, 16)) seed = (seed ^ c) * 16777619u;
  for (size_t off = 0; off < input.size();) {
    seed = seed * 1103515245u + 12345u;
    size_t piece = 1 + (seed >> 8) % 97;
    FUZZ_CHECK(stream.Write(input.substr(off, piece)).ok());
    off += piece;
  }
  FUZZ_CHECK(stream.Finish().ok());
  FUZZ_CHECK(stream.window() == text);
  FUZZ_CHECK(stream.detection().encoding == doc.decoded().encoding);
  FUZZ_CHECK(stream.replacements() == doc.decoded().replacements);

  size_t last_start = 0;
  for (size_t i = 0; i < text.size();) {
    size_t next = i + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    ByteSpan span = doc.ToInput(i, next);
    FUZZ_CHECK(span.start <= span.end && span.end <= input.size());
    FUZZ_CHECK(span.start >= last_start);
    FUZZ_CHECK(stream.ToInput(i, next) == span);
    last_start = span.start;
    i = next;
  }
  return 0;
}
