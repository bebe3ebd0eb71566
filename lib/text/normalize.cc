#include "text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/unorm2.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

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

// What NFKC does to a character, whatever surrounds it, as far as the fast
// path needs to know:
//   kKeep     NFKC-yes and a normalization boundary before it (nothing before
//             it composes with it): text of such characters is NFKC as it
//             stands. Nearly everything: ASCII, kana, kanji, hangul, most
//             accented letters, emoji.
//   kMapped   a boundary before and after it, so its NFKC form is the same
//             wherever it stands: full-width letters, digits and
//             punctuation, U+3000, circled digits. The form is in the table.
//   kComplex  the rest (combining marks, half-width katakana that take a
//             voiced mark, Hangul jamo, ...): ICU normalizes it, with the
//             character before it and up to the next boundary.
enum CharKind : uint16_t { kKeep = 0, kMapped = 1, kComplex = 2 };

// Per BMP code point: its kind (bits 0-1), whether it is a non-starter
// (canonical combining class other than 0: bit 2) and, for kMapped, where its
// NFKC form is (bits 3-15, an index into `mapped`). Built once from ICU's
// data (~1 ms, never freed): the scans below run over all text that is not
// ASCII, so they must cost little more than reading it.
struct NfkcTable {
  static constexpr uint16_t kKindMask = 3, kNonStarter = 4;
  static constexpr int kIndexShift = 3;

  const icu::Normalizer2* nfkc = nullptr;
  std::vector<uint16_t> bmp;        // 0x10000 entries
  // Indexed by the first two bytes of a three-byte sequence, read as a
  // little-endian 16-bit number: set when every code point those bytes can
  // start (a block of 64) is kKeep, as in most blocks of kana and kanji.
  std::vector<uint64_t> keep3;      // 0x10000 bits
  std::vector<uint32_t> mapped;     // offset << 8 | length of each NFKC form in `forms`
  std::string forms;

  uint16_t Entry(char32_t c) const { return c < 0x10000 ? bmp[c] : Supplementary(c); }
  std::string_view Form(uint16_t entry) const {
    const uint32_t m = mapped[entry >> kIndexShift];
    return std::string_view(forms).substr(m >> 8, m & 0xFF);
  }
  // Outside the BMP (emoji, rare kanji, mathematical letters): looked up
  // each time; a mapped character there is left to ICU.
  uint16_t Supplementary(char32_t c) const {
    const auto u = static_cast<UChar32>(c);
    uint16_t e = u_getCombiningClass(u) != 0 ? kNonStarter : 0;
    const bool keep = u_getIntPropertyValue(u, UCHAR_NFKC_QUICK_CHECK) == UNORM_YES && nfkc->hasBoundaryBefore(u);
    return static_cast<uint16_t>(e | (keep ? kKeep : kComplex));
  }
};

