#include "model/fast_net_stepper.h"

#include <dlfcn.h>

#include <algorithm>
#include <map>
#include <string>

#include "model/lstm_layer.h"
#include "util/error.h"

namespace dq::model {

using music::kNumVoices;

namespace {

// BLAS matrix-vector product, called directly: at this size the dispatch of
// a torch operator costs as much as the arithmetic.
using Sgemv = void (*)(const char*, const int*, const int*, const float*, const float*, const int*, const float*,
                       const int*, const float*, float*, const int*);
Sgemv find_sgemv() {
  static Sgemv f = reinterpret_cast<Sgemv>(dlsym(RTLD_DEFAULT, "sgemv_"));
  return f;
}

DenseWeight dense(const torch::Tensor& weight) {
  DenseWeight d{weight.contiguous(), {}};
  if (half_gemv_supported()) {
    d.half =
        to_half(d.weight.data_ptr<float>(), static_cast<int>(d.weight.size(0)), static_cast<int>(d.weight.size(1)));
  }
  return d;
}

void relu_inplace(torch::Tensor& t) {
  float* d = t.data_ptr<float>();
  for (int64_t i = 0; i < t.numel(); ++i) d[i] = d[i] > 0 ? d[i] : 0;
}

// The network's parameters by name.
class Parameters {
 public:
  explicit Parameters(FastNetImpl& net) {
    for (const auto& item : net.named_parameters()) p_[item.key()] = item.value().detach().to(torch::kFloat32);
  }
  const torch::Tensor& operator()(const std::string& name) const {
    auto it = p_.find(name);
    if (it == p_.end()) throw Error("model is missing parameter " + name);
    return it->second;
  }
  bool has(const std::string& name) const { return p_.count(name) > 0; }

