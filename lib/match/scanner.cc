#include "match/scanner.h"

#include <algorithm>

#include "match/placement.h"
#include "text/lines.h"

namespace kimitsu::match {
namespace {

// Chunks are cut at a line end between kMinChunk and kChunk bytes, or, in a
// line longer than that, anywhere. The next chunk starts kOverlap bytes
// before the cut and each rule's search goes on there from where it stood, so
// that the matches are those of one search over the whole text, provided they
// are shorter than kOverlap: a match starting before the next chunk is
// complete in this one, and one starting after it is found in the next,
// however it runs on past this chunk's end ("K123|456" is K123456, not K123;
// "date of|\nbirth" is one match, not none).
constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMinChunk = 32 * 1024;
constexpr size_t kOverlap = 1024;

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

size_t NextChar(std::string_view s, size_t i) {
  ++i;
  while (i < s.size() && IsContinuation(s[i])) ++i;
  return i;
}

size_t CharBoundaryAtOrBefore(std::string_view s, size_t i) {
  while (i > 0 && i < s.size() && IsContinuation(s[i])) --i;
  return i;
}

// `n` characters back from `i` (or the text start).
size_t CharsBack(std::string_view s, size_t i, size_t n) {
  while (n-- > 0 && i > 0) i = CharBoundaryAtOrBefore(s, i - 1);
  return i;
}

size_t CharsForward(std::string_view s, size_t i, size_t n) {
  while (n-- > 0 && i < s.size()) i = NextChar(s, i);
  return i;
}

char TableDelimiter(std::string_view line) {
  if (std::count(line.begin(), line.end(), '\t') >= 2) return '\t';
  if (std::count(line.begin(), line.end(), ',') >= 2) return ',';
  return 0;
}

}  // namespace

// In a table (CSV, TSV), the header of a value's column labels it: "個人番号"
// at the top of a column is context for every number below it, however far.
text::ByteSpan Scanner::ColumnHeader(size_t pos) {
  std::string_view text = doc_.text();
  if (!header_.looked) {
    header_.looked = true;
    // The first line with text that is not a '#' comment, within the first 16 KiB.
    size_t i = 0;
    while (i < text.size() && i < 16384) {
      text::LineSpan line = text::LineAround(text, i, 4096);
      std::string_view content = text.substr(line.start, line.end - line.start);
      if (!content.empty() && content.find_first_not_of(" \t") != std::string_view::npos && content[0] != '#') {
        header_.delimiter = TableDelimiter(content);
        header_.start = line.start;
        header_.end = line.end;
        break;
      }
      i = line.end + 1;
    }
  }
  if (header_.delimiter == 0) return {0, 0};
  bool complete = true;
  text::LineSpan line = text::LineAround(text, pos, 4096, &complete);
  if (!complete || line.start == header_.start) return {0, 0};
  size_t column = static_cast<size_t>(std::count(text.begin() + line.start, text.begin() + pos, header_.delimiter));
  size_t cell = header_.start;
  for (size_t c = 0; c < column; ++c) {
    size_t next = text.find(header_.delimiter, cell);
    if (next == std::string_view::npos || next >= header_.end) return {0, 0};
    cell = next + 1;
  }
  size_t cell_end = text.find(header_.delimiter, cell);
  if (cell_end == std::string_view::npos || cell_end > header_.end) cell_end = header_.end;
  return {cell, cell_end};
}

double Scanner::ContextDelta(const CompiledRule& rule, size_t start, size_t end, bool* dropped) {
  std::string_view text = doc_.text();
  double delta = 0.0;
  for (const CompiledContext& ctx : rule.context) {
    const policy::Context& spec = *ctx.spec;
    size_t ws, we;
    if (spec.window_in_tokens) {
      // Tokenize a generous character window, then keep `window` tokens each side.
      size_t rs = CharsBack(text, start, spec.window * 24);
      size_t re = CharsForward(text, end, spec.window * 24);
      tokens_.clear();
      tokenizer_.Tokenize(text.substr(rs, start - rs), tokens_);
      ws = tokens_.size() > spec.window ? rs + tokens_[tokens_.size() - spec.window].start : rs;
      tokens_.clear();
      tokenizer_.Tokenize(text.substr(end, re - end), tokens_);
      we = tokens_.size() > spec.window ? end + tokens_[spec.window - 1].end : re;
    } else {
      ws = CharsBack(text, start, spec.window);
      we = CharsForward(text, end, spec.window);
    }
    bool near = (ws < start && ctx.words->Match(text, ws, start, RE2::UNANCHORED, nullptr, 0)) ||
                (end < we && ctx.words->Match(text, end, we, RE2::UNANCHORED, nullptr, 0));
    if (!near) {
      text::ByteSpan header = ColumnHeader(start);
      near = header.end > header.start &&
             ctx.words->Match(text, header.start, header.end, RE2::UNANCHORED, nullptr, 0);
    }
    if (near) {
      delta += spec.boost - spec.penalty;
    } else if (spec.required) {
      *dropped = true;
    }
  }
  return delta;
}

void Scanner::ExtractRule(const CompiledPolicy& policy, size_t rule_index, size_t begin, size_t end,
                          size_t next_chunk, const ScanOptions& options, ScanResult* out) {
  const CompiledRule& rule = policy.rules()[rule_index];
  const policy::Rule& spec = *rule.spec;
  std::string_view text = doc_.text();
  re2::StringPiece groups[2];
  const int ngroups = rule.reports_group ? 2 : 1;
  // Go on where the previous chunk left this rule's search, so that nothing
  // it found is found again in part.
  size_t pos = std::max(begin, resume_[rule_index]);
  while (pos < end) {
    if (!rule.re->Match(re2::StringPiece(text.data(), text.size()), pos, end, RE2::UNANCHORED, groups, ngroups)) {
      break;
    }
    size_t ms = static_cast<size_t>(groups[0].data() - text.data());
    if (ms >= next_chunk) break;  // the next chunk's, which sees it whole
    size_t me = ms + groups[0].size();
    size_t vs = ms, ve = me;
    if (ngroups == 2 && groups[1].data() != nullptr) {
      vs = static_cast<size_t>(groups[1].data() - text.data());
      ve = vs + groups[1].size();
    }
    size_t retry = NextChar(text, ms);  // a later, overlapping candidate may still qualify
    size_t next = me > ms ? me : retry;
    if (ve == vs) {
      pos = next;
      continue;
    }
    if (spec.word_boundary && !(tokenizer_.IsBoundary(text, vs) && tokenizer_.IsBoundary(text, ve))) {
      pos = retry;
      continue;
    }
    if (rule.validator && !rule.validator->fn(text.substr(vs, ve - vs))) {
      pos = retry;
      continue;
    }
    double base = spec.confidence;
    policy::Placement placement = policy::Placement::kProse;
    if (spec.kind == policy::MatcherKind::kMarking) {
      base *= PlacementFactor(spec.placement, PlacementsOf(text, vs, ve, spec.page_lines), &placement);
    }
    bool dropped = false;
    double delta = rule.context.empty() ? 0.0 : ContextDelta(rule, vs, ve, &dropped);
    double confidence = std::clamp(base + delta, 0.0, 1.0);
    pos = next;
    if (dropped || confidence <= 0.0) continue;

    out->evidence[rule_index].Add(confidence);
    ++out->total_findings;
    if (out->findings.size() >= options.max_findings) {
      out->flags |= kFindingsTruncated;
      continue;
    }
    Finding& f = out->findings.emplace_back();
    f.rule = static_cast<uint32_t>(rule_index);
    f.tier = static_cast<uint32_t>(rule.tier);
    text::ByteSpan span = doc_.ToInput(vs, ve);
    f.start = span.start;
    f.end = span.end;
    f.text_start = vs;
    f.text_end = ve;
    f.confidence = confidence;
    f.base = base;
    f.placement = placement;
    f.context_delta = delta;
  }
  resume_[rule_index] = pos;
}

void Scanner::ScanChunk(const CompiledPolicy& policy, size_t begin, size_t end, size_t next_chunk,
                        const ScanOptions& options, ScanResult* out) {
  // The prefilter sees the character before the chunk too, so that \b or ^
  // at the chunk's start are judged as in the whole text.
  size_t from = begin > 0 ? CharBoundaryAtOrBefore(doc_.text(), begin - 1) : 0;
  std::string_view chunk = doc_.text().substr(from, end - from);
  fired_.clear();
  RE2::Set::ErrorInfo info{RE2::Set::kNoError};
  bool any = policy.prefilter().Match(re2::StringPiece(chunk.data(), chunk.size()), &fired_, &info);
  if (!any && info.kind != RE2::Set::kNoError) {
    // The prefilter gave up (out of memory): fail closed, run every rule.
    out->flags |= kEngineLimit;
    fired_.clear();
    for (size_t r = 0; r < policy.rules().size(); ++r) fired_.push_back(static_cast<int>(r));
  }
  for (int r : fired_) ExtractRule(policy, static_cast<size_t>(r), begin, end, next_chunk, options, out);
}

absl::Status Scanner::Scan(const CompiledPolicy& policy, std::string_view input, const ScanOptions& options,
                           ScanResult* out) {
  const size_t rules = policy.rules().size();
  out->tier_scores.assign(policy.tier_count(), 0.0);
  out->findings.clear();
  out->evidence.assign(rules, score::RuleEvidence{});
  out->rule_scores.assign(rules, 0.0);
  out->total_findings = 0;
  out->flags = 0;
  out->input_bytes = input.size();
  out->replacements = 0;
  out->tier = policy.default_tier();
  out->score = 0.0;
  header_ = TableHeader{};

  if (input.size() > options.max_input_bytes) {
    out->flags |= kInputTooLarge | kIncomplete;
    return absl::OkStatus();
  }
  if (absl::Status s = doc_.Load(input, options.decode); !s.ok()) return s;
  const text::Decoded& decoded = doc_.decoded();
  out->encoding = decoded.encoding;
  out->encoding_confidence = decoded.confidence;
  out->replacements = decoded.replacements;
  if (decoded.lossy()) out->flags |= kLossyDecode;
  if (decoded.encoding == text::Encoding::kBinary) out->flags |= kBinaryInput;

  std::string_view text = doc_.text();
  resume_.assign(rules, 0);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t limit = std::min(text.size(), pos + kChunk);
    size_t end = limit;
    if (limit < text.size()) {
      size_t nl = text.rfind('\n', limit - 1);
      end = nl != std::string_view::npos && nl >= pos + kMinChunk ? nl + 1 : CharBoundaryAtOrBefore(text, limit);
    }
    if (end >= text.size()) {
      ScanChunk(policy, pos, text.size(), text.size(), options, out);
      break;
    }
    size_t next = std::max(CharBoundaryAtOrBefore(text, end - kOverlap), pos + 1);
    ScanChunk(policy, pos, end, next, options, out);
    pos = next;
  }

