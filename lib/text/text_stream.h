// TextStream: an input of any length, fed in pieces, turned into NFKC UTF-8
// text with the way back to the input's bytes — in memory that does not grow
// with the input. It gives exactly the text and offsets that decoding and
// normalizing the whole input at once would (detect.h explains how the
// encoding is decided from the start of the input).
//
// The text is reached through a window: window() holds the text from
// window_start() to text_end(), in offsets of the whole text. The reader
// calls DiscardBefore() for text it will not look at again.
#ifndef KIMITSU_TEXT_TEXT_STREAM_H_
#define KIMITSU_TEXT_TEXT_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "text/decode.h"
#include "text/detect.h"
#include "text/document.h"
#include "text/offset_map.h"

namespace kimitsu::text {

class TextStream {
 public:
  TextStream() = default;
  TextStream(const TextStream&) = delete;
  TextStream& operator=(const TextStream&) = delete;

  // Starts a new input (keeping buffers from the last one).
  void Begin(const DecodeOptions& options);
  // The next bytes of the input. Fails only if ICU's data cannot be loaded.
  absl::Status Write(std::string_view bytes);
  // The input ends: everything held back is decoded and normalized.
  absl::Status Finish();

  std::string_view window() const { return std::string_view(window_).substr(dead_); }
  size_t window_start() const { return window_start_; }
  size_t text_end() const { return window_start_ + (window_.size() - dead_); }
  bool finished() const { return finished_; }

  // Drops the text before `offset` (and what maps it), keeping the window.
  void DiscardBefore(size_t offset);

  // The input bytes that produced text [start, end) (offsets of the whole
  // text, not before the last DiscardBefore()).
  ByteSpan ToInput(size_t start, size_t end) const;

  // Valid once decided (always after Finish()).
  const Detection& detection() const { return detection_; }
  // (All ASCII so far is not decided: a non-ASCII byte may still come.)
  bool decided() const { return stage_ == Stage::kDecoding || (stage_ == Stage::kAscii && finished_); }
  size_t replacements() const { return decoder_.replacements(); }
  uint64_t input_bytes() const { return input_bytes_; }

 private:
  enum class Stage {
    kHead,      // holding the head until it can be judged
    kAscii,     // all ASCII so far: passed through while the encoding waits
    kSample,    // holding the sample after the first non-ASCII byte
    kDecoding,  // decided
  };
  absl::Status Hold(std::string_view bytes);
  void JudgeHead();
  void JudgeSample();
  void StartDecoding();
  void PassAscii(std::string_view bytes, size_t start);
  absl::Status PassThrough(std::string_view bytes);
  absl::Status AppendToWindow(std::string_view text);
  absl::Status Normalize(bool last);

  DecodeOptions options_;
  Stage stage_ = Stage::kHead;
  bool finished_ = false;
  uint64_t input_bytes_ = 0;

  std::string held_;          // input bytes held back for detection
  std::string spare_;         // held_'s bytes while they are passed on
  std::string sample_;        // the detection sample
  size_t held_start_ = 0;     // input offset of held_[0]: 0, or the first non-ASCII byte
  std::string ascii_tail_;    // the last ASCII bytes passed, the sample's context
  Detection detection_;
  Decoder decoder_;

  std::string decoded_;       // decoded, not yet normalized
  OffsetMap decode_map_;      // decoded offsets -> input offsets
  OffsetMap normalize_map_;   // text offsets -> decoded offsets
  std::string window_;         // window() is window_ from dead_ on: discarded text
  size_t dead_ = 0;            // is erased when text is added, once it outweighs the window
  size_t window_start_ = 0;
};

}  // namespace kimitsu::text

#endif  // KIMITSU_TEXT_TEXT_STREAM_H_
