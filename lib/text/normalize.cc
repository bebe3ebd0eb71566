#include "text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>

#include <limits>

#include "absl/strings/str_cat.h"
#include "text/utf8.h"

namespace kimitsu::text {

absl::Status NormalizeNfkc(std::string_view input, Normalized& out) {
  out.storage.clear();
  out.map.Clear();
  out.text = input;
  size_t ascii = AsciiPrefixLength(input);
  if (ascii == input.size()) return absl::OkStatus();
  // The last ASCII character can compose with the combining marks that follow
  // it (e + U+0301 -> é), so it belongs to the part that ICU looks at. Every
  // ASCII character is a starter that no earlier character composes with, so
  // the bytes before it are final as they are.
  if (ascii > 0) --ascii;

  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) {
    return absl::InternalError(absl::StrCat("ICU NFKC data unavailable: ", u_errorName(status)));
  }
  // ICU takes int32_t lengths; larger inputs are normalized in pieces cut
  // at line ends, where normalization cannot interact across the cut.
  constexpr size_t kMaxPiece = std::numeric_limits<int32_t>::max() / 2;
  if (input.size() <= kMaxPiece) {
    icu::StringPiece whole(input.data() + ascii, static_cast<int32_t>(input.size() - ascii));
    if (nfkc->isNormalizedUTF8(whole, status) && U_SUCCESS(status)) return absl::OkStatus();
  }
  status = U_ZERO_ERROR;

  out.storage.reserve(input.size() + input.size() / 8 + 16);
  out.storage.append(input.data(), ascii);
  out.map.AppendUnchanged(ascii);
  size_t pos = ascii;
  icu::Edits edits;
  while (pos < input.size()) {
    size_t len = input.size() - pos;
    if (len > kMaxPiece) {
      size_t cut = input.rfind('\n', pos + kMaxPiece);
      len = (cut == std::string_view::npos || cut < pos) ? kMaxPiece : cut + 1 - pos;
      while ((static_cast<unsigned char>(input[pos + len]) & 0xC0) == 0x80) --len;  // whole characters
    }
    icu::StringByteSink<std::string> sink(&out.storage);
    edits.reset();
    nfkc->normalizeUTF8(0, icu::StringPiece(input.data() + pos, static_cast<int32_t>(len)), sink,
                        &edits, status);
    if (U_FAILURE(status)) {
      return absl::InternalError(absl::StrCat("ICU NFKC failed: ", u_errorName(status)));
    }
    icu::Edits::Iterator it = edits.getFineIterator();
    while (it.next(status)) {
      if (!it.hasChange()) {
        out.map.AppendUnchanged(static_cast<uint64_t>(it.oldLength()));
      } else {
        out.map.Append(static_cast<uint32_t>(it.oldLength()), static_cast<uint32_t>(it.newLength()));
      }
    }
    pos += len;
  }
  if (out.map.derived_length() != out.storage.size() || out.map.source_length() != input.size()) {
    return absl::InternalError("NFKC offset map does not cover the text");
  }
  out.text = out.storage;
  return absl::OkStatus();
}

}  // namespace kimitsu::text
