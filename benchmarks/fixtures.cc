#include "fixtures.h"

#include <unicode/ucnv.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <tuple>

#include "policy/loader.h"
#include "text/decode.h"
#include "text/normalize.h"

namespace kimitsu::bench {
namespace {

std::recursive_mutex g_mu;

template <typename Key, typename Value, typename Make>
const Value& Cached(std::map<Key, std::unique_ptr<Value>>& cache, const Key& key, Make make) {
  std::lock_guard<std::recursive_mutex> lock(g_mu);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, std::make_unique<Value>(make())).first;
  return *it->second;
}

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "benchmark setup failed: %s\n", what);
  std::abort();
}

}  // namespace

std::string SizeName(size_t bytes) {
  if (bytes >= kMB && bytes % kMB == 0) return std::to_string(bytes / kMB) + "MB";
  if (bytes >= kKB && bytes % kKB == 0) return std::to_string(bytes / kKB) + "KB";
  return std::to_string(bytes) + "B";
}

namespace {
struct DocEntry {
  std::string text;
  CorpusStats stats;
};
const DocEntry& DocEntryFor(Mix mix, size_t bytes) {
  static std::map<std::pair<int, size_t>, std::unique_ptr<DocEntry>> cache;
  return Cached(cache, std::make_pair(static_cast<int>(mix), bytes), [&] {
    DocEntry e;
    e.text = GenerateCorpus(mix, bytes, kCorpusSeed, &e.stats);
    return e;
  });
}
}  // namespace

const std::string& Doc(Mix mix, size_t bytes) { return DocEntryFor(mix, bytes).text; }
const CorpusStats& DocStats(Mix mix, size_t bytes) { return DocEntryFor(mix, bytes).stats; }

const std::string& JapaneseDoc(size_t bytes) {
  static std::map<size_t, std::unique_ptr<std::string>> cache;
  return Cached(cache, bytes, [&] { return GenerateJapanese(bytes); });
}

const std::string& EnglishDoc(size_t bytes) {
  static std::map<size_t, std::unique_ptr<std::string>> cache;
  return Cached(cache, bytes, [&] { return GenerateEnglish(bytes); });
}

const std::string& JapaneseSjisDoc(size_t bytes) {
  static std::map<size_t, std::unique_ptr<std::string>> cache;
  return Cached(cache, bytes, [&] {
    const std::string& utf8 = JapaneseDoc(bytes);
    std::string out(utf8.size() + 16, '\0');
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = ucnv_convert("windows-31j", "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                             static_cast<int32_t>(utf8.size()), &status);
    if (U_FAILURE(status)) Die("converting the Japanese document to Shift_JIS");
    out.resize(static_cast<size_t>(n));
    return out;
  });
}

const std::string& NormalizedDoc(Mix mix, size_t bytes) {
  static std::map<std::pair<int, size_t>, std::unique_ptr<std::string>> cache;
  return Cached(cache, std::make_pair(static_cast<int>(mix), bytes), [&] {
    text::Decoded decoded;
    text::Decode(Doc(mix, bytes), {}, decoded);
    text::Normalized normalized;
    if (!text::NormalizeNfkc(decoded.text, normalized).ok()) Die("NFKC");
    return std::string(normalized.text);
  });
}

const kimitsu_policy* DefaultCapiPolicy() {
  static kimitsu_policy* policy = [] {
    kimitsu_policy* p = nullptr;
    if (kimitsu_policy_default(&p) != KIMITSU_OK) Die("kimitsu_policy_default");
    return p;
  }();
  return policy;
}

const match::CompiledPolicy& DefaultPolicy(Variant v) {
  static std::map<int, std::unique_ptr<std::unique_ptr<match::CompiledPolicy>>> cache;  // NOLINT
  return *Cached(cache, static_cast<int>(v), [&] { return CompileDefault(v); });
}

const std::vector<ExportedPattern>& DefaultPatterns() { return PatternsFor(0); }

const GeneratedPolicy& Generated(size_t rules) {
  static std::map<size_t, std::unique_ptr<GeneratedPolicy>> cache;
  return Cached(cache, rules, [&] {
    GeneratedPolicy g;
    g.yaml = GeneratedPolicyYaml(rules);
    kimitsu_error* error = nullptr;
    if (kimitsu_policy_compile(g.yaml.data(), g.yaml.size(), &g.capi, &error) != KIMITSU_OK) {
      g.capi_error = error ? kimitsu_error_message(error) : "kimitsu_policy_compile failed";
      kimitsu_error_free(error);
      g.capi = nullptr;
      g.set_max_mem = int64_t{128} << 20;
      std::fprintf(stderr, "generated policy of %zu rules: %s; compiling with set_max_mem 128 MiB instead\n", rules,
                   g.capi_error.c_str());
    }
    match::CompileOptions options;
    options.set_max_mem = g.set_max_mem;
    policy::PolicyError perr;
    g.compiled = match::CompiledPolicy::FromText(g.yaml, "<generated>", options, &perr);
    if (!g.compiled) {
      std::fprintf(stderr, "%s\n", perr.ToString().c_str());
      Die("compiling a generated policy");
    }
    g.patterns = ExportPatterns(*g.compiled);
    return g;
  });
}

const std::vector<ExportedPattern>& PatternsFor(size_t rules) {
  if (rules) return Generated(rules).patterns;
  static const std::vector<ExportedPattern> patterns = ExportPatterns(DefaultPolicy());
  return patterns;
}

const Re2SetReference& Re2SetFor(size_t rules) {
  static std::map<size_t, std::unique_ptr<Re2SetReference>> cache;
  std::lock_guard<std::recursive_mutex> lock(g_mu);
  auto it = cache.find(rules);
  if (it == cache.end()) {
    int64_t max_mem = rules ? Generated(rules).set_max_mem : int64_t{64} << 20;
    it = cache.emplace(rules, std::make_unique<Re2SetReference>(PatternsFor(rules), max_mem)).first;
  }
  return *it->second;
}

const NaiveReference& NaiveFor(size_t rules) {
  static std::map<size_t, std::unique_ptr<NaiveReference>> cache;
  std::lock_guard<std::recursive_mutex> lock(g_mu);
  auto it = cache.find(rules);
  if (it == cache.end()) it = cache.emplace(rules, std::make_unique<NaiveReference>(PatternsFor(rules))).first;
  return *it->second;
}

#ifdef KIMITSU_BENCH_HYPERSCAN
const HyperscanReference& HyperscanFor(size_t rules) {
  static std::map<size_t, std::unique_ptr<HyperscanReference>> cache;
  std::lock_guard<std::recursive_mutex> lock(g_mu);
  auto it = cache.find(rules);
  if (it == cache.end()) it = cache.emplace(rules, std::make_unique<HyperscanReference>(PatternsFor(rules))).first;
  return *it->second;
}
#endif

}  // namespace kimitsu::bench