 private:
  std::map<std::string, torch::Tensor> p_;
};

std::string embedding_of(int voice) { return "note_embeddings." + std::to_string(voice) + ".weight"; }

}  // namespace

void dense_product(torch::Tensor& out, const torch::Tensor& in, const DenseWeight& dense, const torch::Tensor& bias) {
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

FastNetStepper::FastNetStepper(FastNetImpl& net, const torch::Tensor& tokens, const torch::Tensor& meta, int64_t first,
                               int64_t count)
    : tokens_(tokens),
      B_(tokens.size(0)),
      L_(tokens.size(2)),
      first_(first),
      layers_(net.config().lstm_layers),
      H_(net.config().lstm_hidden),
      LH_(net.config().linear_hidden) {
  if (!tokens.is_contiguous() || tokens.scalar_type() != torch::kInt64) {
    throw Error("FastNetStepper: tokens must be contiguous int64");
  }
  torch::NoGradGuard no_grad;
  const Parameters at(net);
  const int E = net.config().note_embedding;
  // The metadata's share of every LSTM input: the embedded ticks' last columns.
  torch::Tensor embedded = net.embed(tokens, meta);  // [B, L, 4E + C*M]
  const int64_t meta_width = embedded.size(2) - kNumVoices * E;
  const torch::Tensor meta_part = embedded.narrow(2, kNumVoices * E, meta_width);
  for (Direction d : {kForward, kBackward}) {
    const std::string lstm = d == kForward ? "forward_lstm." : "backward_lstm.";
    DirectionWeights& w = direction_[d];
    const torch::Tensor& wih0 = at(lstm + "weight_ih_l0");  // [4H, 4E + C*M]
    for (int u = 0; u < kNumVoices; ++u) w.input_table[u] = fold_embedding(at(embedding_of(u)), wih0, u * E);
    const torch::Tensor bias0 = at(lstm + "bias_ih_l0") + at(lstm + "bias_hh_l0");
    w.meta_gates = (torch::matmul(meta_part, wih0.narrow(1, kNumVoices * E, meta_width).t()) + bias0).contiguous();
    w.recurrent0 = dense(at(lstm + "weight_hh_l0"));
    for (int l = 1; l < layers_; ++l) {
      const std::string n = std::to_string(l);
      w.stacked.push_back(dense(torch::cat({at(lstm + "weight_ih_l" + n), at(lstm + "weight_hh_l" + n)}, 1)));
      w.bias.push_back((at(lstm + "bias_ih_l" + n) + at(lstm + "bias_hh_l" + n)).contiguous());
    }
  }
  // The heads, split by what they read.
  std::vector<torch::Tensor> past, future, head_bias, center_meta, center_bias;
  const int center_in = (kNumVoices - 1) * E;
  for (int v = 0; v < kNumVoices; ++v) {
    vocab_[v] = net.config().voice_vocab_size(v);
    const std::string h = "heads." + std::to_string(v) + ".", c = "centers." + std::to_string(v) + ".";
    const torch::Tensor& h1 = at(h + "0.weight");  // [LH, 2H + LH]
    past.push_back(h1.narrow(1, 0, H_));
    future.push_back(h1.narrow(1, H_, H_));
    head_bias.push_back(at(h + "0.bias"));
    Head& head = head_[v];
    head.head_center = dense(h1.narrow(1, 2 * H_, LH_));
    const std::string last = at.has(h + "3.weight") ? "3" : "2";  // after a dropout layer, or not
    head.output = dense(at(h + last + ".weight"));
    head.output_bias = at(h + last + ".bias").contiguous();
    const torch::Tensor& c1 = at(c + "0.weight");  // [LH, 3E + C*M]
    center_meta.push_back(c1.narrow(1, center_in, c1.size(1) - center_in));
    center_bias.push_back(at(c + "0.bias"));
    int slot = 0;
    for (int u = 0; u < kNumVoices; ++u) {
      if (u == v) continue;
      head.center_table[u] = torch::mm(at(embedding_of(u)), c1.narrow(1, slot * E, E).t()).contiguous();
      ++slot;
    }
    head.center2 = dense(at(c + "2.weight"));
    head.center2_bias = at(c + "2.bias").contiguous();
  }
  direction_[kForward].head_share = dense(torch::cat(past, 0));
  direction_[kBackward].head_share = dense(torch::cat(future, 0));
  head_bias_ = torch::cat(head_bias, 0).contiguous();
  if (net.interval_table().defined()) interval_table_ = net.interval_table().detach().clone().contiguous();
  const torch::Tensor region_meta = meta_part.narrow(1, first, count);
  center_static_ =
      (torch::matmul(region_meta, torch::cat(center_meta, 0).t()) + torch::cat(center_bias, 0)).contiguous();
  for (LstmState& s : state_) {
    for (int l = 0; l < layers_; ++l) {
      s.h.push_back(torch::zeros({B_, H_}));
      s.c.push_back(torch::zeros({B_, H_}));
    }
  }
  gates_ = torch::empty({B_, 4 * H_});
  stacked_input_ = torch::empty({B_, 2 * H_});
  center_ = torch::empty({B_, LH_});
  center2_ = torch::empty({B_, LH_});
  hidden_ = torch::empty({B_, LH_});
}

const int64_t* FastNetStepper::token_row(int64_t b, int voice) const {
  return tokens_.data_ptr<int64_t>() + (b * kNumVoices + voice) * L_;
}

void FastNetStepper::step(Direction d, int64_t t) {
  const DirectionWeights& w = direction_[d];
  LstmState& s = state_[d];
  for (int l = 0; l < layers_; ++l) {
    if (l == 0) {
      dense_product(gates_, s.h[0], w.recurrent0);
      float* g = gates_.data_ptr<float>();
      for (int64_t b = 0; b < B_; ++b) {
        const float* mg = w.meta_gates.data_ptr<float>() + (b * L_ + t) * 4 * H_;
        float* gb = g + b * 4 * H_;
        for (int j = 0; j < 4 * H_; ++j) gb[j] += mg[j];
        for (int u = 0; u < kNumVoices; ++u) {
          const float* row = w.input_table[u].data_ptr<float>() + token_row(b, u)[t] * 4 * H_;
          for (int j = 0; j < 4 * H_; ++j) gb[j] += row[j];
        }
      }
    } else {
      for (int64_t b = 0; b < B_; ++b) {
        float* row = stacked_input_.data_ptr<float>() + b * 2 * H_;
        std::copy_n(s.h[l - 1].data_ptr<float>() + b * H_, H_, row);
        std::copy_n(s.h[l].data_ptr<float>() + b * H_, H_, row + H_);
      }
      dense_product(gates_, stacked_input_, w.stacked[l - 1], w.bias[l - 1]);
    }
    float* c = s.c[l].data_ptr<float>();
    lstm_cell_forward(gates_.data_ptr<float>(), c, c, s.h[l].data_ptr<float>(), B_, H_);
  }
}

LstmState FastNetStepper::state(Direction d) const {
  LstmState copy;
  for (int l = 0; l < layers_; ++l) {
    copy.h.push_back(state_[d].h[l].clone());
    copy.c.push_back(state_[d].c[l].clone());
  }
  return copy;
}

void FastNetStepper::restore(Direction d, const LstmState& from) {
  for (int l = 0; l < layers_; ++l) {
    state_[d].h[l].copy_(from.h[l]);
    state_[d].c[l].copy_(from.c[l]);
  }
}

torch::Tensor FastNetStepper::share(Direction d, const torch::Tensor& outputs) const {
  return torch::matmul(outputs, direction_[d].head_share.weight.t()).contiguous();
}

void FastNetStepper::share_into(Direction d, const torch::Tensor& outputs, torch::Tensor& out) const {
  dense_product(out, outputs, direction_[d].head_share);
}

void FastNetStepper::logits(int v, int64_t k, const torch::Tensor& past_share, const torch::Tensor& future_share,
                            torch::Tensor& out) {
  const Head& head = head_[v];
  const int64_t t = first_ + k, count = center_static_.size(1);
  // Centre: metadata part + the other voices' tokens, two layers.
  float* cp = center_.data_ptr<float>();
  for (int64_t b = 0; b < B_; ++b) {
    const float* fixed = center_static_.data_ptr<float>() + ((b * count + k) * kNumVoices + v) * LH_;
    std::copy(fixed, fixed + LH_, cp + b * LH_);
    for (int u = 0; u < kNumVoices; ++u) {
      if (u == v) continue;
      const float* row = head.center_table[u].data_ptr<float>() + token_row(b, u)[t] * LH_;
      for (int j = 0; j < LH_; ++j) cp[b * LH_ + j] += row[j];
    }
  }
  relu_inplace(center_);
  dense_product(center2_, center_, head.center2, head.center2_bias);
  relu_inplace(center2_);
  // Head: past + future + centre, then the output layer.
  dense_product(hidden_, center2_, head.head_center);
  float* hp = hidden_.data_ptr<float>();
  const float* bias = head_bias_.data_ptr<float>() + v * LH_;
  for (int64_t b = 0; b < B_; ++b) {
    const float* pp = past_share.data_ptr<float>() + b * past_share.stride(0) + v * LH_;
    const float* fp = future_share.data_ptr<float>() + b * future_share.stride(0) + v * LH_;
    for (int j = 0; j < LH_; ++j) hp[b * LH_ + j] += pp[j] + fp[j] + bias[j];
  }
  relu_inplace(hidden_);
  dense_product(out, hidden_, head.output, head.output_bias);
  if (interval_table_.defined()) add_interval_bias(v, t, out);
}

void FastNetStepper::add_interval_bias(int v, int64_t t, torch::Tensor& out) const {
  const int64_t width = interval_table_.size(1), R = (width - 1) / 2;
  const float* table = interval_table_.data_ptr<float>() + v * width;
  for (int64_t b = 0; b < B_; ++b) {
    const int64_t* row = token_row(b, v);
    int64_t last = -1;  // as last_pitch_indices: back through holds and rests to a pitch
    for (int64_t s = t - 1; s >= 0; --s) {
      if (row[s] == corpus::kHoldIndex || row[s] == corpus::kRestIndex) continue;
      if (row[s] >= corpus::kFirstPitchIndex) last = row[s];
      break;
    }
    if (last < 0) continue;
    float* o = out.data_ptr<float>() + b * out.stride(0);
    const int64_t low = std::max<int64_t>(corpus::kFirstPitchIndex, last - R);
    const int64_t high = std::min<int64_t>(vocab_[v] - 1, last + R);
    for (int64_t i = low; i <= high; ++i) o[i] += table[i - last + R];
  }
}

}  // namespace dq::model
