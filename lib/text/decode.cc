#include "text/decode.h"

#include <unicode/localpointer.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "text/detect.h"
#include "text/utf8.h"

namespace kimitsu::text {
namespace {

struct ConversionContext {
  size_t replacements = 0;
};

// Counts each ill-formed or unmappable sequence and substitutes U+FFFD. (ICU's
// own substitute callback writes U+001A instead for a single bad byte in
// converters that have a one-byte substitution character, such as CP932 and
// EUC-JP: a control character, not a visible replacement.)
void U_CALLCONV CountingSubstitute(const void* context, UConverterToUnicodeArgs* args, const char*, int32_t,
                                   UConverterCallbackReason reason, UErrorCode* status) {
  if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL || reason == UCNV_IRREGULAR) {
    ++static_cast<ConversionContext*>(const_cast<void*>(context))->replacements;
    static const UChar kReplacement = 0xFFFD;
    *status = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, status);
  }
}

bool IsIso2022Control(int c) { return c == 0x1B || c == 0x0E || c == 0x0F; }

constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

}  // namespace

// ICU's converter and the state kept between two Feeds: code points are
// emitted one behind, because a code point's source length is only known
// when the next one starts.
struct Decoder::Icu {
  Encoding encoding = Encoding::kUtf8;
  icu::LocalUConverterPointer cnv;
  ConversionContext ctx;
  bool iso2022 = false;
  std::vector<UChar> units;
  std::vector<int32_t> offsets;
  bool have_pending = false;
  char32_t pending_cp = 0;
  size_t pending_start = 0;
  size_t last_start = 0;
  // ISO-2022-JP: the last bytes of earlier Feeds, to find the escape
  // sequences that end a character begun there.
  std::string tail;
  size_t tail_start = 0;
};

Decoder::Decoder() = default;
Decoder::~Decoder() = default;

size_t Decoder::replacements() const { return replacements_ + (icu_ ? icu_->ctx.replacements : 0); }

void Decoder::Start(Encoding e, size_t start) {
  encoding_ = e;
  consumed_ = start;
  replacements_ = 0;
  carry_.clear();
  const char* converter = IcuConverterName(e);
  if (converter == nullptr) {
    if (icu_) icu_->ctx.replacements = 0;
    return;
  }
  if (!icu_) icu_ = std::make_unique<Icu>();
  Icu& c = *icu_;
  if (!c.cnv.isValid() || c.encoding != e) {
    UErrorCode status = U_ZERO_ERROR;
    c.cnv.adoptInstead(ucnv_open(converter, &status));
    if (U_FAILURE(status)) c.cnv.adoptInstead(nullptr);
    if (c.cnv.isValid()) {
      ucnv_setToUCallBack(c.cnv.getAlias(), CountingSubstitute, &c.ctx, nullptr, nullptr, &status);
    }
    c.encoding = e;
  } else {
    ucnv_resetToUnicode(c.cnv.getAlias());
  }
  c.ctx.replacements = 0;
  c.iso2022 = e == Encoding::kIso2022Jp;
  c.have_pending = false;
  c.last_start = start;
  c.tail.clear();
  c.tail_start = start;
}

void Decoder::FeedUtf8(std::string_view bytes, bool last, std::string& out, OffsetMap& map) {
  size_t i = 0;
  if (!carry_.empty()) {
    // Complete the sequence cut off at the end of the last Feed.
    std::string joined = carry_;
    joined.append(bytes.substr(0, 4 - carry_.size()));
    size_t good = WellFormedSequenceLength(joined, 0);
    size_t used = good;
    if (good == 0) {
      size_t bad = IllFormedSubpartLength(joined, 0);
      if (bad == joined.size() && !last) {  // still cut off: wait for more
        carry_ = joined;
        consumed_ += bytes.size();
        return;
      }
      out.append(kReplacementUtf8);
      map.Append(static_cast<uint32_t>(bad), 3);
      ++replacements_;
      used = bad;
    } else {
      out.append(joined, 0, good);
      map.AppendUnchanged(good);
    }
    // The carried bytes are a well-formed prefix, so `used` covers them all.
    i = used - carry_.size();
    carry_.clear();
  }
  while (i < bytes.size()) {
    size_t good = ValidUtf8PrefixLength(bytes.substr(i));
    out.append(bytes.data() + i, good);
    map.AppendUnchanged(good);
    i += good;
    if (i >= bytes.size()) break;
    size_t bad = IllFormedSubpartLength(bytes, i);
    auto lead = static_cast<unsigned char>(bytes[i]);
    if (i + bad == bytes.size() && !last && lead >= 0xC2 && lead <= 0xF4) {
      carry_.assign(bytes.substr(i));  // perhaps completed by the next Feed
      break;
    }
    out.append(kReplacementUtf8);
    map.Append(static_cast<uint32_t>(bad), 3);
    ++replacements_;
    i += bad;
  }
  consumed_ += bytes.size();
}

