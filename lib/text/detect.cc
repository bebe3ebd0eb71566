#include "text/detect.h"

#include <unicode/localpointer.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <vector>

#include "text/utf8.h"

namespace kimitsu::text {
namespace {

// Below this confidence, ICU's detector is guessing (it reports 10 for any
// Japanese encoding on short text, and around 40 for Latin encodings on
// bytes it merely does not reject).
constexpr int kConfidentIcu = 50;

bool HasIso2022JpEscapes(std::string_view s) {
  for (size_t i = s.find('\x1B'); i != std::string_view::npos; i = s.find('\x1B', i + 1)) {
    std::string_view esc = s.substr(i + 1, 2);
    if (esc == "$B" || esc == "$@" || esc == "(J" || esc == "(I" || esc == "$(") return true;
  }
  return false;
}

// Units of a UTF-16 reading that text does not contain: NUL, C0 controls
// other than \t \n \v \f \r, C1 controls, unpaired surrogates, unassigned
// code points and noncharacters.
size_t ImplausibleUtf16Units(const unsigned char* b, size_t units, bool le) {
  auto unit = [&](size_t k) -> char32_t {
    return le ? (b[2 * k] | b[2 * k + 1] << 8) : (b[2 * k] << 8 | b[2 * k + 1]);
  };
  size_t bad = 0;
  for (size_t k = 0; k < units; ++k) {
    char32_t u = unit(k);
    if (U16_IS_LEAD(u) && k + 1 < units && U16_IS_TRAIL(unit(k + 1))) {
      char32_t cp = U16_GET_SUPPLEMENTARY(u, unit(k + 1));
      bad += u_charType(static_cast<UChar32>(cp)) == U_UNASSIGNED;
      ++k;
      continue;
    }
    if (u < 0x20) {
      bad += !(u >= '\t' && u <= '\r');
    } else if ((u >= 0x7F && u <= 0x9F) || U16_IS_SURROGATE(u) ||
               u_charType(static_cast<UChar32>(u)) == U_UNASSIGNED) {
      ++bad;
    }
  }
  return bad;
}

// UTF-16 without a BOM. ASCII characters and line ends put NUL bytes on the
// high-byte side of their units; in Japanese text, characters such as U+3000
// and U+4E00 put NULs on the other side too. So the reading (LE or BE) is the
// one whose units look like text (see ImplausibleUtf16Units), with the
// parity of the NULs deciding between two equally plausible readings.
std::optional<Encoding> GuessBomlessUtf16(std::string_view sample) {
  size_t zero_even = 0, zero_odd = 0;
  const auto* b = reinterpret_cast<const unsigned char*>(sample.data());
  size_t n = sample.size() & ~size_t{1};
  for (size_t i = 0; i < n; i += 2) {
    zero_even += b[i] == 0;
    zero_odd += b[i + 1] == 0;
  }
  size_t units = n / 2;
  if (units == 0) return std::nullopt;
  // Each reading needs NULs on its high-byte side (odd for LE, even for BE),
  // and few on its low-byte side: text has few characters U+xx00, while
  // arrays of small 16-bit integers have nothing else.
  bool le = zero_odd > 0 && zero_even * 4 <= units;
  bool be = zero_even > 0 && zero_odd * 4 <= units;
  size_t bad_le = le ? ImplausibleUtf16Units(b, units, true) : units;
  size_t bad_be = be ? ImplausibleUtf16Units(b, units, false) : units;
  le = le && bad_le * 20 <= units;
  be = be && bad_be * 20 <= units;
  if (le && be) {
    if (bad_le != bad_be) {
      le = bad_le < bad_be;
    } else if (zero_odd != zero_even) {
      le = zero_odd > zero_even;
    } else {
      return std::nullopt;
    }
    be = !le;
  }
  if (le) return Encoding::kUtf16LE;
  if (be) return Encoding::kUtf16BE;
  return std::nullopt;
}

// ICU's best guess among the encodings kimitsu supports, from at most the
// first kIcuSample bytes of the sample: ICU's detector costs ~1,000-2,000
// instructions a byte (its n-gram and multibyte recognizers; the whole 64
// KiB sample was a third of a Shift_JIS scan), and 4 KiB decide as 64 did
// (the same encodings for 527 test documents in seven encodings, 200 bytes
// to 200 KB; two confidences moved by 1). Where ICU is unsure,
// GuessJapanese still reads the whole sample.
constexpr size_t kIcuSample = 4 * 1024;

std::optional<std::pair<Encoding, int>> DetectWithIcu(std::string_view sample) {
  sample = sample.substr(0, kIcuSample);
  UErrorCode status = U_ZERO_ERROR;
  icu::LocalUCharsetDetectorPointer det(ucsdet_open(&status));
  if (U_FAILURE(status)) return std::nullopt;
  ucsdet_setText(det.getAlias(), sample.data(), static_cast<int32_t>(sample.size()), &status);
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(det.getAlias(), &count, &status);
  if (U_FAILURE(status)) return std::nullopt;
  for (int32_t i = 0; i < count; ++i) {
    const char* name = ucsdet_getName(matches[i], &status);
    int confidence = ucsdet_getConfidence(matches[i], &status);
    if (U_FAILURE(status) || name == nullptr) return std::nullopt;
    std::string_view n = name;
    std::optional<Encoding> e;
    if (n == "ISO-8859-1") e = Encoding::kWindows1252;
    else if (n != "UTF-8") e = ParseEncodingName(n);
    // UTF-16 without a BOM is GuessBomlessUtf16's call; ICU proposes it, at
    // confidence 10, for any short text it cannot place.
    // Nor is ISO-2022-JP, a 7-bit encoding: step 1 decides it, and step 2's
    // answer must read the ASCII before the sample as ASCII.
    if (e && *e != Encoding::kBinary && *e != Encoding::kUtf16LE && *e != Encoding::kUtf16BE &&
        *e != Encoding::kIso2022Jp) {
      return std::make_pair(*e, confidence);
    }
  }
  return std::nullopt;
}

// How `sample` reads in a Japanese double-byte encoding: characters that
// are not well-formed or not assigned (private-use code points included,
// which real text seldom has and misread Latin text often does), double-byte
// characters, how many of those are kanji of JIS level 1 (the common ones),
// kana and Japanese punctuation, and single-byte half-width katakana.
struct JapaneseReading {
  size_t errors = 0;
  size_t double_byte = 0;
  size_t level1_kanji = 0;
  size_t kana_or_punctuation = 0;
  size_t half_width_kana = 0;
  size_t half_width_kana_in_runs = 0;  // those next to another one
  size_t lead_8e = 0;                  // double-byte characters whose first byte is 0x8E

