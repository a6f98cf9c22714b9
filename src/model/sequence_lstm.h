// The trunk LSTMs of preset "fast", with their forward and backward passes
// written out for the CPU (see lstm_layer.h). The result is that of a
// batch-first torch::nn::LSTM (gate order i, f, g, o; two biases; dropout
// between layers when training; zero initial state) over a whole sequence,
// returning the top layer's output at every tick. Every product that does not
// depend on the previous tick (each layer's input product, the gradients of
// the weights and of the input) is one matrix product over all ticks, so
// only the small recurrent product is done tick by tick.
#pragma once

#include <vector>

#include <torch/torch.h>

namespace dq::model {

// input [B, T, D] float32; lstm_weights: per layer w_ih, w_hh, b_ih, b_hh, as
// in torch::nn::LSTM::all_weights(). Returns the top layer's outputs
// [B, T, H]; differentiable with respect to the input and the weights.
torch::Tensor sequence_lstm(const torch::Tensor& input, const std::vector<torch::Tensor>& lstm_weights, double dropout,
                            bool training);

}  // namespace dq::model
