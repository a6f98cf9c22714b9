// The pseudo-Gibbs samplers: from a starting score and a mask of fixed
// positions, resample every free position from the model, annealing the
// temperature. Fixed positions are never changed; special symbols are never
// emitted; the result is always a valid Score (no hold at the start or after
// a rest, every free pitch inside the model's voice range). A fixed pitch
// outside that range is read by the network an octave or more inside it (or
// at its nearest end) and written as it was.
//
// Two samplers, chosen by the model's preset:
//  - "deepbach": DeepBach's parallel sampler. Each iteration draws
//    `parallel` random free positions per voice (never two neighbouring ticks
//    of a voice: a draw's hold and rest rule reads its neighbours), predicts
//    them all from the current state through the windowed voice models, and
//    writes them back.
//  - "fast": an exact Gibbs sweep. The backward LSTM states are computed once
//    per sweep; the sweep goes left to right through the free region,
//    resampling the four voices of a tick one after another through their
//    heads, then advancing the forward LSTM by that tick. Two LSTM steps per
//    tick; a region regeneration only sweeps the region.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "model/model.h"
#include "music/score.h"

namespace dq::sample {

// fixed[v][t]: voice v at tick t keeps its token.
using FixedMask = std::array<std::vector<bool>, music::kNumVoices>;
FixedMask no_fixed(int length);

// How free positions start. kNoise: uniformly random pitches (DeepBach).
// kChronological: hidden (the mask symbol), so that the first left-to-right
// sweep draws each tick from the past it has drawn and the known future only
// (fixed notes, a melody), as a left-to-right model would; later sweeps
// refine by Gibbs. It needs a "fast" model trained with masks. kAuto: the
// chronological start where the model allows it, else noise.
enum class Start { kAuto, kNoise, kChronological };

// The order in which the chronological pass draws the voices of each tick.
// kRandom: a new random order at every tick, so that each voice is sometimes
// drawn first, knowing none of the others there. kScore: the top voice first
// and the bass last, each voice knowing those above it at the tick, as the
// chronological crops train the network (FastNetImpl::chronological): a pass
// at temperature 1 without a prior is then a draw from that factorization.
// kAuto: the style's own (default_pass_order). Later sweeps always take a
// random order.
enum class PassOrder { kAuto, kRandom, kScore };

struct SampleOptions {
  // "fast": number of sweeps over the free region (0 = the style's own:
  // default_sweeps).
  // "deepbach": number of iterations (0 = DeepBach's density: about 62
  // updates per free position, i.e. 2000 iterations for 256 ticks with 8
  // parallel updates per voice).
  int iterations = 0;
  int parallel = 8;                // "deepbach": positions per voice per iteration
  double start_temperature = 1.1;  // annealed geometrically...
  double temperature = 1.0;        // ...down to this one
  double decay = 0.0;              // per iteration; 0 = reach the target at half the iterations
  // Nats taken off a candidate's log-weight per voice-leading fault it would
  // make (parallel/hidden fifths and octaves, leaps beyond an octave); 0: the
  // model alone; negative: the style's own (default_voice_leading). See
  // voice_leading.h.
  double voice_leading_penalty = -1;
  // With the prior on: the last fermata's chord must be the tonic triad (a
  // final cadence), not any cadence the other fermatas allow.
  bool final_tonic = true;
  // With the prior on: the piece's first chord must be the tonic triad, as
  // Bach opens 75% of his chorales (the network alone opens 37% of new
  // chorales so; README, ablation row 45).
  bool opening_tonic = true;
  // "fast": the tilt of each voice's melodic intervals in the sweeps after
  // the first, or in the first when it is the only one (melodic_tilt.h).
  // Unset: the style's own (default_melodic_tilt: the model's calibrated
  // table, if it has one); all zero: none.
  std::optional<model::MelodicTilt> melodic_tilt;
  Start start = Start::kAuto;
  PassOrder pass_order = PassOrder::kAuto;
  // "fast", where the start is chronological: the sweeps after the
  // chronological pass redraw pitches only, except under a fermata and in
  // the quarter before it (where cadences form): elsewhere a hold or a rest
  // the pass wrote stays, and a note stays a note. The Gibbs sweeps alone
  // drift towards quarter notes (26% eighths against the pass's and Bach's
  // 39%; README, ablation row 18). false: the sweeps redraw everything.
  bool keep_rhythm = true;
  // "fast", a composer's string-quartet style of a model that also has
  // the "quartet" style (everyone else): classifier-free guidance towards
  // the style asked for. Each draw reads logits + g * (logits - the logits
  // under "quartet"), the network run a second time with that style token,
  // so that what sets the composer apart from quartet writing in general is
  // heard more (Ho & Salimans 2022). 0: off; sampling takes twice as long;
  // negative: the style's own (default_style_guidance).
  double style_guidance = -1;
  uint64_t seed = 1;
  int threads = 2;
  bool progress = false;  // progress bar on stderr
  // Called now and then with the fraction done; return false to cancel
  // (sample() then throws dq::Error("cancelled")).
  std::function<bool(double)> on_progress;
};

// The style that style guidance guides away from.
constexpr const char* kReferenceStyle = "quartet";

// Whether style index `style` of `m` is the chorale style ("bach", or a model
// without styles); the others are string-quartet styles.
bool is_chorale_style(const model::Model& m, int style);

// The voice-leading prior of the chorale style, in nats per fault.
constexpr double kChoralePriorNats = 6.0;

// The prior a style is sampled with unless asked otherwise: the chorale's
// for "bach" (and a model without styles), none for the string-quartet
// styles, whose octave doublings and free voice leading it would forbid.
double default_voice_leading(const model::Model& m, int style);

// The sweeps a style is sampled with unless asked otherwise ("fast"): 40 for
// the chorale style; for the string-quartet styles after a chronological
// start, that first pass alone. Gibbs sweeps after it fill quartets with
// repeated notes and are told apart from real movements more often (README,
// String quartets).
int default_sweeps(const model::Model& m, int style, bool chronological);

// The style guidance a style is sampled with unless asked otherwise, for a
// composer's string-quartet style of a "fast" model that has the reference
// style: 0.75 for "mozart" (told apart from his real openings less often
// than at 1 and labelled his as often: README, String quartets row 29), 1
// for the others; else 0.
double default_style_guidance(const model::Model& m, int style);

// The chronological pass's voice order a style is sampled with unless asked
// otherwise: kScore for the string-quartet styles, whose music is that pass
// alone (told apart a little less from real movements, the reharmonizations
// clearly less, than in a random order; README, String quartets row 24),
// kRandom for the chorale style, whose sweeps redraw the pass (score order
// measured worse there: README, ablation row 35).
PassOrder default_pass_order(const model::Model& m, int style);

// Whether sampling `m` with `options` starts chronologically (kAuto: where
// the model was trained with masks); throws dq::Error for kChronological on a
// model that was not.
bool starts_chronologically(const model::Model& m, const SampleOptions& options);

// Resamples the free positions of `scores` (all of the same length and with
// their metadata already set: key, meter, fermatas, style). Free positions
// may hold anything at the start: they are first drawn at random or hidden
// (options.start). Returns the new scores in the same order.
std::vector<music::Score> sample(model::Model& model, std::vector<music::Score> scores,
                                 const std::vector<FixedMask>& fixed, int style, const SampleOptions& options);

}  // namespace dq::sample
