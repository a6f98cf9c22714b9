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

std::array<torch::Tensor, kNumVoices> crop_logits(model::FastNetImpl& net, const CropReading& reading) {
  const int64_t B = reading.tokens.size(0), first = reading.chronological;
  if (first == 0) return net.forward(reading.inputs, reading.meta);
  if (first == B) return net.chronological(reading.tokens, reading.meta, reading.known);
  auto ordered = net.chronological(reading.tokens.narrow(0, 0, first), reading.meta.narrow(0, 0, first),
                                   reading.known.narrow(0, 0, first));
  auto rest = net.forward(reading.inputs.narrow(0, first, B - first), reading.meta.narrow(0, first, B - first));
  // The chronological crops' rows come first.
  for (int v = 0; v < kNumVoices; ++v) ordered[v] = torch::cat({ordered[v], rest[v]}, 0);
  return ordered;
}

namespace {

// One draw per row of `logits` [N, V] over the tokens a sampler may draw.
torch::Tensor draw_tokens(const torch::Tensor& logits, torch::Generator& generator) {
  torch::Tensor drawable = logits.to(torch::kFloat32);
  drawable.narrow(1, 0, corpus::kRestIndex).fill_(-INFINITY);
  return torch::multinomial(torch::softmax(drawable, 1), 1, false, generator).squeeze(1);
}

}  // namespace

CropReading with_own_draws(model::FastNetImpl& net, const CropReading& reading, const torch::Tensor& replace,
                           torch::Generator& generator) {
  torch::NoGradGuard no_grad;
  const int64_t B = reading.tokens.size(0), L = reading.tokens.size(2);
  const auto logits = crop_logits(net, reading);
  std::vector<torch::Tensor> drawn;
  for (int v = 0; v < kNumVoices; ++v) drawn.push_back(draw_tokens(logits[v], generator).view({B, L}));
  const torch::Tensor own = torch::stack(drawn, 1);
  // A chronological crop is read as `tokens`, the others as `inputs`.
  const torch::Tensor chronological = (torch::arange(B) < reading.chronological).view({-1, 1, 1});
  CropReading result = reading;
  result.tokens = torch::where(replace & chronological, own, reading.tokens);
  result.inputs = torch::where(replace & chronological.logical_not(), own, reading.inputs);
  return result;
}

}  // namespace dq::train
