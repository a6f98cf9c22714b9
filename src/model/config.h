// ModelConfig: everything that defines a network besides its weights — the
// preset, every hyper-parameter, the vocabularies, the metadata definitions
// and the styles — with JSON conversion for the model file.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "corpus/encoding.h"
#include "music/melody.h"

namespace dq::model {

// The two network designs.
//  kDeepBach ("deepbach"): the published network. Four independent voice
//    models, each reading 16 ticks of past and 16 of future through its own
//    2-layer LSTMs.
//  kFast ("fast", default): the same conditional (each voice at tick t from
//    the past, the future and the other voices at t), but one forward and one
//    backward LSTM trunk shared by the four voice heads, run once over a
//    whole crop (training) or piece (sampling) instead of once per target.
enum class Preset { kFast, kDeepBach };

// Nats per voice and melodic interval bucket (music::interval_bucket).
using MelodicTilt = std::array<std::array<float, music::kIntervalBuckets>, music::kNumVoices>;

// "fast", "deepbach": the names flags and model files use.
const char* preset_name(Preset preset);
// The preset named `name`; throws dq::Error naming the two there are.
Preset parse_preset(const std::string& name);

struct ModelConfig {
  Preset preset = Preset::kFast;
  int note_embedding = 20;
  int meta_embedding = 20;
  int lstm_hidden = 256;
  int lstm_layers = 2;
  int linear_hidden = 256;
  double dropout = 0.5;        // between LSTM layers
  double input_dropout = 0.2;  // on the embedded inputs and before the heads ("fast" only)
  int window = 16;             // ticks of past and of future ("deepbach" only)
  // Metadata channels read: the first meta_channels of corpus::MetaChannel
  // (models made before kToEnd read one fewer).
  int meta_channels = corpus::kNumMetaChannels;
  // Fraction of training crops with hidden (masked) positions ("fast" only):
  // a model trained with masks can start sampling from a chronological pass
  // instead of noise (see sample/sampler.h).
  double masking = 0;
  // Fraction of training crops trained on the chronological factorization
  // instead ("fast" only; FastNetImpl::chronological, some voices known): at
  // every tick the conditional the chronological start draws from.
  double chronological = 0;
  // "fast" only: a learned bias per voice on the interval from the voice's
  // last note, added to its pitch logits (FastNetImpl::interval_bias), for
  // intervals up to this many semitones either way; 0: none (models made
  // before it). Absolute pitch outputs give an under-trained network no
  // direct way to say how often a voice repeats its note or moves by step.
  int interval_range = 0;
  corpus::Vocabulary vocab;
  std::vector<std::string> styles;
  // Per style, the melodic tilt the "fast" sweeps sample it with
  // (sample/melodic_tilt.h), fitted by `deepquartet calibrate`; a style
  // missing here has none (models made before it have none).
  std::map<std::string, MelodicTilt> melodic_tilt;

  int voice_vocab_size(int voice) const { return vocab[voice].size(); }
  // The width of an embedded tick (four notes and the metadata read), which
  // both presets' LSTMs read, and of a centre's input (the other three notes
  // and the metadata).
  int tick_width() const { return music::kNumVoices * note_embedding + meta_channels * meta_embedding; }
  int center_width() const { return (music::kNumVoices - 1) * note_embedding + meta_channels * meta_embedding; }
  // Sizes of the channels read.
  std::vector<int> meta_sizes() const {
    auto all = corpus::meta_channel_sizes(static_cast<int>(styles.size()));
    return std::vector<int>(all.begin(), all.begin() + meta_channels);
  }
};

// Defaults of a preset.
ModelConfig preset_config(Preset preset);
// Defaults of the preset named `name` ("fast" or "deepbach"); throws dq::Error otherwise.
ModelConfig preset_config(const std::string& name);

nlohmann::json to_json(const ModelConfig& config);
// Throws dq::Error naming the missing or invalid field.
ModelConfig config_from_json(const nlohmann::json& j);

}  // namespace dq::model
