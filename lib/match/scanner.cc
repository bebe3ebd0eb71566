#include "match/scanner.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "match/excerpt.h"
#include "match/placement.h"
#include "match/text_runs.h"
#include "text/lines.h"
#include "text/utf8.h"

namespace kimitsu::match {
namespace {

using text::IsContinuation;

// Chunks are cut at a line end between kMinChunk and kChunk bytes, or, in a
// line longer than that, anywhere. The next chunk starts kOverlap bytes
// before the cut and each rule's search goes on there from where it stood, so
// that the matches are those of one search over the whole text, provided they
// are shorter than kOverlap: a match starting before the next chunk is
// complete in this one, and one starting after it is found in the next,
// however it runs on past this chunk's end ("K123|456" is K123456, not K123;
// "date of|\nbirth" is one match, not none). Rules whose matches can be
// longer ("long" rules) are searched further where one is in progress at a
// window's end (FindLongMatches).
constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMinChunk = 32 * 1024;
constexpr size_t kOverlap = kWindowOverlap;

// Inside a chunk, windows of about this size (cut at a line end in their
// second half when there is one): at each window's end, long rules are
// checked for a match in progress; in a window, the text from where a
// match of some rule can start is prefiltered, and only the rules the
// prefilter names are searched for, there (ScanWindow). Without candidates
// (neither the candidate DFAs nor RE2's union: CompiledPolicy), whole
// windows are.
constexpr size_t kWindow = 4 * 1024;
// From a window's first candidate, this much of the window is prefiltered
// and searched at once; the rest waits for the next candidate (ScanWindow).
constexpr size_t kStretch = 512;

// How far from a chunk its checks may look: placement scans up to 16 KiB of
// lines, context windows reach at most 2,000 characters or 200 tokens (the
// loader's limits). A stream keeps this much text before a chunk and waits
// for this much after it (and after the kLongMatch a long rule's match may
// reach), so that every check sees what it would see in the whole text.
constexpr size_t kKeepBack = 32 * 1024;
constexpr size_t kLookahead = kLongMatch + 32 * 1024;

// The stream is fed pieces of at most this size (a one-shot scan's input, a
// large Write), each scanned before the next, so that memory stays bounded.
constexpr size_t kFeed = 1 << 20;

// Where the table header may be: within the first 16 KiB.
constexpr size_t kHeaderReach = 16 * 1024;

uint64_t Newlines(std::string_view s) {
  uint64_t n = 0;
  for (const char* p = s.data(); (p = static_cast<const char*>(std::memchr(p, '\n', s.data() + s.size() - p)));
       ++p) {
    ++n;
  }
  return n;
}

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

// Where a chunk or window that may reach `limit` ends: just after the last
// line end at or past `min_cut`, else at the character boundary at or before
// `limit`. Offsets of the whole text; `text` starts at `base`.
size_t CutPoint(std::string_view text, size_t base, size_t min_cut, size_t limit) {
  size_t nl = text.rfind('\n', limit - 1 - base);
  if (nl != std::string_view::npos && base + nl >= min_cut) return base + nl + 1;
  return base + CharBoundaryAtOrBefore(text, limit - base);
}

char TableDelimiter(std::string_view line) {
  if (std::count(line.begin(), line.end(), '\t') >= 2) return '\t';
  if (std::count(line.begin(), line.end(), ',') >= 2) return ',';
  return 0;
}

}  // namespace

void Scanner::FindTableHeader() {
  header_.looked = true;
  // The first line with text that is not a '#' comment.
  size_t i = 0;
  while (i < text_.size() && i < kHeaderReach) {
    text::LineSpan line = text::LineAround(text_, i, 4096);
    std::string_view content = text_.substr(line.start, line.end - line.start);
    if (content.find_first_not_of(" \t") != std::string_view::npos && content[0] != '#') {
      header_.delimiter = TableDelimiter(content);
      header_.start = base_ + line.start;
      header_.line.assign(content);
      return;
    }
    // On to the next line ("\r\n" is one terminator; LineAround maps its
    // '\n' back to the line it ends).
    i = std::max(line.end, i) + 1;
    if (i < text_.size() && text_[i - 1] == '\r' && text_[i] == '\n') ++i;
  }
}

// In a table (CSV, TSV), the header of a value's column labels it: "個人番号"
// at the top of a column is context for every number below it, however far.
std::string_view Scanner::ColumnHeader(size_t pos) {
  if (header_.delimiter == 0) return {};
  bool complete = true;
  text::LineSpan line = text::LineAround(text_, pos, 4096, &complete);
  if (!complete || base_ + line.start == header_.start) return {};
  size_t column = static_cast<size_t>(std::count(text_.begin() + line.start, text_.begin() + pos, header_.delimiter));
  std::string_view cells = header_.line;
  for (size_t c = 0; c < column; ++c) {
    size_t next = cells.find(header_.delimiter);
    if (next == std::string_view::npos) return {};
    cells.remove_prefix(next + 1);
  }
  return cells.substr(0, cells.find(header_.delimiter));
}

double Scanner::ContextDelta(const CompiledRule& rule, size_t start, size_t end, bool* dropped) {
  std::string_view text = text_;
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
      std::string_view header = ColumnHeader(start);
      near = !header.empty() && RE2::PartialMatch(re2::StringPiece(header.data(), header.size()), *ctx.words);
    }
    if (near) {
      delta += spec.boost - spec.penalty;
    } else if (spec.required) {
      *dropped = true;
    }
  }
  return delta;
}

