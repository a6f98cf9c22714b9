#include "model/layers.h"

namespace dq::model {

namespace nn = torch::nn;

nn::ModuleList note_embeddings(const ModelConfig& config) {
  nn::ModuleList list;
  for (int v = 0; v < music::kNumVoices; ++v)
    list->push_back(nn::Embedding(config.voice_vocab_size(v), config.note_embedding));
  return list;
}

nn::ModuleList meta_embeddings(const ModelConfig& config) {
  nn::ModuleList list;
  for (int size : config.meta_sizes()) list->push_back(nn::Embedding(size, config.meta_embedding));
  return list;
}

std::vector<VocabularyRows> embedding_vocabulary_rows(const nn::ModuleList& note_embeddings,
                                                      const nn::ModuleList& meta_embeddings) {
  std::vector<VocabularyRows> rows;
  for (int v = 0; v < music::kNumVoices; ++v) rows.push_back({note_embeddings->at<nn::EmbeddingImpl>(v).weight, v});
  if (meta_embeddings->size() > static_cast<size_t>(corpus::kStyle)) {
    rows.push_back({meta_embeddings->at<nn::EmbeddingImpl>(corpus::kStyle).weight, VocabularyRows::kStyleRows});
  }
  return rows;
}

nn::LSTM tick_lstm(const ModelConfig& config) {
  auto options =
      nn::LSTMOptions(config.tick_width(), config.lstm_hidden).num_layers(config.lstm_layers).batch_first(true);
  if (config.lstm_layers > 1) options.dropout(config.dropout);
  return nn::LSTM(options);
}

}  // namespace dq::model
