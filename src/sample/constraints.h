// The constraints file: a JSON document any sampling command accepts to fix
// notes, lock voices and set fermatas.
//
//   {
//     "fixed_notes": [ {"voice": "soprano", "bar": 1, "beat": 1, "pitch": "G4", "beats": 2},
//                      {"voice": "bass",    "bar": 4, "beat": 3, "pitch": 43,   "beats": 1} ],
//     "locked_voices": ["soprano"],     // kept exactly as in the input score
//     "fermatas": "every:2bars"         // or [4, 8, 12] (bars), or "none"
//   }
//
// "beat" is 1-based and may be fractional (1.5 = the second eighth); "beats"
// is the note's length in beats. Pitches are MIDI numbers or names (C4 = 60).
#pragma once

#include <string>
#include <vector>

#include "music/score.h"
#include "sample/sampler.h"

namespace dq::sample {

struct FixedNote {
  int voice = 0;     // 0 soprano, 1 alto, 2 tenor, 3 bass
  int bar = 1;       // 1-based, as printed in the score
  double beat = 1;   // 1-based; 1.5 is the second eighth of beat 1
  double beats = 1;  // the note's length
  int pitch = 60;    // MIDI number
};

struct Constraints {
  std::vector<FixedNote> notes;
  std::vector<int> locked_voices;
  std::string fermatas;  // "" = leave as they are
};

// Parses the file; throws dq::Error naming the file and the field.
Constraints read_constraints(const std::string& path);
Constraints parse_constraints(const std::string& json_text, const std::string& source);

// Writes the fixed notes into `score`, marks them and the locked voices in
// `fixed`, and applies the fermatas. Throws dq::Error for a note outside
// the piece.
void apply_constraints(const Constraints& constraints, music::Score& score, FixedMask& fixed);

}  // namespace dq::sample
