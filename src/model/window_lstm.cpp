#include "model/window_lstm.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

namespace dq::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Eight floats, for the element-wise loops: GCC's vector extensions compile
// to AVX2 where the CPU has it (see DQ_VECTOR_CLONES) and to SSE otherwise.
typedef float Floats __attribute__((vector_size(32)));
typedef int32_t Ints __attribute__((vector_size(32)));
constexpr int64_t kLanes = 8;

#define DQ_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))

// The first n floats at p (at most 8; the rest zero), and back.
inline Floats load(const float* p, int64_t n) {
  Floats v = {};
  if (n >= kLanes) {
    std::memcpy(&v, p, sizeof v);
  } else {
    for (int64_t i = 0; i < n; ++i) v[i] = p[i];
  }
  return v;
}
inline void store(float* p, int64_t n, Floats v) {
  if (n >= kLanes) {
    std::memcpy(p, &v, sizeof v);
  } else {
    for (int64_t i = 0; i < n; ++i) p[i] = v[i];
  }
}

// exp(x), clamped to |x| <= 87, to a few float ulps (Cephes' polynomial).
inline Floats fast_exp(Floats x) {
  x = x < -87.0f ? Floats{} - 87.0f : x;
  x = x > 87.0f ? Floats{} + 87.0f : x;
  const Floats n = (x * 1.44269504f + 12582912.0f) - 12582912.0f;  // round(x / ln 2)
  const Floats r = x - n * 0.693359375f + n * 2.12194440e-4f;
  Floats p = Floats{} + 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const Ints bits = (__builtin_convertvector(n, Ints) + 127) << 23;
  Floats scale;  // 2^n
  std::memcpy(&scale, &bits, sizeof scale);
  return (p * r * r + r + 1.0f) * scale;
}

inline Floats sigmoid(Floats x) { return 1.0f / (1.0f + fast_exp(-x)); }
inline Floats tanh_of(Floats x) { return 2.0f * sigmoid(2.0f * x) - 1.0f; }

// One tick of a layer for B rows: gates [B, 4H] hold the pre-activations on
// entry and the activations i, f, g, o on return; c = f * c_prev + i * g and
// h = o * tanh(c).
DQ_VECTOR_CLONES void cell_forward(float* gates, const float* c_prev, float* c, float* h, int64_t B, int64_t H) {
  for (int64_t b = 0; b < B; ++b) {
    float* g = gates + b * 4 * H;
    for (int64_t k = 0; k < H; k += kLanes) {
      const int64_t n = H - k;
      const Floats i = sigmoid(load(g + k, n)), f = sigmoid(load(g + H + k, n));
      const Floats u = tanh_of(load(g + 2 * H + k, n)), o = sigmoid(load(g + 3 * H + k, n));
      store(g + k, n, i);
      store(g + H + k, n, f);
      store(g + 2 * H + k, n, u);
      store(g + 3 * H + k, n, o);
      const Floats cell = f * load(c_prev + b * H + k, n) + i * u;
      store(c + b * H + k, n, cell);
      store(h + b * H + k, n, o * tanh_of(cell));
    }
  }
}

// The backward pass of cell_forward: from the gradients of h (dh_recurrent +
// dh_external) and of c (dc, from the next tick), the gradients of the gate
// pre-activations (dgates [B, 4H]); dc becomes the gradient of c_prev.
DQ_VECTOR_CLONES void cell_backward(const float* gates, const float* c_prev, const float* c,
                                    const float* dh_recurrent, const float* dh_external, float* dc, float* dgates,
                                    int64_t B, int64_t H) {
  for (int64_t b = 0; b < B; ++b) {
    const float* g = gates + b * 4 * H;
    float* dg = dgates + b * 4 * H;
    for (int64_t k = 0; k < H; k += kLanes) {
      const int64_t n = H - k, at = b * H + k;
      const Floats i = load(g + k, n), f = load(g + H + k, n), u = load(g + 2 * H + k, n), o = load(g + 3 * H + k, n);
      const Floats dh = load(dh_recurrent + at, n) + load(dh_external + at, n);
      const Floats tc = tanh_of(load(c + at, n));
      const Floats dcell = load(dc + at, n) + dh * o * (1.0f - tc * tc);
      store(dg + k, n, dcell * u * i * (1.0f - i));
      store(dg + H + k, n, dcell * load(c_prev + at, n) * f * (1.0f - f));
      store(dg + 2 * H + k, n, dcell * i * (1.0f - u * u));
      store(dg + 3 * H + k, n, dh * tc * o * (1.0f - o));
      store(dc + at, n, dcell * f);
    }
  }
}

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
DQ_VECTOR_CLONES void scatter_rows(const int64_t* index, const float* grad, const std::vector<float*>& sums,
                                   int64_t R, int64_t G) {
  const int64_t S = static_cast<int64_t>(sums.size());
  for (int64_t r = 0; r < R; ++r) {
    for (int64_t s = 0; s < S; ++s) {
      float* row = sums[s] + index[r * S + s] * G;
      for (int64_t k = 0; k < G; k += kLanes) store(row + k, G - k, load(row + k, G - k) + load(grad + r * G + k, G - k));
    }
  }
}

