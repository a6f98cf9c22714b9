#include "sample/voice_leading.h"

#include <array>
#include <cstdlib>

#include "music/harmony.h"
#include "music/pitch.h"

namespace dq::sample {

using corpus::kFirstPitchIndex;
using corpus::kHoldIndex;
using music::kNumVoices;

namespace {

constexpr int kOctave = 12;
constexpr int kSoprano = 0;
constexpr int kBass = music::kNumVoices - 1;

// What another voice does at one moment: from pitch `from` to `to` (-1: silent).
struct Move {
  int from = -1, to = -1;
  bool moves() const { return from >= 0 && to >= 0 && to != from; }
};

// Faults of voice v moving x -> y while voice u makes `other`: parallel,
// contrary or hidden fifths and octaves.
int pair_faults(int v, int x, int y, int u, const Move& other) {
  if (!other.moves()) return 0;
  const bool outer = (v == kSoprano && u == kBass) || (v == kBass && u == kSoprano);
  const auto motion = v < u ? music::perfect_motion(x, y, other.from, other.to, outer)
                            : music::perfect_motion(other.from, other.to, x, y, outer);
  return motion == music::PerfectMotion::kNone ? 0 : 1;
}

}  // namespace

int16_t VoiceLeadingPrior::cadence_of(music::KeySignature key) {
  return static_cast<int16_t>(music::tonic_pitch_class(key) + (key.mode == music::Mode::kMinor ? kOctave : 0));
}

std::vector<int16_t> VoiceLeadingPrior::cadences_of(const music::Score& score, bool final_tonic, bool opening_tonic) {
  std::vector<int16_t> cadences(score.length() + 2, kNoCadence);
  auto key_at = [&score](int t) {
    music::KeySignature key = score.meta[t].key;
    if (key.mode == music::Mode::kUnknown) key.mode = music::infer_mode(score, key.fifths);
    return key;
  };
  int last = -1;
  for (int t = 0; t < score.length(); ++t) {
    if (!score.meta[t].fermata || (t > 0 && score.meta[t - 1].fermata)) continue;
    cadences[t + 1] = cadence_of(key_at(t));
    last = t + 1;
  }
  if (final_tonic && last >= 0) cadences[last] = static_cast<int16_t>(cadences[last] + kFinal);
  if (opening_tonic && score.length() > 0 && cadences[1] == kNoCadence) {
    cadences[1] = static_cast<int16_t>(cadence_of(key_at(0)) + kFinal);
  }
  return cadences;
}

// The two moments a token at (v, t) decides: the move into t and the move
// into the voice's next note (tick `next`, pitch `next_pitch`).
struct VoiceLeadingPrior::Motions {
  int previous = -1;                     // voice v's pitch sounding just before t
  std::array<Move, kNumVoices> at_t;     // the other voices' moves at t
  int next_pitch = -1;                   // voice v's next note after t (-1: rest or end)
  std::array<Move, kNumVoices> at_next;  // the other voices' moves there
  int cadence = kNoCadence;              // what a fermata starting at t asks for
  std::array<int, kNumVoices> chord{};   // the other voices' pitches at t (-1: silent)
};

int VoiceLeadingPrior::sounding(const int64_t* piece, int64_t length, int u, int64_t t) const {
  const int64_t* row = piece + u * length;
  while (t > 0 && row[t] == kHoldIndex) --t;
  int index = static_cast<int>(row[t]);
  return index >= kFirstPitchIndex ? vocab_[u].low + index - kFirstPitchIndex : -1;
}

VoiceLeadingPrior::Motions VoiceLeadingPrior::motions_around(const int64_t* piece, const int16_t* cadences,
                                                             int64_t length, int v, int64_t t) const {
  Motions m;
  auto move_at = [&](int u, int64_t tick) {
    Move move;
    if (piece[u * length + tick] >= kFirstPitchIndex) {
      move.from = sounding(piece, length, u, tick - 1);
      move.to = sounding(piece, length, u, tick);
    }
    return move;
  };
  m.previous = sounding(piece, length, v, t - 1);
  if (cadences != nullptr) m.cadence = cadences[t];
  const int64_t* row = piece + v * length;
  int64_t next = t + 1;
  while (next < length - 1 && row[next] == kHoldIndex) ++next;
  if (next < length - 1 && row[next] >= kFirstPitchIndex) m.next_pitch = sounding(piece, length, v, next);
  for (int u = 0; u < kNumVoices; ++u) {
    if (u == v) continue;
    m.at_t[u] = move_at(u, t);
    if (m.cadence != kNoCadence) m.chord[u] = sounding(piece, length, u, t);
    if (m.next_pitch >= 0) m.at_next[u] = move_at(u, next);
  }
  return m;
}

int VoiceLeadingPrior::faults_of(const Motions& m, int v, int index) const {
  int faults = 0;
  auto motion = [&](int x, int y, const std::array<Move, kNumVoices>& others) {
    if (x < 0 || y < 0 || x == y) return;
    if (std::abs(y - x) > kOctave) ++faults;
    for (int u = 0; u < kNumVoices; ++u)
      if (u != v) faults += pair_faults(v, x, y, u, others[u]);
  };
  int pitch = -1;  // what voice v sounds at t with this token
  if (index >= kFirstPitchIndex) {
    pitch = vocab_[v].low + index - kFirstPitchIndex;
    motion(m.previous, pitch, m.at_t);
  } else if (index == kHoldIndex) {
    pitch = m.previous;
  }
  motion(pitch, m.next_pitch, m.at_next);
  if (m.cadence != kNoCadence) {
    std::array<int, kNumVoices> chord = m.chord;
    chord[v] = pitch;
    const int tonic = m.cadence % kOctave;
    const bool cadence = m.cadence >= kFinal ? music::is_final_tonic_chord(chord, tonic)
                                             : music::is_cadence_chord(chord, tonic, m.cadence >= kOctave);
    if (!cadence) ++faults;
  }
  return faults;
}

int VoiceLeadingPrior::faults(const int64_t* piece, const int16_t* cadences, int64_t length, int v, int64_t t,
                              int index) const {
  return faults_of(motions_around(piece, cadences, length, v, t), v, index);
}

std::vector<int> VoiceLeadingPrior::faults_of_every_token(const int64_t* piece, const int16_t* cadences, int64_t length,
                                                          int v, int64_t t) const {
  const Motions m = motions_around(piece, cadences, length, v, t);
  std::vector<int> faults(vocab_[v].size(), 0);
  for (int index = corpus::kRestIndex; index < vocab_[v].size(); ++index) faults[index] = faults_of(m, v, index);
  return faults;
}

void VoiceLeadingPrior::apply(const int64_t* piece, const int16_t* cadences, int64_t length, int v, int64_t t,
                              float* logits) const {
  if (!enabled()) return;
  // The sampler's hot path: the faults counted in place, nothing allocated.
  const Motions m = motions_around(piece, cadences, length, v, t);
  for (int index = corpus::kRestIndex; index < vocab_[v].size(); ++index) {
    const int f = faults_of(m, v, index);
    if (f > 0) logits[index] -= penalty_ * static_cast<float>(f);
  }
}

}  // namespace dq::sample
