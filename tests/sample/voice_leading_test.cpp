// The samplers' voice-leading prior on hand-made two-chord progressions.
#include "sample/voice_leading.h"

#include <gtest/gtest.h>

#include <vector>

namespace dq::sample {
namespace {

constexpr int kLow = 36;
constexpr int kHold = -2;
constexpr int kRest = -1;
constexpr int kDrawn = kRest;  // the position being drawn: its own token is not read

corpus::Vocabulary wide_vocabulary() {
  corpus::Vocabulary vocab;
  for (auto& v : vocab) v = {kLow, 96};
  return vocab;
}

int index_of(int token) {
  if (token == kHold) return corpus::kHoldIndex;
  if (token == kRest) return corpus::kRestIndex;
  return corpus::kFirstPitchIndex + token - kLow;
}

// Rows of indices for four voices given as tokens per tick (pitch, kHold,
// kRest), with START and END around.
struct Piece {
  int64_t length;
  std::vector<int64_t> rows;
  explicit Piece(const std::vector<std::vector<int>>& voices) : length(static_cast<int64_t>(voices[0].size()) + 2) {
    for (const auto& voice : voices) {
      rows.push_back(corpus::kStartIndex);
      for (int token : voice) rows.push_back(index_of(token));
      rows.push_back(corpus::kEndIndex);
    }
  }
};

TEST(VoiceLeadingPrior, ParallelFifthIntoTheTick) {
  corpus::Vocabulary vocab = wide_vocabulary();
  VoiceLeadingPrior prior(vocab, 5.0f);
  // Alto F4 -> G4 under the soprano's C5 -> ?; tenor and bass hold.
  Piece piece({{72, kDrawn}, {65, 67}, {55, kHold}, {48, kHold}});
  const int64_t tick = 2;  // the second chord (index 1 is the first)
  EXPECT_EQ(prior.faults(piece.rows.data(), nullptr, piece.length, 0, tick, index_of(74)), 1);  // D5: fifths
  EXPECT_EQ(prior.faults(piece.rows.data(), nullptr, piece.length, 0, tick, index_of(76)), 0);  // E5: a sixth
  EXPECT_EQ(prior.faults(piece.rows.data(), nullptr, piece.length, 0, tick, index_of(kHold)), 0);
  EXPECT_EQ(prior.faults(piece.rows.data(), nullptr, piece.length, 0, tick, index_of(kRest)), 0);
}

TEST(VoiceLeadingPrior, ParallelOctaveOutOfTheNote) {
  corpus::Vocabulary vocab = wide_vocabulary();
  VoiceLeadingPrior prior(vocab, 5.0f);
  // The soprano's next note is fixed (D5); the bass moves C3 -> D3.
  Piece piece({{kDrawn, 74}, {67, kHold}, {64, kHold}, {48, 50}});
  EXPECT_EQ(prior.faults(piece.rows.data(), nullptr, piece.length, 0, 1, index_of(72)), 1);  // C5: octaves
  EXPECT_EQ(prior.faults(piece.rows.data(), nullptr, piece.length, 0, 1, index_of(76)), 0);  // E5 -> D5: no
}

TEST(VoiceLeadingPrior, ContraryFifthsCount) {
  corpus::Vocabulary vocab = wide_vocabulary();
  VoiceLeadingPrior prior(vocab, 5.0f);
  // Tenor G3 -> C4 up while the bass goes C3 -> F2 down: a fifth to a twelfth.
  Piece piece({{72, kHold}, {67, kHold}, {55, kDrawn}, {48, 41}});
  EXPECT_EQ(prior.faults(piece.rows.data(), nullptr, piece.length, 2, 2, index_of(60)), 1);
}

TEST(VoiceLeadingPrior, HiddenOctaveOnlyWithASopranoLeap) {
  corpus::Vocabulary vocab = wide_vocabulary();
  VoiceLeadingPrior prior(vocab, 5.0f);
  // Bass A2 -> C3 (up); soprano into C5, an octave over it, from a tenth away.
  Piece leap({{67, kDrawn}, {64, kHold}, {60, kHold}, {57, 60}});
  EXPECT_EQ(prior.faults(leap.rows.data(), nullptr, leap.length, 0, 2, index_of(72)), 1);
  Piece step({{71, kDrawn}, {64, kHold}, {60, kHold}, {57, 60}});
  EXPECT_EQ(prior.faults(step.rows.data(), nullptr, step.length, 0, 2, index_of(72)), 0);
  // Between inner voices the same motion is no fault.
  Piece inner({{79, kHold}, {67, kDrawn}, {60, kHold}, {57, 60}});
  EXPECT_EQ(prior.faults(inner.rows.data(), nullptr, inner.length, 1, 2, index_of(72)), 0);
}

TEST(VoiceLeadingPrior, LeapsBeyondAnOctave) {
  corpus::Vocabulary vocab = wide_vocabulary();
  VoiceLeadingPrior prior(vocab, 5.0f);
  Piece piece({{72, kHold}, {67, kHold}, {60, kHold}, {48, kDrawn}});
  EXPECT_EQ(prior.faults(piece.rows.data(), nullptr, piece.length, 3, 2, index_of(60)), 0);  // an octave
  EXPECT_EQ(prior.faults(piece.rows.data(), nullptr, piece.length, 3, 2, index_of(62)), 1);  // a ninth
}

TEST(VoiceLeadingPrior, ApplyLowersOnlyTheFaultyCandidates) {
  corpus::Vocabulary vocab = wide_vocabulary();
  VoiceLeadingPrior prior(vocab, 5.0f);
  Piece piece({{72, kDrawn}, {65, 67}, {55, kHold}, {48, kHold}});
  std::vector<float> logits(vocab[0].size(), 1.0f);
  prior.apply(piece.rows.data(), nullptr, piece.length, 0, 2, logits.data());
  const std::vector<int> every = prior.faults_of_every_token(piece.rows.data(), nullptr, piece.length, 0, 2);
  for (int i = corpus::kRestIndex; i < vocab[0].size(); ++i) {
    int faults = prior.faults(piece.rows.data(), nullptr, piece.length, 0, 2, i);
    EXPECT_EQ(every[i], faults) << "index " << i;
    EXPECT_FLOAT_EQ(logits[i], 1.0f - 5.0f * faults) << "index " << i;
  }
  EXPECT_FLOAT_EQ(logits[index_of(74)], -4.0f);
  VoiceLeadingPrior off(vocab, 0.0f);
  std::vector<float> untouched(vocab[0].size(), 1.0f);
  off.apply(piece.rows.data(), nullptr, piece.length, 0, 2, untouched.data());
  EXPECT_EQ(untouched, std::vector<float>(vocab[0].size(), 1.0f));
}

TEST(VoiceLeadingPrior, FermataChordsMustBeCadences) {
  corpus::Vocabulary vocab = wide_vocabulary();
  VoiceLeadingPrior prior(vocab, 5.0f);
  // A fermata on the second chord in C major; the bass enters under E5 C5 G4.
  Piece piece({{72, 76}, {67, 72}, {64, 67}, {kRest, kDrawn}});
  std::vector<int16_t> cadences(piece.length, VoiceLeadingPrior::kNoCadence);
  cadences[2] = VoiceLeadingPrior::cadence_of({0, music::Mode::kMajor});
  auto faults = [&](int pitch) {
    return prior.faults(piece.rows.data(), cadences.data(), piece.length, 3, 2, index_of(pitch));
  };
  EXPECT_EQ(faults(48), 0);                                                    // C: the tonic triad
  EXPECT_EQ(faults(45), 1);                                                    // A under C E G: a seventh chord
  EXPECT_EQ(faults(52), 1);                                                    // E: a first inversion, no cadence
  EXPECT_EQ(VoiceLeadingPrior::cadence_of({0, music::Mode::kMinor}), 9 + 12);  // A minor
  // In A minor, the same chord on C is the relative major's tonic: a cadence.
  cadences[2] = VoiceLeadingPrior::cadence_of({0, music::Mode::kMinor});
  EXPECT_EQ(faults(48), 0);
  // The last fermata asks for the tonic triad itself: in A minor, C is no longer enough.
  cadences[2] += VoiceLeadingPrior::kFinal;
  EXPECT_EQ(faults(48), 1);
  EXPECT_EQ(faults(45), 1);  // A under C E G: still a seventh chord
}

TEST(VoiceLeadingPrior, TheLastFermataIsTheFinalCadence) {
  music::Score s = music::make_empty_score(16, {-1, music::Mode::kMajor}, {4, 4});
  for (int t : {3, 7, 8, 14, 15}) s.meta[t].fermata = true;
  auto cadences = VoiceLeadingPrior::cadences_of(s, true, false);
  const int16_t f_major = VoiceLeadingPrior::cadence_of({-1, music::Mode::kMajor});
  for (int t = 0; t < 18; ++t) {
    int16_t expected = t == 4 || t == 8 ? f_major
                       : t == 15        ? f_major + VoiceLeadingPrior::kFinal
                                        : VoiceLeadingPrior::kNoCadence;
    EXPECT_EQ(cadences[t], expected) << "row " << t;
  }
  EXPECT_EQ(VoiceLeadingPrior::cadences_of(s, false, false)[15], f_major);
}

TEST(VoiceLeadingPrior, TheFirstTickAsksForTheTonicTriad) {
  music::Score s = music::make_empty_score(16, {-1, music::Mode::kMajor}, {4, 4});
  s.meta[15].fermata = true;
  const int16_t f_tonic = VoiceLeadingPrior::cadence_of({-1, music::Mode::kMajor}) + VoiceLeadingPrior::kFinal;
  EXPECT_EQ(VoiceLeadingPrior::cadences_of(s)[1], f_tonic);
  EXPECT_EQ(VoiceLeadingPrior::cadences_of(s, true, false)[1], VoiceLeadingPrior::kNoCadence);
  EXPECT_EQ(VoiceLeadingPrior::cadences_of(s)[2], VoiceLeadingPrior::kNoCadence);
  // A fermata on the first tick keeps the cadence it asks for.
  s.meta[0].fermata = true;
  EXPECT_EQ(VoiceLeadingPrior::cadences_of(s)[1], VoiceLeadingPrior::cadence_of({-1, music::Mode::kMajor}));
}

}  // namespace
}  // namespace dq::sample
