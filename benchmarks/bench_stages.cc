// Where the time goes: each stage of a scan measured alone, with the
// engine's own code (lib/text, lib/match) on the same 1 MB documents as the
// end-to-end rows.
//
//   decode       text::Decode: detection, UTF-8 validation (no copy), or
//                Shift_JIS -> UTF-8 with ICU
//   nfkc         text::NormalizeNfkc: on text that needs it, on ASCII, on
//                text already NFKC
//   text_stream  text::TextStream: decode + NFKC as the scanner runs them
//                (incremental, always copying into its window)
//   prefilter    CompiledPolicy::prefilter().Match per chunk of <= 64 KiB
//                cut at line ends, as the scanner cuts them
//   extract      prefilter, then each fired rule's RE2 over the chunk
//                (no checks), for chunk sizes 64 KiB down to 256 bytes
//   checks       per candidate, in the scanner's order: word boundary,
//                validator, placement, context (only the candidates that
//                passed the earlier checks reach a later one)
//   score        per-rule and per-tier scores and the decision
//   scanner      match::Scanner::Scan with the default policy, without
//                context, and bare (no checks at all): the checks' share
#include <benchmark/benchmark.h>
#include <unicode/ucnv.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "bench.h"
#include "fixtures.h"
#include "match/placement.h"
#include "match/scanner.h"
#include "match/validators.h"
#include "score/score.h"
#include "text/decode.h"
#include "text/normalize.h"
#include "text/text_stream.h"
#include "text/tokenize.h"

