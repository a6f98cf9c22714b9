#include "music/pitch.h"

#include <cstdlib>

namespace dq::music {

namespace {
constexpr char kSteps[] = {'C', 'D', 'E', 'F', 'G', 'A', 'B'};
constexpr int kStepSemitones[] = {0, 2, 4, 5, 7, 9, 11};
// The order in which key signatures add sharps: F C G D A E B.
constexpr int kSharpOrder[] = {3, 0, 4, 1, 5, 2, 6};

int step_index(char step) {
  for (int i = 0; i < 7; ++i)
    if (kSteps[i] == step) return i;
  return 0;
}
}  // namespace

int midi_of(char step, int alter, int octave) {
  return (octave + 1) * 12 + kStepSemitones[step_index(step)] + alter;
}

SpelledPitch spell(int midi, int fifths) {
  // Alteration each step carries in this key.
  int key_alter[7] = {0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < std::abs(fifths) && i < 7; ++i) {
    int step = fifths > 0 ? kSharpOrder[i] : kSharpOrder[6 - i];
    key_alter[step] = fifths > 0 ? 1 : -1;
  }
  int pc = ((midi % 12) + 12) % 12;
  // Prefer a step whose key alteration gives this pitch class.
  for (int s = 0; s < 7; ++s) {
    if ((kStepSemitones[s] + key_alter[s] + 12) % 12 == pc) {
      int alter = key_alter[s];
      int octave = (midi - kStepSemitones[s] - alter) / 12 - 1;
      return {kSteps[s], alter, octave};
    }
  }
  // Chromatic note: a natural if one exists, else sharp in sharp keys, flat in flat keys.
  for (int s = 0; s < 7; ++s) {
    if (kStepSemitones[s] == pc) return {kSteps[s], 0, (midi - pc) / 12 - 1};
  }
  bool use_flat = fifths < 0;
  for (int s = 0; s < 7; ++s) {
    int alter = use_flat ? -1 : 1;
    if ((kStepSemitones[s] + alter + 12) % 12 == pc) {
      return {kSteps[s], alter, (midi - kStepSemitones[s] - alter) / 12 - 1};
    }
  }
  return {'C', 0, 4};
}

std::string pitch_name(int midi) {
  SpelledPitch p = spell(midi, 0);
  std::string name(1, p.step);
  if (p.alter > 0) name += std::string(p.alter, '#');
  if (p.alter < 0) name += std::string(-p.alter, 'b');
  return name + std::to_string(p.octave);
}

int tonic_pitch_class(KeySignature key) {
  int major = ((key.fifths * 7) % 12 + 12) % 12;
  return key.mode == Mode::kMinor ? (major + 9) % 12 : major;
}

std::string key_name(KeySignature key) {
  const int fifths = key.fifths;
  static const char* kMajor[] = {"Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C",
                                 "G",  "D",  "A",  "E",  "B",  "F#", "C#"};
  static const char* kMinor[] = {"Ab", "Eb", "Bb", "F",  "C",  "G",  "D", "A",
                                 "E",  "B",  "F#", "C#", "G#", "D#", "A#"};
  if (fifths < -7 || fifths > 7) return std::to_string(fifths) + " fifths";
  if (key.mode == Mode::kMajor) return std::string(kMajor[fifths + 7]) + " major";
  if (key.mode == Mode::kMinor) return std::string(kMinor[fifths + 7]) + " minor";
  if (fifths == 0) return "no sharps or flats";
  return std::to_string(std::abs(fifths)) + (fifths > 0 ? " sharp" : " flat") +
         (std::abs(fifths) > 1 ? "s" : "");
}

}  // namespace dq::music
