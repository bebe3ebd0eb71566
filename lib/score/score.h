// Scoring: from findings to per-rule scores, per-tier scores and a tier.
//
//   finding     c = rule confidence × placement factor ± context, in [0, 1]
//   rule        s_r = 0 if the rule has fewer than min_count findings, else
//               min(cap_r, 1 − Π(1 − c_i))   (noisy-OR over its findings)
//               cap_r = the rule's max_score if it sets one, else its
//               strongest finding: by default a rule counts once, however
//               often it fires, so 500 e-mail addresses weigh what one does;
//               a rule that means "in quantity" sets max_score above its
//               confidence and lets repetitions accumulate up to it.
//   tier        S_t = 1 − Π(1 − s_r) over the rules of tier t
//   decision    the highest tier with S_t ≥ its threshold, else the default
//               tier, whose reported score is 1 − max_t S_t.
#ifndef KIMITSU_SCORE_SCORE_H_
#define KIMITSU_SCORE_SCORE_H_

#include <cstddef>
#include <optional>
#include <span>

namespace kimitsu::score {

// What one rule found in one document, accumulated finding by finding.
struct RuleEvidence {
  size_t count = 0;
  double strongest = 0.0;     // the highest finding confidence
  double miss = 1.0;          // Π(1 − c_i)

  void Add(double confidence) {
    ++count;
    if (confidence > strongest) strongest = confidence;
    miss *= 1.0 - confidence;
  }
};

double RuleScore(const RuleEvidence& e, size_t min_count, std::optional<double> max_score);

// Noisy-OR of independent pieces of evidence.
double CombineScores(std::span<const double> scores);

// Index of the chosen tier: the first (highest) tier other than the default
// whose score reaches its threshold, else `default_tier`.
size_t DecideTier(std::span<const double> tier_scores, std::span<const double> thresholds,
                  size_t default_tier);

// The score reported with the decision (see the top of this file).
double DecisionScore(std::span<const double> tier_scores, size_t chosen, size_t default_tier);

}  // namespace kimitsu::score

#endif  // KIMITSU_SCORE_SCORE_H_
