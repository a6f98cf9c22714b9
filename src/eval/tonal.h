// Tonal measures of a set of chorales, the figures a musician checks first
// and that a set of generated pieces is read against, with Bach's own beside
// them: does a piece end on the tonic asked for, does it sound in that key,
// how do its phrases cadence, how chromatic, how much passing motion, how
// fast and how purposefully the harmony moves, how clean the voice leading.
// Counts are per piece and add up over a set; the measures are taken on the
// pooled counts (so long pieces weigh more in the per-note figures).
//
// Each piece is read in the key it is in: for Bach, music::home_key; for a
// generated or reharmonized piece, the key it was asked for. Definitions of
// chords, changes, cadences and the final chord: eval/progression.h.
// - First chord on the tonic: the root of the first beat chord
//   (progression.h; the first beat where all four voices sound, a pickup's
//   included) is the tonic.
// - Final chord on the tonic: FinalChord::kTonic (the tonic's major or minor
//   triad over the tonic in the bass; a Picardy third or an open fifth allowed).
// - Key found: the Krumhansl-Schmuckler estimate of all four voices
//   (sample::krumhansl_key, note lengths as weights) has the tonic and mode of
//   the key asked for.
// - Notes outside the key's scale: note onsets of all voices whose pitch
//   class is not in the scale (minor: natural minor plus raised 6th and 7th).
// - Short notes: note onsets lasting an eighth or less (2 ticks or fewer).
// - Chord changes per bar: changes of root between beat chords, per bar.
// - Falling fifths: the fraction of chord changes whose root falls a fifth.
// - Parallels: parallel fifths plus parallel octaves (eval/grader.h) per note.
//
// On Bach's 77 test chorales these agree with the independent grader of
// ../shared/research/musicianship.md (its figure in brackets): final tonic
// 81.8% (82%), key found 71.4% (71%), eighths and shorter 38.6% (37%), falling
// fifths 37.3% (35%), outside the scale 5.0% (4.4%), parallels 0.0005 per note
// (0.0009); their first chord is on the tonic in 75.3% (58 of 77). Chord
// changes: 2.56 per bar on the chorales in 4/4 (2.8), since this measure
// counts changes of root only and skips the 14% of beats without a root (the
// other grader classifies more chords, 10% unclassified); a change of quality
// over the same root too would give 2.64, any change of the sounding pitch
// classes 3.26. The final tonic here also accepts an open or incomplete tonic
// triad (see progression.h).
#pragma once

#include <array>

#include "eval/progression.h"
#include "music/score.h"

namespace dq::eval {

// What one piece, or a set (counts add up), holds for the tonal measures.
struct TonalCounts {
  int pieces = 0;
  int first_on_tonic = 0;
  int final_on_tonic = 0;
  int key_found = 0;  // pieces whose estimated key is the key asked for
  std::array<int, kNumCadences> cadences{};
  long long notes = 0;
  long long notes_outside_scale = 0;
  long long short_notes = 0;
  std::array<int, kNumRootMotions> root_motions{};
  double bars = 0;
  long long parallels = 0;  // parallel fifths + parallel octaves

  TonalCounts& operator+=(const TonalCounts& other);
};

// The counts of `score` read in `key`.
TonalCounts tonal_counts(const music::Score& score, music::KeySignature key);

// The measures of a set; each is 0 where its denominator is 0.
struct TonalMeasures {
  int pieces = 0;
  double first_on_tonic = 0;                    // fraction of pieces
  double final_on_tonic = 0;                    // fraction of pieces
  double key_found = 0;                         // fraction of pieces
  std::array<double, kNumCadences> cadences{};  // fractions of fermatas
  int fermatas = 0;
  double outside_scale = 0;  // fraction of notes
  double short_notes = 0;    // fraction of notes
  double changes_per_bar = 0;
  double falling_fifths = 0;  // fraction of chord changes
  double parallels_per_note = 0;
};

TonalMeasures tonal_measures(const TonalCounts& counts);

}  // namespace dq::eval
