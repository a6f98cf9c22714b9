// Tests of the MusicXML reader and writer: hand-written fixtures, round trips
// (fixtures, .mxl, the whole Bach chorale corpus), malformed input.
#include <gtest/gtest.h>

#include <unistd.h>
#include <zip.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <pugixml.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "io/musicxml_reader.h"
#include "io/musicxml_writer.h"
#include "io/mxl_archive.h"
#include "music/score.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::io {
namespace {

namespace fs = std::filesystem;
using music::kHold;
using music::kRest;
using music::Score;
using music::Token;

std::string fixture(const std::string& name) { return std::string(DQ_FIXTURES) + "/" + name; }

// A voice written as (pitch or kRest, ticks) pairs.
std::vector<Token> line(std::initializer_list<std::pair<Token, int>> notes) {
  std::vector<Token> tokens;
  for (const auto& [pitch, ticks] : notes) {
    for (int i = 0; i < ticks; ++i) tokens.push_back(i == 0 || pitch == kRest ? pitch : kHold);
  }
  return tokens;
}

// A fresh folder, removed with everything in it at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path =
        fs::temp_directory_path() / ("dq_musicxml_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string read_text(const std::string& path) { return util::read_file_bytes(path); }

// Writes a zip file holding `entries` (name, content).
void write_zip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(archive, nullptr);
  for (const auto& [name, content] : entries) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    ASSERT_GE(zip_file_add(archive, name.c_str(), source, 0), 0);
  }
  ASSERT_EQ(zip_close(archive), 0);
}

// Expects `f` to throw dq::Error whose message contains every one of `parts`.
void expect_error(const std::function<void()>& f, std::vector<std::string> parts) {
  try {
    f();
    ADD_FAILURE() << "no error; expected one mentioning " << parts[0];
  } catch (const Error& e) {
    for (const std::string& p : parts) {
      EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << "message: " << e.what() << "\nmissing: " << p;
    }
  }
}

void expect_parse_error(const std::string& xml, std::vector<std::string> parts) {
  expect_error([&] { parse_musicxml(xml, "bad.musicxml"); }, std::move(parts));
}

// A small score in `parts` parts, each one measure of the given notes.
std::string one_measure_score(int parts, const std::string& attributes, const std::string& notes) {
  std::string xml = "<score-partwise><part-list>";
  for (int p = 1; p <= parts; ++p) {
    xml += "<score-part id=\"P" + std::to_string(p) + "\"><part-name>X</part-name></score-part>";
  }
  xml += "</part-list>";
  for (int p = 1; p <= parts; ++p) {
    xml += "<part id=\"P" + std::to_string(p) + "\"><measure number=\"1\"><attributes>" + attributes + "</attributes>" +
           notes + "</measure></part>";
  }
  return xml + "</score-partwise>";
}

const char kQuarterC[] = "<note><pitch><step>C</step><octave>5</octave></pitch><duration>1</duration></note>";

// --- Reading hand-written fixtures -------------------------------------------

TEST(MusicXmlReader, SatbFixture) {
  Score s = read_musicxml(fixture("mx_satb.musicxml"));
  ASSERT_EQ(s.length(), 32);
  EXPECT_EQ(s.voices[0], line({{67, 4}, {69, 4}, {71, 12}, {72, 4}, {74, 8}}));  // tie merged
  EXPECT_EQ(s.voices[1], line({{62, 8}, {kRest, 8}, {62, 16}}));                 // chord: highest kept
  EXPECT_EQ(s.voices[2], line({{59, 16}, {kRest, 4}, {57, 4}, {59, 8}}));        // voice 2, forward
  EXPECT_EQ(s.voices[3], line({{43, 8}, {50, 8}, {43, 16}}));                    // bass chord: lowest kept
  EXPECT_EQ(s.quantization.notes_dropped_chord, 2);
  EXPECT_EQ(s.quantization.notes_dropped_layer, 2);
  EXPECT_EQ(s.quantization.onsets_moved, 0);
  for (int t = 0; t < 32; ++t) {
    EXPECT_EQ(s.meta[t].fermata, t >= 20 && t < 24) << t;
    EXPECT_EQ(s.meta[t].measure, t < 16 ? 1 : 2);
    EXPECT_EQ(s.meta[t].tick_in_bar, t % 16);
    EXPECT_EQ(s.meta[t].key, (music::KeySignature{1, music::Mode::kMajor}));
    EXPECT_EQ(s.meta[t].time, (music::TimeSignature{4, 4}));
  }
  EXPECT_EQ(s.title, "Test Chorale");
  EXPECT_EQ(s.composer, "Anon.");
  EXPECT_EQ(s.part_names[2], "Tenor");
  EXPECT_EQ(s.ensemble, music::Ensemble::kChoir);
  EXPECT_EQ(s.source, fixture("mx_satb.musicxml"));
}

