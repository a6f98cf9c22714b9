#include "music/harmony.h"

#include <cstdlib>
#include <utility>

namespace dq::music {

namespace {
constexpr int kOctave = 12, kFifth = 7;
constexpr int kLargestStep = 2;  // semitones; more is a leap
int sign(int x) { return (x > 0) - (x < 0); }
}  // namespace

// The pitch class of the lowest sounding pitch (-1: none), and whether the
// sounding pitch classes fit a major or minor triad on it.
std::pair<int, bool> triad_on_bass(const std::array<int, kNumVoices>& pitches) {
  int bass = -1, pitch_classes = 0;  // bit mask
  for (int p : pitches) {
    if (p < 0) continue;
    pitch_classes |= 1 << (p % kOctave);
    if (bass < 0 || p < bass) bass = p;
  }
  if (bass < 0) return {-1, false};
  const int root = bass % kOctave;
  auto triad = [root](int third) {
    return (1 << root) | (1 << ((root + third) % kOctave)) | (1 << ((root + kFifth) % kOctave));
  };
  return {root, (pitch_classes & ~triad(4)) == 0 || (pitch_classes & ~triad(3)) == 0};
}

bool is_cadence_chord(const std::array<int, kNumVoices>& pitches, int tonic_pitch_class, bool minor) {
  const auto [root, is_triad] = triad_on_bass(pitches);
  if (root < 0) return false;
  int degree = ((root - tonic_pitch_class) % kOctave + kOctave) % kOctave;
  return is_triad && (degree == 0 || degree == kFifth || degree == (minor ? 3 : 9));
}

bool is_final_tonic_chord(const std::array<int, kNumVoices>& pitches, int tonic_pitch_class) {
  const auto [root, is_triad] = triad_on_bass(pitches);
  return root >= 0 && is_triad && root == tonic_pitch_class;
}

PerfectMotion perfect_motion(int upper_from, int upper_to, int lower_from, int lower_to, bool outer) {
  const int before = std::abs(upper_from - lower_from) % kOctave;
  const int after = std::abs(upper_to - lower_to) % kOctave;
  if (after != kFifth && after != 0) return PerfectMotion::kNone;
  const bool similar = sign(upper_to - upper_from) == sign(lower_to - lower_from);
  if (before == after) {
    if (!similar) return PerfectMotion::kContrary;
    return after == kFifth ? PerfectMotion::kParallelFifths : PerfectMotion::kParallelOctaves;
  }
  if (similar && outer && std::abs(upper_to - upper_from) > kLargestStep) return PerfectMotion::kHidden;
  return PerfectMotion::kNone;
}

Mode infer_mode(const Score& score, int fifths) {
  const int major_tonic = ((fifths * kFifth) % kOctave + kOctave) % kOctave;
  const int minor_tonic = (major_tonic + 9) % kOctave;
  // The lowest pitch sounding at the last tick where anything sounds.
  int bass = -1;
  std::array<double, kOctave> weight{};
  for (int v = 0; v < kNumVoices; ++v) {
    for (const Note& n : voice_notes(score, v)) weight[n.pitch % kOctave] += n.length;
  }
  for (int t = score.length() - 1; t >= 0 && bass < 0; --t) {
    for (int v = 0; v < kNumVoices; ++v) {
      int tick = t;
      while (tick > 0 && score.voices[v][tick] == kHold) --tick;
      const Token token = score.voices[v][tick];
      if (is_pitch(token) && (bass < 0 || token < bass)) bass = token;
    }
  }
  if (bass < 0) return Mode::kUnknown;
  const int last = bass % kOctave;
  if (last == major_tonic || last == (major_tonic + kFifth) % kOctave) return Mode::kMajor;
  if (last == minor_tonic || last == (minor_tonic + kFifth) % kOctave) return Mode::kMinor;
  auto triad_weight = [&](int root, int third) {
    return weight[root] + weight[(root + third) % kOctave] + weight[(root + kFifth) % kOctave];
  };
  return triad_weight(major_tonic, 4) >= triad_weight(minor_tonic, 3) ? Mode::kMajor : Mode::kMinor;
}

KeySignature home_key(const Score& score) {
  if (score.length() == 0) return {};
  KeySignature key = score.meta[0].key;
  if (key.mode == Mode::kUnknown) key.mode = infer_mode(score, key.fifths);
  if (key.mode == Mode::kUnknown) key.mode = Mode::kMajor;
  return key;
}

}  // namespace dq::music
