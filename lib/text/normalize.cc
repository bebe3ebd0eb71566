#include "text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include <bitset>
#include <cstdint>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "text/utf8.h"

namespace kimitsu::text {
namespace {

// ICU sorts a run of non-starters (combining marks) by combining class in
// time quadratic in the run's length: a few MB of alternating marks would
// take hours. As in UAX #15's Stream-Safe Text Format, which allows 30, a
// run is cut into segments of 30 non-starters, normalized separately (so
// marks are not reordered across a cut; real text never has such runs).
// Cuts are counted from the start of the text given to AppendNfkc, which the
// stream always starts at a boundary or at such a cut, so that streams and
// one-shot normalization cut alike.
constexpr size_t kMaxNonStarters = 30;

// Which BMP code points are non-starters (canonical combining class other
// than 0), from ICU's data, looked up once: the scan below runs over all
// text that is not ASCII, so it must cost little more than reading it.
const std::bitset<0x10000>& BmpNonStarters() {
  static const std::bitset<0x10000> non_starters = [] {
    std::bitset<0x10000> bits;
    for (UChar32 u = 0x300; u < 0x10000; ++u) bits[static_cast<size_t>(u)] = u_getCombiningClass(u) != 0;
    return bits;
  }();
  return non_starters;
}

// Advances `i` over `s` (well-formed UTF-8), counting the current run of
// non-starters in `run`, up to the next forced cut: returns its offset
// (leaving `i` there, the character at it not yet counted), or s.size().
size_t NextForcedCut(std::string_view s, size_t& i, size_t& run) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  const std::bitset<0x10000>& bmp_non_starter = BmpNonStarters();
  while (i < n) {
    const unsigned char b = p[i];
    if (b < 0x80) {  // ASCII, eight bytes at a time where it can
      run = 0;
      uint64_t word;
      if (i + 8 <= n && (std::memcpy(&word, p + i, 8), (word & 0x8080808080808080u) == 0)) {
        i += 8;
      } else {
        ++i;
      }
      continue;
    }
    // Below U+0300 (lead bytes < 0xCC) and in U+4000..U+9FFF (CJK, lead
    // bytes 0xE4..0xE9) every character is a starter.
    if (b < 0xCC || (b >= 0xE4 && b <= 0xE9)) {
      run = 0;
      i += b < 0xE0 ? 2 : 3;
      continue;
    }
    const size_t len = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    if (i + len > n) break;  // not expected in well-formed text
    bool non_starter;
    if (len == 2) {
      non_starter = bmp_non_starter[static_cast<size_t>((b & 0x1F) << 6 | (p[i + 1] & 0x3F))];
    } else if (len == 3) {
      non_starter = bmp_non_starter[static_cast<size_t>((b & 0x0F) << 12 | (p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F))];
    } else {
      const UChar32 c = (b & 0x07) << 18 | (p[i + 1] & 0x3F) << 12 | (p[i + 2] & 0x3F) << 6 | (p[i + 3] & 0x3F);
      non_starter = u_getCombiningClass(c) != 0;
    }
    if (!non_starter) {
      run = 0;
    } else if (run == kMaxNonStarters) {
      run = 0;
      return i;
    } else {
      ++run;
    }
    i += len;
  }
  i = n;
  return n;
}

// The last forced cut in `text` (counted from its start), or 0.
size_t LastForcedCut(std::string_view text) {
  size_t scan = 0, run = 0, last = 0;
  for (size_t cut = NextForcedCut(text, scan, run); cut < text.size(); cut = NextForcedCut(text, scan, run)) {
    last = cut;
  }
  return last;
}

}  // namespace

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
  // (ICU takes int32_t lengths: larger inputs skip the quick check.)
  if (input.size() <= std::numeric_limits<int32_t>::max() / 2) {
    icu::StringPiece whole(input.data() + ascii, static_cast<int32_t>(input.size() - ascii));
    if (nfkc->isNormalizedUTF8(whole, status) && U_SUCCESS(status)) return absl::OkStatus();
  }
  status = U_ZERO_ERROR;

  out.storage.reserve(input.size() + input.size() / 8 + 16);
  if (absl::Status st = AppendNfkc(input, out.storage, out.map); !st.ok()) return st;
  out.text = out.storage;
  return absl::OkStatus();
}

