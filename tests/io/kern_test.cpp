// Tests of the Humdrum **kern reader: hand-written fixtures for each feature,
// malformed input, and the Bach chorale and string quartet corpora.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <string>
#include <vector>

#include "io/kern_reader.h"
#include "music/score.h"
#include "util/error.h"

using namespace dq;
using namespace dq::music;
using dq::io::parse_kern;
using dq::io::read_kern;
using namespace std::string_literals;

namespace {

const std::string kFixtures = DQ_FIXTURES;
const std::string kCorpus = DQ_CORPUS;

// Lines joined with newlines (tabs separate spines inside a line).
std::string krn(std::initializer_list<std::string> lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

Score parse(const std::string& text, const io::ReadOptions& options = {}) {
  return parse_kern(text, "test.krn", options);
}

// The dq::Error message parsing `text` gives, or "" if it parses.
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// (start, length, pitch) of every note of a voice, for compact comparisons.
std::vector<std::vector<int>> notes_of(const Score& score, int voice) {
  std::vector<std::vector<int>> out;
  for (const Note& n : voice_notes(score, voice)) out.push_back({n.start, n.length, n.pitch});
  return out;
}

using Notes = std::vector<std::vector<int>>;

}  // namespace

TEST(KernReader, ReadsChoraleFixture) {
  Score s = read_kern(kFixtures + "/kern_basic.krn");
  EXPECT_EQ(validate(s), "");
  EXPECT_EQ(s.title, "Ein kleiner Choral");  // the original-language title wins
  EXPECT_EQ(s.composer, "Tester, Anna");
  EXPECT_EQ(s.ensemble, Ensemble::kChoir);
  EXPECT_EQ(s.part_names[0], "Soprano");
  EXPECT_EQ(s.part_names[3], "Bass");
  ASSERT_EQ(s.length(), 36);
  EXPECT_EQ(s.meta[0].key, (KeySignature{-1, Mode::kMajor}));
  EXPECT_EQ(s.meta[0].time, (TimeSignature{4, 4}));

  // The rightmost spine is the soprano; a dotted quarter, a local comment line.
  EXPECT_EQ(notes_of(s, 0),
            (Notes{{0, 4, 65}, {4, 6, 69}, {10, 2, 70}, {12, 4, 67}, {16, 4, 72}, {20, 8, 69}, {28, 4, 65}}));
  EXPECT_EQ(s.voices[0][32], kRest);
  // Repeated notes stay separate; rests are rests.
  EXPECT_EQ(
      notes_of(s, 1),
      (Notes{{0, 4, 60}, {4, 4, 65}, {8, 4, 65}, {12, 4, 64}, {16, 4, 64}, {20, 4, 65}, {24, 4, 65}, {28, 8, 65}}));
  EXPECT_EQ(s.voices[2][20], kRest);
  // The bass: eighths, and a half note tied over the bar line ([2C ... 4C]).
  EXPECT_EQ(notes_of(s, 3),
            (Notes{{0, 4, 53}, {4, 2, 53}, {6, 2, 52}, {8, 4, 50}, {12, 12, 48}, {24, 4, 53}, {28, 8, 41}}));

  // The pickup is measure 0, right-aligned in its bar.
  EXPECT_EQ(s.meta[0].measure, 0);
  EXPECT_EQ(s.meta[0].tick_in_bar, 12);
  EXPECT_EQ(s.meta[4].measure, 1);
  EXPECT_EQ(s.meta[4].tick_in_bar, 0);
  EXPECT_EQ(s.meta[20].measure, 2);

  // Fermatas: on the soprano's 2a; and under the soprano's 4f for the lower voices'.
  for (int t = 0; t < 36; ++t) EXPECT_EQ(s.meta[t].fermata, t >= 20 && t < 32) << "tick " << t;
}

TEST(KernReader, ReadsQuartetFixture) {
  Score s = read_kern(kFixtures + "/kern_quartet.krn");
  EXPECT_EQ(validate(s), "");
  EXPECT_EQ(s.ensemble, Ensemble::kStringQuartet);
  EXPECT_EQ(s.part_names[0], "Violino primo");
  EXPECT_EQ(s.part_names[1], "Violin II");
  EXPECT_EQ(s.part_names[3], "Violoncello");
  EXPECT_EQ(s.meta[0].key, (KeySignature{0, Mode::kMajor}));
  EXPECT_EQ(s.meta[0].measure, 1);
  // Chords: the top note in the violin, the bottom note in the cello.
  EXPECT_EQ(notes_of(s, 0)[0], (std::vector<int>{0, 4, 79}));
  EXPECT_EQ(notes_of(s, 3)[0], (std::vector<int>{0, 4, 48}));
  EXPECT_EQ(s.quantization.notes_dropped_chord, 3);
  // The split violin keeps its left sub-spine (4ee 8ff 8ee).
  EXPECT_EQ(notes_of(s, 0), (Notes{{0, 4, 79}, {4, 4, 74}, {8, 4, 76}, {12, 2, 77}, {14, 2, 76}, {16, 8, 72}}));
  EXPECT_EQ(s.quantization.notes_dropped_layer, 2);
  // **dynam spines hold no notes: four voices, each a part.
  EXPECT_EQ(notes_of(s, 1), (Notes{{0, 4, 67}, {4, 4, 71}, {8, 8, 72}, {16, 8, 67}}));
  EXPECT_TRUE(s.meta[16].fermata);
}

TEST(KernDurations, DotsBrevesAndLongas) {
  Score s = parse(krn({"**kern", "*M4/4", "4.c", "8d", "4..e", "16f", "2...g", "16a", "0b", "00cc", "*-"}));
  EXPECT_EQ(
      notes_of(s, 0),
      (Notes{{0, 6, 60}, {6, 2, 62}, {8, 7, 64}, {15, 1, 65}, {16, 15, 67}, {31, 1, 69}, {32, 32, 71}, {64, 64, 72}}));
  EXPECT_EQ(s.quantization.onsets_moved, 0);
}

TEST(KernDurations, TupletsStayExact) {
  // Triplet halves (3), triplet eighths (12), triplet quarters (6), quintuplet
  // sixteenths (20) and N%M rational durations: each group adds up exactly,
  // so the note after it starts on the beat.
  Score s = parse(krn({"**kern", "*M4/4", "3c",  "3d",  "3e",  "4f",  "12g", "12a",  "12b",  "6c", "6d",
                       "6e",     "20c",   "20d", "20e", "20f", "20g", "4a",  "3%2c", "3%4d", "4e", "*-"}));
  std::vector<Note> notes = voice_notes(s, 0);
  auto start_of_pitch_after = [&](int tick) {
    for (const Note& n : notes)
      if (n.start >= tick) return n.start;
    return -1;
  };
  ASSERT_FALSE(notes.empty());
  EXPECT_EQ(notes[0].start, 0);
  EXPECT_EQ(notes[1].start, 5);   // 16/3 ticks, rounded
  EXPECT_EQ(notes[2].start, 11);  // 32/3 ticks, rounded
  EXPECT_EQ(notes[3].start, 16);  // 4f: exactly on the bar
  EXPECT_EQ(notes[3].pitch, 65);
  EXPECT_EQ(start_of_pitch_after(24), 24);  // 6c after three triplet eighths
  // 4a after three triplet quarters and five quintuplet sixteenths.
  EXPECT_EQ(s.voices[0][36], 69);
  // 3%2 (8/3 quarters) + 3%4 (16/3 quarters) = 8 quarters: 4e at tick 40 + 32.
  EXPECT_EQ(s.voices[0][72], 64);
  EXPECT_GT(s.quantization.onsets_moved, 0);
}

TEST(KernPitches, OctavesAndAccidentals) {
  Score s = parse(krn({"**kern", "4c", "4cc", "4C", "4CC", "4c#", "4c##", "4d-", "4d--", "4bn", "4ccc", "4BBB-", "4r",
                       "4ryy", "4ddr", "*-"}));
  std::vector<int> pitches;
  for (int t = 0; t < s.length(); t += 4) pitches.push_back(s.voices[0][t]);
  EXPECT_EQ(pitches, (std::vector<int>{60, 72, 48, 36, 61, 62, 61, 60, 71, 84, 34, kRest, kRest, kRest}));
}

TEST(KernNotes, TiesMergeIntoOneNote) {
  Score s = parse(krn({"**kern", "[4c", "4c_", "4c]", "4c", "*-"}));
  EXPECT_EQ(notes_of(s, 0), (Notes{{0, 12, 60}, {12, 4, 60}}));
}

TEST(KernNotes, GraceNotesTakeNoTime) {
  Score s = parse(krn({"**kern\t**kern", "4C\t8qe", ".\t4c", "4D\tdq", ".\t4d", "*-\t*-"}));
  EXPECT_EQ(notes_of(s, 0), (Notes{{0, 4, 60}, {4, 4, 62}}));
  EXPECT_EQ(notes_of(s, 1), (Notes{{0, 4, 48}, {4, 4, 50}}));
  EXPECT_EQ(s.quantization.notes_dropped_grace, 2);
}

TEST(KernNotes, FermataOnTopVoice) {
  Score s = parse(krn({"**kern", "4c", "2d;", "4e", "*-"}));
  for (int t = 0; t < 16; ++t) EXPECT_EQ(s.meta[t].fermata, t >= 4 && t < 12) << "tick " << t;
}

TEST(KernNotes, ArticulationsAndBeamsAreIgnored) {
  Score s = parse(krn({"**kern", "(8c/L'", "8d\\J)", "4e'~^", "4fyy", "{4gX}", "*-"}));
  EXPECT_EQ(notes_of(s, 0), (Notes{{0, 2, 60}, {2, 2, 62}, {4, 4, 64}, {8, 4, 65}, {12, 4, 67}}));
}

TEST(KernSpines, MisalignedLinesFollowEachSpinesDurations) {
  // The 8e is written on the line of the second triplet note, but starts when
  // the spine's 8d ends: each spine keeps its own time within the measure.
  Score s = parse(
      krn({"**kern\t**kern", "*M1/4\t*M1/4", "=1\t=1", "8d\t12g", "8e\t12a", ".\t12b", "=2\t=2", "4f\t4cc", "*-\t*-"}));
  EXPECT_EQ(notes_of(s, 1), (Notes{{0, 2, 62}, {2, 2, 64}, {4, 4, 65}}));
  ASSERT_EQ(s.warnings.size(), 1u);
  EXPECT_TRUE(contains(s.warnings[0], "1 notes were written")) << s.warnings[0];
  EXPECT_TRUE(contains(s.warnings[0], "line 5, spine 1")) << s.warnings[0];
}

TEST(KernSpines, SplitAndMergeKeepLeftSubSpine) {
  Score s = parse(krn({"**kern\t**kern", "*M2/4\t*M2/4", "4C\t4c", "4D\t4d", "*\t*^", "2E\t4e\t8g", ".\t.\t8a",
                       ".\t4f\t4b", "*\t*v\t*v", "4G\t4g", "4A\t4a", "*-\t*-"}));
  EXPECT_EQ(notes_of(s, 0), (Notes{{0, 4, 60}, {4, 4, 62}, {8, 4, 64}, {12, 4, 65}, {16, 4, 67}, {20, 4, 69}}));
  EXPECT_EQ(notes_of(s, 1).size(), 5u);
  EXPECT_EQ(s.quantization.notes_dropped_layer, 3);
}

TEST(KernSpines, NestedSplitsAndTermination) {
  Score s = parse(krn({"**kern", "*^", "4c\t4e", "*^\t*", "4d\t4f\t4a", "*v\t*v\t*", "4e\t4g", "*\t*-", "4f", "*-"}));
  EXPECT_EQ(notes_of(s, 0), (Notes{{0, 4, 60}, {4, 4, 62}, {8, 4, 64}, {12, 4, 65}}));
}

TEST(KernSpines, OtherSpineTypesAreIgnored) {
  Score s = parse(krn({"**kern\t**dynam\t**kern\t**text", "*Icello\t*\t*Ivioln\t*", "4C\tp\t4c\tHal-",
                       "4D\t<\t4d\t-le-", "4E\tff\t4e\tlu-ja", "*-\t*-\t*-\t*-"}));
  EXPECT_EQ(notes_of(s, 0), (Notes{{0, 4, 60}, {4, 4, 62}, {8, 4, 64}}));
  EXPECT_EQ(notes_of(s, 1), (Notes{{0, 4, 48}, {4, 4, 50}, {8, 4, 52}}));
  EXPECT_TRUE(notes_of(s, 2).empty());
}

TEST(KernSpines, ExchangeAndAdd) {
  Score s =
      parse(krn({"**kern\t**kern", "4C\t4c", "*x\t*x", "4e\t4E", "*\t*+", "*\t*\t**dynam", "4f\t4F\tp", "*-\t*-\t*-"}));
  EXPECT_EQ(notes_of(s, 0), (Notes{{0, 4, 60}, {4, 4, 64}, {8, 4, 65}}));
  EXPECT_EQ(notes_of(s, 1), (Notes{{0, 4, 48}, {4, 4, 52}, {8, 4, 53}}));
}

TEST(KernMeta, KeyAndTimeChanges) {
  Score s = parse(krn({"**kern", "*k[f#]", "*G:", "*M3/4", "=1", "2.g", "=2", "*k[b-e-]", "*g:", "*M2/4", "2g", "=3",
                       "*k[f#c#]", "2a", "=4", "*k[b-]", "*g:dor", "2g", "*-"}));
  EXPECT_EQ(s.meta[0].key, (KeySignature{1, Mode::kMajor}));
  EXPECT_EQ(s.meta[0].time, (TimeSignature{3, 4}));
  EXPECT_EQ(s.meta[12].key, (KeySignature{-2, Mode::kMinor}));
  EXPECT_EQ(s.meta[12].time, (TimeSignature{2, 4}));
  EXPECT_EQ(s.meta[12].measure, 2);
  EXPECT_EQ(s.meta[20].key, (KeySignature{2, Mode::kUnknown}));   // no mode token
  EXPECT_EQ(s.meta[28].key, (KeySignature{-1, Mode::kUnknown}));  // dorian
  EXPECT_EQ(s.meta[28].measure, 4);
}

TEST(KernMeta, ModeTokenBeforeKeySignature) {
  Score s = parse(krn({"**kern", "*e:", "*k[f#]", "4e", "*-"}));
  EXPECT_EQ(s.meta[0].key, (KeySignature{1, Mode::kMinor}));
}

TEST(KernMeta, MeasureNumbersAndSplitBars) {
  // An unnumbered bar line inside measure 3 (a repeat sign) continues it.
  Score s = parse(krn({"**kern", "*M2/4", "=1-", "2c", "=2", "2d", "=3", "4e", "=:|!", "4f", "=4", "2g", "==", "*-"}));
  struct Expected {
    int tick, measure, tick_in_bar;
  };
  for (Expected e : {Expected{0, 1, 0}, {8, 2, 0}, {16, 3, 0}, {20, 3, 4}, {24, 4, 0}}) {
    EXPECT_EQ(s.meta[e.tick].measure, e.measure) << "tick " << e.tick;
    EXPECT_EQ(s.meta[e.tick].tick_in_bar, e.tick_in_bar) << "tick " << e.tick;
  }
}

TEST(KernMeta, UnnumberedBarLinesAreCounted) {
  // humlib's musicxml2hum (Verovio) writes "=1" before a pickup and then only
  // "=": the pickup is measure 0 and the bars after it 1, 2, 3.
  Score s = parse(krn({"**kern", "*M3/4", "=1", "4c", "=", "2.d", "=", "2e", "4f", "=", "2g", "==", "*-"}));
  std::vector<int> measures, in_bar;
  for (int t : {0, 3, 4, 15, 16, 28, 35}) {
    measures.push_back(s.meta[t].measure);
    in_bar.push_back(s.meta[t].tick_in_bar);
  }
  EXPECT_EQ(measures, (std::vector<int>{0, 0, 1, 1, 2, 3, 3}));
  EXPECT_EQ(in_bar, (std::vector<int>{8, 11, 0, 11, 0, 0, 7}));
  EXPECT_EQ(s.pickup_ticks(), 4);

  // Without a pickup: "=1" at the start, full bars.
  Score t = parse(krn({"**kern", "*M2/4", "=1", "2c", "=", "2d", "=", "2e", "*-"}));
  EXPECT_EQ(t.meta[0].measure, 1);
  EXPECT_EQ(t.meta[8].measure, 2);
  EXPECT_EQ(t.meta[16].measure, 3);
  EXPECT_EQ(t.meta[16].tick_in_bar, 0);

  // No numbered bar line at all: counted from 1, or from 0 after a pickup.
  Score u = parse(krn({"**kern", "*M2/4", "2c", "=", "2d", "=", "2e", "*-"}));
  EXPECT_EQ(u.meta[0].measure, 1);
  EXPECT_EQ(u.meta[8].measure, 2);
  EXPECT_EQ(u.meta[16].measure, 3);
  Score v = parse(krn({"**kern", "*M2/4", "4c", "=", "2d", "=", "2e", "*-"}));
  EXPECT_EQ(v.meta[0].measure, 0);
  EXPECT_EQ(v.meta[0].tick_in_bar, 4);
  EXPECT_EQ(v.meta[4].measure, 1);
  EXPECT_EQ(v.meta[12].measure, 2);
}

TEST(KernMeta, UnnumberedRepeatBarLineSplitsAMeasure) {
  // A repeat sign inside a bar continues its number; the unnumbered bar line
  // after the completed bar starts the next one.
  Score s =
      parse(krn({"**kern", "*M2/4", "=1", "2c", "=", "4d", "=:|!", "4e", "=", "4f", "=:|!", "4g", "=", "2a", "*-"}));
  std::vector<int> measures, in_bar;
  for (int t = 0; t < s.length(); t += 4) {
    measures.push_back(s.meta[t].measure);
    in_bar.push_back(s.meta[t].tick_in_bar);
  }
  EXPECT_EQ(measures, (std::vector<int>{1, 1, 2, 2, 3, 3, 4, 4}));
  EXPECT_EQ(in_bar, (std::vector<int>{0, 4, 0, 4, 0, 4, 0, 4}));
}

TEST(KernMeta, FirstBarWithoutBarLine) {
  // Music before "=2" is measure 1; a file without bar lines counts from 1.
  Score s = parse(krn({"**kern", "*M3/4", "2.c", "=2", "2.d", "*-"}));
  EXPECT_EQ(s.meta[0].measure, 1);
  EXPECT_EQ(s.meta[0].tick_in_bar, 0);
  EXPECT_EQ(s.meta[12].measure, 2);
  Score t = parse(krn({"**kern", "*M3/4", "2.c", "2.d", "*-"}));
  EXPECT_EQ(t.meta[0].measure, 1);
  EXPECT_EQ(t.meta[12].measure, 2);
}

TEST(KernMeta, TitleComposerAndComments) {
  Score s = parse(krn({"!!!COM: Someone", "!!!OTL@EN: English title", "!! comment", "**kern", "! local", "4c",
                       "!!another", "4d", "*-", "!!!RDF: end"}));
  EXPECT_EQ(s.composer, "Someone");
  EXPECT_EQ(s.title, "English title");
  EXPECT_EQ(notes_of(s, 0).size(), 2u);
}

TEST(KernMeta, StringQuartetTitleWithoutInstruments) {
  Score s = parse(krn({"!!!OTL: String Quartet in G Major", "**kern\t**kern", "4C\t4c", "*-\t*-"}));
  EXPECT_EQ(s.ensemble, Ensemble::kStringQuartet);
}

TEST(KernMeta, CarriageReturnsAndByteOrderMark) {
  Score s = parse("\xEF\xBB\xBF**kern\r\n4c\r\n4d\r\n*-\r\n");
  EXPECT_EQ(notes_of(s, 0), (Notes{{0, 4, 60}, {4, 4, 62}}));
}

TEST(KernOptions, SelectsPartsOfAFivePartFile) {
  std::string text = krn({"**kern\t**kern\t**kern\t**kern\t**kern", "4C\t4E\t4G\t4c\t4e", "*-\t*-\t*-\t*-\t*-"});
  EXPECT_TRUE(contains(error_of(text), "5 parts"));
  io::ReadOptions options;
  options.parts = {0, 2, 3, 4};  // top first: 4e, 4G, 4E, 4C
  Score s = parse(text, options);
  EXPECT_EQ(s.voices[0][0], 64);
  EXPECT_EQ(s.voices[1][0], 55);
  EXPECT_EQ(s.voices[3][0], 48);
}

TEST(KernErrors, MalformedInputGivesClearErrors) {
  struct Case {
    std::string text;
    std::string expected;  // part of the message
  };
  std::vector<Case> cases = {
      {"", "no **kern header"},
      {"\x00\xff\xfe\x01garbage\n\x80\x81"s, "expected the **kern header"},
      {"4c\n**kern\n", "line 1: expected the **kern header"},
      {krn({"**dynam", "p", "*-"}), "line 1: no **kern spine"},
      {krn({"**kern\t**kern", "4c", "*-\t*-"}), "line 2: 1 tokens but 2 spines"},
      {krn({"**kern", "99999999c"}), "line 2: spine 1: unknown duration"},
      {krn({"**kern", "0000c"}), "unknown duration"},
      {krn({"**kern", "4.....c"}), "too many dots"},
      {krn({"**kern", "4c=x"}), "unexpected character"},
      {krn({"**kern", "c"}), "no duration"},
      {krn({"**kern", "4"}), "neither a pitch nor a rest"},
      {krn({"**kern", "4cd"}), "bad pitch"},
      {krn({"**kern", "4c#-"}), "bad accidental"},
      {krn({"**kern", "4cccccccc"}), "pitch out of range"},
      {krn({"**kern", "4c  4e"}), "empty note"},
      {krn({"**kern\t**kern", "2c\t4d", "4e\t4f", "=2\t=2"}),
       "line 4: spine 1 is out of step: its notes end at quarter 3 but the bar line is at "
       "quarter 2"},
      {krn({"**kern\t**kern", "*v\t*"}), "line 2: spine 1: *v must join"},
      {krn({"**kern\t**kern", "*v\t*v"}), "*v must join"},  // two different parts
      {krn({"**kern\t**kern", "*x\t*"}), "*x must exchange"},
      {krn({"**kern", "4c", "**kern"}), "changes its type"},
      {krn({"**kern", "*+", "*\t**kern"}), "added in the middle"},
      {krn({"**kern", "4c", "*-", "4d"}), "line 4: text after all spines have ended"},
      {krn({"**kern", "*k[x#]"}), "bad key signature"},
      {krn({"**kern", "*M3/5"}), "unsupported meter"},
      {krn({"**kern", "4c\t."}), "2 tokens but 1 spines"},
      {krn({"**kern\t**kern", "=1\t4c"}), "does not match"},
      {krn({"**kern", "*", "*-"}), "no notes"},
      {krn({"**kern", "0c 0c 0c 0c 0c 0c 0c 0c 0c 0c 0c 0c 0c 0c 0c 0c 0c"}), "more than 16"},
      {krn({"**kern", "3%10000c", "3%10000c"}), "piece longer than"},
  };
  for (const Case& c : cases) {
    std::string message = error_of(c.text);
    EXPECT_TRUE(contains(message, c.expected)) << "expected '" << c.expected << "', got '" << message << "'";
    EXPECT_EQ(message.rfind("test.krn", 0), 0u) << message;
  }
}

TEST(KernErrors, TooManySpines) {
  std::string header = "**kern";
  for (int i = 1; i < 33; ++i) header += "\t**kern";
  EXPECT_TRUE(contains(error_of(header + "\n"), "more than 32 spines"));
  std::string splits = "**kern\n*^\n*^\t*^\n*^\t*^\t*^\t*^\n";
  splits += "*^\t*^\t*^\t*^\t*^\t*^\t*^\t*^\n";
  splits += "*^\t*^\t*^\t*^\t*^\t*^\t*^\t*^\t*^\t*^\t*^\t*^\t*^\t*^\t*^\t*^\n";
  std::string notes = "4c", ends = "*-", more = "*^";
  for (int i = 1; i < 32; ++i) {
    notes += "\t4c";
    ends += "\t*-";
    more += "\t*^";
  }
  EXPECT_EQ(error_of(splits + notes + "\n" + ends + "\n"), "");  // 32 sub-spines are fine
  EXPECT_TRUE(contains(error_of(splits + more + "\n"), "line 7: more than 32 spines"));
}

TEST(KernErrors, TooManyKeyChanges) {
  std::string text = "**kern\n";
  for (int i = 0; i < 1001; ++i) text += i % 2 ? "*k[f#]\n4c\n" : "*k[]\n4c\n";
  EXPECT_TRUE(contains(error_of(text), "more than 1000 key and meter changes"));
}

TEST(KernErrors, FixtureWithSpineMismatchNamesFileAndLine) {
  std::string path = kFixtures + "/kern_bad_spines.krn";
  try {
    read_kern(path);
    FAIL() << "no error";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_EQ(message.rfind(path + ":line 6: 3 tokens but 2 spines", 0), 0u) << message;
  }
}

TEST(KernErrors, MissingFileAndDirectory) {
  EXPECT_THROW(read_kern(kFixtures + "/no_such_file.krn"), Error);
  try {
    read_kern(kFixtures);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_TRUE(contains(e.what(), "directory")) << e.what();
  }
}

namespace {

bool has_four_voices(const Score& s) {
  for (int v = 0; v < kNumVoices; ++v)
    if (voice_notes(s, v).empty()) return false;
  return true;
}

std::vector<std::string> krn_files_in(const std::vector<std::string>& folders) {
  std::vector<std::string> files;
  for (const std::string& folder : folders) {
    if (!std::filesystem::is_directory(folder)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
      if (entry.path().extension() == ".krn") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

int kern_spine_count(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("**", 0) != 0) continue;
    int count = 0;
    for (size_t pos = line.find("**kern"); pos != std::string::npos; pos = line.find("**kern", pos + 1)) {
      ++count;
    }
    return count;
  }
  return 0;
}

}  // namespace

TEST(KernCorpus, BachChoralesReadWithFourVoices) {
  std::vector<std::string> files = krn_files_in({kCorpus + "/bach-chorales/kern"});
  if (files.empty()) GTEST_SKIP() << "corpus not found at " << kCorpus;
  int good = 0;
  for (const std::string& f : files) {
    try {
      Score s = read_kern(f);
      if (has_four_voices(s) && validate(s).empty()) {
        ++good;
      } else {
        std::cout << "  not four voices: " << f << "\n";
      }
    } catch (const Error& e) {
      std::cout << "  failed: " << e.what() << "\n";
    }
  }
  std::cout << "  Bach kern chorales read with 4 voices: " << good << " of " << files.size() << "\n";
  EXPECT_GE(good, 368);
}

TEST(KernCorpus, Chor001SopranoMatchesBwv269) {
  std::string path = kCorpus + "/bach-chorales/kern/chor001.krn";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "corpus not found";
  Score s = read_kern(path);
  // BWV 269 (also bwv269.mxl): soprano 4g | 2g 4dd | 4.b 8a 4g | 4.g 8a 4b |
  EXPECT_EQ(s.meta[0].key, (KeySignature{1, Mode::kMajor}));
  EXPECT_EQ(s.meta[0].time, (TimeSignature{3, 4}));
  EXPECT_EQ(s.meta[0].measure, 0);
  EXPECT_EQ(s.meta[0].tick_in_bar, 8);
  Notes soprano = notes_of(s, 0);
  soprano.resize(9);
  EXPECT_EQ(soprano, (Notes{{0, 4, 67},
                            {4, 8, 67},
                            {12, 4, 74},
                            {16, 6, 71},
                            {22, 2, 69},
                            {24, 4, 67},
                            {28, 6, 67},
                            {34, 2, 69},
                            {36, 4, 71}}));
  EXPECT_EQ(s.voices[3][0], 43);    // bass GG
  EXPECT_TRUE(s.meta[40].fermata);  // end of the first phrase, bar 4
  EXPECT_EQ(s.title, "Aus meines Herzens Grunde");
}

TEST(KernCorpus, QuartetMovementsMostlyReadWithFourVoices) {
  std::vector<std::string> files =
      krn_files_in({kCorpus + "/quartets/haydn/kern", kCorpus + "/quartets/haydn/kern-op20-napulen",
                    kCorpus + "/quartets/mozart/kern", kCorpus + "/quartets/beethoven/kern"});
  if (files.empty()) GTEST_SKIP() << "corpus not found at " << kCorpus;
  int good = 0, failed_with_four_spines = 0;
  for (const std::string& f : files) {
    try {
      Score s = read_kern(f);
      if (has_four_voices(s)) {
        ++good;
        continue;
      }
      std::cout << "  not four voices: " << f << "\n";
    } catch (const Error& e) {
      std::cout << "  failed (" << kern_spine_count(f) << " **kern spines): " << e.what() << "\n";
    }
    if (kern_spine_count(f) <= 4) ++failed_with_four_spines;
  }
  std::cout << "  kern quartet movements read with 4 voices: " << good << " of " << files.size() << "\n";
  EXPECT_GE(good, 350);
  // The failures are the files with 5 or 6 parts.
  EXPECT_EQ(failed_with_four_spines, 0);
}
