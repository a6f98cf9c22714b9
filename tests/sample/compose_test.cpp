// What users type, parsed: keys, meters, voices, positions, fermata specs and
// constraints files (with every kind of bad input a clear dq::Error), and
// the key a melody is detected in. No model needed.
#include <gtest/gtest.h>

#include "io/score_file.h"
#include "music/pitch.h"
#include "sample/compose.h"
#include "sample/constraints.h"
#include "support/core_test_util.h"
#include "util/error.h"

namespace dq::testing {
namespace {

using music::KeySignature;
using music::Mode;

// `count` bars of rests in `meter`, starting on a bar line.
music::Score empty_score(int bars, music::TimeSignature meter = {4, 4}) {
  return music::make_empty_score(bars * meter.ticks_per_bar(), {0, Mode::kMajor}, meter);
}

// Ticks with a fermata, in order.
std::vector<int> fermata_ticks(const music::Score& s) {
  std::vector<int> ticks;
  for (int t = 0; t < s.length(); ++t)
    if (s.meta[t].fermata) ticks.push_back(t);
  return ticks;
}

std::vector<int> range(int from, int to) {
  std::vector<int> r;
  for (int t = from; t < to; ++t) r.push_back(t);
  return r;
}

std::vector<int> concat(std::vector<int> a, const std::vector<int>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A one-voice score of the given (pitch, ticks) notes in voice 0; the others rest.
music::Score melody(const std::vector<std::pair<int, int>>& notes) {
  int length = 0;
  for (const auto& n : notes) length += n.second;
  music::Score s = music::make_empty_score(length, {0, Mode::kMajor}, {4, 4});
  int t = 0;
  for (const auto& [pitch, ticks] : notes) {
    s.voices[0][t] = pitch;
    for (int k = 1; k < ticks; ++k) s.voices[0][t + k] = music::kHold;
    t += ticks;
  }
  return s;
}

std::vector<std::pair<int, int>> quarters(const std::vector<int>& pitches, int final_ticks = 8) {
  std::vector<std::pair<int, int>> notes;
  for (size_t i = 0; i < pitches.size(); ++i) notes.push_back({pitches[i], i + 1 == pitches.size() ? final_ticks : 4});
  return notes;
}

TEST(CoreParse, Keys) {
  EXPECT_EQ(music::parse_key("D major"), (KeySignature{2, Mode::kMajor}));
  EXPECT_EQ(music::parse_key("b minor"), (KeySignature{2, Mode::kMinor}));
  EXPECT_EQ(music::parse_key("Eb"), (KeySignature{-3, Mode::kMajor}));
  EXPECT_EQ(music::parse_key("F# minor"), (KeySignature{3, Mode::kMinor}));
  EXPECT_EQ(music::parse_key("c"), (KeySignature{-3, Mode::kMinor}));
  EXPECT_EQ(music::parse_key("C"), (KeySignature{0, Mode::kMajor}));
  EXPECT_EQ(music::parse_key("  Bb Major "), (KeySignature{-2, Mode::kMajor}));
  EXPECT_EQ(music::parse_key("A min"), (KeySignature{0, Mode::kMinor}));
  EXPECT_EQ(music::parse_key("Gb major"), (KeySignature{6, Mode::kMajor}));  // spelled as F# major
  for (const char* bad : {"H major", "", "   ", "D dorian", "C#x", "7", "Dbb#x minor"}) {
    EXPECT_THROW(music::parse_key(bad), Error) << "'" << bad << "'";
  }
}

TEST(CoreParse, Meters) {
  EXPECT_EQ(music::parse_meter("4/4"), (music::TimeSignature{4, 4}));
  EXPECT_EQ(music::parse_meter("3/4"), (music::TimeSignature{3, 4}));
  EXPECT_EQ(music::parse_meter("6/8"), (music::TimeSignature{6, 8}));
  EXPECT_EQ(music::parse_meter("3/2"), (music::TimeSignature{3, 2}));
  EXPECT_EQ(music::parse_meter(" 2 / 2 "), (music::TimeSignature{2, 2}));
  for (const char* bad : {"5/3", "4", "0/4", "x/4", "4/x", "4/4/4", "17/4", "-3/4", "4/0", "", "/"}) {
    EXPECT_THROW(music::parse_meter(bad), Error) << "'" << bad << "'";
  }
}

TEST(CoreParse, Voices) {
  EXPECT_EQ(sample::parse_voices("alto,tenor"), (std::vector<int>{1, 2}));
  EXPECT_EQ(sample::parse_voices("bass, Soprano"), (std::vector<int>{0, 3}));
  EXPECT_EQ(sample::parse_voices("all"), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(sample::parse_voices("1,4"), (std::vector<int>{0, 3}));
  EXPECT_EQ(sample::parse_voices("violin1,cello,viola,violin2"), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(sample::parse_voices("soprano,soprano"), (std::vector<int>{0}));
  for (const char* bad : {"foo", "", "5", "0", "alto,foo", "soprano;alto"}) {
    try {
      sample::parse_voices(bad);
      ADD_FAILURE() << "'" << bad << "' accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).size(), 0u);
    }
  }
}

TEST(CoreParse, Positions) {
  music::Score s = empty_score(4);
  EXPECT_EQ(sample::parse_position(s, "1", false), 0);
  EXPECT_EQ(sample::parse_position(s, "2", false), 16);
  EXPECT_EQ(sample::parse_position(s, "2", true), 32);
  EXPECT_EQ(sample::parse_position(s, "4", true), 64);
  EXPECT_EQ(sample::parse_position(s, "2:3", false), 24);
  EXPECT_EQ(sample::parse_position(s, "2:3", true), 28);
  EXPECT_EQ(sample::parse_position(s, "4:4", true), 64);
  for (const char* bad : {"5", "0", "x", "", "2:x", "2:-1", "-1"}) {
    EXPECT_THROW(sample::parse_position(s, bad, false), Error) << "'" << bad << "'";
  }
  // 3/4: three beats per bar.
  music::Score waltz = empty_score(2, {3, 4});
  EXPECT_EQ(sample::parse_position(waltz, "2:2", false), 16);
  EXPECT_THROW(sample::parse_position(waltz, "2:4", true), Error);
}

TEST(CoreParse, PositionsWithAPickup) {
  music::Score s = music::make_empty_score(4 + 32, {0, Mode::kMajor}, {4, 4});
  music::renumber_measures(s, 4);  // a one-beat pickup, then bars 1 and 2
  EXPECT_EQ(sample::parse_position(s, "0", false), 0);
  EXPECT_EQ(sample::parse_position(s, "0", true), 4);
  EXPECT_EQ(sample::parse_position(s, "1", false), 4);
  EXPECT_EQ(sample::parse_position(s, "1:2", false), 8);
  EXPECT_EQ(sample::parse_position(s, "0:4", false), 0);  // the pickup is beat 4 of bar 0
  EXPECT_THROW(sample::parse_position(s, "0:1", false), Error);
}

// Regression: a beat one past the last of the bar is accepted as the first
// tick of the next bar (compose.cpp parse_position checks `tick > bar_end`,
// which lets tick == bar_end through for a start position).
TEST(CoreParse, PositionRejectsBeatPastTheBar) {
  music::Score s = empty_score(4);
  EXPECT_THROW(sample::parse_position(s, "2:5", false), Error) << "4/4 has no beat 5";
  EXPECT_THROW(sample::parse_position(s, "2:0", false), Error) << "beats are 1-based";
}

// Where Bach puts a phrase's fermata: 4/4 on beat 3 (a quarter; beat 4 is
// the next phrase's upbeat), the final one over beats 3 and 4; 3/4 on the
// downbeat (a half), the final one over the whole bar.
TEST(CoreParse, FermataEveryNBars) {
  music::Score s = empty_score(4);
  sample::apply_fermatas(s, "every:2bars");
  EXPECT_EQ(fermata_ticks(s), concat(range(24, 28), range(56, 64)));
  sample::apply_fermatas(s, "every:1bar");
  EXPECT_EQ(fermata_ticks(s), concat(concat(range(8, 12), range(24, 28)), concat(range(40, 44), range(56, 64))));
  // The last bar always ends with a fermata.
  sample::apply_fermatas(s, "every:3bars");
  EXPECT_EQ(fermata_ticks(s), concat(range(40, 44), range(56, 64)));
  sample::apply_fermatas(s, "none");
  EXPECT_TRUE(fermata_ticks(s).empty());
  sample::apply_fermatas(s, "EVERY:4BARS");
  EXPECT_EQ(fermata_ticks(s), range(56, 64));
  sample::apply_fermatas(s, "");
  EXPECT_TRUE(fermata_ticks(s).empty());
  music::Score waltz = empty_score(4, {3, 4});
  sample::apply_fermatas(waltz, "every:2bars");
  EXPECT_EQ(fermata_ticks(waltz), concat(range(12, 20), range(36, 48)));
  // 6/8: the beat is a dotted quarter (6 ticks): the second beat.
  music::Score jig = empty_score(2, {6, 8});
  sample::apply_fermatas(jig, "every:1bar");
  EXPECT_EQ(fermata_ticks(jig), concat(range(6, 12), range(18, 24)));
}

TEST(CoreParse, FermataBarLists) {
  music::Score s = empty_score(4);
  sample::apply_fermatas(s, "2,4");
  EXPECT_EQ(fermata_ticks(s), concat(range(24, 28), range(56, 64)));
  sample::apply_fermatas(s, " 1 , 3 ");
  EXPECT_EQ(fermata_ticks(s), concat(range(8, 12), range(40, 44)));
  for (const char* bad : {"5", "0", "2,x", "every:0bars", "every:xbars", "every:100bars", "every:", "sometimes"}) {
    EXPECT_THROW(sample::apply_fermatas(s, bad), Error) << "'" << bad << "'";
  }
}

TEST(CoreConstraints, ParsesNotesLockedVoicesAndFermatas) {
  sample::Constraints c = sample::parse_constraints(R"({
      "fixed_notes": [ {"voice": "soprano", "bar": 2, "beat": 1, "pitch": "G4", "beats": 2},
                       {"voice": 4, "bar": 4, "beat": 3.5, "pitch": 43} ],
      "locked_voices": ["alto", 3],
      "fermatas": [2, 4] })",
                                                    "c.json");
  ASSERT_EQ(c.notes.size(), 2u);
  EXPECT_EQ(c.notes[0].voice, 0);
  EXPECT_EQ(c.notes[0].bar, 2);
  EXPECT_EQ(c.notes[0].pitch, 67);
  EXPECT_EQ(c.notes[0].beats, 2);
  EXPECT_EQ(c.notes[1].voice, 3);
  EXPECT_EQ(c.notes[1].beat, 3.5);
  EXPECT_EQ(c.notes[1].beats, 1);
  EXPECT_EQ(c.locked_voices, (std::vector<int>{1, 2}));
  EXPECT_EQ(c.fermatas, "2,4");
  EXPECT_EQ(sample::parse_constraints(R"({"fermatas": []})", "c").fermatas, "none");
  EXPECT_EQ(sample::parse_constraints(R"({"fermatas": "every:2bars"})", "c").fermatas, "every:2bars");
  EXPECT_EQ(sample::parse_constraints("{}", "c").notes.size(), 0u);

  music::Score s = empty_score(4);
  sample::FixedMask fixed = sample::no_fixed(s.length());
  sample::apply_constraints(c, s, fixed);
  EXPECT_EQ(s.voices[0][16], 67);
  for (int t = 17; t < 24; ++t) EXPECT_EQ(s.voices[0][t], music::kHold) << t;
  for (int t = 16; t < 24; ++t) EXPECT_TRUE(fixed[0][t]) << t;
  EXPECT_FALSE(fixed[0][15]);
  EXPECT_FALSE(fixed[0][24]);
  EXPECT_EQ(s.voices[3][48 + 10], 43);  // bar 4, beat 3.5
  EXPECT_TRUE(fixed[3][58]);
  EXPECT_FALSE(fixed[3][57]);
  for (int v : {1, 2})
    for (int t = 0; t < s.length(); ++t) EXPECT_TRUE(fixed[v][t]);
  EXPECT_EQ(fermata_ticks(s), concat(range(24, 28), range(56, 64)));
  EXPECT_EQ(music::validate(s), "");
}

TEST(CoreConstraints, BadInputIsAnErrorNamingTheSource) {
  const char* bad[] = {
      "not json",
      "[1, 2]",
      R"({"fixed_notes": [{"voice": "soprano", "pitch": "G4"}]})",            // no bar
      R"({"fixed_notes": [{"voice": "soprano", "bar": 1, "pitch": "H4"}]})",  // bad pitch
      R"({"fixed_notes": [{"voice": "foo", "bar": 1, "pitch": "G4"}]})",      // bad voice
      R"({"fixed_notes": [{"voice": "alto", "bar": 1, "beat": 0, "pitch": 60}]})",
      R"({"fixed_notes": [{"voice": "alto", "bar": 1, "beats": 0, "pitch": 60}]})",
      R"({"fixed_notes": [{"voice": "alto", "bar": 1, "pitch": 200}]})",
      R"({"fixed_notes": [{"voice": "alto", "bar": "one", "pitch": 60}]})",
      R"({"fixed_notes": {"voice": "alto"}})",
      R"({"locked_voices": ["foo"]})",
      R"({"fermatas": [1, "x"]})",
  };
  for (const char* text : bad) {
    try {
      sample::parse_constraints(text, "constraints.json");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("constraints.json", 0), 0u) << e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not a dq::Error for " << text << ": " << e.what();
    }
  }
  TempDir dir("constraints");
  EXPECT_THROW(sample::read_constraints(dir.file("missing.json")), Error);
}

TEST(CoreConstraints, NotesOutsideThePieceAreErrors) {
  music::Score s = empty_score(4);
  sample::FixedMask fixed = sample::no_fixed(s.length());
  auto apply = [&](const std::string& json) {
    sample::apply_constraints(sample::parse_constraints(json, "c"), s, fixed);
  };
  EXPECT_THROW(apply(R"({"fixed_notes": [{"voice": 1, "bar": 5, "pitch": 60}]})"), Error);
  EXPECT_THROW(apply(R"({"fixed_notes": [{"voice": 1, "bar": 4, "beat": 4, "beats": 2, "pitch": 60}]})"), Error);
  EXPECT_THROW(apply(R"({"fermatas": [9]})"), Error);
}

TEST(CoreConstraints, Pitches) {
  EXPECT_EQ(music::parse_pitch("C4"), 60);
  EXPECT_EQ(music::parse_pitch("F#3"), 54);
  EXPECT_EQ(music::parse_pitch("Bb2"), 46);
  EXPECT_EQ(music::parse_pitch("60"), 60);
  EXPECT_EQ(music::parse_pitch("A4"), 69);
  for (const char* bad : {"128", "H4", "C", "C4x", "", "#4", "Cb"}) {
    EXPECT_THROW(music::parse_pitch(bad), Error) << "'" << bad << "'";
  }
}

TEST(CoreDetectKey, MelodiesInSeveralKeys) {
  struct Case {
    std::vector<int> pitches;
    KeySignature key;
  };
  const Case cases[] = {
      {{67, 69, 71, 72, 74, 76, 78, 79}, {1, Mode::kMajor}},                   // G major scale
      {{67, 71, 74, 79, 78, 76, 74, 72, 71, 69, 67}, {1, Mode::kMajor}},       // G major arpeggio and scale
      {{62, 65, 69, 74, 73, 74, 76, 77, 76, 74, 73, 62}, {-1, Mode::kMinor}},  // D minor with C#
      {{62, 64, 65, 67, 69, 70, 73, 74, 62}, {-1, Mode::kMinor}},              // D harmonic minor scale
      {{63, 67, 70, 75, 74, 72, 70, 68, 67, 65, 63}, {-3, Mode::kMajor}},      // Eb major
      {{71, 74, 78, 83, 81, 79, 78, 76, 74, 73, 71}, {2, Mode::kMinor}},       // B minor
  };
  for (const Case& c : cases) {
    music::Score s = melody(quarters(c.pitches));
    EXPECT_EQ(sample::detect_key(s, {0}), c.key) << "melody starting " << c.pitches[0];
  }
  // The fixture chorale, all voices: G major.
  music::Score chorale = io::read_score(chorale_path());
  EXPECT_EQ(sample::detect_key(chorale, {0, 1, 2, 3}), (KeySignature{1, Mode::kMajor}));
}

}  // namespace
}  // namespace dq::testing
