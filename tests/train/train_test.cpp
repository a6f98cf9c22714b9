// Training: a tiny network of each preset learns one chorale by heart, a run
// resumed from a checkpoint ends with bit-identical weights to one that ran
// straight through, and bad options are clear errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "corpus/corpus.h"
#include "corpus/dataset.h"
#include "model/model.h"
#include "support/core_test_util.h"
#include "train/trainer.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::testing {
namespace {

// A run of `steps` steps validating every `eval_every` (0: the defaults).
train::TrainOptions tiny_options(const TempDir& dir, const std::string& preset, int64_t steps = 0, int eval_every = 0) {
  train::TrainOptions o;
  o.max_steps = steps;
  o.eval_every = eval_every;
  o.corpus = {chorale_path()};
  o.config = tiny_config(preset);
  o.output = dir.file("model.dqm");
  o.cache_dir = dir.file("cache");
  o.lr = 3e-3;
  o.lr_schedule = train::LrSchedule::kConstant;
  o.crop = 64;
  o.batch = 4;
  o.patience = 0;
  o.threads = 1;
  o.progress = false;
  o.checkpoint_minutes = 1000;
  return o;
}

// The parameters stored in a checkpoint, read into a fresh model of `config`.
model::Model checkpoint_model(const model::ModelConfig& config, const std::string& path) {
  model::Model m = model::Model::create(config);
  torch::serialize::InputArchive archive;
  archive.load_from(path);
  model::read_parameters(m.module(), archive, "param/", path);
  return m;
}

// The training state JSON stored in a checkpoint.
nlohmann::json checkpoint_state(const std::string& path) {
  torch::serialize::InputArchive archive;
  archive.load_from(path);
  torch::Tensor info;
  archive.read("info", info);
  return nlohmann::json::parse(model::tensor_string(info))["state"];
}

TEST(CoreTrain, FastModelLearnsOneChoraleByHeart) {
  TempDir dir("train_fast");
  train::TrainOptions o = tiny_options(dir, "fast", /*steps=*/120, /*eval_every=*/40);
  train::TrainResult r = train::train(o);
  EXPECT_EQ(r.steps, 120);
  EXPECT_FALSE(r.stopped_early);
  EXPECT_GE(r.best.mean_accuracy(), 0.95) << "voices " << r.best.accuracy[0] << " " << r.best.accuracy[1] << " "
                                          << r.best.accuracy[2] << " " << r.best.accuracy[3];
  EXPECT_EQ(r.best.targets, 4 * 64);

  // The model file holds the best model with its description.
  model::Model m = model::load_model(o.output);
  EXPECT_EQ(m.config.preset, model::Preset::kFast);
  EXPECT_EQ(m.config.styles, std::vector<std::string>{"bach"});
  for (int v = 0; v < music::kNumVoices; ++v) {
    EXPECT_EQ(m.config.vocab[v].low, chorale_range(v).first);
    EXPECT_EQ(m.config.vocab[v].high, chorale_range(v).second);
  }
  EXPECT_NEAR(m.metrics["valid"].value("mean_accuracy", 0.0), r.best.mean_accuracy(), 1e-9) << m.metrics.dump();
  EXPECT_EQ(m.corpus.value("pieces", 0), 1);
  // Scoring the loaded model again gives the reported accuracy.
  corpus::DatasetOptions d;
  d.roots = o.corpus;
  d.cache_dir = o.cache_dir;
  d.progress = false;
  corpus::Dataset data = corpus::build_dataset(d);
  EXPECT_TRUE(data.from_cache);
  model::VoiceScores again = model::score_split(m, model::SplitView(data.train));
  EXPECT_NEAR(again.mean_accuracy(), r.best.mean_accuracy(), 1e-6);

  // The log, the curve and the checkpoint are written beside it.
  std::string csv = util::read_file_bytes(o.output + ".csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 3) << csv;  // header + 3 validations
  EXPECT_TRUE(fs::exists(o.output + ".ckpt"));
  EXPECT_EQ(checkpoint_state(o.output + ".ckpt")["step"], 120);
}

TEST(CoreTrain, DeepBachModelLearnsOneChoraleByHeart) {
  TempDir dir("train_deepbach");
  train::TrainOptions o = tiny_options(dir, "deepbach");
  o.batch = 64;
  o.max_steps = 120;
  o.eval_every = 40;
  train::TrainResult r = train::train(o);
  EXPECT_GE(r.best.mean_accuracy(), 0.9) << "voices " << r.best.accuracy[0] << " " << r.best.accuracy[1] << " "
                                         << r.best.accuracy[2] << " " << r.best.accuracy[3];
  model::Model m = model::load_model(o.output);
  EXPECT_EQ(m.config.preset, model::Preset::kDeepBach);
  EXPECT_EQ(m.config.window, 8);
}

TEST(CoreTrain, ResumedRunEndsWithTheSameWeights) {
  TempDir dir("resume");
  train::TrainOptions o = tiny_options(dir, "fast");
  o.config.lstm_layers = 2;
  o.config.dropout = 0.2;  // dropout is seeded by step: a resumed run repeats it
  o.config.input_dropout = 0.1;
  o.lr_schedule = train::LrSchedule::kPlateau;
  o.patience = 4;  // halvings of the learning rate are part of the state
  o.eval_every = 5;
  o.checkpoint_every = 10;
  const int64_t kSteps = 30, kFirst = 10;

  train::TrainOptions straight = o;
  straight.output = dir.file("straight.dqm");
  straight.max_steps = kSteps;
  train::train(straight);

  train::TrainOptions split = o;
  split.output = dir.file("split.dqm");
  split.max_steps = kFirst;
  train::TrainResult first = train::train(split);
  EXPECT_EQ(first.steps, kFirst);
  EXPECT_EQ(checkpoint_state(split.output + ".ckpt")["step"], kFirst);
  split.max_steps = kSteps;
  split.resume = true;
  train::TrainResult second = train::train(split);
  EXPECT_EQ(second.steps, kSteps);

  nlohmann::json a = checkpoint_state(straight.output + ".ckpt");
  nlohmann::json b = checkpoint_state(split.output + ".ckpt");
  EXPECT_EQ(a["step"], kSteps);
  EXPECT_EQ(b["step"], kSteps);
  EXPECT_EQ(a["lr"], b["lr"]);
  EXPECT_EQ(a["best"], b["best"]);
  EXPECT_EQ(a["bad_evals"], b["bad_evals"]);

  model::ModelConfig config = model::load_model(straight.output).config;
  model::Model ma = checkpoint_model(config, straight.output + ".ckpt");
  model::Model mb = checkpoint_model(config, split.output + ".ckpt");
  auto pa = ma.module().named_parameters();
  auto pb = mb.module().named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (const auto& item : pa) {
    ASSERT_NE(pb.find(item.key()), nullptr) << item.key();
    EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key() << " differs after resuming";
  }
  // The best models (model files) are the same too.
  model::Model best_a = model::load_model(straight.output);
  model::Model best_b = model::load_model(split.output);
  auto qa = best_a.module().named_parameters();
  auto qb = best_b.module().named_parameters();
  for (const auto& item : qa) EXPECT_TRUE(torch::equal(item.value(), qb[item.key()])) << item.key();
}

// With two threads the "fast" preset splits each batch between the network
// and a replica; the summed gradients are the whole batch's, so without
// dropout both runs follow the same path (up to float rounding).
TEST(CoreTrain, FastDataParallelStepsMatchOneThread) {
  TempDir dir("data_parallel");
  train::TrainOptions o = tiny_options(dir, "fast");
  o.config.lstm_layers = 2;
  o.config.dropout = 0;
  o.config.input_dropout = 0;
  o.max_steps = 5;
  o.eval_every = 5;
  train::TrainOptions one = o;
  one.output = dir.file("one.dqm");
  train::TrainOptions two = o;
  two.output = dir.file("two.dqm");
  two.threads = 2;
  train::TrainResult r1 = train::train(one);
  train::TrainResult r2 = train::train(two);
  EXPECT_NEAR(r1.best.mean_loss(), r2.best.mean_loss(), 1e-4);

  model::ModelConfig config = model::load_model(one.output).config;
  model::Model m1 = checkpoint_model(config, one.output + ".ckpt");
  model::Model m2 = checkpoint_model(config, two.output + ".ckpt");
  auto p1 = m1.module().named_parameters();
  auto p2 = m2.module().named_parameters();
  bool moved = false;
  model::Model initial = model::Model::create(config);
  for (const auto& item : p1) {
    EXPECT_TRUE(torch::allclose(item.value(), p2[item.key()], 1e-4, 1e-5)) << item.key();
    moved = moved || !torch::equal(item.value(), initial.module().named_parameters()[item.key()]);
  }
  EXPECT_TRUE(moved) << "training did not change the weights";
}

// Regression: a resumed run that does not beat the best validation
// accuracy of the checkpoint returns empty best scores (trainer.cpp keeps
// best_scores only for improvements made in this run), so `deepquartet train
// --resume` prints "best mean validation accuracy 0.0000".
TEST(CoreTrain, ResumedRunReportsTheBestScores) {
  TempDir dir("resume_best");
  train::TrainOptions o = tiny_options(dir, "fast", /*steps=*/10, /*eval_every=*/5);
  train::TrainResult first = train::train(o);
  ASSERT_GT(first.best.mean_accuracy(), 0);
  o.resume = true;  // same budget: nothing left to do
  train::TrainResult again = train::train(o);
  EXPECT_EQ(again.steps, 10);
  EXPECT_DOUBLE_EQ(again.best.mean_accuracy(), first.best.mean_accuracy());
}

TEST(CoreTrain, ResumeChecksTheCheckpoint) {
  TempDir dir("resume_checks");
  train::TrainOptions o = tiny_options(dir, "fast");
  o.max_steps = 2;
  o.resume = true;
  EXPECT_THROW(train::train(o), Error);  // no checkpoint yet
  o.resume = false;
  train::train(o);
  // Other hyper-parameters than the checkpoint's.
  o.resume = true;
  o.max_steps = 4;
  o.config.linear_hidden = 16;
  try {
    train::train(o);
    ADD_FAILURE() << "resumed with other hyper-parameters";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("hyper-parameters"), std::string::npos) << e.what();
  }
  // A corrupt checkpoint.
  o.config.linear_hidden = 32;
  std::ofstream(o.output + ".ckpt", std::ios::binary | std::ios::trunc) << "garbage";
  EXPECT_THROW(train::train(o), Error);
}

// The CSV log's learning rates, one per validation.
std::vector<double> logged_rates(const std::string& csv_path) {
  std::ifstream in(csv_path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<double> rates;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string step, seconds, lr;
    std::getline(row, step, ',');
    std::getline(row, seconds, ',');
    std::getline(row, lr, ',');
    rates.push_back(std::stod(lr));
  }
  return rates;
}

TEST(CoreTrain, CosineScheduleFollowsTheStepOrTimeBudget) {
  TempDir dir("train_cosine");
  train::TrainOptions o = tiny_options(dir, "fast");
  o.lr_schedule = train::LrSchedule::kCosine;
  o.eval_every = 1;
  o.max_steps = 4;
  train::train(o);
  std::vector<double> by_steps = logged_rates(o.output + ".csv");
  ASSERT_EQ(by_steps.size(), 4u);
  for (size_t i = 0; i < by_steps.size(); ++i)  // step i ran at lr * (1 + cos(pi * i / 4)) / 2
    EXPECT_NEAR(by_steps[i], o.lr * 0.5 * (1 + std::cos(M_PI * static_cast<double>(i) / 4)), 1e-9) << i;

  // With a budget in minutes only, the rate falls with the time spent.
  fs::remove(o.output + ".ckpt");
  o.max_steps = 0;
  o.minutes = 0.05;
  train::train(o);
  std::vector<double> by_time = logged_rates(o.output + ".csv");
  ASSERT_GE(by_time.size(), 3u);
  EXPECT_NEAR(by_time.front(), o.lr, 0.01 * o.lr);
  for (size_t i = 1; i < by_time.size(); ++i) EXPECT_LE(by_time[i], by_time[i - 1]) << i;
  EXPECT_LT(by_time.back(), 0.1 * o.lr);
}

TEST(CoreTrain, BadOptionsAreErrors) {
  TempDir dir("train_options");
  train::TrainOptions o = tiny_options(dir, "fast");
  o.max_steps = 1;
  auto expect_error = [](train::TrainOptions bad) { EXPECT_THROW(train::train(bad), Error); };
  train::TrainOptions bad = o;
  bad.crop = 4;
  expect_error(bad);
  bad = o;
  bad.lr = 0;
  expect_error(bad);
  bad = o;
  bad.output = "";
  expect_error(bad);
  bad = o;
  bad.corpus = {dir.file("nothing-here")};
  expect_error(bad);
  // A corpus whose only piece lands in the valid split (work "bach:core_chorale") has no training pieces.
  fs::path folder = dir.path() / "bach" / "chorales";
  fs::create_directories(folder);
  fs::copy_file(chorale_path(), folder / "core_chorale.musicxml");
  ASSERT_EQ(corpus::split_of((folder / "core_chorale.musicxml").string(), "bach:core_chorale"), corpus::Split::kValid);
  bad = o;
  bad.corpus = {(dir.path() / "bach").string()};
  try {
    train::train(bad);
    ADD_FAILURE() << "trained without training pieces";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no training pieces"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(o.output));
}

}  // namespace
}  // namespace dq::testing
