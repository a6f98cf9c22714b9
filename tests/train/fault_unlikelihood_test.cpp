// The unlikelihood loss against voice-leading faults: which tokens it marks
// (those that make more faults than the written note with the notes around
// it, in crops read whole only) and the value it adds to the loss.
#include <gtest/gtest.h>

#include <cmath>

#include "train/fault_unlikelihood.h"

namespace dq::testing {
namespace {

using corpus::kFirstPitchIndex;
using corpus::kHoldIndex;
using corpus::kRestIndex;

constexpr int kLow = 40;

corpus::Vocabulary wide_vocabulary() {
  corpus::Vocabulary vocab;
  for (auto& voice : vocab) voice = {kLow, 90};
  return vocab;
}

int64_t note(int pitch) { return kFirstPitchIndex + pitch - kLow; }

// Soprano C5 -> D5 over alto F4 held; tenor and bass rest. An alto moving to
// G4 with the soprano would make parallel fifths (F4-C5, G4-D5).
torch::Tensor fifths_crop() {
  torch::Tensor tokens = torch::full({1, 4, 2}, kRestIndex, torch::kInt64);
  tokens[0][0][0] = note(72);
  tokens[0][0][1] = note(74);
  tokens[0][1][0] = note(65);
  tokens[0][1][1] = kHoldIndex;
  return tokens;
}

TEST(CoreFaultUnlikelihood, MarksTheTokensThatMakeFaultsTheWrittenNoteDoesNot) {
  const torch::Tensor tokens = fifths_crop();
  const auto faulty = train::faulty_tokens(wide_vocabulary(), tokens, tokens, torch::ones({1}, torch::kBool));
  const torch::Tensor alto = faulty[1][0][1];
  EXPECT_TRUE(alto[note(67)].item<bool>());     // G4: parallel fifths with the soprano
  EXPECT_FALSE(alto[note(69)].item<bool>());    // A4: a fifth to a fourth
  EXPECT_FALSE(alto[note(64)].item<bool>());    // E4: a fifth to a seventh, in contrary motion
  EXPECT_FALSE(alto[kHoldIndex].item<bool>());  // the written hold
  EXPECT_FALSE(alto[kRestIndex].item<bool>());
  EXPECT_TRUE(alto[note(79)].item<bool>());  // G5: a leap of more than an octave (and fifths)
  // The soprano moves over a held alto: only leaps of more than an octave.
  const torch::Tensor soprano = faulty[0][0][1];
  EXPECT_FALSE(soprano[note(76)].item<bool>());
  EXPECT_TRUE(soprano[note(86)].item<bool>());  // D6
  // A crop not read whole is not marked.
  const auto none = train::faulty_tokens(wide_vocabulary(), tokens, tokens, torch::zeros({1}, torch::kBool));
  for (const auto& voice : none) EXPECT_FALSE(voice.any().item<bool>());
}

TEST(CoreFaultUnlikelihood, TheMarksCountAgainstWhatTheNetworkReads) {
  // The network reads the soprano staying on C5 (its own draw, say): the
  // alto's G4 then makes no parallel, whatever the written soprano did.
  const torch::Tensor written = fifths_crop();
  torch::Tensor reading = written.clone();
  reading[0][0][1] = kHoldIndex;
  const auto faulty = train::faulty_tokens(wide_vocabulary(), reading, written, torch::ones({1}, torch::kBool));
  EXPECT_FALSE(faulty[1][0][1][note(67)].item<bool>());
}

TEST(CoreFaultUnlikelihood, IsMinusTheLogOfOneMinusTheMarkedProbability) {
  torch::Tensor logits = torch::tensor({{0.0F, 1.0F, 2.0F, 0.5F}, {3.0F, 0.0F, 0.0F, 0.0F}});
  torch::Tensor faulty = torch::tensor({{false, true, false, true}, {false, false, false, false}});
  const torch::Tensor p = torch::softmax(logits[0], 0);
  const double marked = p[1].item<double>() + p[3].item<double>();
  EXPECT_NEAR(train::fault_unlikelihood(logits, faulty).item<double>(), -std::log(1 - marked), 1e-5);
  EXPECT_EQ(train::fault_unlikelihood(logits, torch::zeros_like(faulty)).item<double>(), 0.0);
  // Its gradient lowers the marked tokens' logits.
  torch::Tensor weights = logits.clone().requires_grad_(true);
  train::fault_unlikelihood(weights, faulty).backward();
  EXPECT_GT(weights.grad()[0][1].item<double>(), 0);
  EXPECT_LT(weights.grad()[0][2].item<double>(), 0);
}

}  // namespace
}  // namespace dq::testing
