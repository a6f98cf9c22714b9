// How the evaluation's small classifiers are fitted (the two-sample test's
// logistic regression and MLP, the style classifier): full-batch Adam with
// an L2 penalty on the weights.
#pragma once

namespace dq::eval {

struct FitOptions {
  double l2 = 0.05;             // the penalty is l2 times half the weights' sum of squares
  double learning_rate = 0.05;  // Adam's
  int epochs = 200;             // full-batch steps
};

}  // namespace dq::eval