// The line of `pos` (of the window), counted from the last line asked for:
// findings come rule by rule, each rule's in text order, so they are near
// each other and the count moves a little each way.
uint64_t Scanner::LineOf(size_t pos) {
  MoveLineCount(base_ + pos);
  return lines_before_ + 1;
}

void Scanner::MoveLineCount(size_t offset) {
  if (offset >= line_at_) {
    lines_before_ += Newlines(std::string_view(text_).substr(line_at_ - base_, offset - line_at_));
  } else {
    lines_before_ -= Newlines(std::string_view(text_).substr(offset - base_, line_at_ - offset));
  }
  line_at_ = offset;
}

void Scanner::ExtractRule(size_t rule_index, size_t begin, size_t end, size_t next_chunk, bool cut) {
  const CompiledRule& rule = policy_->rules()[rule_index];
  const policy::Rule& spec = *rule.spec;
  std::string_view text = text_;
  const re2::StringPiece whole(text.data(), text.size());
  re2::StringPiece groups[2];
  const int ngroups = rule.reports_group && !rule.group_is_whole && !rule.value_at_line_start ? 2 : 1;
  // Local offsets in the window from here on.
  // A match that starts before `next_chunk` ends within max_match_bytes of
  // it: the search need not go further (for most rules, a few dozen bytes
  // instead of the whole overlap). A match reaching that bound is whole.
  const size_t bound = next_chunk + std::min(rule.max_match_bytes, end - next_chunk);
  const bool bounded = bound < end;
  const size_t lend = bound - base_, lnext = next_chunk - base_;
  // Go on where the previous chunk left this rule's search, so that nothing
  // it found is found again in part.
  size_t pos = std::max(begin, resume_[rule_index]) - base_;
  while (pos < lend) {
    if (!rule.re->Match(whole, pos, lend, RE2::UNANCHORED, groups, ngroups)) break;
    size_t ms = static_cast<size_t>(groups[0].data() - text.data());
    if (ms >= lnext) break;  // the next chunk's, which sees it whole
    size_t me = ms + groups[0].size();
    if (cut && !bounded && me == lend) out_->flags |= kLongMatchCut | kIncomplete;  // it may go on
    size_t vs = ms, ve = me;
    if (ngroups == 2 && groups[1].data() != nullptr) {
      vs = static_cast<size_t>(groups[1].data() - text.data());
      ve = vs + groups[1].size();
    } else if (rule.value_at_line_start &&
               !rule.value_at_line_start->Match(whole, ms, me, RE2::ANCHOR_BOTH, nullptr, 0)) {
      vs = NextChar(text, ms);
    }
    size_t retry = NextChar(text, ms);  // a later, overlapping candidate may still qualify
    size_t next = me > ms ? me : retry;
    if (ve == vs) {
      pos = next;
      continue;
    }
    if (spec.word_boundary && !(tokenizer_.IsBoundary(text, vs, base_) && tokenizer_.IsBoundary(text, ve, base_))) {
      pos = retry;
      continue;
    }
    if (rule.validator) {
      size_t valid = rule.validator->fn(text.substr(vs, ve - vs));
      if (valid == 0) {
        pos = retry;
        continue;
      }
      if (vs + valid < ve) {  // the value is a prefix: what follows may start another
        ve = vs + valid;
        next = std::max(ve, retry);
      }
    }
    if (binary_ && !CountsInBinary(text, vs, ve)) {  // noise, not a string of the data (text_runs.h)
      pos = retry;
      continue;
    }
    double base = spec.confidence;
    policy::Placement placement = policy::Placement::kProse;
    if (spec.kind == policy::MatcherKind::kMarking) {
      Placements where = binary_ ? PlacementsInBinary(text, vs, ve, spec.page_lines)
                                 : PlacementsOf(text, vs, ve, spec.page_lines);
      base *= PlacementFactor(spec.placement, where, &placement);
    }
    bool dropped = false;
    double delta = rule.context.empty() ? 0.0 : ContextDelta(rule, vs, ve, &dropped);
    double confidence = std::clamp(base + delta, 0.0, 1.0);
    pos = next;
    if (dropped || confidence <= 0.0) continue;

    out_->evidence[rule_index].Add(confidence);
    ++out_->total_findings;
    // Each rule keeps its first max_findings findings: enough for the first
    // max_findings of all rules in text order, whatever min_count removes.
    if (stored_[rule_index] >= options_.max_findings) continue;
    ++stored_[rule_index];
    Finding& f = out_->findings.emplace_back();
    f.rule = static_cast<uint32_t>(rule_index);
    f.tier = static_cast<uint32_t>(rule.tier);
    text::ByteSpan span = stream_.ToInput(base_ + vs, base_ + ve);
    f.start = span.start;
    f.end = span.end;
    f.text_start = base_ + vs;
    f.text_end = base_ + ve;
    f.line = LineOf(vs);
    f.confidence = confidence;
    f.base = base;
    f.placement = placement;
    f.context_delta = delta;
    if (options_.excerpts != Excerpts::kNone) {
      f.excerpt_begin = out_->excerpts.size();
      if (AppendExcerpt(text.substr(vs, ve - vs), options_.excerpts == Excerpts::kMasked,
                        options_.max_excerpt_bytes, out_->excerpts)) {
        out_->flags |= kExcerptsTruncated;
      }
      f.excerpt_end = out_->excerpts.size();
    }
  }
  resume_[rule_index] = base_ + pos;
}

