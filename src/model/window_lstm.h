// The window LSTMs of preset "deepbach", with their forward and backward
// passes written out for the CPU. The result is that of torch::nn::LSTM
// (gate order i, f, g, o; two biases; dropout between layers when training;
// zero initial state) run over the concatenated embeddings of each tick's
// tokens, taking the top layer's output at the last tick. It does less work
// than that composition, for the same numbers up to float rounding:
// - the first layer's input product is folded into one table per token slot
//   (embedding times that slot's columns of the input weights), so neither
//   the forward product nor the gradient with respect to the embedded input
//   is ever formed as a large matrix product;
// - every product that does not depend on the previous tick (inputs of the
//   upper layers, all weight gradients) is one matrix product over all ticks;
// - each tick's gate activations and cell update are one fused pass.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace dq::model {

// tokens [B, S, T] (int64): slot s of tick t indexes embeddings[s] [V_s, E_s];
// the layer input of a tick is the concatenation of its S embeddings in slot
// order. lstm_weights: per layer w_ih, w_hh, b_ih, b_hh, as in
// torch::nn::LSTM::all_weights(). Returns the top layer's output at tick
// T - 1, [B, H]; differentiable with respect to embeddings and weights.
torch::Tensor window_lstm(const torch::Tensor& tokens, const std::vector<torch::Tensor>& embeddings,
                          const std::vector<torch::Tensor>& lstm_weights, double dropout, bool training);

}  // namespace dq::model
