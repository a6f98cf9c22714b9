// One LSTM layer over a whole sequence, forward and backward written out for
// the CPU: the building block of window_lstm and sequence_lstm. The numbers
// are torch::nn::LSTM's (gate order i, f, g, o; zero initial state), but only
// the recurrent product is done tick by tick; each tick's gate activations
// and cell update are one fused pass, and every product that does not depend
// on the previous tick is left to the caller to batch over all ticks.
// Tensors are float32, contiguous, ticks first: [T, B, ...].
#pragma once

#include <array>
#include <functional>
#include <vector>

#include <torch/torch.h>

namespace dq::model {

// What the forward pass of a layer keeps for its backward pass.
struct LstmLayerRun {
  torch::Tensor gates;   // [T, B, 4H] activations i, f, g, o
  torch::Tensor cells;   // [T, B, H]
  torch::Tensor hidden;  // [T, B, H], the layer's outputs
};

// What the forward pass of a stack of layers keeps for its backward pass.
struct LstmStackRun {
  std::vector<LstmLayerRun> layers;
  // Per layer from the second: its input (the output below times its dropout
  // mask, kept rather than recomputed in the backward pass) and that mask
  // (none when not training).
  std::vector<torch::Tensor> upper_inputs, masks;

  // Appends a layer's run; below the top layer, also the next layer's input.
  void add(const LstmLayerRun& run, bool top, double dropout, bool training);
  // Into and out of an autograd context's saved data.
  void save(torch::autograd::AutogradContext* ctx) const;
  static LstmStackRun load(torch::autograd::AutogradContext* ctx);
};

// One tick of a layer for B rows: gates [B, 4H] hold the pre-activations on
// entry and the activations i, f, g, o on return; c = f * c_prev + i * g and
// h = o * tanh(c) ([B, H] each; c may be c_prev). The kernel of every LSTM
// here, in training and in sampling.
void lstm_cell_forward(float* gates, const float* c_prev, float* c, float* h, int64_t B, int64_t H);

// Runs a layer: `gates` [T, B, 4H] holds each tick's input product plus both
// biases on entry (it is overwritten with the activations); w_hh [4H, H].
LstmLayerRun lstm_layer_forward(torch::Tensor gates, const torch::Tensor& w_hh);

// The gradient of the gate pre-activations [T, B, 4H], given the gradient of
// the layer's output at tick t from outside the layer: output_grad(t) points
// at B x H floats, or is null where that gradient is zero.
using OutputGrad = std::function<const float*(int64_t tick)>;
torch::Tensor lstm_layer_backward(const LstmLayerRun& run, const torch::Tensor& w_hh, const OutputGrad& output_grad);

// The gradients of w_hh and of the biases b_ih and b_hh from the gate
// gradients [T, B, 4H]: {d w_hh, d b_ih, d b_hh}.
std::array<torch::Tensor, 3> lstm_recurrent_grads(const LstmLayerRun& run, const torch::Tensor& gate_grads);

// An input slot of embedded tokens folded into the first layer's input
// product: embedding [V, E] times the columns column .. column + E - 1 of
// w_ih [4H, D], transposed, so row v is token v's share of the gates: [V, 4H].
torch::Tensor fold_embedding(const torch::Tensor& embedding, const torch::Tensor& w_ih, int64_t column);

// A dropout mask of the given shape (1 / keep or 0, each kept with
// probability 1 - dropout), seeded from torch's generator.
torch::Tensor lstm_dropout_mask(at::IntArrayRef sizes, double dropout);

}  // namespace dq::model
