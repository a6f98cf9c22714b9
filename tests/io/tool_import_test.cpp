// Import of files written by other programs: Verovio (Humdrum **kern and
// MIDI, from tests/fixtures/tool_source_satb.musicxml) and LilyPond (MIDI,
// from tests/fixtures/tool_source_satb.ly). scripts/make-tool-fixtures.sh
// documents how they were made. Each must read back as exactly the music that
// was written: four voices, their pitches and durations, and the key, meter,
// bars and fermatas where the format carries them.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "io/score_file.h"
#include "music/score.h"

namespace dq::io {
namespace {

using music::KeySignature;
using music::Mode;
using music::Score;
using music::TimeSignature;

std::string fixture(const std::string& name) { return std::string(DQ_FIXTURES) + "/" + name; }

using Notes = std::vector<std::vector<int>>;  // {start tick, length in ticks, MIDI pitch}

Notes notes_of(const Score& s, int voice) {
  Notes out;
  for (const music::Note& n : music::voice_notes(s, voice)) out.push_back({n.start, n.length, n.pitch});
  return out;
}

// The music of tool_source_satb.musicxml / .ly: B-flat major, 3/4, a quarter
// pickup (ticks 0-3), bars at ticks 4, 16, 28 and 40, 48 ticks in all.
const Notes kSoprano = {{0, 4, 65},  {4, 4, 70},  {8, 4, 72},  {12, 4, 74},
                        {16, 6, 75}, {22, 2, 74}, {24, 4, 72}, {28, 16, 74},  // D5 tied over the bar line
                        {44, 4, 70}};
const Notes kAlto = {{0, 4, 62},  {4, 4, 62},  {8, 4, 65},  {12, 4, 65}, {16, 4, 67}, {20, 2, 69},
                     {22, 2, 70}, {24, 4, 69}, {32, 4, 70}, {36, 4, 69}, {40, 4, 65}, {44, 4, 65}};  // a rest at 28-31
const Notes kTenor = {{0, 4, 58},  {4, 4, 58},  {8, 4, 57},  {12, 4, 58}, {16, 4, 58},
                      {20, 2, 58}, {22, 2, 64},  // E natural
                      {24, 4, 63}, {28, 8, 62}, {36, 4, 63}, {40, 4, 60}, {44, 4, 62}};
const Notes kBass = {{0, 4, 46},  {4, 4, 43},  {8, 4, 41},  {12, 4, 46}, {16, 4, 51}, {20, 1, 50}, {21, 1, 48},
                     {22, 2, 46}, {24, 4, 53}, {28, 4, 46}, {32, 4, 50}, {36, 4, 43}, {40, 4, 41}, {44, 4, 46}};
constexpr int kLength = 48;

// The notes, exactly; `ends_rounded`: the file ends notes off the 16th grid,
// which the quantization report counts (and nothing else).
void expect_notes(const Score& s, bool ends_rounded = false) {
  EXPECT_EQ(music::validate(s), "");
  EXPECT_EQ(s.length(), kLength);
  EXPECT_EQ(notes_of(s, 0), kSoprano);
  EXPECT_EQ(notes_of(s, 1), kAlto);
  EXPECT_EQ(notes_of(s, 2), kTenor);
  EXPECT_EQ(notes_of(s, 3), kBass);
  EXPECT_EQ(s.voices[1][28], music::kRest);
  EXPECT_EQ(s.quantization.notes_read, 47);
  EXPECT_EQ(s.quantization.total_changed(), ends_rounded ? 47 : 0);
  EXPECT_EQ(s.quantization.onsets_moved, ends_rounded ? 47 : 0);
}

// B-flat major (a MIDI key signature has a mode; a kern *B-: too) and 3/4
// throughout.
void expect_key_and_meter(const Score& s) {
  for (int t = 0; t < s.length(); ++t) {
    ASSERT_EQ(s.meta[t].key, (KeySignature{-2, Mode::kMajor})) << "tick " << t;
    ASSERT_EQ(s.meta[t].time, (TimeSignature{3, 4})) << "tick " << t;
  }
}

// The pickup is measure 0, right-aligned in its bar; then bars 1-4.
void expect_bars_with_pickup(const Score& s) {
  ASSERT_EQ(s.length(), kLength);
  EXPECT_EQ(s.pickup_ticks(), 4);
  std::vector<int> measures, in_bar, expected_measures, expected_in_bar;
  for (int t = 0; t < kLength; ++t) {
    measures.push_back(s.meta[t].measure);
    in_bar.push_back(s.meta[t].tick_in_bar);
    expected_measures.push_back(t < 4 ? 0 : (t - 4) / 12 + 1);
    expected_in_bar.push_back(t < 4 ? 8 + t : (t - 4) % 12);
  }
  EXPECT_EQ(measures, expected_measures);
  EXPECT_EQ(in_bar, expected_in_bar);
}

// Fermatas on the last chord (ticks 44-47) only.
void expect_final_fermata(const Score& s) {
  std::vector<int> fermatas, expected;
  for (int t = 0; t < s.length(); ++t) {
    fermatas.push_back(s.meta[t].fermata);
    expected.push_back(t >= 44);
  }
  EXPECT_EQ(fermatas, expected);
}

void expect_part_names(const Score& s) {
  EXPECT_EQ(s.part_names, (std::array<std::string, 4>{"Soprano", "Alto", "Tenor", "Bass"}));
}

// A notated file of the fixture (MusicXML, kern): everything the reference
// holds, pickup and fermata included.
Score read_notated(const std::string& name) {
  Score s = read_score(fixture(name));
  expect_notes(s);
  expect_key_and_meter(s);
  expect_bars_with_pickup(s);
  expect_final_fermata(s);
  expect_part_names(s);
  EXPECT_EQ(s.title, "Tool Fixture Chorale");
  return s;
}

TEST(ToolImport, HandWrittenSourceReadsAsTheReference) {
  // The input the tools were given, read by our own MusicXML reader.
  read_notated("tool_source_satb.musicxml");
}

TEST(ToolImport, VerovioKern) {
  // humlib's musicxml2hum inside Verovio: "=1" before the pickup and
  // unnumbered bar lines after it.
  Score s = read_notated("tool_verovio_satb.krn");
  EXPECT_EQ(s.composer, "deepquartet tests");  // the first of two !!!COM records
  EXPECT_EQ(s.ensemble, music::Ensemble::kChoir);
}

TEST(ToolImport, VerovioMidi) {
  // Format 1, a conductor track with the tempo, one named track per part
  // with key and time signatures. Every note-off comes one pulse (1/120
  // quarter) before the written end: the ends round back onto the grid, and
  // the quantization report counts all 47 notes as moved. MIDI carries no
  // pickup and no fermatas, so bars count from the first note.
  Score s = read_score(fixture("tool_verovio_satb.mid"));
  expect_notes(s, /*ends_rounded=*/true);
  expect_key_and_meter(s);
  expect_part_names(s);
}

// LilyPond's MIDI of the fixture: its notes, key, meter and title.
Score read_lilypond_midi(const std::string& name) {
  Score s = read_score(fixture(name));
  expect_notes(s);
  expect_key_and_meter(s);
  EXPECT_EQ(s.title, "Tool Fixture Chorale");
  return s;
}

TEST(ToolImport, LilyPondMidiFourStaves) {
  // Format 1: a first track with the title, meter and tempo, then one
  // unnamed track per staff with the key signature (the voices get the
  // default names).
  expect_part_names(read_lilypond_midi("tool_lilypond_satb.mid"));
}

TEST(ToolImport, LilyPondMidiTwoStavesTrackPerVoice) {
  // SA and TB share a staff; with Staff_performer in the Voice context each
  // voice gets a track of its own, named "<voice>:<voice>".
  Score s = read_lilypond_midi("tool_lilypond_satb_2staves.mid");
  EXPECT_EQ(s.part_names[0], "Soprano:Soprano");
  EXPECT_EQ(s.part_names[3], "Bass:Bass");
}

}  // namespace
}  // namespace dq::io