namespace kimitsu::bench {
namespace {

using benchmark::State;

constexpr size_t kStageDoc = kMB;

struct Chunk {
  size_t begin, end;
};

// Chunks of at most `max` bytes, cut at a line end in their second half when
// there is one, else at a character boundary (as the scanner cuts, without
// its 1 KiB overlap).
std::vector<Chunk> Chunks(std::string_view text, size_t max) {
  std::vector<Chunk> out;
  for (size_t pos = 0; pos < text.size();) {
    size_t limit = std::min(text.size(), pos + max);
    size_t end = limit;
    if (limit < text.size()) {
      size_t nl = text.rfind('\n', limit - 1);
      if (nl != std::string_view::npos && nl + 1 > pos + max / 2) {
        end = nl + 1;
      } else {
        while (end > pos + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
      }
    }
    out.push_back({pos, end});
    pos = end;
  }
  return out;
}

void SetBytes(State& st, size_t bytes) {
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * bytes));
}

// ---- decode and normalize ----------------------------------------------------

enum class Input { kMixedUtf8, kJapaneseSjis, kEnglishAscii, kMixedNormalized, kJapaneseUtf8 };

const std::string& InputText(Input in) {
  switch (in) {
    case Input::kMixedUtf8: return Doc(Mix::kMixed, kStageDoc);
    case Input::kJapaneseSjis: return JapaneseSjisDoc(kStageDoc);
    case Input::kEnglishAscii: return EnglishDoc(kStageDoc);
    case Input::kMixedNormalized: return NormalizedDoc(Mix::kMixed, kStageDoc);
    case Input::kJapaneseUtf8: return JapaneseDoc(kStageDoc);
  }
  return Doc(Mix::kMixed, kStageDoc);
}

void BM_Decode(State& st, Input in) {
  const std::string& input = InputText(in);
  text::Decoded out;
  for (auto _ : st) {
    text::Decode(input, {}, out);
    benchmark::DoNotOptimize(out.text.data());
  }
  st.counters["output_MB"] = static_cast<double>(out.text.size()) / kMB;
  st.counters["copied"] = out.text.data() != input.data();
  SetBytes(st, input.size());
}

// ICU's converter alone on the same Shift_JIS bytes, without kimitsu's
// decoder around it (offset map, replacement counting).
void BM_IcuConvertSjis(State& st) {
  const std::string& input = JapaneseSjisDoc(kStageDoc);
  std::string out(input.size() * 2 + 16, '\0');
  UErrorCode status = U_ZERO_ERROR;
  UConverter* from = ucnv_open("windows-31j", &status);
  UConverter* to = ucnv_open("UTF-8", &status);
  if (U_FAILURE(status)) return st.SkipWithError("ucnv_open");
  std::vector<UChar> pivot(1024);
  for (auto _ : st) {
    char* target = out.data();
    const char* source = input.data();
    UChar* pivot_source = pivot.data();
    UChar* pivot_target = pivot.data();
    status = U_ZERO_ERROR;
    ucnv_convertEx(to, from, &target, out.data() + out.size(), &source, input.data() + input.size(), pivot.data(),
                   &pivot_source, &pivot_target, pivot.data() + pivot.size(), true, true, &status);
    benchmark::DoNotOptimize(target);
  }
  ucnv_close(from);
  ucnv_close(to);
  SetBytes(st, input.size());
}

void BM_Nfkc(State& st, Input in) {
  const std::string& input = InputText(in);
  text::Normalized out;
  for (auto _ : st) {
    if (!text::NormalizeNfkc(input, out).ok()) return st.SkipWithError("NFKC failed");
    benchmark::DoNotOptimize(out.text.data());
  }
  st.counters["changed"] = out.changed();
  SetBytes(st, input.size());
}

void BM_TextStream(State& st, Input in) {
  const std::string& input = InputText(in);
  text::TextStream stream;
  for (auto _ : st) {
    stream.Begin({});
    if (!stream.Write(input).ok() || !stream.Finish().ok()) return st.SkipWithError("TextStream failed");
    benchmark::DoNotOptimize(stream.window().data());
  }
  SetBytes(st, input.size());
}

// ---- prefilter and extraction -------------------------------------------------

void BM_Prefilter(State& st, Mix mix) {
  const std::string& text = NormalizedDoc(mix, kStageDoc);
  const match::CompiledPolicy& policy = DefaultPolicy();
  std::vector<Chunk> chunks = Chunks(text, 64 * kKB);
  std::vector<int> fired;
  size_t fired_total = 0;
  for (auto _ : st) {
    fired_total = 0;
    for (const Chunk& c : chunks) {
      fired.clear();
      policy.prefilter().Match(re2::StringPiece(text.data() + c.begin, c.end - c.begin), &fired, nullptr);
      fired_total += fired.size();
    }
  }
  st.counters["chunks"] = static_cast<double>(chunks.size());
  st.counters["fired_per_chunk"] = static_cast<double>(fired_total) / static_cast<double>(chunks.size());
  SetBytes(st, text.size());
}

// Prefilter per chunk, then every fired rule's RE2 over the chunk, all its
// matches (no checks): the matching work of a scan.
void BM_PrefilterExtract(State& st, Mix mix, size_t chunk_size) {
  const std::string& text = NormalizedDoc(mix, kStageDoc);
  const match::CompiledPolicy& policy = DefaultPolicy();
  std::vector<Chunk> chunks = Chunks(text, chunk_size);
  std::vector<int> fired;
  size_t fired_total = 0, matches = 0;
  re2::StringPiece m[2];
  const re2::StringPiece whole(text.data(), text.size());
  for (auto _ : st) {
    fired_total = matches = 0;
    for (const Chunk& c : chunks) {
      fired.clear();
      policy.prefilter().Match(re2::StringPiece(text.data() + c.begin, c.end - c.begin), &fired, nullptr);
      fired_total += fired.size();
      for (int r : fired) {
        const RE2& re = *policy.rules()[static_cast<size_t>(r)].re;
        size_t pos = c.begin;
        while (pos < c.end && re.Match(whole, pos, c.end, RE2::UNANCHORED, m, 1)) {
          ++matches;
          size_t ms = static_cast<size_t>(m[0].data() - text.data());
          pos = std::max(ms + m[0].size(), ms + 1);
        }
      }
    }
  }
  st.counters["chunks"] = static_cast<double>(chunks.size());
  st.counters["fired_per_chunk"] = static_cast<double>(fired_total) / static_cast<double>(chunks.size());
  st.counters["rescanned_MB"] =
      static_cast<double>(fired_total) * static_cast<double>(text.size()) / static_cast<double>(chunks.size()) / kMB;
  st.counters["matches"] = static_cast<double>(matches);
  SetBytes(st, text.size());
}

// ---- checks --------------------------------------------------------------------

struct Candidate {
  uint32_t rule;
  size_t vs, ve;
  bool boundary_ok, validator_ok;
};

// Every candidate of every rule in `text`, with what the first two checks
// say of it (computed once; the benchmarks time the checks again).
const std::vector<Candidate>& Candidates(Mix mix) {
  static std::map<int, std::vector<Candidate>> cache;
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(static_cast<int>(mix));
  if (it != cache.end()) return it->second;
  const std::string& text = NormalizedDoc(mix, kStageDoc);
  const match::CompiledPolicy& policy = DefaultPolicy();
  text::Tokenizer tokenizer;
  std::vector<Candidate> out;
  const re2::StringPiece whole(text.data(), text.size());
  for (size_t r = 0; r < policy.rules().size(); ++r) {
    const match::CompiledRule& rule = policy.rules()[r];
    re2::StringPiece g[2];
    int ng = rule.reports_group ? 2 : 1;
    size_t pos = 0;
    while (pos < text.size() && rule.re->Match(whole, pos, text.size(), RE2::UNANCHORED, g, ng)) {
      size_t ms = static_cast<size_t>(g[0].data() - text.data()), me = ms + g[0].size();
      size_t vs = ms, ve = me;
      if (ng == 2 && g[1].data()) {
        vs = static_cast<size_t>(g[1].data() - text.data());
        ve = vs + g[1].size();
      }
      pos = std::max(me, ms + 1);
      if (ve == vs) continue;
      Candidate c{static_cast<uint32_t>(r), vs, ve, true, true};
      if (rule.spec->word_boundary) c.boundary_ok = tokenizer.IsBoundary(text, vs) && tokenizer.IsBoundary(text, ve);
      if (rule.validator) c.validator_ok = rule.validator->fn(std::string_view(text).substr(vs, ve - vs)) != 0;
      out.push_back(c);
    }
  }
  return cache.emplace(static_cast<int>(mix), std::move(out)).first->second;
}

enum class Check { kWordBoundary, kValidator, kPlacement, kContext };

bool IsCont(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
size_t CharsBack(std::string_view s, size_t i, size_t n) {
  while (n-- > 0 && i > 0) {
    --i;
    while (i > 0 && IsCont(s[i])) --i;
  }
  return i;
}
size_t CharsForward(std::string_view s, size_t i, size_t n) {
  while (n-- > 0 && i < s.size()) {
    ++i;
    while (i < s.size() && IsCont(s[i])) ++i;
  }
  return i;
}

void BM_Check(State& st, Mix mix, Check check) {
  const std::string& text_s = NormalizedDoc(mix, kStageDoc);
  std::string_view text = text_s;
  const match::CompiledPolicy& policy = DefaultPolicy();
  // The candidates that reach this check in the scanner.
  std::vector<Candidate> todo;
  for (const Candidate& c : Candidates(mix)) {
    const match::CompiledRule& rule = policy.rules()[c.rule];
    switch (check) {
      case Check::kWordBoundary:
        if (rule.spec->word_boundary) todo.push_back(c);
        break;
      case Check::kValidator:
        if (c.boundary_ok && rule.validator) todo.push_back(c);
        break;
      case Check::kPlacement:
        if (c.boundary_ok && c.validator_ok && rule.spec->kind == policy::MatcherKind::kMarking) todo.push_back(c);
        break;
      case Check::kContext:
        if (c.boundary_ok && c.validator_ok && !rule.context.empty()) todo.push_back(c);
        break;
    }
  }
  text::Tokenizer tokenizer;
  size_t passed = 0;
  for (auto _ : st) {
    passed = 0;
    for (const Candidate& c : todo) {
      const match::CompiledRule& rule = policy.rules()[c.rule];
      switch (check) {
        case Check::kWordBoundary:
          passed += tokenizer.IsBoundary(text, c.vs) && tokenizer.IsBoundary(text, c.ve);
          break;
        case Check::kValidator:
          passed += rule.validator->fn(text.substr(c.vs, c.ve - c.vs)) != 0;
          break;
        case Check::kPlacement: {
          policy::Placement best;
          double f = match::PlacementFactor(rule.spec->placement,
                                            match::PlacementsOf(text, c.vs, c.ve, rule.spec->page_lines), &best);
          passed += f > 0.0;
          break;
        }
        case Check::kContext:
          // As Scanner::ContextDelta does for windows in characters (the
          // default policy has no token windows; no table header here).
          for (const match::CompiledContext& ctx : rule.context) {
            size_t ws = CharsBack(text, c.vs, ctx.spec->window);
            size_t we = CharsForward(text, c.ve, ctx.spec->window);
            bool near = (ws < c.vs && ctx.words->Match(text, ws, c.vs, RE2::UNANCHORED, nullptr, 0)) ||
                        (c.ve < we && ctx.words->Match(text, c.ve, we, RE2::UNANCHORED, nullptr, 0));
            passed += near;
          }
          break;
      }
    }
    benchmark::DoNotOptimize(passed);
  }
  st.counters["candidates"] = static_cast<double>(todo.size());
  st.counters["passed"] = static_cast<double>(passed);
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * todo.size()));  // candidates/s
  SetBytes(st, text.size());  // as a throughput over the document, comparable with the other stages
}