  // Scores.
  std::vector<double> miss(policy.tier_count(), 1.0);
  for (size_t r = 0; r < rules; ++r) {
    const policy::Rule& spec = *policy.rules()[r].spec;
    double s = score::RuleScore(out->evidence[r], spec.min_count, spec.max_score);
    out->rule_scores[r] = s;
    miss[policy.rules()[r].tier] *= 1.0 - s;
  }
  for (size_t t = 0; t < miss.size(); ++t) out->tier_scores[t] = 1.0 - miss[t];
  out->tier = score::DecideTier(out->tier_scores, policy.thresholds(), policy.default_tier());
  out->score = score::DecisionScore(out->tier_scores, out->tier, policy.default_tier());

  // Findings of rules short of their min_count are not evidence, and are not
  // counted either.
  std::erase_if(out->findings, [&](const Finding& f) { return out->rule_scores[f.rule] <= 0.0; });
  for (size_t r = 0; r < rules; ++r) {
    if (out->rule_scores[r] <= 0.0) out->total_findings -= out->evidence[r].count;
  }
  std::sort(out->findings.begin(), out->findings.end(), [](const Finding& a, const Finding& b) {
    return a.text_start != b.text_start ? a.text_start < b.text_start : a.rule < b.rule;
  });
  return absl::OkStatus();
}

}  // namespace kimitsu::match
