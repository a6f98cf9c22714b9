// The harmony of a four-voice piece as an organist reads it: the chord on
// every beat, the chord changes and the motion of their roots, the cadence at
// every fermata and the final chord, all relative to the key the piece is in
// (for Bach, music::home_key; for a generated piece, the key asked for).
// Shared by the per-piece feature vector (piece_features.h) and the tonal
// measures (tonal.h), so that both read a chord the same way.
//
// Definitions:
// - Beat chord: at every tick on a beat (Score::beat_position 0: quarters in
//   4/4 and 3/4, halves in 3/2, dotted quarters in 6/8 and 12/8) where all
//   four voices sound a pitch, the set of sounding pitch classes named by
//   name_chord (eval/distributions.h). Beats where a voice rests are not read.
// - Chord change: a beat chord with a root whose root differs from that of
//   the previous beat chord with a root. Beats without a root (no recognised
//   chord: passing dissonance on the beat; augmented triads and diminished
//   sevenths, whose root is ambiguous) are skipped, so a passing chord does
//   not break a progression. Adding a seventh over the same root is no change.
// - Root motion of a chord change, by how far the root rises (mod 12): 5 a
//   falling fifth (V-I, ii-V), 7 a rising fifth, 1-2 a step up, 10-11 a step
//   down, 3-4 a third up, 8-9 a third down, 6 a tritone.
// - Bars: the piece's length in bars, every tick counting 1/ticks_per_bar of
//   its own meter (a pickup counts as the part of a bar it is).
// - Cadence at a fermata (each run of consecutive fermata ticks): F is the
//   chord at the fermata, read at the first tick of the run where all four
//   voices sound a chord with a root (so that a suspension resolving under
//   the fermata is read resolved), else at its first tick; P is the chord
//   before it: the last chord slice (a tick where some voice starts a note,
//   all four sounding) in the kCadenceLookBack beats before the run, not under
//   an earlier fermata, with a root other than F's (so that a dominant on the
//   last eighth before the fermata counts). "Triad" below is a major or minor
//   triad; "in root position": the bass (the lowest voice) sounds the root; a
//   "local tonic" is a triad in root position that is the tonic triad (major
//   or minor) or the tonic triad of a closely related key (in major: ii, iii,
//   IV, V, vi; in minor: III, iv, v, VI, VII, on the natural minor scale).
//   In order, the first that fits:
//   - half: F is a major triad on the key's dominant (whatever comes before:
//     I-V, IV-V, ii-V, the Phrygian iv6-V, and V/V-V as well);
//   - authentic: F is a local tonic and P its dominant: a major triad or
//     dominant seventh whose root is a fifth above F's, or a diminished triad
//     on F's leading tone (vii°-I); a cadence in a closely related key counts;
//   - plagal: F is a local tonic and P a triad whose root is a fourth above
//     F's (IV-I, iv-I);
//   - deceptive: P is a major triad or dominant seventh, and F is a triad
//     whose root lies a step (1 or 2 semitones) above P's (V-vi, V-VI);
//   - half (in a related key): F is a major triad, not a local tonic, whose
//     root is a fifth above a local tonic's (V of vi, V of ii: E major or A
//     major in C major);
//   - other: anything else (no chord at the fermata or before it, an
//     inverted tonic, a chromatic chord, no recognised progression).
// - Final chord: the sounding pitches at the last tick where anything sounds.
//   On the tonic when the bass (the lowest sounding pitch) is the tonic and
//   the pitch classes are the tonic's major or minor triad or a part of it
//   holding the root and its third or fifth (a Picardy third in minor, an
//   open fifth, count; a chord with both thirds does not). On the dominant
//   the same with the key's dominant. Otherwise other.
// - Key's scale: major: the major scale; minor: the natural minor scale with
//   the raised 6th and 7th degrees (nine pitch classes). A key of unknown
//   mode is read as major.
#pragma once

#include <array>
#include <vector>

#include "eval/distributions.h"
#include "music/score.h"

namespace dq::eval {

// Beats searched back from a fermata for the chord before the cadence.
constexpr int kCadenceLookBack = 3;

enum class RootMotion {
  kFallingFifth,
  kRisingFifth,
  kStepUp,
  kStepDown,
  kThirdUp,
  kThirdDown,
  kTritone,
};
constexpr int kNumRootMotions = 7;

enum class Cadence { kAuthentic, kHalf, kPlagal, kDeceptive, kOther };
constexpr int kNumCadences = 5;

enum class FinalChord { kTonic, kDominant, kOther };
constexpr int kNumFinalChords = 3;

// "falling fifth", "authentic", "tonic": for reports and JSON keys.
const char* root_motion_name(RootMotion motion);
const char* cadence_name(Cadence cadence);
const char* final_chord_name(FinalChord chord);

// Whether `pitch_class` (0 = C) belongs to the scale of `key` (see above).
bool in_key_scale(int pitch_class, music::KeySignature key);

// The motion from a chord on root `from` to one on root `to` (pitch classes,
// different); throws dq::Error when they are equal.
RootMotion root_motion(int from_root, int to_root);

// A chord of four sounding voices.
struct VoicedChord {
  int tick = 0;
  int bass_pitch_class = -1;  // the lowest voice's pitch class
  ChordName name;
  bool root_position() const { return name.root >= 0 && name.root == bass_pitch_class; }
};

// The chord of the pitches sounding at `tick`, when all four voices sound.
// False (and `chord` untouched) when some voice rests there.
bool chord_at(const std::array<std::vector<int>, music::kNumVoices>& sounding, int tick, VoicedChord& chord);

// The cadence of chord `at` after chord `before` (nullptr: none found) in `key`.
Cadence classify_cadence(const VoicedChord* before, const VoicedChord* at, music::KeySignature key);

// The final chord of `score` in `key`; kOther for a silent score.
FinalChord final_chord(const music::Score& score, music::KeySignature key);

// What read_progression finds in one piece.
struct Progression {
  std::vector<VoicedChord> beat_chords;             // in time order
  std::array<int, kNumRootMotions> root_motions{};  // chord changes by root motion
  std::array<int, kNumCadences> cadences{};         // one per fermata
  FinalChord final = FinalChord::kOther;
  double bars = 0;
  int chord_changes() const;
  int fermatas() const;
};

// Reads the harmony of `score` in `key`.
Progression read_progression(const music::Score& score, music::KeySignature key);

}  // namespace dq::eval
