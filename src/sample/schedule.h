// What the samplers share: the annealed temperature, the sampling state
// (index tensors of the pieces with their fixed positions), the draw of one
// token and progress reporting with cancellation.
#pragma once

#include <random>
#include <vector>

#include <torch/torch.h>

#include "sample/sampler.h"
#include "sample/voice_leading.h"
#include "util/progress.h"

namespace dq::sample {

// Temperature at `iteration` of `iterations`: start * decay^iteration, never
// past the target (decay 0: reach the target at half the iterations). A
// single iteration has nothing to anneal: it is drawn at the target (so the
// chronological pass alone is a draw from the network's own chronological
// factorization at temperature 1 by default).
double temperature_at(const SampleOptions& options, int iteration, int iterations);

// The pieces being sampled as index tensors with a START tick before and an
// END tick after each piece: tokens [B, 4, L] (int64), meta [B, C, L],
// free [B, 4, L] (bool); [first, last] bounds the free ticks. cadences[b * L
// + i]: what a fermata starting at tick i of piece b asks of the chord (see
// VoiceLeadingPrior::cadences_of), else VoiceLeadingPrior::kNoCadence.
// reference_meta: with style guidance, meta under the reference style.
struct SamplingState {
  torch::Tensor tokens, meta, free;
  torch::Tensor reference_meta;
  std::vector<int16_t> cadences;
  int64_t first = 0, last = -1;
};

// Sets to -infinity in `logits` (a voice's vocabulary) what may not be
// written between neighbours `previous` and `next`: the special symbols, a
// hold after a rest or START, a rest before a hold. A neighbour still hidden
// (kMaskIndex) constrains nothing; it is drawn later under the same rule.
void forbid_invalid(float* logits, int64_t previous, int64_t next);

// Draws an index from `logits` (length n) at `temperature` with `rng`;
// entries set to -infinity are never drawn.
int64_t draw_index(const float* logits, int64_t n, double temperature, std::mt19937_64& rng);

// Draws the token of voice v at tick t of `piece` (one piece's rows of
// indices, START and END around; `cadences` its row of cadences) from the
// network's `logits` for it (length n, changed in place): the tokens
// forbid_invalid rules out removed, the prior's penalties added, then one
// draw at `temperature` (which divides the prior's penalties too: the
// product of experts is tempered as a whole; tempering the network alone
// measured no better, see the README's ablation). What every sampler does at
// every position.
int64_t draw_token(float* logits, int64_t n, double temperature, const VoiceLeadingPrior& prior, const int64_t* piece,
                   const int16_t* cadences, int64_t length, int v, int64_t t, std::mt19937_64& rng);

// Progress bar plus the caller's on_progress hook (which may cancel).
class SamplingProgress {
 public:
  SamplingProgress(const SampleOptions& options, int total);
  // Throws dq::Error("cancelled") when the hook asks to stop.
  void update(int done);
  void finish() { bar_.finish(); }

 private:
  const SampleOptions& options_;
  int total_;
  Progress bar_;
};

}  // namespace dq::sample
