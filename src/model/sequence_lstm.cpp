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
    // Per layer, its input [T, B, In]: above the first, the masked output
    // below (kept rather than recomputed in the backward pass).
    std::vector<torch::Tensor> inputs = {input.transpose(0, 1).contiguous()};
    std::vector<torch::Tensor> gates, cells, hidden, masks;
    for (int64_t l = 0; l < L; ++l) {
      const torch::Tensor bias = weights[4 * l + 2] + weights[4 * l + 3];
      torch::Tensor g = torch::addmm(bias, inputs.back().view({T * B, -1}), weights[4 * l].t()).view({T, B, G});
      LstmLayerRun run = lstm_layer_forward(g, weights[4 * l + 1]);
      gates.push_back(run.gates);
      cells.push_back(run.cells);
      hidden.push_back(run.hidden);
      if (l + 1 < L) {
        if (training && dropout > 0) {
          masks.push_back(lstm_dropout_mask(run.hidden.sizes(), dropout));
          inputs.push_back(run.hidden * masks.back());
        } else {
          inputs.push_back(run.hidden);
        }
      }
    }
    ctx->save_for_backward(std::vector<torch::Tensor>(weights.begin(), weights.end()));
    ctx->saved_data["gates"] = gates;
    ctx->saved_data["cells"] = cells;
    ctx->saved_data["hidden"] = hidden;
    ctx->saved_data["inputs"] = inputs;
    ctx->saved_data["masks"] = masks;
    return hidden.back().transpose(0, 1).contiguous();
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const std::vector<torch::Tensor> weights = ctx->get_saved_variables();
    const auto gates = ctx->saved_data["gates"].toTensorVector();
    const auto cells = ctx->saved_data["cells"].toTensorVector();
    const auto hidden = ctx->saved_data["hidden"].toTensorVector();
    const auto inputs = ctx->saved_data["inputs"].toTensorVector();
    const auto masks = ctx->saved_data["masks"].toTensorVector();
    const int64_t L = static_cast<int64_t>(weights.size()) / 4;
    const int64_t T = gates[0].size(0), B = gates[0].size(1), G = gates[0].size(2);

    // The gradient of the current layer's outputs from above it, [T, B, H].
    torch::Tensor external = grad_outputs[0].transpose(0, 1).contiguous();
    variable_list grads(1 + 4 * L + 2);
    for (int64_t l = L - 1; l >= 0; --l) {
      const torch::Tensor& w_ih = weights[4 * l];
      const LstmLayerRun run{gates[l], cells[l], hidden[l]};
      const OutputGrad output_grad = [&](int64_t t) -> const float* {
        return external.data_ptr<float>() + t * external.stride(0);
      };
      const torch::Tensor dg = lstm_layer_backward(run, weights[4 * l + 1], output_grad);
      const torch::Tensor dg_rows = dg.view({T * B, G});
      auto [d_w_hh, d_b_ih, d_b_hh] = lstm_recurrent_grads(run, dg);
      grads[1 + 4 * l] = dg_rows.t().mm(inputs[l].view({T * B, -1}));
      grads[1 + 4 * l + 1] = d_w_hh;
      grads[1 + 4 * l + 2] = d_b_ih;
      grads[1 + 4 * l + 3] = d_b_hh;
      external = dg_rows.mm(w_ih).view({T, B, -1});
      if (l > 0 && !masks.empty()) external.mul_(masks[l - 1]);
    }
    grads[0] = external.transpose(0, 1);
    return grads;
  }
};

}  // namespace

torch::Tensor sequence_lstm(const torch::Tensor& input, const std::vector<torch::Tensor>& lstm_weights,
                            double dropout, bool training) {
  if (input.dim() != 3 || input.scalar_type() != torch::kFloat32 || input.size(1) < 1 || lstm_weights.empty() ||
      lstm_weights.size() % 4 != 0)
    throw std::invalid_argument("sequence_lstm: input must be float [B, T >= 1, D], weights 4 per layer");
  if (lstm_weights[0].size(1) != input.size(2))
    throw std::invalid_argument("sequence_lstm: the first layer's input size is not the input's width");
  return SequenceLstmFunction::apply(input, torch::TensorList(lstm_weights), dropout, training);
}

}  // namespace dq::model
