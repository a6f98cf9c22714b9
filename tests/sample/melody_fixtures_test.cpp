// The tunes of tests/fixtures/melodies (public-domain melodies encoded for
// these tests) harmonized by the shipped model as a user would (defaults):
// 6/8 with a pickup, 9/8, 12/8, 2/2, 3/2 with a rest at a phrase end, a wide
// range that must be transposed, a Dorian tune, a tune of 300 notes and
// more, a MusicXML tune with breath marks and a double bar, and an unmetered
// chant. Each must come back in its meter with the melody note for note (up
// to the reported transposition) and spelled as the file spells it,
// fermatas at the file's phrase marks, no chord attacked under the melody's
// rests, and the last chord on the tonic where the tune ends on it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "eval/melody_report.h"
#include "eval/progression.h"
#include "io/kern_reader.h"
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

Score read_tune(const std::string& file) { return io::read_score(std::string(DQ_FIXTURES) + "/melodies/" + file); }

// `input` harmonized with the defaults (seed 11, one thread).
Score harmonize(const Score& input, sample::ReharmonizeReport* report = nullptr,
                const sample::ReharmonizeRequest& request = {}) {
  sample::SampleOptions options;
  options.seed = 11;
  options.threads = 1;
  return sample::reharmonize(shipped_model(), input, request, options, report).at(0);
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
  const Score input = read_tune(tune.file);
  ASSERT_FALSE(input.phrase_ends.empty());
  sample::ReharmonizeReport report;
  const Score out = harmonize(input, &report);
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

  // The final chord, where the tune ends on the tonic of the key found or on
  // its third.
  const std::vector<music::Note> melody = music::voice_notes(out, 0);
  const int degree = (melody.back().pitch - music::tonic_pitch_class(report.key) + 12) % 12;
  const bool ends_on_tonic = degree == 0 || degree == 4 || (degree == 3 && report.key.mode == music::Mode::kMinor);
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
                                           Tune{"old-hundredth-2-2.krn", {2, 2}, 4, false},
                                           Tune{"silent-night-12-8.krn", {12, 8}, 6, false},
                                           Tune{"drunken-sailor-dorian.krn", {2, 4}, 2, false},
                                           Tune{"anacreon-wide-range.krn", {3, 4}, 5, true},
                                           Tune{"g-minor-breath-marks.musicxml", {4, 4}, 4, false}),
                         [](const ::testing::TestParamInfo<Tune>& info) {
                           std::string name;
                           for (char c : info.param.file.substr(0, info.param.file.find('.')))
                             if (std::isalnum(static_cast<unsigned char>(c))) name += c;
                           return name;
                         });

// In 6/8, 9/8 and 12/8 the harmony moves with the dotted beat: the lower voices
// strike on the beat only (or where they enter after a rest). Where the
// chord changes then fall is measured by the melody report (README,
// "Melodies"): the tune's own eighths still make some changes off the beat.
TEST(CoreMelodyFixtures, CompoundMetersMoveWithTheDottedBeat) {
  for (const char* file : {"greensleeves-6-8.krn", "slip-jig-9-8.krn", "silent-night-12-8.krn"}) {
    SCOPED_TRACE(file);
    const Score out = harmonize(read_tune(file));
    for (int v = 1; v < music::kNumVoices; ++v) {
      for (const music::Note& note : music::voice_notes(out, v)) {
        const bool after_rest = note.start == 0 || out.voices[v][note.start - 1] == music::kRest;
        const int position = out.beat_position(note.start);
        if (!after_rest) EXPECT_EQ(position, 0) << "voice " << v << " note at tick " << note.start;
      }
    }
  }
}

