#include "text/decode.h"

#include <unicode/localpointer.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "text/utf8.h"

namespace kimitsu::text {
namespace {

struct EncodingInfo {
  Encoding encoding;
  std::string_view name;      // reported to users
  const char* icu_converter;  // what ICU converts with (nullptr: done here)
};

constexpr std::array<EncodingInfo, 8> kEncodings = {{
    {Encoding::kUtf8, "UTF-8", nullptr},
    {Encoding::kUtf16LE, "UTF-16LE", "UTF-16LE"},
    {Encoding::kUtf16BE, "UTF-16BE", "UTF-16BE"},
    {Encoding::kShiftJis, "Shift_JIS", "windows-31j"},
    {Encoding::kEucJp, "EUC-JP", "EUC-JP"},
    {Encoding::kIso2022Jp, "ISO-2022-JP", "ISO-2022-JP"},
    {Encoding::kWindows1252, "windows-1252", "windows-1252"},
    {Encoding::kBinary, "binary", nullptr},
}};

const EncodingInfo& Info(Encoding e) { return kEncodings[static_cast<size_t>(e)]; }

// Below this confidence, ICU's detector is guessing (it reports 10 for any
// Japanese encoding on short text, and around 40 for Latin encodings on
// bytes it merely does not reject).
constexpr int kConfidentIcu = 50;

struct ConversionContext {
  size_t replacements = 0;
};

// Counts each ill-formed or unmappable sequence and substitutes U+FFFD. (ICU's
// own substitute callback writes U+001A instead for a single bad byte in
// converters that have a one-byte substitution character, such as CP932 and
// EUC-JP: a control character, not a visible replacement.)
void U_CALLCONV CountingSubstitute(const void* context, UConverterToUnicodeArgs* args,
                                   const char* code_units, int32_t length,
                                   UConverterCallbackReason reason, UErrorCode* status) {
  if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL || reason == UCNV_IRREGULAR) {
    ++static_cast<ConversionContext*>(const_cast<void*>(context))->replacements;
    static const UChar kReplacement = 0xFFFD;
    *status = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, status);
  }
}

bool IsIso2022Control(unsigned char c) { return c == 0x1B || c == 0x0E || c == 0x0F; }

