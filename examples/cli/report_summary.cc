// summary: the triage table for people. Counts and bytes per tier, the rules
// that fired most, then the files of the highest tiers with their strongest
// evidence, the files that could not be scanned, and the throughput.
#include <algorithm>
#include <map>

#include "report.h"
#include "text.h"

namespace kimitsu_cli {
namespace {

constexpr size_t kFilesPerTier = 20;
constexpr size_t kTopRules = 10;
constexpr size_t kErrorsShown = 20;

struct Listing {
  std::string path;
  double score = 0;
  std::string detail;    // encoding and flags
  std::string evidence;  // strongest finding, or the file a link shares
};

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string PadLeft(const std::string& s, size_t width) {
  return s.size() < width ? std::string(width - s.size(), ' ') + s : s;
}

class SummaryReport : public Report {
 public:
  explicit SummaryReport(const ReportContext& ctx)
      : ctx_(ctx),
        files_(ctx.policy->tiers.size(), 0),
        bytes_(ctx.policy->tiers.size(), 0),
        listings_(ctx.policy->tiers.size()) {
    size_t def = ctx.policy->default_tier();
    // The highest tiers (designated_secret and protected in the default
    // policy) are listed; --min-tier T lists every tier down to T.
    listed_tiers_ = ctx.min_tier ? *ctx.min_tier + 1 : std::min<size_t>(2, def);
  }

  void Add(const FileRecord& r) override {
    if (!r.scanned) {
      ++error_count_;
      if (errors_.size() < kErrorsShown) errors_.push_back({r.path, r.error});
      return;
    }
    ++files_[r.tier];
    bytes_[r.tier] += r.bytes;
    for (const std::string& flag : FlagNames(r.flags)) ++flag_files_[flag];
    if (r.link_to.empty()) {  // a link's findings are its target's: count them once
      for (const RuleHit& h : r.rules) {
        if (h.score <= 0) continue;  // short of min_count: not evidence
        RuleCount& c = rules_[h.rule_index];
        ++c.files;
        c.findings += h.count;
      }
    }
    if (r.tier < listed_tiers_ && Listed(ctx_, r)) listings_[r.tier].push_back(Listing{r.path, r.score, Detail(r), Evidence(r)});
  }

  void End(const ScanStats& stats) override {
    const Policy& p = *ctx_.policy;
    std::string o;
    o += Bold("kimitsu scan") + ": " + std::to_string(stats.files) + " files, " + HumanBytes(stats.bytes_scanned) +
         "; policy: " + TerminalSafe(p.source) + "\n\n";

    // Counts per tier.
    size_t w = 6;
    for (const TierInfo& t : p.tiers) w = std::max(w, t.id.size());
    o += "  " + Dim(Pad("TIER", w) + "     FILES        BYTES") + "\n";
    for (size_t t = 0; t < p.tiers.size(); ++t) {
      o += "  " + TierColor(t, Pad(TerminalSafe(p.tiers[t].id), w)) + PadLeft(std::to_string(files_[t]), 10) +
           PadLeft(HumanBytes(bytes_[t]), 13) + "\n";
    }
    o += "  " + Color(error_count_ ? "\x1b[35m" : "", Pad("errors", w)) + PadLeft(std::to_string(error_count_), 10) +
         "\n";

    // Bounds hit and inputs that were not plain text: worth a second look.
    if (!flag_files_.empty()) {
      std::string line;
      for (const auto& [flag, count] : flag_files_) {
        std::string name = flag;
        for (char& c : name) {
          if (c == '_') c = ' ';
        }
        line += (line.empty() ? "" : ", ") + name + " " + std::to_string(count);
      }
      o += "  " + Dim("files flagged: ") + line + "\n";
    }

    // The rules that fired in most files.
    if (!rules_.empty()) {
      std::vector<std::pair<size_t, RuleCount>> top(rules_.begin(), rules_.end());
      std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
        if (a.second.files != b.second.files) return a.second.files > b.second.files;
        if (a.second.findings != b.second.findings) return a.second.findings > b.second.findings;
        return a.first < b.first;
      });
      if (top.size() > kTopRules) top.resize(kTopRules);
      size_t rw = 4;
      for (const auto& [index, count] : top) rw = std::max(rw, p.rules[index].id.size());
      o += "\n  " + Dim(Pad("TOP RULES", rw) + "  " + Pad("TIER", w) + "  FILES  FINDINGS") + "\n";
      for (const auto& [index, count] : top) {
        const RuleInfo& rule = p.rules[index];
        o += "  " + Pad(TerminalSafe(rule.id), rw) + "  " + TierColor(rule.tier_index, Pad(TerminalSafe(rule.tier), w)) +
             PadLeft(std::to_string(count.files), 7) + PadLeft(std::to_string(count.findings), 10) + "\n";
      }
    }

