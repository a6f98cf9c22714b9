#include "model/scoring.h"

#include <random>

#include "util/error.h"

namespace dq::model {

using music::kNumVoices;

void VoiceTally::add(const torch::Tensor& logits, const torch::Tensor& targets) {
  torch::Tensor mask = targets >= corpus::kRestIndex;
  torch::Tensor l = logits.index({mask});
  torch::Tensor t = targets.index({mask});
  if (t.numel() == 0) return;
  loss_sum += torch::nn::functional::cross_entropy(
                  l, t, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                  .item<double>();
  torch::Tensor hit = l.argmax(-1) == t;
  correct += hit.sum().item<int64_t>();
  count += t.numel();
  torch::Tensor onset = t != corpus::kHoldIndex;
  onset_correct += (hit & onset).sum().item<int64_t>();
  onset_count += onset.sum().item<int64_t>();
}

nlohmann::json VoiceScores::to_json() const {
  return {{"loss", loss},
          {"accuracy", accuracy},
          {"onset_accuracy", onset_accuracy},
          {"mean_loss", mean_loss()},
          {"mean_accuracy", mean_accuracy()},
          {"targets", targets}};
}

namespace {
// Tallies `logits_of(tokens, meta)` against the tokens, for every sequence of
// `split` in batches of whole sequences.
template <typename LogitsOf>
std::array<VoiceTally, kNumVoices> tally_whole_sequences(const SplitView& split, LogitsOf logits_of) {
  std::array<VoiceTally, kNumVoices> tally;
  constexpr size_t kSequencesPerBatch = 8;
  for (size_t first = 0; first < split.starts.size(); first += kSequencesPerBatch) {
    size_t last = std::min(split.starts.size(), first + kSequencesPerBatch);
    auto [tokens, meta] = whole_sequences(split, first, last);
    auto logits = logits_of(tokens, meta);
    for (int v = 0; v < kNumVoices; ++v) tally[v].add(logits[v], tokens.select(1, v).reshape({-1}));
  }
  return tally;
}
}  // namespace

VoiceScores score_split(Model& model, const SplitView& split, int64_t max_targets) {
  torch::NoGradGuard no_grad;
  model.module().eval();
  std::array<VoiceTally, kNumVoices> tally;
  if (model.fast) {
    tally = tally_whole_sequences(split, [&](const torch::Tensor& tokens, const torch::Tensor& meta) {
      return model.fast->forward(tokens, meta);
    });
  } else {
    // Every real tick, or a fixed sample of them.
    std::vector<int64_t> start, length, tick;
    int64_t real_ticks = split.ticks() - 2 * static_cast<int64_t>(split.starts.size());
    std::mt19937_64 rng(12345);
    std::bernoulli_distribution keep(
        std::min(1.0, static_cast<double>(max_targets) / std::max<int64_t>(1, real_ticks)));
    for (size_t s = 0; s < split.starts.size(); ++s) {
      for (int64_t t = 1; t + 1 < split.lengths[s]; ++t) {
        if (!keep(rng)) continue;
        start.push_back(split.starts[s]);
        length.push_back(split.lengths[s]);
        tick.push_back(t);
      }
    }
    constexpr int64_t kBatch = 1024;
    for (int64_t i = 0; i < static_cast<int64_t>(tick.size()); i += kBatch) {
      int64_t n = std::min<int64_t>(kBatch, static_cast<int64_t>(tick.size()) - i);
      auto slice = [&](const std::vector<int64_t>& v) {
        return torch::tensor(std::vector<int64_t>(v.begin() + i, v.begin() + i + n));
      };
      Windows w = cut_windows(split.tokens, split.meta, slice(start), slice(length), slice(tick), model.config.window);
      for (int v = 0; v < kNumVoices; ++v)
        tally[v].add(model.deepbach->voice(v)->forward(w), w.center_tokens.select(1, v));
    }
  }
  VoiceScores scores;
  for (int v = 0; v < kNumVoices; ++v) {
    const VoiceTally& t = tally[v];
    scores.loss[v] = t.count ? t.loss_sum / t.count : 0;
    scores.accuracy[v] = t.count ? static_cast<double>(t.correct) / t.count : 0;
    scores.onset_accuracy[v] = t.onset_count ? static_cast<double>(t.onset_correct) / t.onset_count : 0;
    scores.targets += t.count;
  }
  return scores;
}

ChronologicalScore chronological_nll(Model& model, const SplitView& split) {
  if (!model.trained_with_masks()) {
    throw Error("a chronological likelihood needs a \"fast\" model trained with masks");
  }
  torch::NoGradGuard no_grad;
  model.module().eval();
  const auto tally = tally_whole_sequences(split, [&](const torch::Tensor& tokens, const torch::Tensor& meta) {
    return model.fast->chronological(tokens, meta);
  });
  ChronologicalScore score;
  double total = 0;
  for (int v = 0; v < kNumVoices; ++v) {
    score.nll[v] = tally[v].count ? tally[v].loss_sum / tally[v].count : 0;
    total += tally[v].loss_sum;
    score.variables += tally[v].count;
  }
  score.mean_nll = score.variables ? total / score.variables : 0;
  return score;
}

}  // namespace dq::model
