#include "policies.h"

#include <cstdio>
#include <cstdlib>

#include "corpus.h"
#include "match/match_length.h"
#include "policy/default_policy.h"
#include "policy/loader.h"

namespace kimitsu::bench {
namespace {

constexpr std::string_view kSyllables[] = {"ka", "ro", "vin", "tel", "mar", "dis", "qua", "zen", "lo",  "bri",
                                           "sto", "nex", "pha", "ul",  "tor", "mi",  "gra", "vel", "cor", "yun",
                                           "des", "ti",  "ax",  "ber", "fo",  "ly",  "sa",  "ko",  "ren", "wex"};
constexpr std::string_view kKatakana[] = {"カ", "ロ", "ビ", "ン", "テ", "ル", "マ", "ス", "ト", "ニ",
                                          "ア", "ク", "サ", "ミ", "ラ", "ノ", "ゼ", "パ", "ヴ", "ド"};

std::string Word(Rng& rng) {
  std::string w;
  size_t n = rng.Between(3, 4);
  for (size_t i = 0; i < n; ++i) w += kSyllables[rng.Below(std::size(kSyllables))];
  return w;
}

std::string KatakanaWord(Rng& rng) {
  std::string w;
  size_t n = rng.Between(4, 6);
  for (size_t i = 0; i < n; ++i) w += kKatakana[rng.Below(std::size(kKatakana))];
  return w;
}

std::string Prefix(Rng& rng) {
  std::string p;
  size_t n = rng.Between(3, 4);
  for (size_t i = 0; i < n; ++i) p += static_cast<char>('A' + rng.Below(26));
  return p;
}

// YAML single-quoted scalar.
std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    q += c;
    if (c == '\'') q += '\'';
  }
  return q + "'";
}

}  // namespace

std::string GeneratedPolicyYaml(size_t rules, uint64_t seed) {
  std::string y =
      "version: 1\n"
      "name: generated\n"
      "tiers:\n"
      "  - {id: restricted, threshold: 0.6}\n"
      "  - {id: internal, threshold: 0.5}\n"
      "  - {id: public}\n"
      "default_tier: public\n"
      "rules:\n";
  Rng rng(seed);
  for (size_t i = 0; i < rules; ++i) {
    char head[160];
    std::snprintf(head, sizeof head, "  - id: gen_%05zu\n    tier: %s\n    confidence: 0.%zu\n", i,
                  rng.Percent(30) ? "restricted" : "internal", 3 + rng.Below(6));
    y += head;
    if (i % 2 == 0) {
      size_t n = rng.Between(4, 6);
      y += "    keywords: [";
      for (size_t k = 0; k < n; ++k) {
        if (k) y += ", ";
        std::string w;
        switch (rng.Below(4)) {
          case 0: w = KatakanaWord(rng); break;
          case 1: w = Word(rng) + " " + Word(rng); break;
          default: w = Word(rng); break;
        }
        y += Quote(w);
      }
      y += "]\n";
      if (rng.Percent(20)) y += "    word_boundary: true\n";
    } else {
      std::string re;
      bool case_sensitive = false;
      switch ((i / 2) % 5) {
        case 0:
          re = "\\b" + Prefix(rng) + "-\\d{4,6}\\b";
          case_sensitive = true;
          break;
        case 1:
          re = "\\b(?:" + Word(rng) + "|" + Word(rng) + ")[ _-](?:id|ref|code)[ :#]*([A-Z0-9]{6,10})\\b";
          break;
        case 2:
          re = Word(rng) + "_(?:key|token)\\s*[:=]\\s*([A-Za-z0-9]{12,32})";
          break;
        case 3:
          re = "\\b\\d{3}-" + Prefix(rng) + "-\\d{3,4}\\b";
          case_sensitive = true;
          break;
        default:
          re = KatakanaWord(rng) + "(?:番号|コード)[:：]?\\s*(\\d{6,10})";
          break;
      }
      y += "    regex: " + Quote(re) + "\n";
      if (case_sensitive) y += "    case_sensitive: true\n";
    }
  }
  return y;
}

std::vector<ExportedPattern> ExportPatterns(const match::CompiledPolicy& policy) {
  std::vector<ExportedPattern> out;
  for (const match::CompiledRule& r : policy.rules()) {
    // The relaxed form (counts over 4 made open, as kimitsu's own prefilter
    // has them): the references are not slowed by counts they need not keep.
    match::MatchShape shape = match::ShapeOf(r.re->pattern(), r.spec->case_sensitive);
    out.push_back({r.spec->id, shape.relaxed.value_or(r.re->pattern()), !r.spec->case_sensitive});
  }
  return out;
}

const char* VariantName(Variant v) {
  switch (v) {
    case Variant::kFull: return "full";
    case Variant::kNoContext: return "no_context";
    case Variant::kBare: return "bare";
  }
  return "?";
}

std::unique_ptr<match::CompiledPolicy> CompileText(const std::string& text) {
  policy::PolicyError error;
  auto p = match::CompiledPolicy::FromText(text, "<benchmark>", match::CompileOptions{}, &error);
  if (!p) {
    std::fprintf(stderr, "benchmark policy does not compile: %s\n", error.ToString().c_str());
    std::abort();
  }
  return p;
}

std::unique_ptr<match::CompiledPolicy> CompileDefault(Variant v) {
  match::CompileOptions options;
  policy::PolicyError error;
  policy::Policy p;
  if (!policy::ParsePolicy(policy::DefaultPolicyText(), policy::kDefaultPolicySource, options.limits, &p, &error)) {
    std::fprintf(stderr, "default policy: %s\n", error.ToString().c_str());
    std::abort();
  }
  for (policy::Rule& r : p.rules) {
    if (v == Variant::kFull) break;
    r.context.clear();
    if (v == Variant::kBare) {
      r.validator.clear();
      r.word_boundary = false;
      if (r.kind == policy::MatcherKind::kMarking) {
        r.kind = r.regex.empty() ? policy::MatcherKind::kKeywords : policy::MatcherKind::kRegex;
      }
    }
  }
  auto compiled = match::CompiledPolicy::Compile(std::move(p), options, &error);
  if (!compiled) {
    std::fprintf(stderr, "default policy (%s): %s\n", VariantName(v), error.ToString().c_str());
    std::abort();
  }
  return compiled;
}

}  // namespace kimitsu::bench
