// Command-line parsing shared by the commands: long options as "--name
// value" or "--name=value", a few short ones ("-j 4"), "--" ends the
// options, and "-" alone is an operand (stdin).
#ifndef KIMITSU_CLI_ARGS_H_
#define KIMITSU_CLI_ARGS_H_

#include <map>
#include <string>
#include <vector>

namespace kimitsu_cli {

struct OptionSpec {
  const char* name;     // long name without "--"
  char short_name;      // 0 when none
  bool takes_value;
};

struct ParsedArgs {
  std::map<std::string, std::string> values;  // options with a value (the last one given)
  std::map<std::string, bool> flags;          // options without one
  std::vector<std::string> operands;

  bool Has(const std::string& name) const { return values.count(name) || flags.count(name); }
  std::string Value(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? "" : it->second;
  }
};

// Parses `args` (after the command words). On an unknown option or a
// missing value returns false with *error saying which.
bool ParseArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs, ParsedArgs* out,
               std::string* error);

// Prints "kimitsu <command>: <message>" and a hint to stderr; returns 2.
int UsageError(const std::string& command, const std::string& message);

}  // namespace kimitsu_cli

#endif  // KIMITSU_CLI_ARGS_H_
