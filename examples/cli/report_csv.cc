// csv (RFC 4180): a header row, then one row per input file:
// path,tier,score,score_<tier>...,bytes,encoding,findings,top_rule,top_excerpt,error
#include "report.h"
#include "text.h"

namespace kimitsu_cli {
namespace {

// Appends one field, quoted when it holds a comma, a quote or a line break.
void Field(std::string& row, std::string_view value, bool first = false) {
  if (!first) row.push_back(',');
  std::string v = ToValidUtf8(value);
  if (v.find_first_of(",\"\r\n") == std::string::npos) {
    row += v;
    return;
  }
  row.push_back('"');
  for (char c : v) {
    if (c == '"') row.push_back('"');
    row.push_back(c);
  }
  row.push_back('"');
}

class CsvReport : public Report {
 public:
  explicit CsvReport(const ReportContext& ctx) : ctx_(ctx) {}

  void Begin() override {
    std::string row;
    Field(row, "path", true);
    Field(row, "tier");
    Field(row, "score");
    for (const TierInfo& t : ctx_.policy->tiers) Field(row, "score_" + t.id);
    for (const char* name : {"bytes", "encoding", "findings", "top_rule", "top_excerpt", "error"}) Field(row, name);
    row += "\r\n";
    Emit(ctx_, row);
  }

  void Add(const FileRecord& r) override {
    if (!Listed(ctx_, r)) return;
    const Policy& p = *ctx_.policy;
    std::string row;
    Field(row, r.path, true);
    if (r.scanned) {
      Field(row, p.tiers[r.tier].id);
      Field(row, JsonNumber(r.score));
      for (size_t t = 0; t < p.tiers.size(); ++t) Field(row, t < r.scores.size() ? JsonNumber(r.scores[t]) : "");
      Field(row, std::to_string(r.bytes));
      Field(row, r.encoding);
      Field(row, std::to_string(r.total_findings));
      const FindingRecord* top = StrongestEvidence(r);
      Field(row, top ? p.rules[top->rule_index].id : "");
      Field(row, top ? top->excerpt : "");
    } else {
      for (size_t k = 0; k < 2 + p.tiers.size() + 5; ++k) Field(row, "");
    }
    Field(row, r.error);
    row += "\r\n";
    Emit(ctx_, row);
  }

 private:
  ReportContext ctx_;
};

}  // namespace

std::unique_ptr<Report> MakeCsvReport(const ReportContext& ctx) { return std::make_unique<CsvReport>(ctx); }

}  // namespace kimitsu_cli
