#include "music/range.h"

namespace dq::music {

VoiceRanges score_ranges(const Score& score) {
  VoiceRanges ranges;
  for (int v = 0; v < kNumVoices; ++v)
    for (Token t : score.voices[v])
      if (is_pitch(t)) ranges[v].include(t);
  return ranges;
}

std::vector<int> transpositions_within(const VoiceRanges& used, const VoiceRanges& allowed, int max_shift) {
  std::vector<int> shifts;
  for (int s = -max_shift; s <= max_shift; ++s) {
    bool fits = true;
    for (int v = 0; v < kNumVoices && fits; ++v) {
      if (used[v].empty()) continue;
      fits = allowed[v].contains(used[v].low + s) && allowed[v].contains(used[v].high + s);
    }
    if (fits) shifts.push_back(s);
  }
  return shifts;
}

}  // namespace dq::music
