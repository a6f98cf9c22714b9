// The written-out trunk LSTM of preset "fast" against the module it replaces:
// torch::nn::LSTM over a batch-first sequence, top layer's outputs at every
// tick. Same outputs and same gradients for the input and every weight.
#include <gtest/gtest.h>

#include "model/sequence_lstm.h"

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

// Gradients of sum(output * weights) for fixed random weights.
std::vector<torch::Tensor> gradients(const torch::Tensor& output, const std::vector<torch::Tensor>& parameters) {
  torch::manual_seed(11);
  torch::Tensor loss = (output * torch::randn(output.sizes())).sum();  // not randn_like: it follows the strides
  return torch::autograd::grad({loss}, parameters);
}

void expect_close(const torch::Tensor& a, const torch::Tensor& b, double tolerance, const std::string& what) {
  ASSERT_EQ(a.sizes(), b.sizes()) << what;
  EXPECT_LT((a - b).abs().max().item<double>(), tolerance) << what;
}

TEST(CoreSequenceLstm, MatchesTorchLstmAtEveryTickWithGradients) {
  for (auto [batch, ticks, width, layers, hidden] :
       {std::tuple{5, 6, 7, 2, 8}, {3, 1, 4, 1, 16}, {4, 40, 10, 3, 12}, {1, 9, 3, 2, 5}}) {
    SequenceCase setup(batch, ticks, width, layers, hidden, 0.0);
    setup.lstm->train();
    torch::Tensor expected = setup.reference();
    torch::Tensor actual = setup.written_out(true);
    const std::string shape = std::to_string(batch) + "x" + std::to_string(ticks) + "x" + std::to_string(width) +
                              ", " + std::to_string(layers) + " layers of " + std::to_string(hidden);
    expect_close(actual, expected, 2e-5, "outputs, " + shape);
    auto expected_grads = gradients(expected, setup.parameters());
    auto actual_grads = gradients(actual, setup.parameters());
    ASSERT_EQ(actual_grads.size(), expected_grads.size());
    for (size_t i = 0; i < actual_grads.size(); ++i)
      expect_close(actual_grads[i], expected_grads[i], 1e-4, "gradient " + std::to_string(i) + ", " + shape);
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

TEST(CoreSequenceLstm, RejectsAnInputOfTheWrongWidth) {
  SequenceCase setup(2, 3, 6, 1, 4, 0.0);
  EXPECT_THROW(model::sequence_lstm(torch::randn({2, 3, 5}), setup.lstm->all_weights(), 0, false),
               std::invalid_argument);
  EXPECT_THROW(model::sequence_lstm(torch::randn({2, 0, 6}), setup.lstm->all_weights(), 0, false),
               std::invalid_argument);
}

}  // namespace
}  // namespace dq::testing
