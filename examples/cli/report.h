// The output formats of `kimitsu scan`. A report receives every record in
// path order, then the totals; each format is one file (report_*.cc).
#ifndef KIMITSU_CLI_REPORT_H_
#define KIMITSU_CLI_REPORT_H_

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "policy.h"
#include "record.h"
#include "scan.h"

namespace kimitsu_cli {

enum class Format { kSummary, kJsonl, kCsv, kSarif };

struct ReportContext {
  const Policy* policy = nullptr;
  std::FILE* out = nullptr;
  // --min-tier: only records at this tier index or higher (lower index) are
  // listed. Records with an error are always listed: they were not
  // classified, and hiding them would hide what was not checked.
  std::optional<size_t> min_tier;
  bool color = false;         // summary: ANSI colours
  bool show_matches = false;  // excerpts are unmasked
  std::string version;        // of the CLI
};

// true when `record` is listed under --min-tier.
inline bool Listed(const ReportContext& ctx, const FileRecord& record) {
  if (!ctx.min_tier || !record.scanned) return true;
  return record.tier <= *ctx.min_tier;
}

class Report {
 public:
  virtual ~Report() = default;
  virtual void Begin() {}
  // Every record, in path order (filtering by --min-tier is the report's).
  virtual void Add(const FileRecord& record) = 0;
  virtual void End(const ScanStats& stats) {}
};

std::unique_ptr<Report> MakeJsonlReport(const ReportContext& ctx);
std::unique_ptr<Report> MakeCsvReport(const ReportContext& ctx);
std::unique_ptr<Report> MakeSarifReport(const ReportContext& ctx);
std::unique_ptr<Report> MakeSummaryReport(const ReportContext& ctx);

// Writes `s` to ctx.out.
inline void Emit(const ReportContext& ctx, const std::string& s) { std::fwrite(s.data(), 1, s.size(), ctx.out); }

}  // namespace kimitsu_cli

#endif  // KIMITSU_CLI_REPORT_H_