// Fills out[0..n) with 1 / keep or 0, each kept with probability `keep`:
// a counter-based hash of (seed, index), so the loop is vectorized.
DQ_VECTOR_CLONES void fill_dropout_mask(float* out, int64_t n, uint64_t seed, float keep) {
  const uint32_t low = static_cast<uint32_t>(seed), high = static_cast<uint32_t>(seed >> 32);
  const auto threshold = static_cast<uint32_t>(std::min(4294967295.0, keep * 4294967296.0));
  const float scale = 1.0f / keep;
  for (int64_t i = 0; i < n; ++i) {
    uint32_t x = static_cast<uint32_t>(i) * 0x9e3779b9u + low;
    for (int round = 0; round < 2; ++round) {  // Wellons' lowbias32, twice
      x ^= x >> 16;
      x *= 0x7feb352du;
      x ^= x >> 15;
      x *= 0x846ca68bu;
      x ^= x >> 16;
      x ^= high;
    }
    out[i] = x < threshold ? scale : 0.0f;
  }
}

// A dropout mask of the given shape, seeded from torch's generator.
torch::Tensor dropout_mask(at::IntArrayRef sizes, double dropout) {
  const auto seed = static_cast<uint64_t>(
      torch::randint(std::numeric_limits<int64_t>::max(), {1}, torch::kInt64).item<int64_t>());
  torch::Tensor mask = torch::empty(sizes, torch::kFloat32);
  fill_dropout_mask(mask.data_ptr<float>(), mask.numel(), seed, static_cast<float>(1 - dropout));
  return mask;
}

float* tick(const torch::Tensor& sequence, int64_t t) {
  return sequence.data_ptr<float>() + t * sequence.stride(0);
}

