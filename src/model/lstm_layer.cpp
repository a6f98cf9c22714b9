#include "model/lstm_layer.h"

#include <algorithm>
#include <limits>

#include "model/float_vectors.h"

namespace dq::model {

namespace {

using namespace vec;

// The backward pass of lstm_cell_forward: from the gradients of h (dh_recurrent +
// dh_external, the latter possibly null) and of c (dc, from the next tick),
// the gradients of the gate pre-activations (dgates [B, 4H]); dc becomes the
// gradient of c_prev.
DQ_VECTOR_CLONES void cell_backward(const float* gates, const float* c_prev, const float* c, const float* dh_recurrent,
                                    const float* dh_external, float* dc, float* dgates, int64_t B, int64_t H) {
  for (int64_t b = 0; b < B; ++b) {
    const float* g = gates + b * 4 * H;
    float* dg = dgates + b * 4 * H;
    for (int64_t k = 0; k < H; k += kLanes) {
      const int64_t n = H - k, at = b * H + k;
      const Floats i = load(g + k, n), f = load(g + H + k, n), u = load(g + 2 * H + k, n), o = load(g + 3 * H + k, n);
      Floats dh = load(dh_recurrent + at, n);
      if (dh_external) dh += load(dh_external + at, n);
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

float* tick(const torch::Tensor& sequence, int64_t t) { return sequence.data_ptr<float>() + t * sequence.stride(0); }

}  // namespace

DQ_VECTOR_CLONES void lstm_cell_forward(float* gates, const float* c_prev, float* c, float* h, int64_t B, int64_t H) {
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

LstmLayerRun lstm_layer_forward(torch::Tensor gates, const torch::Tensor& w_hh) {
  const int64_t T = gates.size(0), B = gates.size(1), H = w_hh.size(1);
  const torch::Tensor w_hh_t = w_hh.t();
  const auto options = torch::TensorOptions().dtype(torch::kFloat32);
  torch::Tensor zero = torch::zeros({B, H}, options);
  LstmLayerRun run{gates, torch::empty({T, B, H}, options), torch::empty({T, B, H}, options)};
  for (int64_t t = 0; t < T; ++t) {
    if (t > 0) gates[t].addmm_(run.hidden[t - 1], w_hh_t);
    lstm_cell_forward(tick(gates, t), t > 0 ? tick(run.cells, t - 1) : zero.data_ptr<float>(), tick(run.cells, t),
                      tick(run.hidden, t), B, H);
  }
  return run;
}

torch::Tensor lstm_layer_backward(const LstmLayerRun& run, const torch::Tensor& w_hh, const OutputGrad& output_grad) {
  const int64_t T = run.gates.size(0), B = run.gates.size(1), G = run.gates.size(2), H = G / 4;
  const auto options = torch::TensorOptions().dtype(torch::kFloat32);
  torch::Tensor zero = torch::zeros({B, H}, options);
  torch::Tensor dgates = torch::empty({T, B, G}, options);
  torch::Tensor dc = torch::zeros({B, H}, options), dh = torch::zeros({B, H}, options);
  for (int64_t t = T - 1; t >= 0; --t) {
    cell_backward(tick(run.gates, t), t > 0 ? tick(run.cells, t - 1) : zero.data_ptr<float>(), tick(run.cells, t),
                  dh.data_ptr<float>(), output_grad(t), dc.data_ptr<float>(), tick(dgates, t), B, H);
    if (t > 0) torch::mm_out(dh, dgates[t], w_hh);
  }
  return dgates;
}

std::array<torch::Tensor, 3> lstm_recurrent_grads(const LstmLayerRun& run, const torch::Tensor& gate_grads) {
  const int64_t T = gate_grads.size(0), G = gate_grads.size(2), H = G / 4;
  // Tick t's recurrent input is the output of tick t - 1 (zero at tick 0).
  torch::Tensor d_w_hh =
      T > 1 ? gate_grads.slice(0, 1).reshape({-1, G}).t().mm(run.hidden.slice(0, 0, T - 1).reshape({-1, H}))
            : torch::zeros({G, H}, torch::kFloat32);
  torch::Tensor d_bias = gate_grads.view({-1, G}).sum(0);
  return {d_w_hh, d_bias, d_bias.clone()};
}

void LstmStackRun::add(const LstmLayerRun& run, bool top, double dropout, bool training) {
  layers.push_back(run);
  if (top) return;
  if (training && dropout > 0) {
    masks.push_back(lstm_dropout_mask(run.hidden.sizes(), dropout));
    upper_inputs.push_back(run.hidden * masks.back());
  } else {
    upper_inputs.push_back(run.hidden);
  }
}

void LstmStackRun::save(torch::autograd::AutogradContext* ctx) const {
  std::vector<torch::Tensor> gates, cells, hidden;
  for (const LstmLayerRun& layer : layers) {
    gates.push_back(layer.gates);
    cells.push_back(layer.cells);
    hidden.push_back(layer.hidden);
  }
  ctx->saved_data["gates"] = gates;
  ctx->saved_data["cells"] = cells;
  ctx->saved_data["hidden"] = hidden;
  ctx->saved_data["upper_inputs"] = upper_inputs;
  ctx->saved_data["masks"] = masks;
}

LstmStackRun LstmStackRun::load(torch::autograd::AutogradContext* ctx) {
  LstmStackRun stack;
  const auto gates = ctx->saved_data["gates"].toTensorVector();
  const auto cells = ctx->saved_data["cells"].toTensorVector();
  const auto hidden = ctx->saved_data["hidden"].toTensorVector();
  for (size_t l = 0; l < gates.size(); ++l) stack.layers.push_back({gates[l], cells[l], hidden[l]});
  stack.upper_inputs = ctx->saved_data["upper_inputs"].toTensorVector();
  stack.masks = ctx->saved_data["masks"].toTensorVector();
  return stack;
}

torch::Tensor fold_embedding(const torch::Tensor& embedding, const torch::Tensor& w_ih, int64_t column) {
  return embedding.mm(w_ih.narrow(1, column, embedding.size(1)).t()).contiguous();
}

torch::Tensor lstm_dropout_mask(at::IntArrayRef sizes, double dropout) {
  const auto seed =
      static_cast<uint64_t>(torch::randint(std::numeric_limits<int64_t>::max(), {1}, torch::kInt64).item<int64_t>());
  torch::Tensor mask = torch::empty(sizes, torch::kFloat32);
  fill_dropout_mask(mask.data_ptr<float>(), mask.numel(), seed, static_cast<float>(1 - dropout));
  return mask;
}

}  // namespace dq::model
