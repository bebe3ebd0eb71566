#include "match/compiled_policy.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "match/match_length.h"
#include "policy/loader.h"
#include "text/normalize.h"

namespace kimitsu::match {
namespace {

// Keywords match the NFKC text, so they are normalized the same way: a
// keyword written full-width matches the half-width text and vice versa.
std::string NormalizedKeyword(const std::string& keyword) {
  text::Normalized n;
  if (!text::NormalizeNfkc(keyword, n).ok()) return keyword;
  return std::string(n.text);
}

// A keyword as a pattern: literal, except that a space between words matches
// a run of 1 to 16 spaces, line breaks, '_' or '-' ("date of birth" also
// finds "date_of_birth" in a CSV header and "Date of\nBirth" in a form). The
// limit keeps keyword matches short (MaxMatchBytes), so that keyword rules
// are searched window by window.
std::string LiteralPattern(const std::string& keyword) {
  std::string out;
  size_t start = 0;
  while (start <= keyword.size()) {
    size_t space = keyword.find(' ', start);
    if (space == std::string::npos) space = keyword.size();
    if (space > start) {
      if (!out.empty()) out += "[\\s_-]{1,16}";
      out += RE2::QuoteMeta(keyword.substr(start, space - start));
    }
    start = space + 1;
  }
  return out;
}

// One alternation of literal words, longest first so that at one position
// the longest keyword wins (秘密 before 秘).
std::string KeywordPattern(const std::vector<std::string>& words) {
  std::vector<std::string> quoted;
  quoted.reserve(words.size());
  for (const auto& w : words) quoted.push_back(NormalizedKeyword(w));
  std::sort(quoted.begin(), quoted.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  quoted.erase(std::unique(quoted.begin(), quoted.end()), quoted.end());
  std::string pattern;
  for (const auto& w : quoted) {
    if (!pattern.empty()) pattern += '|';
    pattern += LiteralPattern(w);
  }
  return pattern;
}

RE2::Options RuleOptions(bool case_sensitive, int64_t max_mem) {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_case_sensitive(case_sensitive);
  o.set_max_mem(max_mem);
  o.set_log_errors(false);
  return o;
}

// Whether `re` can match the empty string: in an empty text, or next to a
// word character (a pattern of assertions only, such as \b, matches nothing
// and would fire at every word edge).
bool MatchesEmpty(const RE2& re) {
  if (RE2::FullMatch("", re)) return true;
  const re2::StringPiece probe("a");
  re2::StringPiece m;
  for (size_t pos = 0; pos <= probe.size(); ++pos) {
    if (re.Match(probe, pos, probe.size(), RE2::ANCHOR_START, &m, 1) && m.empty()) return true;
  }
  return false;
}

}  // namespace

int CompiledPolicy::TierIndex(std::string_view id) const {
  for (size_t i = 0; i < spec_.tiers.size(); ++i) {
    if (spec_.tiers[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

std::unique_ptr<CompiledPolicy> CompiledPolicy::FromText(std::string_view text, std::string_view source,
                                                         const CompileOptions& options,
                                                         policy::PolicyError* error) {
  policy::Policy p;
  if (!policy::ParsePolicy(text, source, options.limits, &p, error)) return nullptr;
  return Compile(std::move(p), options, error);
}

std::unique_ptr<CompiledPolicy> CompiledPolicy::Compile(policy::Policy policy, const CompileOptions& options,
                                                        policy::PolicyError* error) {
  std::unique_ptr<CompiledPolicy> cp(new CompiledPolicy());
  cp->spec_ = std::move(policy);
  const policy::Policy& spec = cp->spec_;
  auto fail = [&](const policy::Rule* rule, policy::SourceLocation at, std::string message) {
    if (error) {
      error->source = spec.source;
      error->line = at.line;
      error->column = at.column;
      error->rule_id = rule ? rule->id : "";
      error->message = std::move(message);
    }
    return nullptr;
  };
  if (spec.rules.size() > options.limits.max_rules) {
    return fail(nullptr, {}, absl::StrCat(spec.rules.size(), " rules exceed the limit of ", options.limits.max_rules));
  }
  for (const auto& t : spec.tiers) cp->thresholds_.push_back(t.threshold);
  cp->default_tier_ = static_cast<size_t>(std::max(0, cp->TierIndex(spec.default_tier)));

  RE2::Options set_options = RuleOptions(true, options.set_max_mem);
  cp->set_ = std::make_unique<RE2::Set>(set_options, RE2::UNANCHORED);
  cp->rules_.reserve(spec.rules.size());
  std::string any_prefix;  // the long rules' prefix patterns, as alternatives
  for (const auto& rule : spec.rules) {
    CompiledRule cr;
    cr.spec = &rule;
    int tier = cp->TierIndex(rule.tier);
    if (tier < 0) return fail(&rule, rule.where, absl::StrCat("unknown tier '", rule.tier, "'"));
    cr.tier = static_cast<size_t>(tier);
    for (const std::string& t : rule.counters) {
      int countered = cp->TierIndex(t);
      if (countered < 0) return fail(&rule, rule.where, absl::StrCat("unknown tier '", t, "' in counters"));
      cr.counters.push_back(static_cast<size_t>(countered));
    }
    std::string pattern = rule.regex.empty() ? KeywordPattern(rule.keywords) : rule.regex;
    if (pattern.size() > options.limits.max_pattern_bytes) {
      return fail(&rule, rule.pattern_where,
                  absl::StrCat("pattern of ", pattern.size(), " bytes exceeds the limit of ",
                               options.limits.max_pattern_bytes));
    }
    const std::string too_large =
        absl::StrCat("pattern too large for the memory budget (rule_max_mem, ", options.rule_max_mem, " bytes)");
    cr.re = std::make_unique<RE2>(pattern, RuleOptions(rule.case_sensitive, options.rule_max_mem));
    if (!cr.re->ok()) {
      std::string what = cr.re->error_code() == RE2::ErrorPatternTooLarge ? too_large
                                                                          : absl::StrCat("bad regex: ", cr.re->error());
      return fail(&rule, rule.pattern_where, what);
    }
    if (cr.re->ProgramSize() < 0 || cr.re->ReverseProgramSize() < 0) return fail(&rule, rule.pattern_where, too_large);
    if (MatchesEmpty(*cr.re)) {
      return fail(&rule, rule.pattern_where, "pattern matches the empty string, so it would match everywhere");
    }
    cr.reports_group = cr.re->NumberOfCapturingGroups() >= 1;
    MatchShape shape = ShapeOf(pattern, rule.case_sensitive);
    cr.max_match_bytes = shape.max_bytes;
    if (cr.max_match_bytes > kWindowOverlap) {
      cp->long_.push_back(static_cast<uint32_t>(cp->rules_.size()));
      if (shape.prefixes) {
        auto prefixes = std::make_unique<RE2>(absl::StrCat(*shape.prefixes, "\\z"),
                                              RuleOptions(rule.case_sensitive, options.rule_max_mem));
        if (prefixes->ok() && prefixes->ReverseProgramSize() >= 0) {
          cp->program_size_ += static_cast<size_t>(prefixes->ReverseProgramSize()) * 16;
          cr.prefixes = std::move(prefixes);
          absl::StrAppend(&any_prefix, any_prefix.empty() ? "" : "|", rule.case_sensitive ? "" : "(?i:",
                          *shape.relaxed_prefixes, rule.case_sensitive ? "" : ")");
        }
      }
    }
    cp->program_size_ += static_cast<size_t>(cr.re->ProgramSize() + cr.re->ReverseProgramSize()) * 16;
    if (!rule.validator.empty()) {
      cr.validator = FindValidator(rule.validator);
      if (cr.validator == nullptr) {
        return fail(&rule, rule.where, absl::StrCat("unknown validator '", rule.validator, "'"));
      }
    } else {
      cr.validator = nullptr;
    }
    for (const auto& ctx : rule.context) {
      auto words = std::make_unique<RE2>(KeywordPattern(ctx.words), RuleOptions(false, options.rule_max_mem));
      if (!words->ok()) {
        return fail(&rule, ctx.where,
                    absl::StrCat("context words too large for the memory budget (rule_max_mem, ",
                                 options.rule_max_mem, " bytes)"));
      }
      cp->program_size_ += static_cast<size_t>(words->ProgramSize()) * 16;
      cr.context.push_back({std::move(words), &ctx});
    }
    if (cp->program_size_ > options.limits.max_compiled_bytes) {
      return fail(&rule, rule.pattern_where,
                  absl::StrCat("the compiled rules reach ", cp->program_size_,
                               " bytes here, past the limit of ", options.limits.max_compiled_bytes,
                               " (max_compiled_bytes)"));
    }
    // The prefilter only says where a rule may match: the relaxed pattern
    // (no long counted repetitions) does, with a far smaller DFA.
    const std::string& prefilter = shape.relaxed ? *shape.relaxed : pattern;
    std::string set_pattern = rule.case_sensitive ? prefilter : absl::StrCat("(?i:", prefilter, ")");
    std::string set_error;
    if (cp->set_->Add(set_pattern, &set_error) < 0) {
      return fail(&rule, rule.pattern_where, absl::StrCat("bad regex: ", set_error));
    }
    cp->rules_.push_back(std::move(cr));
  }
  // One search at each window's end says whether any long rule has a match
  // in progress there; only then are the rules asked one by one.
  bool all_prefixes = std::all_of(cp->long_.begin(), cp->long_.end(),
                                  [&](uint32_t r) { return cp->rules_[r].prefixes != nullptr; });
  if (!cp->long_.empty() && all_prefixes) {
    auto any = std::make_unique<RE2>(absl::StrCat("(?:", any_prefix, ")\\z"), RuleOptions(true, options.rule_max_mem));
    if (any->ok() && any->ReverseProgramSize() >= 0) {
      cp->program_size_ += static_cast<size_t>(any->ReverseProgramSize()) * 16;
      cp->any_in_progress_ = std::move(any);
    }
  }
  if (!cp->set_->Compile()) {
    return fail(nullptr, {},
                absl::StrCat("the rules together are too large for the prefilter's memory budget "
                             "(prefilter_max_mem, ", options.set_max_mem, " bytes)"));
  }
  return cp;
}

}  // namespace kimitsu::match
