#include "model/sequence_lstm.h"

#include <stdexcept>

#include "model/lstm_layer.h"

namespace dq::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct SequenceLstmFunction : torch::autograd::Function<SequenceLstmFunction> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& input, torch::TensorList weights,
                               double dropout, bool training) {
    const int64_t B = input.size(0), T = input.size(1);
    const int64_t L = static_cast<int64_t>(weights.size()) / 4, G = weights[0].size(0);
    const torch::Tensor first_input = input.transpose(0, 1).contiguous();  // [T, B, D]
    LstmStackRun stack;
    for (int64_t l = 0; l < L; ++l) {
      const torch::Tensor& x = l == 0 ? first_input : stack.upper_inputs.back();
      const torch::Tensor bias = weights[4 * l + 2] + weights[4 * l + 3];
      torch::Tensor g = torch::addmm(bias, x.view({T * B, -1}), weights[4 * l].t()).view({T, B, G});
      stack.add(lstm_layer_forward(g, weights[4 * l + 1]), l + 1 == L, dropout, training);
    }
    ctx->save_for_backward(std::vector<torch::Tensor>(weights.begin(), weights.end()));
    ctx->saved_data["first_input"] = first_input;
    stack.save(ctx);
    return stack.layers.back().hidden.transpose(0, 1).contiguous();
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const std::vector<torch::Tensor> weights = ctx->get_saved_variables();
    const torch::Tensor first_input = ctx->saved_data["first_input"].toTensor();
    const LstmStackRun stack = LstmStackRun::load(ctx);
    const int64_t L = static_cast<int64_t>(weights.size()) / 4;
    const torch::Tensor& gates0 = stack.layers[0].gates;
    const int64_t T = gates0.size(0), B = gates0.size(1), G = gates0.size(2);

    // The gradient of the current layer's outputs from above it, [T, B, H].
    torch::Tensor external = grad_outputs[0].transpose(0, 1).contiguous();
    variable_list grads(1 + 4 * L + 2);
    for (int64_t l = L - 1; l >= 0; --l) {
      const torch::Tensor& w_ih = weights[4 * l];
      const LstmLayerRun& run = stack.layers[l];
      const OutputGrad output_grad = [&](int64_t t) -> const float* {
        return external.data_ptr<float>() + t * external.stride(0);
      };
      const torch::Tensor dg = lstm_layer_backward(run, weights[4 * l + 1], output_grad);
      const torch::Tensor dg_rows = dg.view({T * B, G});
      auto [d_w_hh, d_b_ih, d_b_hh] = lstm_recurrent_grads(run, dg);
      const torch::Tensor& x = l == 0 ? first_input : stack.upper_inputs[l - 1];
      grads[1 + 4 * l] = dg_rows.t().mm(x.view({T * B, -1}));
      grads[1 + 4 * l + 1] = d_w_hh;
      grads[1 + 4 * l + 2] = d_b_ih;
      grads[1 + 4 * l + 3] = d_b_hh;
      external = dg_rows.mm(w_ih).view({T, B, -1});
      if (l > 0 && !stack.masks.empty()) external.mul_(stack.masks[l - 1]);
    }
    grads[0] = external.transpose(0, 1);
    return grads;
  }
};

}  // namespace

torch::Tensor sequence_lstm(const torch::Tensor& input, const std::vector<torch::Tensor>& lstm_weights, double dropout,
                            bool training) {
  if (input.dim() != 3 || input.scalar_type() != torch::kFloat32 || input.size(1) < 1 || lstm_weights.empty() ||
      lstm_weights.size() % 4 != 0)
    throw std::invalid_argument("sequence_lstm: input must be float [B, T >= 1, D], weights 4 per layer");
  if (lstm_weights[0].size(1) != input.size(2))
    throw std::invalid_argument("sequence_lstm: the first layer's input size is not the input's width");
  return SequenceLstmFunction::apply(input, torch::TensorList(lstm_weights), dropout, training);
}

}  // namespace dq::model
