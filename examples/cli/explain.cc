// kimitsu explain FILE: how one file was classified — its findings, the
// score of each rule and tier, and the decision.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include "args.h"
#include "commands.h"
#include "policy.h"
#include "record.h"
#include "scan_file.h"
#include "text.h"
#include "walk.h"

namespace kimitsu_cli {
namespace {

const char kCommand[] = "kimitsu explain";

const char kExplainHelp[] =
    "usage: kimitsu explain [options] FILE\n"
    "\n"
    "Classifies one file ('-' for stdin) and shows why: its encoding, size and\n"
    "flags; every finding with its line, excerpt, rule, confidence, placement and\n"
    "context; then, tier by tier, the rules that contributed, the tier's score\n"
    "against its threshold, and the decision.\n"
    "\n"
    "options:\n"
    "  --policy FILE     policy to use (default: the built-in policy)\n"
    "  --show-matches    show matched text in excerpts (default: masked)\n"
    "  -h, --help        this help\n";

const std::vector<OptionSpec> kOptions = {
    {"policy", 0, true},
    {"show-matches", 0, false},
    {"help", 'h', false},
};

// `score` and `threshold` with enough decimals that their order shows.
std::pair<std::string, std::string> Compared(double score, double threshold) {
  for (int d = 2; d < 6; ++d) {
    std::string a = Fixed(score, d), b = Fixed(threshold, d);
    if (a != b || score == threshold) return {a, b};
  }
  return {Fixed(score, 6), Fixed(threshold, 6)};
}

std::string Signed(double v) { return (v < 0 ? "- " : "+ ") + Fixed(v < 0 ? -v : v); }

void Explain(const FileRecord& r, const Policy& p, bool show_matches) {
  std::string o;
  o += "file      " + TerminalSafe(r.path) + "\n";
  o += "policy    " + TerminalSafe(p.source) + " (" + std::to_string(p.tiers.size()) + " tiers, " +
       std::to_string(p.rules.size()) + " rules)\n";
  o += "bytes     " + std::to_string(r.bytes) + "\n";
  o += "encoding  " + TerminalSafe(r.encoding) + "\n";
  std::string flags = FlagText(r.flags);
  o += "flags     " + (flags.empty() ? std::string("none") : flags) + "\n";
  o += "findings  " + std::to_string(r.total_findings);
  if (r.findings.size() < r.total_findings) o += " (the first " + std::to_string(r.findings.size()) + " kept)";
  o += show_matches ? "\n" : " (excerpts masked; --show-matches shows them)\n";

  if (!r.findings.empty()) o += "\nFindings\n";
  size_t k = 0;
  for (const FindingRecord& f : r.findings) {
    const RuleInfo& rule = p.rules[f.rule_index];
    o += "  #" + std::to_string(++k) + "  line " + std::to_string(f.line) + ", bytes " + std::to_string(f.start) +
         "-" + std::to_string(f.end) + ": " + TerminalSafe(f.excerpt) + "\n";
    o += "      rule        " + TerminalSafe(rule.id) + " (" + TerminalSafe(rule.tier);
    if (!rule.entity.empty()) o += ", " + TerminalSafe(rule.entity);
    o += ")";
    if (!rule.description.empty()) o += ": " + TerminalSafe(rule.description);
    o += "\n";
    o += "      confidence  " + Fixed(f.confidence) + " = base_confidence " + Fixed(f.base_confidence) +
         " (rule " + Fixed(rule.confidence) + " x placement " + TerminalSafe(f.placement) + ") " +
         Signed(f.context_delta) + " context_delta\n";
  }

  // Rules with findings, by tier.
  std::map<size_t, std::vector<const RuleHit*>> by_tier;
  for (const RuleHit& h : r.rules) by_tier[p.rules[h.rule_index].tier_index].push_back(&h);

  o += "\nScoring (highest tier first; a document takes the highest tier whose score reaches its threshold)\n";
  size_t def = p.default_tier();
  for (size_t t = 0; t < p.tiers.size(); ++t) {
    const TierInfo& tier = p.tiers[t];
    double score = t < r.scores.size() ? r.scores[t] : 0.0;
    o += "  " + TerminalSafe(tier.id);
    if (t == def) {
      o += " (default tier)\n";
    } else {
      o += " (threshold " + Fixed(tier.threshold) + ")\n";
      auto it = by_tier.find(t);
      bool any = false;
      if (it != by_tier.end()) {
        for (const RuleHit* h : it->second) {
          if (h->score <= 0) continue;
          any = true;
          o += "    " + TerminalSafe(p.rules[h->rule_index].id) + ": " + std::to_string(h->count) +
               (h->count == 1 ? " finding" : " findings") + ", rule score " + Fixed(h->score) + "\n";
        }
        for (const RuleHit* h : it->second) {
          if (h->score > 0) continue;
          o += "    " + TerminalSafe(p.rules[h->rule_index].id) + ": " + std::to_string(h->count) +
               (h->count == 1 ? " candidate" : " candidates") +
               ", rule score 0 (fewer than the rule's min_count: not evidence, not listed above)\n";
        }
      }
      if (!any) o += "    no rule of this tier contributed\n";
    }
    std::string sentence;
    if (t == def) {
      if (r.tier == def) {
        double highest = 0;
        for (size_t u = 0; u < def && u < r.scores.size(); ++u) highest = std::max(highest, r.scores[u]);
        sentence = tier.id + ": no tier above reached its threshold → " + tier.id + " (score 1 - " +
                   Fixed(highest) + " = " + Fixed(r.score) + ")";
      } else {
        sentence = tier.id + ": not reached (a higher tier was decided)";
      }
    } else {
      auto [s, th] = Compared(score, tier.threshold);
      bool reached = score >= tier.threshold;
      sentence = tier.id + ": score " + s + (reached ? " ≥ " : " < ") + "threshold " + th;
      if (t == r.tier) {
        sentence += " → " + tier.id;
      } else if (reached && t > r.tier) {
        sentence += " (a higher tier was decided)";
      }
    }
    o += "    " + TerminalSafe(sentence) + "\n";
  }
  o += "\nDecision: " + TerminalSafe(p.tiers[r.tier].id) + " (score " + Fixed(r.score) + ")\n";
  std::fputs(o.c_str(), stdout);
}

}  // namespace

int RunExplain(const std::vector<std::string>& args) {
  ParsedArgs opt;
  std::string error;
  if (!ParseArgs(args, kOptions, &opt, &error)) return UsageError(kCommand, error);
  if (opt.Has("help")) {
    std::fputs(kExplainHelp, stdout);
    return 0;
  }
  if (opt.operands.size() != 1) return UsageError(kCommand, "expects exactly one FILE");
  const std::string& path = opt.operands[0];
  struct stat st;
  if (path != "-" && stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return UsageError(kCommand, path + " is a directory; explain takes one file (use 'kimitsu scan' for a tree)");
  }
  std::optional<Policy> policy = LoadPolicy(opt.Value("policy"), &error);
  if (!policy) {
    std::fprintf(stderr, "%s: policy error: %s\n", kCommand, error.c_str());
    return 2;
  }

  std::vector<Input> inputs = Walk({path}, WalkOptions{});
  FileRecord record;
  if (inputs.size() != 1 || inputs[0].kind == InputKind::kError) {
    record.path = path;
    record.error = inputs.empty() ? "nothing to read" : inputs[0].error;
  } else {
    std::unique_ptr<Worker> worker = NewWorker();
    if (!worker) {
      record.path = path;
      record.error = "the library could not make a scanner";
    } else {
      kimitsu_scan_options options = KIMITSU_SCAN_OPTIONS_INIT;
      options.flags = KIMITSU_SCAN_EXCERPTS | (opt.Has("show-matches") ? KIMITSU_SCAN_UNMASKED : 0);
      record = ScanInput(inputs[0], *policy, options, *worker, nullptr);
    }
  }
  if (!record.error.empty()) {
    std::fprintf(stderr, "%s: %s: %s\n", kCommand, TerminalSafe(path).c_str(), record.error.c_str());
    return 1;
  }
  Explain(record, *policy, opt.Has("show-matches"));
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::perror("kimitsu explain: cannot write");
    return 1;
  }
  return 0;
}

}  // namespace kimitsu_cli
