// sarif: SARIF 2.1.0, one run. Rules are the policy's; each finding is a
// result located by byte offset, length and line; each classified file is
// an artifact carrying its tier, score and encoding; files that could not be
// scanned are tool execution notifications. Results are written as they
// come; artifacts and notifications (small) are written after them.
#include <cctype>

#include "json.h"
#include "report.h"
#include "text.h"

namespace kimitsu_cli {
namespace {

// `path` as a URI reference: unreserved characters and '/' as they are,
// every other byte percent-encoded (so ':' in a name cannot look like a
// scheme); an absolute path becomes a file:// URI.
std::string PathUri(const std::string& path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = path.size() > 0 && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

class SarifReport : public Report {
 public:
  explicit SarifReport(const ReportContext& ctx) : ctx_(ctx), artifacts_json_(artifacts_), notes_json_(notes_) {
    artifacts_json_.BeginArray();
    notes_json_.BeginArray();
  }

  void Begin() override {
    const Policy& p = *ctx_.policy;
    std::string s;
    JsonWriter j(s);
    j.BeginObject();
    j.Key("$schema").String("https://json.schemastore.org/sarif-2.1.0.json");
    j.Key("version").String("2.1.0");
    j.Key("runs").BeginArray().BeginObject();
    j.Key("tool").BeginObject().Key("driver").BeginObject();
    j.Key("name").String("kimitsu");
    j.Key("version").String(ctx_.version);
    j.Key("semanticVersion").String(ctx_.version);
    j.Key("rules").BeginArray();
    for (const RuleInfo& rule : p.rules) {
      j.BeginObject();
      j.Key("id").String(rule.id);
      j.Key("shortDescription").BeginObject().Key("text").String(rule.description.empty() ? rule.id : rule.description);
      j.EndObject();
      j.Key("defaultConfiguration").BeginObject().Key("level").String(Level(rule.tier_index)).EndObject();
      j.Key("properties").BeginObject();
      j.Key("tier").String(rule.tier);
      j.Key("entity").String(rule.entity);
      j.Key("confidence").Number(rule.confidence);
      j.EndObject();
      j.EndObject();
    }
    j.EndArray();
    j.EndObject().EndObject();  // driver, tool
    // The rest of the run is closed by End(); the results array stays open.
    s += ",\"results\":[\n";
    Emit(ctx_, s);
  }

  void Add(const FileRecord& r) override {
    if (!r.scanned) {
      notes_json_.BeginObject();
      notes_json_.Key("level").String("error");
      notes_json_.Key("message").BeginObject().Key("text").String(r.path + ": " + r.error).EndObject();
      notes_json_.Key("locations").BeginArray().BeginObject();
      notes_json_.Key("physicalLocation").BeginObject();
      notes_json_.Key("artifactLocation").BeginObject().Key("uri").String(PathUri(r.path)).EndObject();
      notes_json_.EndObject().EndObject().EndArray();
      notes_json_.EndObject();
      return;
    }
    if (!Listed(ctx_, r)) return;
    const Policy& p = *ctx_.policy;
    size_t artifact = artifact_count_++;
    std::string uri = PathUri(r.path);

    artifacts_json_.BeginObject();
    artifacts_json_.Key("location").BeginObject().Key("uri").String(uri).EndObject();
    artifacts_json_.Key("length").Uint(r.bytes);
    artifacts_json_.Key("properties").BeginObject();
    artifacts_json_.Key("tier").String(p.tiers[r.tier].id);
    artifacts_json_.Key("score").Number(r.score);
    artifacts_json_.Key("encoding").String(r.encoding);
    artifacts_json_.Key("totalFindings").Uint(r.total_findings);
    artifacts_json_.Key("flags").BeginArray();
    for (const std::string& name : FlagNames(r.flags)) artifacts_json_.String(name);
    artifacts_json_.EndArray();
    if (!r.link_to.empty()) artifacts_json_.Key("linkTo").String(r.link_to);
    artifacts_json_.EndObject();
    artifacts_json_.EndObject();

    std::string s;
    for (const FindingRecord& f : r.findings) {
      const RuleInfo& rule = p.rules[f.rule_index];
      s.clear();
      if (results_ > 0) s += ",\n";
      ++results_;
      JsonWriter j(s);
      j.BeginObject();
      j.Key("ruleId").String(rule.id);
      j.Key("ruleIndex").Uint(f.rule_index);
      j.Key("level").String(Level(f.tier_index));
      std::string text = rule.description.empty() ? rule.id : rule.description;
      if (!f.excerpt.empty()) text += ": " + f.excerpt;
      j.Key("message").BeginObject().Key("text").String(text).EndObject();
      j.Key("locations").BeginArray().BeginObject();
      j.Key("physicalLocation").BeginObject();
      j.Key("artifactLocation").BeginObject().Key("uri").String(uri).Key("index").Uint(artifact).EndObject();
      j.Key("region").BeginObject();
      j.Key("byteOffset").Uint(f.start);
      j.Key("byteLength").Uint(f.end - f.start);
      if (f.line > 0) j.Key("startLine").Uint(f.line);
      j.EndObject();
      j.EndObject().EndObject().EndArray();  // physicalLocation, location, locations
      j.Key("properties").BeginObject();
      j.Key("tier").String(rule.tier);
      j.Key("entity").String(rule.entity);
      j.Key("confidence").Number(f.confidence);
      j.Key("placement").String(f.placement);
      j.Key("fileTier").String(p.tiers[r.tier].id);
      j.Key("fileScore").Number(r.score);
      j.EndObject();
      j.EndObject();
      Emit(ctx_, s);
    }
  }

  void End(const ScanStats& stats) override {
    const Policy& p = *ctx_.policy;
    artifacts_json_.EndArray();
    notes_json_.EndArray();
    std::string s = "\n],\"artifacts\":";
    s += artifacts_;
    s += ",\"invocations\":[";
    JsonWriter j(s);
    j.BeginObject();
    j.Key("executionSuccessful").Bool(true);
    j.Key("toolExecutionNotifications").Raw(notes_);
    j.EndObject();
    s += "],\"properties\":";
    std::string props;
    JsonWriter pj(props);
    pj.BeginObject();
    pj.Key("policy").String(p.source);
    pj.Key("tiers").BeginArray();
    for (const TierInfo& t : p.tiers) pj.String(t.id);
    pj.EndArray();
    if (ctx_.min_tier) pj.Key("minTier").String(p.tiers[*ctx_.min_tier].id);
    pj.Key("filesScanned").Uint(stats.files);
    pj.Key("bytesScanned").Uint(stats.bytes_scanned);
    pj.Key("errors").Uint(stats.errors);
    pj.EndObject();
    s += props;
    s += "}]}\n";
    Emit(ctx_, s);
  }

 private:
  // designated_secret and protected (tiers 0 and 1) are errors,
  // business_related (tier 2) a warning, anything lower, and the default
  // tier of any policy, a note.
  const char* Level(size_t tier_index) const {
    if (tier_index == ctx_.policy->default_tier()) return "note";
    if (tier_index <= 1) return "error";
    if (tier_index == 2) return "warning";
    return "note";
  }

  ReportContext ctx_;
  std::string artifacts_;
  std::string notes_;
  JsonWriter artifacts_json_;
  JsonWriter notes_json_;
  size_t artifact_count_ = 0;
  size_t results_ = 0;
};

}  // namespace

std::unique_ptr<Report> MakeSarifReport(const ReportContext& ctx) { return std::make_unique<SarifReport>(ctx); }

}  // namespace kimitsu_cli
