// Training and scoring batches cut from a split's concatenated sequences:
// crops of whole sequences for the "fast" preset, windows around single
// target ticks for the "deepbach" preset.
#pragma once

#include <random>

#include <torch/torch.h>

#include "corpus/dataset.h"

namespace dq::model {

// A split's tensors as int64, ready for embedding lookups.
struct SplitView {
  torch::Tensor tokens;  // [4, N]
  torch::Tensor meta;    // [C, N]
  std::vector<int64_t> starts, lengths;
  std::vector<int64_t> cumulative;  // cumulative[i] = ticks in sequences < i
  explicit SplitView(const corpus::SplitTensors& split);
  int64_t ticks() const { return cumulative.empty() ? 0 : cumulative.back(); }
  // The sequence holding the k-th tick (0 <= k < ticks()).
  size_t sequence_of(int64_t k) const;
};

// `count` crops of `length` ticks: sequences drawn in proportion to their
// length, a uniform offset in each; shorter sequences are padded (kPadIndex,
// metadata 0). A fraction `edge_crops` of the crops is instead aligned with
// its sequence's first tick (half of them) or last tick (the other half), so
// that openings and final cadences, which a uniform offset almost never
// reaches, are trained as often as the middle of a piece. Returns tokens
// [count, 4, length] and meta [count, C, length].
std::pair<torch::Tensor, torch::Tensor> sample_crops(const SplitView& split, int count, int length,
                                                     std::mt19937_64& rng, double edge_crops = 0);

// Masked training (as in Coconet and orderless NADE): a copy of crops
// `tokens` [B, 4, L] in which a fraction `masked_crops` of the crops has
// hidden positions (kMaskIndex). Half of those hide each position with a
// probability drawn uniformly in (0, 1); the other half hide everything after
// a random tick (and some voices at that tick) in every voice but a random
// few that stay known, as in a chronological pass under a melody or fixed
// notes. START, END and padding are never hidden.
torch::Tensor mask_crops(const torch::Tensor& tokens, double masked_crops, std::mt19937_64& rng);

// Crops of sequences first..last-1, each whole (padded to the longest).
std::pair<torch::Tensor, torch::Tensor> whole_sequences(const SplitView& split, size_t first, size_t last);

// `count` target ticks drawn uniformly among the real ticks (not START/END)
// of the split: (start, length, tick) per target, for cut_windows().
struct Targets {
  torch::Tensor start, length, tick;
};
Targets sample_targets(const SplitView& split, int count, std::mt19937_64& rng);

}  // namespace dq::model
