// The melodic tilt: a calibration of the "fast" sampler's lines. The Gibbs
// sweeps that give a chorale its harmony also flatten its voices: the first
// pass alone writes Bach's share of repeated notes and leaps, forty sweeps
// later the inner voices repeat their notes more and leap a fourth, fifth
// or octave less (README, ablation). The tilt adds to every candidate of a
// voice, in the sweeps after the first pass (in that pass where it is all
// the sampling, as for the string-quartet styles), `tilt[voice][bucket]` nats for
// each melodic interval it makes (music::interval_bucket: from the voice's
// previous note, and into its next note), so that the sampler draws from
// network x prior x exp(tilt . intervals). Its table is fitted per style to
// the interval mix of the training pieces (fit_melodic_tilt; `deepquartet
// calibrate` writes it into the model file), as a maximum-entropy
// correction: the least change to the sampler that gives its lines the
// training pieces' interval mix.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/model.h"
#include "music/melody.h"
#include "sample/sampler.h"

namespace dq::sample {

using model::MelodicTilt;

bool is_zero(const MelodicTilt& tilt);

// The key of style index `style`'s table in ModelConfig::melodic_tilt: the
// style's name, or "" for a model without styles.
std::string tilt_key(const model::ModelConfig& config, int style);

// The tilt a style is sampled with unless asked otherwise: the model's
// calibrated one (ModelConfig::melodic_tilt), else none (all zero).
MelodicTilt default_melodic_tilt(const model::Model& m, int style);

// Adds to logits[i], for every token i of voice v at tick t of `piece` (one
// piece's rows of vocabulary indices, voice u's tick t at piece[u * length +
// t], START and END around), the tilt of the intervals it makes: a pitch,
// from the voice's previous note (rests skipped) and into its next one; a
// hold, the interval from the previous note to the next that it joins. A
// next note still hidden (the first pass) counts as none.
void apply_tilt(const MelodicTilt& tilt, const corpus::Vocabulary& vocab, const int64_t* piece, int64_t length, int v,
                int64_t t, float* logits);

struct TiltFitOptions {
  int pieces = 40;         // generated per round, in the keys and meters of training pieces drawn at random
  int bars = 12;           // per piece
  int rounds = 6;          // updates of the table
  double rate = 1.0;       // each update adds rate * log(target share / generated share)
  uint64_t seed = 1;       // the draw of keys and meters and the sampler's seeds
  SampleOptions sampling;  // everything else the pieces are sampled with
  // Called after each round (0: before any update) with the L1 distance of
  // its generated mix from the target, summed over voices; and after each
  // piece with the pieces done of all rounds'.
  std::function<void(int round, double distance)> on_round;
  std::function<void(int done, int total)> on_piece;
};

struct TiltFit {
  MelodicTilt tilt{};            // of the round closest to the target
  music::IntervalMix target{};   // the training pieces' mix
  music::IntervalMix mix{};      // the generated pieces' mix under `tilt`
  double distance = 0;           // L1 between the two, summed over voices
  double untilted_distance = 0;  // the same before any tilt
};

// Fits the tilt of style `style` (an index of m's styles) to the interval
// mix of `training` (its pieces in that style): round 0 samples with no
// tilt, each later round with the table updated from the round before; the
// round closest to the target wins. Throws dq::Error when there are no
// training pieces or the model is not "fast".
TiltFit fit_melodic_tilt(model::Model& m, int style, const std::vector<music::Score>& training,
                         const TiltFitOptions& options);

}  // namespace dq::sample
