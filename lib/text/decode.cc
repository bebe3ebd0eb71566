#include "text/decode.h"

#include <unicode/localpointer.h>
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

struct ConversionContext {
  size_t replacements = 0;
};

// Counts each ill-formed or unmappable sequence, then substitutes U+FFFD.
void U_CALLCONV CountingSubstitute(const void* context, UConverterToUnicodeArgs* args,
                                   const char* code_units, int32_t length,
                                   UConverterCallbackReason reason, UErrorCode* status) {
  if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL || reason == UCNV_IRREGULAR) {
    ++static_cast<ConversionContext*>(const_cast<void*>(context))->replacements;
  }
  UCNV_TO_U_CALLBACK_SUBSTITUTE(nullptr, args, code_units, length, reason, status);
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

  constexpr size_t kChunk = 1 << 15;
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
    // by the end of the input.
    AppendUtf8(U16_IS_SURROGATE(pending_cp) ? 0xFFFD : pending_cp, out.storage);
    out.map.Append(static_cast<uint32_t>(pending_start - out.map.source_length()), 0);
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

// UTF-16 without a BOM: ASCII characters and line ends put NUL bytes on one
// parity only. Returns the encoding when the sample reads as UTF-16 text.
std::optional<Encoding> GuessBomlessUtf16(std::string_view sample) {
  size_t zero_even = 0, zero_odd = 0;
  const auto* b = reinterpret_cast<const unsigned char*>(sample.data());
  size_t n = sample.size() & ~size_t{1};
  for (size_t i = 0; i < n; i += 2) {
    zero_even += b[i] == 0;
    zero_odd += b[i + 1] == 0;
  }
  bool le = zero_odd > 0 && zero_even * 50 <= zero_odd;
  bool be = zero_even > 0 && zero_odd * 50 <= zero_even;
  if (le == be) return std::nullopt;
  size_t odd_units = 0, units = n / 2;
  for (size_t i = 0; i < n; i += 2) {
    unsigned u = le ? (b[i] | b[i + 1] << 8) : (b[i] << 8 | b[i + 1]);
    if (u == 0 || (u < 0x20 && u != '\t' && u != '\n' && u != '\r' && u != '\f') ||
        (u >= 0xD800 && u <= 0xDFFF && u >= 0xDC00))
      ++odd_units;
  }
  if (odd_units * 20 > units) return std::nullopt;
  return le ? Encoding::kUtf16LE : Encoding::kUtf16BE;
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
    if (e && *e != Encoding::kBinary) return std::make_pair(*e, confidence);
  }
  return std::nullopt;
}

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
    DecodeAs(*options.force, input, 0, out);
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

  std::string_view sample = input.substr(0, options.detection_sample);
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
  size_t ascii = AsciiPrefixLength(input);
  sample = input.substr(ascii - std::min<size_t>(ascii, 256), options.detection_sample);
  census = TakeUtf8Census(sample);
  // Mostly UTF-8 with some damage (a truncated tail, a stray byte): legacy
  // encodings almost never form well-formed multibyte UTF-8 sequences.
  if (census.multibyte_sequences >= 4 * census.invalid_sequences) {
    out.confidence = static_cast<int>(100 * census.multibyte_sequences /
                                      (census.multibyte_sequences + census.invalid_sequences));
    UseUtf8(input, 0, out);
    return;
  }
  if (auto detected = DetectWithIcu(sample)) {
    out.confidence = detected->second;
    DecodeAs(detected->first, input, 0, out);
    return;
  }
  out.confidence = 10;
  DecodeAs(Encoding::kWindows1252, input, 0, out);
}

}  // namespace kimitsu::text
