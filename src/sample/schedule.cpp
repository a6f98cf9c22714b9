#include "sample/schedule.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "corpus/encoding.h"
#include "util/error.h"

namespace dq::sample {

double temperature_at(const SampleOptions& o, int iteration, int iterations) {
  if (iterations == 1) return o.temperature;
  double decay = o.decay;
  if (decay <= 0) {
    int half = std::max(1, iterations / 2);
    decay = std::pow(o.temperature / o.start_temperature, 1.0 / half);
  }
  double t = o.start_temperature * std::pow(decay, iteration);
  return o.start_temperature >= o.temperature ? std::max(o.temperature, t) : std::min(o.temperature, t);
}

void forbid_invalid(float* logits, int64_t previous, int64_t next) {
  constexpr float kNever = -1e30f;
  for (int i = 0; i < corpus::kRestIndex; ++i) logits[i] = kNever;
  if (previous == corpus::kRestIndex || previous == corpus::kStartIndex) logits[corpus::kHoldIndex] = kNever;
  if (next == corpus::kHoldIndex) logits[corpus::kRestIndex] = kNever;
}

int64_t draw_index(const float* logits, int64_t n, double temperature, std::mt19937_64& rng) {
  float top = *std::max_element(logits, logits + n);
  std::vector<double> weight(n);
  double total = 0;
  for (int64_t i = 0; i < n; ++i) {
    weight[i] = logits[i] <= -1e29f ? 0.0 : std::exp((logits[i] - top) / temperature);
    total += weight[i];
  }
  double r = std::uniform_real_distribution<double>(0, total)(rng);
  for (int64_t i = 0; i < n; ++i) {
    r -= weight[i];
    if (r < 0 && weight[i] > 0) return i;
  }
  for (int64_t i = n - 1; i >= 0; --i)
    if (weight[i] > 0) return i;
  return n - 1;
}

int64_t draw_token(float* logits, int64_t n, double temperature, const VoiceLeadingPrior& prior, const int64_t* piece,
                   const int16_t* cadences, int64_t length, int v, int64_t t, std::mt19937_64& rng) {
  forbid_invalid(logits, piece[v * length + t - 1], piece[v * length + t + 1]);
  prior.apply(piece, cadences, length, v, t, logits);
  return draw_index(logits, n, temperature, rng);
}

SamplingProgress::SamplingProgress(const SampleOptions& options, int total)
    : options_(options), total_(std::max(1, total)), bar_("Sampling", total, options.progress) {}

void SamplingProgress::update(int done) {
  bar_.update(done);
  if (options_.on_progress && !options_.on_progress(static_cast<double>(done) / total_)) throw Error("cancelled");
}

}  // namespace dq::sample
