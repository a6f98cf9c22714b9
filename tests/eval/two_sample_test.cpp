#include "eval/two_sample.h"

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "util/error.h"

namespace dq::eval {
namespace {

using Rows = std::vector<std::vector<double>>;

std::vector<std::string> names_of(int features) {
  std::vector<std::string> names;
  for (int f = 0; f < features; ++f) names.push_back("feature " + std::to_string(f));
  return names;
}

// `pieces` rows of standard normal features, feature 0 shifted by `shift`.
Rows normal_rows(int pieces, int features, double shift, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Rows rows(pieces, std::vector<double>(features));
  for (auto& row : rows) {
    for (double& x : row) x = normal(rng);
    row[0] += shift;
  }
  return rows;
}

TEST(TwoSample, SameDistributionGivesChance) {
  Rows a = normal_rows(80, 30, 0.0, 1), b = normal_rows(80, 30, 0.0, 2);
  TwoSampleResult r = two_sample_test(a, b, names_of(30), {});
  EXPECT_NEAR(r.logistic.mean, 0.5, 0.1);
  EXPECT_NEAR(r.mlp.mean, 0.5, 0.1);
  EXPECT_EQ(r.logistic.per_repeat.size(), 10u);
  EXPECT_GT(r.logistic.std, 0.0);
  EXPECT_EQ(r.pieces_per_class, 80);
}

TEST(TwoSample, ShiftedFeatureIsFoundAndNamed) {
  // Four standard deviations apart: the best possible accuracy is 0.977.
  Rows a = normal_rows(60, 30, 4.0, 3), b = normal_rows(90, 30, 0.0, 4);
  TwoSampleResult r = two_sample_test(a, b, names_of(30), {});
  EXPECT_GT(r.logistic.mean, 0.9);
  EXPECT_GT(r.mlp.mean, 0.9);
  EXPECT_EQ(r.pieces_per_class, 60);
  ASSERT_EQ(r.separating.size(), 8u);
  EXPECT_EQ(r.separating[0].name, "feature 0");
  EXPECT_GT(r.separating[0].effect, 2.0);
  EXPECT_NEAR(r.separating[0].mean_a, 4.0, 0.5);
  EXPECT_NEAR(r.separating[0].mean_b, 0.0, 0.5);
  EXPECT_GE(std::fabs(r.separating[0].effect), std::fabs(r.separating[1].effect));
}

TEST(TwoSample, ConstantFeaturesAreHarmless) {
  Rows a = normal_rows(40, 5, 3.0, 5), b = normal_rows(40, 5, 0.0, 6);
  for (auto* rows : {&a, &b}) {
    for (auto& row : *rows) row.push_back(1.0);
  }
  TwoSampleResult r = two_sample_test(a, b, names_of(6), {});
  EXPECT_GT(r.logistic.mean, 0.9);
  EXPECT_EQ(r.separating.back().effect, 0.0);
}

TEST(TwoSample, SameSeedSameResult) {
  Rows a = normal_rows(30, 10, 0.5, 7), b = normal_rows(40, 10, 0.0, 8);
  TwoSampleOptions o;
  o.repeats = 3;
  TwoSampleResult first = two_sample_test(a, b, names_of(10), o);
  TwoSampleResult again = two_sample_test(a, b, names_of(10), o);
  EXPECT_EQ(first.logistic.per_repeat, again.logistic.per_repeat);
  EXPECT_EQ(first.mlp.per_repeat, again.mlp.per_repeat);
  o.seed = 99;
  TwoSampleResult other = two_sample_test(a, b, names_of(10), o);
  EXPECT_NE(first.logistic.per_repeat, other.logistic.per_repeat);
}

TEST(TwoSample, PiecesPerClassCanBeCapped) {
  Rows a = normal_rows(60, 5, 3.0, 12), b = normal_rows(70, 5, 0.0, 13);
  TwoSampleOptions o;
  o.max_per_class = 20;
  TwoSampleResult r = two_sample_test(a, b, names_of(5), o);
  EXPECT_EQ(r.pieces_per_class, 20);
  EXPECT_GT(r.logistic.mean, 0.8);
  o.max_per_class = 4;  // fewer than the folds
  EXPECT_THROW(two_sample_test(a, b, names_of(5), o), Error);
}

TEST(TwoSample, RejectsBadInput) {
  Rows a = normal_rows(4, 3, 0, 9), b = normal_rows(20, 3, 0, 10);
  EXPECT_THROW(two_sample_test(a, b, names_of(3), {}), Error);  // 4 pieces, 5 folds
  Rows c = normal_rows(20, 3, 0, 11);
  EXPECT_THROW(two_sample_test(c, b, names_of(4), {}), Error);  // sizes differ
  TwoSampleOptions one_fold;
  one_fold.folds = 1;
  EXPECT_THROW(two_sample_test(c, b, names_of(3), one_fold), Error);
}

}  // namespace
}  // namespace dq::eval
