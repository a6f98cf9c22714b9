// The written-out trunk LSTM of preset "fast" against the module it replaces:
// torch::nn::LSTM over a batch-first sequence, top layer's outputs at every
// tick. Same outputs and same gradients for the input and every weight.
#include <gtest/gtest.h>

#include "model/sequence_lstm.h"
#include "support/same_function.h"

namespace dq::testing {
namespace {

namespace nn = torch::nn;

struct SequenceCase {
  nn::LSTM lstm{nullptr};
  torch::Tensor input;  // [B, T, D]

  SequenceCase(int batch, int ticks, int width, int layers, int hidden, double dropout) {
    torch::manual_seed(5);
    input = torch::randn({batch, ticks, width}).requires_grad_(true);
    lstm = nn::LSTM(nn::LSTMOptions(width, hidden).num_layers(layers).batch_first(true).dropout(dropout));
    // Larger weights than the default initialization reach the saturated ends of the gates.
    torch::NoGradGuard no_grad;
    for (auto& p : lstm->parameters()) p.uniform_(-0.8, 0.8);
  }

  torch::Tensor reference() { return std::get<0>(lstm->forward(input)); }
  torch::Tensor written_out(bool training) {
    return model::sequence_lstm(input, lstm->all_weights(), lstm->options.dropout(), training);
  }
  std::vector<torch::Tensor> parameters() const {
    std::vector<torch::Tensor> all = {input};
    for (const auto& p : lstm->all_weights()) all.push_back(p);
    return all;
  }
};

TEST(CoreSequenceLstm, MatchesTorchLstmAtEveryTickWithGradients) {
  for (auto [batch, ticks, width, layers, hidden] :
       {std::tuple{5, 6, 7, 2, 8}, {3, 1, 4, 1, 16}, {4, 40, 10, 3, 12}, {1, 9, 3, 2, 5}}) {
    SequenceCase setup(batch, ticks, width, layers, hidden, 0.0);
    setup.lstm->train();
    torch::Tensor expected = setup.reference();
    torch::Tensor actual = setup.written_out(true);
    const std::string shape = std::to_string(batch) + "x" + std::to_string(ticks) + "x" + std::to_string(width) + ", " +
                              std::to_string(layers) + " layers of " + std::to_string(hidden);
    expect_same_function(expected, actual, setup.parameters(), shape);
  }
}

TEST(CoreSequenceLstm, DropoutActsOnlyWhenTrainingAndKeepsTheExpectation) {
  SequenceCase setup(300, 5, 6, 2, 8, 0.5);
  setup.lstm->eval();
  torch::Tensor plain = setup.reference();
  expect_close(setup.written_out(false), plain, 2e-5, "not training: no dropout");
  torch::Tensor first = setup.written_out(true);
  torch::Tensor second = setup.written_out(true);
  EXPECT_GT((first - second).abs().max().item<double>(), 1e-3) << "training draws a new mask each call";
  torch::Tensor mean = torch::zeros_like(plain);
  for (int i = 0; i < 50; ++i) mean += setup.written_out(true).detach() / 50;
  EXPECT_LT((mean - plain).abs().mean().item<double>(), 0.1);
}

TEST(CoreSequenceLstm, GradientWithDropoutMatchesFiniteDifferences) {
  // The same seed draws the same masks, so the training function is a fixed
  // function of the input; its directional derivative must match the gradient.
  SequenceCase setup(6, 7, 5, 3, 8, 0.5);
  torch::NoGradGuard no_grad_outside;
  auto run = [&](const torch::Tensor& input) {
    torch::manual_seed(21);
    return model::sequence_lstm(input, setup.lstm->all_weights(), 0.5, true);
  };
  torch::manual_seed(4);
  const torch::Tensor weights = torch::randn({6, 7, 8});
  const torch::Tensor direction = torch::randn({6, 7, 5});
  torch::Tensor gradient;
  {
    torch::AutoGradMode grad_mode(true);
    torch::Tensor input = setup.input.detach().clone().requires_grad_(true);
    gradient = torch::autograd::grad({(run(input) * weights).sum()}, {input})[0];
  }
  const double eps = 1e-2;
  const double numeric = ((run(setup.input + eps * direction) * weights).sum().item<double>() -
                          (run(setup.input - eps * direction) * weights).sum().item<double>()) /
                         (2 * eps);
  const double analytic = (gradient * direction).sum().item<double>();
  EXPECT_NEAR(analytic, numeric, 0.01 * std::abs(numeric) + 1e-3);
  EXPECT_LT((run(setup.input) - run(setup.input)).abs().max().item<double>(), 1e-7) << "same seed, same masks";
}

TEST(CoreSequenceLstm, RejectsAnInputOfTheWrongWidth) {
  SequenceCase setup(2, 3, 6, 1, 4, 0.0);
  EXPECT_THROW(model::sequence_lstm(torch::randn({2, 3, 5}), setup.lstm->all_weights(), 0, false),
               std::invalid_argument);
  EXPECT_THROW(model::sequence_lstm(torch::randn({2, 0, 6}), setup.lstm->all_weights(), 0, false),
               std::invalid_argument);
}

}  // namespace
}  // namespace dq::testing
