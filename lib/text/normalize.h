// NFKC normalization with an offset map back to the un-normalized text.
//
// Matching runs on the NFKC form so that full-width ＳＥＣＲＥＴ, half-width
// ｶﾀｶﾅ and １２３ need no rules of their own. Most text is already NFKC (all
// ASCII is): then the result is a view of the input and the map is the
// identity, so the common case costs one quick check and no copy.
#ifndef KIMITSU_TEXT_NORMALIZE_H_
#define KIMITSU_TEXT_NORMALIZE_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "text/offset_map.h"

namespace kimitsu::text {

struct Normalized {
  std::string_view text;  // `storage`, or the input when it was already NFKC
  std::string storage;
  OffsetMap map;          // byte offsets of `text` -> byte offsets of the input
  bool changed() const { return !map.is_identity(); }
};

// Normalizes UTF-8 `input` (which must be well-formed) to NFKC into `out`,
// reusing its storage. Fails only if ICU's data cannot be loaded.
absl::Status NormalizeNfkc(std::string_view input, Normalized& out);

// Appends the NFKC form of well-formed UTF-8 `input` to `out`, and its
// pieces to `map` (whose source offsets continue from where it stands).
absl::Status AppendNfkc(std::string_view input, std::string& out, OffsetMap& map);

// The length of the longest prefix of well-formed UTF-8 `text` that can be
// normalized on its own: it ends before a character that no earlier one
// combines or composes with, so NFKC(prefix) + NFKC(rest) = NFKC(text).
// Looks back at most a few dozen characters; 0 when it finds no such place.
size_t NfkcSafePrefixLength(std::string_view text);

// The first such place after the start of well-formed UTF-8 `text`: the
// offset of the first character after the first that no earlier one
// combines or composes with. Looks at most a few dozen characters ahead;
// 0 when it finds no such place.
size_t NfkcFirstSafeCut(std::string_view text);

}  // namespace kimitsu::text

#endif  // KIMITSU_TEXT_NORMALIZE_H_
