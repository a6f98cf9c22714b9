// The model file: a round trip keeps every parameter and the description;
// every broken file (truncated, random bytes, a folder, another version,
// another shape, another preset, bad JSON) is a dq::Error naming the file.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "model/model.h"
#include "support/core_test_util.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::testing {
namespace {

model::ModelConfig config_with_vocab(const std::string& preset) {
  model::ModelConfig c = tiny_config(preset);
  for (int v = 0; v < music::kNumVoices; ++v) c.vocab[v] = {chorale_range(v).first, chorale_range(v).second};
  c.styles = {"bach"};
  return c;
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// Loading `path` fails with a dq::Error whose message names the file and contains `what`.
void expect_load_error(const std::string& path, const std::string& what) {
  try {
    model::load_model(path);
    ADD_FAILURE() << path << ": loaded without error";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find(what), std::string::npos) << "expected '" << what << "' in: " << message;
  } catch (const std::exception& e) {
    ADD_FAILURE() << path << ": threw something other than dq::Error: " << e.what();
  }
}

// An archive laid out like a model file, with the given pieces.
void write_archive(const std::string& path, const std::string& format, int64_t version, const std::string& info,
                   model::Model* params) {
  torch::serialize::OutputArchive a;
  a.write("format", model::string_tensor(format));
  a.write("version", torch::tensor(version));
  a.write("info", model::string_tensor(info));
  if (params) model::write_parameters(params->module(), a, "param/", false);
  a.save_to(path);
}

std::string info_of(const model::ModelConfig& c) {
  return nlohmann::json{{"config", model::to_json(c)},
                        {"corpus", nlohmann::json::object()},
                        {"metrics", nlohmann::json::object()},
                        {"training", nlohmann::json::object()}}
      .dump();
}

void expect_same_parameters(model::Model& a, model::Model& b) {
  auto pa = a.module().named_parameters();
  auto pb = b.module().named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (const auto& item : pa) {
    const torch::Tensor* other = pb.find(item.key());
    ASSERT_NE(other, nullptr) << item.key();
    EXPECT_TRUE(torch::equal(item.value(), *other)) << item.key();
  }
}

class CoreModelFile : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::manual_seed(7);
    model_ = model::Model::create(config_with_vocab("fast"));
    model_.metrics = {{"valid", {{"accuracy", 0.5}}}};
    model_.corpus = {{"pieces", 1}};
    path_ = dir_.file("tiny.dqm");
    model::save_model(model_, path_);
  }
  TempDir dir_{"model_file"};
  model::Model model_;
  std::string path_;
};

TEST_F(CoreModelFile, RoundTripKeepsEveryParameterAndTheDescription) {
  model::Model loaded = model::load_model(path_);
  EXPECT_EQ(model::to_json(loaded.config), model::to_json(model_.config));
  EXPECT_EQ(loaded.metrics, model_.metrics);
  EXPECT_EQ(loaded.corpus, model_.corpus);
  ASSERT_TRUE(loaded.fast);
  EXPECT_FALSE(loaded.deepbach);
  expect_same_parameters(loaded, model_);
  EXPECT_FALSE(loaded.module().is_training());
  // No temporary file is left beside the model.
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir_.path())) files += entry.is_regular_file();
  EXPECT_EQ(files, 1);
}

TEST_F(CoreModelFile, DeepBachPresetRoundTrips) {
  torch::manual_seed(8);
  model::Model deepbach = model::Model::create(config_with_vocab("deepbach"));
  std::string path = dir_.file("deepbach.dqm");
  model::save_model(deepbach, path);
  model::Model loaded = model::load_model(path);
  EXPECT_EQ(loaded.config.preset, model::Preset::kDeepBach);
  ASSERT_TRUE(loaded.deepbach);
  expect_same_parameters(loaded, deepbach);
}

TEST_F(CoreModelFile, HalfPrecisionFileIsSmallerAndClose) {
  std::string half = dir_.file("half.dqm");
  model::save_model(model_, half, /*half=*/true);
  EXPECT_LT(fs::file_size(half), fs::file_size(path_));
  model::Model loaded = model::load_model(half);
  auto original = model_.module().named_parameters();
  for (const auto& item : loaded.module().named_parameters()) {
    EXPECT_EQ(item.value().scalar_type(), torch::kFloat) << item.key();
    EXPECT_TRUE(torch::allclose(item.value(), original[item.key()], 1e-2, 1e-3)) << item.key();
  }
}

TEST_F(CoreModelFile, TruncatedFileIsAnError) {
  std::string bytes = util::read_file_bytes(path_);
  for (size_t keep : {bytes.size() / 2, bytes.size() - 100, size_t{30}}) {
    std::string truncated = dir_.file("truncated.dqm");
    write_bytes(truncated, bytes.substr(0, keep));
    expect_load_error(truncated, "not a deepquartet model file");
  }
}

