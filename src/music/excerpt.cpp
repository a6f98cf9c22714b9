#include "music/excerpt.h"

#include <string>

#include "util/error.h"

namespace dq::music {

namespace {

// The token sounding at `tick` of `voice`: the pitch of the note that started
// there or before it, or kRest.
Token sounding(const std::vector<Token>& voice, int tick) {
  while (tick > 0 && voice[tick] == kHold) --tick;
  return voice[tick] == kHold ? kRest : voice[tick];
}

// The tick where the note sounding at `tick` of `voice` started.
int onset_of(const std::vector<Token>& voice, int tick) {
  while (tick > 0 && voice[tick] == kHold) --tick;
  return tick;
}

}  // namespace

Score excerpt(const Score& score, int from, int to) {
  if (from < 0 || to > score.length() || from >= to) {
    throw Error("excerpt of ticks " + std::to_string(from) + "-" + std::to_string(to) + " of a score of " +
                std::to_string(score.length()) + " ticks");
  }
  Score out = score;
  out.meta.assign(score.meta.begin() + from, score.meta.begin() + to);
  for (int v = 0; v < kNumVoices; ++v) {
    const std::vector<Token>& voice = score.voices[v];
    out.voices[v].assign(voice.begin() + from, voice.begin() + to);
    out.voices[v][0] = sounding(voice, from);
    if (!score.letters[v].empty()) {
      const std::vector<Letter>& letters = score.letters[v];
      out.letters[v].assign(letters.begin() + from, letters.begin() + to);
      out.letters[v][0] = letters[onset_of(voice, from)];
    }
  }
  out.phrase_ends.clear();
  for (int end : score.phrase_ends) {
    if (end > from && end <= to) out.phrase_ends.push_back(end - from);
  }
  // Bars keep their lengths (a file's irregular bars stay as they are) and are
  // numbered from 1, or from 0 for a partial first bar.
  const int shift = out.meta[0].measure - (out.meta[0].tick_in_bar == 0 ? 1 : 0);
  for (TickMeta& m : out.meta) m.measure -= shift;
  return out;
}

int end_of_opening(const Score& score, int bars) {
  int seen = 0;
  for (int t = score.pickup_ticks(); t < score.length(); ++t) {
    if (score.is_bar_start(t) && seen++ == bars) return t;
  }
  return score.length();
}

}  // namespace dq::music
