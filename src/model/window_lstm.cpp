#include "model/window_lstm.h"

#include <stdexcept>
#include <string>

#include "model/float_vectors.h"
#include "model/lstm_layer.h"

namespace dq::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;
using namespace vec;

// out[r] = bias + sum over slots s of tables[s][index[r][s]], for R rows of G.
DQ_VECTOR_CLONES void gather_tables(const int64_t* index, const std::vector<const float*>& tables, const float* bias,
                                    float* out, int64_t R, int64_t G) {
  const int64_t S = static_cast<int64_t>(tables.size());
  for (int64_t r = 0; r < R; ++r) {
    for (int64_t k = 0; k < G; k += kLanes) {
      const int64_t n = G - k;
      Floats sum = load(bias + k, n);
      for (int64_t s = 0; s < S; ++s) sum += load(tables[s] + index[r * S + s] * G + k, n);
      store(out + r * G + k, n, sum);
    }
  }
}

// The backward pass of gather_tables: sums[s][index[r][s]] += grad[r].
DQ_VECTOR_CLONES void scatter_rows(const int64_t* index, const float* grad, const std::vector<float*>& sums, int64_t R,
                                   int64_t G) {
  const int64_t S = static_cast<int64_t>(sums.size());
  for (int64_t r = 0; r < R; ++r) {
    for (int64_t s = 0; s < S; ++s) {
      float* row = sums[s] + index[r * S + s] * G;
      for (int64_t k = 0; k < G; k += kLanes) {
        store(row + k, G - k, load(row + k, G - k) + load(grad + r * G + k, G - k));
      }
    }
  }
}