TEST(MusicXmlReader, PickupSplitBarAndSignatureChanges) {
  Score s = read_musicxml(fixture("mx_pickup.musicxml"));
  ASSERT_EQ(s.length(), 40);
  EXPECT_EQ(s.voices[0], line({{74, 4}, {79, 4}, {78, 4}, {79, 4}, {72, 8}, {76, 4}, {74, 4}, {72, 8}}));
  EXPECT_EQ(s.voices[1], line({{kRest, 40}}));
  const int measure[] = {0, 1, 2, 3, 3, 4};
  const int first_tick[] = {0, 4, 16, 24, 28, 32, 40};
  const int first_pos[] = {8, 0, 0, 0, 4, 0};
  for (int m = 0; m < 6; ++m) {
    for (int t = first_tick[m]; t < first_tick[m + 1]; ++t) {
      EXPECT_EQ(s.meta[t].measure, measure[m]) << t;
      EXPECT_EQ(s.meta[t].tick_in_bar, first_pos[m] + t - first_tick[m]) << t;
    }
  }
  EXPECT_EQ(s.meta[15].key, (music::KeySignature{-2, music::Mode::kMinor}));
  EXPECT_EQ(s.meta[15].time, (music::TimeSignature{3, 4}));
  EXPECT_EQ(s.meta[16].key, (music::KeySignature{0, music::Mode::kMajor}));
  EXPECT_EQ(s.meta[16].time, (music::TimeSignature{2, 4}));
  EXPECT_FALSE(s.meta[31].fermata);
  EXPECT_TRUE(s.meta[32].fermata);
  EXPECT_TRUE(s.meta[39].fermata);
  EXPECT_EQ(s.title, "Pickup Test");
}

TEST(MusicXmlReader, TransposingPartGraceNoteAndDecimalAlter) {
  Score s = read_musicxml(fixture("mx_transpose.musicxml"));
  // Written D5 and Bb4 sound a tone lower; the unpitched note is a rest.
  EXPECT_EQ(s.voices[0], line({{72, 4}, {68, 2}, {kRest, 2}}));
  EXPECT_EQ(s.quantization.notes_dropped_grace, 1);
  // Written D major is concert C major (mode not given).
  EXPECT_EQ(s.meta[0].key, (music::KeySignature{0, music::Mode::kUnknown}));
  EXPECT_EQ(s.meta[0].time, (music::TimeSignature{2, 4}));
}

TEST(MusicXmlReader, TupletsAreCountedInTheQuantizationReport) {
  Score s = read_musicxml(fixture("mx_tuplets.musicxml"));
  EXPECT_EQ(s.voices[0], line({{72, 1}, {74, 2}, {76, 1}, {77, 4}, {79, 8}}));
  EXPECT_EQ(s.quantization.onsets_moved, 3);
  EXPECT_EQ(s.quantization.notes_read, 5);
}

TEST(MusicXmlReader, StringQuartetFixture) {
  Score s = read_musicxml(fixture("mx_quartet.musicxml"));
  EXPECT_EQ(s.ensemble, music::Ensemble::kStringQuartet);
  EXPECT_EQ(s.part_names[3], "Violoncello");
  EXPECT_EQ(s.voices[0], line({{76, 12}, {72, 12}}));
  EXPECT_EQ(s.voices[1], line({{kRest, 12}, {67, 12}}));
  EXPECT_EQ(s.voices[2], line({{60, 4}, {64, 20}}));
  EXPECT_EQ(s.voices[3], line({{48, 12}, {36, 12}}));  // MuseScore's voice 5
  EXPECT_EQ(s.meta[23].time, (music::TimeSignature{3, 4}));
  EXPECT_EQ(s.meta[12].measure, 2);
}

