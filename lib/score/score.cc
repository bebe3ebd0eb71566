#include "score/score.h"

#include <algorithm>

namespace kimitsu::score {

double RuleScore(const RuleEvidence& e, size_t min_count, std::optional<double> max_score) {
  if (e.count == 0 || e.count < min_count) return 0.0;
  double combined = 1.0 - e.miss;
  double cap = max_score ? std::max(*max_score, 0.0) : e.strongest;
  return std::clamp(std::min(combined, cap), 0.0, 1.0);
}

double CombineScores(std::span<const double> scores) {
  double miss = 1.0;
  for (double s : scores) miss *= 1.0 - std::clamp(s, 0.0, 1.0);
  return 1.0 - miss;
}

size_t DecideTier(std::span<const double> tier_scores, std::span<const double> thresholds,
                  size_t default_tier) {
  for (size_t t = 0; t < tier_scores.size() && t < thresholds.size(); ++t) {
    if (t != default_tier && tier_scores[t] > 0.0 && tier_scores[t] >= thresholds[t]) return t;
  }
  return default_tier;
}

double DecisionScore(std::span<const double> tier_scores, size_t chosen, size_t default_tier) {
  if (chosen != default_tier) return tier_scores[chosen];
  double strongest = 0.0;
  for (size_t t = 0; t < tier_scores.size(); ++t) {
    if (t != default_tier) strongest = std::max(strongest, tier_scores[t]);
  }
  return 1.0 - strongest;
}

}  // namespace kimitsu::score
