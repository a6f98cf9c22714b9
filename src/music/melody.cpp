#include "music/melody.h"

#include <cstdlib>

namespace dq::music {

const char* const kIntervalBucketNames[kIntervalBuckets] = {
    "repeated notes", "steps up", "steps down", "thirds up",           "thirds down",      "fourths up",
    "fourths down",   "tritones", "fifths",     "sixths and sevenths", "octaves and wider"};

int interval_bucket(int semitones) {
  const int size = std::abs(semitones);
  const int down = semitones < 0 ? 1 : 0;
  if (size == 0) return 0;
  if (size <= 2) return 1 + down;
  if (size <= 4) return 3 + down;
  if (size == 5) return 5 + down;
  if (size == 6) return 7;
  if (size == 7) return 8;
  if (size < 12) return 9;
  return 10;
}

IntervalMix interval_mix(const std::vector<Score>& scores) {
  IntervalMix mix{};
  for (int v = 0; v < kNumVoices; ++v) {
    double moves = 0;
    for (const Score& score : scores) {
      const std::vector<Note> notes = voice_notes(score, v);
      for (size_t i = 1; i < notes.size(); ++i) {
        mix[v][interval_bucket(notes[i].pitch - notes[i - 1].pitch)] += 1;
        moves += 1;
      }
    }
    if (moves > 0)
      for (double& x : mix[v]) x /= moves;
  }
  return mix;
}

}  // namespace dq::music
