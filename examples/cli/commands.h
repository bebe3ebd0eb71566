// The commands of the `kimitsu` CLI. Each takes the arguments after its
// command words and returns the exit status: 0 done, 1 the output could not
// be written (or explain's file could not be read), 2 a usage or policy
// error, 3 --fail-on reached.
#ifndef KIMITSU_CLI_COMMANDS_H_
#define KIMITSU_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace kimitsu_cli {

int RunScan(const std::vector<std::string>& args);
int RunExplain(const std::vector<std::string>& args);
int RunPolicy(const std::vector<std::string>& args);

// "kimitsu X.Y.Z (library X.Y.Z)"
std::string VersionLine();
// The CLI's own version.
const char* CliVersion();

}  // namespace kimitsu_cli

#endif  // KIMITSU_CLI_COMMANDS_H_
