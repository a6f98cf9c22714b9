// What the chorale style and the string-quartet styles of one model are
// sampled with by default: the voice-leading prior (the chorale's, or none),
// and in a harmonized melody the chorale's phrases and shared rests, or a
// quartet's free accompaniment without fermatas.
#include <gtest/gtest.h>

#include "corpus/encoding.h"
#include "io/score_file.h"
#include "model/model.h"
#include "sample/compose.h"
#include "sample/sampler.h"
#include "support/core_test_util.h"

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

}  // namespace
}  // namespace dq::testing
