// How the evaluation's small classifiers are fitted (the two-sample test's
// logistic regression and MLP, the style classifier): full-batch Adam for
// `epochs` epochs at `learning_rate`, with an L2 penalty of `l2` (half its
// sum of squares) on the weights.
#pragma once

namespace dq::eval {

struct FitOptions {
  double l2 = 0.05;
  double learning_rate = 0.05;
  int epochs = 200;
};

}  // namespace dq::eval