TEST(MusicXmlReader, PartSelectionAndConflictingKeysInOtherParts) {
  std::string xml = one_measure_score(2, "<divisions>1</divisions><key><fifths>0</fifths></key>", kQuarterC);
  // The second part's key disagrees with the first's.
  size_t second = xml.find("<part id=\"P2\">");
  xml.replace(xml.find("<fifths>0</fifths>", second), 18, "<fifths>3</fifths>");
  Score s = parse_musicxml(xml, "keys.musicxml");
  EXPECT_EQ(s.meta[0].key.fifths, 0);
  ASSERT_FALSE(s.warnings.empty());
  EXPECT_NE(s.warnings[0].find("part 2"), std::string::npos);

  ReadOptions second_only;
  second_only.parts = {1};
  Score t = parse_musicxml(xml, "keys.musicxml", second_only);
  EXPECT_EQ(t.voices[0], line({{72, 4}}));
  EXPECT_EQ(t.voices[1], line({{kRest, 4}}));
}

// A part with an underfull measure does not shift its later measures.
TEST(MusicXmlReader, MeasuresAreLinedUpAcrossParts) {
  const std::string whole = "<note><pitch><step>C</step><octave>5</octave></pitch><duration>4</duration></note>";
  const std::string half = "<note><pitch><step>E</step><octave>4</octave></pitch><duration>2</duration></note>";
  std::string xml =
      "<score-partwise><part id=\"P1\"><measure number=\"1\"><attributes><divisions>1</divisions>"
      "</attributes>" +
      whole + "</measure><measure number=\"2\">" + whole +
      "</measure></part>"
      "<part id=\"P2\"><measure number=\"1\"><attributes><divisions>1</divisions></attributes>" +
      half + "</measure><measure number=\"2\">" + half + "</measure></part></score-partwise>";
  Score s = parse_musicxml(xml, "underfull.musicxml");
  EXPECT_EQ(s.voices[0], line({{72, 16}, {72, 16}}));
  EXPECT_EQ(s.voices[1], line({{64, 8}, {kRest, 8}, {64, 8}, {kRest, 8}}));
  EXPECT_EQ(s.meta[16].measure, 2);
}

// An .mxl without mimetype and without META-INF/container.xml, and one whose
// container names a score in a subfolder.
TEST(MusicXmlReader, MxlArchivesOfDifferentShapes) {
  TempDir dir;
  std::string xml = read_text(fixture("mx_satb.musicxml"));
  Score expected = read_musicxml(fixture("mx_satb.musicxml"));

  write_zip(dir.file("bare.mxl"), {{"notes.txt", "not a score"}, {"piece.xml", xml}});
  EXPECT_TRUE(read_musicxml(dir.file("bare.mxl")).same_music(expected));

  std::string container =
      "<?xml version=\"1.0\"?><container><rootfiles><rootfile full-path=\"sub/piece.musicxml\"/>"
      "</rootfiles></container>";
  write_zip(dir.file("sub.mxl"),
            {{"decoy.xml", "<garbage"}, {"META-INF/container.xml", container}, {"sub/piece.musicxml", xml}});
  EXPECT_TRUE(read_musicxml(dir.file("sub.mxl")).same_music(expected));
  EXPECT_EQ(unzip_mxl(read_text(dir.file("sub.mxl")), "sub.mxl"), xml);
}

// --- Writing ------------------------------------------------------------------

// A score exercising ties, dots, beams, accidentals, rests and a fermata.
Score writer_test_score() {
  Score s = music::make_empty_score(32, {0, music::Mode::kMajor}, {4, 4});
  // Soprano: 7 = dotted quarter + 16th, a 16th, two eighths, a note over the
  // bar line, a dotted eighth, a rest, a half note with a fermata.
  s.voices[0] = line({{72, 7}, {74, 1}, {76, 2}, {77, 2}, {79, 5}, {81, 3}, {kRest, 4}, {72, 8}});
  // Alto: 5 = quarter + 16th (G#4 needs a sharp), then G4 (a natural).
  s.voices[1] = line({{68, 5}, {67, 3}, {kRest, 24}});
  music::set_letter(s, 1, 0, 4);  // written G# (spelled by itself, the rule would write Ab before G)
  for (int t = 24; t < 32; ++t) s.meta[t].fermata = true;
  s.title = "Writer Test";
  s.composer = "Nobody";
  return s;
}