TEST_F(CoreModelFile, RandomBytesAreAnError) {
  std::mt19937 rng(3);
  std::string bytes(4096, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  std::string garbage = dir_.file("garbage.dqm");
  write_bytes(garbage, bytes);
  expect_load_error(garbage, "not a deepquartet model file");
  // A zip archive signature followed by garbage.
  write_bytes(garbage, "PK\x03\x04" + bytes);
  expect_load_error(garbage, "model");
}

TEST_F(CoreModelFile, EmptyMissingAndFolderAreErrors) {
  std::string empty = dir_.file("empty.dqm");
  write_bytes(empty, "");
  EXPECT_THROW(model::load_model(empty), Error);
  EXPECT_THROW(model::load_model(dir_.file("missing.dqm")), Error);
  EXPECT_THROW(model::load_model(dir_.path().string()), Error);
  try {
    model::load_model(dir_.file("missing.dqm"));
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.dqm"), std::string::npos) << e.what();
  }
}

TEST_F(CoreModelFile, AnotherFormatVersionIsAnError) {
  std::string other = dir_.file("v99.dqm");
  write_archive(other, "deepquartet-model", 99, info_of(model_.config), &model_);
  expect_load_error(other, "version 99");
}

TEST_F(CoreModelFile, AnotherFormatTagIsAnError) {
  std::string other = dir_.file("tag.dqm");
  write_archive(other, "something-else", model::kModelFormatVersion, info_of(model_.config), &model_);
  expect_load_error(other, "not a deepquartet model file");
  // A torch archive without any of our entries.
  torch::serialize::OutputArchive a;
  a.write("weights", torch::ones({3}));
  std::string foreign = dir_.file("foreign.dqm");
  a.save_to(foreign);
  expect_load_error(foreign, "not a deepquartet model file");
}

TEST_F(CoreModelFile, ParameterOfAnotherShapeIsAnError) {
  // The description says linear_hidden 32; the weights are of a network with 16.
  model::ModelConfig smaller = model_.config;
  smaller.linear_hidden = 16;
  model::Model other = model::Model::create(smaller);
  std::string path = dir_.file("shape.dqm");
  write_archive(path, "deepquartet-model", model::kModelFormatVersion, info_of(model_.config), &other);
  expect_load_error(path, "another shape");
  // Another vocabulary changes the embedding shapes too.
  model::ModelConfig wider = model_.config;
  wider.vocab[0].high += 3;
  write_archive(path, "deepquartet-model", model::kModelFormatVersion, info_of(wider), &model_);
  expect_load_error(path, "another shape");
}

TEST_F(CoreModelFile, ParametersOfAnotherPresetAreAnError) {
  model::Model deepbach = model::Model::create(config_with_vocab("deepbach"));
  std::string path = dir_.file("preset.dqm");
  write_archive(path, "deepquartet-model", model::kModelFormatVersion, info_of(model_.config), &deepbach);
  expect_load_error(path, "missing");
  write_archive(path, "deepquartet-model", model::kModelFormatVersion, info_of(model_.config), nullptr);
  expect_load_error(path, "missing");
}

TEST_F(CoreModelFile, BadDescriptionIsAnError) {
  std::string path = dir_.file("info.dqm");
  write_archive(path, "deepquartet-model", model::kModelFormatVersion, "{not json", &model_);
  expect_load_error(path, "not valid JSON");
  nlohmann::json info = nlohmann::json::parse(info_of(model_.config));
  info["config"].erase("lstm_hidden");
  write_archive(path, "deepquartet-model", model::kModelFormatVersion, info.dump(), &model_);
  expect_load_error(path, "lstm_hidden");
  info = nlohmann::json::parse(info_of(model_.config));
  info["config"]["lstm_hidden"] = 0;
  write_archive(path, "deepquartet-model", model::kModelFormatVersion, info.dump(), &model_);
  expect_load_error(path, "out of range");
  info = nlohmann::json::parse(info_of(model_.config));
  info["config"]["preset"] = "transformer";
  write_archive(path, "deepquartet-model", model::kModelFormatVersion, info.dump(), &model_);
  expect_load_error(path, "unknown preset 'transformer'");
  info = nlohmann::json::parse(info_of(model_.config));
  info["config"]["vocabulary"][2] = {{"low", 70}, {"high", 60}};
  write_archive(path, "deepquartet-model", model::kModelFormatVersion, info.dump(), &model_);
  expect_load_error(path, "out of range");
  info = nlohmann::json::parse(info_of(model_.config));
  info["config"]["vocabulary"] = nlohmann::json::array();
  write_archive(path, "deepquartet-model", model::kModelFormatVersion, info.dump(), &model_);
  expect_load_error(path, "vocabulary");
}

TEST(CoreModelConfig, PresetsAndJsonRoundTrip) {
  EXPECT_EQ(model::preset_config("fast").preset, model::Preset::kFast);
  EXPECT_STREQ(model::preset_name(model::Preset::kDeepBach), "deepbach");
  EXPECT_EQ(model::preset_config("deepbach").input_dropout, 0);
  EXPECT_THROW(model::preset_config("lstm"), Error);
  model::ModelConfig c = config_with_vocab("deepbach");
  c.styles = {"bach", "haydn"};
  model::ModelConfig back = model::config_from_json(model::to_json(c));
  EXPECT_EQ(model::to_json(back), model::to_json(c));
  EXPECT_EQ(back.styles, c.styles);
  EXPECT_EQ(back.meta_sizes(), c.meta_sizes());
  EXPECT_THROW(model::config_from_json(nlohmann::json::array()), Error);
  EXPECT_THROW(model::config_from_json(nlohmann::json::object()), Error);
}

}  // namespace
}  // namespace dq::testing
