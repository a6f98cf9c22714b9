#include "model/model.h"

#include <algorithm>
#include <filesystem>

#include "corpus/dataset.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::model {

namespace {
constexpr char kFormatTag[] = "deepquartet-model";
}

torch::Tensor string_tensor(const std::string& s) {
  return torch::from_blob(const_cast<char*>(s.data()), {static_cast<int64_t>(s.size())}, torch::kUInt8).clone();
}

std::string tensor_string(const torch::Tensor& t) {
  torch::Tensor c = t.contiguous().to(torch::kUInt8);
  return std::string(reinterpret_cast<const char*>(c.data_ptr<uint8_t>()), static_cast<size_t>(c.numel()));
}

Model Model::create(const ModelConfig& config) {
  Model m;
  m.config = config;
  if (config.preset == Preset::kDeepBach) {
    m.deepbach = DeepBachNet(config);
  } else {
    m.fast = FastNet(config);
  }
  return m;
}

torch::nn::Module& Model::module() {
  if (fast) return *fast;
  return *deepbach;
}

int64_t Model::parameter_count() {
  int64_t n = 0;
  for (const auto& p : module().parameters()) n += p.numel();
  return n;
}

void write_parameters(torch::nn::Module& module, torch::serialize::OutputArchive& archive, const std::string& prefix,
                      bool half) {
  torch::NoGradGuard no_grad;
  for (const auto& item : module.named_parameters()) {
    torch::Tensor t = item.value().detach();
    archive.write(prefix + item.key(), half ? t.to(torch::kHalf) : t.clone());
  }
}

void read_parameters(torch::nn::Module& module, torch::serialize::InputArchive& archive, const std::string& prefix,
                     const std::string& source) {
  torch::NoGradGuard no_grad;
  for (auto& item : module.named_parameters()) {
    torch::Tensor t;
    if (!archive.try_read(prefix + item.key(), t)) {
      throw Error(source + ": parameter " + item.key() + " is missing (file of another preset?)");
    }
    if (t.sizes() != item.value().sizes()) {
      throw Error(source + ": parameter " + item.key() + " has another shape than its configuration says");
    }
    item.value().copy_(t.to(torch::kFloat));
  }
}

std::vector<VocabularyRows> Model::vocabulary_rows() {
  return fast ? fast->vocabulary_rows() : deepbach->vocabulary_rows();
}

namespace {

// For each row of a `to` parameter indexed by voice `voice`'s tokens (or by
// the styles), the row of the same token (style) in a `from` parameter.
std::vector<int64_t> source_rows(const ModelConfig& to, const ModelConfig& from, int voice,
                                 const std::string& source_path) {
  std::vector<int64_t> rows;
  if (voice == VocabularyRows::kStyleRows) {
    rows.push_back(0);  // padding
    for (const std::string& style : to.styles) {
      const int index = corpus::style_index(from.styles, style);
      if (index < 0) throw Error(source_path + ": it has no style '" + style + "'");
      rows.push_back(1 + index);
    }
    if (to.styles.empty()) rows.push_back(1);  // a model without styles reads value 1
    return rows;
  }
  const corpus::VoiceVocabulary &t = to.vocab[voice], &f = from.vocab[voice];
  if (t.low < f.low || t.high > f.high) {
    throw Error(source_path + ": voice " + std::to_string(voice + 1) + " spans MIDI " + std::to_string(f.low) + "-" +
                std::to_string(f.high) + ", this corpus " + std::to_string(t.low) + "-" + std::to_string(t.high));
  }
  for (int i = 0; i < t.size(); ++i) rows.push_back(i < corpus::kFirstPitchIndex ? i : i + t.low - f.low);
  return rows;
}

}  // namespace

