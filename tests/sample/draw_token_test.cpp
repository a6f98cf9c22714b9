// The draw every sampler makes at every position (sample/schedule.h): what
// may never be drawn, how temperature and the voice-leading prior combine
// (the product of the two tempered as a whole), and the temperature schedule.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "sample/schedule.h"

namespace dq::sample {
namespace {

constexpr int kLow = 48;

corpus::Vocabulary vocabulary() {
  corpus::Vocabulary vocab;
  for (auto& v : vocab) v = {kLow, 84};
  return vocab;
}

int64_t pitch(int midi) { return corpus::kFirstPitchIndex + midi - kLow; }

// One piece of two ticks: the soprano sings C4 (60) and then the tick being
// drawn; the other voices rest. START and END around.
std::vector<int64_t> piece(int64_t first_soprano_token) {
  std::vector<int64_t> rows;
  for (int v = 0; v < 4; ++v) {
    rows.insert(rows.end(), {corpus::kStartIndex, v == 0 ? first_soprano_token : corpus::kRestIndex, corpus::kRestIndex,
                             corpus::kEndIndex});
  }
  return rows;
}

// How often each index is drawn from `logits` in `draws` draws.
std::vector<int> histogram(const std::vector<float>& logits, double temperature, const VoiceLeadingPrior& prior,
                           const std::vector<int64_t>& rows, int draws) {
  std::mt19937_64 rng(5);
  std::vector<int> count(logits.size());
  for (int i = 0; i < draws; ++i) {
    std::vector<float> row = logits;
    ++count[draw_token(row.data(), static_cast<int64_t>(row.size()), temperature, prior, rows.data(), nullptr, 4, 0, 2,
                       rng)];
  }
  return count;
}

TEST(CoreDrawToken, NeverDrawsWhatCannotBeWrittenThere) {
  const corpus::Vocabulary vocab = vocabulary();
  const VoiceLeadingPrior prior(vocab, 0.0f);
  // Every index equally likely; after a rest a hold cannot follow, and the
  // special symbols never come.
  std::vector<float> flat(vocab[0].size(), 0.0f);
  std::vector<int> count = histogram(flat, 1.0, prior, piece(corpus::kRestIndex), 3000);
  for (int i = 0; i < corpus::kRestIndex; ++i) EXPECT_EQ(count[i], 0) << "special symbol " << i;
  EXPECT_EQ(count[corpus::kHoldIndex], 0);
  EXPECT_GT(count[corpus::kRestIndex], 0);
  // After a note a hold may follow.
  count = histogram(flat, 1.0, prior, piece(pitch(60)), 3000);
  EXPECT_GT(count[corpus::kHoldIndex], 0);
}

TEST(CoreDrawToken, TemperatureFlattensTheModelAndThePrior) {
  const corpus::Vocabulary vocab = vocabulary();
  std::vector<float> logits(vocab[0].size(), -1e30f);
  const int64_t step = pitch(62), leap = pitch(74);  // from C4: a tone, or a ninth
  const int64_t octave_leap = pitch(73);             // C#5: beyond an octave, a fault
  constexpr int kDraws = 40000;
  // The model alone at temperature 2: log-odds 2 become 1.
  logits[step] = 2.0f;
  logits[leap] = 0.0f;
  std::vector<int> count = histogram(logits, 2.0, VoiceLeadingPrior(vocab, 0.0f), piece(pitch(60)), kDraws);
  EXPECT_NEAR(std::log(static_cast<double>(count[step]) / count[leap]), 1.0, 0.05);
  // Equal logits, one candidate a fault: the prior's 4 nats become 2 at
  // temperature 2.
  logits[leap] = -1e30f;
  logits[step] = 0.0f;
  logits[octave_leap] = 0.0f;
  const VoiceLeadingPrior prior(vocab, 4.0f);
  std::vector<int64_t> rows = piece(pitch(60));
  ASSERT_EQ(prior.faults(rows.data(), nullptr, 4, 0, 2, static_cast<int>(octave_leap)), 1);
  ASSERT_EQ(prior.faults(rows.data(), nullptr, 4, 0, 2, static_cast<int>(step)), 0);
  count = histogram(logits, 2.0, prior, rows, kDraws);
  EXPECT_NEAR(std::log(static_cast<double>(count[step]) / count[octave_leap]), 2.0, 0.1);
}

TEST(CoreTemperatureSchedule, AnnealsToTheTargetHalfwayAndASinglePassIsDrawnAtIt) {
  SampleOptions o;
  o.start_temperature = 1.2;
  o.temperature = 0.8;
  EXPECT_DOUBLE_EQ(temperature_at(o, 0, 10), 1.2);
  EXPECT_GT(temperature_at(o, 2, 10), 0.8);
  EXPECT_LT(temperature_at(o, 2, 10), 1.2);
  EXPECT_NEAR(temperature_at(o, 5, 10), 0.8, 1e-12);
  EXPECT_DOUBLE_EQ(temperature_at(o, 9, 10), 0.8);
  EXPECT_DOUBLE_EQ(temperature_at(o, 0, 1), 0.8);
}

}  // namespace
}  // namespace dq::sample
