#include "music/pitch.h"

#include <cctype>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "util/error.h"
#include "util/text.h"

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

int midi_of(char step, int alter, int octave) { return (octave + 1) * 12 + kStepSemitones[step_index(step)] + alter; }

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
  static const char* kMajor[] = {"Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#"};
  static const char* kMinor[] = {"Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#", "G#", "D#", "A#"};
  if (fifths < -7 || fifths > 7) return std::to_string(fifths) + " fifths";
  if (key.mode == Mode::kMajor) return std::string(kMajor[fifths + 7]) + " major";
  if (key.mode == Mode::kMinor) return std::string(kMinor[fifths + 7]) + " minor";
  if (fifths == 0) return "no sharps or flats";
  return std::to_string(std::abs(fifths)) + (fifths > 0 ? " sharp" : " flat") + (std::abs(fifths) > 1 ? "s" : "");
}

int parse_pitch(const std::string& text) {
  if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0]))) {
    int p = std::atoi(text.c_str());
    if (p < 0 || p > 127) throw Error("pitch " + text + " outside 0-127");
    return p;
  }
  if (text.size() < 2) throw Error("invalid pitch '" + text + "' (e.g. C4, F#3, Bb2 or 60)");
  char step = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  if (step < 'A' || step > 'G') throw Error("invalid pitch '" + text + "'");
  size_t i = 1;
  int alter = 0;
  while (i < text.size() && (text[i] == '#' || text[i] == 'b')) alter += text[i++] == '#' ? 1 : -1;
  try {
    size_t used = 0;
    int octave = std::stoi(text.substr(i), &used);
    if (i + used != text.size()) throw std::invalid_argument(text);
    int p = midi_of(step, alter, octave);
    if (p < 0 || p > 127) throw Error("pitch " + text + " outside MIDI range");
    return p;
  } catch (const std::logic_error&) {
    throw Error("invalid pitch '" + text + "'");
  }
}

int major_key_fifths(int tonic) {
  int f = (tonic * 7) % 12;  // 0..11
  return f > 6 ? f - 12 : f;
}

KeySignature parse_key(const std::string& text) {
  std::istringstream in(util::trim(text));
  std::string tonic, mode_word;
  in >> tonic >> mode_word;
  if (tonic.empty()) throw Error("empty key");
  static const int kPc[] = {9, 11, 0, 2, 4, 5, 7};  // a b c d e f g
  char letter = static_cast<char>(std::tolower(static_cast<unsigned char>(tonic[0])));
  if (letter < 'a' || letter > 'g') throw Error("invalid key '" + text + "' (e.g. \"D major\", \"b minor\", \"Eb\")");
  int pc = kPc[letter - 'a'];
  for (size_t i = 1; i < tonic.size(); ++i) {
    if (tonic[i] == '#')
      ++pc;
    else if (tonic[i] == 'b' || tonic[i] == '-')
      --pc;
    else
      throw Error("invalid key '" + text + "'");
  }
  pc = (pc % 12 + 12) % 12;
  mode_word = util::to_lower(mode_word);
  bool minor;
  if (mode_word.empty())
    minor = std::islower(static_cast<unsigned char>(tonic[0])) != 0;
  else if (mode_word == "major" || mode_word == "maj")
    minor = false;
  else if (mode_word == "minor" || mode_word == "min")
    minor = true;
  else
    throw Error("invalid mode '" + mode_word + "' (major or minor)");
  int fifths = major_key_fifths(minor ? (pc + 3) % 12 : pc);
  return {fifths, minor ? Mode::kMinor : Mode::kMajor};
}

TimeSignature parse_meter(const std::string& text) {
  size_t slash = text.find('/');
  if (slash == std::string::npos) throw Error("invalid meter '" + text + "' (e.g. 4/4, 3/4)");
  TimeSignature t{util::parse_int(util::trim(text.substr(0, slash)), "meter"),
                  util::parse_int(util::trim(text.substr(slash + 1)), "meter")};
  bool ok = t.numerator >= 1 && t.numerator <= 16 &&
            (t.denominator == 2 || t.denominator == 4 || t.denominator == 8 || t.denominator == 16) &&
            t.ticks_per_bar() > 0 && t.ticks_per_bar() % t.ticks_per_beat() == 0;
  if (!ok) throw Error("unsupported meter '" + text + "'");
  return t;
}

std::string meter_name(TimeSignature time) {
  return std::to_string(time.numerator) + "/" + std::to_string(time.denominator);
}

}  // namespace dq::music