// nullptr if ICU's data cannot be loaded.
const NfkcTable* Table() {
  static const NfkcTable* const table = []() -> const NfkcTable* {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) return nullptr;
    auto* t = new NfkcTable;
    t->nfkc = nfkc;
    t->bmp.assign(0x10000, kKeep);
    for (UChar32 c = 0x80; c < 0x10000; ++c) {
      uint16_t& e = t->bmp[static_cast<size_t>(c)];
      if (U_IS_SURROGATE(c)) {  // not in well-formed UTF-8
        e = kComplex;
        continue;
      }
      // (Most characters are inert: they neither change nor interact with
      // others. Asking that first keeps building the table under a
      // millisecond.)
      if (nfkc->isInert(c)) continue;  // kKeep
      if (nfkc->getCombiningClass(c) != 0) e |= NfkcTable::kNonStarter;
      if (!nfkc->hasBoundaryBefore(c)) {
        e |= kComplex;
        continue;
      }
      if (u_getIntPropertyValue(c, UCHAR_NFKC_QUICK_CHECK) == UNORM_YES) continue;  // kKeep
      if (!nfkc->hasBoundaryAfter(c)) {
        e |= kComplex;
        continue;
      }
      icu::UnicodeString form;
      nfkc->normalize(icu::UnicodeString(c), form, status);
      std::string utf8;
      form.toUTF8String(utf8);
      if (U_FAILURE(status) || utf8.empty() || utf8.size() > 0xFF ||
          t->mapped.size() >= (size_t{1} << (16 - NfkcTable::kIndexShift))) {
        status = U_ZERO_ERROR;
        e |= kComplex;
        continue;
      }
      e |= static_cast<uint16_t>(t->mapped.size() << NfkcTable::kIndexShift) | kMapped;
      t->mapped.push_back(static_cast<uint32_t>(t->forms.size() << 8 | utf8.size()));
      t->forms += utf8;
    }
    t->keep3.assign(0x10000 / 64, 0);
    for (size_t block = 0x800 / 64; block < 0x10000 / 64; ++block) {
      bool all = true;
      for (size_t c = block * 64; c < block * 64 + 64 && all; ++c) all = (t->bmp[c] & NfkcTable::kKindMask) == kKeep;
      // The lead byte 1110xxxx holds the block's top 4 bits, the next byte
      // 10xxxxxx its low 6.
      const size_t two_bytes = (0xE0 | block >> 6) | (0x80 | (block & 0x3F)) << 8;
      if (all) t->keep3[two_bytes / 64] |= uint64_t{1} << (two_bytes % 64);
    }
    return t;
  }();
  return table;
}

// The code point at p[i] (well-formed UTF-8, the whole character present) and
// its length.
inline char32_t CodePointAt(const unsigned char* p, size_t i, size_t& len) {
  const unsigned char b = p[i];
  if (b < 0xE0) {
    len = 2;
    return static_cast<char32_t>((b & 0x1F) << 6 | (p[i + 1] & 0x3F));
  }
  if (b < 0xF0) {
    len = 3;
    return static_cast<char32_t>((b & 0x0F) << 12 | (p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F));
  }
  len = 4;
  return static_cast<char32_t>((b & 0x07) << 18 | (p[i + 1] & 0x3F) << 12 | (p[i + 2] & 0x3F) << 6 |
                               (p[i + 3] & 0x3F));
}

// The length of a character from its lead byte (which is not ASCII).
inline size_t SequenceLength(unsigned char b) { return b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4; }

// The end of the run of kKeep three-byte characters from p[i]: the bulk of
// Japanese text, at a few instructions per character where the character's
// block is all kKeep (NfkcTable::keep3), and a look at the table where it
// is not (ideographic punctuation shares its block with U+3000).
inline size_t KeptRunEnd(const NfkcTable& table, const unsigned char* p, size_t i, size_t n) {
  for (; i + 3 <= n; i += 3) {
    uint16_t two;
    std::memcpy(&two, p + i, 2);
    if constexpr (std::endian::native == std::endian::big) two = static_cast<uint16_t>(two >> 8 | two << 8);
    if ((table.keep3[two / 64] >> (two % 64) & 1) != 0) continue;
    if ((p[i] & 0xF0) != 0xE0) break;
    const auto c = static_cast<size_t>((p[i] & 0x0F) << 12 | (p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F));
    if ((table.bmp[c] & NfkcTable::kKindMask) != kKeep) break;
  }
  return i;
}

// Advances `i` over `s` (well-formed UTF-8), counting the current run of
// non-starters in `run`, up to the next forced cut: returns its offset
// (leaving `i` there, the character at it not yet counted), or s.size().
size_t NextForcedCut(const NfkcTable& table, std::string_view s, size_t& i, size_t& run) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
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
    size_t len = SequenceLength(b);
    if (i + len > n) break;  // not expected in well-formed text
    const bool non_starter = (table.Entry(CodePointAt(p, i, len)) & NfkcTable::kNonStarter) != 0;
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
size_t LastForcedCut(const NfkcTable& table, std::string_view text) {
  size_t scan = 0, run = 0, last = 0;
  for (size_t cut = NextForcedCut(table, text, scan, run); cut < text.size();
       cut = NextForcedCut(table, text, scan, run)) {
    last = cut;
  }
  return last;
}

