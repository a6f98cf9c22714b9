// The layers both presets build alike: a note embedding per voice, a
// metadata embedding per channel read, and the LSTMs over embedded ticks
// (DeepBach's left and right windows; FastNet's forward and backward trunk).
#pragma once

#include <torch/torch.h>

#include "model/config.h"

namespace dq::model {

// Embedding(vocabulary of voice v, note_embedding) for v = 0..3.
torch::nn::ModuleList note_embeddings(const ModelConfig& config);
// Embedding(size of channel c, meta_embedding) for each channel read.
torch::nn::ModuleList meta_embeddings(const ModelConfig& config);
// An LSTM over embedded ticks (config.tick_width() wide): lstm_hidden,
// lstm_layers, batch first, dropout between layers.
torch::nn::LSTM tick_lstm(const ModelConfig& config);

// A parameter whose rows are indexed by a vocabulary: voice `voice`'s tokens
// (0-3), or the style channel's values (kStyleRows). A warm start from a model
// of another corpus maps these rows by pitch and by style name.
struct VocabularyRows {
  static constexpr int kStyleRows = -1;
  torch::Tensor parameter;
  int voice;
};
// The parameters of `note_embeddings` and `meta_embeddings` (built as above)
// indexed by a vocabulary: every note embedding, and the style channel's
// embedding when it is read.
std::vector<VocabularyRows> embedding_vocabulary_rows(const torch::nn::ModuleList& note_embeddings,
                                                      const torch::nn::ModuleList& meta_embeddings);

}  // namespace dq::model