  // Mostly half-width katakana, in runs, read without an error: the text
  // of older systems' exports (names), not Latin text misread, whose
  // accented capitals stand alone in words.
  bool half_width_text() const {
    return errors == 0 && half_width_kana >= 8 && half_width_kana_in_runs * 4 >= half_width_kana * 3;
  }

  // Windows-1252 text read as Shift_JIS makes a kanji of an accented letter
  // and the letter after it: mostly of level 2 (lead bytes 0xE0-0xEA for
  // à-ê) or the IBM extensions, and never kana. So short text with neither
  // kana nor only common kanji is not taken for Japanese.
  bool plausible() const {
    return double_byte > 0 && errors * 20 <= double_byte && half_width_kana <= double_byte &&
           (kana_or_punctuation > 0 || level1_kanji == double_byte);
  }
};

void U_CALLCONV CountErrors(const void* context, UConverterToUnicodeArgs* args, const char*,
                            int32_t, UConverterCallbackReason reason, UErrorCode* status) {
  if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL || reason == UCNV_IRREGULAR) {
    ++static_cast<JapaneseReading*>(const_cast<void*>(context))->errors;
    static const UChar kReplacement = 0xFFFD;
    *status = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, status);
  }
}

// `whole`: the sample is the whole input, so a character cut off at its end
// is an error; otherwise the cut is the sample's and does not count.
std::optional<JapaneseReading> ReadAsJapanese(Encoding e, std::string_view sample, bool whole) {
  const bool sjis = e == Encoding::kShiftJis;
  UErrorCode status = U_ZERO_ERROR;
  icu::LocalUConverterPointer cnv(ucnv_open(IcuConverterName(e), &status));
  if (U_FAILURE(status)) return std::nullopt;
  JapaneseReading r;
  ucnv_setToUCallBack(cnv.getAlias(), CountErrors, &r, nullptr, nullptr, &status);
  std::vector<UChar> units(sample.size() + 1);
  std::vector<int32_t> offsets(sample.size() + 1);
  UChar* target = units.data();
  const char* src = sample.data();
  ucnv_toUnicode(cnv.getAlias(), &target, units.data() + units.size(), &src,
                 sample.data() + sample.size(), offsets.data(), whole, &status);
  if (U_FAILURE(status)) return std::nullopt;
  auto half_width = [](UChar u) { return u >= 0xFF61 && u <= 0xFF9F; };
  const size_t produced = static_cast<size_t>(target - units.data());
  for (size_t k = 0; k < produced; ++k) {
    UChar u = units[k];
    if (u < 0x80 || u == 0xFFFD) continue;
    if (half_width(u)) {
      ++r.half_width_kana;
      r.half_width_kana_in_runs += (k > 0 && half_width(units[k - 1])) || (k + 1 < produced && half_width(units[k + 1]));
      continue;
    }
    if ((u >= 0xE000 && u <= 0xF8FF) || u <= 0x9F) {
      ++r.errors;
      continue;
    }
    ++r.double_byte;
    if ((u >= 0x3000 && u <= 0x30FF) || (u >= 0xFF01 && u <= 0xFF5E)) {
      ++r.kana_or_punctuation;
    } else if (offsets[k] >= 0) {
      auto lead = static_cast<unsigned char>(sample[static_cast<size_t>(offsets[k])]);
      r.level1_kanji += sjis ? (lead >= 0x88 && lead <= 0x98) : (lead >= 0xB0 && lead <= 0xCF);
      r.lead_8e += lead == 0x8E;
    }
  }
  return r;
}

