#include "model/batches.h"

#include <algorithm>

namespace dq::model {

SplitView::SplitView(const corpus::SplitTensors& split) : starts(split.starts), lengths(split.lengths) {
  tokens = split.tokens.defined() ? split.tokens.to(torch::kInt64) : torch::zeros({4, 0}, torch::kInt64);
  meta =
      split.meta.defined() ? split.meta.to(torch::kInt64) : torch::zeros({corpus::kNumMetaChannels, 0}, torch::kInt64);
  cumulative.push_back(0);
  for (int64_t len : lengths) cumulative.push_back(cumulative.back() + len);
}

size_t SplitView::sequence_of(int64_t k) const {
  auto it = std::upper_bound(cumulative.begin(), cumulative.end(), k);
  return static_cast<size_t>(it - cumulative.begin() - 1);
}

namespace {
// Copies `n` ticks from column `from` of the split into crop `b` of the batch.
void copy_ticks(const SplitView& split, int64_t from, int64_t n, int64_t b, torch::Tensor& tokens,
                torch::Tensor& meta) {
  tokens[b].narrow(1, 0, n).copy_(split.tokens.narrow(1, from, n));
  meta[b].narrow(1, 0, n).copy_(split.meta.narrow(1, from, n));
}
}  // namespace

std::pair<torch::Tensor, torch::Tensor> sample_crops(const SplitView& split, int count, int length,
                                                     std::mt19937_64& rng, double edge_crops) {
  torch::Tensor tokens = torch::full({count, 4, length}, corpus::kPadIndex, torch::kInt64);
  torch::Tensor meta = torch::zeros({count, corpus::kNumMetaChannels, length}, torch::kInt64);
  std::uniform_int_distribution<int64_t> pick(0, split.ticks() - 1);
  for (int b = 0; b < count; ++b) {
    size_t s = split.sequence_of(pick(rng));
    int64_t len = split.lengths[s];
    int64_t offset = 0;
    if (len > length) {
      offset = std::uniform_int_distribution<int64_t>(0, len - length)(rng);
      if (edge_crops > 0) {
        const double u = std::uniform_real_distribution<double>(0, 1)(rng);
        if (u < edge_crops / 2)
          offset = 0;
        else if (u < edge_crops)
          offset = len - length;
      }
    }
    copy_ticks(split, split.starts[s] + offset, std::min<int64_t>(len, length), b, tokens, meta);
  }
  return {tokens, meta};
}

torch::Tensor mask_crops(const torch::Tensor& tokens, double masked_crops, std::mt19937_64& rng) {
  torch::Tensor masked = tokens.clone();
  auto tok = masked.accessor<int64_t, 3>();
  const int64_t B = masked.size(0), L = masked.size(2);
  std::uniform_real_distribution<double> uniform(0, 1);
  constexpr double kKnownVoice = 0.25;  // chronological crops: chance that a voice stays known
  for (int64_t b = 0; b < B; ++b) {
    if (uniform(rng) >= masked_crops) continue;
    const bool chronological = uniform(rng) < 0.5;
    const double rate = uniform(rng);
    const int64_t boundary = std::uniform_int_distribution<int64_t>(0, L - 1)(rng);
    for (int v = 0; v < music::kNumVoices; ++v) {
      const bool known = chronological && uniform(rng) < kKnownVoice;
      const bool hidden_at_boundary = uniform(rng) < 0.5;
      for (int64_t t = 0; t < L; ++t) {
        if (tok[b][v][t] < corpus::kRestIndex) continue;  // START, END, padding
        bool hide =
            chronological ? !known && (t > boundary || (t == boundary && hidden_at_boundary)) : uniform(rng) < rate;
        if (hide) tok[b][v][t] = corpus::kMaskIndex;
      }
    }
  }
  return masked;
}

std::pair<torch::Tensor, torch::Tensor> whole_sequences(const SplitView& split, size_t first, size_t last) {
  int64_t longest = 0;
  for (size_t s = first; s < last; ++s) longest = std::max(longest, split.lengths[s]);
  const int64_t count = static_cast<int64_t>(last - first);
  torch::Tensor tokens = torch::full({count, 4, longest}, corpus::kPadIndex, torch::kInt64);
  torch::Tensor meta = torch::zeros({count, corpus::kNumMetaChannels, longest}, torch::kInt64);
  for (size_t s = first; s < last; ++s)
    copy_ticks(split, split.starts[s], split.lengths[s], static_cast<int64_t>(s - first), tokens, meta);
  return {tokens, meta};
}

Targets sample_targets(const SplitView& split, int count, std::mt19937_64& rng) {
  std::vector<int64_t> start(count), length(count), tick(count);
  std::uniform_int_distribution<int64_t> pick(0, split.ticks() - 1);
  for (int i = 0; i < count; ++i) {
    size_t s;
    int64_t t;
    do {  // skip the START and END ticks
      int64_t k = pick(rng);
      s = split.sequence_of(k);
      t = k - split.cumulative[s];
    } while (t == 0 || t == split.lengths[s] - 1);
    start[i] = split.starts[s];
    length[i] = split.lengths[s];
    tick[i] = t;
  }
  return {torch::tensor(start), torch::tensor(length), torch::tensor(tick)};
}

}  // namespace dq::model
