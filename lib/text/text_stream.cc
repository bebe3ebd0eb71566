#include "text/text_stream.h"

#include <algorithm>

#include "text/normalize.h"
#include "text/utf8.h"

namespace kimitsu::text {
namespace {

// Decoded text is normalized in batches of at least this much.
constexpr size_t kNormalizeBatch = 16 * 1024;
// ASCII kept from just before the first non-ASCII byte, for the sample.
constexpr size_t kAsciiContext = 256;

}  // namespace

void TextStream::Begin(const DecodeOptions& options) {
  options_ = options;
  stage_ = Stage::kHead;
  finished_ = false;
  input_bytes_ = 0;
  held_.clear();
  held_start_ = 0;
  ascii_tail_.clear();
  detection_ = Detection{};
  decoder_.Start(Encoding::kUtf8, 0);
  decoded_.clear();
  decode_map_.Clear();
  normalize_map_.Clear();
  window_.clear();
  dead_ = 0;
  window_start_ = 0;
}

absl::Status TextStream::Write(std::string_view bytes) {
  size_t start = input_bytes_;
  input_bytes_ += bytes.size();
  // Each stage takes what it needs and hands the rest on: only the head and
  // the detection sample are ever held back, never a whole large write.
  while (!bytes.empty()) {
    size_t take = bytes.size();
    switch (stage_) {
      case Stage::kHead: {
        const size_t need = options_.force ? 3 : SampleSize(options_);
        take = std::min(take, need - held_.size());
        held_.append(bytes.substr(0, take));
        if (held_.size() >= need) JudgeHead();
        break;
      }
      case Stage::kAscii:
        // The ASCII, then at most the sample and one byte past it.
        take = std::min(take, AsciiPrefixLength(bytes) + SampleSize(options_) + 1);
        PassAscii(bytes.substr(0, take), start);
        break;
      case Stage::kSample: {
        // JudgeSample decides once it holds a byte past the sample.
        const size_t need = SampleStart(held_start_, options_) + SampleSize(options_) + 1;
        const size_t have = held_start_ + held_.size();
        take = std::min(take, need > have ? need - have : 1);
        held_.append(bytes.substr(0, take));
        JudgeSample();
        break;
      }
      case Stage::kDecoding:
        if (absl::Status s = PassThrough(bytes); !s.ok()) return s;
        break;
    }
    bytes.remove_prefix(take);
    start += take;
  }
  return Normalize(/*last=*/false);
}

absl::Status TextStream::Finish() {
  finished_ = true;
  if (stage_ == Stage::kHead) JudgeHead();
  if (stage_ == Stage::kSample) JudgeSample();
  if (stage_ == Stage::kDecoding) decoder_.Feed({}, /*last=*/true, decoded_, decode_map_);
  return Normalize(/*last=*/true);
}

void TextStream::JudgeHead() {
  std::string_view head = std::string_view(held_).substr(0, SampleSize(options_));
  if (auto d = DetectFromHead(head, options_)) {
    detection_ = *d;
    StartDecoding();
    return;
  }
  detection_ = Detection{};
  detection_.nul_bytes = CountNulBytes(head);
  // (Swapped, not moved: both buffers keep their capacity for the next input.)
  std::swap(held_, spare_);
  held_.clear();
  stage_ = Stage::kAscii;
  PassAscii(spare_, 0);
  spare_.clear();
}

void TextStream::PassAscii(std::string_view bytes, size_t start) {
  size_t ascii = AsciiPrefixLength(bytes);
  std::string_view passed = bytes.substr(0, ascii);
  decoded_.append(passed);
  decode_map_.AppendUnchanged(ascii);
  if (passed.size() >= kAsciiContext) {
    ascii_tail_.assign(passed.substr(passed.size() - kAsciiContext));
  } else {
    ascii_tail_.append(passed);
    if (ascii_tail_.size() > kAsciiContext) ascii_tail_.erase(0, ascii_tail_.size() - kAsciiContext);
  }
  if (ascii == bytes.size()) return;
  stage_ = Stage::kSample;
  held_.assign(bytes.substr(ascii));
  held_start_ = start + ascii;
  JudgeSample();
}

void TextStream::JudgeSample() {
  // held_ starts at the first non-ASCII byte; the sample starts a little
  // before it, in the ASCII already passed.
  const size_t first = held_start_;
  const size_t sample_start = SampleStart(first, options_);
  const size_t size = SampleSize(options_);
  // Wait for more, and for a byte past the sample: whether the sample runs to
  // the end of the input matters (DetectFromSample's `reaches_end`).
  if (!finished_ && held_start_ + held_.size() <= sample_start + size) return;
  sample_.assign(ascii_tail_, ascii_tail_.size() - (first - sample_start));
  sample_.append(held_, 0, size - sample_.size());
  bool reaches_end = finished_ && sample_start + sample_.size() == input_bytes_;
  size_t nul_bytes = detection_.nul_bytes;
  detection_ = DetectFromSample(sample_, reaches_end);
  detection_.nul_bytes = nul_bytes;
  StartDecoding();
}

void TextStream::StartDecoding() {
  stage_ = Stage::kDecoding;
  size_t skip = held_start_ == 0 ? detection_.bom : 0;
  if (skip) decode_map_.Append(static_cast<uint32_t>(skip), 0);
  decoder_.Start(detection_.encoding, held_start_ + skip);
  std::swap(held_, spare_);
  held_.clear();
  decoder_.Feed(std::string_view(spare_).substr(std::min(skip, spare_.size())), finished_, decoded_, decode_map_);
  spare_.clear();
}

absl::Status TextStream::PassThrough(std::string_view bytes) {
  // Well-formed UTF-8 is its own decoding: it is normalized from the
  // caller's bytes, up to the last safe cut in it, instead of being copied
  // into decoded_ first. The rest goes through the decoder.
  const size_t valid = decoder_.PassThroughLength(bytes);
  size_t cut = valid ? NfkcSafePrefixLength(bytes.substr(0, valid)) : 0;
  if (cut > 0 && !decoded_.empty()) {
    // What waits in decoded_ goes first, with these bytes up to their first
    // safe cut: then it is all normalized and decoded_ is empty.
    size_t first = NfkcFirstSafeCut(bytes.substr(0, cut));
    if (first == 0) first = cut;
    decoder_.Feed(bytes.substr(0, first), /*last=*/false, decoded_, decode_map_);
    if (absl::Status s = AppendToWindow(decoded_); !s.ok()) return s;
    decoded_.clear();
    bytes.remove_prefix(first);
    cut -= first;
  }
  if (cut > 0) {
    if (absl::Status s = AppendToWindow(bytes.substr(0, cut)); !s.ok()) return s;
    decode_map_.AppendUnchanged(cut);
    decoder_.Skip(cut);
    bytes.remove_prefix(cut);
  }
  decoder_.Feed(bytes, /*last=*/false, decoded_, decode_map_);
  return absl::OkStatus();
}

absl::Status TextStream::AppendToWindow(std::string_view text) {
  // Discarded text leaves the buffer only when text is added, and only once
  // it outweighs the window: moving the window to the front costs its size,
  // so that cost is paid at most once per byte discarded, and not at all
  // while a reader works through text already in the window.
  if (dead_ > 0 && dead_ >= window_.size() - dead_) {
    window_.erase(0, dead_);
    dead_ = 0;
  }
  return AppendNfkc(text, window_, normalize_map_);
}

absl::Status TextStream::Normalize(bool last) {
  if (decoded_.empty() || (!last && decoded_.size() < kNormalizeBatch)) return absl::OkStatus();
  size_t cut = last ? decoded_.size() : NfkcSafePrefixLength(decoded_);
  if (cut == 0) return absl::OkStatus();
  if (absl::Status s = AppendToWindow(std::string_view(decoded_).substr(0, cut)); !s.ok()) return s;
  decoded_.erase(0, cut);
  return absl::OkStatus();
}

void TextStream::DiscardBefore(size_t offset) {
  if (offset <= window_start_) return;
  size_t n = std::min(offset - window_start_, window_.size() - dead_);
  dead_ += n;
  window_start_ += n;
  normalize_map_.TrimBefore(window_start_);
  decode_map_.TrimBefore(normalize_map_.SourceStart(window_start_));
}

ByteSpan TextStream::ToInput(size_t start, size_t end) const {
  ByteSpan decoded = normalize_map_.SourceSpan(start, end);
  return decode_map_.SourceSpan(decoded.start, decoded.end);
}

}  // namespace kimitsu::text