namespace {

// Where the non-ASCII stretch starting at `from` ends: at the start of the
// next run of at least kAsciiRun ASCII bytes (or the end). Short ASCII runs
// stay inside the stretch: one ICU call costs more than a few bytes.
constexpr size_t kAsciiRun = 32;

size_t NonAsciiStretchEnd(std::string_view s, size_t from) {
  size_t run = 0;
  for (size_t i = from; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      if (++run == kAsciiRun) return i + 1 - kAsciiRun;
    } else {
      run = 0;
    }
  }
  return s.size();
}

// Normalizes well-formed UTF-8 `input` with ICU, appending to `out` and `map`.
absl::Status IcuNfkc(const icu::Normalizer2& nfkc, std::string_view input, std::string& out, OffsetMap& map) {
  // ICU takes int32_t lengths; larger inputs are normalized in pieces cut
  // where normalization cannot interact across the cut.
  constexpr size_t kMaxPiece = std::numeric_limits<int32_t>::max() / 2;
  // Kept from call to call (per thread): Edits grows its array once.
  thread_local icu::Edits edits;
  UErrorCode status = U_ZERO_ERROR;
  // Runs of more than kMaxNonStarters combining marks are cut (Stream-Safe);
  // the stretch starts after a starter (ASCII, or the text's start), so
  // counting from 0 here cuts where counting over the whole text would.
  size_t pos = 0, scan = 0, run = 0;
  size_t cut = NextForcedCut(input, scan, run);
  while (pos < input.size()) {
    if (pos == cut) cut = NextForcedCut(input, scan, run);
    size_t len = cut - pos;
    if (len > kMaxPiece) {
      size_t safe = NfkcSafePrefixLength(input.substr(pos, kMaxPiece));
      len = safe ? safe : kMaxPiece;
      while (IsContinuation(input[pos + len])) --len;  // whole characters
    }
    icu::StringByteSink<std::string> sink(&out);
    edits.reset();
    nfkc.normalizeUTF8(0, icu::StringPiece(input.data() + pos, static_cast<int32_t>(len)), sink, &edits, status);
    if (U_FAILURE(status)) {
      return absl::InternalError(absl::StrCat("ICU NFKC failed: ", u_errorName(status)));
    }
    icu::Edits::Iterator it = edits.getFineIterator();
    while (it.next(status)) {
      if (!it.hasChange()) {
        map.AppendUnchanged(static_cast<uint64_t>(it.oldLength()));
      } else {
        map.Append(static_cast<uint32_t>(it.oldLength()), static_cast<uint32_t>(it.newLength()));
      }
    }
    pos += len;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status AppendNfkc(std::string_view input, std::string& out, OffsetMap& map) {
  const size_t source_start = map.source_length();
  const icu::Normalizer2* nfkc = nullptr;
  size_t pos = 0;
  while (pos < input.size()) {
    // ASCII is NFKC and, but for its last character (which may compose with
    // a following mark), final as it stands: it is copied. No character
    // composes with a following ASCII one, so a stretch of other text that
    // ends before ASCII is normalized on its own, by ICU.
    size_t ascii = AsciiPrefixLength(input.substr(pos));
    if (pos + ascii < input.size() && ascii > 0) --ascii;
    out.append(input.data() + pos, ascii);
    map.AppendUnchanged(ascii);
    pos += ascii;
    if (pos == input.size()) break;
    if (nfkc == nullptr) {
      UErrorCode status = U_ZERO_ERROR;
      nfkc = icu::Normalizer2::getNFKCInstance(status);
      if (U_FAILURE(status)) {
        return absl::InternalError(absl::StrCat("ICU NFKC data unavailable: ", u_errorName(status)));
      }
    }
    size_t end = NonAsciiStretchEnd(input, pos + 1);
    if (absl::Status st = IcuNfkc(*nfkc, input.substr(pos, end - pos), out, map); !st.ok()) return st;
    pos = end;
  }
  if (map.source_length() != source_start + input.size()) {
    return absl::InternalError("NFKC offset map does not cover the text");
  }
  return absl::OkStatus();
}

size_t NfkcSafePrefixLength(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return 0;
  size_t i = text.size();
  for (int looked = 0; i > 0 && looked < 64; ++looked) {
    size_t start = i - 1;
    while (start > 0 && IsContinuation(text[start])) --start;
    size_t j = start;
    if (WellFormedSequenceLength(text, start) == 0) return 0;
    char32_t c = DecodeAt(text, j);
    if (start > 0 && nfkc->hasBoundaryBefore(static_cast<UChar32>(c))) return start;
    i = start;
  }
  // No natural boundary near the end (a long run of combining marks): the
  // last forced cut (kMaxNonStarters) is one.
  return LastForcedCut(text);
}

}  // namespace kimitsu::text
