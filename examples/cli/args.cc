#include "args.h"

#include <cstdio>

namespace kimitsu_cli {
namespace {

const OptionSpec* FindLong(const std::vector<OptionSpec>& specs, const std::string& name) {
  for (const OptionSpec& s : specs) {
    if (name == s.name) return &s;
  }
  return nullptr;
}

const OptionSpec* FindShort(const std::vector<OptionSpec>& specs, char c) {
  for (const OptionSpec& s : specs) {
    if (s.short_name != 0 && s.short_name == c) return &s;
  }
  return nullptr;
}

}  // namespace

bool ParseArgs(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs, ParsedArgs* out,
               std::string* error) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      out->operands.insert(out->operands.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      return true;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      out->operands.push_back(arg);
      continue;
    }
    const OptionSpec* spec = nullptr;
    std::string shown;
    std::string value;
    bool inline_value = false;
    if (arg[1] == '-') {
      size_t eq = arg.find('=');
      std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      shown = "--" + name;
      spec = FindLong(specs, name);
      if (eq != std::string::npos) {
        inline_value = true;
        value = arg.substr(eq + 1);
      }
    } else {
      shown = arg.substr(0, 2);
      spec = FindShort(specs, arg[1]);
      if (arg.size() > 2) {
        inline_value = true;
        value = arg.substr(2);
      }
    }
    if (spec == nullptr) {
      *error = "unknown option '" + shown + "'";
      return false;
    }
    if (!spec->takes_value) {
      if (inline_value) {
        *error = "option '" + shown + "' takes no value";
        return false;
      }
      out->flags[spec->name] = true;
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        *error = "option '" + shown + "' needs a value";
        return false;
      }
      value = args[++i];
    }
    out->values[spec->name] = value;
  }
  return true;
}

int UsageError(const std::string& command, const std::string& message) {
  std::fprintf(stderr, "%s: %s\nTry '%s --help'.\n", command.c_str(), message.c_str(), command.c_str());
  return 2;
}

}  // namespace kimitsu_cli
