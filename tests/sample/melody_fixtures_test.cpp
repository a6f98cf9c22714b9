// The tunes of tests/fixtures/melodies (public-domain melodies encoded for
// these tests) harmonized by the shipped model as a user would (defaults):
// 6/8 with a pickup, 9/8, 3/2 with a rest at a phrase end, a wide range that
// must be transposed, a Dorian tune, a tune of 300 notes and more, and a
// MusicXML tune with breath marks and a double bar. Each must come back in
// its meter with the melody note for note (up to the reported transposition)
// and spelled as the file spells it, fermatas at the file's phrase marks, no
// chord attacked under the melody's rests, and the last chord on the tonic
// where the tune ends on it.
#include <gtest/gtest.h>

#include <cctype>

#include "eval/melody_report.h"
#include "eval/progression.h"
#include "io/musicxml_reader.h"
#include "io/musicxml_writer.h"
#include "io/score_file.h"
#include "model/model.h"
#include "music/pitch.h"
#include "music/spelling.h"
#include "music/transpose.h"
#include "sample/compose.h"

namespace dq::testing {
namespace {

using music::Score;

model::Model& shipped_model() {
  static model::Model model = model::load_model(std::string(DQ_FIXTURES) + "/../../models/bach.dqm");
  return model;
}

struct Tune {
  std::string file;
  music::TimeSignature meter;
  int fermatas;  // at the phrase marks, the last note's included
  bool transposed;
};

class CoreMelodyFixtures : public ::testing::TestWithParam<Tune> {};

TEST_P(CoreMelodyFixtures, HarmonizedAsAChoirWouldSingIt) {
  const Tune& tune = GetParam();
  const Score input = io::read_score(std::string(DQ_FIXTURES) + "/melodies/" + tune.file);
  ASSERT_FALSE(input.phrase_ends.empty());
  sample::SampleOptions options;
  options.seed = 11;
  options.threads = 1;
  sample::ReharmonizeReport report;
  const Score out = sample::reharmonize(shipped_model(), input, {}, options, &report).at(0);
  ASSERT_EQ(music::validate(out), "");

  // Meter, melody and spelling.
  ASSERT_EQ(out.length(), input.length());
  for (int t = 0; t < input.length(); ++t) ASSERT_EQ(out.meta[t].time, tune.meter) << "tick " << t;
  EXPECT_EQ(report.transposition != 0, tune.transposed) << report.transposition;
  const Score moved = music::transpose(input, report.transposition);
  EXPECT_EQ(out.voices[0], moved.voices[0]);
  const Score written = io::parse_musicxml(io::to_musicxml(out), tune.file + " (written)");
  EXPECT_EQ(music::spell_notes(written)[0], music::spell_notes(moved)[0]);
  EXPECT_EQ(written.letters[0], moved.letters[0]);

  // Phrases and rests.
  EXPECT_TRUE(report.fermatas_from_phrase_marks);
  EXPECT_EQ(report.fermata_count, tune.fermatas);
  EXPECT_EQ(eval::attacks_under_melody_rests(out), 0);

  // The final chord, where the tune ends on the tonic of the key found.
  const std::vector<music::Note> melody = music::voice_notes(out, 0);
  const bool ends_on_tonic = melody.back().pitch % 12 == music::tonic_pitch_class(report.key);
  EXPECT_EQ(report.final_bass_fixed, ends_on_tonic);
  if (ends_on_tonic) {
    EXPECT_EQ(eval::final_chord(out, report.key), eval::FinalChord::kTonic) << music::key_name(report.key);
  }
}

INSTANTIATE_TEST_SUITE_P(Tunes, CoreMelodyFixtures,
                         ::testing::Values(Tune{"greensleeves-6-8.krn", {6, 8}, 4, false},
                                           Tune{"greensleeves-five-verses.krn", {6, 8}, 20, false},
                                           Tune{"slip-jig-9-8.krn", {9, 8}, 2, false},
                                           Tune{"hymn-3-2.krn", {3, 2}, 2, false},
                                           Tune{"drunken-sailor-dorian.krn", {2, 4}, 2, false},
                                           Tune{"anacreon-wide-range.krn", {3, 4}, 5, true},
                                           Tune{"g-minor-breath-marks.musicxml", {4, 4}, 4, false}),
                         [](const ::testing::TestParamInfo<Tune>& info) {
                           std::string name;
                           for (char c : info.param.file.substr(0, info.param.file.find('.')))
                             if (std::isalnum(static_cast<unsigned char>(c))) name += c;
                           return name;
                         });

TEST(CoreMelodyFixtures, TheLongTuneHasThreeHundredNotes) {
  const Score input = io::read_score(std::string(DQ_FIXTURES) + "/melodies/greensleeves-five-verses.krn");
  EXPECT_GE(music::voice_notes(input, 0).size(), 300u);
}

}  // namespace
}  // namespace dq::testing
