// Runs the built-in default policy over every document of the labelled
// corpus (tests/corpus/manifest.jsonl) and fails on any document classified
// into another tier than its label. Prints a per-tier confusion matrix and,
// for each mismatch, the findings that decided it.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "match/compiled_policy.h"
#include "match/scanner.h"
#include "policy/default_policy.h"

namespace kimitsu {
namespace {

struct Labelled {
  std::string path;
  std::string tier;
  std::string encoding;
};

std::string CorpusDir() { return std::string(KIMITSU_SOURCE_DIR) + "/tests/corpus/"; }

std::vector<Labelled> ReadManifest() {
  std::vector<Labelled> docs;
  std::ifstream in(CorpusDir() + "manifest.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    YAML::Node n = YAML::Load(line);
    docs.push_back({n["path"].as<std::string>(), n["tier"].as<std::string>(),
                    n["encoding"] ? n["encoding"].as<std::string>() : ""});
  }
  return docs;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The encoding name kimitsu reports for a manifest encoding label.
std::string ExpectedEncoding(const std::string& label) {
  if (label == "UTF-8-BOM") return "UTF-8";
  return label;
}

TEST(CorpusTest, DefaultPolicyClassifiesEveryDocumentAsLabelled) {
  std::vector<Labelled> docs = ReadManifest();
  ASSERT_GE(docs.size(), 80u) << "the corpus manifest lists too few documents";
  policy::PolicyError error;
  auto policy = match::CompiledPolicy::FromText(policy::DefaultPolicyText(), policy::kDefaultPolicySource, {}, &error);
  ASSERT_NE(policy, nullptr) << error.ToString();

  const auto& tiers = policy->spec().tiers;
  std::map<std::pair<std::string, std::string>, int> confusion;
  match::Scanner scanner;
  match::ScanResult result;
  int mismatches = 0;
  std::ostringstream report;
  for (const Labelled& doc : docs) {
    std::string bytes = ReadFile(CorpusDir() + doc.path);
    ASSERT_FALSE(bytes.empty()) << doc.path << " is missing or empty";
    match::ScanOptions options;
    options.excerpts = match::Excerpts::kUnmasked;  // for the mismatch report
    ASSERT_TRUE(scanner.Scan(*policy, bytes, options, &result).ok()) << doc.path;
    std::string got = tiers[result.tier].id;
    ++confusion[{doc.tier, got}];
    EXPECT_EQ(std::string(text::EncodingName(result.encoding)), ExpectedEncoding(doc.encoding))
        << doc.path << ": detected encoding";
    if (got == doc.tier) continue;
    ++mismatches;
    report << "\nMISMATCH " << doc.path << ": expected " << doc.tier << ", got " << got << " (";
    for (size_t t = 0; t < tiers.size(); ++t) report << (t ? " " : "") << tiers[t].id << "=" << result.tier_scores[t];
    report << ")\n";
    for (size_t r = 0; r < result.rule_scores.size(); ++r) {
      if (result.evidence[r].count == 0) continue;
      const auto& spec = *policy->rules()[r].spec;
      report << "  rule " << spec.id << " [" << spec.tier << "] count=" << result.evidence[r].count
             << " score=" << result.rule_scores[r] << "\n";
    }
    size_t shown = 0;
    for (const auto& f : result.findings) {
      if (++shown > 12) break;
      std::string_view t = result.excerpt(f);
      report << "    " << policy->rules()[f.rule].spec->id << " @" << f.start << " '" << t.substr(0, 60)
             << "' c=" << f.confidence << " " << policy::PlacementName(f.placement) << "\n";
    }
  }

  std::ostringstream matrix;
  matrix << "\nconfusion matrix (rows: label, columns: kimitsu)\n" << std::string(20, ' ');
  for (const auto& t : tiers) matrix << t.id.substr(0, 17) << std::string(18 - std::min<size_t>(17, t.id.size()), ' ');
  matrix << "\n";
  for (const auto& row : tiers) {
    matrix << row.id.substr(0, 19) << std::string(20 - std::min<size_t>(19, row.id.size()), ' ');
    for (const auto& col : tiers) {
      std::string cell = std::to_string(confusion[{row.id, col.id}]);
      matrix << cell << std::string(18 - cell.size(), ' ');
    }
    matrix << "\n";
  }
  std::cout << matrix.str() << "documents: " << docs.size() << ", mismatches: " << mismatches << "\n";
  EXPECT_EQ(mismatches, 0) << report.str();
}

}  // namespace
}  // namespace kimitsu