// The children of `node` named `name`, in order.
std::vector<pugi::xml_node> all(pugi::xml_node node, const char* name) {
  std::vector<pugi::xml_node> nodes;
  for (pugi::xpath_node n : node.select_nodes((std::string(".//") + name).c_str())) {
    nodes.push_back(n.node());
  }
  return nodes;
}

TEST(MusicXmlWriter, WellFormedWithTiesDotsBeamsAndAccidentals) {
  Score s = writer_test_score();
  std::string xml = to_musicxml(s);
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u);
  EXPECT_NE(xml.find("<!DOCTYPE score-partwise PUBLIC \"-//Recordare//DTD MusicXML 3.1 Partwise//EN\""),
            std::string::npos);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(xml.c_str()));
  pugi::xml_node root = doc.child("score-partwise");
  EXPECT_STREQ(root.attribute("version").value(), "3.1");
  EXPECT_STREQ(root.child("work").child_value("work-title"), "Writer Test");
  EXPECT_STREQ(root.child("identification").child_value("creator"), "Nobody");
  ASSERT_EQ(all(root, "score-part").size(), 4u);
  EXPECT_STREQ(all(root, "midi-program")[0].child_value(), "53");

  std::vector<pugi::xml_node> parts = all(root, "part");
  ASSERT_EQ(parts.size(), 4u);
  // Soprano: note values in order.
  std::vector<std::string> types;
  for (pugi::xml_node note : all(parts[0], "note")) {
    types.push_back(std::string(note.child_value("type")) + (note.child("dot") ? "." : ""));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"quarter.", "16th", "16th", "eighth", "eighth", "quarter", "16th",
                                             "eighth.", "quarter", "half"}));
  EXPECT_EQ(all(parts[0], "tie").size(), 4u);
  EXPECT_EQ(all(parts[0], "tied").size(), 4u);
  EXPECT_EQ(all(parts[0], "measure").size(), 2u);
  std::vector<std::string> beams;
  for (pugi::xml_node beam : all(parts[0], "beam")) {
    beams.push_back(std::string(beam.attribute("number").value()) + ":" + beam.child_value());
  }
  EXPECT_EQ(beams, (std::vector<std::string>{"1:begin", "2:begin", "1:end", "2:end", "1:begin", "1:end", "1:begin",
                                             "2:forward hook", "1:end"}));
  EXPECT_EQ(all(parts[0], "fermata").size(), 1u);

  // Alto: G#4 quarter tied to a 16th (one sharp), then G4 with a natural.
  std::vector<pugi::xml_node> alto = all(parts[1], "note");
  ASSERT_GE(alto.size(), 3u);
  EXPECT_STREQ(alto[0].child("pitch").child_value("alter"), "1");
  EXPECT_STREQ(alto[0].child_value("accidental"), "sharp");
  EXPECT_FALSE(alto[1].child("accidental"));
  EXPECT_STREQ(alto[2].child_value("accidental"), "natural");
  EXPECT_EQ(all(parts[1], "fermata").size(), 1u);  // the rest under the fermata

  // Tenor: whole-measure rests, treble-8 clef.
  pugi::xml_node rest = parts[2].child("measure").child("note").child("rest");
  EXPECT_STREQ(rest.attribute("measure").value(), "yes");
  EXPECT_STREQ(parts[2].child("measure").child("note").child_value("duration"), "16");
  EXPECT_STREQ(all(parts[2], "clef-octave-change")[0].child_value(), "-1");
  EXPECT_STREQ(all(parts[3], "sign")[0].child_value(), "F");
}

TEST(MusicXmlWriter, QuartetClefsAndPrograms) {
  Score s = writer_test_score();
  s.ensemble = music::Ensemble::kStringQuartet;
  s.part_names = music::default_part_names(s.ensemble);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(to_musicxml(s).c_str()));
  std::vector<std::string> programs;
  for (pugi::xml_node p : all(doc, "midi-program")) programs.push_back(p.child_value());
  EXPECT_EQ(programs, (std::vector<std::string>{"41", "41", "42", "43"}));
  std::vector<pugi::xml_node> signs = all(doc, "sign");
  ASSERT_EQ(signs.size(), 4u);
  EXPECT_STREQ(signs[2].child_value(), "C");
  EXPECT_STREQ(signs[2].parent().child_value("line"), "3");
  EXPECT_EQ(parse_musicxml(to_musicxml(s), "q.musicxml").ensemble, music::Ensemble::kStringQuartet);
}

