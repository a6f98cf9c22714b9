#include "music/harmony.h"

namespace dq::music {

bool is_cadence_chord(const std::array<int, kNumVoices>& pitches, int tonic_pitch_class, bool minor) {
  constexpr int kOctave = 12, kFifth = 7;
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

}  // namespace dq::music
