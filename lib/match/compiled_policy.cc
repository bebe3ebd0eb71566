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
// any run of spaces, line breaks, '_' or '-' ("date of birth" also finds
// "date_of_birth" in a CSV header and "Date of\nBirth" in a form).
std::string LiteralPattern(const std::string& keyword) {
  std::string out;
  size_t start = 0;
  while (start <= keyword.size()) {
    size_t space = keyword.find(' ', start);
    if (space == std::string::npos) space = keyword.size();
    if (space > start) {
      if (!out.empty()) out += "[\\s_-]+";
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

// A rule's pattern as the prefilter sets hold it: case folding is per rule,
// the sets' options are case-sensitive.
std::string SetPattern(const CompiledRule& rule) {
  const std::string& pattern = rule.relaxed.empty() ? rule.re->pattern() : rule.relaxed;
  return rule.spec->case_sensitive ? pattern : absl::StrCat("(?i:", pattern, ")");
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

// Ordinary text: log, CSV and configuration lines with dates, times, long
// numbers and codes, and English and Japanese prose, none of it sensitive.
// A rule that matches in these lines will fire in many windows of any
// document (ChooseBroadRules).
constexpr std::string_view kOrdinaryText[] = {
    "2025-02-11T08:14:52.331Z INFO http request_id=7c41e09a method=GET path=/api/v2/items?page=3 status=200 "
    "bytes=18342 duration_ms=41\n",
    "2025-02-11 08:14:53,107 WARN [worker-3] retrying job 48213907 after timeout (attempt 2 of 5)\n",
    "order_id,customer,qty,warehouse,status,updated_at\n"
    "50719364,C-00417,12,WH-KANSAI,shipped,2025-01-30T17:02:45Z\n"
    "50719365,C-01288,3,WH-KANTO,pending,2025-01-30T17:03:10Z\n",
    "Shipment SH-2025-00813 has 4 parcels, 36,520 yen in all; ticket #4417235 was closed and build 20250211.7 "
    "passed 1,284 tests in 93.5 s.\n",
    "timeout = 30\nretries: 5\nlog_level=info\nmax_connections: 512\ncache_dir=/var/cache/app\n"
    "primary_key: order_id\nsort_key = updated_at\n",
    "The committee reviewed the budget, the schedule and the key risks of the project, and agreed to meet "
    "again in the spring to discuss the results of the survey.\n",
    "本日の会議では、来年度の予算と日程、プロジェクトの主なリスクについて話し合いました。次回は4月15日の午後2時から、"
    "第3会議室で行う予定です。\n",
};

// At most this many rules are tried directly where the narrow set does not
// fire: each is one more search of the window.
constexpr size_t kMaxBroadRules = 4;
// The narrow set is a second RE2::Set over almost every rule: past this many
// rules its compile time and memory are not worth what it saves.
constexpr size_t kMaxRulesForNarrowSet = 2000;

// A pattern cut into atoms: an escape, a character class, a parenthesis or
// one other byte. False for what this does not handle (\Q...\E quoting,
// POSIX classes, a class or escape left open).
bool Atoms(std::string_view pattern, std::vector<std::string_view>* atoms) {
  for (size_t i = 0; i < pattern.size();) {
    size_t start = i;
    char c = pattern[i];
    if (c == '\\') {
      if (i + 1 >= pattern.size() || pattern[i + 1] == 'Q') return false;
      i += 2;
    } else if (c == '[') {
      ++i;
      if (i < pattern.size() && pattern[i] == '^') ++i;
      if (i < pattern.size() && pattern[i] == ']') ++i;
      while (i < pattern.size() && pattern[i] != ']') {
        if (pattern[i] == '[') return false;
        i += pattern[i] == '\\' ? 2 : 1;
      }
      if (i >= pattern.size()) return false;
      ++i;
    } else {
      ++i;
    }
    atoms->push_back(pattern.substr(start, i - start));
  }
  return true;
}

}  // namespace

bool GroupIsWholeMatch(std::string_view pattern) {
  std::vector<std::string_view> atoms;
  if (!Atoms(pattern, &atoms)) return false;
  size_t first = 0, last = atoms.size();
  while (first < last && (atoms[first] == "\\b" || atoms[first] == "^")) ++first;
  while (last > first && (atoms[last - 1] == "\\b" || atoms[last - 1] == "$")) --last;
  if (last - first < 3 || atoms[first] != "(" || atoms[first + 1] == "?" || atoms[last - 1] != ")") return false;
  // The group opened first must close last.
  int depth = 0;
  for (size_t i = first; i < last; ++i) {
    if (atoms[i] == "(") ++depth;
    if (atoms[i] == ")" && --depth == 0 && i + 1 < last) return false;
  }
  return depth == 0;
}

size_t LineStartOrCharPrefix(std::string_view pattern) {
  std::vector<std::string_view> atoms;
  if (!Atoms(pattern, &atoms)) return 0;
  // ( ? : then ^ or ( ? m : ^ ), then |, one character, ).
  size_t i = 0;
  auto next = [&](std::string_view what) {
    if (i < atoms.size() && atoms[i] == what) {
      ++i;
      return true;
    }
    return false;
  };
  if (!next("(") || !next("?") || !next(":")) return 0;
  if (!next("^") && !(next("(") && next("?") && next("m") && next(":") && next("^") && next(")"))) return 0;
  if (!next("|") || i >= atoms.size()) return 0;
  std::string_view one = atoms[i++];
  bool one_char = one.size() > 2 && one[0] == '[';
  for (std::string_view e : {"\\s", "\\S", "\\d", "\\D", "\\w", "\\W"}) one_char = one_char || one == e;
  if (!one_char || !next(")")) return 0;
  size_t prefix = static_cast<size_t>(atoms[i - 1].data() + 1 - pattern.data());
  return GroupIsWholeMatch(pattern.substr(prefix)) ? prefix : 0;
}

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
  std::string any_prefix;  // the relaxed prefix patterns of union_, as alternatives
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
    MatchShape shape = ShapeOf(pattern, rule.case_sensitive, kWindowOverlap);
    cr.max_match_bytes = shape.max_bytes;
    if (cr.max_match_bytes > kWindowOverlap) cp->AddLongRule(&cr, shape, rule.case_sensitive, options, &any_prefix);
    cr.group_is_whole = cr.reports_group && GroupIsWholeMatch(pattern);
    if (size_t prefix = cr.reports_group ? LineStartOrCharPrefix(pattern) : 0; prefix > 0) {
      // The value at a line start: the prefix's first branch, then the group.
      std::string first_branch_then_group =
          "(?:" + pattern.substr(3, pattern.find('|') - 3) + ")" + pattern.substr(prefix);
      cr.value_at_line_start =
          std::make_unique<RE2>(first_branch_then_group, RuleOptions(rule.case_sensitive, options.rule_max_mem));
      if (!cr.value_at_line_start->ok()) {
        cr.value_at_line_start.reset();
      } else {
        cp->program_size_ += static_cast<size_t>(cr.value_at_line_start->ProgramSize()) * 16;
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
    if (shape.relaxed) cr.relaxed = *shape.relaxed;
    std::string set_error;
    if (cp->set_->Add(SetPattern(cr), &set_error) < 0) {
      return fail(&rule, rule.pattern_where, absl::StrCat("bad regex: ", set_error));
    }
    cp->rules_.push_back(std::move(cr));
  }
  // One search at each window's end says whether any of the rules whose
  // long matches may be made of ordinary text has a match in progress there.
  // It gets the prefilter's budget: its backwards DFA meets many states in
  // varied text, and with 8 MiB it kept resetting its cache (a 16 MB
  // document took 3x as long as sixteen of 1 MB).
  if (!cp->union_.empty()) {
    cp->any_in_progress_ =
        std::make_unique<LazyRE2>(absl::StrCat("(?:", any_prefix, ")\\z"), RuleOptions(true, options.set_max_mem));
  }
  if (!cp->set_->Compile()) {
    return fail(nullptr, {},
                absl::StrCat("the rules together are too large for the prefilter's memory budget "
                             "(prefilter_max_mem, ", options.set_max_mem, " bytes)"));
  }
  cp->set_max_mem_ = options.set_max_mem;
  return cp;
}

void CompiledPolicy::MakeCandidateFinder() const {
  std::vector<CandidateDfa::Pattern> patterns;
  patterns.reserve(rules_.size());
  for (const CompiledRule& r : rules_) {
    patterns.push_back({r.relaxed.empty() ? r.re->pattern() : r.relaxed, r.spec->case_sensitive});
  }
  candidate_dfa_ = CandidateDfa::Build(patterns);
  if (candidate_dfa_ != nullptr || rules_.size() > kMaxRulesForNarrowSet) return;
  std::string all;
  for (const CompiledRule& r : rules_) absl::StrAppend(&all, all.empty() ? "(?:" : "|(?:", SetPattern(r), ")");
  any_rule_ = std::make_unique<LazyRE2>(std::move(all), RuleOptions(true, set_max_mem_));
}

const RE2* LazyRE2::get() const {
  std::call_once(once_, [this] {
    auto re = std::make_unique<RE2>(pattern_, options_);
    if (re->ok() && re->ReverseProgramSize() >= 0) re_ = std::move(re);
  });
  return re_.get();
}

void CompiledPolicy::AddLongRule(CompiledRule* cr, const MatchShape& shape, bool case_sensitive,
                                 const CompileOptions& options, std::string* any_prefix) {
  const auto index = static_cast<uint32_t>(rules_.size());
  long_.push_back(index);
  if (shape.prefixes) {
    const RE2::Options o = RuleOptions(case_sensitive, options.rule_max_mem);
    cr->prefixes = std::make_unique<LazyRE2>(absl::StrCat(*shape.prefixes, "\\z"), o);
    if (*shape.relaxed_prefixes != *shape.prefixes) {
      cr->relaxed_prefixes = std::make_unique<LazyRE2>(absl::StrCat(*shape.relaxed_prefixes, "\\z"), o);
    }
  }
  // A rule whose long matches may be made of ordinary text (letters and
  // spaces, or Japanese) would be suspect at most windows' ends: such rules
  // are asked together, by one search backwards over the union of their
  // relaxed prefix patterns (up to kMaxUnion of them: the union's DFA grows
  // with each).
  const size_t run = shape.MinRun(kWindowOverlap);
  const auto& bytes = shape.run_bytes;
  const bool ordinary = run == 0 || (bytes[' '] && bytes['e']) || bytes[0xE3];
  if (ordinary && shape.prefixes && union_.size() < kMaxUnion) {
    union_.push_back(index);
    absl::StrAppend(any_prefix, any_prefix->empty() ? "" : "|", case_sensitive ? "" : "(?i:",
                    *shape.relaxed_prefixes, case_sensitive ? "" : ")");
    return;
  }
  // The others are grouped by the bytes their long matches are made of.
  auto group = std::find_if(long_groups_.begin(), long_groups_.end(), [&](const LongRuleGroup& g) {
    return run == 0 ? g.min_run == 0 : g.min_run != 0 && g.bytes == bytes;
  });
  if (group == long_groups_.end()) group = long_groups_.insert(group, LongRuleGroup{bytes, run, {}});
  group->min_run = std::min(group->min_run, run);
  group->rules.push_back(index);
}

void CompiledPolicy::ChooseBroadRules() const {
  const size_t n = rules_.size();
  if (n < 2 || n > kMaxRulesForNarrowSet) return;
  // Each rule's own RE2, not the set: building the set's DFA states for
  // these lines would cost a third of the compile.
  std::vector<int> hits(n, 0);
  for (std::string_view text : kOrdinaryText) {
    const re2::StringPiece piece(text.data(), text.size());
    for (size_t r = 0; r < n; ++r) hits[r] += rules_[r].re->Match(piece, 0, piece.size(), RE2::UNANCHORED, nullptr, 0);
  }
  std::vector<int> broad;
  for (size_t r = 0; r < n; ++r) {
    if (hits[r] > 0) broad.push_back(static_cast<int>(r));
  }
  if (broad.empty()) return;
  // The rules that fire in the most lines, if there are too many.
  std::stable_sort(broad.begin(), broad.end(), [&](int a, int b) { return hits[a] > hits[b]; });
  if (broad.size() > kMaxBroadRules) broad.resize(kMaxBroadRules);
  std::sort(broad.begin(), broad.end());
  if (broad.size() >= n) return;
  auto narrow = std::make_unique<RE2::Set>(RuleOptions(true, set_max_mem_), RE2::UNANCHORED);
  for (size_t r = 0, b = 0; r < n; ++r) {
    if (b < broad.size() && broad[b] == static_cast<int>(r)) {
      ++b;
      continue;
    }
    if (narrow->Add(SetPattern(rules_[r]), nullptr) < 0) return;
  }
  if (!narrow->Compile()) return;  // no narrow set: the prefilter answers alone
  broad_rules_ = std::move(broad);
  narrow_set_ = std::move(narrow);
}

}  // namespace kimitsu::match
