#include "model/config.h"

#include <algorithm>
#include <cmath>

#include "util/error.h"

namespace dq::model {

const char* preset_name(Preset preset) { return preset == Preset::kDeepBach ? "deepbach" : "fast"; }

Preset parse_preset(const std::string& name) {
  if (name == "fast") return Preset::kFast;
  if (name == "deepbach") return Preset::kDeepBach;
  throw Error("unknown preset '" + name + "' (choose fast or deepbach)");
}

ModelConfig preset_config(Preset preset) {
  ModelConfig c;
  c.preset = preset;
  if (preset == Preset::kDeepBach) c.input_dropout = 0;
  return c;
}

ModelConfig preset_config(const std::string& name) { return preset_config(parse_preset(name)); }

nlohmann::json to_json(const ModelConfig& c) {
  nlohmann::json vocab = nlohmann::json::array();
  for (const auto& v : c.vocab) vocab.push_back({{"low", v.low}, {"high", v.high}});
  return {{"preset", preset_name(c.preset)},
          {"note_embedding", c.note_embedding},
          {"meta_embedding", c.meta_embedding},
          {"lstm_hidden", c.lstm_hidden},
          {"lstm_layers", c.lstm_layers},
          {"linear_hidden", c.linear_hidden},
          {"dropout", c.dropout},
          {"input_dropout", c.input_dropout},
          {"window", c.window},
          {"vocabulary", vocab},
          {"styles", c.styles},
          {"masking", c.masking},
          {"chronological", c.chronological},
          {"interval_range", c.interval_range},
          {"melodic_tilt", c.melodic_tilt},
          {"metadata", std::vector<std::string>(corpus::meta_channel_names().begin(),
                                                corpus::meta_channel_names().begin() + c.meta_channels)}};
}

ModelConfig config_from_json(const nlohmann::json& j) {
  ModelConfig c;
  try {
    c.preset = parse_preset(j.at("preset").get<std::string>());
    c.note_embedding = j.at("note_embedding").get<int>();
    c.meta_embedding = j.at("meta_embedding").get<int>();
    c.lstm_hidden = j.at("lstm_hidden").get<int>();
    c.lstm_layers = j.at("lstm_layers").get<int>();
    c.linear_hidden = j.at("linear_hidden").get<int>();
    c.dropout = j.at("dropout").get<double>();
    c.input_dropout = j.at("input_dropout").get<double>();
    c.window = j.at("window").get<int>();
    const auto& vocab = j.at("vocabulary");
    if (!vocab.is_array() || vocab.size() != c.vocab.size()) throw Error("vocabulary must list 4 voices");
    for (size_t v = 0; v < c.vocab.size(); ++v) {
      c.vocab[v].low = vocab[v].at("low").get<int>();
      c.vocab[v].high = vocab[v].at("high").get<int>();
    }
    c.styles = j.at("styles").get<std::vector<std::string>>();
    c.masking = j.value("masking", 0.0);
    c.chronological = j.value("chronological", 0.0);
    c.interval_range = j.value("interval_range", 0);
    if (j.contains("melodic_tilt")) c.melodic_tilt = j.at("melodic_tilt").get<std::map<std::string, MelodicTilt>>();
    c.meta_channels = static_cast<int>(j.at("metadata").size());
    const auto& names = corpus::meta_channel_names();
    for (int i = 0; i < c.meta_channels && i < corpus::kNumMetaChannels; ++i) {
      if (j["metadata"][i].get<std::string>() != names[i]) throw Error("unknown metadata channel order");
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("model configuration: ") + e.what());
  }
  auto positive = [](int v, int hi) { return v > 0 && v <= hi; };
  bool sane = positive(c.note_embedding, 1024) && positive(c.meta_embedding, 1024) && positive(c.lstm_hidden, 4096) &&
              positive(c.lstm_layers, 8) && positive(c.linear_hidden, 4096) && positive(c.window, 256) &&
              c.dropout >= 0 && c.dropout < 1 && c.input_dropout >= 0 && c.input_dropout < 1 &&
              c.meta_channels >= corpus::kNumMetaChannels - 1 && c.meta_channels <= corpus::kNumMetaChannels &&
              c.masking >= 0 && c.masking <= 1 && c.chronological >= 0 && c.chronological <= 1 &&
              c.interval_range >= 0 && c.interval_range <= 127;
  for (const auto& v : c.vocab) sane = sane && v.low >= 0 && v.high <= 127 && v.low <= v.high;
  for (const auto& [style, tilt] : c.melodic_tilt) {
    sane = sane &&
           (c.styles.empty() ? style.empty() : std::find(c.styles.begin(), c.styles.end(), style) != c.styles.end());
    for (const auto& voice : tilt)
      for (float nats : voice) sane = sane && std::isfinite(nats) && std::abs(nats) <= 20;
  }
  if (!sane) throw Error("model configuration: a hyper-parameter is out of range");
  return c;
}

}  // namespace dq::model
