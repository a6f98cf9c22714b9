// FastNet one tick at a time, for samplers that change the tokens as they go.
//
// FastNetImpl::forward runs its two LSTMs over whole crops and every head at
// every tick: right for training, but a Gibbs sweep changes one tick and must
// then advance the forward (or backward) LSTM by that tick alone. A
// FastNetStepper holds the same network's weights arranged for that: layer
// 0's input product folded into one table row per token and voice (the
// embedding times the input weights) plus a metadata part computed once for
// every tick, the recurrent products as matrix-vector products (float16
// weights where the CPU has F16C: half_gemv.h), the cell update by the
// training LSTM's own kernel (lstm_cell_forward), and each head split into
// the share of the past, of the future and of the centre (the other voices at
// the tick), so that a sweep recomputes only what changed. Its logits are the
// training forward's (eval mode) up to float rounding, tested to 1e-4,
// the interval bias included (found by reading the voice's tokens back from
// the tick).
//
// It reads the tokens in place ([B, 4, L] int64, contiguous): the caller may
// change them between calls, and every step and head reads them as they are.
#pragma once

#include <array>
#include <vector>

#include <torch/torch.h>

#include "model/fast_net.h"
#include "model/half_gemv.h"

namespace dq::model {

// A weight matrix [N, K] (row-major float) and, where the CPU can use it, its
// float16 copy for single-row products.
struct DenseWeight {
  torch::Tensor weight;
  HalfMatrix half;
};

// The state of one direction's LSTM stack: per layer h and c [B, H].
struct LstmState {
  std::vector<torch::Tensor> h, c;
};

class FastNetStepper {
 public:
  enum Direction { kForward, kBackward };

  // `net`'s weights (read once; later changes to `net` are not seen) for the
  // pieces `tokens` [B, 4, L] with metadata `meta` [B, C, L]; the heads can be
  // run for the ticks first .. first + count - 1 (the region). Both LSTMs
  // start at their zero state.
  FastNetStepper(FastNetImpl& net, const torch::Tensor& tokens, const torch::Tensor& meta, int64_t first,
                 int64_t count);

  int64_t pieces() const { return B_; }
  int hidden_size() const { return H_; }
  int vocabulary(int voice) const { return vocab_[voice]; }

  // Advances direction d by tick t (its tokens as they are now).
  void step(Direction d, int64_t t);
  // Its output after the ticks it has read, [B, H] (zeros before any).
  const torch::Tensor& output(Direction d) const { return state_[d].h.back(); }
  LstmState state(Direction d) const;
  void restore(Direction d, const LstmState& state);

  // Each head's first layer is W_past * past + W_future * future + W_centre *
  // centre + bias. share(d, outputs) is the part of direction d's outputs
  // ([..., H]: past for kForward, future for kBackward) for all four heads:
  // [..., 4 * linear hidden]. For one row of outputs it takes the fast path.
  torch::Tensor share(Direction d, const torch::Tensor& outputs) const;
  void share_into(Direction d, const torch::Tensor& outputs, torch::Tensor& out) const;  // outputs [B, H]

  // The logits [B, V] of `voice` at region tick k (tick first + k) for every
  // piece, from the shares of its past and its future ([B, 4 * linear
  // hidden], any row stride) and the other voices' tokens at that tick now.
  void logits(int voice, int64_t k, const torch::Tensor& past_share, const torch::Tensor& future_share,
              torch::Tensor& out);

 private:
  struct DirectionWeights {
    std::array<torch::Tensor, 4> input_table;  // per voice [V_u, 4H]
    DenseWeight recurrent0;                    // [4H, H]
    std::vector<DenseWeight> stacked;          // layers >= 1: [4H, 2H] over [h_below, h_own]
    std::vector<torch::Tensor> bias;           // layers >= 1: [4H]
    torch::Tensor meta_gates;                  // [B, L, 4H]: metadata part + both biases of layer 0, per tick
    DenseWeight head_share;                    // [4 * LH, H]
  };
  struct Head {
    std::array<torch::Tensor, 4> center_table;  // per other voice [V_u, LH]
    DenseWeight center2, head_center, output;   // [LH, LH], [LH, LH], [V, LH]
    torch::Tensor center2_bias, output_bias;
  };

  const int64_t* token_row(int64_t b, int voice) const;
  // Adds voice v's interval bias (FastNetImpl::interval_table) at tick t to out [B, V].
  void add_interval_bias(int v, int64_t t, torch::Tensor& out) const;

  torch::Tensor tokens_;
  int64_t B_, L_, first_;
  int layers_, H_, LH_;
  std::array<int, 4> vocab_{};
  std::array<DirectionWeights, 2> direction_;
  std::array<Head, 4> head_;
  torch::Tensor head_bias_;       // [4 * LH], the first layer's bias of every head
  torch::Tensor center_static_;   // [B, count, 4 * LH]: each centre's metadata part and bias
  torch::Tensor interval_table_;  // [4, 2R + 1], or undefined
  std::array<LstmState, 2> state_;
  // Work buffers.
  torch::Tensor gates_, stacked_input_, center_, center2_, hidden_;
};

// out[b] = weight * in[b] (+ bias) for every row b of in [rows, K].
void dense_product(torch::Tensor& out, const torch::Tensor& in, const DenseWeight& weight,
                   const torch::Tensor& bias = torch::Tensor());

}  // namespace dq::model
