// kimitsu policy check FILE | kimitsu policy dump
#include <cstdio>

#include "args.h"
#include "commands.h"
#include "default_policy_text.h"
#include "policy.h"

namespace kimitsu_cli {
namespace {

const char kPolicyHelp[] =
    "usage: kimitsu policy check FILE\n"
    "       kimitsu policy dump\n"
    "\n"
    "  check FILE   compile the policy in FILE (YAML or JSON). Prints\n"
    "               'FILE: ok (N tiers, M rules)' and exits 0, or prints the\n"
    "               error as FILE:LINE:COLUMN: ... on stderr and exits 2.\n"
    "  dump         print the built-in default policy, a starting point for your own.\n";

const char kCheckHelp[] =
    "usage: kimitsu policy check FILE\n"
    "\n"
    "Compiles the policy in FILE (YAML or JSON) as 'kimitsu scan --policy FILE'\n"
    "would. Prints 'FILE: ok (N tiers, M rules)' and exits 0, or prints the\n"
    "error with its FILE:LINE:COLUMN on stderr and exits 2.\n";

const char kDumpHelp[] =
    "usage: kimitsu policy dump\n"
    "\n"
    "Prints the built-in default policy (policies/default.yaml as compiled into\n"
    "this program) on stdout.\n";

bool WantsHelp(const std::vector<std::string>& args) {
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

int Check(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::fputs(kCheckHelp, stdout);
    return 0;
  }
  ParsedArgs parsed;
  std::string error;
  if (!ParseArgs(args, {}, &parsed, &error)) return UsageError("kimitsu policy check", error);
  if (parsed.operands.size() != 1) return UsageError("kimitsu policy check", "expects exactly one FILE");
  const std::string& path = parsed.operands[0];
  std::optional<Policy> policy = LoadPolicy(path, &error);
  if (!policy) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  std::printf("%s: ok (%zu tiers, %zu rules)\n", path.c_str(), policy->tiers.size(), policy->rules.size());
  return 0;
}

int Dump(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::fputs(kDumpHelp, stdout);
    return 0;
  }
  if (!args.empty()) return UsageError("kimitsu policy dump", "takes no arguments");
  std::string_view text = DefaultPolicyText();
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::perror("kimitsu policy dump: cannot write");
    return 1;
  }
  return 0;
}

}  // namespace

int RunPolicy(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(kPolicyHelp, stderr);
    return 2;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "--help" || args[0] == "-h") {
    std::fputs(kPolicyHelp, stdout);
    return 0;
  }
  if (args[0] == "check") return Check(rest);
  if (args[0] == "dump") return Dump(rest);
  return UsageError("kimitsu policy", "unknown subcommand '" + args[0] + "' (check or dump)");
}

}  // namespace kimitsu_cli
