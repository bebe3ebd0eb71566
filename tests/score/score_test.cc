// Scoring: per-rule noisy-OR with min_count and caps, per-tier combination,
// the tier decision and the score reported with it (score/score.h).
#include "score/score.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <optional>
#include <vector>

namespace kimitsu::score {
namespace {

RuleEvidence Evidence(std::initializer_list<double> confidences) {
  RuleEvidence e;
  for (double c : confidences) e.Add(c);
  return e;
}

double Combine(std::initializer_list<double> scores) {
  std::vector<double> v(scores);
  return CombineScores(v);
}

TEST(RuleEvidenceTest, AccumulatesCountStrongestAndMiss) {
  RuleEvidence e;
  EXPECT_EQ(e.count, 0u);
  EXPECT_EQ(e.strongest, 0.0);
  EXPECT_EQ(e.miss, 1.0);
  e.Add(0.3);
  e.Add(0.6);
  e.Add(0.5);
  EXPECT_EQ(e.count, 3u);
  EXPECT_DOUBLE_EQ(e.strongest, 0.6);
  EXPECT_DOUBLE_EQ(e.miss, 0.7 * 0.4 * 0.5);
}

TEST(RuleScoreTest, NoEvidenceScoresZero) {
  EXPECT_EQ(RuleScore(RuleEvidence{}, 1, std::nullopt), 0.0);
  EXPECT_EQ(RuleScore(RuleEvidence{}, 1, 0.9), 0.0);
  // min_count 0 must not make an empty rule count.
  EXPECT_EQ(RuleScore(RuleEvidence{}, 0, 0.9), 0.0);
}

TEST(RuleScoreTest, OneFindingScoresItsConfidence) {
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({0.6}), 1, std::nullopt), 0.6);
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({0.6}), 1, 0.9), 0.6);
}

TEST(RuleScoreTest, DefaultCapIsTheStrongestFinding) {
  // 500 weak findings weigh what one does.
  RuleEvidence many;
  for (int i = 0; i < 500; ++i) many.Add(0.05);
  EXPECT_DOUBLE_EQ(RuleScore(many, 1, std::nullopt), 0.05);
  // Mixed findings: noisy-OR is 1 - 0.7*0.4 = 0.72, capped at the strongest 0.6.
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({0.3, 0.6}), 1, std::nullopt), 0.6);
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({0.5, 0.5, 0.5}), 1, std::nullopt), 0.5);
}

TEST(RuleScoreTest, ExplicitMaxScoreLetsRepetitionsAccumulate) {
  RuleEvidence three = Evidence({0.5, 0.5, 0.5});  // noisy-OR 0.875
  EXPECT_DOUBLE_EQ(RuleScore(three, 1, 0.8), 0.8);
  EXPECT_DOUBLE_EQ(RuleScore(three, 1, 0.95), 0.875);
  EXPECT_DOUBLE_EQ(RuleScore(three, 1, 1.0), 0.875);
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({0.5, 0.5}), 1, 0.95), 0.75);
  // A cap below the strongest finding caps that too.
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({0.9}), 1, 0.5), 0.5);
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({0.9}), 1, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({0.9}), 1, -1.0), 0.0);  // clamped
}

TEST(RuleScoreTest, MinCount) {
  EXPECT_EQ(RuleScore(Evidence({0.4, 0.4}), 3, 0.9), 0.0);
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({0.4, 0.4, 0.4}), 3, 0.9), 1.0 - 0.6 * 0.6 * 0.6);
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({0.4, 0.4, 0.4}), 3, std::nullopt), 0.4);
  EXPECT_EQ(RuleScore(Evidence({0.9}), 2, std::nullopt), 0.0);
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({0.9, 0.1}), 2, std::nullopt), 0.9);
}

TEST(RuleScoreTest, CertainFindingScoresOne) {
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({1.0, 0.2}), 1, std::nullopt), 1.0);
  EXPECT_DOUBLE_EQ(RuleScore(Evidence({1.0}), 1, 0.7), 0.7);
}

TEST(CombineScoresTest, NoisyOr) {
  EXPECT_EQ(Combine({}), 0.0);
  EXPECT_DOUBLE_EQ(Combine({0.5}), 0.5);
  EXPECT_DOUBLE_EQ(Combine({0.5, 0.5}), 0.75);
  EXPECT_DOUBLE_EQ(Combine({0.2, 0.3, 0.5}), 1.0 - 0.8 * 0.7 * 0.5);  // 0.72
  EXPECT_NEAR(Combine({0.2, 0.3, 0.5}), 0.72, 1e-12);
  EXPECT_DOUBLE_EQ(Combine({0.0, 0.0}), 0.0);
  EXPECT_DOUBLE_EQ(Combine({1.0, 0.3}), 1.0);
  EXPECT_DOUBLE_EQ(Combine({0.9, 0.9, 0.9}), 1.0 - 0.1 * 0.1 * 0.1);
}

TEST(CombineScoresTest, ClampsOutOfRangeInputs) {
  EXPECT_DOUBLE_EQ(Combine({1.5}), 1.0);
  EXPECT_DOUBLE_EQ(Combine({-0.5, 0.5}), 0.5);
}

TEST(CombineScoresTest, OrderDoesNotMatter) {
  EXPECT_DOUBLE_EQ(Combine({0.1, 0.7, 0.35}), Combine({0.35, 0.1, 0.7}));
}

