// Masked training and what it allows: crops with hidden positions, crops
// aligned with a piece's ends, the warm start of a model that reads one more
// metadata channel or comes from a larger corpus, and the chronological start of the sweep sampler, which
// must never change a fixed note.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "corpus/dataset.h"
#include "io/score_file.h"
#include "model/batches.h"
#include "model/model.h"
#include "model/scoring.h"
#include "sample/sampler.h"
#include "support/core_test_util.h"
#include "train/trainer.h"
#include "util/error.h"

namespace dq::testing {
namespace {

using music::Score;

corpus::Dataset chorale_dataset(const TempDir& dir) {
  corpus::DatasetOptions o;
  o.roots = {chorale_path()};
  o.cache_dir = dir.file("cache");
  o.progress = false;
  return corpus::build_dataset(o);
}

TEST(CoreMaskCrops, HidesOnlyNotesRestsAndHoldsAndNothingWithoutMasking) {
  TempDir dir("mask_crops");
  model::SplitView split(chorale_dataset(dir).train);
  std::mt19937_64 rng(3);
  auto [tokens, meta] = model::sample_crops(split, 64, 80, rng);  // longer than a piece: padding too
  EXPECT_TRUE(torch::equal(model::mask_crops(tokens, 0.0, rng), tokens));
  torch::Tensor masked = model::mask_crops(tokens, 1.0, rng);
  torch::Tensor special = tokens < corpus::kRestIndex;
  EXPECT_TRUE(torch::equal(masked.masked_select(special), tokens.masked_select(special)));
  torch::Tensor hidden = masked != tokens;
  EXPECT_TRUE((masked.masked_select(hidden) == corpus::kMaskIndex).all().item<bool>());
  const double fraction = hidden.sum().item<double>() / (~special).sum().item<double>();
  EXPECT_GT(fraction, 0.2);
  EXPECT_LT(fraction, 0.8);
  // Some crops are chronological: a voice hidden from some tick to the end of the crop.
  int chronological = 0;
  for (int64_t b = 0; b < masked.size(0); ++b) {
    torch::Tensor row = hidden[b][0];
    const int64_t first = row.nonzero().numel() > 0 ? row.nonzero()[0].item<int64_t>() : -1;
    if (first < 0) continue;
    torch::Tensor after =
        row.narrow(0, first, row.size(0) - first) | special[b][0].narrow(0, first, row.size(0) - first);
    if (after.all().item<bool>() && first > 1) ++chronological;
  }
  EXPECT_GT(chronological, 0);
}

TEST(CoreMaskCrops, EdgeCropsStartOrEndWithThePiece) {
  TempDir dir("edge_crops");
  model::SplitView split(chorale_dataset(dir).train);
  std::mt19937_64 rng(5);
  auto [tokens, meta] = model::sample_crops(split, 200, 24, rng, 1.0);
  int starts = 0, ends = 0;
  for (int64_t b = 0; b < tokens.size(0); ++b) {
    const bool start = tokens[b][0][0].item<int64_t>() == corpus::kStartIndex;
    const bool end = tokens[b][0][23].item<int64_t>() == corpus::kEndIndex;
    EXPECT_TRUE(start || end) << "crop " << b;
    starts += start;
    ends += end;
  }
  EXPECT_GT(starts, 60);
  EXPECT_GT(ends, 60);
}

TEST(CoreWarmStart, AModelWithANewMetadataChannelComputesWhatItsSourceComputed) {
  TempDir dir("warm_start");
  model::SplitView split(chorale_dataset(dir).train);
  auto [tokens, meta] = model::whole_sequences(split, 0, split.starts.size());
  torch::manual_seed(11);
  model::Model source = model::Model::create(fixture_config(corpus::kNumMetaChannels - 1));
  model::Model target = model::Model::create(fixture_config(corpus::kNumMetaChannels));
  model::warm_start(target, source, "source.dqm");
  source.module().eval();
  target.module().eval();
  torch::NoGradGuard no_grad;
  auto before = source.fast->forward(tokens, meta);
  auto after = target.fast->forward(tokens, meta);
  for (int v = 0; v < music::kNumVoices; ++v) EXPECT_TRUE(torch::allclose(before[v], after[v], 1e-6, 1e-6)) << v;
  // Another vocabulary cannot be carried over.
  model::ModelConfig other = fixture_config(corpus::kNumMetaChannels);
  other.vocab[1].high += 1;
  model::Model wider = model::Model::create(other);
  EXPECT_THROW(model::warm_start(wider, source, "source.dqm"), Error);
}

TEST(CoreChronologicalLikelihood, EachVariableSeesOnlyThePastAndTheVoicesAboveIt) {
  TempDir dir("chronological_nll");
  model::SplitView split(chorale_dataset(dir).train);
  auto [tokens, meta] = model::whole_sequences(split, 0, 1);
  torch::manual_seed(4);
  model::ModelConfig config = fixture_config(corpus::kNumMetaChannels);
  model::Model m = model::Model::create(config);
  m.module().eval();
  torch::NoGradGuard no_grad;
  const int64_t t0 = 30;
  auto before = m.fast->chronological(tokens, meta);
  // Change the future of every voice and, at t0, the alto (voice 1).
  torch::Tensor changed = tokens.clone();
  changed.narrow(2, t0 + 1, 20).fill_(corpus::kHoldIndex);
  changed[0][1][t0] = corpus::kRestIndex;
  auto after = m.fast->chronological(changed, meta);
  for (int v = 0; v < music::kNumVoices; ++v) {
    const int64_t L = tokens.size(2);
    torch::Tensor a = before[v].reshape({L, -1}), b = after[v].reshape({L, -1});
    EXPECT_TRUE(torch::equal(a.narrow(0, 0, t0), b.narrow(0, 0, t0))) << "voice " << v << " before t0";
    const bool may_change = v > 1;  // the tenor and the bass hear the alto at t0
    EXPECT_EQ(torch::equal(a[t0], b[t0]), !may_change) << "voice " << v << " at t0";
  }
  // The likelihood needs masked training.
  EXPECT_THROW(model::chronological_nll(m, split), Error);
  m.config.masking = 0.5;
  model::ChronologicalScore score = model::chronological_nll(m, split);
  EXPECT_EQ(score.variables, 4 * 64);
  EXPECT_GT(score.mean_nll, 0);
}

TEST(CoreChronologicalLikelihood, AKnownVoiceIsHeardInTheFutureAndTheOthersAreNot) {
  TempDir dir("chronological_known");
  model::SplitView split(chorale_dataset(dir).train);
  auto [tokens, meta] = model::whole_sequences(split, 0, 1);
  torch::manual_seed(5);
  model::Model m = model::Model::create(fixture_config(corpus::kNumMetaChannels));
  m.module().eval();
  torch::NoGradGuard no_grad;
  const int64_t t0 = 30, L = tokens.size(2);
  const torch::Tensor soprano_known = torch::tensor({true, false, false, false}).reshape({1, 4});
  auto before = m.fast->chronological(tokens, meta, soprano_known);
  // The alto's future is hidden: changing it changes nothing up to t0.
  torch::Tensor alto_changed = tokens.clone();
  alto_changed[0][1].narrow(0, t0 + 1, 20).fill_(corpus::kRestIndex);
  auto after_alto = m.fast->chronological(alto_changed, meta, soprano_known);
  // The soprano is known throughout: its future is heard at t0 by every other voice.
  torch::Tensor soprano_changed = tokens.clone();
  soprano_changed[0][0].narrow(0, t0 + 1, 20).fill_(corpus::kRestIndex);
  auto after_soprano = m.fast->chronological(soprano_changed, meta, soprano_known);
  for (int v = 0; v < music::kNumVoices; ++v) {
    torch::Tensor a = before[v].reshape({L, -1});
    EXPECT_TRUE(torch::equal(a.narrow(0, 0, t0 + 1), after_alto[v].reshape({L, -1}).narrow(0, 0, t0 + 1))) << v;
    EXPECT_FALSE(torch::equal(a[t0], after_soprano[v].reshape({L, -1})[t0])) << v;
  }
  // With no voice known it is the likelihood's factorization.
  auto none = m.fast->chronological(tokens, meta, torch::zeros({1, 4}, torch::kBool));
  auto plain = m.fast->chronological(tokens, meta);
  for (int v = 0; v < music::kNumVoices; ++v) EXPECT_TRUE(torch::equal(none[v], plain[v])) << v;
}

TEST(CoreChronologicalTraining, TrainsAndIsStoredInTheModelFile) {
  TempDir dir("chronological_training");
  // Two threads: each thread's part has chronological and masked crops.
  train::TrainOptions o = tiny_training(dir, "chronological.dqm", 6, 2);
  o.config.chronological = 0.5;
  train::TrainResult r = train::train(o);
  EXPECT_EQ(r.steps, 6);
  EXPECT_TRUE(std::isfinite(r.best.mean_loss()));
  model::Model m = model::load_model(o.output);
  EXPECT_DOUBLE_EQ(m.config.chronological, 0.5);
  EXPECT_TRUE(m.trained_with_masks());  // so sampling starts chronologically
}

// A model of a larger corpus (wider ranges, more styles: the quartet model)
// warm-starts one of a smaller corpus (the chorales): for every token and
// style the smaller one has, it computes exactly what the larger one did.
TEST(CoreWarmStart, AModelOfALargerCorpusStartsOneOfASmallerCorpus) {
  TempDir dir("warm_start_corpus");
  model::SplitView split(chorale_dataset(dir).train);
  auto [tokens, meta] = model::whole_sequences(split, 0, 1);
  model::ModelConfig wide = fixture_config(corpus::kNumMetaChannels);
  for (int v = 0; v < music::kNumVoices; ++v) wide.vocab[v] = {wide.vocab[v].low - 2 - v, wide.vocab[v].high + 5};
  wide.styles = {"alpha", "bach", "haydn"};
  torch::manual_seed(12);
  model::Model source = model::Model::create(wide);
  model::Model target = model::Model::create(fixture_config(corpus::kNumMetaChannels));
  model::warm_start(target, source, "source.dqm");

  // The same chorale in the source's vocabulary and style values.
  torch::Tensor wide_tokens = tokens.clone(), wide_meta = meta.clone();
  for (int v = 0; v < music::kNumVoices; ++v) {
    torch::Tensor row = wide_tokens.select(1, v);
    row.copy_(torch::where(row >= corpus::kFirstPitchIndex, row + 2 + v, row));
  }
  torch::Tensor style = wide_meta.select(1, corpus::kStyle);
  style.copy_(torch::where(style > 0, style + 1, style));  // "bach": value 1 -> 2
  source.module().eval();
  target.module().eval();
  torch::NoGradGuard no_grad;
  auto before = source.fast->forward(wide_tokens, wide_meta);
  auto after = target.fast->forward(tokens, meta);
  for (int v = 0; v < music::kNumVoices; ++v) {
    const int size = target.config.voice_vocab_size(v);
    std::vector<int64_t> rows;
    for (int i = 0; i < size; ++i) rows.push_back(i < corpus::kFirstPitchIndex ? i : i + 2 + v);
    EXPECT_TRUE(torch::allclose(before[v].index_select(-1, torch::tensor(rows)), after[v], 1e-6, 1e-6)) << v;
  }

  // Neither a voice beyond the source's range nor a style it lacks.
  model::ModelConfig higher = fixture_config(corpus::kNumMetaChannels);
  higher.vocab[0].high = wide.vocab[0].high + 1;
  model::Model beyond = model::Model::create(higher);
  EXPECT_THROW(model::warm_start(beyond, source, "source.dqm"), Error);
  model::ModelConfig mozart = fixture_config(corpus::kNumMetaChannels);
  mozart.styles = {"mozart"};
  model::Model unknown = model::Model::create(mozart);
  EXPECT_THROW(model::warm_start(unknown, source, "source.dqm"), Error);
  model::ModelConfig wider_embedding = fixture_config(corpus::kNumMetaChannels);
  wider_embedding.note_embedding += 1;
  model::Model other_width = model::Model::create(wider_embedding);
  EXPECT_THROW(model::warm_start(other_width, source, "source.dqm"), Error);

  // The original preset: its output rows are carried over the same way.
  wide.preset = model::Preset::kDeepBach;
  model::ModelConfig narrow = fixture_config(corpus::kNumMetaChannels);
  narrow.preset = model::Preset::kDeepBach;
  model::Model deep_source = model::Model::create(wide), deep_target = model::Model::create(narrow);
  model::warm_start(deep_target, deep_source, "source.dqm");
  const auto source_rows = deep_source.vocabulary_rows(), target_rows = deep_target.vocabulary_rows();
  ASSERT_EQ(source_rows.size(), target_rows.size());
  for (size_t i = 0; i < target_rows.size(); ++i) {
    const int v = target_rows[i].voice;
    if (v == model::VocabularyRows::kStyleRows) {
      EXPECT_TRUE(torch::equal(target_rows[i].parameter[1], source_rows[i].parameter[2])) << i;
      continue;
    }
    const int64_t last = target_rows[i].parameter.size(0) - 1;
    EXPECT_TRUE(torch::equal(target_rows[i].parameter[last], source_rows[i].parameter[last + 2 + v])) << i;
    EXPECT_TRUE(
        torch::equal(target_rows[i].parameter[corpus::kHoldIndex], source_rows[i].parameter[corpus::kHoldIndex]))
        << i;
  }
}

// A tiny "fast" model trained briefly with masks.
model::Model& masked_model() {
  static TempDir dir("masked_model");
  static model::Model model = [] {
    train::TrainOptions o = tiny_training(dir, "masked.dqm", 5, 1);
    o.config.masking = 0.5;
    train::train(o);
    return model::load_model(o.output);
  }();
  return model;
}

// Samples the chorale with a random fraction of its positions fixed (the
// others blanked) and checks that the result is valid and keeps every fixed
// note.
void expect_fixed_notes_kept(sample::SampleOptions o, int runs_seed) {
  const Score chorale = io::read_score(chorale_path());
  ASSERT_GT(masked_model().config.masking, 0);
  std::mt19937 rng(runs_seed);
  for (int iterations : {1, 4}) {
    for (double p : {0.2, 0.7}) {
      Score s = chorale;
      sample::FixedMask fixed = sample::no_fixed(s.length());
      std::bernoulli_distribution fix(p);
      for (int v = 0; v < music::kNumVoices; ++v)
        for (int t = 0; t < s.length(); ++t) {
          fixed[v][t] = fix(rng);
          if (!fixed[v][t]) s.voices[v][t] = music::kHold;
        }
      o.iterations = iterations;
      o.threads = 1;
      o.seed = static_cast<uint64_t>(iterations * 10 + p * 10);
      Score out = sample::sample(masked_model(), {s}, {fixed}, 0, o)[0];
      EXPECT_EQ(music::validate(out), "");
      for (int v = 0; v < music::kNumVoices; ++v)
        for (int t = 0; t < s.length(); ++t)
          if (fixed[v][t]) ASSERT_EQ(out.voices[v][t], chorale.voices[v][t]) << "voice " << v << " tick " << t;
    }
  }
}

TEST(CoreChronological, TheFirstPassAndLaterSweepsNeverChangeAFixedNote) {
  sample::SampleOptions o;
  o.start = sample::Start::kChronological;
  expect_fixed_notes_kept(o, 23);
}

enum class Rhythm { kNote, kHold, kRest };
Rhythm rhythm_of(music::Token t) {
  return t == music::kHold ? Rhythm::kHold : t == music::kRest ? Rhythm::kRest : Rhythm::kNote;
}

// Where the sweeps may redraw the rhythm: under a fermata or in the quarter before it.
bool near_fermata(const Score& s, int t) {
  for (int u = t; u < std::min(s.length(), t + music::kTicksPerQuarter + 1); ++u)
    if (s.meta[u].fermata) return true;
  return false;
}

TEST(CoreChronological, LaterSweepsKeepTheFirstPassRhythmOutsideTheCadences) {
  Score chorale = io::read_score(chorale_path());
  const sample::FixedMask free = sample::no_fixed(chorale.length());
  sample::SampleOptions o;
  o.threads = 1;
  o.seed = 7;
  o.start_temperature = o.temperature = 1.0;  // a single pass is drawn at the final temperature
  o.iterations = 1;                           // the chronological pass alone
  const Score first = sample::sample(masked_model(), {chorale}, {free}, 0, o)[0];
  o.iterations = 6;  // the same first pass (same seed, same temperature), then five sweeps
  const Score kept = sample::sample(masked_model(), {chorale}, {free}, 0, o)[0];
  o.keep_rhythm = false;
  const Score redrawn = sample::sample(masked_model(), {chorale}, {free}, 0, o)[0];
  int pitches_changed = 0, rhythm_changed_when_free = 0;
  for (int v = 0; v < music::kNumVoices; ++v) {
    for (int t = 0; t < chorale.length(); ++t) {
      const bool same_rhythm = rhythm_of(kept.voices[v][t]) == rhythm_of(first.voices[v][t]);
      if (!near_fermata(chorale, t)) ASSERT_TRUE(same_rhythm) << "voice " << v << " tick " << t;
      pitches_changed += kept.voices[v][t] != first.voices[v][t];
      rhythm_changed_when_free += rhythm_of(redrawn.voices[v][t]) != rhythm_of(first.voices[v][t]);
    }
  }
  EXPECT_GT(pitches_changed, 0);  // the sweeps did redraw
  EXPECT_GT(rhythm_changed_when_free, 0);
  EXPECT_EQ(music::validate(kept), "");
}

TEST(CoreChronological, NeedsAModelTrainedWithMasks) {
  const Score chorale = io::read_score(chorale_path());
  model::Model plain = model::Model::create(fixture_config(corpus::kNumMetaChannels));
  sample::SampleOptions o;
  o.iterations = 1;
  o.start = sample::Start::kChronological;
  EXPECT_THROW(sample::sample(plain, {chorale}, {sample::no_fixed(chorale.length())}, 0, o), Error);
  o.start = sample::Start::kAuto;  // falls back to noise
  EXPECT_EQ(music::validate(sample::sample(plain, {chorale}, {sample::no_fixed(chorale.length())}, 0, o)[0]), "");
}

}  // namespace
}  // namespace dq::testing
