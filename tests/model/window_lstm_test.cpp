// The fused window LSTM of preset "deepbach" against the composition it
// replaces: torch::nn::LSTM over the concatenated embeddings, top layer's last
// output. Same outputs and same gradients for embeddings and every weight.
#include <gtest/gtest.h>

#include "model/window_lstm.h"
#include "support/same_function.h"

namespace dq::testing {
namespace {

namespace nn = torch::nn;

struct LstmCase {
  std::vector<nn::Embedding> embeddings;
  nn::LSTM lstm{nullptr};
  torch::Tensor tokens;  // [B, S, T]

  LstmCase(int batch, int ticks, int layers, int hidden, double dropout) {
    torch::manual_seed(3);
    const std::vector<std::pair<int, int>> slots = {{7, 5}, {4, 3}, {9, 6}};  // (vocabulary, width)
    int input = 0;
    std::vector<torch::Tensor> columns;
    for (auto [vocabulary, width] : slots) {
      embeddings.push_back(nn::Embedding(vocabulary, width));
      columns.push_back(torch::randint(vocabulary, {batch, 1, ticks}, torch::kInt64));
      input += width;
    }
    tokens = torch::cat(columns, 1);
    lstm = nn::LSTM(nn::LSTMOptions(input, hidden).num_layers(layers).batch_first(true).dropout(dropout));
    // Larger weights than the default initialization reach the saturated ends of the gates.
    torch::NoGradGuard no_grad;
    for (auto& p : lstm->parameters()) p.uniform_(-0.8, 0.8);
  }

  std::vector<torch::Tensor> tables() const {
    std::vector<torch::Tensor> t;
    for (const auto& e : embeddings) t.push_back(e->weight);
    return t;
  }

  torch::Tensor reference() {
    std::vector<torch::Tensor> parts;
    for (size_t s = 0; s < embeddings.size(); ++s) parts.push_back(embeddings[s]->forward(tokens.select(1, s)));
    return std::get<0>(lstm->forward(torch::cat(parts, -1))).select(1, -1);
  }

  torch::Tensor fused(bool training) {
    return model::window_lstm(tokens, tables(), lstm->all_weights(), lstm->options.dropout(), training);
  }

  std::vector<torch::Tensor> parameters() const {
    std::vector<torch::Tensor> all = tables();
    for (const auto& p : lstm->all_weights()) all.push_back(p);
    return all;
  }
};

TEST(CoreWindowLstm, MatchesTorchLstmOverTheEmbeddingsWithGradients) {
  for (auto [batch, ticks, layers, hidden] : {std::tuple{5, 6, 2, 8}, {3, 1, 1, 16}, {9, 16, 3, 12}}) {
    LstmCase setup(batch, ticks, layers, hidden, 0.0);
    setup.lstm->train();
    torch::Tensor expected = setup.reference();
    torch::Tensor actual = setup.fused(true);
    const std::string shape = std::to_string(batch) + "x" + std::to_string(ticks) + ", " + std::to_string(layers) +
                              " layers of " + std::to_string(hidden);
    expect_same_function(expected, actual, setup.parameters(), shape);
  }
}

TEST(CoreWindowLstm, DropoutActsOnlyWhenTrainingAndKeepsTheExpectation) {
  LstmCase setup(400, 4, 2, 8, 0.5);
  setup.lstm->eval();
  torch::Tensor plain = setup.reference();
  expect_close(setup.fused(false), plain, 2e-5, "not training: no dropout");
  torch::Tensor first = setup.fused(true);
  torch::Tensor second = setup.fused(true);
  EXPECT_GT((first - second).abs().max().item<double>(), 1e-3) << "training draws a new mask each call";
  EXPECT_GT((first - plain).abs().max().item<double>(), 1e-3);
  // Dropout with rescaling keeps the layer-2 input's mean, so the outputs stay near the plain ones on average.
  torch::Tensor mean = torch::zeros_like(plain);
  for (int i = 0; i < 50; ++i) mean += setup.fused(true) / 50;
  EXPECT_LT((mean - plain).abs().mean().item<double>(), 0.1);
}

TEST(CoreWindowLstm, RejectsTokensOutsideTheirEmbedding) {
  LstmCase setup(2, 3, 1, 4, 0.0);
  setup.tokens[1][2][0] = 9;  // slot 2 has 9 tokens: 0..8
  EXPECT_THROW(setup.fused(false), std::invalid_argument);
  setup.tokens[1][2][0] = -1;
  EXPECT_THROW(setup.fused(false), std::invalid_argument);
}

}  // namespace
}  // namespace dq::testing