void warm_start(Model& target, Model source, const std::string& source_path) {
  const ModelConfig &to = target.config, &from = source.config;
  if (to.preset != from.preset) {
    throw Error(source_path + ": preset " + preset_name(from.preset) + ", the new model is " + preset_name(to.preset));
  }
  torch::NoGradGuard no_grad;
  const std::vector<VocabularyRows> target_rows = target.vocabulary_rows(), given_rows = source.vocabulary_rows();
  if (target_rows.size() != given_rows.size()) throw Error(source_path + ": it reads other metadata channels");
  for (size_t i = 0; i < target_rows.size(); ++i) {
    const auto rows = torch::tensor(source_rows(to, from, target_rows[i].voice, source_path));
    torch::Tensor now = target_rows[i].parameter;
    const torch::Tensor& old = given_rows[i].parameter;
    if (old.sizes().slice(1) != now.sizes().slice(1)) {
      throw Error(source_path + ": its embeddings or heads have another width");
    }
    now.copy_(old.index_select(0, rows));
  }
  auto is_vocabulary_rows = [&](const torch::Tensor& t) {
    for (const auto& r : target_rows)
      if (r.parameter.is_same(t)) return true;
    return false;
  };
  auto given = source.module().named_parameters();
  for (auto& item : target.module().named_parameters()) {
    const torch::Tensor* old = given.find(item.key());
    if (old == nullptr || is_vocabulary_rows(item.value())) continue;
    torch::Tensor& now = item.value();
    if (old->sizes() == now.sizes()) {
      now.copy_(*old);
      continue;
    }
    if (item.key() == "interval_bias") {  // another range: the intervals both have, interval by interval
      const int64_t now_range = (now.size(1) - 1) / 2, old_range = (old->size(1) - 1) / 2;
      const int64_t range = std::min(now_range, old_range);
      now.zero_();
      now.narrow(1, now_range - range, 2 * range + 1).copy_(old->narrow(1, old_range - range, 2 * range + 1));
      continue;
    }
    const bool more_columns =
        now.dim() == 2 && old->dim() == 2 && now.size(0) == old->size(0) && now.size(1) > old->size(1);
    if (!more_columns) throw Error(source_path + ": parameter " + item.key() + " cannot be carried over (shape)");
    now.zero_();
    now.narrow(1, 0, old->size(1)).copy_(*old);
  }
}

void save_model(Model& model, const std::string& path, bool half) {
  torch::serialize::OutputArchive archive;
  archive.write("format", string_tensor(kFormatTag));
  archive.write("version", torch::tensor(static_cast<int64_t>(kModelFormatVersion)));
  nlohmann::json info = {{"config", to_json(model.config)},
                         {"corpus", model.corpus},
                         {"metrics", model.metrics},
                         {"training", model.training}};
  archive.write("info", string_tensor(info.dump()));
  write_parameters(model.module(), archive, "param/", half);
  std::string tmp = util::temp_path_beside(path);
  try {
    archive.save_to(tmp);
  } catch (const std::exception& e) {
    std::remove(tmp.c_str());
    throw Error(path + ": cannot write the model (" + std::string(e.what()).substr(0, 200) + ")");
  }
  util::commit_temp_file(tmp, path);
}

Model load_model(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw Error(path + ": no such file");
  if (!std::filesystem::is_regular_file(path, ec)) throw Error(path + ": not a regular file");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
  } catch (const std::exception&) {
    throw Error(path + ": not a deepquartet model file (unreadable archive)");
  }
  try {
    torch::Tensor tag, version, info_bytes;
    if (!archive.try_read("format", tag) || tensor_string(tag) != kFormatTag) {
      throw Error(path + ": not a deepquartet model file");
    }
    if (!archive.try_read("version", version) || version.numel() != 1) throw Error(path + ": model version missing");
    int64_t v = version.item<int64_t>();
    if (v != kModelFormatVersion) {
      throw Error(path + ": model format version " + std::to_string(v) + ", this program reads version " +
                  std::to_string(kModelFormatVersion));
    }
    if (!archive.try_read("info", info_bytes)) throw Error(path + ": model description missing");
    nlohmann::json info = nlohmann::json::parse(tensor_string(info_bytes), nullptr, false);
    if (info.is_discarded() || !info.is_object() || !info.contains("config")) {
      throw Error(path + ": model description is not valid JSON");
    }
    ModelConfig config;
    try {
      config = config_from_json(info["config"]);
    } catch (const Error& e) {
      throw Error(path + ": " + e.what());
    }
    Model model = Model::create(config);
    model.corpus = info.value("corpus", nlohmann::json::object());
    model.metrics = info.value("metrics", nlohmann::json::object());
    model.training = info.value("training", nlohmann::json::object());
    read_parameters(model.module(), archive, "param/", path);
    model.module().eval();
    return model;
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(path + ": corrupt model file (" + std::string(e.what()).substr(0, 200) + ")");
  }
}

}  // namespace dq::model