void Scanner::ScanChunk(size_t begin, size_t end, size_t next_chunk) {
  // Prefilter and extract window by window: a rule the prefilter names is
  // then searched for in a few KiB, not in the whole chunk. Windows follow
  // the chunks' rule: a match belongs to the window it starts in, and each
  // window is searched kOverlap bytes past its end.
  // Only [begin, next_chunk) is this chunk's; the last window reaches to the
  // chunk's end, as the chunk does.
  chunk_end_ = end;
  size_t w = begin;
  while (true) {
    size_t limit = std::min(next_chunk, w + kWindow);
    if (limit >= next_chunk) {
      ScanWindow(w, end, next_chunk);
      return;
    }
    size_t cut = CutPoint(text_, base_, w + kWindow / 2, limit);
    if (cut <= w) cut = limit;
    ScanWindow(w, std::min(end, cut + kOverlap), cut);
    w = cut;
  }
}

// Where the next match of some rule (its relaxed pattern) may start, at or
// after `from`: the candidate DFAs, reading from `from` towards the chunk's
// end, say where one can start (or, for a policy they cannot read, one
// leftmost search of the union of all rules says where one does), and the
// text before it needs no prefilter: clean text is read once. npos for none
// in this chunk; `from` itself when the policy has neither.
size_t Scanner::NextCandidate(size_t from) {
  const CandidateDfa* dfa = policy_->candidate_dfa();
  const RE2* any = policy_->any_rule();
  if (dfa == nullptr && any == nullptr) return from;
  constexpr size_t kNone = std::string_view::npos;
  const bool known = candidate_chunk_end_ == chunk_end_ && candidate_from_ <= from &&
                     (candidate_at_ == kNone || candidate_at_ >= from);
  if (!known) {
    if (dfa != nullptr) {
      const size_t at = dfa->Next(text_, from - base_, chunk_end_ - base_, candidate_scratch_);
      candidate_at_ = at == kNone ? kNone : base_ + at;
    } else {
      const re2::StringPiece whole(text_.data(), chunk_end_ - base_);
      re2::StringPiece m;
      candidate_at_ = any->Match(whole, from - base_, whole.size(), RE2::UNANCHORED, &m, 1)
                          ? base_ + static_cast<size_t>(m.data() - text_.data())
                          : kNone;
    }
    candidate_from_ = from;
    candidate_chunk_end_ = chunk_end_;
  }
  return candidate_at_;
}

