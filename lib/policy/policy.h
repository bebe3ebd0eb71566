// The policy model: tiers and the rules that are evidence for them, as read
// from a policy file and before compilation. Plain data; see loader.h for
// how text becomes a Policy and match/compiled_policy.h for what runs.
#ifndef KIMITSU_POLICY_POLICY_H_
#define KIMITSU_POLICY_POLICY_H_

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace kimitsu::policy {

// Where a thing was written: 1-based line and column, 0 when unknown.
struct SourceLocation {
  int line = 0;
  int column = 0;
};

struct Tier {
  std::string id;
  std::string label;
  std::string description;
  double threshold = 0.5;  // the tier is chosen when its score reaches this
  SourceLocation where;
};

// Where a marking stands on the page. A marking rule gives each placement a
// factor that multiplies its confidence; the best placement that applies wins.
enum class Placement : int {
  kLine = 0,       // alone on its line, decorations and caveat chains aside
  kHeader = 1,     // alone or first on one of the first lines of a page
  kFooter = 2,     // alone or first on one of the last lines of a page
  kLineStart = 3,  // first on its line, followed by a separator or text
  kProse = 4,      // anywhere else: running text
};
inline constexpr size_t kPlacementCount = 5;
const char* PlacementName(Placement p);

enum class MatcherKind { kRegex, kKeywords, kMarking };

// Words near a candidate that raise or lower its confidence, or that it needs.
struct Context {
  std::vector<std::string> words;
  size_t window = 60;       // how far from the match to look...
  bool window_in_tokens = false;  // ...in characters (default) or word tokens
  double boost = 0.0;       // added to the confidence when a word is near
  double penalty = 0.0;     // subtracted when a word is near
  bool required = false;    // drop the candidate when no word is near
  SourceLocation where;
};

struct Rule {
  std::string id;
  std::string description;
  std::string tier;          // the tier id it is evidence for
  std::string entity;        // e.g. CREDIT_CARD, CLASSIFICATION_MARKING
  double confidence = 0.5;   // per finding, before placement and context
  MatcherKind kind = MatcherKind::kRegex;
  std::string regex;                  // kRegex, or kMarking given as a regex
  std::vector<std::string> keywords;  // kKeywords, or kMarking given as words
  // kMarking: factor per Placement, indexed by the enum.
  std::array<double, kPlacementCount> placement = {1.0, 1.0, 1.0, 0.8, 0.1};
  size_t page_lines = 3;     // what "first/last lines of a page" means
  std::string validator;     // name from match/validators.h, or empty
  std::vector<Context> context;
  size_t min_count = 1;      // fewer findings than this count for nothing
  std::optional<double> max_score;  // cap on the rule's combined score
  // Counter-evidence: the tiers this rule's score s weakens (their scores
  // are multiplied by 1 - s). A document bannered UNCLASSIFIED on every
  // page that quotes TOP SECRET//... is a manual, not a secret.
  std::vector<std::string> counters;
  bool case_sensitive = false;
  bool word_boundary = false;
  SourceLocation where;          // the rule
  SourceLocation pattern_where;  // its regex or keywords
};

struct Policy {
  int version = 1;
  std::string name;
  std::string description;
  std::vector<Tier> tiers;   // highest first
  std::string default_tier;  // the id of one of `tiers`
  std::vector<Rule> rules;
  std::string source;        // file name or "<policy>" for error messages
};

}  // namespace kimitsu::policy

#endif  // KIMITSU_POLICY_POLICY_H_