TEST(MusicXmlWriter, RejectsAnInvalidScore) {
  Score s = music::make_empty_score(8, {}, {4, 4});
  s.voices[2][0] = kHold;
  expect_error([&] { to_musicxml(s); }, {"hold"});
}

// --- Round trips --------------------------------------------------------------

void expect_round_trip(const Score& s) {
  std::string xml = to_musicxml(s);
  Score back = parse_musicxml(xml, s.source + " (written)");
  EXPECT_TRUE(back.same_music(s)) << s.source;
  EXPECT_EQ(back.title, s.title);
  EXPECT_EQ(back.composer, s.composer);
  EXPECT_EQ(back.part_names, s.part_names);
}

TEST(MusicXmlRoundTrip, Fixtures) {
  for (const char* name : {"mx_satb.musicxml", "mx_pickup.musicxml", "mx_transpose.musicxml", "mx_tuplets.musicxml",
                           "mx_quartet.musicxml"}) {
    SCOPED_TRACE(name);
    Score s = read_musicxml(fixture(name));
    std::string xml = to_musicxml(s);
    Score back = parse_musicxml(xml, "written");
    EXPECT_TRUE(back.same_music(s));
    EXPECT_EQ(back.title, s.title);
  }
  expect_round_trip(writer_test_score());
}

// Bars as odd as real files have: a bar split in two whose second half
// does not continue the first (as after a repeat), a short bar, a bar longer
// than its time signature.
TEST(MusicXmlRoundTrip, IrregularBars) {
  Score s = music::make_empty_score(62, {-2, music::Mode::kMinor}, {3, 4});
  struct Bar {
    int start, number, first_position;
  };
  const Bar bars[] = {{0, 1, 0}, {12, 2, 0}, {18, 2, 2}, {28, 3, 0}, {30, 3, 0}, {42, 4, 0}, {54, 4, 0}};
  for (int b = 0; b < 7; ++b) {
    int end = b + 1 < 7 ? bars[b + 1].start : s.length();
    for (int t = bars[b].start; t < end; ++t) {
      s.meta[t].measure = bars[b].number;
      s.meta[t].tick_in_bar = bars[b].first_position + t - bars[b].start;
    }
  }
  ASSERT_EQ(music::validate(s), "");
  s.voices[0] = line({{70, 14}, {72, 20}, {74, 28}});
  s.voices[1] = line({{kRest, 12}, {67, 6}, {65, 44}});
  s.voices[2] = line({{62, 30}, {kRest, 2}, {62, 30}});
  s.voices[3] = line({{kRest, 20}, {46, 42}});
  expect_round_trip(s);
}

TEST(MusicXmlRoundTrip, MxlFileAndPlainFile) {
  TempDir dir;
  Score s = read_musicxml(fixture("mx_pickup.musicxml"));
  write_musicxml(s, dir.file("out.mxl"));
  write_musicxml(s, dir.file("out.musicxml"));
  EXPECT_TRUE(read_musicxml(dir.file("out.mxl")).same_music(s));
  EXPECT_TRUE(read_musicxml(dir.file("out.musicxml")).same_music(s));

  // The archive: mimetype first and stored, then the container.
  int error = 0;
  zip_t* archive = zip_open(dir.file("out.mxl").c_str(), ZIP_RDONLY, &error);
  ASSERT_NE(archive, nullptr);
  EXPECT_STREQ(zip_get_name(archive, 0, 0), "mimetype");
  zip_stat_t st;
  ASSERT_EQ(zip_stat_index(archive, 0, 0, &st), 0);
  EXPECT_EQ(st.comp_method, ZIP_CM_STORE);
  EXPECT_GE(zip_name_locate(archive, "META-INF/container.xml", 0), 0);
  zip_discard(archive);
  // No temporary files left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()), 2);
}

