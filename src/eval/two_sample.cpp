#include "eval/two_sample.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include <torch/torch.h>

#include "util/error.h"

namespace dq::eval {

namespace {

using torch::Tensor;

constexpr double kConstantFeature = 1e-9;  // standard deviations below this: constant
const auto kReal = torch::kFloat64;

// Every fold of every repeat, one independent model each: model j is repeat
// j / folds predicting fold j % folds.
struct Batch {
  Tensor x;      // (models, pieces, features), standardized on the model's training folds
  Tensor y;      // (models, pieces): 1 for set A, 0 for set B
  Tensor train;  // (models, pieces): 1 where the piece is in the model's training folds
  int repeats = 0;
  int folds = 0;
  int pieces = 0;  // per repeat, both classes
};

Tensor to_tensor(std::vector<double>& values, std::vector<int64_t> shape) {
  return torch::from_blob(values.data(), shape, kReal).clone();
}

// Standardizes x with the mean and deviation of the rows where train is 1.
Tensor standardized(const Tensor& x, const Tensor& train) {
  Tensor w = train.unsqueeze(2);
  Tensor count = w.sum(1, true);
  Tensor mean = (x * w).sum(1, true) / count;
  Tensor sd = ((x - mean).pow(2) * w).sum(1, true).div(count).sqrt();
  sd = torch::where(sd > kConstantFeature, sd, torch::ones_like(sd));
  return (x - mean) / sd;
}

int pieces_per_class(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b,
                     const TwoSampleOptions& o) {
  const int smaller = static_cast<int>(std::min(a.size(), b.size()));
  return o.max_per_class > 0 ? std::min(smaller, o.max_per_class) : smaller;
}

Batch make_batch(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b, int features,
                 const TwoSampleOptions& o) {
  std::mt19937_64 rng(o.seed);
  const int m = pieces_per_class(a, b, o);
  Batch batch;
  batch.repeats = o.repeats;
  batch.folds = o.folds;
  batch.pieces = 2 * m;
  std::vector<double> x, y, fold;
  for (int r = 0; r < o.repeats; ++r) {
    for (const auto* set : {&a, &b}) {
      std::vector<size_t> order(set->size());
      std::iota(order.begin(), order.end(), 0);
      std::shuffle(order.begin(), order.end(), rng);
      for (int i = 0; i < m; ++i) {
        const std::vector<double>& row = (*set)[order[i]];
        x.insert(x.end(), row.begin(), row.end());
        y.push_back(set == &a ? 1.0 : 0.0);
        fold.push_back(i % o.folds);
      }
    }
  }
  const int64_t models = static_cast<int64_t>(o.repeats) * o.folds;
  Tensor xs = to_tensor(x, {o.repeats, batch.pieces, features}).repeat_interleave(o.folds, 0);
  batch.y = to_tensor(y, {o.repeats, batch.pieces}).repeat_interleave(o.folds, 0);
  Tensor folds = to_tensor(fold, {o.repeats, batch.pieces}).repeat_interleave(o.folds, 0);
  Tensor held_out = torch::arange(models, kReal).remainder(o.folds).unsqueeze(1);
  batch.train = folds.ne(held_out).to(kReal);
  batch.x = standardized(xs, batch.train);
  return batch;
}

// Mean binary cross-entropy over each model's training pieces, summed over models.
Tensor fit_loss(const Tensor& logits, const Batch& batch) {
  Tensor each = torch::binary_cross_entropy_with_logits(logits, batch.y, {}, {}, at::Reduction::None);
  return ((each * batch.train).sum(1) / batch.train.sum(1)).sum();
}

Accuracy held_out_accuracy(const Tensor& logits, const Batch& batch) {
  Tensor right = logits.gt(0).to(kReal).eq(batch.y).to(kReal) * (1 - batch.train);
  Tensor per_repeat = right.sum(1).view({batch.repeats, batch.folds}).sum(1) / batch.pieces;
  Accuracy accuracy;
  for (int r = 0; r < batch.repeats; ++r) {
    accuracy.per_repeat.push_back(per_repeat[r].item<double>());
  }
  const double n = static_cast<double>(batch.repeats);
  const auto& v = accuracy.per_repeat;
  accuracy.mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
  double squares = 0;
  for (double x : v) squares += (x - accuracy.mean) * (x - accuracy.mean);
  accuracy.std = batch.repeats > 1 ? std::sqrt(squares / (n - 1)) : 0.0;
  return accuracy;
}

// Held-out logits of the L2-regularized logistic regressions.
Tensor logistic_logits(const Batch& batch, const TwoSampleOptions& o) {
  const int64_t models = batch.x.size(0), features = batch.x.size(2);
  Tensor w = torch::zeros({models, features, 1}, kReal).requires_grad_();
  Tensor bias = torch::zeros({models, 1}, kReal).requires_grad_();
  torch::optim::Adam adam({w, bias}, torch::optim::AdamOptions(o.logistic.learning_rate));
  auto forward = [&] { return torch::bmm(batch.x, w).squeeze(2) + bias; };
  for (int epoch = 0; epoch < o.logistic.epochs; ++epoch) {
    adam.zero_grad();
    Tensor loss = fit_loss(forward(), batch) + 0.5 * o.logistic.l2 * w.pow(2).sum();
    loss.backward();
    adam.step();
  }
  torch::NoGradGuard no_grad;
  return forward();
}

// Normal(0, scale^2) weights drawn from `rng`.
Tensor seeded_normal(std::vector<int64_t> shape, double scale, std::mt19937_64& rng) {
  int64_t size = 1;
  for (int64_t s : shape) size *= s;
  std::normal_distribution<double> normal(0.0, scale);
  std::vector<double> values(static_cast<size_t>(size));
  for (double& v : values) v = normal(rng);
  return to_tensor(values, shape);
}

// Held-out logits of the one-hidden-layer MLPs.
Tensor mlp_logits(const Batch& batch, const TwoSampleOptions& o) {
  const int64_t models = batch.x.size(0), features = batch.x.size(2), hidden = o.mlp_hidden;
  std::mt19937_64 rng(o.seed ^ 0x9E3779B97F4A7C15ull);
  Tensor w1 = seeded_normal({models, features, hidden}, std::sqrt(2.0 / features), rng);
  Tensor w2 = seeded_normal({models, hidden, 1}, std::sqrt(1.0 / hidden), rng);
  w1.requires_grad_();
  w2.requires_grad_();
  Tensor b1 = torch::zeros({models, 1, hidden}, kReal).requires_grad_();
  Tensor b2 = torch::zeros({models, 1}, kReal).requires_grad_();
  torch::optim::Adam adam({w1, w2, b1, b2}, torch::optim::AdamOptions(o.mlp.learning_rate));
  auto forward = [&] { return torch::bmm(torch::relu(torch::bmm(batch.x, w1) + b1), w2).squeeze(2) + b2; };
  for (int epoch = 0; epoch < o.mlp.epochs; ++epoch) {
    adam.zero_grad();
    Tensor decay = 0.5 * o.mlp.l2 * (w1.pow(2).sum() + w2.pow(2).sum());
    Tensor loss = fit_loss(forward(), batch) + decay;
    loss.backward();
    adam.step();
  }
  torch::NoGradGuard no_grad;
  return forward();
}

void mean_and_variance(const std::vector<std::vector<double>>& set, size_t f, double& mean, double& variance) {
  mean = 0;
  for (const auto& row : set) mean += row[f];
  mean /= static_cast<double>(set.size());
  variance = 0;
  for (const auto& row : set) variance += (row[f] - mean) * (row[f] - mean);
  variance /= std::max<double>(1.0, static_cast<double>(set.size()) - 1);
}

std::vector<SeparatingFeature> separating_features(const std::vector<std::vector<double>>& a,
                                                   const std::vector<std::vector<double>>& b,
                                                   const std::vector<std::string>& names, int top) {
  std::vector<SeparatingFeature> all;
  for (size_t f = 0; f < names.size(); ++f) {
    SeparatingFeature s;
    s.name = names[f];
    double var_a = 0, var_b = 0;
    mean_and_variance(a, f, s.mean_a, var_a);
    mean_and_variance(b, f, s.mean_b, var_b);
    const double sd = std::max(std::sqrt((var_a + var_b) / 2), kConstantFeature);
    s.effect = (s.mean_a - s.mean_b) / sd;
    all.push_back(s);
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& x, const auto& y) { return std::fabs(x.effect) > std::fabs(y.effect); });
  all.resize(std::min(all.size(), static_cast<size_t>(std::max(0, top))));
  return all;
}

void check_inputs(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b,
                  const std::vector<std::string>& names, const TwoSampleOptions& o) {
  if (o.folds < 2 || o.repeats < 1) {
    throw Error("two-sample test: folds must be at least 2 and repeats at least 1, got " + std::to_string(o.folds) +
                " and " + std::to_string(o.repeats));
  }
  if (o.max_per_class > 0 && o.max_per_class < o.folds) {
    throw Error("two-sample test: at most " + std::to_string(o.max_per_class) + " pieces per class for " +
                std::to_string(o.folds) + " folds");
  }
  if (a.size() < static_cast<size_t>(o.folds) || b.size() < static_cast<size_t>(o.folds)) {
    throw Error("two-sample test: " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                " pieces; each set needs at least " + std::to_string(o.folds) + " (one per fold)");
  }
  for (const auto* set : {&a, &b}) {
    for (const auto& row : *set) {
      if (row.size() != names.size()) {
        throw Error("two-sample test: a feature vector of " + std::to_string(row.size()) + " values for " +
                    std::to_string(names.size()) + " feature names");
      }
    }
  }
}

}  // namespace

TwoSampleResult two_sample_test(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b,
                                const std::vector<std::string>& names, const TwoSampleOptions& options) {
  check_inputs(a, b, names, options);
  TwoSampleResult result;
  result.features = static_cast<int>(names.size());
  result.pieces_per_class = pieces_per_class(a, b, options);
  const Batch batch = make_batch(a, b, result.features, options);
  result.logistic = held_out_accuracy(logistic_logits(batch, options), batch);
  result.mlp = held_out_accuracy(mlp_logits(batch, options), batch);
  result.separating = separating_features(a, b, names, options.top_features);
  return result;
}

}  // namespace dq::eval
