#include "text/encoding.h"

#include <algorithm>
#include <array>
#include <string>

#include "absl/strings/ascii.h"

namespace kimitsu::text {
namespace {

struct EncodingInfo {
  Encoding encoding;
  std::string_view name;      // reported to users
  const char* icu_converter;  // what ICU converts with (nullptr: done here)
};

constexpr std::array<EncodingInfo, 8> kEncodings = {{
    {Encoding::kUtf8, "UTF-8", nullptr},
    {Encoding::kUtf16LE, "UTF-16LE", "UTF-16LE"},
    {Encoding::kUtf16BE, "UTF-16BE", "UTF-16BE"},
    {Encoding::kShiftJis, "Shift_JIS", "windows-31j"},
    {Encoding::kEucJp, "EUC-JP", "EUC-JP"},
    {Encoding::kIso2022Jp, "ISO-2022-JP", "ISO-2022-JP"},
    {Encoding::kWindows1252, "windows-1252", "windows-1252"},
    {Encoding::kBinary, "binary", nullptr},
}};

const EncodingInfo& Info(Encoding e) { return kEncodings[static_cast<size_t>(e)]; }

}  // namespace

std::string_view EncodingName(Encoding e) { return Info(e).name; }

std::optional<Encoding> ParseEncodingName(std::string_view name) {
  std::string n(name);
  absl::AsciiStrToLower(&n);
  n.erase(std::remove_if(n.begin(), n.end(), [](char c) { return c == '-' || c == '_'; }),
          n.end());
  if (n == "utf8") return Encoding::kUtf8;
  if (n == "utf16le") return Encoding::kUtf16LE;
  if (n == "utf16be") return Encoding::kUtf16BE;
  if (n == "shiftjis" || n == "sjis" || n == "cp932" || n == "windows31j" || n == "mskanji")
    return Encoding::kShiftJis;
  if (n == "eucjp") return Encoding::kEucJp;
  if (n == "iso2022jp" || n == "jis") return Encoding::kIso2022Jp;
  if (n == "windows1252" || n == "cp1252" || n == "latin1" || n == "iso88591")
    return Encoding::kWindows1252;
  if (n == "binary") return Encoding::kBinary;
  return std::nullopt;
}

const char* IcuConverterName(Encoding e) { return Info(e).icu_converter; }

}  // namespace kimitsu::text
