#include "music/range.h"

#include <algorithm>
#include <cstdlib>

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

std::vector<int> balanced_transpositions(const std::vector<int>& shifts) {
  int reach = 0;
  auto has = [&](int s) { return std::find(shifts.begin(), shifts.end(), s) != shifts.end(); };
  if (!has(0)) return {};
  while (has(reach + 1) && has(-(reach + 1))) ++reach;
  std::vector<int> kept;
  for (int s : shifts)
    if (std::abs(s) <= reach) kept.push_back(s);
  return kept;
}

}  // namespace dq::music
