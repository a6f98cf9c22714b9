// The exact Gibbs sweep of the "fast" preset, through model::FastNetStepper
// (the network one tick at a time).
//
// Sweeps alternate direction. A left-to-right sweep reads the future of
// every tick from the backward LSTM states recorded by the previous sweep
// (the ticks to the right have not changed since), resamples the four voices
// of a tick one after another (in random order; the first sweep in score
// order with PassOrder::kScore) through their heads, and
// advances the forward LSTM by that tick, recording the past of every tick. A
// right-to-left sweep does the mirror image with the recorded past. So each
// sweep is a true Gibbs scan at the cost of one LSTM step per tick, and a
// region regeneration only sweeps the region. The parts of the heads that do
// not change within a sweep are computed for all ticks at once. With
// options.keep_rhythm (the caller sets it only after a chronological start,
// which the first sweep draws) the later sweeps keep the rhythm outside the
// cadences (SampleOptions::keep_rhythm). With style guidance the network is
// stepped a second time, under the reference style, over the same tokens,
// and every draw reads the guided logits (SampleOptions::style_guidance).
#pragma once

#include <random>

#include "model/fast_net.h"
#include "sample/schedule.h"

namespace dq::sample {

void sweep_sample(model::FastNetImpl& net, SamplingState& state, const SampleOptions& options, std::mt19937_64& rng);

}  // namespace dq::sample
