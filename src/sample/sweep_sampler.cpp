#include "sample/sweep_sampler.h"

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "corpus/encoding.h"
#include "model/lstm_layer.h"
#include "sample/half_gemv.h"
#include "sample/voice_leading.h"
#include "util/error.h"

namespace dq::sample {

using music::kNumVoices;

namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
// tanh through exp: within 2e-7 of std::tanh, and several times faster than
// glibc's tanhf (which was a sixth of a sampling profile).
float fast_tanh(float x) { return 1.0f - 2.0f / (std::exp(2.0f * x) + 1.0f); }

// BLAS matrix-vector product, called directly: at this size the dispatch of
// a torch operator costs as much as the arithmetic.
using Sgemv = void (*)(const char*, const int*, const int*, const float*, const float*, const int*, const float*,
                       const int*, const float*, float*, const int*);
Sgemv find_sgemv() {
  static Sgemv f = reinterpret_cast<Sgemv>(dlsym(RTLD_DEFAULT, "sgemv_"));
  return f;
}

// A weight matrix [N, K] (row-major float) and, where the CPU can use it,
// its float16 copy for single-row products (see half_gemv.h).
struct Dense {
  torch::Tensor weight;
  HalfMatrix half;
};

Dense dense(const torch::Tensor& weight) {
  Dense d{weight.contiguous(), {}};
  if (half_gemv_supported()) {
    d.half =
        to_half(d.weight.data_ptr<float>(), static_cast<int>(d.weight.size(0)), static_cast<int>(d.weight.size(1)));
  }
  return d;
}

// out[b] = weight * in[b] (+ bias) for every row b.
void product(torch::Tensor& out, const torch::Tensor& in, const Dense& dense,
             const torch::Tensor& bias = torch::Tensor()) {
  const torch::Tensor& weight = dense.weight;
  const int N = static_cast<int>(weight.size(0)), K = static_cast<int>(weight.size(1));
  constexpr int64_t kRowsForMatrixProduct = 4;  // from here on, one matrix product is cheaper
  if (in.size(0) >= kRowsForMatrixProduct) {
    at::mm_out(out, in, weight.t());
  } else if (!dense.half.values.empty()) {
    for (int64_t b = 0; b < in.size(0); ++b) {
      half_gemv(dense.half, in.data_ptr<float>() + b * K, out.data_ptr<float>() + b * N);
    }
  } else if (Sgemv sgemv = find_sgemv()) {
    // Row-major [N, K] is column-major [K, N]: y = A^T x.
    const char trans = 'T';
    const int one = 1;
    const float alpha = 1, beta = 0;
    for (int64_t b = 0; b < in.size(0); ++b) {
      sgemv(&trans, &K, &N, &alpha, weight.data_ptr<float>(), &K, in.data_ptr<float>() + b * K, &one, &beta,
            out.data_ptr<float>() + b * N, &one);
    }
  } else {
    for (int64_t b = 0; b < in.size(0); ++b) {
      torch::Tensor row = out[b];
      at::mv_out(row, weight, in[b]);
    }
  }
  if (bias.defined()) {
    const float* add = bias.data_ptr<float>();
    for (int64_t b = 0; b < in.size(0); ++b) {
      float* row = out.data_ptr<float>() + b * N;
      for (int j = 0; j < N; ++j) row[j] += add[j];
    }
  }
}

// One direction's LSTM arranged for single steps: layer 0's input part is
// folded into a table per voice ([V_u, 4H], the embedding times the input
// weights) plus the metadata part, computed for the region at once.
struct StepLstm {
  std::array<torch::Tensor, kNumVoices> input_table;
  torch::Tensor meta_input;         // [C*M, 4H]
  torch::Tensor bias0;              // [4H]
  Dense recurrent0;                 // [4H, H]
  std::vector<Dense> stacked;       // layers >= 1: [4H, 2H] over [h_below, h_own]
  std::vector<torch::Tensor> bias;  // layers >= 1: [4H]
};

struct Weights {
  int layers = 0, H = 0, LH = 0;
  std::array<int, kNumVoices> vocab{};
  StepLstm forward, backward;
  // Heads: past part and future part of all four voices ([4*LH, H]) and the first bias.
  Dense past_all, future_all;
  torch::Tensor head_bias_all;
  // Centres: metadata part ([C*M, 4*LH]) with bias; token tables per (voice, other voice) [V_u, LH].
  torch::Tensor center_meta_all, center_bias_all;
  std::array<std::array<torch::Tensor, kNumVoices>, kNumVoices> center_table;
  std::array<Dense, kNumVoices> center2;               // [LH, LH]
  std::array<torch::Tensor, kNumVoices> center2_bias;  // [LH]
  std::array<Dense, kNumVoices> head_center;           // [LH, LH]
  std::array<Dense, kNumVoices> output;                // [V, LH]
  std::array<torch::Tensor, kNumVoices> output_bias;   // [V]
};

Weights rearrange(model::FastNetImpl& net) {
  const auto& cfg = net.config();
  std::map<std::string, torch::Tensor> p;
  for (const auto& item : net.named_parameters()) p[item.key()] = item.value().detach();
  auto at = [&](const std::string& name) {
    auto it = p.find(name);
    if (it == p.end()) throw Error("model is missing parameter " + name);
    return it->second;
  };
  Weights w;
  const int E = cfg.note_embedding, H = cfg.lstm_hidden, LH = cfg.linear_hidden;
  w.layers = cfg.lstm_layers;
  w.H = H;
  w.LH = LH;
  auto step_lstm = [&](const std::string& prefix) {
    StepLstm s;
    torch::Tensor wih0 = at(prefix + ".weight_ih_l0");  // [4H, 4E + C*M]
    for (int u = 0; u < kNumVoices; ++u) {
      torch::Tensor emb = at("note_embeddings." + std::to_string(u) + ".weight");
      s.input_table[u] = model::fold_embedding(emb, wih0, u * E);
    }
    s.meta_input = wih0.narrow(1, kNumVoices * E, wih0.size(1) - kNumVoices * E).t().contiguous();
    s.bias0 = (at(prefix + ".bias_ih_l0") + at(prefix + ".bias_hh_l0")).contiguous();
    s.recurrent0 = dense(at(prefix + ".weight_hh_l0"));
    for (int l = 1; l < w.layers; ++l) {
      std::string n = std::to_string(l);
      s.stacked.push_back(dense(torch::cat({at(prefix + ".weight_ih_l" + n), at(prefix + ".weight_hh_l" + n)}, 1)));
      s.bias.push_back((at(prefix + ".bias_ih_l" + n) + at(prefix + ".bias_hh_l" + n)).contiguous());
    }
    return s;
  };
  w.forward = step_lstm("forward_lstm");
  w.backward = step_lstm("backward_lstm");
  std::vector<torch::Tensor> past, future, head_bias, center_meta, center_bias;
  const int center_in = (kNumVoices - 1) * E;
  for (int v = 0; v < kNumVoices; ++v) {
    w.vocab[v] = cfg.voice_vocab_size(v);
    std::string h = "heads." + std::to_string(v) + ".", c = "centers." + std::to_string(v) + ".";
    torch::Tensor h1 = at(h + "0.weight");  // [LH, 2H + LH]
    past.push_back(h1.narrow(1, 0, H));
    future.push_back(h1.narrow(1, H, H));
    head_bias.push_back(at(h + "0.bias"));
    w.head_center[v] = dense(h1.narrow(1, 2 * H, LH));
    std::string last = p.count(h + "3.weight") ? "3" : "2";
    w.output[v] = dense(at(h + last + ".weight"));
    w.output_bias[v] = at(h + last + ".bias").contiguous();
    torch::Tensor c1 = at(c + "0.weight");  // [LH, 3E + C*M]
    center_meta.push_back(c1.narrow(1, center_in, c1.size(1) - center_in));
    center_bias.push_back(at(c + "0.bias"));
    int slot = 0;
    for (int u = 0; u < kNumVoices; ++u) {
      if (u == v) continue;
      torch::Tensor emb = at("note_embeddings." + std::to_string(u) + ".weight");
      w.center_table[v][u] = torch::mm(emb, c1.narrow(1, slot * E, E).t()).contiguous();
      ++slot;
    }
    w.center2[v] = dense(at(c + "2.weight"));
    w.center2_bias[v] = at(c + "2.bias").contiguous();
  }
  w.past_all = dense(torch::cat(past, 0));
  w.future_all = dense(torch::cat(future, 0));
  w.head_bias_all = torch::cat(head_bias, 0).contiguous();
  w.center_meta_all = torch::cat(center_meta, 0).t().contiguous();
  w.center_bias_all = torch::cat(center_bias, 0).contiguous();
  return w;
}

// One LSTM cell update from its gate pre-activations [B, 4H] (i, f, g, o).
void lstm_cell(const float* gates, float* h, float* c, int64_t B, int H) {
  for (int64_t b = 0; b < B; ++b) {
    const float* g = gates + b * 4 * H;
    float* hb = h + b * H;
    float* cb = c + b * H;
    for (int k = 0; k < H; ++k) {
      float i = sigmoid(g[k]), f = sigmoid(g[H + k]), gg = fast_tanh(g[2 * H + k]), o = sigmoid(g[3 * H + k]);
      cb[k] = f * cb[k] + i * gg;
      hb[k] = o * fast_tanh(cb[k]);
    }
  }
}

std::vector<torch::Tensor> clone_all(const std::vector<torch::Tensor>& tensors) {
  std::vector<torch::Tensor> copies;
  for (const auto& t : tensors) copies.push_back(t.clone());
  return copies;
}

void relu_inplace(torch::Tensor& t) {
  float* d = t.data_ptr<float>();
  for (int64_t i = 0; i < t.numel(); ++i) d[i] = d[i] > 0 ? d[i] : 0;
}

// A running LSTM (one direction): per-layer state and work buffers.
struct Runner {
  const StepLstm* lstm = nullptr;
  std::vector<torch::Tensor> h, c;
  torch::Tensor gates, stacked_input, meta_gates;  // meta_gates [B, L, 4H]: metadata part + bias per tick

