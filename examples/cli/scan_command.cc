// kimitsu scan: options, then walk -> parallel scan -> report.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "args.h"
#include "commands.h"
#include "policy.h"
#include "report.h"
#include "scan.h"
#include "text.h"
#include "walk.h"

namespace kimitsu_cli {
namespace {

const char kCommand[] = "kimitsu scan";

const char kScanHelp[] =
    "usage: kimitsu scan [options] PATH...\n"
    "\n"
    "Classifies every file under each PATH (directories are walked\n"
    "recursively; '-' reads stdin) and reports one record per file, sorted by\n"
    "path. Files that cannot be read are reported with the reason, never skipped.\n"
    "\n"
    "options:\n"
    "  --policy FILE        policy to use (default: the built-in policy)\n"
    "  --format FORMAT      summary, jsonl, csv or sarif (default: summary when the\n"
    "                       output is a terminal, else jsonl)\n"
    "  -o, --output FILE    write the report to FILE instead of stdout\n"
    "  -j, --jobs N         scan N files at a time (default: one per core)\n"
    "  --show-matches       show matched text in excerpts (default: masked)\n"
    "  --all-matches        also list findings of rules short of their min_count\n"
    "                       (\"scored\": false; they never change a tier)\n"
    "  --min-tier TIER      list only files at TIER or higher (the summary's\n"
    "                       counts still cover every file)\n"
    "  --fail-on TIER       exit 3 if any file is at TIER or higher\n"
    "  --follow-symlinks    follow symlinks to directories and to files outside the\n"
    "                       trees given (a directory is walked once: loops end)\n"
    "  -h, --help           this help\n"
    "\n"
    "exit status: 0 done (even if some files could not be read: their records say\n"
    "why), 1 the report could not be written, 2 usage or policy error, 3 --fail-on\n"
    "reached\n";

const std::vector<OptionSpec> kOptions = {
    {"policy", 0, true},         {"format", 0, true},      {"output", 'o', true},
    {"jobs", 'j', true},         {"show-matches", 0, false}, {"min-tier", 0, true},
    {"all-matches", 0, false},
    {"fail-on", 0, true},        {"follow-symlinks", 0, false}, {"help", 'h', false},
};

bool ParseFormat(const std::string& s, Format* out) {
  if (s == "summary") *out = Format::kSummary;
  else if (s == "jsonl") *out = Format::kJsonl;
  else if (s == "csv") *out = Format::kCsv;
  else if (s == "sarif") *out = Format::kSarif;
  else return false;
  return true;
}

bool ParseJobs(const std::string& s, unsigned* out) {
  if (s.empty() || s.size() > 4) return false;
  unsigned n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  if (n < 1 || n > 1024) return false;
  *out = n;
  return true;
}

}  // namespace

int RunScan(const std::vector<std::string>& args) {
  ParsedArgs opt;
  std::string error;
  if (!ParseArgs(args, kOptions, &opt, &error)) return UsageError(kCommand, error);
  if (opt.Has("help")) {
    std::fputs(kScanHelp, stdout);
    return 0;
  }
  if (opt.operands.empty()) return UsageError(kCommand, "no PATH given");

  std::optional<Format> format;
  if (opt.values.count("format")) {
    Format f;
    if (!ParseFormat(opt.Value("format"), &f)) {
      return UsageError(kCommand, "unknown format '" + opt.Value("format") + "' (summary, jsonl, csv or sarif)");
    }
    format = f;
  }
  unsigned jobs = std::thread::hardware_concurrency();
  if (jobs == 0) jobs = 1;
  if (opt.values.count("jobs") && !ParseJobs(opt.Value("jobs"), &jobs)) {
    return UsageError(kCommand, "--jobs needs a number from 1 to 1024, not '" + opt.Value("jobs") + "'");
  }

  std::optional<Policy> policy = LoadPolicy(opt.Value("policy"), &error);
  if (!policy) {
    std::fprintf(stderr, "%s: policy error: %s\n", kCommand, error.c_str());
    return 2;
  }
  std::optional<size_t> min_tier, fail_on;
  for (auto [name, target] : {std::pair{"min-tier", &min_tier}, std::pair{"fail-on", &fail_on}}) {
    if (!opt.values.count(name)) continue;
    *target = policy->FindTier(opt.Value(name));
    if (!*target) {
      return UsageError(kCommand, "unknown tier '" + opt.Value(name) + "' for --" + name +
                                      "; the policy's tiers are: " + policy->TierList());
    }
  }

  // The report goes to stdout or to --output; a report file inside the tree
  // being scanned is not scanned itself.
  std::FILE* out = stdout;
  WalkOptions walk_options;
  walk_options.follow_symlinks = opt.Has("follow-symlinks");
  std::string output_path = opt.Value("output");
  if (opt.values.count("output") && output_path != "-") {
    out = std::fopen(output_path.c_str(), "wb");
    if (out == nullptr) {
      std::fprintf(stderr, "%s: cannot write %s: %s\n", kCommand, output_path.c_str(), ErrnoText(errno).c_str());
      return 2;
    }
    struct stat st;
    if (fstat(fileno(out), &st) == 0 && S_ISREG(st.st_mode)) {
      walk_options.exclude = true;
      walk_options.exclude_dev = st.st_dev;
      walk_options.exclude_ino = st.st_ino;
    }
  }
  static char out_buffer[1 << 16];
  std::setvbuf(out, out_buffer, _IOFBF, sizeof out_buffer);
  bool out_is_tty = isatty(fileno(out)) != 0;
  if (!format) format = out_is_tty ? Format::kSummary : Format::kJsonl;

  ReportContext ctx;
  ctx.policy = &*policy;
  ctx.out = out;
  ctx.min_tier = min_tier;
  ctx.color = *format == Format::kSummary && out_is_tty && std::getenv("NO_COLOR") == nullptr;
  ctx.show_matches = opt.Has("show-matches");
  ctx.version = CliVersion();
  std::unique_ptr<Report> report;
  switch (*format) {
    case Format::kSummary: report = MakeSummaryReport(ctx); break;
    case Format::kJsonl: report = MakeJsonlReport(ctx); break;
    case Format::kCsv: report = MakeCsvReport(ctx); break;
    case Format::kSarif: report = MakeSarifReport(ctx); break;
  }

  std::vector<std::string> notes;
  std::vector<Input> inputs = Walk(opt.operands, walk_options, &notes);
  for (const std::string& note : notes) std::fprintf(stderr, "%s: note: %s\n", kCommand, TerminalSafe(note).c_str());

  ScanSettings settings;
  settings.jobs = jobs;
  settings.options.flags = KIMITSU_SCAN_EXCERPTS | (ctx.show_matches ? KIMITSU_SCAN_UNMASKED : 0) |
                           (opt.Has("all-matches") ? KIMITSU_SCAN_ALL_MATCHES : 0);
  // Progress goes to a terminal on stderr, unless the report itself streams
  // to that terminal (jsonl/csv/sarif records would be cut by the line).
  settings.progress = isatty(STDERR_FILENO) != 0 && !(out_is_tty && *format != Format::kSummary);

  bool fail_reached = false;
  report->Begin();
  ScanStats stats = ScanAll(inputs, *policy, settings, [&](const FileRecord& r) {
    if (fail_on && r.scanned && r.tier <= *fail_on) fail_reached = true;
    report->Add(r);
  });
  report->End(stats);

  bool write_failed = std::fflush(out) != 0 || std::ferror(out);
  int saved_errno = errno;
  if (out != stdout && std::fclose(out) != 0) {
    write_failed = true;
    saved_errno = errno;
  }
  if (write_failed) {
    std::fprintf(stderr, "%s: cannot write the report%s%s: %s\n", kCommand, out == stdout ? "" : " to ",
                 out == stdout ? "" : output_path.c_str(), ErrnoText(saved_errno).c_str());
    return 1;
  }
  if (stats.errors > 0) {
    std::fprintf(stderr, "%s: %llu of %llu files could not be scanned; their records say why\n", kCommand,
                 static_cast<unsigned long long>(stats.errors), static_cast<unsigned long long>(stats.files));
  }
  if (fail_reached) {
    std::fprintf(stderr, "%s: a file is at tier %s or higher (--fail-on)\n", kCommand,
                 policy->tiers[*fail_on].id.c_str());
    return 3;
  }
  return 0;
}

}  // namespace kimitsu_cli