// Fills fired_ with the rules the prefilter says can match in the window
// [begin, end). `known`: a match of some rule is known to start at `begin`
// (NextCandidate), so the prefilter need not be asked whether any can.
void Scanner::FireRules(size_t begin, size_t end, bool known) {
  // The prefilter sees the character before the window too, so that \b or ^
  // at its start are judged as in the whole text.
  size_t lbegin = begin - base_;
  size_t from = lbegin > 0 ? CharBoundaryAtOrBefore(text_, lbegin - 1) : 0;
  std::string_view window = text_.substr(from, end - base_ - from);
  const re2::StringPiece piece(window.data(), window.size());
  RE2::Set::ErrorInfo info{RE2::Set::kNoError};
  // First only whether anything can match: asked that way, RE2::Set stops
  // at the first match and allocates nothing. Then, where something can,
  // which rules: where no rule but the broad ones (those that fire in
  // ordinary text) can, they are tried directly; only elsewhere is the
  // prefilter asked which rules fired, an answer it allocates.
  bool any = known || policy_->prefilter().Match(piece, nullptr, &info);
  if (any) {
    const RE2::Set* narrow = policy_->narrow_prefilter();
    RE2::Set::ErrorInfo narrow_info{RE2::Set::kNoError};
    if (narrow != nullptr && !narrow->Match(piece, nullptr, &narrow_info) &&
        narrow_info.kind == RE2::Set::kNoError) {
      fired_.assign(policy_->broad_rules().begin(), policy_->broad_rules().end());
    } else {
      any = policy_->prefilter().Match(piece, &fired_, &info);
    }
  }
  if (!any && info.kind != RE2::Set::kNoError) {
    // The prefilter gave up (out of memory): fail closed, run every rule.
    out_->flags |= kEngineLimit;
    fired_.clear();
    for (size_t r = 0; r < policy_->rules().size(); ++r) fired_.push_back(static_cast<int>(r));
  }
}

// The window [begin, next), searched to `end`. Its long matches first (a
// match of a long rule may start anywhere in it); then, from each place
// where a match of some rule can start (NextCandidate), a stretch of at most
// kStretch bytes is prefiltered and searched, the stretches that follow
// each other reading what the last one left: text before a candidate is
// skipped, and a candidate costs a search of a few hundred bytes per rule
// the prefilter names, not of the whole window.
void Scanner::ScanWindow(size_t begin, size_t end, size_t next) {
  extended_.clear();
  if (!policy_->long_rules().empty() && end < base_ + text_.size()) FindLongMatches(begin, end, next);
  // Candidates: exact ones (RE2's union) are where a match starts; the
  // DFAs' are only where one can.
  const bool candidates = policy_->candidate_dfa() != nullptr || policy_->any_rule() != nullptr;
  const bool exact = policy_->candidate_dfa() == nullptr && candidates;
  const size_t window_extended = extended_.size();
  for (size_t from = begin; from < next;) {
    const size_t at = NextCandidate(from);
    if (at >= next) break;
    // The stretch [at, to), searched to `until`. The window's second
    // stretch, and one that would leave less than half a stretch of it,
    // reach its end: where candidates are dense, whole windows are cheaper.
    size_t to = next, until = end;
    if (candidates && from == begin && next - at > kStretch + kStretch / 2) {
      to = base_ + CharBoundaryAtOrBefore(text_, at + kStretch - base_);
      until = std::min(end, to + kOverlap);
    }
    fired_.clear();
    FireRules(at, until, exact);
    // A stretch short of the window's end is a window of its own for the
    // long rules: a match of one starting in it may run past `until`. (A
    // rule searched further there is so for this stretch only.)
    extended_.resize(window_extended);
    if (until < end && !policy_->long_rules().empty()) FindLongMatches(at, until, to);
    for (int r : fired_) {
      if (!Extended(static_cast<uint32_t>(r))) ExtractRule(static_cast<size_t>(r), at, until, to, false);
    }
    from = to;
  }
}

bool Scanner::Extended(uint32_t rule) const {
  return std::find(extended_.begin(), extended_.end(), rule) != extended_.end();
}

// Whether a prefix of a match of `prefixes` that starts in [begin, next)
// ends at `at`: a match still in progress there.
bool Scanner::InProgress(const RE2& prefixes, size_t begin, size_t at, size_t next) const {
  const re2::StringPiece upto(text_.data(), at - base_);
  re2::StringPiece m;
  return prefixes.Match(upto, begin - base_, upto.size(), RE2::UNANCHORED, &m, 1) &&
         static_cast<size_t>(m.data() - text_.data()) < next - base_;
}