  void reset_to_zero(int layers, int64_t B, int H) {
    h.assign(layers, torch::Tensor());
    c.assign(layers, torch::Tensor());
    for (int l = 0; l < layers; ++l) {
      h[l] = torch::zeros({B, H});
      c[l] = torch::zeros({B, H});
    }
  }
  void reset(const std::vector<torch::Tensor>& h0, const std::vector<torch::Tensor>& c0) {
    for (size_t l = 0; l < h0.size(); ++l) {
      h[l].copy_(h0[l]);
      c[l].copy_(c0[l]);
    }
  }
  const torch::Tensor& output() const { return h.back(); }

  // Reads tick `t`: `tokens(b, u)` gives voice u's token of piece b there.
  template <typename Tokens>
  void step(int64_t t, Tokens tokens) {
    const int64_t B = h[0].size(0), L = meta_gates.size(1);
    const int H = static_cast<int>(h[0].size(1));
    for (size_t l = 0; l < h.size(); ++l) {
      if (l == 0) {
        product(gates, h[0], lstm->recurrent0);
        float* g = gates.data_ptr<float>();
        for (int64_t b = 0; b < B; ++b) {
          const float* mg = meta_gates.data_ptr<float>() + (b * L + t) * 4 * H;
          float* gb = g + b * 4 * H;
          for (int j = 0; j < 4 * H; ++j) gb[j] += mg[j];
          for (int u = 0; u < kNumVoices; ++u) {
            const float* row = lstm->input_table[u].data_ptr<float>() + tokens(b, u) * 4 * H;
            for (int j = 0; j < 4 * H; ++j) gb[j] += row[j];
          }
        }
      } else {
        for (int64_t b = 0; b < B; ++b) {
          float* row = stacked_input.data_ptr<float>() + b * 2 * H;
          std::copy_n(h[l - 1].data_ptr<float>() + b * H, H, row);
          std::copy_n(h[l].data_ptr<float>() + b * H, H, row + H);
        }
        product(gates, stacked_input, lstm->stacked[l - 1], lstm->bias[l - 1]);
      }
      lstm_cell(gates.data_ptr<float>(), h[l].data_ptr<float>(), c[l].data_ptr<float>(), B, H);
    }
  }
};

// zone[b * L + t]: tick t of piece b is under a fermata or within a quarter
// before one. There the sweeps redraw the rhythm too (keep_rhythm), so that
// cadences can form.
std::vector<bool> cadence_zones(const SamplingState& s) {
  const int64_t B = s.tokens.size(0), L = s.tokens.size(2);
  constexpr int64_t kFermataValue = 2;  // corpus::encode_meta: 1 + fermata
  const torch::Tensor fermata_channel = s.meta.select(1, corpus::kFermata).contiguous();
  auto fermata = fermata_channel.accessor<int64_t, 2>();
  std::vector<bool> zone(B * L, false);
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t t = 0; t < L; ++t) {
      for (int64_t u = t; u < std::min(L, t + music::kTicksPerQuarter + 1); ++u) {
        if (fermata[b][u] == kFermataValue) zone[b * L + t] = true;
      }
    }
  }
  return zone;
}

}  // namespace

