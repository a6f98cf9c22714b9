// DeepBachNet, preset "deepbach": the published network (Hadjeres, Pachet and
// Nielsen 2017), one VoiceNet per voice. A VoiceNet predicts its voice at
// tick t from a 2-layer LSTM over the `window` ticks before t (all voices and
// metadata, embedded), a 2-layer LSTM over the `window` ticks after t read
// backwards, and an MLP over the other voices and the metadata at t; an
// output MLP maps the three to the voice's vocabulary. The LSTMs hold their
// weights as torch::nn::LSTM modules and run through window_lstm.
#pragma once

#include <torch/torch.h>

#include "model/config.h"
#include "model/layers.h"

namespace dq::model {

// A batch of windows around target ticks: left ticks t-window..t-1 in time
// order, right ticks t+window..t+1 (reversed, nearest last), the centre tick.
struct Windows {
  torch::Tensor left_tokens, left_meta;      // [B, 4, W], [B, C, W]
  torch::Tensor right_tokens, right_meta;    // [B, 4, W], [B, C, W]
  torch::Tensor center_tokens, center_meta;  // [B, 4], [B, C]
};

class VoiceNetImpl : public torch::nn::Module {
 public:
  VoiceNetImpl(const ModelConfig& config, int voice);
  torch::Tensor forward(const Windows& w);  // logits [B, V]
  // The parameters indexed by a vocabulary (embeddings, the output rows).
  std::vector<VocabularyRows> vocabulary_rows();

 private:
  // The note embeddings of the four voices, then those of the metadata channels.
  std::vector<torch::Tensor> embedding_tables() const;

  int voice_;
  int meta_channels_;  // the metadata channels it reads (see ModelConfig)
  torch::nn::ModuleList note_embeddings_{nullptr};
  torch::nn::ModuleList meta_embeddings_{nullptr};
  torch::nn::LSTM left_{nullptr}, right_{nullptr};
  torch::nn::Sequential center_{nullptr}, output_{nullptr};
};
TORCH_MODULE(VoiceNet);

class DeepBachNetImpl : public torch::nn::Module {
 public:
  explicit DeepBachNetImpl(const ModelConfig& config);
  VoiceNet& voice(int v) { return voices_[v]; }
  const ModelConfig& config() const { return config_; }
  // Those of the four voice networks, in voice order.
  std::vector<VocabularyRows> vocabulary_rows();

 private:
  ModelConfig config_;
  std::vector<VoiceNet> voices_;
};
TORCH_MODULE(DeepBachNet);

// Windows of `window` ticks around B targets, cut from concatenated
// sequences tokens [4, N] / meta [C, N] (int64): target i is tick tick[i] of
// the sequence occupying columns start[i] .. start[i] + length[i] - 1. Ticks
// beyond a sequence's ends read as START (left) or END (right) with padding
// metadata.
Windows cut_windows(const torch::Tensor& tokens, const torch::Tensor& meta, const torch::Tensor& start,
                    const torch::Tensor& length, const torch::Tensor& tick, int window);

}  // namespace dq::model