struct WindowLstmFunction : torch::autograd::Function<WindowLstmFunction> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& tokens, torch::TensorList embeddings,
                               torch::TensorList weights, double dropout, bool training) {
    const int64_t B = tokens.size(0), S = tokens.size(1), T = tokens.size(2);
    const int64_t L = static_cast<int64_t>(weights.size()) / 4, H = weights[1].size(1), G = 4 * H;
    torch::Tensor index = tokens.permute({2, 0, 1}).contiguous();  // [T, B, S]

    // The first layer's input product, folded into one table per slot.
    std::vector<torch::Tensor> tables;
    std::vector<const float*> table_rows;
    for (int64_t s = 0, column = 0; s < S; ++s) {
      const int64_t E = embeddings[s].size(1);
      tables.push_back(embeddings[s].mm(weights[0].narrow(1, column, E).t()).contiguous());
      table_rows.push_back(tables.back().data_ptr<float>());
      column += E;
    }

    const auto options = torch::TensorOptions().dtype(torch::kFloat32);
    torch::Tensor zero = torch::zeros({B, H}, options);
    std::vector<torch::Tensor> gates, cells, hidden, inputs, masks;
    torch::Tensor x;  // the current layer's input, [T, B, In] (upper layers)
    for (int64_t l = 0; l < L; ++l) {
      const torch::Tensor& w_ih = weights[4 * l];
      const torch::Tensor w_hh_t = weights[4 * l + 1].t();
      const torch::Tensor bias = (weights[4 * l + 2] + weights[4 * l + 3]).contiguous();
      torch::Tensor g;
      if (l == 0) {
        g = torch::empty({T, B, G}, options);
        gather_tables(index.data_ptr<int64_t>(), table_rows, bias.data_ptr<float>(), g.data_ptr<float>(), T * B, G);
      } else {
        g = torch::addmm(bias, x.view({T * B, -1}), w_ih.t()).view({T, B, G});
      }
      torch::Tensor c = torch::empty({T, B, H}, options), h = torch::empty({T, B, H}, options);
      for (int64_t t = 0; t < T; ++t) {
        if (t > 0) g[t].addmm_(h[t - 1], w_hh_t);
        cell_forward(tick(g, t), t > 0 ? tick(c, t - 1) : zero.data_ptr<float>(), tick(c, t), tick(h, t), B, H);
      }
      gates.push_back(g);
      cells.push_back(c);
      hidden.push_back(h);
      inputs.push_back(l == 0 ? torch::empty({0}) : x);
      if (l + 1 < L) {
        if (training && dropout > 0) {
          masks.push_back(dropout_mask(h.sizes(), dropout));
          x = h * masks.back();
        } else {
          x = h;
        }
      }
    }

    std::vector<torch::Tensor> saved(embeddings.begin(), embeddings.end());
    saved.insert(saved.end(), weights.begin(), weights.end());
    ctx->save_for_backward(saved);
    ctx->saved_data["index"] = index;
    ctx->saved_data["slots"] = S;
    ctx->saved_data["gates"] = gates;
    ctx->saved_data["cells"] = cells;
    ctx->saved_data["hidden"] = hidden;
    ctx->saved_data["inputs"] = inputs;
    ctx->saved_data["masks"] = masks;
    return hidden.back()[T - 1].clone();
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const std::vector<torch::Tensor> saved = ctx->get_saved_variables();
    const int64_t S = ctx->saved_data["slots"].toInt();
    const std::vector<torch::Tensor> embeddings(saved.begin(), saved.begin() + S);
    const std::vector<torch::Tensor> weights(saved.begin() + S, saved.end());
    const torch::Tensor index = ctx->saved_data["index"].toTensor();
    const auto gates = ctx->saved_data["gates"].toTensorVector();
    const auto cells = ctx->saved_data["cells"].toTensorVector();
    const auto hidden = ctx->saved_data["hidden"].toTensorVector();
    const auto inputs = ctx->saved_data["inputs"].toTensorVector();
    const auto masks = ctx->saved_data["masks"].toTensorVector();
    const int64_t L = static_cast<int64_t>(weights.size()) / 4;
    const int64_t T = gates[0].size(0), B = gates[0].size(1), G = gates[0].size(2), H = G / 4;

    const auto options = torch::TensorOptions().dtype(torch::kFloat32);
    torch::Tensor zero = torch::zeros({B, H}, options);
    torch::Tensor top_grad = grad_outputs[0].contiguous();
    variable_list grads(1 + S + 4 * L + 2);
    torch::Tensor external;  // gradient of this layer's outputs from the layer above, [T, B, H]
    for (int64_t l = L - 1; l >= 0; --l) {
      const torch::Tensor& w_ih = weights[4 * l];
      const torch::Tensor& w_hh = weights[4 * l + 1];
      const torch::Tensor &g = gates[l], &c = cells[l], &h = hidden[l];
      torch::Tensor dg = torch::empty({T, B, G}, options);
      torch::Tensor dc = torch::zeros({B, H}, options), dh = torch::zeros({B, H}, options);
      for (int64_t t = T - 1; t >= 0; --t) {
        const float* from_above = l + 1 < L ? tick(external, t)
                                  : t == T - 1 ? top_grad.data_ptr<float>()
                                               : zero.data_ptr<float>();
        cell_backward(tick(g, t), t > 0 ? tick(c, t - 1) : zero.data_ptr<float>(), tick(c, t), dh.data_ptr<float>(),
                      from_above, dc.data_ptr<float>(), tick(dg, t), B, H);
        if (t > 0) torch::mm_out(dh, dg[t], w_hh);
      }
      const torch::Tensor dg_rows = dg.view({T * B, G});
      const size_t first = 1 + S + 4 * l;
      grads[first + 1] = T > 1 ? dg.slice(0, 1).reshape({-1, G}).t().mm(h.slice(0, 0, T - 1).reshape({-1, H}))
                               : torch::zeros_like(w_hh);
      grads[first + 2] = dg_rows.sum(0);
      grads[first + 3] = grads[first + 2].clone();
      if (l > 0) {
        const torch::Tensor x_rows = inputs[l].view({T * B, -1});
        grads[first] = dg_rows.t().mm(x_rows);
        external = dg_rows.mm(w_ih).view({T, B, -1});
        if (!masks.empty()) external.mul_(masks[l - 1]);
        continue;
      }
      // The first layer: through the folded tables to the embeddings.
      std::vector<torch::Tensor> sums;
      std::vector<float*> sum_rows;
      for (int64_t s = 0; s < S; ++s) {
        sums.push_back(torch::zeros({embeddings[s].size(0), G}, options));
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
  for (size_t s = 0; s < embeddings.size(); ++s) {
    input += embeddings[s].size(1);
    if (tokens.size(0) == 0) continue;
    torch::Tensor slot = tokens.select(1, static_cast<int64_t>(s));
    if (slot.min().item<int64_t>() < 0 || slot.max().item<int64_t>() >= embeddings[s].size(0))
      throw std::invalid_argument("window_lstm: token out of range in slot " + std::to_string(s));
  }
  if (lstm_weights[0].size(1) != input)
    throw std::invalid_argument("window_lstm: the first layer's input size is not the embeddings' total width");
  return WindowLstmFunction::apply(tokens, torch::TensorList(embeddings), torch::TensorList(lstm_weights), dropout,
                                   training);
}

}  // namespace dq::model