// ---- score -----------------------------------------------------------------------

void BM_Score(State& st, Mix mix) {
  const match::CompiledPolicy& policy = DefaultPolicy();
  match::Scanner scanner;
  match::ScanResult result;
  if (!scanner.Scan(policy, Doc(mix, kStageDoc), {}, &result).ok()) return st.SkipWithError("scan failed");
  std::vector<double> miss, tier_scores(policy.tier_count());
  size_t tier = 0;
  for (auto _ : st) {
    miss.assign(policy.tier_count(), 1.0);
    for (size_t r = 0; r < policy.rules().size(); ++r) {
      const policy::Rule& spec = *policy.rules()[r].spec;
      double s = score::RuleScore(result.evidence[r], spec.min_count, spec.max_score);
      miss[policy.rules()[r].tier] *= 1.0 - s;
    }
    for (size_t t = 0; t < miss.size(); ++t) tier_scores[t] = 1.0 - miss[t];
    tier = score::DecideTier(tier_scores, policy.thresholds(), policy.default_tier());
    benchmark::DoNotOptimize(score::DecisionScore(tier_scores, tier, policy.default_tier()));
  }
  st.counters["tier"] = static_cast<double>(tier);
  SetBytes(st, Doc(mix, kStageDoc).size());
}

// ---- the scanner with and without checks ---------------------------------------