// Shift_JIS or EUC-JP when the sample reads as one of them. ICU's detector
// needs a dozen or more characters to recognise these encodings and until
// then ranks them no higher than unrelated ones, so short Japanese text (a
// stamp, a title, a one-line file) is decided here. Shift_JIS read as EUC-JP
// is ill-formed almost at once (its lead bytes 0x81-0x9F are not EUC bytes);
// EUC-JP read as Shift_JIS turns into half-width katakana.
std::optional<Encoding> GuessJapanese(std::string_view sample, bool whole) {
  std::optional<JapaneseReading> sjis = ReadAsJapanese(Encoding::kShiftJis, sample, whole);
  std::optional<JapaneseReading> euc = ReadAsJapanese(Encoding::kEucJp, sample, whole);
  // Text of half-width katakana (names and addresses in the CSV exports of
  // older systems) has more of them than double-byte characters, which
  // plausible() refuses. Shift_JIS text of them reads so, and does not read
  // as EUC-JP (EUC-JP text reads as runs of half-width katakana in
  // Shift_JIS too, but reads cleanly as what it is). EUC-JP writes each of
  // them as 0x8E and a byte, which Shift_JIS reads as kanji that all start
  // with 0x8E; Shift_JIS text read as EUC-JP has errors.
  if (sjis && sjis->half_width_text() && euc && euc->errors > 0) return Encoding::kShiftJis;
  if (euc && euc->half_width_text() && sjis && (sjis->errors > 0 || sjis->lead_8e * 4 >= sjis->double_byte * 3)) {
    return Encoding::kEucJp;
  }
  bool sjis_ok = sjis && sjis->plausible(), euc_ok = euc && euc->plausible();
  if (sjis_ok && euc_ok) {
    return euc->half_width_kana < sjis->half_width_kana ? Encoding::kEucJp : Encoding::kShiftJis;
  }
  if (sjis_ok) return Encoding::kShiftJis;
  if (euc_ok) return Encoding::kEucJp;
  return std::nullopt;
}