// Converts input[skip..] with ICU into UTF-8, recording the map. The map first
// jumps over the `skip` bytes (a BOM). Returns false only if ICU cannot open
// the converter, which does not happen for the converters in kEncodings.
bool ConvertWithIcu(const char* converter, std::string_view input, size_t skip, Decoded& out) {
  UErrorCode status = U_ZERO_ERROR;
  icu::LocalUConverterPointer cnv(ucnv_open(converter, &status));
  if (U_FAILURE(status)) return false;
  ConversionContext ctx;
  ucnv_setToUCallBack(cnv.getAlias(), CountingSubstitute, &ctx, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return false;
  const bool iso2022 = std::strcmp(converter, "ISO-2022-JP") == 0;

  out.storage.clear();
  out.storage.reserve(input.size() + input.size() / 2 + 16);
  out.map.Clear();
  if (skip) out.map.Append(static_cast<uint32_t>(skip), 0);

  // Every converter here makes at most one UTF-16 unit per input byte (plus
  // one for a final replacement), so small inputs need only small buffers.
  const size_t kChunk = std::min<size_t>(size_t{1} << 15, input.size() - skip + 2);
  std::vector<UChar> units(kChunk);
  std::vector<int32_t> offsets(kChunk);
  const char* src = input.data() + skip;
  const char* const limit = input.data() + input.size();

  // Code points are emitted one behind, because a code point's source length
  // is only known when the next one starts.
  bool have_pending = false;
  char32_t pending_cp = 0;
  size_t pending_start = 0;
  size_t last_start = skip;
  auto emit_pending = [&](size_t next_start) {
    if (!have_pending) return;
    size_t end = next_start;
    if (iso2022) {
      // Escape sequences and shifts between characters belong to no character.
      size_t k = pending_start + 1;
      while (k < end && !IsIso2022Control(static_cast<unsigned char>(input[k]))) ++k;
      end = k;
    }
    size_t before = out.storage.size();
    // ICU substitutes unpaired surrogates itself; one left here was cut off
    // by the end of a conversion chunk without its other half.
    if (U16_IS_SURROGATE(pending_cp)) {
      ++ctx.replacements;
      pending_cp = 0xFFFD;
    }
    AppendUtf8(pending_cp, out.storage);
    if (pending_start > out.map.source_length()) {
      out.map.Append(static_cast<uint32_t>(pending_start - out.map.source_length()), 0);
    }
    out.map.Append(static_cast<uint32_t>(end - pending_start),
                   static_cast<uint32_t>(out.storage.size() - before));
    have_pending = false;
  };

  bool done = false;
  while (!done) {
    const char* call_start = src;
    UChar* target = units.data();
    status = U_ZERO_ERROR;
    ucnv_toUnicode(cnv.getAlias(), &target, units.data() + kChunk, &src, limit, offsets.data(),
                   /*flush=*/true, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      status = U_ZERO_ERROR;
    } else {
      done = true;
    }
    size_t produced = static_cast<size_t>(target - units.data());
    size_t base = static_cast<size_t>(call_start - input.data());
    for (size_t k = 0; k < produced;) {
      // A unit with offset -1 came from source consumed in an earlier call.
      size_t start = offsets[k] < 0 ? last_start : base + static_cast<size_t>(offsets[k]);
      char32_t cp = units[k];
      size_t width = 1;
      if (U16_IS_LEAD(cp) && k + 1 < produced && U16_IS_TRAIL(units[k + 1])) {
        cp = U16_GET_SUPPLEMENTARY(cp, units[k + 1]);
        width = 2;
      } else if (offsets[k] < 0 && have_pending && U16_IS_LEAD(pending_cp) && U16_IS_TRAIL(cp)) {
        // The second half of a pair split across two calls.
        pending_cp = U16_GET_SUPPLEMENTARY(pending_cp, cp);
        ++k;
        continue;
      }
      emit_pending(start);
      have_pending = true;
      pending_cp = cp;
      pending_start = start;
      last_start = start;
      k += width;
    }
    if (U_FAILURE(status)) break;
  }
  emit_pending(input.size());
  if (out.map.source_length() < input.size()) {
    out.map.Append(static_cast<uint32_t>(input.size() - out.map.source_length()), 0);
  }
  out.replacements = ctx.replacements;
  out.text = out.storage;
  return true;
}

// Uses `input[skip..]` as UTF-8: a view when well-formed, a repaired copy when not.
void UseUtf8(std::string_view input, size_t skip, Decoded& out) {
  std::string_view body = input.substr(skip);
  out.map.Clear();
  if (skip) out.map.Append(static_cast<uint32_t>(skip), 0);
  if (IsValidUtf8(body)) {
    out.text = body;
    out.replacements = 0;
    if (skip) out.map.AppendUnchanged(body.size());
    return;
  }
  out.replacements = RepairUtf8(body, out.storage, out.map);
  out.text = out.storage;
}

void DecodeAs(Encoding e, std::string_view input, size_t skip, Decoded& out) {
  out.encoding = e;
  const char* converter = Info(e).icu_converter;
  if (converter == nullptr || !ConvertWithIcu(converter, input, skip, out)) {
    UseUtf8(input, skip, out);
  }
}

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

// ICU's best guess among the encodings kimitsu supports.
std::optional<std::pair<Encoding, int>> DetectWithIcu(std::string_view sample) {
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
    if (e && *e != Encoding::kBinary && *e != Encoding::kUtf16LE && *e != Encoding::kUtf16BE) {
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
  icu::LocalUConverterPointer cnv(ucnv_open(Info(e).icu_converter, &status));
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
  for (size_t k = 0; k < static_cast<size_t>(target - units.data()); ++k) {
    UChar u = units[k];
    if (u < 0x80 || u == 0xFFFD) continue;
    if (u >= 0xFF61 && u <= 0xFF9F) {
      ++r.half_width_kana;
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
  bool sjis_ok = sjis && sjis->plausible(), euc_ok = euc && euc->plausible();
  if (sjis_ok && euc_ok) {
    return euc->half_width_kana < sjis->half_width_kana ? Encoding::kEucJp : Encoding::kShiftJis;
  }
  if (sjis_ok) return Encoding::kShiftJis;
  if (euc_ok) return Encoding::kEucJp;
  return std::nullopt;
}

bool IsLegacyJapanese(Encoding e) { return e == Encoding::kShiftJis || e == Encoding::kEucJp; }

}  // namespace

std::string_view EncodingName(Encoding e) { return Info(e).name; }

std::optional<Encoding> ParseEncodingName(std::string_view name) {
  std::string n(name);
  absl::AsciiStrToLower(&n);
  n.erase(std::remove_if(n.begin(), n.end(), [](char c) { return c == '-' || c == '_'; }),
          n.end());
  if (n == "utf8") return Encoding::kUtf8;
  if (n == "utf16le") return Encoding::kUtf16LE;
  if (n == "utf16be") return Encoding::kUtf16BE;
  if (n == "shiftjis" || n == "sjis" || n == "cp932" || n == "windows31j" || n == "mskanji")
    return Encoding::kShiftJis;
  if (n == "eucjp") return Encoding::kEucJp;
  if (n == "iso2022jp" || n == "jis") return Encoding::kIso2022Jp;
  if (n == "windows1252" || n == "cp1252" || n == "latin1" || n == "iso88591")
    return Encoding::kWindows1252;
  if (n == "binary") return Encoding::kBinary;
  return std::nullopt;
}

void Decode(std::string_view input, const DecodeOptions& options, Decoded& out) {
  out.encoding = Encoding::kUtf8;
  out.confidence = 100;
  out.had_bom = false;
  out.replacements = 0;
  out.nul_bytes = 0;
  out.storage.clear();
  out.map.Clear();
  out.text = {};

  if (options.force) {
    // A forced encoding still drops its own byte-order mark.
    size_t bom = 0;
    if (*options.force == Encoding::kUtf8 && input.substr(0, 3) == "\xEF\xBB\xBF") bom = 3;
    if (*options.force == Encoding::kUtf16LE && input.substr(0, 2) == "\xFF\xFE") bom = 2;
    if (*options.force == Encoding::kUtf16BE && input.substr(0, 2) == "\xFE\xFF") bom = 2;
    out.had_bom = bom != 0;
    DecodeAs(*options.force, input, bom, out);
    return;
  }

  // Byte-order marks.
  if (input.size() >= 3 && input.substr(0, 3) == "\xEF\xBB\xBF") {
    out.had_bom = true;
    out.encoding = Encoding::kUtf8;
    UseUtf8(input, 3, out);
    return;
  }
  if (input.size() >= 2 && (input.substr(0, 2) == "\xFF\xFE" || input.substr(0, 2) == "\xFE\xFF")) {
    out.had_bom = true;
    DecodeAs(input[0] == '\xFF' ? Encoding::kUtf16LE : Encoding::kUtf16BE, input, 2, out);
    return;
  }

  // A sample too small to hold a few characters cannot tell anything.
  const size_t sample_size = std::max<size_t>(options.detection_sample, 64);
  std::string_view sample = input.substr(0, sample_size);
  Utf8Census census = TakeUtf8Census(sample);
  out.nul_bytes = census.nul_bytes;

  if (census.nul_bytes) {
    if (auto utf16 = GuessBomlessUtf16(sample)) {
      out.confidence = 80;
      DecodeAs(*utf16, input, 0, out);
      return;
    }
  }
  // Text has no NULs and few controls; more than that is binary data.
  if (census.nul_bytes * 100 > sample.size() || census.control_bytes * 10 > sample.size()) {
    out.confidence = 90;
    DecodeAs(Encoding::kBinary, input, 0, out);
    return;
  }
  if (IsValidUtf8(input)) {
    if (census.multibyte_sequences == 0 && HasIso2022JpEscapes(sample)) {
      DecodeAs(Encoding::kIso2022Jp, input, 0, out);
      return;
    }
    out.text = input;
    return;
  }
  // Judge the encoding on text that has non-ASCII bytes in it, which a long
  // ASCII header would otherwise keep out of the sample.
  // (The sample keeps a little ASCII context, at most a quarter of itself,
  // so that it always holds the first non-ASCII byte.)
  size_t ascii = AsciiPrefixLength(input);
  size_t context = std::min<size_t>({ascii, 256, sample_size / 4});
  sample = input.substr(ascii - context, sample_size);
  census = TakeUtf8Census(sample);
  // Mostly UTF-8 with some damage (a truncated tail, a stray byte): legacy
  // encodings almost never form well-formed multibyte UTF-8 sequences.
  if (census.multibyte_sequences >= 4 * census.invalid_sequences) {
    size_t seen = census.multibyte_sequences + census.invalid_sequences;
    out.confidence = seen ? static_cast<int>(100 * census.multibyte_sequences / seen) : 50;
    UseUtf8(input, 0, out);
    return;
  }
  auto detected = DetectWithIcu(sample);
  if (!detected || detected->second < kConfidentIcu) {
    const bool whole = sample.data() + sample.size() == input.data() + input.size();
    if (auto japanese = GuessJapanese(sample, whole)) {
      out.confidence = std::max(30, detected ? detected->second : 0);
      DecodeAs(*japanese, input, 0, out);
      return;
    }
    // A weak guess of a Japanese encoding that the bytes do not bear out
    // (ICU says Shift_JIS at confidence 10 for "Ångström").
    if (detected && IsLegacyJapanese(detected->first)) detected.reset();
  }
  if (detected) {
    out.confidence = detected->second;
    DecodeAs(detected->first, input, 0, out);
    return;
  }
  out.confidence = 10;
  DecodeAs(Encoding::kWindows1252, input, 0, out);
}

}  // namespace kimitsu::text