TEST(MusicXmlRoundTrip, WholeBachCorpus) {
  fs::path folder = fs::path(DQ_CORPUS) / "bach-chorales" / "musicxml";
  if (!fs::is_directory(folder)) GTEST_SKIP() << "no corpus at " << folder;
  int files = 0;
  int quantized = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    std::string path = entry.path().string();
    SCOPED_TRACE(path);
    Score s;
    try {
      s = read_musicxml(path);
    } catch (const Error& e) {
      ADD_FAILURE() << e.what();
      continue;
    }
    ++files;
    quantized += s.quantization.total_changed() > 0 ? 1 : 0;
    EXPECT_TRUE(music::validate(s).empty());
    EXPECT_EQ(s.part_names[0], "Soprano");
    Score back = parse_musicxml(to_musicxml(s), path + " (written)");
    EXPECT_TRUE(back.same_music(s));
  }
  EXPECT_EQ(files, 365);
  std::cout << files << " chorales read and round-tripped; " << quantized << " needed quantization\n";
}

// MuseScore reads what the writer writes (only where mscore3 is installed).
TEST(MusicXmlRoundTrip, MuseScoreRendersWrittenFile) {
  if (std::system("command -v mscore3 > /dev/null 2>&1") != 0) GTEST_SKIP() << "no mscore3";
  TempDir dir;
  write_musicxml(writer_test_score(), dir.file("score.musicxml"));
  std::string command = "cd " + dir.path.string() +
                        " && QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=" + dir.path.string() +
                        " timeout 60 mscore3 -o score.png score.musicxml > mscore.log 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << read_text(dir.file("mscore.log"));
  EXPECT_TRUE(fs::exists(dir.file("score-1.png")));
}

// --- Malformed input: always a dq::Error, quickly ----------------------------

TEST(MusicXmlMalformed, EmptyAndGarbage) {
  expect_parse_error("", {"bad.musicxml", "XML"});
  std::mt19937 rng(7);
  std::string garbage;
  for (int i = 0; i < 5000; ++i) garbage.push_back(static_cast<char>(rng() & 0xff));
  expect_parse_error(garbage, {"bad.musicxml"});
  expect_parse_error("<html><body>hi</body></html>", {"not a MusicXML score"});
  TempDir dir;
  write_text(dir.file("empty.xml"), "");
  expect_error([&] { read_musicxml(dir.file("empty.xml")); }, {"empty.xml"});
}

TEST(MusicXmlMalformed, TruncatedXml) {
  std::string xml = read_text(fixture("mx_satb.musicxml"));
  expect_parse_error(xml.substr(0, xml.size() / 2), {"not well-formed", "byte offset"});
}

TEST(MusicXmlMalformed, FilesThatAreNotScores) {
  TempDir dir;
  expect_error([&] { read_musicxml(dir.path.string()); }, {"directory"});
  expect_error([&] { read_musicxml(dir.file("missing.musicxml")); }, {"missing.musicxml"});
  write_text(dir.file("text.mxl"), "this is not a zip archive");
  expect_error([&] { read_musicxml(dir.file("text.mxl")); }, {"text.mxl", "zip"});
  write_zip(dir.file("noscore.mxl"), {{"readme.txt", "nothing here"}});
  expect_error([&] { read_musicxml(dir.file("noscore.mxl")); }, {"no MusicXML score"});
  write_zip(
      dir.file("dangling.mxl"),
      {{"META-INF/container.xml", "<container><rootfiles><rootfile full-path=\"gone.xml\"/></rootfiles></container>"}});
  expect_error([&] { read_musicxml(dir.file("dangling.mxl")); }, {"gone.xml"});
}

// Streams `size` zero bytes into a zip entry without holding them in memory.
struct Zeros {
  zip_uint64_t size;
  zip_uint64_t done = 0;
};

zip_int64_t zeros_callback(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  Zeros* z = static_cast<Zeros*>(user);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      z->done = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      zip_uint64_t n = std::min(len, z->size - z->done);
      std::fill_n(static_cast<char*>(data), n, '\0');
      z->done += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_STAT: {
      zip_stat_t* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->size = z->size;
      st->valid |= ZIP_STAT_SIZE;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      return 0;
  }
}