absl::Status IcuDataMissing() { return absl::InternalError("ICU NFKC data unavailable"); }

// Where the stretch that ICU must normalize, which holds a kComplex character
// ending at `i`, ends: before the next character with a boundary before it
// (ASCII, kKeep, kMapped), or at the end of `s`.
size_t ComplexStretchEnd(const NfkcTable& table, std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  while (i < n && p[i] >= 0x80) {
    size_t len = SequenceLength(p[i]);
    if (i + len > n) return n;  // not expected in well-formed text
    if ((table.Entry(CodePointAt(p, i, len)) & NfkcTable::kKindMask) != kComplex) return i;
    i += len;
  }
  return i;
}

// Normalizes well-formed UTF-8 `input` with ICU, appending to `out` and `map`.
// `input` starts with a starter (or where the text given to AppendNfkc starts).
absl::Status IcuNfkc(const NfkcTable& table, std::string_view input, std::string& out, OffsetMap& map) {
  // ICU takes int32_t lengths; larger inputs are normalized in pieces cut
  // where normalization cannot interact across the cut.
  constexpr size_t kMaxPiece = std::numeric_limits<int32_t>::max() / 2;
  // Kept from call to call (per thread): Edits grows its array once.
  thread_local icu::Edits edits;
  UErrorCode status = U_ZERO_ERROR;
  // Runs of more than kMaxNonStarters combining marks are cut (Stream-Safe);
  // the stretch starts with a starter, so counting from 0 here cuts where
  // counting over the whole text would.
  size_t pos = 0, scan = 0, run = 0;
  size_t cut = NextForcedCut(table, input, scan, run);
  while (pos < input.size()) {
    if (pos == cut) cut = NextForcedCut(table, input, scan, run);
    size_t len = cut - pos;
    if (len > kMaxPiece) {
      size_t safe = NfkcSafePrefixLength(input.substr(pos, kMaxPiece));
      len = safe ? safe : kMaxPiece;
      while (IsContinuation(input[pos + len])) --len;  // whole characters
    }
    icu::StringByteSink<std::string> sink(&out);
    edits.reset();
    table.nfkc->normalizeUTF8(0, icu::StringPiece(input.data() + pos, static_cast<int32_t>(len)), sink, &edits,
                              status);
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

// Where the first character that is not ASCII or kKeep starts, or the end.
size_t KeptPrefixLength(const NfkcTable& table, std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (true) {
    i += AsciiPrefixLength(s.substr(i));
    for (size_t len; (i = KeptRunEnd(table, p, i, n)) < n && p[i] >= 0x80; i += len) {
      len = SequenceLength(p[i]);
      if (i + len > n || (table.Entry(CodePointAt(p, i, len)) & NfkcTable::kKindMask) != kKeep) return i;
    }
    if (i >= n) return n;
  }
}

}  // namespace

absl::Status NormalizeNfkc(std::string_view input, Normalized& out) {
  out.storage.clear();
  out.map.Clear();
  out.text = input;
  size_t ascii = AsciiPrefixLength(input);
  if (ascii == input.size()) return absl::OkStatus();
  const NfkcTable* table = Table();
  if (table == nullptr) return IcuDataMissing();
  // ASCII and kKeep characters alone: NFKC as it stands.
  size_t kept = ascii + KeptPrefixLength(*table, input.substr(ascii));
  if (kept == input.size()) return absl::OkStatus();
  // Else ICU's quick check from the character before the first other one
  // (which may compose with it): a combining mark that composes with
  // nothing leaves the text as it is too. (ICU takes int32_t lengths: larger
  // inputs skip the quick check.)
  if (kept > 0) {
    --kept;
    while (kept > 0 && IsContinuation(input[kept])) --kept;
  }
  if (input.size() - kept <= std::numeric_limits<int32_t>::max() / 2) {
    UErrorCode status = U_ZERO_ERROR;
    icu::StringPiece rest(input.data() + kept, static_cast<int32_t>(input.size() - kept));
    if (table->nfkc->isNormalizedUTF8(rest, status) && U_SUCCESS(status)) return absl::OkStatus();
  }
  out.storage.reserve(input.size() + input.size() / 8 + 16);
  if (absl::Status st = AppendNfkc(input, out.storage, out.map); !st.ok()) return st;
  out.text = out.storage;
  return absl::OkStatus();
}

absl::Status AppendNfkc(std::string_view input, std::string& out, OffsetMap& map) {
  const size_t source_start = map.source_length();
  const auto* p = reinterpret_cast<const unsigned char*>(input.data());
  const size_t n = input.size();
  const NfkcTable* table = nullptr;
  // Text before `done` is in `out`; from `done` to `i` it is NFKC as it
  // stands (ASCII and kKeep characters) and is copied in one piece when
  // something else comes.
  size_t done = 0, i = 0;
  auto copy_to = [&](size_t end) {
    if (end == done) return;
    out.append(input.data() + done, end - done);
    map.AppendUnchanged(end - done);
    done = end;
  };
  while (i < n) {
    if (p[i] < 0x80) {
      i += AsciiPrefixLength(input.substr(i));
      continue;
    }
    if (table == nullptr && (table = Table()) == nullptr) return IcuDataMissing();
    i = KeptRunEnd(*table, p, i, n);
    if (i >= n || p[i] < 0x80) continue;
    size_t len = SequenceLength(p[i]);
    if (i + len > n) break;  // not expected in well-formed text: copied
    const uint16_t entry = table->Entry(CodePointAt(p, i, len));
    switch (entry & NfkcTable::kKindMask) {
      case kKeep:
        i += len;
        break;
      case kMapped: {
        copy_to(i);
        std::string_view form = table->Form(entry);
        out.append(form);
        map.Append(static_cast<uint32_t>(len), static_cast<uint32_t>(form.size()));
        done = i += len;
        break;
      }
      default: {
        // ICU, from the character before this one (which may compose with
        // it; unless it was a kMapped one, which nothing follows into) to the
        // next boundary. The stretch before it is final as it stands.
        size_t from = i;
        if (from > done) {
          --from;
          while (from > done && IsContinuation(input[from])) --from;
        }
        copy_to(from);
        const size_t end = ComplexStretchEnd(*table, input, i + len);
        if (absl::Status st = IcuNfkc(*table, input.substr(from, end - from), out, map); !st.ok()) return st;
        done = i = end;
        break;
      }
    }
  }
  copy_to(n);
  if (map.source_length() != source_start + input.size()) {
    return absl::InternalError("NFKC offset map does not cover the text");
  }
  return absl::OkStatus();
}

size_t NfkcFirstSafeCut(std::string_view text) {
  const NfkcTable* table = Table();
  if (table == nullptr || text.empty()) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = p[0] < 0x80 ? 1 : SequenceLength(p[0]);
  for (int looked = 0; i < text.size() && looked < 64; ++looked) {
    if (p[i] < 0x80) return i;
    size_t len = SequenceLength(p[i]);
    if (i + len > text.size()) return 0;
    const char32_t c = CodePointAt(p, i, len);
    const uint16_t kind = table->Entry(c) & NfkcTable::kKindMask;
    if (kind != kComplex || table->nfkc->hasBoundaryBefore(static_cast<UChar32>(c))) return i;
    i += len;
  }
  return 0;
}

size_t NfkcSafePrefixLength(std::string_view text) {
  const NfkcTable* table = Table();
  if (table == nullptr) return 0;
  size_t i = text.size();
  for (int looked = 0; i > 0 && looked < 64; ++looked) {
    size_t start = i - 1;
    while (start > 0 && IsContinuation(text[start])) --start;
    size_t j = start;
    if (WellFormedSequenceLength(text, start) == 0) return 0;
    char32_t c = DecodeAt(text, j);
    if (start > 0 && table->nfkc->hasBoundaryBefore(static_cast<UChar32>(c))) return start;
    i = start;
  }
  // No natural boundary near the end (a long run of combining marks): the
  // last forced cut (kMaxNonStarters) is one.
  return LastForcedCut(*table, text);
}

}  // namespace kimitsu::text
