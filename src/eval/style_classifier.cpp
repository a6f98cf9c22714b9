#include "eval/style_classifier.h"

#include "util/error.h"

namespace dq::eval {

namespace {

const auto kReal = torch::kFloat64;
constexpr double kConstantFeature = 1e-9;  // standard deviations below this: constant

torch::Tensor rows_to_tensor(const std::vector<std::vector<double>>& rows) {
  const int64_t n = static_cast<int64_t>(rows.size()), f = static_cast<int64_t>(rows[0].size());
  torch::Tensor x = torch::empty({n, f}, kReal);
  auto a = x.accessor<double, 2>();
  for (int64_t i = 0; i < n; ++i) {
    if (static_cast<int64_t>(rows[i].size()) != f) throw Error("style classifier: feature vectors differ in size");
    for (int64_t j = 0; j < f; ++j) a[i][j] = rows[i][j];
  }
  return x;
}

}  // namespace

StyleClassifier::StyleClassifier(const std::vector<std::vector<double>>& features, const std::vector<int>& labels,
                                 std::vector<std::string> styles, const FitOptions& o)
    : styles_(std::move(styles)) {
  if (features.empty() || features.size() != labels.size()) {
    throw Error("style classifier: " + std::to_string(features.size()) + " feature vectors for " +
                std::to_string(labels.size()) + " labels");
  }
  const int64_t classes = static_cast<int64_t>(styles_.size());
  std::vector<int64_t> counts(classes, 0);
  for (int label : labels) {
    if (label < 0 || label >= classes) throw Error("style classifier: label out of range");
    ++counts[label];
  }
  for (int64_t c = 0; c < classes; ++c) {
    if (counts[c] == 0) throw Error("style classifier: no piece of style " + styles_[c]);
  }
  torch::Tensor x = rows_to_tensor(features);
  mean_ = x.mean(0);
  sd_ = x.std(0, /*unbiased=*/false);
  sd_ = torch::where(sd_ > kConstantFeature, sd_, torch::ones_like(sd_));
  x = (x - mean_) / sd_;
  torch::Tensor y = torch::tensor(std::vector<int64_t>(labels.begin(), labels.end()), torch::kInt64);
  // Every style weighs the same in the loss: a piece weighs 1 / (its style's count).
  std::vector<double> piece_weight;
  for (int label : labels) piece_weight.push_back(1.0 / static_cast<double>(counts[label] * classes));
  torch::Tensor w_piece = torch::tensor(piece_weight, kReal);

  weight_ = torch::zeros({x.size(1), classes}, kReal).requires_grad_();
  bias_ = torch::zeros({classes}, kReal).requires_grad_();
  torch::optim::Adam adam({weight_, bias_}, torch::optim::AdamOptions(o.learning_rate));
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    adam.zero_grad();
    torch::Tensor log_p = torch::log_softmax(torch::mm(x, weight_) + bias_, 1);
    torch::Tensor nll = -(log_p.gather(1, y.unsqueeze(1)).squeeze(1) * w_piece).sum();
    torch::Tensor loss = nll + 0.5 * o.l2 * weight_.pow(2).sum();
    loss.backward();
    adam.step();
  }
  weight_ = weight_.detach();
  bias_ = bias_.detach();
}

int StyleClassifier::predict(const std::vector<double>& features) const {
  torch::Tensor x = (rows_to_tensor({features}) - mean_) / sd_;
  return static_cast<int>((torch::mm(x, weight_) + bias_).argmax(1).item<int64_t>());
}

}  // namespace dq::eval
