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
  // Where each replacement of the current ucnv_toUnicode call went (an index
  // into the caller's target, `target_base`) and how many bad bytes it
  // replaced: a replacement of bytes that ICU held back from an earlier call
  // has offset -1, and the characters after it start that many bytes later.
  struct Replaced {
    size_t unit;
    size_t length;
  };
  std::vector<Replaced> replaced;
  const UChar* target_base = nullptr;
};

// Counts each ill-formed or unmappable sequence and substitutes U+FFFD. (ICU's
// own substitute callback writes U+001A instead for a single bad byte in
// converters that have a one-byte substitution character, such as CP932 and
// EUC-JP: a control character, not a visible replacement.)
void U_CALLCONV CountingSubstitute(const void* context, UConverterToUnicodeArgs* args, const char*, int32_t length,
                                   UConverterCallbackReason reason, UErrorCode* status) {
  if (reason == UCNV_UNASSIGNED || reason == UCNV_ILLEGAL || reason == UCNV_IRREGULAR) {
    auto* ctx = static_cast<ConversionContext*>(const_cast<void*>(context));
    ++ctx->replacements;
    if (ctx->target_base != nullptr) {
      ctx->replaced.push_back({static_cast<size_t>(args->target - ctx->target_base), static_cast<size_t>(length)});
    }
    static const UChar kReplacement = 0xFFFD;
    *status = U_ZERO_ERROR;
    ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, status);
  }
}

bool IsIso2022Control(int c) { return c == 0x1B || c == 0x0E || c == 0x0F; }

// ICU's windows-31j table is IBM's (ibm-943), which maps the bytes 0x1A, 0x1C
// and 0x7F to U+001C, U+007F and U+001A; Windows, and every other encoding
// here, maps them to themselves. Undone, so that an ASCII byte reads the same
// whatever the encoding turns out to be (detect.h: a stream passes the ASCII
// before the first non-ASCII byte through before the encoding is known).
char32_t UnswapIbmControl(char32_t cp) {
  switch (cp) {
    case 0x1C: return 0x1A;
    case 0x7F: return 0x1C;
    case 0x1A: return 0x7F;
    default: return cp;
  }
}

constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