void Decoder::Feed(std::string_view bytes, bool last, std::string& out, OffsetMap& map) {
  if (!icu_ || IcuConverterName(encoding_) == nullptr || !icu_->cnv.isValid()) {
    FeedUtf8(bytes, last, out, map);
    return;
  }
  Icu& c = *icu_;
  const size_t feed_start = consumed_;
  auto byte_at = [&](size_t k) -> int {
    if (k >= feed_start && k - feed_start < bytes.size()) return static_cast<unsigned char>(bytes[k - feed_start]);
    if (k >= c.tail_start && k - c.tail_start < c.tail.size()) return static_cast<unsigned char>(c.tail[k - c.tail_start]);
    return -1;
  };
  auto emit_pending = [&](size_t next_start) {
    if (!c.have_pending) return;
    size_t end = next_start;
    if (c.iso2022) {
      // Escape sequences and shifts between characters belong to no character.
      size_t k = c.pending_start + 1;
      while (k < end && !IsIso2022Control(byte_at(k))) ++k;
      end = k;
    }
    size_t before = out.size();
    // ICU substitutes unpaired surrogates itself; one left here was cut off
    // by the end of the input without its other half.
    if (U16_IS_SURROGATE(c.pending_cp)) {
      ++c.ctx.replacements;
      c.pending_cp = 0xFFFD;
    }
    AppendUtf8(c.pending_cp, out);
    if (c.pending_start > map.source_length()) {
      map.Append(static_cast<uint32_t>(c.pending_start - map.source_length()), 0);
    }
    map.Append(static_cast<uint32_t>(end - c.pending_start), static_cast<uint32_t>(out.size() - before));
    c.have_pending = false;
  };

  // Every converter here makes at most one UTF-16 unit per input byte (plus
  // one for a final replacement), so small inputs need only small buffers.
  const size_t capacity = std::min<size_t>(size_t{1} << 15, bytes.size() + 2);
  if (c.units.size() < capacity) {
    c.units.resize(capacity);
    c.offsets.resize(capacity);
  }
  const char* src = bytes.data();
  const char* const limit = bytes.data() + bytes.size();
  bool done = false;
  while (!done) {
    const char* call_start = src;
    UChar* target = c.units.data();
    UErrorCode status = U_ZERO_ERROR;
    ucnv_toUnicode(c.cnv.getAlias(), &target, c.units.data() + capacity, &src, limit, c.offsets.data(), last,
                   &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      status = U_ZERO_ERROR;
    } else {
      done = true;
    }
    size_t produced = static_cast<size_t>(target - c.units.data());
    size_t base = feed_start + static_cast<size_t>(call_start - bytes.data());
    for (size_t k = 0; k < produced;) {
      // A unit with offset -1 came from source consumed in an earlier call.
      size_t start = c.offsets[k] < 0 ? c.last_start : base + static_cast<size_t>(c.offsets[k]);
      char32_t cp = c.units[k];
      size_t width = 1;
      if (U16_IS_LEAD(cp) && k + 1 < produced && U16_IS_TRAIL(c.units[k + 1])) {
        cp = U16_GET_SUPPLEMENTARY(cp, c.units[k + 1]);
        width = 2;
      } else if (c.offsets[k] < 0 && c.have_pending && U16_IS_LEAD(c.pending_cp) && U16_IS_TRAIL(cp)) {
        // The second half of a pair split across two calls.
        c.pending_cp = U16_GET_SUPPLEMENTARY(c.pending_cp, cp);
        ++k;
        continue;
      }
      emit_pending(start);
      c.have_pending = true;
      c.pending_cp = cp;
      c.pending_start = start;
      c.last_start = start;
      k += width;
    }
    if (U_FAILURE(status)) break;
  }
  consumed_ += bytes.size();
  if (last) {
    emit_pending(consumed_);
    if (map.source_length() < consumed_) map.Append(static_cast<uint32_t>(consumed_ - map.source_length()), 0);
  }
  if (c.iso2022) {
    c.tail.append(bytes);
    constexpr size_t kKeep = 32;
    if (c.tail.size() > kKeep) c.tail.erase(0, c.tail.size() - kKeep);
    c.tail_start = consumed_ - c.tail.size();
  }
}

void Decode(std::string_view input, const DecodeOptions& options, Decoded& out) {
  out.storage.clear();
  out.map.Clear();
  out.text = {};
  out.replacements = 0;

  std::string_view head = input.substr(0, SampleSize(options));
  Detection d;
  if (auto decided = DetectFromHead(head, options)) {
    d = *decided;
  } else {
    size_t p = AsciiPrefixLength(input);
    std::string_view sample;
    bool reaches_end = true;
    if (p < input.size()) {
      size_t s = SampleStart(p, options);
      sample = input.substr(s, SampleSize(options));
      reaches_end = s + sample.size() == input.size();
    }
    d = DetectFromSample(sample, reaches_end);
    d.nul_bytes = static_cast<size_t>(std::count(head.begin(), head.end(), '\0'));
  }
  out.encoding = d.encoding;
  out.confidence = d.confidence;
  out.had_bom = d.bom != 0;
  out.nul_bytes = d.nul_bytes;

  std::string_view body = input.substr(d.bom);
  if (d.bom) out.map.Append(static_cast<uint32_t>(d.bom), 0);
  if (IcuConverterName(d.encoding) == nullptr && IsValidUtf8(body)) {
    out.text = body;  // no copy
    if (d.bom) out.map.AppendUnchanged(body.size());
    return;
  }
  Decoder decoder;
  decoder.Start(d.encoding, d.bom);
  out.storage.reserve(body.size() + body.size() / 2 + 16);
  decoder.Feed(body, /*last=*/true, out.storage, out.map);
  out.replacements = decoder.replacements();
  out.text = out.storage;
}

}  // namespace kimitsu::text
