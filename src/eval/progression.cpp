#include "eval/progression.h"

#include <algorithm>
#include <string>

#include "eval/grader.h"
#include "music/pitch.h"
#include "util/error.h"

namespace dq::eval {

using music::kNumVoices;

namespace {

constexpr int kOctave = 12;
constexpr int kFifth = 7;
constexpr int kFourth = 5;

int mod12(int x) { return ((x % kOctave) + kOctave) % kOctave; }

bool is_triad(const ChordName& name) {
  return name.quality == ChordQuality::kMajor || name.quality == ChordQuality::kMinor;
}

bool is_dominant_shape(const ChordName& name) {
  return name.quality == ChordQuality::kMajor || name.quality == ChordQuality::kDominantSeventh;
}

// A major or minor triad on `root` of this quality is the tonic triad (either
// quality) or that of a closely related key (see the header).
bool is_related_key_tonic(int root, ChordQuality quality, music::KeySignature key) {
  if (quality != ChordQuality::kMajor && quality != ChordQuality::kMinor) return false;
  const int degree = mod12(root - music::tonic_pitch_class(key));
  if (degree == 0) return true;
  struct Related {
    int degree;
    ChordQuality quality;
  };
  static const Related kOfMajor[] = {{2, ChordQuality::kMinor},
                                     {4, ChordQuality::kMinor},
                                     {5, ChordQuality::kMajor},
                                     {7, ChordQuality::kMajor},
                                     {9, ChordQuality::kMinor}};
  static const Related kOfMinor[] = {{3, ChordQuality::kMajor},
                                     {5, ChordQuality::kMinor},
                                     {7, ChordQuality::kMinor},
                                     {8, ChordQuality::kMajor},
                                     {10, ChordQuality::kMajor}};
  const bool minor = key.mode == music::Mode::kMinor;
  for (const Related& r : minor ? kOfMinor : kOfMajor) {
    if (r.degree == degree && r.quality == quality) return true;
  }
  return false;
}

bool is_local_tonic(const VoicedChord& chord, music::KeySignature key) {
  return chord.root_position() && is_related_key_tonic(chord.name.root, chord.name.quality, key);
}

// P is the dominant of F: V or V7 a fifth above, or vii° a semitone below.
bool is_dominant_of(const ChordName& p, const ChordName& f) {
  const int rise = mod12(f.root - p.root);
  return (is_dominant_shape(p) && rise == kFourth) || (p.quality == ChordQuality::kDiminished && rise == 1);
}

// F is a major triad, not itself a related key's tonic triad, on the
// dominant of one (V of vi, V of ii...).
bool is_related_half(const VoicedChord& f, music::KeySignature key) {
  const ChordName& name = f.name;
  if (name.quality != ChordQuality::kMajor || is_related_key_tonic(name.root, name.quality, key)) {
    return false;
  }
  const int target = mod12(name.root - kFifth);
  return is_related_key_tonic(target, ChordQuality::kMajor, key) ||
         is_related_key_tonic(target, ChordQuality::kMinor, key);
}

// Pitch classes `mask`, with the bass on `root`, are `root`'s major or minor
// triad or a part of it holding the root and its third or fifth.
bool is_triad_on(int mask, int bass, int root) {
  if (bass != root) return false;
  int m = 0;
  for (int pc = 0; pc < kOctave; ++pc) {
    if (mask & (1 << pc)) m |= 1 << mod12(pc - root);
  }
  const int allowed = (1 << 0) | (1 << 3) | (1 << 4) | (1 << 7);
  bool both_thirds = (m & (1 << 3)) && (m & (1 << 4));
  return (m & ~allowed) == 0 && !both_thirds && m != 1;
}

// Ticks of `score` in bars of their own meters.
double length_in_bars(const music::Score& score) {
  double bars = 0;
  for (const music::TickMeta& m : score.meta) bars += 1.0 / m.time.ticks_per_bar();
  return bars;
}

// F of the fermata run [start, end): see the header.
bool fermata_chord(const std::array<std::vector<int>, kNumVoices>& sounding, int start, int end, VoicedChord& at) {
  for (int t = start; t < end; ++t) {
    if (chord_at(sounding, t, at) && at.name.root >= 0) return true;
  }
  return chord_at(sounding, start, at);
}

// P of a fermata run starting at `start` whose chord has root `root`.
bool chord_before(const music::Score& score, const std::array<std::vector<int>, kNumVoices>& sounding, int start,
                  int root, VoicedChord& before) {
  const int window = kCadenceLookBack * score.meta[start].time.ticks_per_beat();
  for (int t = start - 1; t >= 0 && t >= start - window && !score.meta[t].fermata; --t) {
    bool onset = false;
    for (int v = 0; v < kNumVoices; ++v) onset = onset || music::is_pitch(score.voices[v][t]);
    if (onset && chord_at(sounding, t, before) && before.name.root >= 0 && before.name.root != root) {
      return true;
    }
  }
  return false;
}

Cadence cadence_of_run(const music::Score& score, const std::array<std::vector<int>, kNumVoices>& sounding, int start,
                       int end, music::KeySignature key) {
  VoicedChord at, before;
  if (!fermata_chord(sounding, start, end, at)) return classify_cadence(nullptr, nullptr, key);
  if (!chord_before(score, sounding, start, at.name.root, before)) {
    return classify_cadence(nullptr, &at, key);
  }
  return classify_cadence(&before, &at, key);
}

}  // namespace

const char* root_motion_name(RootMotion motion) {
  switch (motion) {
    case RootMotion::kFallingFifth:
      return "falling fifth";
    case RootMotion::kRisingFifth:
      return "rising fifth";
    case RootMotion::kStepUp:
      return "step up";
    case RootMotion::kStepDown:
      return "step down";
    case RootMotion::kThirdUp:
      return "third up";
    case RootMotion::kThirdDown:
      return "third down";
    case RootMotion::kTritone:
      return "tritone";
  }
  return "?";
}

const char* cadence_name(Cadence cadence) {
  switch (cadence) {
    case Cadence::kAuthentic:
      return "authentic";
    case Cadence::kHalf:
      return "half";
    case Cadence::kPlagal:
      return "plagal";
    case Cadence::kDeceptive:
      return "deceptive";
    case Cadence::kOther:
      return "other";
  }
  return "?";
}

const char* final_chord_name(FinalChord chord) {
  switch (chord) {
    case FinalChord::kTonic:
      return "tonic";
    case FinalChord::kDominant:
      return "dominant";
    case FinalChord::kOther:
      return "other";
  }
  return "?";
}

bool in_key_scale(int pitch_class, music::KeySignature key) {
  static const int kMajorScale[] = {0, 2, 4, 5, 7, 9, 11};
  static const int kMinorScale[] = {0, 2, 3, 5, 7, 8, 9, 10, 11};
  const int degree = mod12(pitch_class - music::tonic_pitch_class(key));
  const bool minor = key.mode == music::Mode::kMinor;
  const int* begin = minor ? std::begin(kMinorScale) : std::begin(kMajorScale);
  const int* end = minor ? std::end(kMinorScale) : std::end(kMajorScale);
  return std::find(begin, end, degree) != end;
}

RootMotion root_motion(int from_root, int to_root) {
  switch (mod12(to_root - from_root)) {
    case 5:
      return RootMotion::kFallingFifth;
    case 7:
      return RootMotion::kRisingFifth;
    case 1:
    case 2:
      return RootMotion::kStepUp;
    case 10:
    case 11:
      return RootMotion::kStepDown;
    case 3:
    case 4:
      return RootMotion::kThirdUp;
    case 8:
    case 9:
      return RootMotion::kThirdDown;
    case 6:
      return RootMotion::kTritone;
  }
  throw Error("root motion: both chords have the root " + std::to_string(mod12(from_root)));
}

bool chord_at(const std::array<std::vector<int>, kNumVoices>& sounding, int tick, VoicedChord& chord) {
  int mask = 0;
  for (int v = 0; v < kNumVoices; ++v) {
    if (sounding[v][tick] < 0) return false;
    mask |= 1 << (sounding[v][tick] % kOctave);
  }
  chord.tick = tick;
  chord.bass_pitch_class = sounding[kNumVoices - 1][tick] % kOctave;
  chord.name = name_chord(mask);
  return true;
}

Cadence classify_cadence(const VoicedChord* before, const VoicedChord* at, music::KeySignature key) {
  if (at == nullptr) return Cadence::kOther;
  const int dominant = mod12(music::tonic_pitch_class(key) + kFifth);
  if (at->name.quality == ChordQuality::kMajor && at->name.root == dominant) return Cadence::kHalf;
  const bool local_tonic = is_local_tonic(*at, key);
  if (before != nullptr && before->name.root >= 0 && at->name.root >= 0) {
    const int rise = mod12(at->name.root - before->name.root);
    if (local_tonic && is_dominant_of(before->name, at->name)) return Cadence::kAuthentic;
    if (local_tonic && is_triad(before->name) && rise == kFifth) return Cadence::kPlagal;
    if (is_dominant_shape(before->name) && is_triad(at->name) && (rise == 1 || rise == 2)) {
      return Cadence::kDeceptive;
    }
  }
  return is_related_half(*at, key) ? Cadence::kHalf : Cadence::kOther;
}

FinalChord final_chord(const music::Score& score, music::KeySignature key) {
  auto sounding = sounding_pitches(score);
  for (int t = score.length() - 1; t >= 0; --t) {
    int mask = 0, bass = -1;
    for (int v = 0; v < kNumVoices; ++v) {
      const int p = sounding[v][t];
      if (p < 0) continue;
      mask |= 1 << (p % kOctave);
      if (bass < 0 || p < bass) bass = p;
    }
    if (bass < 0) continue;
    const int tonic = music::tonic_pitch_class(key);
    if (is_triad_on(mask, bass % kOctave, tonic)) return FinalChord::kTonic;
    if (is_triad_on(mask, bass % kOctave, mod12(tonic + kFifth))) return FinalChord::kDominant;
    return FinalChord::kOther;
  }
  return FinalChord::kOther;
}

int Progression::chord_changes() const {
  int changes = 0;
  for (int n : root_motions) changes += n;
  return changes;
}

int Progression::fermatas() const {
  int count = 0;
  for (int n : cadences) count += n;
  return count;
}

Progression read_progression(const music::Score& score, music::KeySignature key) {
  Progression p;
  p.bars = length_in_bars(score);
  auto sounding = sounding_pitches(score);
  int last_root = -1;
  for (int t = 0; t < score.length(); ++t) {
    if (score.meta[t].fermata && (t == 0 || !score.meta[t - 1].fermata)) {
      int end = t;
      while (end < score.length() && score.meta[end].fermata) ++end;
      ++p.cadences[static_cast<int>(cadence_of_run(score, sounding, t, end, key))];
    }
    VoicedChord chord;
    if (score.beat_position(t) != 0 || !chord_at(sounding, t, chord)) continue;
    p.beat_chords.push_back(chord);
    const int root = chord.name.root;
    if (root < 0) continue;
    if (last_root >= 0 && root != last_root) {
      ++p.root_motions[static_cast<int>(root_motion(last_root, root))];
    }
    last_root = root;
  }
  p.final = final_chord(score, key);
  return p;
}

}  // namespace dq::eval
