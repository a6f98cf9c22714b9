// The interval bias of the "fast" network (ModelConfig::interval_range): each
// voice's last pitch found back through holds and rests and never through a
// hidden position, the bias added to exactly the pitches within the range in
// the training forward and the chronological factorization, training that
// moves it, a model file that keeps it and a warm start that maps it by
// interval.
#include <gtest/gtest.h>

#include "corpus/encoding.h"
#include "model/fast_net.h"
#include "model/model.h"
#include "support/core_test_util.h"

namespace dq::testing {
namespace {

constexpr int kStart = corpus::kStartIndex, kMask = corpus::kMaskIndex, kHold = corpus::kHoldIndex,
              kRest = corpus::kRestIndex;

TEST(CoreIntervalBias, TheLastPitchIsFoundBackThroughHoldsAndRestsOnly) {
  const int p = corpus::kFirstPitchIndex;
  const std::vector<int64_t> soprano = {kStart, p + 7, kHold, kRest, p + 9, kMask, kHold, p + 10, kRest, kHold};
  torch::Tensor tokens = torch::full({1, 4, static_cast<int64_t>(soprano.size())}, kRest, torch::kInt64);
  tokens[0][0] = torch::tensor(soprano);
  const torch::Tensor last = model::last_pitch_indices(tokens);
  const std::vector<int64_t> want = {-1, -1, p + 7, p + 7, p + 7, p + 9, -1, -1, p + 10, p + 10};
  for (size_t t = 0; t < want.size(); ++t) EXPECT_EQ(last[0][0][t].item<int64_t>(), want[t]) << "tick " << t;
  EXPECT_TRUE(torch::equal(last[0][1], torch::full({10}, -1, torch::kInt64)));  // rests only: no last pitch
}

TEST(CoreIntervalBias, IsAddedToThePitchesWithinItsRangeOfTheLastNote) {
  model::ModelConfig c = fixture_config(corpus::kNumMetaChannels);
  c.interval_range = 2;
  torch::manual_seed(6);
  model::FastNet net(c);
  net->eval();
  torch::NoGradGuard no_grad;
  const int p = corpus::kFirstPitchIndex, L = 6;
  torch::Tensor tokens = torch::full({1, 4, L}, kHold, torch::kInt64);
  tokens.select(2, 0).fill_(kStart);
  tokens.select(2, 1).fill_(p + 4);  // every voice strikes pitch index p + 4 at tick 1
  const torch::Tensor meta = torch::ones({1, c.meta_channels, L}, torch::kInt64);
  const auto zero = net->forward(tokens, meta);
  const auto zero_ordered = net->chronological(tokens, meta);
  net->interval_table()[1].copy_(torch::tensor({1.0, 2.0, 3.0, 4.0, 5.0}));  // the alto: intervals -2..+2
  const auto biased = net->forward(tokens, meta);
  const auto biased_ordered = net->chronological(tokens, meta);
  for (int v = 0; v < 4; ++v) {
    for (const auto& [a, b] : {std::pair{zero[v], biased[v]}, std::pair{zero_ordered[v], biased_ordered[v]}}) {
      const torch::Tensor added = (b - a).view({L, -1});
      torch::Tensor want = torch::zeros_like(added);
      if (v == 1)
        want.narrow(0, 2, L - 2).narrow(1, p + 2, 5).copy_(torch::tensor({1.0, 2.0, 3.0, 4.0, 5.0}).expand({L - 2, 5}));
      EXPECT_TRUE(torch::allclose(added, want, 0, 1e-5)) << "voice " << v << "\n" << added;
    }
  }
}

TEST(CoreIntervalBias, TrainingMovesItAndTheModelFileKeepsIt) {
  TempDir dir("interval_bias_training");
  train::TrainOptions o = tiny_training(dir, "interval.dqm", 5, 1);
  o.config.interval_range = 12;
  o.config.masking = 0.5;
  o.lr = 1e-3;
  train::train(o);
  model::Model m = model::load_model(o.output);
  EXPECT_EQ(m.config.interval_range, 12);
  const torch::Tensor table = m.fast->interval_table();
  ASSERT_TRUE(table.defined());
  EXPECT_EQ(table.sizes(), (std::vector<int64_t>{4, 25}));
  // Its own learning rate, 100 times the network's: 5 Adam steps move it by up to about 0.5.
  EXPECT_GT(table.abs().max().item<double>(), 0.1);
  // A model without one has none, and trains and loads as before.
  EXPECT_FALSE(model::Model::create(tiny_config("fast")).fast->interval_table().defined());
}

// A warm start to another range keeps each interval's bias: the common
// intervals copied, the new ones at zero.
TEST(CoreIntervalBias, AWarmStartToAnotherRangeKeepsEachIntervalsBias) {
  model::ModelConfig wide = fixture_config(corpus::kNumMetaChannels), narrow = wide;
  wide.interval_range = 3;
  narrow.interval_range = 1;
  model::Model source = model::Model::create(wide);
  torch::NoGradGuard no_grad;
  source.fast->interval_table().copy_(torch::arange(7, torch::kFloat).expand({4, 7}));  // -3..+3 -> 0..6
  model::Model smaller = model::Model::create(narrow);
  model::warm_start(smaller, source, "wide.dqm");
  EXPECT_TRUE(torch::equal(smaller.fast->interval_table(), torch::tensor({2.0f, 3.0f, 4.0f}).expand({4, 3})));
  model::Model larger = model::Model::create(wide);
  model::warm_start(larger, smaller, "narrow.dqm");
  EXPECT_TRUE(torch::equal(larger.fast->interval_table(),
                           torch::tensor({0.0f, 0.0f, 2.0f, 3.0f, 4.0f, 0.0f, 0.0f}).expand({4, 7})));
}

}  // namespace
}  // namespace dq::testing
