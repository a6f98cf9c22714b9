// Hand-made four-voice scores for the grader tests: each voice a list of
// notes (pitch, length in ticks); pitch -1 is a rest.
#pragma once

#include <algorithm>
#include <vector>

#include "music/score.h"

namespace dq::eval::testing {

struct N {
  int pitch;
  int ticks;
};

inline music::Score make_score(const std::vector<std::vector<N>>& voices,
                               music::KeySignature key = {0, music::Mode::kMajor}) {
  int length = 0;
  for (const auto& voice : voices) {
    int ticks = 0;
    for (const N& n : voice) ticks += n.ticks;
    length = std::max(length, ticks);
  }
  music::Score score = music::make_empty_score(length, key, music::TimeSignature{4, 4});
  for (size_t v = 0; v < voices.size(); ++v) {
    int t = 0;
    for (const N& n : voices[v]) {
      for (int k = 0; k < n.ticks; ++k) {
        score.voices[v][t + k] = n.pitch < 0 ? music::kRest : (k == 0 ? n.pitch : music::kHold);
      }
      t += n.ticks;
    }
  }
  return score;
}

// Marks ticks [from, to) with a fermata.
inline void set_fermata(music::Score& score, int from, int to) {
  for (int t = from; t < to; ++t) score.meta[t].fermata = true;
}

}  // namespace dq::eval::testing
