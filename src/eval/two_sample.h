// The classifier two-sample test: can a classifier trained on per-piece
// feature vectors (piece_features.h) tell the pieces of set A from those of
// set B when it has not seen them? Held-out accuracy near 0.5 says that the
// features cannot tell the sets apart; near 1.0 that they always can. Two of
// Bach's own sets give about 0.5 (the floor to read every other figure
// against); the report also names the features whose means differ most, so
// that it says what to fix.
//
// The procedure, for each of `repeats` repeats:
// - balance the classes: draw (at random) as many pieces of the larger set as
//   the smaller one has (at most max_per_class of each, where it is set), so
//   that chance is exactly 0.5;
// - stratified k-fold: shuffle each class and deal it into `folds` folds;
//   each fold is predicted once by classifiers trained on the other folds;
// - standardize every feature with the mean and standard deviation of the
//   training folds only (a feature constant there is only centred);
// - train two classifiers from the same start (full batch, Adam, a fixed
//   number of epochs, binary cross-entropy): an L2-regularized logistic
//   regression (loss + l2/2 |w|^2, bias not penalized) and an MLP with one
//   hidden layer of `mlp_hidden` ReLU units (loss + weight_decay/2 |W|^2
//   over both weight matrices), initialized from `seed`.
// The accuracy of a repeat is the fraction of its 2m pieces predicted right;
// the report gives the mean and the standard deviation (n - 1) over repeats.
// On two sets drawn from the same distribution the accuracy comes out a few
// points below 0.5 with small sets (0.43 for 67 of Bach's chorales against 67
// others): held-out pieces are missing from their own class's training folds,
// which pushes that class's mean away from them. Compare a set with a floor
// measured at the same size rather than with 0.5.
// All folds of all repeats are trained at once as one batch of independent
// models (LibTorch bmm), which keeps the test well under a second for 150
// pieces of 100 features. The same inputs and seed give the same result.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "eval/fit_options.h"

namespace dq::eval {

struct TwoSampleOptions {
  int folds = 5;
  int repeats = 10;
  uint64_t seed = 1;
  FitOptions logistic{0.05, 0.05, 200};
  int mlp_hidden = 32;
  FitOptions mlp{0.02, 0.01, 200};  // its l2 is the weight decay of both layers
  int top_features = 8;             // separating features to report
  int max_per_class = 0;            // cap on the pieces drawn per class and repeat (0: none)
};

// Held-out accuracy of one classifier over the repeats.
struct Accuracy {
  double mean = 0;
  double std = 0;
  std::vector<double> per_repeat;
};

// A feature whose means differ between the sets: effect is the standardized
// mean difference (mean_a - mean_b) / sqrt((var_a + var_b) / 2) over all the
// pieces of both sets (sample variances), so positive means A has more.
struct SeparatingFeature {
  std::string name;
  double mean_a = 0;
  double mean_b = 0;
  double effect = 0;
};

struct TwoSampleResult {
  int pieces_per_class = 0;  // after balancing
  int features = 0;
  Accuracy logistic;
  Accuracy mlp;
  std::vector<SeparatingFeature> separating;  // largest |effect| first
};

// Runs the test on feature vectors `a` and `b` (one per piece, all of the
// size of `names`). Throws dq::Error when a set has fewer pieces than
// `folds`, when a vector has the wrong size, or when an option is out of
// range (folds < 2, repeats < 1).
TwoSampleResult two_sample_test(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b,
                                const std::vector<std::string>& names, const TwoSampleOptions& options);

}  // namespace dq::eval
