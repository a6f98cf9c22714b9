// Voice ranges: the lowest and highest pitch a voice sings or plays, the
// ranges of a score, and the textbook ranges of choir and string quartet.
#pragma once

#include <array>

#include "music/score.h"

namespace dq::music {

struct VoiceRange {
  int low = 127;
  int high = 0;
  bool empty() const { return low > high; }
  bool contains(int pitch) const { return pitch >= low && pitch <= high; }
  void include(int pitch) {
    if (pitch < low) low = pitch;
    if (pitch > high) high = pitch;
  }
  void include(const VoiceRange& r) {
    if (!r.empty()) {
      include(r.low);
      include(r.high);
    }
  }
};

using VoiceRanges = std::array<VoiceRange, kNumVoices>;

// The pitches each voice of `score` actually uses (empty range if it has no notes).
VoiceRanges score_ranges(const Score& score);

// The semitone shifts in [-max_shift, max_shift] that keep every voice of a
// score with ranges `used` inside `allowed`, in increasing order.
std::vector<int> transpositions_within(const VoiceRanges& used, const VoiceRanges& allowed, int max_shift = 6);

}  // namespace dq::music
