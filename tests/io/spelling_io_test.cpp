// Spelling through reading and writing: the letters files write come back
// unchanged (MusicXML, kern), through transposition too, and the rule that
// spells notes without a letter agrees with Bach on his chorales.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "io/kern_reader.h"
#include "io/musicxml_reader.h"
#include "io/musicxml_writer.h"
#include "music/spelling.h"
#include "music/transpose.h"

namespace dq::io {
namespace {

namespace fs = std::filesystem;
using music::Letter;
using music::Score;

std::string note_xml(const char* step, int alter, int octave) {
  std::string s = "<note><pitch><step>" + std::string(step) + "</step>";
  if (alter != 0) s += "<alter>" + std::to_string(alter) + "</alter>";
  return s + "<octave>" + std::to_string(octave) + "</octave></pitch><duration>1</duration><type>quarter</type></note>";
}

// One part in G minor: F#4 Gb4 E#4 Cb5.
std::string melody_xml() {
  return "<?xml version=\"1.0\"?><score-partwise version=\"3.1\"><part-list><score-part id=\"P1\">"
         "<part-name>Soprano</part-name></score-part></part-list><part id=\"P1\"><measure number=\"1\">"
         "<attributes><divisions>1</divisions><key><fifths>-2</fifths><mode>minor</mode></key>"
         "<time><beats>4</beats><beat-type>4</beat-type></time></attributes>" +
         note_xml("F", 1, 4) + note_xml("G", -1, 4) + note_xml("E", 1, 4) + note_xml("C", -1, 5) +
         "</measure></part></score-partwise>";
}

// The (letter, alter) of every note onset of voice v as written.
std::vector<std::pair<char, int>> written(const Score& s, int v) {
  const auto letters = music::spell_notes(s);
  std::vector<std::pair<char, int>> out;
  for (int t = 0; t < s.length(); ++t) {
    if (!music::is_pitch(s.voices[v][t])) continue;
    music::SpelledPitch p = music::spelled_as(s.voices[v][t], letters[v][t]);
    out.emplace_back(p.step, p.alter);
  }
  return out;
}

TEST(SpellingIo, MusicXmlLettersComeBackAsWritten) {
  Score s = parse_musicxml(melody_xml(), "melody.xml");
  const std::vector<std::pair<char, int>> expected = {{'F', 1}, {'G', -1}, {'E', 1}, {'C', -1}};
  EXPECT_EQ(written(s, 0), expected);
  Score back = parse_musicxml(to_musicxml(s), "written.xml");
  EXPECT_EQ(written(back, 0), expected);
  // Up a tone (A minor): G#, Ab, F##, Db.
  Score up = transpose(s, 2);
  const std::vector<std::pair<char, int>> up_expected = {{'G', 1}, {'A', -1}, {'F', 2}, {'D', -1}};
  EXPECT_EQ(written(parse_musicxml(to_musicxml(up), "up.xml"), 0), up_expected);
}

TEST(SpellingIo, KernLettersAreRead) {
  const std::string kern = "**kern\n*k[b-e-]\n*g:\n*M4/4\n=1\n4f#\n4G-\n4e#\n4cc-\n==\n*-\n";
  Score s = parse_kern(kern, "melody.krn");
  const std::vector<std::pair<char, int>> expected = {{'F', 1}, {'G', -1}, {'E', 1}, {'C', -1}};
  EXPECT_EQ(written(s, 0), expected);
  EXPECT_EQ(written(parse_musicxml(to_musicxml(s), "written.xml"), 0), expected);
}

// Every chorale of the corpus: its spelling comes back unchanged from the
// writer, and the rule, given the pitches alone, agrees with it on at least
// 99.7% of the notes.
TEST(SpellingIo, BachChoralesKeepTheirSpellingAndTheRuleAgrees) {
  fs::path folder = fs::path(DQ_CORPUS) / "bach-chorales" / "musicxml";
  if (!fs::is_directory(folder)) GTEST_SKIP() << "no corpus at " << folder;
  long notes = 0, kept = 0, agreed = 0;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string path = entry.path().string();
    Score s = read_musicxml(path);
    ++files;
    Score back = parse_musicxml(to_musicxml(s), path + " (written)");
    Score bare = s;
    for (auto& row : bare.letters) row.clear();
    const auto file = music::spell_notes(s), rule = music::spell_notes(bare), again = music::spell_notes(back);
    for (int v = 0; v < music::kNumVoices; ++v)
      for (int t = 0; t < s.length(); ++t) {
        if (!music::is_pitch(s.voices[v][t]) || music::letter_at(s, v, t) == music::kUnspelled) continue;
        ++notes;
        kept += again[v][t] == file[v][t];
        agreed += rule[v][t] == file[v][t];
      }
  }
  EXPECT_EQ(files, 365);
  EXPECT_EQ(kept, notes);
  const double agreement = static_cast<double>(agreed) / static_cast<double>(notes);
  std::cout << notes << " notes; spelled from the pitches alone, " << agreed << " as Bach spelled them ("
            << 100 * agreement << "%)\n";
  EXPECT_GE(agreement, 0.997);
}

}  // namespace
}  // namespace dq::io
