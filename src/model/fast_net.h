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
// training target at once. With ModelConfig::interval_range > 0 each voice's
// pitch logits also get a learned bias by the interval from the voice's last
// note before t (its last pitch, reached back through holds and rests), so
// that how often a voice repeats its note or moves by step is one parameter
// each rather than something every head must learn for every pitch. Because past(t) depends only on ticks < t, a
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
  // The interval bias [4, 2 * interval_range + 1] (column i: the interval i -
  // interval_range semitones); undefined without one.
  const torch::Tensor& interval_table() const { return interval_table_; }
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
  // `logits` [N, V] of `voice` plus its interval bias, `last` from last_pitch_indices.
  torch::Tensor with_interval_bias(int voice, const torch::Tensor& logits, const torch::Tensor& last);

  ModelConfig config_;
  torch::nn::ModuleList note_embeddings_{nullptr};
  torch::nn::ModuleList meta_embeddings_{nullptr};
  torch::nn::LSTM forward_lstm_{nullptr};
  torch::nn::LSTM backward_lstm_{nullptr};
  torch::nn::ModuleList centers_{nullptr};
  torch::nn::ModuleList heads_{nullptr};
  torch::nn::Dropout input_dropout_{nullptr};
  torch::Tensor interval_table_;
};
TORCH_MODULE(FastNet);

// Per voice and tick of `tokens` [B, 4, L], the vocabulary index of the
// voice's last pitch before that tick, reached back through holds and rests;
// -1 where a hidden position, START or the crop's start comes first.
torch::Tensor last_pitch_indices(const torch::Tensor& tokens);

// The interval bias of one voice's logits [N, V]: `table` [2R + 1] of that
// voice, `last` [N] its last pitch indices (last_pitch_indices; -1: none).
// Pitch index i gets table[i - last + R] where |i - last| <= R; other
// tokens and positions without a last pitch get 0.
torch::Tensor interval_bias(const torch::Tensor& table, const torch::Tensor& last, int64_t vocabulary);

}  // namespace dq::model
