// Fuzz target: the candidate DFAs against RE2. The input's first line is a
// pattern (a leading "(?i)" line prefix "i:" makes it case-insensitive), the
// rest a text. Wherever the pattern compiles and the DFAs can be built, no
// match RE2 finds, from any of several places and to any of several ends,
// starts before the candidate Next() gives (candidate_dfa.h).
#include <re2/re2.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "match/candidate_dfa.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kimitsu::match;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nl = input.find('\n');
  if (nl == std::string_view::npos || nl > 512) return 0;
  std::string_view pattern = input.substr(0, nl);
  const std::string_view text = input.substr(nl + 1);
  bool case_sensitive = true;
  if (pattern.substr(0, 2) == "i:") {
    case_sensitive = false;
    pattern.remove_prefix(2);
  }
  RE2::Options o;
  o.set_case_sensitive(case_sensitive);
  o.set_log_errors(false);
  o.set_max_mem(8 << 20);
  RE2 re(re2::StringPiece(pattern.data(), pattern.size()), o);
  if (!re.ok()) return 0;
  // A small cache too, so that states are built again as the text goes on.
  auto dfa = CandidateDfa::Build({{pattern, case_sensitive}}, size % 2 ? 16 : CandidateDfa::kMaxStates);
  if (dfa == nullptr) return 0;
  CandidateDfa::Scratch cache;
  const size_t n = text.size();
  const size_t places[] = {0, n / 3, n / 2, n > 0 ? n - 1 : 0};
  for (size_t from : places) {
    for (size_t end : {n, from + (n - from) / 2}) {
      const size_t candidate = dfa->Next(text, from, end, cache);
      FUZZ_CHECK(candidate == std::string_view::npos || (candidate >= from && candidate <= end));
      const re2::StringPiece whole(text.data(), end);
      re2::StringPiece m;
      if (re.Match(whole, from, end, RE2::UNANCHORED, &m, 1)) {
        FUZZ_CHECK(candidate <= static_cast<size_t>(m.data() - text.data()));
      }
    }
  }
  return 0;
}
