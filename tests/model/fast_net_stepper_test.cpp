// FastNet one tick at a time (the sweep sampler's path) against the training
// forward: the same logits for every voice at every tick, to float rounding,
// on a 2-layer network with float16-representable weights (as every shipped
// model has), for one piece (the matrix-vector path) and for five (the
// matrix-product path), over a whole piece and over a region inside it,
// with and without an interval bias.
#include <gtest/gtest.h>

#include <random>

#include "corpus/encoding.h"
#include "model/fast_net.h"
#include "model/fast_net_stepper.h"
#include "support/core_test_util.h"

namespace dq::testing {
namespace {

using model::FastNetStepper;

struct Case {
  int64_t pieces, first, count;
  int interval_range = 0;  // ModelConfig::interval_range
};

class CoreFastNetStepper : public ::testing::TestWithParam<Case> {};

TEST_P(CoreFastNetStepper, LogitsEqualTheTrainingForward) {
  const Case param = GetParam();
  model::ModelConfig c = fixture_config(corpus::kNumMetaChannels);
  c.lstm_layers = 2;
  c.interval_range = param.interval_range;
  torch::manual_seed(3);
  model::FastNet net(c);
  torch::NoGradGuard no_grad;
  if (c.interval_range > 0) net->interval_table().normal_();
  for (auto& p : net->parameters()) {
    p.mul_(3);  // larger than the initialization, so that every gate and ReLU is exercised
    p.copy_(p.to(torch::kHalf).to(torch::kFloat32));
  }
  net->eval();
  const int64_t B = param.pieces, L = 40;
  std::mt19937 rng(5);
  torch::Tensor tokens = torch::empty({B, 4, L}, torch::kInt64),
                meta = torch::empty({B, c.meta_channels, L}, torch::kInt64);
  for (int64_t b = 0; b < B; ++b) {
    for (int v = 0; v < 4; ++v)
      for (int64_t t = 0; t < L; ++t)
        tokens[b][v][t] = std::uniform_int_distribution<int>(0, c.voice_vocab_size(v) - 1)(rng);
    for (int ch = 0; ch < c.meta_channels; ++ch)
      for (int64_t t = 0; t < L; ++t)
        meta[b][ch][t] = std::uniform_int_distribution<int>(0, c.meta_sizes()[ch] - 1)(rng);
  }
  const auto expected = net->forward(tokens, meta);

  FastNetStepper stepper(*net, tokens, meta, param.first, param.count);
  const int H = c.lstm_hidden;
  torch::Tensor past = torch::empty({B, L, H}), future = torch::empty({B, L, H});
  for (int64_t t = 0; t < L; ++t) {
    past.select(1, t).copy_(stepper.output(FastNetStepper::kForward));
    stepper.step(FastNetStepper::kForward, t);
  }
  for (int64_t t = L - 1; t >= 0; --t) {
    future.select(1, t).copy_(stepper.output(FastNetStepper::kBackward));
    stepper.step(FastNetStepper::kBackward, t);
  }
  const torch::Tensor past_share = stepper.share(FastNetStepper::kForward, past);
  const torch::Tensor future_share = stepper.share(FastNetStepper::kBackward, future);
  double worst = 0, largest = 0;
  for (int v = 0; v < 4; ++v) {
    const torch::Tensor want = expected[v].view({B, L, -1});
    torch::Tensor got = torch::empty({B, c.voice_vocab_size(v)});
    for (int64_t k = 0; k < param.count; ++k) {
      const int64_t t = param.first + k;
      // One row of the past through the single-row path, as a sweep computes it.
      torch::Tensor row_share = torch::empty({B, 4 * c.linear_hidden});
      stepper.share_into(FastNetStepper::kForward, past.select(1, t).contiguous(), row_share);
      stepper.logits(v, k, row_share, future_share.select(1, t), got);
      worst = std::max(worst, (got - want.select(1, t)).abs().max().item<double>());
      largest = std::max(largest, want.select(1, t).abs().max().item<double>());
      stepper.logits(v, k, past_share.select(1, t), future_share.select(1, t), got);
      worst = std::max(worst, (got - want.select(1, t)).abs().max().item<double>());
    }
  }
  EXPECT_GT(largest, 1.0);  // logits of a real size, not all near zero
  EXPECT_LT(worst, 1e-4) << "largest logit " << largest;
}

INSTANTIATE_TEST_SUITE_P(Pieces, CoreFastNetStepper,
                         ::testing::Values(Case{1, 0, 40}, Case{5, 0, 40}, Case{1, 7, 20}, Case{5, 12, 28},
                                           Case{5, 0, 40, 12}, Case{1, 7, 20, 3}),
                         [](const auto& info) {
                           return std::to_string(info.param.pieces) + "_pieces_ticks_" +
                                  std::to_string(info.param.first) + "_to_" +
                                  std::to_string(info.param.first + info.param.count - 1) +
                                  (info.param.interval_range > 0
                                       ? "_interval_bias_" + std::to_string(info.param.interval_range)
                                       : "");
                         });

}  // namespace
}  // namespace dq::testing
