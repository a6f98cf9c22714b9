#include "eval/grader.h"

#include <cstdlib>

#include "music/harmony.h"
#include "music/pitch.h"

namespace dq::eval {

using music::kNumVoices;
using music::Score;

namespace {

constexpr int kSoprano = 0;
constexpr int kBass = kNumVoices - 1;
constexpr int kOctave = 12;

int mod12(int x) { return ((x % 12) + 12) % 12; }

// Voice `v` sounds a new pitch in `b` after a different pitch in `a`.
bool moves(const ChordSlice& a, const ChordSlice& b, int v) {
  return a.pitch[v] >= 0 && b.pitch[v] >= 0 && a.pitch[v] != b.pitch[v];
}

// Violations of each rule, remembering which bars they fall in.
class Tally {
 public:
  Tally(const Score& score, RuleCounts& counts) : counts_(counts) {
    bar_of_tick_.resize(score.length());
    int bar = 0;
    for (int t = 0; t < score.length(); ++t) {
      if (t > 0 && score.is_bar_start(t)) ++bar;
      bar_of_tick_[t] = bar;
    }
    counts_.bars = score.bar_count();
    for (auto& bars : hit_bars_) bars.assign(counts_.bars, false);
  }

  void add(Rule rule, int tick) {
    int r = static_cast<int>(rule);
    ++counts_.violations[r];
    int bar = bar_of_tick_[tick];
    if (!hit_bars_[r][bar]) {
      hit_bars_[r][bar] = true;
      ++counts_.bars_affected[r];
    }
  }

