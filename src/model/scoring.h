// Scoring a model on a split: per-voice cross-entropy and accuracy on every
// real tick (holds included, as DeepBach reports it) and on note onsets only.
#pragma once

#include <array>

#include <nlohmann/json.hpp>

#include "model/batches.h"
#include "model/model.h"

namespace dq::model {

struct VoiceScores {
  std::array<double, 4> loss{}, accuracy{}, onset_accuracy{};
  int64_t targets = 0;
  double mean_loss() const { return (loss[0] + loss[1] + loss[2] + loss[3]) / 4; }
  double mean_accuracy() const { return (accuracy[0] + accuracy[1] + accuracy[2] + accuracy[3]) / 4; }
  nlohmann::json to_json() const;
};

// Scores every real tick of `split` ("fast": whole sequences; "deepbach":
// windows around every tick, or `max_targets` of them drawn with a fixed
// seed when the split is larger).
VoiceScores score_split(Model& model, const SplitView& split, int64_t max_targets = 1 << 30);

// The chronological negative log-likelihood of `split` under a "fast" model
// trained with masks (FastNetImpl::chronological): nats per voice and tick,
// every real tick of every sequence counted (holds and rests included), and
// per voice. Throws dq::Error for a model without masked training.
struct ChronologicalScore {
  std::array<double, 4> nll{};  // per voice, nats per tick
  double mean_nll = 0;          // over all (voice, tick) variables
  int64_t variables = 0;
};
ChronologicalScore chronological_nll(Model& model, const SplitView& split);

// Per-voice loss sums, correct counts and onset counts of a batch of logits
// against targets; positions with target < kRestIndex are ignored.
struct VoiceTally {
  double loss_sum = 0;
  int64_t correct = 0, count = 0, onset_correct = 0, onset_count = 0;
  void add(const torch::Tensor& logits, const torch::Tensor& targets);
};

}  // namespace dq::model
