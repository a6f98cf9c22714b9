// Calibration of the honest measure on Bach's chorales (skipped without the
// corpus): two sets of Bach's chorales are not told apart (about 0.5), Bach
// against Bach with shuffled voices or doubled note lengths always is, and
// the tonal measures of the test chorales come out near the independent
// grader's figures of ../shared/research/musicianship.md.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "corpus/corpus.h"
#include "eval/measure.h"
#include "music/harmony.h"
#include "music/pitch.h"

namespace dq::eval {
namespace {

using music::Score;

struct BachChorales {
  std::vector<Score> train, valid, test;
};

const BachChorales& bach() {
  static const BachChorales chorales = [] {
    BachChorales b;
    const std::string root = std::string(DQ_CORPUS) + "/bach-chorales/musicxml";
    if (!std::filesystem::exists(root)) return b;
    for (const corpus::CorpusPiece& p : corpus::load_corpus({root}, 2, false)) {
      if (!p.accepted || p.style != "bach") continue;
      if (p.split == corpus::Split::kTrain) b.train.push_back(p.score);
      if (p.split == corpus::Split::kValid) b.valid.push_back(p.score);
      if (p.split == corpus::Split::kTest) b.test.push_back(p.score);
    }
    return b;
  }();
  return chorales;
}

#define SKIP_WITHOUT_CORPUS() \
  if (bach().test.empty()) GTEST_SKIP() << "no corpus at " << DQ_CORPUS

std::vector<music::KeySignature> home_keys(const std::vector<Score>& scores) {
  std::vector<music::KeySignature> keys;
  for (const Score& s : scores) keys.push_back(music::home_key(s));
  return keys;
}

MeasuredSet measured(const std::string& name, const std::vector<Score>& scores) {
  return measure_set(name, scores, home_keys(scores));
}

TwoSampleResult compare(const MeasuredSet& a, const MeasuredSet& b) {
  TwoSampleResult r = two_sample_test(a.features, b.features, a.feature_names, {});
  std::printf("%s vs %s: logistic %.3f ± %.3f, MLP %.3f ± %.3f (%d per class)\n", a.name.c_str(), b.name.c_str(),
              r.logistic.mean, r.logistic.std, r.mlp.mean, r.mlp.std, r.pieces_per_class);
  return r;
}

void expect_chance(const TwoSampleResult& r) {
  EXPECT_GT(r.logistic.mean, 0.35);
  EXPECT_LT(r.logistic.mean, 0.65);
  EXPECT_GT(r.mlp.mean, 0.35);
  EXPECT_LT(r.mlp.mean, 0.65);
}

void expect_told_apart(const TwoSampleResult& r) {
  EXPECT_GT(r.logistic.mean, 0.9);
  EXPECT_GT(r.mlp.mean, 0.9);
}

// Semitones (-6..5) that take `from`'s tonic to `to`'s.
int shift_between(music::KeySignature from, music::KeySignature to) {
  int d = ((music::tonic_pitch_class(to) - music::tonic_pitch_class(from)) % 12 + 12) % 12;
  return d > 5 ? d - 12 : d;
}

// `soprano`'s soprano over the alto, tenor and bass of three other pieces,
// each moved into the soprano piece's key; as long as the shortest of them.
Score with_voices_of(const Score& soprano, const std::array<const Score*, 3>& donors) {
  int length = soprano.length();
  for (const Score* d : donors) length = std::min(length, d->length());
  Score result = soprano;
  result.meta.resize(length);
  result.voices[0].resize(length);
  const music::KeySignature key = music::home_key(soprano);
  for (int v = 1; v < music::kNumVoices; ++v) {
    const Score& donor = *donors[v - 1];
    const int shift = shift_between(music::home_key(donor), key);
    result.voices[v].assign(donor.voices[v].begin(), donor.voices[v].begin() + length);
    for (music::Token& t : result.voices[v]) t = music::is_pitch(t) ? t + shift : t;
  }
  return result;
}

// Every piece of `scores` with its lower voices taken from the three next
// pieces of the same mode and meter (in corpus order); pieces of a group
// smaller than four are left out. Keys: the soprano piece's.
std::vector<Score> shuffled_voices(const std::vector<Score>& scores, std::vector<music::KeySignature>& keys) {
  std::map<std::tuple<int, int, int>, std::vector<const Score*>> groups;
  for (const Score& s : scores) {
    const music::TimeSignature time = s.meta[0].time;
    const int mode = static_cast<int>(music::home_key(s).mode);
    groups[{mode, time.numerator, time.denominator}].push_back(&s);
  }
  std::vector<Score> result;
  for (const auto& [group, pieces] : groups) {
    const size_t n = pieces.size();
    if (n < 4) continue;
    for (size_t i = 0; i < n; ++i) {
      result.push_back(with_voices_of(*pieces[i], {pieces[(i + 1) % n], pieces[(i + 2) % n], pieces[(i + 3) % n]}));
      keys.push_back(music::home_key(*pieces[i]));
    }
  }
  return result;
}

// `score` at half speed: every note, rest and fermata twice as long.
Score doubled(const Score& score) {
  Score slow = score;
  const int length = score.length();
  for (int v = 0; v < music::kNumVoices; ++v) {
    slow.voices[v].assign(2 * length, music::kRest);
    for (int t = 0; t < length; ++t) {
      const music::Token token = score.voices[v][t];
      slow.voices[v][2 * t] = token;
      slow.voices[v][2 * t + 1] = music::is_pitch(token) ? music::kHold : token;
    }
  }
  slow.meta.assign(2 * length, {});
  for (int t = 0; t < 2 * length; ++t) slow.meta[t] = score.meta[t / 2];
  music::renumber_measures(slow, 2 * score.pickup_ticks());
  return slow;
}

TEST(Calibration, TestAgainstValidChoralesIsChance) {
  SKIP_WITHOUT_CORPUS();
  expect_chance(compare(measured("Bach valid", bach().valid), measured("Bach test", bach().test)));
}

TEST(Calibration, RandomHalvesOfTrainAndValidAreChance) {
  SKIP_WITHOUT_CORPUS();
  std::vector<Score> pool = bach().train;
  pool.insert(pool.end(), bach().valid.begin(), bach().valid.end());
  std::shuffle(pool.begin(), pool.end(), std::mt19937_64(11));
  const auto middle = pool.begin() + static_cast<long>(pool.size() / 2);
  expect_chance(compare(measured("first half", std::vector<Score>(pool.begin(), middle)),
                        measured("second half", std::vector<Score>(middle, pool.end()))));
}

TEST(Calibration, ShuffledVoicesAreToldApart) {
  SKIP_WITHOUT_CORPUS();
  std::vector<music::KeySignature> keys;
  std::vector<Score> shuffled = shuffled_voices(bach().train, keys);
  ASSERT_GT(shuffled.size(), 100u);
  std::vector<Score> originals = bach().valid;
  originals.insert(originals.end(), bach().test.begin(), bach().test.end());
  expect_told_apart(
      compare(measure_set("shuffled voices", shuffled, keys), measured("Bach valid and test", originals)));
}

TEST(Calibration, DoubledNoteLengthsAreToldApart) {
  SKIP_WITHOUT_CORPUS();
  std::vector<Score> slow;
  for (const Score& s : bach().test) slow.push_back(doubled(s));
  expect_told_apart(compare(measured("doubled lengths", slow), measured("Bach valid", bach().valid)));
}

TEST(Calibration, BachTonalFiguresNearTheIndependentGrader) {
  SKIP_WITHOUT_CORPUS();
  const TonalMeasures m = tonal_measures(measured("Bach test", bach().test).tonal);
  std::printf(
      "Bach test: first tonic %.3f, final tonic %.3f, key found %.3f, outside scale %.4f, short notes "
      "%.3f, changes per bar %.2f, falling fifths %.3f, parallels per note %.4f\n",
      m.first_on_tonic, m.final_on_tonic, m.key_found, m.outside_scale, m.short_notes, m.changes_per_bar,
      m.falling_fifths, m.parallels_per_note);
  EXPECT_NEAR(m.first_on_tonic, 0.75, 0.06);
  EXPECT_NEAR(m.final_on_tonic, 0.82, 0.06);
  EXPECT_NEAR(m.key_found, 0.71, 0.08);
  EXPECT_NEAR(m.outside_scale, 0.044, 0.01);
  EXPECT_NEAR(m.short_notes, 0.37, 0.03);
  EXPECT_NEAR(m.falling_fifths, 0.35, 0.05);
  EXPECT_NEAR(m.parallels_per_note, 0.0009, 0.0006);
}

}  // namespace
}  // namespace dq::eval