    // The files of the highest tiers, strongest first.
    for (size_t t = 0; t < listed_tiers_ && t < p.tiers.size(); ++t) {
      std::vector<Listing>& list = listings_[t];
      if (list.empty()) continue;
      std::stable_sort(list.begin(), list.end(), [](const Listing& a, const Listing& b) {
        if (a.score != b.score) return a.score > b.score;
        return a.path < b.path;
      });
      std::string title = TerminalSafe(p.tiers[t].id) + " — " + std::to_string(list.size()) +
                          (list.size() == 1 ? " file" : " files");
      if (list.size() > kFilesPerTier) title += " (the " + std::to_string(kFilesPerTier) + " strongest shown)";
      o += "\n  " + TierColor(t, Bold(title)) + "\n";
      for (size_t i = 0; i < list.size() && i < kFilesPerTier; ++i) {
        const Listing& l = list[i];
        o += "  " + Fixed(l.score) + "  " + TerminalSafe(l.path) + "  " + Dim(l.detail) + "\n";
        if (!l.evidence.empty()) o += "        " + l.evidence + "\n";
      }
    }

    if (error_count_ > 0) {
      o += "\n  " + Color("\x1b[35m", Bold("not scanned — " + std::to_string(error_count_) +
                                             (error_count_ == 1 ? " file" : " files"))) +
           "\n";
      for (const auto& [path, error] : errors_) o += "  " + TerminalSafe(path) + ": " + TerminalSafe(error) + "\n";
      if (error_count_ > errors_.size()) {
        o += "  … and " + std::to_string(error_count_ - errors_.size()) + " more (see --format jsonl)\n";
      }
    }

    double mbps = stats.seconds > 0 ? stats.bytes_scanned / stats.seconds / 1e6 : 0;
    o += "\n" + std::to_string(stats.files) + " files, " + HumanBytes(stats.bytes_scanned) + " scanned in " +
         Fixed(stats.seconds) + " s (" + Fixed(mbps, 1) + " MB/s); " + std::to_string(error_count_) +
         (error_count_ == 1 ? " error" : " errors");
    if (stats.links > 0) {
      o += "; " + std::to_string(stats.links) +
           (stats.links == 1 ? " symlink shares" : " symlinks share") + " the classification of its target";
    }
    if (ctx_.min_tier) o += "; lists limited to " + TerminalSafe(p.tiers[*ctx_.min_tier].id) + " and above";
    o += "\n";
    Emit(ctx_, o);
  }

 private:
  struct RuleCount {
    uint64_t files = 0;
    uint64_t findings = 0;
  };

  std::string Detail(const FileRecord& r) const {
    std::string d = r.encoding + ", " + HumanBytes(r.bytes);
    std::string flags = FlagText(r.flags);
    if (!flags.empty()) d += ", " + flags;
    return "(" + d + ")";
  }

  std::string Evidence(const FileRecord& r) const {
    if (!r.link_to.empty()) return "symlink to " + TerminalSafe(r.link_to);
    const FindingRecord* f = StrongestEvidence(r);
    if (f == nullptr) return "";
    std::string e = TerminalSafe(ctx_.policy->rules[f->rule_index].id) + ", line " + std::to_string(f->line) + ": " +
                    TerminalSafe(f->excerpt);
    if (r.total_findings > 1) e += Dim("  (+" + std::to_string(r.total_findings - 1) + " more)");
    return e;
  }

  std::string Color(const char* code, const std::string& s) const {
    if (!ctx_.color || code == nullptr || *code == '\0') return s;
    return std::string(code) + s + "\x1b[0m";
  }
  std::string Bold(const std::string& s) const { return Color("\x1b[1m", s); }
  std::string Dim(const std::string& s) const { return Color("\x1b[2m", s); }
  std::string TierColor(size_t tier, const std::string& s) const {
    if (tier == ctx_.policy->default_tier()) return Color("\x1b[32m", s);
    static const char* const kCodes[] = {"\x1b[1;31m", "\x1b[33m", "\x1b[36m"};
    return Color(tier < 3 ? kCodes[tier] : "", s);
  }

  ReportContext ctx_;
  size_t listed_tiers_ = 0;
  std::vector<uint64_t> files_;
  std::vector<uint64_t> bytes_;
  std::vector<std::vector<Listing>> listings_;
  std::map<size_t, RuleCount> rules_;
  std::map<std::string, uint64_t> flag_files_;  // flag name -> files with it
  uint64_t error_count_ = 0;
  std::vector<std::pair<std::string, std::string>> errors_;
};

}  // namespace

std::unique_ptr<Report> MakeSummaryReport(const ReportContext& ctx) { return std::make_unique<SummaryReport>(ctx); }

}  // namespace kimitsu_cli
