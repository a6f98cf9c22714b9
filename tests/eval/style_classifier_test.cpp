#include "eval/style_classifier.h"

#include <random>

#include <gtest/gtest.h>

#include "util/error.h"

namespace dq::eval {
namespace {

using Rows = std::vector<std::vector<double>>;

// `pieces` rows of 10 standard normal features, feature `style` shifted by `shift`.
Rows style_rows(int pieces, int style, double shift, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  Rows rows(pieces, std::vector<double>(10));
  for (auto& row : rows) {
    for (double& x : row) x = normal(rng);
    row[style] += shift;
  }
  return rows;
}

double held_out_accuracy(double shift, const std::vector<int>& train_counts) {
  std::mt19937_64 rng(7);
  Rows train;
  std::vector<int> labels;
  for (int s = 0; s < 3; ++s) {
    for (auto& row : style_rows(train_counts[s], s, shift, rng)) {
      train.push_back(row);
      labels.push_back(s);
    }
  }
  StyleClassifier classifier(train, labels, {"a", "b", "c"});
  int right = 0, total = 0;
  for (int s = 0; s < 3; ++s) {
    for (const auto& row : style_rows(100, s, shift, rng)) {
      right += classifier.predict(row) == s;
      ++total;
    }
  }
  return static_cast<double>(right) / total;
}

TEST(StyleClassifier, TellsSeparableStylesApart) { EXPECT_GT(held_out_accuracy(4.0, {60, 60, 60}), 0.95); }

TEST(StyleClassifier, IsAtChanceWhenStylesDoNotDiffer) {
  EXPECT_NEAR(held_out_accuracy(0.0, {60, 60, 60}), 1.0 / 3, 0.1);
}

TEST(StyleClassifier, WeighsStylesEquallyWhateverTheirSize) {
  // One style with ten times the pieces of the others: an unweighted fit
  // would label most ambiguous pieces with it.
  std::mt19937_64 rng(3);
  Rows train;
  std::vector<int> labels;
  const int counts[] = {300, 30, 30};
  for (int s = 0; s < 3; ++s) {
    for (auto& row : style_rows(counts[s], s, 1.0, rng)) {
      train.push_back(row);
      labels.push_back(s);
    }
  }
  StyleClassifier classifier(train, labels, {"big", "small", "smaller"});
  int labelled_big = 0;
  for (int s = 1; s < 3; ++s) {
    for (const auto& row : style_rows(200, s, 1.0, rng)) labelled_big += classifier.predict(row) == 0;
  }
  EXPECT_LT(labelled_big, 200);  // of 400: far from "everything is the big style"
}

TEST(StyleClassifier, RejectsBadInput) {
  EXPECT_THROW(StyleClassifier({{1.0}, {2.0}}, {0}, {"a"}), Error);
  EXPECT_THROW(StyleClassifier({{1.0}, {2.0}}, {0, 0}, {"a", "b"}), Error);  // style b has no piece
  EXPECT_THROW(StyleClassifier({{1.0}, {2.0, 3.0}}, {0, 1}, {"a", "b"}), Error);
  EXPECT_THROW(StyleClassifier({{1.0}, {2.0}}, {0, 2}, {"a", "b"}), Error);
}

}  // namespace
}  // namespace dq::eval