struct WindowLstmFunction : torch::autograd::Function<WindowLstmFunction> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& tokens, torch::TensorList embeddings,
                               torch::TensorList weights, double dropout, bool training) {
    const int64_t B = tokens.size(0), S = tokens.size(1), T = tokens.size(2);
    const int64_t L = static_cast<int64_t>(weights.size()) / 4, G = weights[0].size(0);
    torch::Tensor index = tokens.permute({2, 0, 1}).contiguous();  // [T, B, S]

    // The first layer's input product, folded into one table per slot.
    std::vector<torch::Tensor> tables;
    std::vector<const float*> table_rows;
    for (int64_t s = 0, column = 0; s < S; ++s) {
      tables.push_back(fold_embedding(embeddings[s], weights[0], column));
      table_rows.push_back(tables.back().data_ptr<float>());
      column += embeddings[s].size(1);
    }

    LstmStackRun stack;
    for (int64_t l = 0; l < L; ++l) {
      const torch::Tensor bias = (weights[4 * l + 2] + weights[4 * l + 3]).contiguous();
      torch::Tensor g;
      if (l == 0) {
        g = torch::empty({T, B, G}, torch::kFloat32);
        gather_tables(index.data_ptr<int64_t>(), table_rows, bias.data_ptr<float>(), g.data_ptr<float>(), T * B, G);
      } else {
        g = torch::addmm(bias, stack.upper_inputs.back().view({T * B, -1}), weights[4 * l].t()).view({T, B, G});
      }
      stack.add(lstm_layer_forward(g, weights[4 * l + 1]), l + 1 == L, dropout, training);
    }

    std::vector<torch::Tensor> saved(embeddings.begin(), embeddings.end());
    saved.insert(saved.end(), weights.begin(), weights.end());
    ctx->save_for_backward(saved);
    ctx->saved_data["index"] = index;
    ctx->saved_data["slots"] = S;
    stack.save(ctx);
    return stack.layers.back().hidden[T - 1].clone();
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const std::vector<torch::Tensor> saved = ctx->get_saved_variables();
    const int64_t S = ctx->saved_data["slots"].toInt();
    const std::vector<torch::Tensor> embeddings(saved.begin(), saved.begin() + S);
    const std::vector<torch::Tensor> weights(saved.begin() + S, saved.end());
    const torch::Tensor index = ctx->saved_data["index"].toTensor();
    const LstmStackRun stack = LstmStackRun::load(ctx);
    const int64_t L = static_cast<int64_t>(weights.size()) / 4;
    const torch::Tensor& gates0 = stack.layers[0].gates;
    const int64_t T = gates0.size(0), B = gates0.size(1), G = gates0.size(2);

    const torch::Tensor top_grad = grad_outputs[0].contiguous();
    variable_list grads(1 + S + 4 * L + 2);
    torch::Tensor external;  // gradient of this layer's outputs from the layer above, [T, B, H]
    for (int64_t l = L - 1; l >= 0; --l) {
      const torch::Tensor& w_ih = weights[4 * l];
      const LstmLayerRun& run = stack.layers[l];
      const OutputGrad output_grad = [&](int64_t t) -> const float* {
        if (l + 1 < L) return external.data_ptr<float>() + t * external.stride(0);
        return t == T - 1 ? top_grad.data_ptr<float>() : nullptr;
      };
      const torch::Tensor dg = lstm_layer_backward(run, weights[4 * l + 1], output_grad);
      const size_t first = 1 + S + 4 * l;
      auto [d_w_hh, d_b_ih, d_b_hh] = lstm_recurrent_grads(run, dg);
      grads[first + 1] = d_w_hh;
      grads[first + 2] = d_b_ih;
      grads[first + 3] = d_b_hh;
      const torch::Tensor dg_rows = dg.view({T * B, G});
      if (l > 0) {
        grads[first] = dg_rows.t().mm(stack.upper_inputs[l - 1].view({T * B, -1}));
        external = dg_rows.mm(w_ih).view({T, B, -1});
        if (!stack.masks.empty()) external.mul_(stack.masks[l - 1]);
        continue;
      }
      // The first layer: through the folded tables to the embeddings.
      std::vector<torch::Tensor> sums;
      std::vector<float*> sum_rows;
      for (int64_t s = 0; s < S; ++s) {
        sums.push_back(torch::zeros({embeddings[s].size(0), G}, torch::kFloat32));
        sum_rows.push_back(sums.back().data_ptr<float>());
      }
      scatter_rows(index.data_ptr<int64_t>(), dg_rows.data_ptr<float>(), sum_rows, T * B, G);
      torch::Tensor dw_ih = torch::empty_like(w_ih);
      for (int64_t s = 0, column = 0; s < S; ++s) {
        const int64_t E = embeddings[s].size(1);
        grads[1 + s] = sums[s].mm(w_ih.narrow(1, column, E));
        dw_ih.narrow(1, column, E).copy_(sums[s].t().mm(embeddings[s]));
        column += E;
      }
      grads[first] = dw_ih;
    }
    return grads;
  }
};

}  // namespace

torch::Tensor window_lstm(const torch::Tensor& tokens, const std::vector<torch::Tensor>& embeddings,
                          const std::vector<torch::Tensor>& lstm_weights, double dropout, bool training) {
  if (tokens.dim() != 3 || tokens.scalar_type() != torch::kInt64 || tokens.size(1) != int64_t(embeddings.size()) ||
      tokens.size(2) < 1 || lstm_weights.empty() || lstm_weights.size() % 4 != 0)
    throw std::invalid_argument("window_lstm: tokens must be int64 [B, slots, T >= 1], weights 4 per layer");
  int64_t input = 0;
  std::vector<int64_t> vocabulary;
  for (const auto& e : embeddings) {
    input += e.size(1);
    vocabulary.push_back(e.size(0));
  }
  if (tokens.size(0) > 0) {
    const torch::Tensor bad = (tokens.amin({0, 2}) < 0).logical_or(tokens.amax({0, 2}) >= torch::tensor(vocabulary));
    if (bad.any().item<bool>()) {
      throw std::invalid_argument("window_lstm: token out of range in slot " +
                                  std::to_string(bad.nonzero()[0][0].item<int64_t>()));
    }
  }
  if (lstm_weights[0].size(1) != input)
    throw std::invalid_argument("window_lstm: the first layer's input size is not the embeddings' total width");
  return WindowLstmFunction::apply(tokens, torch::TensorList(embeddings), torch::TensorList(lstm_weights), dropout,
                                   training);
}

}  // namespace dq::model
