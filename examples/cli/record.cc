#include "record.h"

#include "kimitsu/kimitsu.h"

namespace kimitsu_cli {
namespace {

struct FlagName {
  uint32_t bit;
  const char* name;
};
const FlagName kFlagNames[] = {
    {KIMITSU_RESULT_FINDINGS_TRUNCATED, "findings_truncated"},
    {KIMITSU_RESULT_LOSSY_DECODE, "lossy_decode"},
    {KIMITSU_RESULT_BINARY, "binary"},
    {KIMITSU_RESULT_ENGINE_LIMIT, "engine_limit"},
    {KIMITSU_RESULT_INPUT_TOO_LARGE, "input_too_large"},
    {KIMITSU_RESULT_INCOMPLETE, "incomplete"},
    {KIMITSU_RESULT_EXCERPTS_TRUNCATED, "excerpts_truncated"},
    {KIMITSU_RESULT_LONG_MATCH, "long_match"},
};

}  // namespace

const FindingRecord* StrongestEvidence(const FileRecord& record) {
  const FindingRecord* best_of_tier = nullptr;
  const FindingRecord* best = nullptr;
  for (const FindingRecord& f : record.findings) {
    if (!f.scored) continue;
    if (f.tier_index == record.tier && (!best_of_tier || f.confidence > best_of_tier->confidence)) best_of_tier = &f;
    if (!best || f.confidence > best->confidence) best = &f;
  }
  return best_of_tier ? best_of_tier : best;
}

std::vector<std::string> FlagNames(uint32_t flags) {
  std::vector<std::string> names;
  uint32_t known = 0;
  for (const FlagName& f : kFlagNames) {
    known |= f.bit;
    if (flags & f.bit) names.push_back(f.name);
  }
  for (uint32_t bit = 1; bit != 0; bit <<= 1) {
    if ((flags & bit) && !(known & bit)) names.push_back("unknown_" + std::to_string(bit));
  }
  return names;
}

std::string FlagText(uint32_t flags) {
  std::string out;
  for (std::string name : FlagNames(flags)) {
    for (char& c : name) {
      if (c == '_') c = ' ';
    }
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace kimitsu_cli
