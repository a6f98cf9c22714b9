// Unlikelihood training against voice-leading faults (Welleck et al. 2019,
// "Neural text generation with unlikelihood training"). Bach writes a
// parallel fifth or octave about once in 2,000 notes, yet a network trained
// on his chorales by cross-entropy alone still gives such notes some
// probability at every draw, and forty Gibbs sweeps find them. For each
// target of a crop the network reads whole, the tokens that would make more
// textbook faults than the written token with the notes the network reads
// around it are marked (parallel, contrary and hidden fifths and octaves,
// leaps over an octave, as sample::VoiceLeadingPrior counts them; cadences are
// not asked), and the loss -log(1 - p(marked)) lowers their probability while
// leaving the ratios of the others as cross-entropy trains them.
#pragma once

#include <array>

#include <torch/torch.h>

#include "corpus/encoding.h"

namespace dq::train {

// Per voice [B, L, V] (bool): for every target of the crops `targets`
// [B, 4, L] whose crop is `whole` [B] (bool), the tokens that would make more
// faults than the target with the notes of `reading` [B, 4, L] around it (what
// the network reads of the crop; every position known); false elsewhere.
std::array<torch::Tensor, music::kNumVoices> faulty_tokens(const corpus::Vocabulary& vocab,
                                                           const torch::Tensor& reading, const torch::Tensor& targets,
                                                           const torch::Tensor& whole);

// The sum over the rows of `faulty` [N, V] that mark a token of
// -log(1 - p(marked)), p the softmax of `logits` [N, V].
torch::Tensor fault_unlikelihood(const torch::Tensor& logits, const torch::Tensor& faulty);

}  // namespace dq::train