// Writes the UTF-8 form of scalar value `cp` at `w` and returns its length.
inline size_t PutUtf8(char32_t cp, char* w) {
  if (cp < 0x80) {
    w[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    w[0] = static_cast<char>(0xC0 | cp >> 6);
    w[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    w[0] = static_cast<char>(0xE0 | cp >> 12);
    w[1] = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    w[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  w[0] = static_cast<char>(0xF0 | cp >> 18);
  w[1] = static_cast<char>(0x80 | (cp >> 12 & 0x3F));
  w[2] = static_cast<char>(0x80 | (cp >> 6 & 0x3F));
  w[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

}  // namespace

// ICU's converter and the state kept between two Feeds: code points are
// emitted one behind, because a code point's source length is only known
// when the next one starts.
struct Decoder::Icu {
  Encoding encoding = Encoding::kUtf8;
  icu::LocalUConverterPointer cnv;
  ConversionContext ctx;
  bool iso2022 = false;
  bool ibm_controls = false;  // UnswapIbmControl applies
  std::vector<UChar> units;
  std::vector<int32_t> offsets;
  bool have_pending = false;
  char32_t pending_cp = 0;
  size_t pending_start = 0;
  // Where a unit with offset -1 starts: the first byte that ICU held back at
  // the end of the last call (a character cut off there), else the last
  // unit's start (for units ICU could not fit into the last call's target).
  size_t last_start = 0;
  // ISO-2022-JP: the last bytes of earlier Feeds, to find the escape
  // sequences that end a character begun there.
  std::string tail;
  size_t tail_start = 0;
  // The bytes at the end of the last Feed that wait for the next (a
  // character or an ISO-2022-JP escape sequence cut off there).
  std::string held;
  bool holds_esc = false;  // ISO-2022-JP: ICU holds an ESC from the last Feed
};

Decoder::Decoder() = default;
Decoder::~Decoder() = default;

size_t Decoder::replacements() const { return replacements_ + (icu_ ? icu_->ctx.replacements : 0); }

void Decoder::Start(Encoding e, size_t start) {
  encoding_ = e;
  consumed_ = start;
  replacements_ = 0;
  carry_.clear();
  held16_.clear();
  in_utf16_ = false;
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
  c.ibm_controls = e == Encoding::kShiftJis;
  c.have_pending = false;
  c.ctx.replaced.clear();
  c.last_start = start;
  c.tail.clear();
  c.tail_start = start;
  c.held.clear();
  c.holds_esc = false;
}

size_t Decoder::PassThroughLength(std::string_view bytes) const {
  if (encoding_ == Encoding::kBinary || !carry_.empty()) return 0;
  if (icu_ && IcuConverterName(encoding_) != nullptr && icu_->cnv.isValid()) return 0;
  return ValidUtf8PrefixLength(bytes);
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

namespace {

// A UTF-16LE string in binary data: this many units or more, each an ASCII
// text byte and a NUL. Four such units come by chance about once in 10^10
// bytes of noise; arrays of small integers that look like them are short
// and make no finding (findings in binary need longer runs, text_runs.h).
constexpr size_t kMinUtf16Units = 4;

bool IsUtf16AsciiText(char c) {
  auto b = static_cast<unsigned char>(c);
  return (b >= 0x20 && b < 0x7F) || b == '\t' || b == '\n' || b == '\r';
}

// How many such units follow one another from s[i].
size_t Utf16UnitsAt(std::string_view s, size_t i) {
  size_t n = 0;
  for (; i + 1 < s.size() && IsUtf16AsciiText(s[i]) && s[i + 1] == '\0'; i += 2) ++n;
  return n;
}

// Where the first UTF-16LE string of s[from, ...) starts, or npos.
size_t FindUtf16String(std::string_view s, size_t from) {
  size_t p = from;
  while (p + 1 < s.size()) {
    const void* nul = std::memchr(s.data() + p + 1, 0, s.size() - p - 1);
    if (nul == nullptr) break;
    size_t z = static_cast<size_t>(static_cast<const char*>(nul) - s.data());
    if (!IsUtf16AsciiText(s[z - 1])) {
      p = z;
      continue;
    }
    size_t start = z - 1;
    while (start >= from + 2 && s[start - 1] == '\0' && IsUtf16AsciiText(s[start - 2])) start -= 2;
    size_t units = Utf16UnitsAt(s, start);
    if (units >= kMinUtf16Units) return start;
    p = start + 2 * units;
  }
  return std::string_view::npos;
}

// Where the units at the end of s[from, ...) start, with a last text byte
// whose NUL may come next: what may begin a UTF-16LE string.
size_t Utf16TailStart(std::string_view s, size_t from) {
  size_t t = s.size();
  if (t > from && IsUtf16AsciiText(s[t - 1])) --t;
  while (t >= from + 2 && s[t - 1] == '\0' && IsUtf16AsciiText(s[t - 2])) t -= 2;
  return t;
}

}  // namespace

void Decoder::FeedBinary(std::string_view bytes, bool last, std::string& out, OffsetMap& map) {
  std::string joined;
  std::string_view s = bytes;
  if (!held16_.empty()) {
    joined.reserve(held16_.size() + bytes.size());
    joined.assign(held16_).append(bytes);
    s = joined;
    held16_.clear();
  }
  size_t i = 0;
  while (true) {
    if (in_utf16_) {
      size_t units = Utf16UnitsAt(s, i);
      for (size_t k = 0; k < units; ++k) out.push_back(s[i + 2 * k]);
      if (units) map.Append(2, 1, units);
      consumed_ += 2 * units;
      i += 2 * units;
      bool may_go_on = i == s.size() || (i + 1 == s.size() && IsUtf16AsciiText(s[i]));
      if (may_go_on && !last) {
        held16_.assign(s.substr(i));
        return;
      }
      in_utf16_ = false;
    }
    size_t run = FindUtf16String(s, i);
    if (run == std::string_view::npos) {
      size_t hold = last ? s.size() : Utf16TailStart(s, i);
      // (A UTF-8 sequence cut off before held bytes waits in carry_: what
      // follows it, ASCII, makes it ill-formed either way.)
      FeedUtf8(s.substr(i, hold - i), last, out, map);
      held16_.assign(s.substr(hold));
      return;
    }
    // The bytes before the string end there: a sequence cut off by it is ill-formed.
    FeedUtf8(s.substr(i, run - i), /*last=*/true, out, map);
    in_utf16_ = true;
    i = run;
  }
}

void Decoder::Feed(std::string_view bytes, bool last, std::string& out, OffsetMap& map) {
  if (encoding_ == Encoding::kBinary) {
    FeedBinary(bytes, last, out, map);
    return;
  }
  if (!icu_ || IcuConverterName(encoding_) == nullptr || !icu_->cnv.isValid()) {
    FeedUtf8(bytes, last, out, map);
    return;
  }
  Icu& c = *icu_;
  // The bytes held back at the end of the last Feed go first, in one buffer
  // with these: ICU must see a character whole within one call. (When it
  // holds the start of a character from one call to the next, and that
  // turns out ill-formed, it replays the bytes it held with wrong offsets.)
  std::string_view input = bytes;
  size_t input_start = consumed_;  // input offset of input[0]
  std::string joined;              // (a copy of this Feed's bytes only when some were held)
  if (!c.held.empty()) {
    joined.reserve(c.held.size() + bytes.size());
    joined.assign(c.held);
    joined.append(bytes);
    input = joined;
    input_start -= c.held.size();
    c.held.clear();
  }
  consumed_ += bytes.size();
  // ISO-2022-JP's converter cannot forget what it holds without forgetting
  // the character set it has shifted to, so it must never hold more than one
  // byte. An escape sequence (up to 4 bytes) cut off at the end is cut right
  // after its ESC: ICU holds the ESC (a later ESC ends any sequence begun
  // before it), and the bytes after it wait for the next Feed. The ESC that
  // ICU may already hold counts as the input's first byte.
  size_t cut = input.size();
  if (c.iso2022 && !last) {
    const size_t lead = c.holds_esc ? 1 : 0;
    const size_t m = input.size() + lead;
    auto at = [&](size_t v) { return v < lead ? '\x1B' : input[v - lead]; };
    if (m > 0 && at(m - 1) != '\x1B') {
      for (size_t back = 2; back <= 3 && back <= m; ++back) {
        if (at(m - back) == '\x1B') {
          cut = m - back + 1 - lead;
          break;
        }
      }
    }
  }
  const std::string_view convert = input.substr(0, cut);

  auto byte_at = [&](size_t k) -> int {
    if (k >= input_start && k - input_start < input.size()) return static_cast<unsigned char>(input[k - input_start]);
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
  const size_t capacity = std::min<size_t>(size_t{1} << 15, convert.size() + 2);
  if (c.units.size() < capacity) {
    c.units.resize(capacity);
    c.offsets.resize(capacity);
  }
  const char* src = convert.data();
  const char* const limit = convert.data() + convert.size();
  bool done = false;
  while (!done) {
    const char* call_start = src;
    UChar* target = c.units.data();
    UErrorCode status = U_ZERO_ERROR;
    c.ctx.target_base = c.units.data();
    ucnv_toUnicode(c.cnv.getAlias(), &target, c.units.data() + capacity, &src, limit, c.offsets.data(), last,
                   &status);
    c.ctx.target_base = nullptr;
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      status = U_ZERO_ERROR;
    } else {
      done = true;
    }
    size_t produced = static_cast<size_t>(target - c.units.data());
    size_t base = input_start + static_cast<size_t>(call_start - input.data());
    // Units with offset -1 came from source consumed in an earlier call: the
    // byte ISO-2022-JP's converter held at the end of the last Feed (the
    // first byte of a double-byte character, or an ESC), or units that did
    // not fit into the last call's target. The first starts at last_start; a
    // replacement among them moves the start of the next past the bytes it
    // replaced; other characters among them take a byte each, but the last.
    size_t held_cursor = c.last_start;
    size_t next_replaced = 0;
    auto replaced_at = [&](size_t unit) -> const ConversionContext::Replaced* {
      while (next_replaced < c.ctx.replaced.size() && c.ctx.replaced[next_replaced].unit < unit) ++next_replaced;
      if (next_replaced < c.ctx.replaced.size() && c.ctx.replaced[next_replaced].unit == unit) {
        return &c.ctx.replaced[next_replaced];
      }
      return nullptr;
    };
    for (size_t k = 0; k < produced;) {
      // The common case in a tight loop: characters from this call's own
      // bytes, one UTF-16 unit each, after a pending one that ends where
      // they start; written straight into `out` (room for the pending one's
      // 4 bytes and 3 for each of the others).
      if (!c.iso2022 && c.have_pending && !U16_IS_SURROGATE(c.pending_cp) &&
          c.pending_start == map.source_length() && c.offsets[k] >= 0 && !U16_IS_SURROGATE(c.units[k])) {
        const size_t at = out.size();
        out.resize(at + 1 + 3 * (produced - k));
        char* w = out.data() + at;
        // (Locals: `w` may alias anything, members would be stored and
        // loaded again for every character. Pieces of the map are appended
        // once per run of characters of the same widths.)
        const UChar* const units = c.units.data();
        const int32_t* const offsets = c.offsets.data();
        char32_t cp = c.pending_cp;
        size_t cp_start = c.pending_start;
        uint32_t run_src = 0, run_dst = 0;
        uint64_t run = 0;
        do {
          const size_t start = base + static_cast<size_t>(offsets[k]);
          const auto src_len = static_cast<uint32_t>(start - cp_start);
          const auto dst_len = static_cast<uint32_t>(PutUtf8(cp, w));
          w += dst_len;
          if (src_len != run_src || dst_len != run_dst) {
            if (run != 0) map.Append(run_src, run_dst, run);
            run_src = src_len, run_dst = dst_len, run = 0;
          }
          ++run;
          cp = units[k];
          if (cp < 0x80 && c.ibm_controls) cp = UnswapIbmControl(cp);
          cp_start = start;
          ++k;
        } while (k < produced && offsets[k] >= 0 && !U16_IS_SURROGATE(units[k]));
        map.Append(run_src, run_dst, run);
        c.pending_cp = cp;
        c.pending_start = cp_start;
        out.resize(static_cast<size_t>(w - out.data()));
        c.last_start = c.pending_start;
        continue;
      }
      size_t start = base;
      if (c.offsets[k] < 0) {
        start = held_cursor;
        if (const ConversionContext::Replaced* r = replaced_at(k)) {
          held_cursor += r->length;
        } else {
          // A character of held bytes: one byte, if another follows.
          size_t next = k + 1;
          if (next < produced && U16_IS_TRAIL(c.units[next]) && U16_IS_LEAD(c.units[k])) ++next;
          if (next < produced && c.offsets[next] < 0) ++held_cursor;
        }
      } else {
        start += static_cast<size_t>(c.offsets[k]);
      }
      char32_t cp = c.ibm_controls ? UnswapIbmControl(c.units[k]) : c.units[k];
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
    // Replacements that did not fit into this call's target come first in the next.
    std::erase_if(c.ctx.replaced, [&](const ConversionContext::Replaced& r) { return r.unit < produced; });
    for (ConversionContext::Replaced& r : c.ctx.replaced) r.unit -= produced;
    if (U_FAILURE(status)) break;
  }
  if (!last) {
    // A character cut off at the end. The stateless converters forget it and
    // get it again, whole, with the next Feed; ISO-2022-JP's holds its one
    // byte, whose units the next call reports with offset -1.
    UErrorCode pending_status = U_ZERO_ERROR;
    int32_t pending = ucnv_toUCountPending(c.cnv.getAlias(), &pending_status);
    size_t n = U_SUCCESS(pending_status) && pending > 0 ? static_cast<size_t>(pending) : 0;
    if (c.iso2022) {
      // (It may still hold the ESC it held before this Feed: then cut is 0.)
      if (n > 0) c.last_start = input_start + cut - n;
      c.holds_esc = n == 1 && (cut > 0 ? input[cut - 1] == '\x1B' : c.holds_esc);
      n = 0;
    } else if (n > 0) {
      n = std::min(n, cut);
      ucnv_resetToUnicode(c.cnv.getAlias());
    }
    if (n > 0 || cut < input.size()) c.held.assign(input.substr(cut - n));
  }
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
    d.nul_bytes = CountNulBytes(head);
  }
  out.encoding = d.encoding;
  out.confidence = d.confidence;
  out.had_bom = d.bom != 0;
  out.nul_bytes = d.nul_bytes;

  std::string_view body = input.substr(d.bom);
  if (d.bom) out.map.Append(static_cast<uint32_t>(d.bom), 0);
  if (IcuConverterName(d.encoding) == nullptr && d.encoding != Encoding::kBinary && IsValidUtf8(body)) {
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
