#include "eval/piece_features.h"

#include <array>
#include <string>
#include <utility>

#include "eval/grader.h"
#include "eval/progression.h"
#include "music/melody.h"
#include "music/pitch.h"

namespace dq::eval {

using music::kNumVoices;

namespace {

const char* const kVoiceNames[kNumVoices] = {"soprano", "alto", "tenor", "bass"};

constexpr int kLengthBuckets = 7;
const char* const kLengthNames[kLengthBuckets] = {
    "a 16th",           "an 8th",          "a dotted 8th", "a quarter", "5-6 ticks (dotted quarter)",
    "7-8 ticks (half)", "more than a half"};

const char* const kPitchClassNames[12] = {"on the tonic",
                                          "a minor 2nd above the tonic",
                                          "a major 2nd above the tonic",
                                          "a minor 3rd above the tonic",
                                          "a major 3rd above the tonic",
                                          "a 4th above the tonic",
                                          "a tritone above the tonic",
                                          "a 5th above the tonic",
                                          "a minor 6th above the tonic",
                                          "a major 6th above the tonic",
                                          "a minor 7th above the tonic",
                                          "a major 7th above the tonic (leading tone)"};

constexpr int kShortNoteTicks = 2;  // an eighth

double fraction(double part, double whole) { return whole > 0 ? part / whole : 0.0; }

// Appends named features in order.
class FeatureList {
 public:
  void add(const std::string& name, double value) {
    vector_.names.push_back(name);
    vector_.values.push_back(value);
  }
  // One feature per count, each as its fraction of the total.
  template <size_t N>
  void add_fractions(const std::string& prefix, const std::array<double, N>& counts, const char* const (&names)[N]) {
    double total = 0;
    for (double c : counts) total += c;
    for (size_t i = 0; i < N; ++i) add(prefix + names[i], fraction(counts[i], total));
  }
  FeatureVector take() { return std::move(vector_); }

 private:
  FeatureVector vector_;
};

int length_bucket(int ticks) {
  if (ticks <= 4) return ticks - 1;
  if (ticks <= 6) return 4;
  if (ticks <= 8) return 5;
  return 6;
}

void add_notes(const music::Score& score, music::KeySignature key, FeatureList& list) {
  std::array<double, 12> pitch_classes{};
  std::array<double, kLengthBuckets> lengths{};
  std::array<double, kNumVoices> short_notes{}, voice_notes{};
  std::array<std::array<double, music::kIntervalBuckets>, kNumVoices> intervals{};
  double outside = 0, notes = 0;
  const int tonic = music::tonic_pitch_class(key);
  for (int v = 0; v < kNumVoices; ++v) {
    std::vector<music::Note> voice = music::voice_notes(score, v);
    for (size_t i = 0; i < voice.size(); ++i) {
      const music::Note& n = voice[i];
      pitch_classes[((n.pitch - tonic) % 12 + 12) % 12] += 1;
      outside += in_key_scale(n.pitch % 12, key) ? 0 : 1;
      lengths[length_bucket(n.length)] += 1;
      short_notes[v] += n.length <= kShortNoteTicks ? 1 : 0;
      if (i > 0) intervals[v][music::interval_bucket(n.pitch - voice[i - 1].pitch)] += 1;
    }
    voice_notes[v] = static_cast<double>(voice.size());
    notes += voice_notes[v];
  }
  list.add_fractions("notes ", pitch_classes, kPitchClassNames);
  list.add("notes outside the key's scale", fraction(outside, notes));
  for (int v = 0; v < kNumVoices; ++v) {
    list.add_fractions(std::string(kVoiceNames[v]) + ": ", intervals[v], music::kIntervalBucketNames);
  }
  list.add_fractions("notes of ", lengths, kLengthNames);
  for (int v = 0; v < kNumVoices; ++v) {
    list.add(std::string(kVoiceNames[v]) + ": notes of an eighth or shorter", fraction(short_notes[v], voice_notes[v]));
  }
}

void add_rests(const music::Score& score, FeatureList& list) {
  double rests = 0;
  auto sounding = sounding_pitches(score);
  for (int v = 0; v < kNumVoices; ++v) {
    for (int p : sounding[v]) rests += p < 0 ? 1 : 0;
  }
  list.add("rests (of voice-ticks)", fraction(rests, kNumVoices * score.length()));
}

void add_harmony(const Progression& p, FeatureList& list) {
  std::array<double, kNumChordQualities> qualities{};
  double root_position = 0, six_four = 0;
  for (const VoicedChord& c : p.beat_chords) {
    qualities[static_cast<int>(c.name.quality)] += 1;
    bool triad = c.name.quality == ChordQuality::kMajor || c.name.quality == ChordQuality::kMinor;
    root_position += triad && c.root_position() ? 1 : 0;
    six_four += c.name.root >= 0 && c.bass_pitch_class == (c.name.root + 7) % 12 ? 1 : 0;
  }
  const double beats = static_cast<double>(p.beat_chords.size());
  for (int q = 0; q < kNumChordQualities; ++q) {
    list.add(std::string("beat chords: ") + chord_quality_name(static_cast<ChordQuality>(q)),
             fraction(qualities[q], beats));
  }
  list.add("beat chords: triads in root position", fraction(root_position, beats));
  list.add("beat chords: fifth in the bass (6/4)", fraction(six_four, beats));
  list.add("chord changes per bar", fraction(p.chord_changes(), p.bars));
  for (int m = 0; m < kNumRootMotions; ++m) {
    list.add(std::string("root motion: ") + root_motion_name(static_cast<RootMotion>(m)),
             fraction(p.root_motions[m], p.chord_changes()));
  }
  for (int c = 0; c < kNumCadences; ++c) {
    list.add(std::string("fermatas: ") + cadence_name(static_cast<Cadence>(c)) + " cadence",
             fraction(p.cadences[c], p.fermatas()));
  }
  for (int f = 0; f < kNumFinalChords; ++f) {
    list.add(std::string("final chord: ") + final_chord_name(static_cast<FinalChord>(f)),
             static_cast<int>(p.final) == f ? 1.0 : 0.0);
  }
}

void add_rules(const music::Score& score, FeatureList& list) {
  const RuleCounts counts = count_rules(score, choir_ranges());
  for (int r = 0; r < kNumRules; ++r) {
    const Rule rule = static_cast<Rule>(r);
    list.add(std::string(rule_name(rule)) + " per note", counts.rate_per_note(rule));
  }
}

}  // namespace

FeatureVector piece_feature_vector(const music::Score& score, music::KeySignature key) {
  FeatureList list;
  add_notes(score, key, list);
  add_rests(score, list);
  add_harmony(read_progression(score, key), list);
  add_rules(score, list);
  return list.take();
}

}  // namespace dq::eval