bool IsLegacyJapanese(Encoding e) { return e == Encoding::kShiftJis || e == Encoding::kEucJp; }

// The signatures ("magic numbers") of binary formats a file share is full
// of: executables, images, compressed files and containers (docx and xlsx are
// zip files; doc, xls and msg OLE compound files), databases. Their first
// bytes are not the start of any text, and a small file of one — an icon, a
// short .gz, a one-page PDF — has too little data for the statistics below:
// such files were read as UTF-16 or windows-1252.
bool HasBinarySignature(std::string_view head) {
  static constexpr std::string_view kSignatures[] = {
      {"\x7F" "ELF", 4},                           // ELF executables and libraries
      {"%PDF-", 5},                                // PDF
      {"\x1F\x8B", 2},                             // gzip
      {"PK\x03\x04", 4}, {"PK\x05\x06", 4}, {"PK\x07\x08", 4},  // zip, docx, xlsx, jar, odt
      {"\x89PNG\r\n\x1A\n", 8},                    // PNG
      {"\xFF\xD8\xFF", 3},                          // JPEG
      {"GIF87a", 6}, {"GIF89a", 6},                // GIF
      {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8},      // OLE compound file: doc, xls, ppt, msg
      {"SQLite format 3\0", 16},                   // SQLite
      {"7z\xBC\xAF\x27\x1C", 6},                    // 7-Zip
      {"\xFD" "7zXZ\0", 6},                         // xz
      {"\x28\xB5\x2F\xFD", 4},                       // zstd
      {"Rar!\x1A\x07", 6},                           // RAR
      {"\xCA\xFE\xBA\xBE", 4}, {"\xCF\xFA\xED\xFE", 4},  // Java class, Mach-O
      {"\xDE\x12\x04\x95", 4}, {"\x95\x04\x12\xDE", 4},  // gettext .mo
  };
  for (std::string_view sig : kSignatures) {
    if (head.substr(0, sig.size()) == sig) return true;
  }
  // bzip2: "BZh", a block size 1-9, then the block magic.
  return head.size() >= 10 && head.substr(0, 3) == "BZh" && head[3] >= '1' && head[3] <= '9' &&
         head.substr(4, 6) == "1AY&SY";
}

}  // namespace