 private:
  RuleCounts& counts_;
  std::vector<int> bar_of_tick_;
  std::array<std::vector<bool>, kNumRules> hit_bars_;
};

// Parallel, contrary, hidden and overlapping motion from slice `a` to slice `b`.
void count_motion(const Score& score, const ChordSlice& a, const ChordSlice& b, Tally& tally) {
  if (!score.meta[a.tick].fermata) {
    for (int u = 0; u < kNumVoices; ++u) {
      for (int l = u + 1; l < kNumVoices; ++l) {
        if (!moves(a, b, u) || !moves(a, b, l)) continue;
        switch (music::perfect_motion(a.pitch[u], b.pitch[u], a.pitch[l], b.pitch[l], u == kSoprano && l == kBass)) {
          case music::PerfectMotion::kParallelFifths:
            tally.add(Rule::kParallelFifths, b.tick);
            break;
          case music::PerfectMotion::kParallelOctaves:
            tally.add(Rule::kParallelOctaves, b.tick);
            break;
          case music::PerfectMotion::kContrary:
            tally.add(Rule::kContraryFifthsOctaves, b.tick);
            break;
          case music::PerfectMotion::kHidden:
            tally.add(Rule::kHiddenFifthsOctaves, b.tick);
            break;
          case music::PerfectMotion::kNone:
            break;
        }
      }
    }
  }
  for (int u = 0; u + 1 < kNumVoices; ++u) {
    int l = u + 1;
    if (a.pitch[u] < 0 || a.pitch[l] < 0) continue;
    bool lower_above = moves(a, b, l) && b.pitch[l] > a.pitch[u];
    bool upper_below = moves(a, b, u) && b.pitch[u] < a.pitch[l];
    if (lower_above || upper_below) tally.add(Rule::kVoiceOverlap, b.tick);
  }
}

// Crossing and spacing within one slice.
void count_slice(const ChordSlice& s, Tally& tally) {
  bool crossing = false;
  for (int v = 0; v + 1 < kNumVoices; ++v) {
    if (s.pitch[v] >= 0 && s.pitch[v + 1] > s.pitch[v]) crossing = true;
  }
  if (crossing) tally.add(Rule::kVoiceCrossing, s.tick);
  bool wide = false;
  for (int v = 0; v < 2; ++v) {  // soprano-alto, alto-tenor
    if (s.pitch[v] >= 0 && s.pitch[v + 1] >= 0 && s.pitch[v] - s.pitch[v + 1] > kOctave) wide = true;
  }
  if (wide) tally.add(Rule::kSpacing, s.tick);
}

// Range, leaps and leading tones: the rules about single voices.
void count_melodies(const Score& score, const music::VoiceRanges& ranges, RuleCounts& counts, Tally& tally) {
  for (int v = 0; v < kNumVoices; ++v) {
    std::vector<music::Note> notes = music::voice_notes(score, v);
    counts.notes += static_cast<int>(notes.size());
    for (size_t i = 0; i < notes.size(); ++i) {
      const music::Note& n = notes[i];
      if (!ranges[v].empty() && !ranges[v].contains(n.pitch)) tally.add(Rule::kOutOfRange, n.start);
      if (i > 0 && std::abs(n.pitch - notes[i - 1].pitch) > kOctave) {
        tally.add(Rule::kLargeLeap, n.start);
      }
      if (v != kSoprano && v != kBass) continue;
      int tonic = music::tonic_pitch_class(score.meta[n.start].key);
      if (mod12(n.pitch - tonic) != 11 || score.meta[n.start].fermata) continue;
      if (i + 1 >= notes.size() || notes[i + 1].pitch == n.pitch) continue;
      ++counts.leading_tones;
      if (mod12(notes[i + 1].pitch - tonic) != 0) tally.add(Rule::kUnresolvedLeadingTone, n.start);
    }
  }
}

// Whether the chord sounding at `tick` (a fermata's start) is a cadence.
// Returns false and leaves `has_chord` false when nothing sounds.
bool is_cadence(const Score& score, const std::array<std::vector<int>, kNumVoices>& sounding, int tick,
                bool& has_chord) {
  std::array<int, kNumVoices> pitches{};
  has_chord = false;
  for (int v = 0; v < kNumVoices; ++v) {
    pitches[v] = sounding[v][tick];
    has_chord = has_chord || pitches[v] >= 0;
  }
  music::KeySignature key = score.meta[tick].key;
  return music::is_cadence_chord(pitches, music::tonic_pitch_class(key), key.mode == music::Mode::kMinor);
}

}  // namespace

const char* rule_name(Rule rule) {
  switch (rule) {
    case Rule::kParallelFifths:
      return "parallel fifths";
    case Rule::kParallelOctaves:
      return "parallel octaves/unisons";
    case Rule::kContraryFifthsOctaves:
      return "contrary fifths/octaves";
    case Rule::kHiddenFifthsOctaves:
      return "hidden fifths/octaves (S-B)";
    case Rule::kVoiceCrossing:
      return "voice crossing";
    case Rule::kVoiceOverlap:
      return "voice overlap";
    case Rule::kSpacing:
      return "spacing > octave (S-A, A-T)";
    case Rule::kOutOfRange:
      return "out of range";
    case Rule::kLargeLeap:
      return "leap > octave";
    case Rule::kUnresolvedLeadingTone:
      return "unresolved leading tone (S, B)";
  }
  return "?";
}

const char* rule_id(Rule rule) {
  switch (rule) {
    case Rule::kParallelFifths:
      return "parallel_fifths";
    case Rule::kParallelOctaves:
      return "parallel_octaves";
    case Rule::kContraryFifthsOctaves:
      return "contrary_fifths_octaves";
    case Rule::kHiddenFifthsOctaves:
      return "hidden_fifths_octaves";
    case Rule::kVoiceCrossing:
      return "voice_crossing";
    case Rule::kVoiceOverlap:
      return "voice_overlap";
    case Rule::kSpacing:
      return "spacing";
    case Rule::kOutOfRange:
      return "out_of_range";
    case Rule::kLargeLeap:
      return "large_leap";
    case Rule::kUnresolvedLeadingTone:
      return "unresolved_leading_tone";
  }
  return "?";
}

music::VoiceRanges choir_ranges() {
  music::VoiceRanges ranges;
  ranges[0] = {60, 81};  // soprano C4-A5
  ranges[1] = {53, 74};  // alto F3-D5
  ranges[2] = {48, 69};  // tenor C3-A4
  ranges[3] = {40, 62};  // bass E2-D4
  return ranges;
}

std::array<std::vector<int>, kNumVoices> sounding_pitches(const Score& score) {
  std::array<std::vector<int>, kNumVoices> sounding;
  for (int v = 0; v < kNumVoices; ++v) {
    const auto& tokens = score.voices[v];
    sounding[v].assign(tokens.size(), -1);
    int current = -1;
    for (size_t t = 0; t < tokens.size(); ++t) {
      if (music::is_pitch(tokens[t]))
        current = tokens[t];
      else if (tokens[t] == music::kRest)
        current = -1;
      sounding[v][t] = current;
    }
  }
  return sounding;
}

std::vector<ChordSlice> chord_slices(const Score& score) {
  auto sounding = sounding_pitches(score);
  std::vector<ChordSlice> slices;
  for (int t = 0; t < score.length(); ++t) {
    ChordSlice slice;
    slice.tick = t;
    bool any_onset = false;
    for (int v = 0; v < kNumVoices; ++v) {
      slice.pitch[v] = sounding[v][t];
      slice.onset[v] = music::is_pitch(score.voices[v][t]);
      any_onset = any_onset || slice.onset[v];
    }
    if (any_onset) slices.push_back(slice);
  }
  return slices;
}

RuleCounts& RuleCounts::operator+=(const RuleCounts& other) {
  for (int r = 0; r < kNumRules; ++r) {
    violations[r] += other.violations[r];
    bars_affected[r] += other.bars_affected[r];
  }
  notes += other.notes;
  bars += other.bars;
  leading_tones += other.leading_tones;
  fermatas += other.fermatas;
  cadential_fermatas += other.cadential_fermatas;
  return *this;
}

double RuleCounts::rate_per_note(Rule rule) const { return notes > 0 ? static_cast<double>(count(rule)) / notes : 0.0; }

double RuleCounts::bar_fraction(Rule rule) const {
  return bars > 0 ? static_cast<double>(bars_affected[static_cast<int>(rule)]) / bars : 0.0;
}

double RuleCounts::noncadential_fraction() const {
  return fermatas > 0 ? 1.0 - static_cast<double>(cadential_fermatas) / fermatas : 0.0;
}

RuleCounts count_rules(const Score& score, const music::VoiceRanges& ranges) {
  RuleCounts counts;
  Tally tally(score, counts);
  std::vector<ChordSlice> slices = chord_slices(score);
  for (size_t i = 0; i < slices.size(); ++i) {
    count_slice(slices[i], tally);
    if (i > 0) count_motion(score, slices[i - 1], slices[i], tally);
  }
  count_melodies(score, ranges, counts, tally);
  auto sounding = sounding_pitches(score);
  for (int t = 0; t < score.length(); ++t) {
    if (!score.meta[t].fermata || (t > 0 && score.meta[t - 1].fermata)) continue;
    bool has_chord = false;
    bool cadence = is_cadence(score, sounding, t, has_chord);
    counts.fermatas += has_chord ? 1 : 0;
    counts.cadential_fermatas += cadence ? 1 : 0;
  }
  return counts;
}

}  // namespace dq::eval
