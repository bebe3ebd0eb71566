// Fuzz target: policy text. Compiling never crashes or hangs, whatever the
// text; an error always says something; a policy that compiles can scan,
// also a document of several windows with long runs (where the checks for
// long matches run), and no finding is longer than its rule's bound on a
// match's length.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "match/compiled_policy.h"
#include "match/scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kimitsu;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  policy::PolicyError error;
  std::unique_ptr<match::CompiledPolicy> compiled = match::CompiledPolicy::FromText(text, "<fuzz>", {}, &error);
  if (!compiled) {
    FUZZ_CHECK(!error.message.empty());
    FUZZ_CHECK(error.line >= 0 && error.column >= 0);
    return 0;
  }
  static const std::string kDocument =
      "TOP SECRET//SI//NOFORN\n【特定秘密】\n取扱注意\nCustomer card 4111 1111 1111 1111, "
      "個人番号 1234 5678 9018\nuser@example.com 192.0.2.1 社外秘\n";
  match::Scanner scanner;
  match::ScanResult result;
  FUZZ_CHECK(scanner.Scan(*compiled, kDocument, {}, &result).ok());
  FUZZ_CHECK(result.tier < compiled->tier_count());
  FUZZ_CHECK(result.score >= 0.0 && result.score <= 1.0);
  for (const auto& f : result.findings) FUZZ_CHECK(f.start <= f.end && f.end <= kDocument.size());
  static const std::string kLong = [] {  // ASCII, so that spans are as in the normalized text
    std::string s;
    while (s.size() < 12000) {
      s += "TOP SECRET//NOFORN user@example.com 192.0.2.1\n" + std::string(700, 'A') + " key = \"" +
           std::string(1500, 'x') + "\"\n" + std::string(1200, ' ') + "-----BEGIN\n";
    }
    return s;
  }();
  FUZZ_CHECK(scanner.Scan(*compiled, kLong, {}, &result).ok());
  for (const auto& f : result.findings) {
    FUZZ_CHECK(f.start <= f.end && f.end <= kLong.size());
    FUZZ_CHECK(f.end - f.start <= compiled->rules()[f.rule].max_match_bytes);
  }
  return 0;
}