std::optional<Detection> DetectFromHead(std::string_view head, const DecodeOptions& options) {
  Detection d;
  if (options.force) {
    // A forced encoding still drops its own byte-order mark.
    d.encoding = *options.force;
    if (d.encoding == Encoding::kUtf8 && head.substr(0, 3) == "\xEF\xBB\xBF") d.bom = 3;
    if (d.encoding == Encoding::kUtf16LE && head.substr(0, 2) == "\xFF\xFE") d.bom = 2;
    if (d.encoding == Encoding::kUtf16BE && head.substr(0, 2) == "\xFE\xFF") d.bom = 2;
    return d;
  }
  if (head.substr(0, 3) == "\xEF\xBB\xBF") {
    d.bom = 3;
    return d;
  }
  if (HasBinarySignature(head)) {
    d.encoding = Encoding::kBinary;
    d.confidence = 100;
    d.nul_bytes = CountNulBytes(head);
    return d;
  }
  if (head.substr(0, 2) == "\xFF\xFE" || head.substr(0, 2) == "\xFE\xFF") {
    d.encoding = head[0] == '\xFF' ? Encoding::kUtf16LE : Encoding::kUtf16BE;
    d.bom = 2;
    return d;
  }
  Utf8Census census = TakeUtf8Census(head);
  d.nul_bytes = census.nul_bytes;
  // Well-formed UTF-8 with multibyte sequences is UTF-8 whatever NULs it
  // holds: real UTF-16 text is almost never well-formed UTF-8 (the high
  // bytes of CJK units, 0x4E-0x9F, would be stray continuation bytes), while
  // one NUL put into a UTF-8 document would otherwise make its NUL parity
  // "UTF-16" and hide everything in it. (A few ill-formed sequences are
  // allowed: the head may end inside a character, a NUL may be put inside
  // one; UTF-16 CJK text read as UTF-8 is ill-formed nearly everywhere.)
  const bool utf8_with_nuls = census.invalid_sequences * 16 <= census.multibyte_sequences &&
                              census.multibyte_sequences * 4 > census.nul_bytes;
  if (census.nul_bytes && !utf8_with_nuls) {
    if (auto utf16 = GuessBomlessUtf16(head)) {
      d.encoding = *utf16;
      d.confidence = 80;
      return d;
    }
  }
  // Text has no NULs and few controls; more than that is binary data. In
  // compressed or encrypted data (random bytes) 0.4% are NUL and 10.2%
  // controls, each close to its own limit: a tenth of such heads passed
  // both, and their noise was read as windows-1252. Together they are 10.5%,
  // twice what text ever has.
  if (census.nul_bytes * 100 > head.size() || census.control_bytes * 10 > head.size() ||
      (census.nul_bytes + census.control_bytes) * 20 > head.size()) {
    d.encoding = Encoding::kBinary;
    d.confidence = 90;
    return d;
  }
  // ISO-2022-JP is 7-bit: its escape sequences with (almost) no 8-bit bytes.
  // A stray 8-bit byte or two (a damaged mail) does not make it something else.
  if (census.high_bytes * 256 <= head.size() + 512 && HasIso2022JpEscapes(head)) {
    d.encoding = Encoding::kIso2022Jp;
    return d;
  }
  return std::nullopt;
}

size_t SampleStart(size_t first_non_ascii, const DecodeOptions& options) {
  return first_non_ascii - std::min<size_t>({first_non_ascii, 256, SampleSize(options) / 4});
}

Detection DetectFromSample(std::string_view sample, bool reaches_end) {
  Detection d;
  if (sample.empty()) return d;  // all ASCII: UTF-8
  Utf8Census census = TakeUtf8Census(sample);
  // UTF-8, perhaps with some damage (a truncated tail, a stray byte): legacy
  // encodings almost never form well-formed multibyte UTF-8 sequences.
  if (census.multibyte_sequences >= 4 * census.invalid_sequences) {
    size_t seen = census.multibyte_sequences + census.invalid_sequences;
    d.confidence = seen ? static_cast<int>(100 * census.multibyte_sequences / seen) : 50;
    return d;
  }
  auto detected = DetectWithIcu(sample);
  if (!detected || detected->second < kConfidentIcu) {
    if (auto japanese = GuessJapanese(sample, reaches_end)) {
      d.encoding = *japanese;
      d.confidence = std::max(30, detected ? detected->second : 0);
      return d;
    }
    // A weak guess of a Japanese encoding that the bytes do not bear out
    // (ICU says Shift_JIS at confidence 10 for "Ångström").
    if (detected && IsLegacyJapanese(detected->first)) detected.reset();
  }
  if (detected) {
    d.encoding = detected->first;
    d.confidence = detected->second;
    return d;
  }
  d.encoding = Encoding::kWindows1252;
  d.confidence = 10;
  return d;
}

}  // namespace kimitsu::text
