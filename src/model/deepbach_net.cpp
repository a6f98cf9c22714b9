#include "model/deepbach_net.h"

#include "model/layers.h"
#include "model/window_lstm.h"

namespace dq::model {

namespace nn = torch::nn;
using music::kNumVoices;

VoiceNetImpl::VoiceNetImpl(const ModelConfig& config, int voice) : voice_(voice), meta_channels_(config.meta_channels) {
  note_embeddings_ = register_module("note_embeddings", note_embeddings(config));
  meta_embeddings_ = register_module("meta_embeddings", meta_embeddings(config));
  left_ = register_module("left", tick_lstm(config));
  right_ = register_module("right", tick_lstm(config));
  const int center_in = config.center_width();
  center_ = register_module("center", nn::Sequential(nn::Linear(center_in, config.linear_hidden), nn::ReLU(),
                                                     nn::Linear(config.linear_hidden, config.linear_hidden)));
  output_ =
      register_module("output", nn::Sequential(nn::Linear(3 * config.linear_hidden, config.linear_hidden), nn::ReLU(),
                                               nn::Linear(config.linear_hidden, config.voice_vocab_size(voice))));
}

std::vector<VocabularyRows> VoiceNetImpl::vocabulary_rows() {
  std::vector<VocabularyRows> rows = embedding_vocabulary_rows(note_embeddings_, meta_embeddings_);
  auto* out = output_[output_->size() - 1]->as<nn::Linear>();
  rows.push_back({out->weight, voice_});
  rows.push_back({out->bias, voice_});
  return rows;
}

std::vector<torch::Tensor> VoiceNetImpl::embedding_tables() const {
  std::vector<torch::Tensor> tables;
  for (const auto& e : *note_embeddings_) tables.push_back(e->as<nn::Embedding>()->weight);
  for (const auto& e : *meta_embeddings_) tables.push_back(e->as<nn::Embedding>()->weight);
  return tables;
}

torch::Tensor VoiceNetImpl::forward(const Windows& w) {
  const std::vector<torch::Tensor> tables = embedding_tables();
  const double dropout = left_->options.dropout();
  const int C = meta_channels_;  // the channels this model reads
  torch::Tensor left = window_lstm(torch::cat({w.left_tokens, w.left_meta.narrow(1, 0, C)}, 1), tables,
                                   left_->all_weights(), dropout, is_training());
  torch::Tensor right = window_lstm(torch::cat({w.right_tokens, w.right_meta.narrow(1, 0, C)}, 1), tables,
                                    right_->all_weights(), dropout, is_training());
  std::vector<torch::Tensor> parts;
  for (int v = 0; v < kNumVoices; ++v) {
    if (v == voice_) continue;
    parts.push_back(note_embeddings_[v]->as<nn::Embedding>()->forward(w.center_tokens.select(1, v)));
  }
  for (int c = 0; c < C; ++c)
    parts.push_back(meta_embeddings_[c]->as<nn::Embedding>()->forward(w.center_meta.select(1, c)));
  torch::Tensor center = center_->forward(torch::cat(parts, -1));
  return output_->forward(torch::cat({left, center, right}, -1));
}

DeepBachNetImpl::DeepBachNetImpl(const ModelConfig& config) : config_(config) {
  for (int v = 0; v < kNumVoices; ++v) {
    voices_.push_back(register_module("voice" + std::to_string(v), VoiceNet(config, v)));
  }
}

std::vector<VocabularyRows> DeepBachNetImpl::vocabulary_rows() {
  std::vector<VocabularyRows> rows;
  for (auto& v : voices_) {
    std::vector<VocabularyRows> own = v->vocabulary_rows();
    rows.insert(rows.end(), own.begin(), own.end());
  }
  return rows;
}

Windows cut_windows(const torch::Tensor& tokens, const torch::Tensor& meta, const torch::Tensor& start,
                    const torch::Tensor& length, const torch::Tensor& tick, int window) {
  const int64_t N = tokens.size(1);
  torch::Tensor tokens_t = tokens.t();  // [N, 4]
  torch::Tensor meta_t = meta.t();      // [N, C]
  auto gather = [&](const torch::Tensor& offsets, int pad_token) {
    torch::Tensor local = tick.unsqueeze(1) + offsets.unsqueeze(0);  // [B, W]
    torch::Tensor inside = (local >= 0) & (local < length.unsqueeze(1));
    torch::Tensor global = (start.unsqueeze(1) + local).clamp(0, N - 1);
    torch::Tensor tok = tokens_t.index({global}).permute({0, 2, 1});  // [B, 4, W]
    torch::Tensor met = meta_t.index({global}).permute({0, 2, 1});    // [B, C, W]
    torch::Tensor mask = inside.unsqueeze(1);
    tok = torch::where(mask, tok, torch::full_like(tok, pad_token));
    met = torch::where(mask, met, torch::zeros_like(met));
    return std::make_pair(tok, met);
  };
  Windows w;
  std::tie(w.left_tokens, w.left_meta) = gather(torch::arange(-window, 0, torch::kInt64), corpus::kStartIndex);
  std::tie(w.right_tokens, w.right_meta) = gather(torch::arange(window, 0, -1, torch::kInt64), corpus::kEndIndex);
  torch::Tensor center = start + tick;
  w.center_tokens = tokens_t.index({center});
  w.center_meta = meta_t.index({center});
  return w;
}

}  // namespace dq::model