// Chant, as it is often transcribed: no regular meter (one bar per phrase,
// from 10/4 to 31/4), a B-flat signature that comes and goes, Dorian, three
// verses (281 notes), no phrase marks. Harmonized without an error, every
// bar line a breath (a fermata), the melody kept, the final on the tonic.
TEST(CoreMelodyFixtures, UnmeteredChantBreathesAtItsBarLines) {
  const Score input = read_tune("chant-unmetered-dorian.krn");
  ASSERT_GE(music::voice_notes(input, 0).size(), 280u);
  ASSERT_EQ(input.meta.front().key.fifths, 0);
  ASSERT_TRUE(std::any_of(input.meta.begin(), input.meta.end(), [](const auto& m) { return m.key.fifths == -1; }));
  ASSERT_TRUE(std::any_of(input.meta.begin(), input.meta.end(), [](const auto& m) {
    return m.time == music::TimeSignature{31, 4};
  }));
  sample::ReharmonizeReport report;
  const Score out = harmonize(input, &report);
  ASSERT_EQ(music::validate(out), "");
  for (int t = 0; t < input.length(); ++t) ASSERT_EQ(out.meta[t].time, input.meta[t].time) << "tick " << t;
  EXPECT_EQ(out.voices[0], music::transpose(input, report.transposition).voices[0]);
  EXPECT_TRUE(report.fermatas_inferred);
  EXPECT_TRUE(report.fermatas_at_bar_lines);
  EXPECT_EQ(report.fermata_count, input.bar_count());
  EXPECT_EQ(music::tonic_pitch_class(report.key), 2) << music::key_name(report.key);  // D
  EXPECT_EQ(eval::attacks_under_melody_rests(out), 0);
  EXPECT_EQ(eval::final_chord(out, report.key), eval::FinalChord::kTonic);
}

// A tune that ends on the third of its key closes on the tonic chord, as one
// that ends on the tonic does: the bass sounds the tonic under it.
TEST(CoreMelodyFixtures, ATuneEndingOnTheThirdClosesOnTheTonic) {
  const Score input = io::parse_kern(
      "**kern\n*k[]\n*M4/4\n=1\n4c\n4d\n4e\n4f\n=2\n4g\n4a\n4g\n4f\n=3\n4e\n4d\n2c\n"
      "=4\n4g\n4f\n4d\n4f\n=5\n4e\n4d\n2e\n==\n*-\n",
      "ends-on-the-third.krn");
  sample::ReharmonizeRequest request;
  request.key = music::KeySignature{0, music::Mode::kMajor};
  sample::ReharmonizeReport report;
  const Score out = harmonize(input, &report, request);
  EXPECT_TRUE(report.final_bass_fixed);
  EXPECT_EQ(out.voices[3][out.length() - 8] % 12, 0);
  EXPECT_EQ(eval::final_chord(out, request.key.value()), eval::FinalChord::kTonic);
}

// Every melody of ../shared/corpus/melodies (MIDI, MusicXML, kern; 4/4, 3/4,
// 6/8, 9/8 and changing meters) as the melody report harmonizes it: each one
// harmonized, kept note for note and spelled as its file spells it, on the
// tonic at the end where the tune ends on it, nothing attacked under its
// rests.
TEST(CoreMelodyFixtures, EveryCorpusMelodyIsHarmonizedAsAChoirWouldSingIt) {
  eval::MelodyReportOptions options;
  options.melodies = std::string(DQ_CORPUS) + "/melodies";
  if (!std::filesystem::is_directory(options.melodies)) GTEST_SKIP() << "no melodies at " << options.melodies;
  options.sampling.threads = 1;
  options.progress = false;
  const eval::MelodyReport report = eval::run_melody_report(shipped_model(), "bach.dqm", options);
  EXPECT_GE(report.melodies.size(), 15u);
  for (const eval::MelodyResult& m : report.melodies) {
    SCOPED_TRACE(m.file);
    ASSERT_EQ(m.error, "");
    EXPECT_TRUE(m.melody_kept);
    EXPECT_TRUE(m.spelling_kept);
    EXPECT_EQ(m.attacks_under_rests, 0);
    if (m.tune_ends_on_tonic) EXPECT_GT(m.tonal.final_on_tonic, 0);
  }
}

TEST(CoreMelodyFixtures, TheLongTuneHasThreeHundredNotes) {
  const Score input = read_tune("greensleeves-five-verses.krn");
  EXPECT_GE(music::voice_notes(input, 0).size(), 300u);
}

}  // namespace
}  // namespace dq::testing