void sweep_sample(model::FastNetImpl& net, SamplingState& s, const SampleOptions& o, std::mt19937_64& rng) {
  const Weights w = rearrange(net);
  const VoiceLeadingPrior prior(net.config().vocab, static_cast<float>(o.voice_leading_penalty));
  const int sweeps = o.iterations > 0 ? o.iterations : 40;
  const int64_t B = s.tokens.size(0), L = s.tokens.size(2);
  const int64_t first = s.first, last = s.last, n = last - first + 1;
  const int H = w.H, LH = w.LH;
  SamplingProgress progress(o, sweeps);
  int64_t* tok = s.tokens.data_ptr<int64_t>();  // [B, 4, L]
  const bool* free = s.free.data_ptr<bool>();
  auto token = [&](int64_t b, int v, int64_t t) -> int64_t& { return tok[(b * kNumVoices + v) * L + t]; };

  // Metadata never changes: its parts of the LSTM inputs and of the centres.
  torch::Tensor x_all = net.embed(s.tokens, s.meta);  // [B, L, D]
  const int64_t meta_width = w.forward.meta_input.size(0);
  torch::Tensor meta_all = x_all.narrow(2, x_all.size(2) - meta_width, meta_width);
  torch::Tensor center_static = (torch::matmul(meta_all.narrow(1, first, n), w.center_meta_all) + w.center_bias_all)
                                    .contiguous();  // [B, n, 4*LH]
  Runner forward, backward;
  for (Runner* r : {&forward, &backward}) {
    r->lstm = r == &forward ? &w.forward : &w.backward;
    r->meta_gates = (torch::matmul(meta_all, r->lstm->meta_input) + r->lstm->bias0).contiguous();
    r->gates = torch::empty({B, 4 * H});
    r->stacked_input = torch::empty({B, 2 * H});
    r->reset_to_zero(w.layers, B, H);
  }
  const std::vector<bool> cadence_zone = o.keep_rhythm ? cadence_zones(s) : std::vector<bool>(B * L, false);
  auto current = [&](int64_t t) { return [&, t](int64_t b, int u) { return token(b, u, t); }; };

  // The forward LSTM left of the region and the backward LSTM right of it
  // never change: run them once and keep their states.
  for (int64_t t = 0; t < first; ++t) forward.step(t, current(t));
  for (int64_t t = L - 1; t > last; --t) backward.step(t, current(t));
  const std::vector<torch::Tensor> before_h = clone_all(forward.h), before_c = clone_all(forward.c);
  const std::vector<torch::Tensor> after_h = clone_all(backward.h), after_c = clone_all(backward.c);

  // recorded[k]: the other direction's LSTM output for region tick k (past:
  // after the ticks left of it; future: after the ticks right of it).
  torch::Tensor past_rec = torch::empty({B, n, H}), future_rec = torch::empty({B, n, H});
  // The first sweep (left to right) needs the future of every tick.
  for (int64_t k = n - 1; k >= 0; --k) {
    future_rec.select(1, k).copy_(backward.output());
    backward.step(first + k, current(first + k));
  }

  torch::Tensor travel_proj = torch::empty({B, kNumVoices * LH});
  torch::Tensor center = torch::empty({B, LH}), center2 = torch::empty({B, LH}), hidden = torch::empty({B, LH});
  std::array<torch::Tensor, kNumVoices> logits;
  for (int v = 0; v < kNumVoices; ++v) logits[v] = torch::empty({B, w.vocab[v]});
  std::array<int, kNumVoices> order = {0, 1, 2, 3};

  for (int sweep = 0; sweep < sweeps; ++sweep) {
    const double temperature = temperature_at(o, sweep, sweeps);
    const bool rightward = sweep % 2 == 0;
    const bool rhythm_kept = o.keep_rhythm && sweep > 0;
    // The fixed side of every head for this sweep, from the recorded states.
    const torch::Tensor& recorded = rightward ? future_rec : past_rec;
    torch::Tensor other =
        (torch::matmul(recorded, (rightward ? w.future_all : w.past_all).weight.t()) + w.head_bias_all)
            .contiguous();  // [B, n, 4*LH]
    Runner& runner = rightward ? forward : backward;
    runner.reset(rightward ? before_h : after_h, rightward ? before_c : after_c);
    const Dense& travel_weights = rightward ? w.past_all : w.future_all;
    torch::Tensor& record = rightward ? past_rec : future_rec;
    for (int64_t step = 0; step < n; ++step) {
      const int64_t k = rightward ? step : n - 1 - step;
      const int64_t t = first + k;
      // The travelling LSTM's output before tick t, recorded for the next sweep.
      const float* out = runner.output().data_ptr<float>();
      for (int64_t b = 0; b < B; ++b) std::copy_n(out + b * H, H, record.data_ptr<float>() + (b * n + k) * H);
      product(travel_proj, runner.output(), travel_weights);
      std::shuffle(order.begin(), order.end(), rng);
      for (int v : order) {
        bool any = false;
        for (int64_t b = 0; b < B; ++b) any = any || free[(b * kNumVoices + v) * L + t];
        if (!any) continue;
        // Centre: metadata part + the other voices' tokens, two layers.
        float* cp = center.data_ptr<float>();
        for (int64_t b = 0; b < B; ++b) {
          const float* st = center_static.data_ptr<float>() + (b * n + k) * kNumVoices * LH + v * LH;
          std::copy(st, st + LH, cp + b * LH);
          for (int u = 0; u < kNumVoices; ++u) {
            if (u == v) continue;
            const float* row = w.center_table[v][u].data_ptr<float>() + token(b, u, t) * LH;
            for (int j = 0; j < LH; ++j) cp[b * LH + j] += row[j];
          }
        }
        relu_inplace(center);
        product(center2, center, w.center2[v], w.center2_bias[v]);
        relu_inplace(center2);
        // Head: travelling side + fixed side + centre, then the output layer.
        product(hidden, center2, w.head_center[v]);
        float* hp = hidden.data_ptr<float>();
        for (int64_t b = 0; b < B; ++b) {
          const float* tp = travel_proj.data_ptr<float>() + b * kNumVoices * LH + v * LH;
          const float* fp = other.data_ptr<float>() + (b * n + k) * kNumVoices * LH + v * LH;
          for (int j = 0; j < LH; ++j) hp[b * LH + j] += tp[j] + fp[j];
        }
        relu_inplace(hidden);
        product(logits[v], hidden, w.output[v], w.output_bias[v]);
        // Draw, within what may be written here.
        const int64_t V = w.vocab[v];
        float* lp = logits[v].data_ptr<float>();
        for (int64_t b = 0; b < B; ++b) {
          if (!free[(b * kNumVoices + v) * L + t]) continue;
          if (rhythm_kept && !cadence_zone[b * L + t]) {
            const int64_t current_token = token(b, v, t);
            if (current_token == corpus::kHoldIndex || current_token == corpus::kRestIndex) continue;
            lp[b * V + corpus::kHoldIndex] = lp[b * V + corpus::kRestIndex] = -1e30f;
          }
          token(b, v, t) = draw_token(lp + b * V, V, temperature, prior, tok + b * kNumVoices * L,
                                      s.cadences.data() + b * L, L, v, t, rng);
        }
      }
      runner.step(t, current(t));
    }
    progress.update(sweep + 1);
  }
  progress.finish();
}

}  // namespace dq::sample
