// kimitsu — batch triage of a file share with the kimitsu classifier.
//
//   kimitsu scan [options] PATH...     classify files and directories
//   kimitsu explain [options] FILE     why one file got its tier
//   kimitsu policy check FILE          compile a policy and report errors
//   kimitsu policy dump                print the built-in default policy
//   kimitsu --version
//
// This file parses the command words and dispatches; the commands live in
// scan_command.cc, explain.cc and policy_command.cc.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "commands.h"
#include "kimitsu/kimitsu.h"

namespace kimitsu_cli {

const char* CliVersion() { return KIMITSU_CLI_VERSION; }

std::string VersionLine() { return std::string("kimitsu ") + CliVersion() + " (library " + kimitsu_version() + ")"; }

namespace {

const char kUsage[] =
    "usage: kimitsu <command> [options]\n"
    "\n"
    "Classifies documents by sensitivity (designated secrets, protected data,\n"
    "business information) with evidence for each decision.\n"
    "\n"
    "commands:\n"
    "  scan [options] PATH...   classify files and directories (recursively); '-' reads stdin\n"
    "  explain [options] FILE   show how one file was classified: findings, rule scores, decision\n"
    "  policy check FILE        compile a policy file and report its errors\n"
    "  policy dump              print the built-in default policy (YAML)\n"
    "\n"
    "  --version                print the version of the CLI and of the library\n"
    "  --help                   this help; 'kimitsu <command> --help' for a command's\n"
    "\n"
    "exit status: 0 done, 1 output could not be written, 2 usage or policy error,\n"
    "3 --fail-on reached\n";

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string& command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "--version" || command == "-V" || command == "version") {
    std::printf("%s\n", VersionLine().c_str());
    return 0;
  }
  if (command == "scan") return RunScan(rest);
  if (command == "explain") return RunExplain(rest);
  if (command == "policy") return RunPolicy(rest);
  std::fprintf(stderr, "kimitsu: unknown command '%s'\n\n%s", command.c_str(), kUsage);
  return 2;
}

}  // namespace
}  // namespace kimitsu_cli

int main(int argc, char** argv) {
  try {
    return kimitsu_cli::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kimitsu: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "kimitsu: internal error\n");
  }
  return 1;
}
