// Model: a trained network with everything needed to use it — its
// configuration (preset, hyper-parameters, vocabularies, metadata, styles), a
// summary of the corpus it learned from and its validation metrics — and the
// model file that holds all of it in one file.
//
// File layout (a torch archive): "format" (the bytes "deepquartet-model"),
// "version" (kModelFormatVersion), "info" (UTF-8 JSON: config, corpus,
// metrics, training) and one tensor per parameter under "param/<name>",
// stored in float32 or float16. Loading a file of another format, version or
// shape is a dq::Error, never a crash.
#pragma once

#include <string>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "model/config.h"
#include "model/deepbach_net.h"
#include "model/fast_net.h"

namespace dq::model {

constexpr int kModelFormatVersion = 1;

struct Model {
  ModelConfig config;
  FastNet fast{nullptr};                               // preset "fast"
  DeepBachNet deepbach{nullptr};                       // preset "deepbach"
  nlohmann::json corpus = nlohmann::json::object();    // what it learned from
  nlohmann::json metrics = nlohmann::json::object();   // validation figures
  nlohmann::json training = nlohmann::json::object();  // how long, which options

  // A freshly initialized network of `config.preset`.
  static Model create(const ModelConfig& config);
  torch::nn::Module& module();
  // Whether it is a "fast" network trained with masks (a chronological start, a
  // chronological likelihood).
  bool trained_with_masks() const { return fast && (config.masking > 0 || config.chronological > 0); }
  int64_t parameter_count();
  // The network's parameters indexed by a vocabulary (see VocabularyRows).
  std::vector<VocabularyRows> vocabulary_rows();
};

// Writes `model` atomically; `half` stores the weights as float16.
void save_model(Model& model, const std::string& path, bool half = false);
// Throws dq::Error naming the file and the problem.
Model load_model(const std::string& path);

// Starts `target` from the weights of `source` (train --init): every
// parameter of the same name and shape is copied. A weight that grew only by
// input columns (a metadata channel the source did not read) gets the
// source's columns and zeros in the new ones, so the network computes what
// the source computed until training moves them; parameters the source lacks
// (the new channel's embedding) keep their fresh values. The parameters
// indexed by a vocabulary take the source's rows of the same token (pitch,
// rest, hold...) and of the same style name, so a model of a larger corpus
// (the quartet model) can go on from a smaller one (the chorales): `target`
// then computes, for every token and style it has, what `source` computed.
// Throws dq::Error, naming `source_path`, when the presets differ, a voice of
// `target` reaches beyond the source's range, a style of `target` is not one
// of the source's, or a shape cannot be carried over.
void warm_start(Model& target, Model source, const std::string& source_path);

// Parameter tensors by name into an archive prefix, and back (shapes must match).
void write_parameters(torch::nn::Module& module, torch::serialize::OutputArchive& archive, const std::string& prefix,
                      bool half);
void read_parameters(torch::nn::Module& module, torch::serialize::InputArchive& archive, const std::string& prefix,
                     const std::string& source);

torch::Tensor string_tensor(const std::string& s);
std::string tensor_string(const torch::Tensor& t);

}  // namespace dq::model