void BM_Scanner(State& st, Mix mix, Variant v) {
  const match::CompiledPolicy& policy = DefaultPolicy(v);
  const std::string& doc = Doc(mix, kStageDoc);
  match::Scanner scanner;
  match::ScanResult result;
  scanner.Scan(policy, doc, {}, &result).IgnoreError();
  for (auto _ : st) {
    if (!scanner.Scan(policy, doc, {}, &result).ok()) return st.SkipWithError("scan failed");
    benchmark::DoNotOptimize(result.tier);
  }
  st.counters["findings"] = static_cast<double>(result.total_findings);
  SetBytes(st, doc.size());
}

// ICU's word break iterator over a whole text: why the scanner never does it.
void BM_IcuWordBreak(State& st, Input in) {
  std::string_view text = std::string_view(InputText(in)).substr(0, 64 * kKB);
  while (!text.empty() && IsCont(text.back())) text.remove_suffix(1);
  if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0x80)) text.remove_suffix(1);
  text::Tokenizer tokenizer;
  std::vector<size_t> boundaries;
  for (auto _ : st) {
    tokenizer.IcuBoundaries(text, boundaries);
    benchmark::DoNotOptimize(boundaries.data());
  }
  SetBytes(st, text.size());
}

}  // namespace

void RegisterStageBenchmarks() {
  auto ms = benchmark::kMillisecond;
  benchmark::RegisterBenchmark("stage/decode/mixed_utf8/1MB", BM_Decode, Input::kMixedUtf8)->Unit(ms);
  benchmark::RegisterBenchmark("stage/decode/japanese_sjis/1MB", BM_Decode, Input::kJapaneseSjis)->Unit(ms);
  benchmark::RegisterBenchmark("stage/decode/japanese_sjis_icu_only/1MB", BM_IcuConvertSjis)->Unit(ms);
  benchmark::RegisterBenchmark("stage/nfkc/mixed/1MB", BM_Nfkc, Input::kMixedUtf8)->Unit(ms);
  benchmark::RegisterBenchmark("stage/nfkc/english_ascii/1MB", BM_Nfkc, Input::kEnglishAscii)->Unit(ms);
  benchmark::RegisterBenchmark("stage/nfkc/mixed_already_nfkc/1MB", BM_Nfkc, Input::kMixedNormalized)->Unit(ms);
  benchmark::RegisterBenchmark("stage/text_stream/mixed/1MB", BM_TextStream, Input::kMixedUtf8)->Unit(ms);
  benchmark::RegisterBenchmark("stage/text_stream/english_ascii/1MB", BM_TextStream, Input::kEnglishAscii)->Unit(ms);
  benchmark::RegisterBenchmark("stage/text_stream/japanese_sjis/1MB", BM_TextStream, Input::kJapaneseSjis)->Unit(ms);
  for (Mix mix : {Mix::kMixed, Mix::kClean, Mix::kDense}) {
    std::string name = "stage/prefilter/" + std::string(MixName(mix)) + "/1MB";
    benchmark::RegisterBenchmark(name.c_str(), BM_Prefilter, mix)->Unit(ms);
  }
  for (Mix mix : {Mix::kMixed, Mix::kClean, Mix::kDense}) {
    for (size_t chunk : {64 * kKB, 16 * kKB, 4 * kKB, kKB, size_t{256}}) {
      if (mix != Mix::kMixed && (chunk == 16 * kKB || chunk == 256)) continue;
      std::string name = "stage/prefilter+extract/" + std::string(MixName(mix)) + "/1MB/chunk:" + SizeName(chunk);
      benchmark::RegisterBenchmark(name.c_str(), BM_PrefilterExtract, mix, chunk)->Unit(ms);
    }
  }
  for (Mix mix : {Mix::kMixed, Mix::kDense}) {
    for (auto [check, cname] : {std::pair{Check::kWordBoundary, "word_boundary"}, std::pair{Check::kValidator, "validator"},
                                std::pair{Check::kPlacement, "placement"}, std::pair{Check::kContext, "context"}}) {
      std::string name = std::string("stage/check/") + cname + "/" + std::string(MixName(mix)) + "/1MB";
      benchmark::RegisterBenchmark(name.c_str(), BM_Check, mix, check)->Unit(benchmark::kMicrosecond);
    }
  }
  benchmark::RegisterBenchmark("stage/score/mixed/1MB", BM_Score, Mix::kMixed)->Unit(benchmark::kNanosecond);
  for (Mix mix : {Mix::kMixed, Mix::kClean, Mix::kDense}) {
    for (Variant v : {Variant::kFull, Variant::kNoContext, Variant::kBare}) {
      std::string name =
          std::string("stage/scanner/") + VariantName(v) + "/" + std::string(MixName(mix)) + "/1MB";
      benchmark::RegisterBenchmark(name.c_str(), BM_Scanner, mix, v)->Unit(ms);
    }
  }
  benchmark::RegisterBenchmark("stage/icu_wordbreak/english/64KB", BM_IcuWordBreak, Input::kEnglishAscii)->Unit(ms);
  benchmark::RegisterBenchmark("stage/icu_wordbreak/japanese/64KB", BM_IcuWordBreak, Input::kJapaneseUtf8)->Unit(ms);
}

}  // namespace kimitsu::bench