TEST(MusicXmlMalformed, ZipBomb) {
  TempDir dir;
  std::string path = dir.file("bomb.mxl");
  Zeros zeros{200u << 20};
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(archive, nullptr);
  zip_source_t* source = zip_source_function(archive, zeros_callback, &zeros);
  zip_int64_t index = zip_file_add(archive, "score.xml", source, 0);
  ASSERT_GE(index, 0);
  zip_set_file_compression(archive, index, ZIP_CM_DEFLATE, 1);
  ASSERT_EQ(zip_close(archive), 0);
  ASSERT_LT(fs::file_size(path), 2u << 20);  // small on disk

  auto start = std::chrono::steady_clock::now();
  expect_error([&] { read_musicxml(path); }, {"bomb.mxl", "zip bomb"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(MusicXmlMalformed, DivisionsMissingOrBad) {
  expect_parse_error(one_measure_score(1, "", kQuarterC),
                     {"bad.musicxml", "part 1 (X), measure 1", "without divisions"});
  expect_parse_error(one_measure_score(1, "<divisions>0</divisions>", kQuarterC), {"measure 1", "<divisions>"});
  expect_parse_error(one_measure_score(1, "<divisions>99999999</divisions>", kQuarterC), {"<divisions>"});
}

TEST(MusicXmlMalformed, NegativeAndAbsurdDurations) {
  std::string negative = "<note><pitch><step>C</step><octave>5</octave></pitch><duration>-4</duration></note>";
  expect_parse_error(one_measure_score(1, "<divisions>1</divisions>", negative), {"measure 1", "negative duration"});
  std::string huge = "<note><pitch><step>C</step><octave>5</octave></pitch><duration>999999999</duration></note>";
  expect_parse_error(one_measure_score(1, "<divisions>1</divisions>", huge), {"measure 1", "absurd duration"});
  expect_parse_error(one_measure_score(1, "<divisions>1</divisions>",
                                       std::string(kQuarterC) + "<backup><duration>2</duration></backup>"),
                     {"<backup>"});
  std::string no_pitch = "<note><duration>1</duration></note>";
  expect_parse_error(one_measure_score(1, "<divisions>1</divisions>", no_pitch), {"<pitch>"});
  std::string bad_step = "<note><pitch><step>H</step><octave>5</octave></pitch><duration>1</duration></note>";
  expect_parse_error(one_measure_score(1, "<divisions>1</divisions>", bad_step), {"<step>"});
  expect_parse_error(
      one_measure_score(1, "<divisions>1</divisions><time><beats>3</beats><beat-type>5</beat-type></time>", kQuarterC),
      {"time signature"});
}

TEST(MusicXmlMalformed, PartCounts) {
  expect_parse_error("<score-partwise><part-list/></score-partwise>", {"no <part>"});
  expect_parse_error(one_measure_score(17, "<divisions>1</divisions>", kQuarterC),
                     {"17 parts: deepquartet reads at most 16"});
  expect_parse_error("<score-timewise><part-list/></score-timewise>", {"score-timewise"});
}

TEST(MusicXmlMalformed, TooLong) {
  // 10,001 measures of one 16th each.
  std::string xml = "<score-partwise><part id=\"P1\">";
  xml +=
      "<measure number=\"1\"><attributes><divisions>4</divisions></attributes>" + std::string(kQuarterC) + "</measure>";
  for (int m = 2; m <= 10001; ++m) xml += "<measure>" + std::string(kQuarterC) + "</measure>";
  xml += "</part></score-partwise>";
  expect_parse_error(xml, {"more than 10000 measures"});
  // A piece longer than 100,000 sixteenths.
  std::string whole = "<note><pitch><step>C</step><octave>5</octave></pitch><duration>1000</duration></note>";
  std::string notes;
  for (int i = 0; i < 30; ++i) notes += whole;
  expect_parse_error(one_measure_score(1, "<divisions>1</divisions>", notes), {"longer than 100000 sixteenths"});
}

TEST(MusicXmlMalformed, DeepNesting) {
  const int depth = 100000;
  std::string xml = "<score-partwise>";
  for (int i = 0; i < depth; ++i) xml += "<a>";
  for (int i = 0; i < depth; ++i) xml += "</a>";
  xml += "</score-partwise>";
  expect_parse_error(xml, {"no <part>"});
  std::string unclosed = "<score-partwise><part id=\"P1\"><measure>";
  for (int i = 0; i < depth; ++i) unclosed += "<note>";
  expect_parse_error(unclosed, {"bad.musicxml"});
}

}  // namespace
}  // namespace dq::io
