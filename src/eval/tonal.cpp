#include "eval/tonal.h"

#include "eval/grader.h"
#include "music/pitch.h"
#include "sample/compose.h"

namespace dq::eval {

namespace {

constexpr int kShortNoteTicks = 2;  // an eighth

double fraction(double part, double whole) { return whole > 0 ? part / whole : 0.0; }

bool same_key(music::KeySignature a, music::KeySignature b) {
  auto mode = [](music::KeySignature k) {
    return k.mode == music::Mode::kMinor ? music::Mode::kMinor : music::Mode::kMajor;
  };
  return music::tonic_pitch_class(a) == music::tonic_pitch_class(b) && mode(a) == mode(b);
}

}  // namespace

TonalCounts& TonalCounts::operator+=(const TonalCounts& o) {
  pieces += o.pieces;
  first_on_tonic += o.first_on_tonic;
  final_on_tonic += o.final_on_tonic;
  key_found += o.key_found;
  for (int c = 0; c < kNumCadences; ++c) cadences[c] += o.cadences[c];
  notes += o.notes;
  notes_outside_scale += o.notes_outside_scale;
  short_notes += o.short_notes;
  for (int m = 0; m < kNumRootMotions; ++m) root_motions[m] += o.root_motions[m];
  bars += o.bars;
  parallels += o.parallels;
  return *this;
}

TonalCounts tonal_counts(const music::Score& score, music::KeySignature key) {
  TonalCounts c;
  c.pieces = 1;
  const Progression progression = read_progression(score, key);
  c.first_on_tonic =
      !progression.beat_chords.empty() && progression.beat_chords.front().name.root == music::tonic_pitch_class(key);
  c.final_on_tonic = progression.final == FinalChord::kTonic ? 1 : 0;
  c.key_found = same_key(sample::krumhansl_key(score, {0, 1, 2, 3}), key) ? 1 : 0;
  c.cadences = progression.cadences;
  c.root_motions = progression.root_motions;
  c.bars = progression.bars;
  for (int v = 0; v < music::kNumVoices; ++v) {
    for (const music::Note& n : music::voice_notes(score, v)) {
      ++c.notes;
      c.notes_outside_scale += in_key_scale(n.pitch % 12, key) ? 0 : 1;
      c.short_notes += n.length <= kShortNoteTicks ? 1 : 0;
    }
  }
  const RuleCounts rules = count_rules(score, choir_ranges());
  c.parallels = rules.count(Rule::kParallelFifths) + rules.count(Rule::kParallelOctaves);
  return c;
}

TonalMeasures tonal_measures(const TonalCounts& c) {
  TonalMeasures m;
  m.pieces = c.pieces;
  m.first_on_tonic = fraction(c.first_on_tonic, c.pieces);
  m.final_on_tonic = fraction(c.final_on_tonic, c.pieces);
  m.key_found = fraction(c.key_found, c.pieces);
  for (int n : c.cadences) m.fermatas += n;
  for (int k = 0; k < kNumCadences; ++k) m.cadences[k] = fraction(c.cadences[k], m.fermatas);
  m.outside_scale = fraction(c.notes_outside_scale, c.notes);
  m.short_notes = fraction(c.short_notes, c.notes);
  int changes = 0;
  for (int n : c.root_motions) changes += n;
  m.changes_per_bar = fraction(changes, c.bars);
  m.falling_fifths = fraction(c.root_motions[static_cast<int>(RootMotion::kFallingFifth)], changes);
  m.parallels_per_note = fraction(c.parallels, c.notes);
  return m;
}

}  // namespace dq::eval