namespace {

// Whether `text` holds a run of at least `run` bytes that are all in `in`.
// Such a run covers one of the bytes at run-1, 2*run-1, ...: only where one
// of those is in `in` is the run around it measured.
bool HasRun(std::string_view text, const std::array<bool, 256>& in, size_t run) {
  if (run == 0) return true;
  auto at = [&](size_t i) { return in[static_cast<unsigned char>(text[i])]; };
  for (size_t probe = run - 1; probe < text.size(); probe += run) {
    if (!at(probe)) continue;
    size_t lo = probe;
    while (lo > 0 && probe - lo + 1 < run && at(lo - 1)) --lo;
    size_t hi = probe + 1;
    while (hi < text.size() && hi - lo < run && at(hi)) ++hi;
    if (hi - lo >= run) return true;
  }
  return false;
}

}  // namespace

// A long rule's match that starts in this window and runs past its end is
// searched for again, reaching kLongMatch bytes past the window; past that,
// a match cut or still in progress is flagged. A rule is asked for a match
// in progress (its prefix patterns, backwards from the window's end) only
// where one is possible: for the rules whose long matches may be ordinary
// text, where the union of their prefix patterns finds one; for the others,
// where the window's overlap (its bytes from `next`) holds a long enough
// run of the bytes their long matches are made of.
void Scanner::FindLongMatches(size_t begin, size_t end, size_t next) {
  const size_t text_end = base_ + text_.size();
  const size_t reach = std::min(text_end, next + kLongMatch);
  auto search_further = [&](uint32_t r) {
    if (Extended(r)) return;  // by the window around this stretch
    const CompiledRule& rule = policy_->rules()[r];
    // (A prefix pattern that could not be compiled cannot rule a match out.)
    const RE2* prefixes = rule.prefixes != nullptr ? rule.prefixes->get() : nullptr;
    const RE2* relaxed = rule.relaxed_prefixes != nullptr ? rule.relaxed_prefixes->get() : nullptr;
    if (relaxed != nullptr && !InProgress(*relaxed, begin, end, next)) return;
    if (prefixes != nullptr && !InProgress(*prefixes, begin, end, next)) return;
    extended_.push_back(r);
    ExtractRule(r, begin, reach, next, reach < text_end);
    if (prefixes != nullptr && reach < text_end && InProgress(*prefixes, begin, reach, next)) {
      out_->flags |= kLongMatchCut | kIncomplete;
    }
  };
  if (!policy_->long_union_rules().empty()) {
    const RE2* any = policy_->any_in_progress()->get();  // if null, it cannot rule anything out
    if (any == nullptr || InProgress(*any, begin, end, next)) {
      for (uint32_t r : policy_->long_union_rules()) search_further(r);
    }
  }
  const std::string_view overlap = std::string_view(text_).substr(next - base_, end - next);
  const bool short_overlap = overlap.size() < kWindowOverlap;  // then no run is guaranteed
  for (const LongRuleGroup& group : policy_->long_rule_groups()) {
    if (short_overlap || HasRun(overlap, group.bytes, group.min_run)) {
      for (uint32_t r : group.rules) search_further(r);
    }
  }
}

void Scanner::Pump() {
  const bool final = stream_.finished();
  // Text reaches the window only once the head is judged, binary or not.
  binary_ = stream_.detection().encoding == text::Encoding::kBinary;
  while (true) {
    text_ = stream_.window();
    base_ = stream_.window_start();
    const size_t text_end = stream_.text_end();
    if (pos_ >= text_end) break;
    if (!final && text_end < pos_ + kChunk + kLookahead) break;  // wait for more text
    if (!header_.looked) FindTableHeader();
    size_t limit = std::min(text_end, pos_ + kChunk);
    size_t end = limit;
    if (limit < text_end) end = CutPoint(text_, base_, pos_ + kMinChunk, limit);
    if (end >= text_end) {
      ScanChunk(pos_, text_end, text_end);
      pos_ = text_end;
      break;
    }
    size_t next = std::max(base_ + CharBoundaryAtOrBefore(text_, end - kOverlap - base_), pos_ + 1);
    ScanChunk(pos_, end, next);
    pos_ = next;
    if (pos_ > kKeepBack + base_) {
      size_t keep = pos_ - kKeepBack;
      if (line_at_ < keep) MoveLineCount(keep);  // the count stays in the window
      stream_.DiscardBefore(keep);
    }
  }
}

