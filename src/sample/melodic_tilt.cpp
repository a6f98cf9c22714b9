#include "sample/melodic_tilt.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "music/harmony.h"
#include "sample/compose.h"
#include "util/error.h"

namespace dq::sample {

using corpus::kFirstPitchIndex;
using corpus::kHoldIndex;
using music::interval_bucket;
using music::kNumVoices;

namespace {

// The largest nats a fitted entry may hold: a bucket the sampler never
// writes (or always writes) would otherwise grow without end.
constexpr float kMostNats = 6.0f;

// A share this small counts as this much in the log-ratio of an update.
constexpr double kLeastShare = 1e-3;

double l1_distance(const music::IntervalMix& a, const music::IntervalMix& b) {
  double d = 0;
  for (int v = 0; v < kNumVoices; ++v)
    for (int i = 0; i < music::kIntervalBuckets; ++i) d += std::abs(a[v][i] - b[v][i]);
  return d;
}

}  // namespace

bool is_zero(const MelodicTilt& tilt) {
  for (const auto& voice : tilt)
    for (float nats : voice)
      if (nats != 0) return false;
  return true;
}

std::string tilt_key(const model::ModelConfig& config, int style) {
  const auto& styles = config.styles;
  return style >= 0 && style < static_cast<int>(styles.size()) ? styles[style] : "";
}

MelodicTilt default_melodic_tilt(const model::Model& m, int style) {
  const auto found = m.config.melodic_tilt.find(tilt_key(m.config, style));
  return found == m.config.melodic_tilt.end() ? MelodicTilt{} : found->second;
}

void apply_tilt(const MelodicTilt& tilt, const corpus::Vocabulary& vocab, const int64_t* piece, int64_t length, int v,
                int64_t t, float* logits) {
  const int64_t* row = piece + v * length;
  auto pitch_of = [&](int64_t index) { return vocab[v].low + static_cast<int>(index) - kFirstPitchIndex; };
  int previous = -1;  // the voice's previous note, rests skipped
  for (int64_t u = t - 1; u > 0 && previous < 0; --u)
    if (row[u] >= kFirstPitchIndex) previous = pitch_of(row[u]);
  int next = -1;  // the voice's next note after the one at t, rests skipped
  int64_t n = t + 1;
  while (n < length - 1 && (row[n] == kHoldIndex || row[n] == corpus::kRestIndex)) ++n;
  if (n < length - 1 && row[n] >= kFirstPitchIndex) next = pitch_of(row[n]);
  const auto& nats = tilt[v];
  if (previous >= 0 && next >= 0) logits[kHoldIndex] += nats[interval_bucket(next - previous)];
  for (int index = kFirstPitchIndex; index < vocab[v].size(); ++index) {
    const int pitch = pitch_of(index);
    float gain = 0;
    if (previous >= 0) gain += nats[interval_bucket(pitch - previous)];
    if (next >= 0) gain += nats[interval_bucket(next - pitch)];
    logits[index] += gain;
  }
}

TiltFit fit_melodic_tilt(model::Model& m, int style, const std::vector<music::Score>& training,
                         const TiltFitOptions& o) {
  if (training.empty()) throw Error("no training pieces to fit the melodic tilt to");
  if (!m.fast) throw Error("the melodic tilt acts in the \"fast\" preset's sweeps; this model is \"deepbach\"");
  TiltFit fit;
  fit.target = music::interval_mix(training);
  MelodicTilt tilt{};
  const int total = o.pieces * (o.rounds + 1);
  for (int round = 0; round <= o.rounds; ++round) {
    std::mt19937_64 rng(o.seed);  // the same keys, meters and seeds every round
    std::vector<music::Score> pieces;
    for (int i = 0; i < o.pieces; ++i) {
      const music::Score& model_piece = training[rng() % training.size()];
      PieceRequest request;
      request.bars = o.bars;
      request.key = music::home_key(model_piece);
      request.time = model_piece.meta[0].time;
      if (!m.config.styles.empty()) request.style = m.config.styles[style];
      SampleOptions so = o.sampling;
      so.seed = o.seed + static_cast<uint64_t>(i);
      so.melodic_tilt = tilt;
      pieces.push_back(generate(m, request, so)[0]);
      if (o.on_piece) o.on_piece(round * o.pieces + i + 1, total);
    }
    const music::IntervalMix mix = music::interval_mix(pieces);
    const double distance = l1_distance(mix, fit.target);
    if (round == 0) fit.untilted_distance = distance;
    if (round == 0 || distance < fit.distance) {
      fit.tilt = tilt;
      fit.mix = mix;
      fit.distance = distance;
    }
    if (o.on_round) o.on_round(round, distance);
    for (int v = 0; v < kNumVoices; ++v) {
      for (int i = 0; i < music::kIntervalBuckets; ++i) {
        const double step =
            o.rate * (std::log(std::max(fit.target[v][i], kLeastShare)) - std::log(std::max(mix[v][i], kLeastShare)));
        tilt[v][i] = std::clamp(static_cast<float>(tilt[v][i] + step), -kMostNats, kMostNats);
      }
    }
  }
  return fit;
}

}  // namespace dq::sample
