// jsonl: one JSON object per input file, one per line.
#include "json.h"
#include "report.h"
#include "text.h"

namespace kimitsu_cli {
namespace {

class JsonlReport : public Report {
 public:
  explicit JsonlReport(const ReportContext& ctx) : ctx_(ctx) {}

  void Add(const FileRecord& r) override {
    if (!Listed(ctx_, r)) return;
    const Policy& p = *ctx_.policy;
    line_.clear();
    JsonWriter j(line_);
    j.BeginObject();
    j.Key("path").String(r.path);
    if (!IsValidUtf8(r.path)) j.Key("path_hex").String(Hex(r.path));
    if (r.scanned) {
      j.Key("tier").String(p.tiers[r.tier].id);
      j.Key("score").Number(r.score);
      j.Key("scores").BeginObject();
      for (size_t t = 0; t < p.tiers.size() && t < r.scores.size(); ++t) j.Key(p.tiers[t].id).Number(r.scores[t]);
      j.EndObject();
      j.Key("bytes").Uint(r.bytes);
      j.Key("encoding").String(r.encoding);
    } else {
      j.Key("tier").Null();
      j.Key("score").Null();
      j.Key("scores").Null();
      j.Key("bytes").Null();
      j.Key("encoding").Null();
    }
    j.Key("findings").BeginArray();
    for (const FindingRecord& f : r.findings) {
      const RuleInfo& rule = p.rules[f.rule_index];
      j.BeginObject();
      j.Key("rule").String(rule.id);
      j.Key("tier").String(rule.tier);
      j.Key("entity").String(rule.entity);
      j.Key("start").Uint(f.start);
      j.Key("end").Uint(f.end);
      j.Key("line").Uint(f.line);
      j.Key("confidence").Number(f.confidence);
      j.Key("placement").String(f.placement);
      j.Key("excerpt").String(f.excerpt);
      j.Key("scored").Bool(f.scored);
      j.EndObject();
    }
    j.EndArray();
    j.Key("total_findings").Uint(r.total_findings);
    j.Key("flags").BeginArray();
    for (const std::string& name : FlagNames(r.flags)) j.String(name);
    j.EndArray();
    if (!r.link_to.empty()) j.Key("link_to").String(r.link_to);
    if (r.error.empty()) {
      j.Key("error").Null();
    } else {
      j.Key("error").String(r.error);
    }
    j.EndObject();
    line_.push_back('\n');
    Emit(ctx_, line_);
  }

 private:
  ReportContext ctx_;
  std::string line_;
};

}  // namespace

std::unique_ptr<Report> MakeJsonlReport(const ReportContext& ctx) { return std::make_unique<JsonlReport>(ctx); }

}  // namespace kimitsu_cli
