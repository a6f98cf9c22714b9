// A style classifier: which composer's style a piece sounds like, from its
// feature vector (piece_features.h). A multinomial logistic regression,
// L2-regularized, trained full-batch (Adam) on the standardized features of
// pieces with known styles, every style weighted equally whatever its
// number of pieces. The quartet evaluation trains it on real movements of the
// training split, checks it on held-out movements (how well the features tell
// the styles apart at all) and then labels generated pieces: if style
// conditioning works, a piece generated "in Mozart's style" is labelled
// Mozart. The same inputs give the same classifier.
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

#include "eval/fit_options.h"

namespace dq::eval {

class StyleClassifier {
 public:
  // Trains on `features` (one vector per piece, all of one size) labelled
  // `labels` (indices into `styles`). Throws dq::Error when the sizes do not
  // agree or a style has no piece.
  StyleClassifier(const std::vector<std::vector<double>>& features, const std::vector<int>& labels,
                  std::vector<std::string> styles, const FitOptions& options = {0.05, 0.05, 300});

  // The index into styles() of the most likely style of a piece.
  int predict(const std::vector<double>& features) const;
  const std::vector<std::string>& styles() const { return styles_; }

 private:
  std::vector<std::string> styles_;
  torch::Tensor mean_, sd_;      // standardization of the training features
  torch::Tensor weight_, bias_;  // [features, styles], [styles]
};

}  // namespace dq::eval
