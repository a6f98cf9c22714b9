#include "music/transpose.h"

#include "music/spelling.h"

namespace dq::music {

KeySignature transpose_key(KeySignature key, int semitones) {
  // One semitone up is 7 fifths up (mod 12).
  int fifths = ((key.fifths + 7 * semitones) % 12 + 12) % 12;  // 0..11
  if (fifths > 6) fifths -= 12;                                // -5..6
  return {fifths, key.mode};
}

Score transpose(const Score& score, int semitones) {
  Score out = score;
  if (semitones == 0) return out;
  for (auto& voice : out.voices) {
    for (Token& t : voice) {
      if (!is_pitch(t)) continue;
      int p = t + semitones;
      while (p < 0) p += 12;
      while (p > 127) p -= 12;
      t = p;
    }
  }
  for (TickMeta& m : out.meta) m.key = transpose_key(m.key, semitones);
  for (int v = 0; v < kNumVoices; ++v) {
    for (size_t t = 0; t < out.letters[v].size(); ++t)
      out.letters[v][t] = transpose_letter(out.letters[v][t], out.meta[t].key.fifths - score.meta[t].key.fifths);
  }
  return out;
}

}  // namespace dq::music