// Tiers as in the default policy: three with evidence, then the default.
const std::vector<double> kThresholds = {0.6, 0.5, 0.5, 0.5};
constexpr size_t kDefault = 3;

TEST(DecideTierTest, PicksHighestTierMeetingItsThreshold) {
  EXPECT_EQ(DecideTier(std::vector<double>{0.7, 0.9, 0.8, 0.0}, kThresholds, kDefault), 0u);
  // The top tier has more evidence than the others but not enough for its threshold.
  EXPECT_EQ(DecideTier(std::vector<double>{0.59, 0.5, 0.9, 0.0}, kThresholds, kDefault), 1u);
  EXPECT_EQ(DecideTier(std::vector<double>{0.59, 0.49, 0.9, 0.0}, kThresholds, kDefault), 2u);
}

TEST(DecideTierTest, DefaultTierWhenNoneReachesItsThreshold) {
  EXPECT_EQ(DecideTier(std::vector<double>{0.59, 0.49, 0.49, 0.0}, kThresholds, kDefault), kDefault);
  EXPECT_EQ(DecideTier(std::vector<double>{0.0, 0.0, 0.0, 0.0}, kThresholds, kDefault), kDefault);
  // The default tier's own score never decides anything.
  EXPECT_EQ(DecideTier(std::vector<double>{0.0, 0.0, 0.0, 1.0}, kThresholds, kDefault), kDefault);
}

TEST(DecideTierTest, ScoreExactlyAtThresholdCounts) {
  EXPECT_EQ(DecideTier(std::vector<double>{0.6, 0.0, 0.0, 0.0}, kThresholds, kDefault), 0u);
  EXPECT_EQ(DecideTier(std::vector<double>{0.0, 0.5, 0.0, 0.0}, kThresholds, kDefault), 1u);
  // A noisy-OR that lands exactly on a threshold: 1 - 0.5*0.5 = 0.75.
  std::vector<double> thresholds = {0.75, 0.5};
  EXPECT_EQ(DecideTier(std::vector<double>{Combine({0.5, 0.5}), 0.0}, thresholds, 1), 0u);
}

TEST(DecideTierTest, ZeroScoreNeverChoosesATier) {
  // A threshold of 0 still needs some evidence.
  std::vector<double> thresholds = {0.0, 0.0, 0.5};
  EXPECT_EQ(DecideTier(std::vector<double>{0.0, 0.0, 0.0}, thresholds, 2), 2u);
  EXPECT_EQ(DecideTier(std::vector<double>{0.0, 0.01, 0.0}, thresholds, 2), 1u);
  std::vector<double> one = {1.0, 0.5};
  EXPECT_EQ(DecideTier(std::vector<double>{0.99, 0.0}, one, 1), 1u);
  EXPECT_EQ(DecideTier(std::vector<double>{1.0, 0.0}, one, 1), 0u);
}

TEST(DecideTierTest, TwoTierPolicy) {
  std::vector<double> thresholds = {0.5, 0.5};
  EXPECT_EQ(DecideTier(std::vector<double>{0.5, 0.0}, thresholds, 1), 0u);
  EXPECT_EQ(DecideTier(std::vector<double>{0.4999, 0.0}, thresholds, 1), 1u);
}

TEST(DecisionScoreTest, ChosenTierReportsItsScore) {
  std::vector<double> scores = {0.7, 0.9, 0.2, 0.0};
  EXPECT_DOUBLE_EQ(DecisionScore(scores, 0, kDefault), 0.7);
  EXPECT_DOUBLE_EQ(DecisionScore(scores, 1, kDefault), 0.9);
}

TEST(DecisionScoreTest, DefaultTierReportsOneMinusStrongestOther) {
  EXPECT_DOUBLE_EQ(DecisionScore(std::vector<double>{0.3, 0.45, 0.1, 0.0}, kDefault, kDefault), 0.55);
  EXPECT_DOUBLE_EQ(DecisionScore(std::vector<double>{0.0, 0.0, 0.0, 0.0}, kDefault, kDefault), 1.0);
  // The default tier's own entry is ignored.
  EXPECT_DOUBLE_EQ(DecisionScore(std::vector<double>{0.2, 0.0, 0.0, 0.9}, kDefault, kDefault), 0.8);
}

TEST(DecisionEndToEndTest, RulesToTier) {
  // Two rules for tier 0 and one for tier 1, combined as the scanner does.
  double r0 = RuleScore(Evidence({0.4, 0.4}), 1, 0.9);   // 0.64
  double r1 = RuleScore(Evidence({0.3}), 1, std::nullopt);  // 0.3
  double r2 = RuleScore(Evidence({0.5}), 1, std::nullopt);  // 0.5
  std::vector<double> tiers = {Combine({r0, r1}), Combine({r2}), 0.0};
  EXPECT_DOUBLE_EQ(tiers[0], 1.0 - (1.0 - 0.64) * 0.7);  // 0.748
  std::vector<double> thresholds = {0.75, 0.5, 0.5};
  size_t chosen = DecideTier(tiers, thresholds, 2);
  EXPECT_EQ(chosen, 1u);  // 0.748 misses 0.75; tier 1 has 0.5
  EXPECT_DOUBLE_EQ(DecisionScore(tiers, chosen, 2), 0.5);
}

}  // namespace
}  // namespace kimitsu::score
