// Parallel scheduled sampling (Duckworth et al. 2019, "Parallel scheduled
// sampling"). A network trained on written music alone only ever reads
// written music; when it samples, it reads its own draws, and a draw that a
// composer would not have made sends it where no training crop went (the
// quartet model's cello, calibrated on real openings, rests on twice as many
// ticks of its own). Here part of what the network reads of a crop is
// replaced by the network's own draws, each from its conditional given the
// written music, while the targets stay the written notes: it learns to go
// on well from music it wrote itself. One extra forward, without gradient.
#pragma once

#include <array>
#include <cstdint>

#include <torch/torch.h>

#include "model/fast_net.h"

namespace dq::train {

// What the network reads of a batch of crops: the first `chronological` crops
// as `tokens` through FastNetImpl::chronological (the voices `known` [B, 4]
// known throughout), the others as `inputs` (positions hidden with
// kMaskIndex) through FastNetImpl::forward.
struct CropReading {
  torch::Tensor tokens, inputs;  // [B, 4, L]
  torch::Tensor meta;            // [B, C, L]
  torch::Tensor known;           // [B, 4] bool
  int64_t chronological = 0;
};

// Logits of every voice at every tick of the crops `reading` reads (per
// voice [B * L, V], crop-major).
std::array<torch::Tensor, music::kNumVoices> crop_logits(model::FastNetImpl& net, const CropReading& reading);

// The positions to replace: each note, rest or hold with probability
// `fraction`, in a chronological crop only in the voices not known, in the
// others only where the input is not hidden.
torch::Tensor own_draw_positions(const CropReading& reading, double fraction, torch::Generator& generator);

// `reading` with each position of `replace` [B, 4, L] (bool) drawn from
// `net`'s conditional there given `reading` (at temperature 1; never
// padding, START or END).
CropReading with_own_draws(model::FastNetImpl& net, const CropReading& reading, const torch::Tensor& replace,
                           torch::Generator& generator);

}  // namespace dq::train
