#include "train/own_draws.h"

#include <cmath>
#include <vector>

#include "corpus/encoding.h"

namespace dq::train {

using music::kNumVoices;

torch::Tensor own_draw_positions(const CropReading& reading, double fraction, torch::Generator& generator) {
  const int64_t first = reading.chronological;
  const torch::Tensor drawn = torch::rand(reading.tokens.sizes(), generator) < fraction;
  torch::Tensor allowed = reading.inputs >= corpus::kRestIndex;
  if (first > 0) {
    const torch::Tensor unknown = reading.known.narrow(0, 0, first).logical_not().unsqueeze(2);
    allowed.narrow(0, 0, first).copy_(unknown & (reading.tokens.narrow(0, 0, first) >= corpus::kRestIndex));
  }
  return drawn & allowed;
}

namespace {

// One draw per row of `logits` [N, V] over the tokens a sampler may draw.
torch::Tensor draw_tokens(const torch::Tensor& logits, torch::Generator& generator) {
  torch::Tensor drawable = logits.to(torch::kFloat32);
  drawable.narrow(1, 0, corpus::kRestIndex).fill_(-INFINITY);
  return torch::multinomial(torch::softmax(drawable, 1), 1, false, generator).squeeze(1);
}

// `rows` [B, 4, L] with the positions `replace` taken from the draws of `logits` (per voice [B * L, V]).
torch::Tensor replaced(const torch::Tensor& rows, const std::array<torch::Tensor, kNumVoices>& logits,
                       const torch::Tensor& replace, torch::Generator& generator) {
  const int64_t B = rows.size(0), L = rows.size(2);
  std::vector<torch::Tensor> drawn;
  for (int v = 0; v < kNumVoices; ++v) drawn.push_back(draw_tokens(logits[v], generator).view({B, L}));
  return torch::where(replace, torch::stack(drawn, 1), rows);
}

}  // namespace

CropReading with_own_draws(model::FastNetImpl& net, const CropReading& reading, const torch::Tensor& replace,
                           torch::Generator& generator) {
  torch::NoGradGuard no_grad;
  const int64_t B = reading.tokens.size(0), first = reading.chronological;
  CropReading own = reading;
  own.tokens = reading.tokens.clone();
  own.inputs = reading.inputs.clone();
  if (first > 0) {
    const auto logits = net.chronological(reading.tokens.narrow(0, 0, first), reading.meta.narrow(0, 0, first),
                                          reading.known.narrow(0, 0, first));
    own.tokens.narrow(0, 0, first)
        .copy_(replaced(reading.tokens.narrow(0, 0, first), logits, replace.narrow(0, 0, first), generator));
  }
  if (first < B) {
    const auto logits =
        net.forward(reading.inputs.narrow(0, first, B - first), reading.meta.narrow(0, first, B - first));
    own.inputs.narrow(0, first, B - first)
        .copy_(replaced(reading.inputs.narrow(0, first, B - first), logits, replace.narrow(0, first, B - first),
                        generator));
  }
  return own;
}

}  // namespace dq::train
