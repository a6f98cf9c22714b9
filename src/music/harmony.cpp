#include "music/harmony.h"

#include <cstdlib>

namespace dq::music {

namespace {
constexpr int kOctave = 12, kFifth = 7;
constexpr int kLargestStep = 2;  // semitones; more is a leap
int sign(int x) { return (x > 0) - (x < 0); }
}  // namespace

bool is_cadence_chord(const std::array<int, kNumVoices>& pitches, int tonic_pitch_class, bool minor) {
  int bass = -1, pitch_classes = 0;  // bit mask
  for (int p : pitches) {
    if (p < 0) continue;
    pitch_classes |= 1 << (p % kOctave);
    if (bass < 0 || p < bass) bass = p;
  }
  if (bass < 0) return false;
  const int root = bass % kOctave;
  auto triad = [root](int third) {
    return (1 << root) | (1 << ((root + third) % kOctave)) | (1 << ((root + kFifth) % kOctave));
  };
  bool is_triad = (pitch_classes & ~triad(4)) == 0 || (pitch_classes & ~triad(3)) == 0;
  int degree = ((root - tonic_pitch_class) % kOctave + kOctave) % kOctave;
  return is_triad && (degree == 0 || degree == kFifth || degree == (minor ? 3 : 9));
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

}  // namespace dq::music
