// What the chorale style and the string-quartet styles of one model are
// sampled with by default: the voice-leading prior (the chorale's, or none),
// and in a harmonized melody the chorale's phrases and shared rests, or a
// quartet's free accompaniment without fermatas; and style guidance, which
// only the quartet styles take.
#include <gtest/gtest.h>

#include "corpus/encoding.h"
#include "io/score_file.h"
#include "model/model.h"
#include "sample/compose.h"
#include "sample/sampler.h"
#include "support/core_test_util.h"
#include "util/error.h"

namespace dq::testing {
namespace {

using music::Score;

TEST(CoreSampleDefaults, TheChoralePriorIsTheChoraleStylesOnly) {
  model::ModelConfig c = fixture_config(corpus::kNumMetaChannels);
  c.styles = {"bach", "haydn"};
  model::Model m = model::Model::create(c);
  EXPECT_DOUBLE_EQ(sample::default_voice_leading(m, 0), sample::kChoralePriorNats);
  EXPECT_DOUBLE_EQ(sample::default_voice_leading(m, 1), 0.0);
  // Sampling with the default options is sampling with the style's own prior.
  const Score chorale = io::read_score(chorale_path());
  const sample::FixedMask free = sample::no_fixed(chorale.length());
  sample::SampleOptions by_style;
  by_style.iterations = 2;
  by_style.threads = 1;
  for (int style : {0, 1}) {
    sample::SampleOptions explicit_prior = by_style;
    explicit_prior.voice_leading_penalty = style == 0 ? sample::kChoralePriorNats : 0.0;
    const Score a = sample::sample(m, {chorale}, {free}, style, by_style)[0];
    const Score b = sample::sample(m, {chorale}, {free}, style, explicit_prior)[0];
    EXPECT_TRUE(a.same_music(b)) << "style " << style;
  }
}

TEST(CoreSampleDefaults, AQuartetHarmonizationHasNoChoraleFermatasAndPlaysOnUnderRests) {
  model::ModelConfig c = fixture_config(corpus::kNumMetaChannels);
  c.styles = {"bach", "haydn"};
  model::Model m = model::Model::create(c);
  Score melody = io::read_score(melody_path());
  for (music::TickMeta& tick : melody.meta) tick.fermata = false;  // none in the file
  // A rest in the melody: its third note.
  const std::vector<music::Note> notes = music::voice_notes(melody, 0);
  ASSERT_GT(notes.size(), 3u);
  const music::Note rested = notes[2];
  for (int t = rested.start; t < rested.start + rested.length; ++t) melody.voices[0][t] = music::kRest;
  sample::SampleOptions o;
  o.iterations = 2;
  o.threads = 1;
  sample::ReharmonizeRequest quartet;
  quartet.style = "haydn";
  sample::ReharmonizeReport report;
  const Score out = sample::reharmonize(m, melody, quartet, o, &report)[0];
  EXPECT_EQ(report.fermata_count, 0);
  EXPECT_FALSE(report.fermatas_inferred);
  EXPECT_EQ(out.ensemble, music::Ensemble::kStringQuartet);
  int sounding_under_the_rest = 0;
  for (int v = 1; v < music::kNumVoices; ++v)
    for (int t = rested.start; t < rested.start + rested.length; ++t)
      sounding_under_the_rest += out.voices[v][t] != music::kRest;
  EXPECT_GT(sounding_under_the_rest, 0);
  // The chorale style of the same model infers its phrases and rests with the melody.
  sample::ReharmonizeRequest chorale;
  const Score sung = sample::reharmonize(m, melody, chorale, o, &report)[0];
  EXPECT_GT(report.fermata_count, 0);
  for (int v = 1; v < music::kNumVoices; ++v)
    for (int t = rested.start; t < rested.start + rested.length; ++t) EXPECT_EQ(sung.voices[v][t], music::kRest);
}

// An untrained fast model with the chorale style, one composer and the reference style.
model::Model quartet_model() {
  model::ModelConfig c = fixture_config(corpus::kNumMetaChannels);
  c.styles = {"bach", "haydn", sample::kReferenceStyle};
  return model::Model::create(c);
}

sample::SampleOptions guided(double guidance) {
  sample::SampleOptions o;
  o.iterations = 3;
  o.threads = 1;
  o.style_guidance = guidance;
  return o;
}

TEST(CoreStyleGuidance, MovesTheMusicAwayFromTheReferenceStyle) {
  model::Model m = quartet_model();
  const Score chorale = io::read_score(chorale_path());
  const sample::FixedMask free = sample::no_fixed(chorale.length());
  const Score plain = sample::sample(m, {chorale}, {free}, 1, guided(0))[0];
  const Score strong = sample::sample(m, {chorale}, {free}, 1, guided(2))[0];
  EXPECT_EQ(music::validate(strong), "");
  EXPECT_FALSE(plain.same_music(strong));
}

// Where the composer's style token reads as the reference's, the guided logits
// are the plain ones bit for bit: the second network run (the reference
// track) reads the same tokens at every step as the first.
TEST(CoreStyleGuidance, IsExactlyOffWhenTheStylesReadAlike) {
  model::Model m = quartet_model();
  torch::NoGradGuard no_grad;
  const std::string style_table = "meta_embeddings." + std::to_string(corpus::kStyle) + ".weight";
  bool found = false;
  for (auto& p : m.fast->named_parameters()) {
    if (p.key() != style_table) continue;
    p.value()[2].copy_(p.value()[3]);  // haydn's row (1 + its index) reads as the reference's
    found = true;
  }
  ASSERT_TRUE(found);
  const Score chorale = io::read_score(chorale_path());
  const sample::FixedMask free = sample::no_fixed(chorale.length());
  const Score plain = sample::sample(m, {chorale}, {free}, 1, guided(0))[0];
  const Score strong = sample::sample(m, {chorale}, {free}, 1, guided(2))[0];
  EXPECT_TRUE(plain.same_music(strong));
}

// A composer's quartet style is sampled by default with the chronological
// pass alone, in score order, and style guidance (1; Mozart's 0.75); the
// chorale style with 40 sweeps after a pass in a random order, unguided.
TEST(CoreStyleGuidance, TheStylesOwnSweepsOrderAndGuidanceAreTheDefault) {
  model::ModelConfig c = fixture_config(corpus::kNumMetaChannels);
  c.styles = {"bach", "haydn", sample::kReferenceStyle, "mozart"};
  c.masking = 0.5;  // so that sampling starts chronologically
  model::Model m = model::Model::create(c);
  EXPECT_DOUBLE_EQ(sample::default_style_guidance(m, 3), 0.75);
  EXPECT_EQ(sample::default_sweeps(m, 0, true), 40);
  EXPECT_EQ(sample::default_sweeps(m, 1, true), 1);
  EXPECT_EQ(sample::default_sweeps(m, 1, false), 40);
  EXPECT_DOUBLE_EQ(sample::default_style_guidance(m, 0), 0.0);
  EXPECT_DOUBLE_EQ(sample::default_style_guidance(m, 1), 1.0);
  EXPECT_DOUBLE_EQ(sample::default_style_guidance(m, 2), 0.0);
  EXPECT_EQ(sample::default_pass_order(m, 0), sample::PassOrder::kRandom);
  EXPECT_EQ(sample::default_pass_order(m, 1), sample::PassOrder::kScore);
  EXPECT_EQ(sample::default_pass_order(m, 2), sample::PassOrder::kScore);
  const Score chorale = io::read_score(chorale_path());
  const sample::FixedMask free = sample::no_fixed(chorale.length());
  sample::SampleOptions by_style;
  by_style.threads = 1;
  for (int style : {0, 1}) {
    sample::SampleOptions spelled_out = by_style;
    spelled_out.iterations = style == 0 ? 40 : 1;
    spelled_out.style_guidance = style == 0 ? 0.0 : 1.0;
    spelled_out.pass_order = style == 0 ? sample::PassOrder::kRandom : sample::PassOrder::kScore;
    const Score a = sample::sample(m, {chorale}, {free}, style, by_style)[0];
    const Score b = sample::sample(m, {chorale}, {free}, style, spelled_out)[0];
    EXPECT_TRUE(a.same_music(b)) << "style " << style;
    // The other order is other music.
    spelled_out.pass_order = style == 0 ? sample::PassOrder::kScore : sample::PassOrder::kRandom;
    EXPECT_FALSE(a.same_music(sample::sample(m, {chorale}, {free}, style, spelled_out)[0])) << "style " << style;
  }
}

TEST(CoreStyleGuidance, OnlyForAComposersStyleOfAModelWithTheReference) {
  model::Model m = quartet_model();
  const Score chorale = io::read_score(chorale_path());
  const sample::FixedMask free = sample::no_fixed(chorale.length());
  EXPECT_THROW(sample::sample(m, {chorale}, {free}, 0, guided(1)), Error);  // bach
  EXPECT_THROW(sample::sample(m, {chorale}, {free}, 2, guided(1)), Error);  // the reference itself
  model::ModelConfig c = fixture_config(corpus::kNumMetaChannels);
  c.styles = {"bach", "haydn"};
  model::Model without_reference = model::Model::create(c);
  EXPECT_THROW(sample::sample(without_reference, {chorale}, {free}, 1, guided(1)), Error);
}

}  // namespace
}  // namespace dq::testing
