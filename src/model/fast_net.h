// FastNet, the default preset: DeepBach's conditional with a shared trunk.
//
// Every tick is embedded once (four note embeddings + the metadata
// embeddings). A forward LSTM reads the ticks left to right and a backward
// LSTM right to left, once over the whole sequence. Voice v at tick t is
// predicted by its own head from
//   past(t)   = forward state after tick t-1,
//   future(t) = backward state after tick t+1,
//   center(t) = an MLP over the other three voices and the metadata at t,
// so the four heads share the two LSTM passes, and every tick of a crop is a
// training target at once. Because past(t) depends only on ticks < t, a
// sampler can sweep left to right advancing the forward LSTM one step per
// tick (model/fast_net_stepper.h runs this network one tick at a time).
#pragma once

#include <array>

#include <torch/torch.h>

#include "model/config.h"
#include "model/layers.h"

namespace dq::model {

class FastNetImpl : public torch::nn::Module {
 public:
  explicit FastNetImpl(const ModelConfig& config);

  // Embedded ticks: tokens [B, 4, L] and meta [B, C, L] (int64) -> [B, L, D];
  // only the first config().meta_channels channels of `meta` are read.
  torch::Tensor embed(const torch::Tensor& tokens, const torch::Tensor& meta);
  // Training forward: logits of every voice at every tick of the crops.
  std::array<torch::Tensor, 4> forward(const torch::Tensor& tokens, const torch::Tensor& meta);

  // Logits of the chronological factorization p(x) = prod over ticks t and
  // voices v in score order of p(x[v,t] | every tick before t, voices above v
  // at t): the past is read from `tokens`, the future is hidden (kMaskIndex)
  // and so are the voices below v at t. `known` [B, 4] (bool; undefined: none)
  // marks voices known throughout, never hidden, as a melody to harmonize is
  // in a chronological pass. Meaningful for a model trained with masks
  // (Model::trained_with_masks); with no voice known the sum of the targets'
  // log-probabilities is then a true log-likelihood of the piece given its
  // metadata.
  std::array<torch::Tensor, 4> chronological(const torch::Tensor& tokens, const torch::Tensor& meta,
                                             const torch::Tensor& known = {});

  const ModelConfig& config() const { return config_; }
  // The parameters indexed by a vocabulary (embeddings, the heads' output rows).
  std::vector<VocabularyRows> vocabulary_rows();

 private:
  torch::Tensor embed_meta(const torch::Tensor& meta);  // [..., C] -> [..., C*M]
  // past[:, t] = forward LSTM output after ticks 0..t-1 (zeros at t = 0).
  torch::Tensor past(const torch::Tensor& embedded);
  // future[:, t] = backward LSTM output after ticks L-1..t+1 (zeros at t = L-1).
  torch::Tensor future(const torch::Tensor& embedded);
  // Logits of `voice` [N, V] from past [N, H], future [N, H], the four voices'
  // tokens [N, 4] and the metadata [N, C] at the target tick.
  torch::Tensor head(int voice, const torch::Tensor& past, const torch::Tensor& future, const torch::Tensor& tokens,
                     const torch::Tensor& meta);

  ModelConfig config_;
  torch::nn::ModuleList note_embeddings_{nullptr};
  torch::nn::ModuleList meta_embeddings_{nullptr};
  torch::nn::LSTM forward_lstm_{nullptr};
  torch::nn::LSTM backward_lstm_{nullptr};
  torch::nn::ModuleList centers_{nullptr};
  torch::nn::ModuleList heads_{nullptr};
  torch::nn::Dropout input_dropout_{nullptr};
};
TORCH_MODULE(FastNet);

}  // namespace dq::model
