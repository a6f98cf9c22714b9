// The voice-leading grader: counts, for one four-voice score, the breaches of
// the textbook rules of chorale writing (parallel and hidden fifths and
// octaves, crossing, overlap, spacing, range, large leaps, leading tones) and
// how many fermatas fall on a cadence. Counts are per piece and add up over a
// set, so that rates per note and per bar compare any set with Bach's.
//
// The grader works on chord slices: at every tick where some voice starts a
// note, the pitch each voice is sounding (or none for a rest). Voices are
// numbered top to bottom: 0 soprano, 1 alto, 2 tenor, 3 bass.
//
// The rules, as counted here (a "move" is a voice sounding a new pitch in the
// next slice, after a note of a different pitch; re-striking a pitch, resting
// or holding is no move):
// - Parallel fifths / octaves: between two slices, both voices of a pair move
//   in the same direction and their distance is a fifth (|interval| mod 12 ==
//   7) in both slices, or an octave or unison (mod 12 == 0) in both slices;
//   compound intervals included. One count per voice pair and slice pair.
// - Contrary fifths / octaves: the same with the two voices moving in
//   opposite directions (a fifth to a twelfth, an octave to a unison...).
//   music21's parallelFifth() counts both kinds together.
// - Hidden fifths / octaves: soprano and bass only; both move in the same
//   direction into a fifth or octave from another interval, the soprano by a
//   leap (more than 2 semitones).
//   Parallel, contrary and hidden motion from a slice under a fermata is not counted
//   (the next phrase starts there), as in Fang et al.'s grader.
// - Voice crossing: slices where some voice sounds above the next higher one.
// - Voice overlap: a voice moves above the previous pitch of the next higher
//   voice, or below the previous pitch of the next lower voice; one count per
//   adjacent pair and slice pair.
// - Spacing: slices with soprano-alto or alto-tenor wider than an octave.
// - Out of range: notes outside their voice's range.
// - Large leap: consecutive notes of a voice (rests skipped) more than an
//   octave apart.
// - Unresolved leading tone: a soprano or bass note a semitone below the
//   tonic (in minor, the raised seventh) whose next note of another pitch is
//   not the tonic. Repeated leading tones count once; leading tones under a
//   fermata or with no later note are not checked. The key is the tick's key
//   signature, major when the mode is unknown.
// - Cadence: the chord where each fermata starts is cadential when the bass is
//   on the tonic, the dominant or the relative major/minor's tonic and the
//   sounding pitch classes fit a major or minor triad on the bass.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "music/range.h"
#include "music/score.h"

namespace dq::eval {

enum class Rule {
  kParallelFifths,
  kParallelOctaves,
  kContraryFifthsOctaves,
  kHiddenFifthsOctaves,
  kVoiceCrossing,
  kVoiceOverlap,
  kSpacing,
  kOutOfRange,
  kLargeLeap,
  kUnresolvedLeadingTone,
};
constexpr int kNumRules = static_cast<int>(Rule::kUnresolvedLeadingTone) + 1;

// "parallel fifths" (for tables) and "parallel_fifths" (for JSON keys).
const char* rule_name(Rule rule);
const char* rule_id(Rule rule);

// The textbook choir ranges: soprano C4-A5, alto F3-D5, tenor C3-A4, bass E2-D4.
music::VoiceRanges choir_ranges();

// The pitches sounding at one tick where some voice starts a note.
struct ChordSlice {
  int tick = 0;
  std::array<int, music::kNumVoices> pitch{};   // MIDI pitch, or -1 for a rest
  std::array<bool, music::kNumVoices> onset{};  // the voice starts a note here
};

// The pitch each voice sounds at each tick of `score`: a MIDI pitch, or -1
// for a rest.
std::array<std::vector<int>, music::kNumVoices> sounding_pitches(const music::Score& score);

// The chord slices of `score`, in time order.
std::vector<ChordSlice> chord_slices(const music::Score& score);

// What the grader found in one piece, or in a set (counts add up).
struct RuleCounts {
  std::array<int, kNumRules> violations{};
  std::array<int, kNumRules> bars_affected{};  // bars with at least one violation
  int notes = 0;                               // note onsets, all voices
  int bars = 0;
  int leading_tones = 0;  // soprano and bass leading tones checked
  int fermatas = 0;       // fermata runs with a chord at their start
  int cadential_fermatas = 0;

  RuleCounts& operator+=(const RuleCounts& other);
  int count(Rule rule) const { return violations[static_cast<int>(rule)]; }
  // Violations per note (0 for no notes).
  double rate_per_note(Rule rule) const;
  // Fraction of bars with at least one violation (0 for no bars).
  double bar_fraction(Rule rule) const;
  // Fraction of fermatas that are not cadential (0 for no fermatas).
  double noncadential_fraction() const;
};

// Counts the rule breaches of `score` with voice ranges `ranges`.
RuleCounts count_rules(const music::Score& score, const music::VoiceRanges& ranges);

}  // namespace dq::eval
