#include "train/fault_unlikelihood.h"

#include <cmath>

#include "sample/voice_leading.h"

namespace dq::train {

using music::kNumVoices;

std::array<torch::Tensor, kNumVoices> faulty_tokens(const corpus::Vocabulary& vocab, const torch::Tensor& reading,
                                                    const torch::Tensor& targets, const torch::Tensor& whole) {
  const int64_t B = targets.size(0), L = targets.size(2);
  const sample::VoiceLeadingPrior prior(vocab, 1);
  std::array<torch::Tensor, kNumVoices> faulty;
  for (int v = 0; v < kNumVoices; ++v) faulty[v] = torch::zeros({B, L, vocab[v].size()}, torch::kBool);
  const torch::Tensor rows = reading.contiguous(), written = targets.contiguous();
  const auto is_whole = whole.accessor<bool, 1>();
  for (int64_t b = 0; b < B; ++b) {
    if (!is_whole[b]) continue;
    const int64_t* piece = rows[b].data_ptr<int64_t>();
    const int64_t* target = written[b].data_ptr<int64_t>();
    for (int v = 0; v < kNumVoices; ++v) {
      torch::Tensor plane = faulty[v][b];
      auto mark = plane.accessor<bool, 2>();
      for (int64_t t = 0; t < L; ++t) {
        const int64_t token = target[v * L + t];
        if (token < corpus::kRestIndex) continue;
        // A token's faults are counted against the notes around it: the
        // reading's own token at (v, t) is never looked at.
        const std::vector<int> faults = prior.faults_of_every_token(piece, nullptr, L, v, t);
        for (int index = corpus::kRestIndex; index < vocab[v].size(); ++index)
          mark[t][index] = faults[index] > faults[token];
      }
    }
  }
  return faulty;
}

torch::Tensor fault_unlikelihood(const torch::Tensor& logits, const torch::Tensor& faulty) {
  const torch::Tensor rows = faulty.any(1);
  if (!rows.any().item<bool>()) return torch::zeros({});
  const torch::Tensor log_p = torch::log_softmax(logits.index({rows}).to(torch::kFloat32), 1);
  // log p(marked), kept below 0 so that log(1 - p) stays finite.
  const torch::Tensor log_marked =
      torch::logsumexp(log_p.masked_fill(faulty.index({rows}).logical_not(), -INFINITY), 1).clamp_max(-1e-6);
  return -torch::log1p(-torch::exp(log_marked)).sum();
}

}  // namespace dq::train