void Scanner::Begin(const CompiledPolicy& policy, const ScanOptions& options, ScanResult* out) {
  policy_ = &policy;
  options_ = options;
  out_ = out;
  const size_t rules = policy.rules().size();
  out->tier_scores.assign(policy.tier_count(), 0.0);
  out->findings.clear();
  out->evidence.assign(rules, score::RuleEvidence{});
  out->rule_scores.assign(rules, 0.0);
  out->total_findings = 0;
  out->flags = 0;
  out->input_bytes = 0;
  out->replacements = 0;
  out->encoding = text::Encoding::kUtf8;
  out->encoding_confidence = 100;
  out->tier = policy.default_tier();
  out->score = 0.0;
  out->excerpts.clear();
  out->excerpts_kept = options.excerpts != Excerpts::kNone;
  stream_.Begin(options.decode);
  text_ = {};
  base_ = pos_ = 0;
  candidate_chunk_end_ = std::string_view::npos;
  line_at_ = 0;
  lines_before_ = 0;
  header_ = TableHeader{};
  resume_.assign(rules, 0);
  stored_.assign(rules, 0);
}

absl::Status Scanner::Write(std::string_view bytes) {
  // A large piece goes to the stream in parts, each scanned before the next
  // is decoded: otherwise the stream's window would hold the whole piece's
  // text (memory growing with the piece), and every chunk would move and
  // search all of it (time growing with its square).
  do {
    std::string_view part = bytes.substr(0, kFeed);
    bytes.remove_prefix(part.size());
    if (absl::Status s = stream_.Write(part); !s.ok()) return s;
    Pump();
  } while (!bytes.empty());
  return absl::OkStatus();
}

absl::Status Scanner::Finish() {
  if (absl::Status s = stream_.Finish(); !s.ok()) return s;
  Pump();
  Conclude();
  return absl::OkStatus();
}

void Scanner::Conclude() {
  ScanResult* out = out_;
  const text::Detection& d = stream_.detection();
  out->input_bytes = stream_.input_bytes();
  out->encoding = d.encoding;
  out->encoding_confidence = d.confidence;
  out->replacements = stream_.replacements();
  if (out->replacements) out->flags |= kLossyDecode;
  if (d.encoding == text::Encoding::kBinary) out->flags |= kBinaryInput;

  const size_t rules = policy_->rules().size();
  miss_.assign(policy_->tier_count(), 1.0);
  countered_.assign(policy_->tier_count(), 1.0);
  for (size_t r = 0; r < rules; ++r) {
    const CompiledRule& rule = policy_->rules()[r];
    double s = score::RuleScore(out->evidence[r], rule.spec->min_count, rule.spec->max_score);
    out->rule_scores[r] = s;
    miss_[rule.tier] *= 1.0 - s;
    for (size_t t : rule.counters) countered_[t] *= 1.0 - s;
  }
  for (size_t t = 0; t < miss_.size(); ++t) out->tier_scores[t] = (1.0 - miss_[t]) * countered_[t];
  out->tier = score::DecideTier(out->tier_scores, policy_->thresholds(), policy_->default_tier());
  out->score = score::DecisionScore(out->tier_scores, out->tier, policy_->default_tier());

  // Findings of rules short of their min_count are not evidence, and are not
  // counted either, unless the caller asked for every match.
  if (!options_.all_matches) {
    std::erase_if(out->findings, [&](const Finding& f) { return out->rule_scores[f.rule] <= 0.0; });
    for (size_t r = 0; r < rules; ++r) {
      if (out->rule_scores[r] <= 0.0) out->total_findings -= out->evidence[r].count;
    }
  }
  std::sort(out->findings.begin(), out->findings.end(), [](const Finding& a, const Finding& b) {
    return a.text_start != b.text_start ? a.text_start < b.text_start : a.rule < b.rule;
  });
  if (out->findings.size() > options_.max_findings) out->findings.resize(options_.max_findings);
  if (out->total_findings > out->findings.size()) out->flags |= kFindingsTruncated;
}

absl::Status Scanner::Scan(const CompiledPolicy& policy, std::string_view input, const ScanOptions& options,
                           ScanResult* out) {
  Begin(policy, options, out);
  if (input.size() > options.max_input_bytes) {
    out->input_bytes = input.size();
    out->flags |= kInputTooLarge | kIncomplete;
    return absl::OkStatus();
  }
  for (size_t off = 0; off < input.size(); off += kFeed) {
    if (absl::Status s = Write(input.substr(off, kFeed)); !s.ok()) return s;
  }
  return Finish();
}

}  // namespace kimitsu::match
