// Parallel scheduled sampling: which positions the network reads as its own
// draws, that nothing else changes, and that training with it (and with the
// fault unlikelihood) runs and is recorded in the model file.
#include <gtest/gtest.h>

#include <cmath>

#include <ATen/CPUGeneratorImpl.h>

#include "corpus/dataset.h"
#include "model/batches.h"
#include "model/model.h"
#include "support/core_test_util.h"
#include "train/own_draws.h"
#include "train/trainer.h"

namespace dq::testing {
namespace {

struct Batch {
  model::FastNet net{nullptr};
  train::CropReading reading;
};

// Eight crops of the fixture chorale, the first four chronological (voice 0
// known in each), the others half hidden; a tiny untrained network.
Batch fixture_batch(const TempDir& dir) {
  corpus::DatasetOptions o;
  o.roots = {chorale_path()};
  o.cache_dir = dir.file("cache");
  o.progress = false;
  model::SplitView split(corpus::build_dataset(o).train);
  std::mt19937_64 rng(5);
  auto [tokens, meta] = model::sample_crops(split, 8, 40, rng);
  torch::Tensor inputs = tokens.clone();
  inputs.narrow(0, 4, 4).masked_fill_(
      (torch::rand(inputs.narrow(0, 4, 4).sizes()) < 0.5) & (inputs.narrow(0, 4, 4) >= corpus::kRestIndex),
      corpus::kMaskIndex);
  torch::Tensor known = torch::zeros({8, 4}, torch::kBool);
  known.select(1, 0).fill_(true);
  torch::manual_seed(1);
  return {model::FastNet(fixture_config(corpus::kNumMetaChannels)), {tokens, inputs, meta, known, 4}};
}

TEST(CoreOwnDraws, OnlyUnknownVoicesOfChronologicalCropsAndVisibleInputsAreReplaced) {
  TempDir dir("own_draws_positions");
  Batch b = fixture_batch(dir);
  auto generator = at::make_generator<at::CPUGeneratorImpl>(7);
  const torch::Tensor replace = train::own_draw_positions(b.reading, 0.5, generator);
  const torch::Tensor chronological = replace.narrow(0, 0, 4), other = replace.narrow(0, 4, 4);
  EXPECT_FALSE(chronological.select(1, 0).any().item<bool>());  // the known voice
  EXPECT_FALSE((chronological & (b.reading.tokens.narrow(0, 0, 4) < corpus::kRestIndex)).any().item<bool>());
  EXPECT_FALSE((other & (b.reading.inputs.narrow(0, 4, 4) < corpus::kRestIndex)).any().item<bool>());
  const double fraction = replace.sum().item<double>() / (b.reading.inputs >= corpus::kRestIndex).sum().item<double>();
  EXPECT_GT(fraction, 0.2);
  EXPECT_LT(fraction, 0.5);
}

TEST(CoreOwnDraws, ReplaceExactlyThePositionsAskedWithTokensASamplerMayDraw) {
  TempDir dir("own_draws_replace");
  Batch b = fixture_batch(dir);
  auto generator = at::make_generator<at::CPUGeneratorImpl>(7);
  const torch::Tensor replace = train::own_draw_positions(b.reading, 0.5, generator);
  const train::CropReading own = train::with_own_draws(*b.net, b.reading, replace, generator);
  // Chronological crops change in `tokens`, the others in `inputs`, and only where asked.
  const torch::Tensor changed =
      torch::cat({(own.tokens != b.reading.tokens).narrow(0, 0, 4), (own.inputs != b.reading.inputs).narrow(0, 4, 4)});
  EXPECT_FALSE((changed & replace.logical_not()).any().item<bool>());
  EXPECT_TRUE(changed.any().item<bool>());  // an untrained network seldom draws the written token
  EXPECT_TRUE(torch::equal(own.inputs.narrow(0, 0, 4), b.reading.inputs.narrow(0, 0, 4)));
  EXPECT_TRUE(torch::equal(own.tokens.narrow(0, 4, 4), b.reading.tokens.narrow(0, 4, 4)));
  const torch::Tensor drawn = torch::cat({own.tokens.narrow(0, 0, 4), own.inputs.narrow(0, 4, 4)});
  EXPECT_TRUE((drawn.masked_select(replace) >= corpus::kRestIndex).all().item<bool>());
  // Nothing asked, nothing changed.
  const train::CropReading same = train::with_own_draws(*b.net, b.reading, torch::zeros_like(replace), generator);
  EXPECT_TRUE(torch::equal(same.tokens, b.reading.tokens));
  EXPECT_TRUE(torch::equal(same.inputs, b.reading.inputs));
}

TEST(CoreOwnDraws, TrainingWithOwnDrawsAndFaultUnlikelihoodRunsAndIsRecorded) {
  TempDir dir("own_draws_training");
  train::TrainOptions o = tiny_training(dir, "own.dqm", 6, 2);
  o.config.masking = 0.5;
  o.config.chronological = 0.5;
  o.scheduled_sampling = 0.3;
  o.fault_unlikelihood = 2;
  train::TrainResult r = train::train(o);
  EXPECT_EQ(r.steps, 6);
  EXPECT_TRUE(std::isfinite(r.best.mean_loss()));
  model::Model m = model::load_model(o.output);
  EXPECT_DOUBLE_EQ(m.training["scheduled_sampling"].get<double>(), 0.3);
  EXPECT_DOUBLE_EQ(m.training["fault_unlikelihood"].get<double>(), 2);
}

}  // namespace
}  // namespace dq::testing
