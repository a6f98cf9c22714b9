#include "music/spelling.h"

#include <cmath>
#include <limits>
#include <map>

#include "music/harmony.h"

namespace dq::music {

namespace {

constexpr int kLetterFifths[7] = {0, 2, 4, -1, 1, 3, 5};  // C D E F G A B
constexpr int kLetterSemitones[7] = {0, 2, 4, 5, 7, 9, 11};
constexpr Letter kLetterOfPlace[7] = {3, 0, 4, 1, 5, 2, 6};  // places -1 .. 5: F C G D A E B

// The spelling rule's weights (chosen on the Bach chorales, see spelling_test).
constexpr double kKeyWeight = 0.5;        // the key's share of the centre; the rest is the music heard
constexpr double kMemory = 0.7;           // how much of the heard centre one onset keeps
constexpr double kTogether = 0.25;        // pull between notes sounding together
constexpr double kDoubleAccidental = 40;  // cost of a double sharp or flat

int mod(int a, int n) { return ((a % n) + n) % n; }

// Letter and alteration of a place on the line of fifths.
Letter letter_of_place(int q) { return kLetterOfPlace[mod(q + 1, 7)]; }
int alter_of_place(int q) { return (q + 1 - mod(q + 1, 7)) / 7; }

// The places (alteration at most 2) that spell pitch class `pc`.
std::vector<int> places_of(int pc) {
  std::vector<int> places;
  for (int q = -15; q <= 19; ++q)
    if (mod(7 * q, 12) == pc) places.push_back(q);
  return places;
}

// Where a key's notes lie on the line of fifths, on average: the middle of
// the major scale; in minor, half a fifth past the tonic (the raised sixth
// and seventh pull it sharpwards from the relative major's middle).
double key_centre(int fifths, Mode mode) { return fifths + (mode == Mode::kMinor ? 3.5 : 2.0); }

}  // namespace

int fifths_of(Letter letter, int alter) { return kLetterFifths[letter] + 7 * alter; }

std::optional<int> alter_for(Letter letter, int pitch) {
  if (letter < 0 || letter > 6 || !is_pitch(pitch)) return std::nullopt;
  int d = mod(pitch - kLetterSemitones[letter], 12);
  if (d > 6) d -= 12;
  if (d < -2 || d > 2) return std::nullopt;
  return d;
}

SpelledPitch spelled_as(int pitch, Letter letter) {
  const int alter = alter_for(letter, pitch).value_or(0);
  static constexpr char kNames[] = "CDEFGAB";
  return {kNames[letter], alter, (pitch - alter - kLetterSemitones[letter]) / 12 - 1};
}

Letter transpose_letter(Letter letter, int fifths) {
  return letter == kUnspelled ? kUnspelled : static_cast<Letter>(mod(letter + 4 * fifths, 7));
}

std::array<std::vector<Letter>, kNumVoices> spell_notes(const Score& score) {
  const int length = score.length();
  std::array<std::vector<Letter>, kNumVoices> out;
  for (auto& row : out) row.assign(length, kUnspelled);
  std::map<int, Mode> modes;  // a key without a mode: the one its music suggests
  auto mode_of = [&](KeySignature key) {
    if (key.mode != Mode::kUnknown) return key.mode;
    auto it = modes.find(key.fifths);
    if (it == modes.end()) it = modes.emplace(key.fifths, infer_mode(score, key.fifths)).first;
    return it->second;
  };
  std::array<std::optional<int>, kNumVoices> sounding;  // place of each voice's sounding note
  double heard = length > 0 ? key_centre(score.meta[0].key.fifths, mode_of(score.meta[0].key)) : 0;
  for (int t = 0; t < length; ++t) {
    const KeySignature key = score.meta[t].key;
    const double centre = kKeyWeight * key_centre(key.fifths, mode_of(key)) + (1 - kKeyWeight) * heard;
    // The notes starting at t: spelled by the file (one place) or not (candidates).
    std::vector<int> voices;
    std::vector<std::vector<int>> options;
    std::vector<bool> free;
    for (int v = 0; v < kNumVoices; ++v) {
      const Token token = score.voices[v][t];
      if (token == kRest) sounding[v].reset();
      if (!is_pitch(token)) continue;
      sounding[v].reset();
      const Letter written = letter_at(score, v, t);
      const std::optional<int> alter = alter_for(written, token);
      voices.push_back(v);
      free.push_back(!alter);
      options.push_back(alter ? std::vector<int>{fifths_of(written, *alter)} : places_of(mod(token, 12)));
    }
    if (voices.empty()) continue;
    // Every combination of the options (at most 4 notes of 3 places each).
    std::vector<int> choice(voices.size(), 0), best_places;
    double best = std::numeric_limits<double>::infinity();
    while (true) {
      double cost = 0;
      for (size_t i = 0; i < voices.size(); ++i) {
        const int q = options[i][choice[i]];
        if (free[i]) {
          cost += (q - centre) * (q - centre);
          if (std::abs(alter_of_place(q)) > 1) cost += kDoubleAccidental;
        }
        for (size_t j = 0; j < i; ++j) {
          const int d = q - options[j][choice[j]];
          if (free[i] || free[j]) cost += kTogether * d * d;
        }
        for (int u = 0; u < kNumVoices; ++u) {
          if (!sounding[u] || !free[i]) continue;
          const int d = q - *sounding[u];
          cost += kTogether * d * d;
        }
      }
      if (cost < best) {
        best = cost;
        best_places.clear();
        for (size_t i = 0; i < voices.size(); ++i) best_places.push_back(options[i][choice[i]]);
      }
      size_t i = 0;
      while (i < voices.size() && ++choice[i] == static_cast<int>(options[i].size())) choice[i++] = 0;
      if (i == voices.size()) break;
    }
    double sum = 0;
    for (size_t i = 0; i < voices.size(); ++i) {
      const int q = best_places[i];
      out[voices[i]][t] = letter_of_place(q);
      sounding[voices[i]] = q;
      sum += q;
    }
    heard = kMemory * heard + (1 - kMemory) * sum / static_cast<double>(voices.size());
  }
  return out;
}

}  // namespace dq::music
