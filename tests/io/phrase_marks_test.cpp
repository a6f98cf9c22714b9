// Phrase marks (Score::phrase_ends) as the readers find them: kern "}" and
// "," and double bar lines, MusicXML breath marks, caesuras, double bar
// lines and phrase slurs. How reharmonize uses them: tests/sample/melody_fixtures_test.cpp.
#include <gtest/gtest.h>

#include "io/kern_reader.h"
#include "io/musicxml_reader.h"

namespace dq::io {
namespace {

TEST(PhraseMarks, KernPhraseEndsBreathsAndDoubleBars) {
  // 4/4 quarters: a phrase ends after beat 2 ("}"), a breath after beat 4 of
  // bar 2 (","), a double bar after bar 3; the final "==" is no phrase end.
  const std::string kern =
      "**kern\n*M4/4\n=1\n{4c\n4d}\n{4e\n4f\n=2\n4g\n4a\n4b\n4cc,\n=3\n4cc\n4b\n4a\n4g\n=||\n4f\n4e\n4d\n4c}\n==\n*-\n";
  music::Score s = parse_kern(kern, "phrases.krn");
  EXPECT_EQ(s.phrase_ends, (std::vector<int>{8, 32, 48, 64}));
}

TEST(PhraseMarks, MusicXmlBreathMarksCaesurasAndDoubleBars) {
  auto note = [](const char* step, const char* mark) {
    std::string n =
        std::string("<note><pitch><step>") + step + "</step><octave>4</octave></pitch><duration>1</duration>";
    if (*mark) n += std::string("<notations><articulations><") + mark + "/></articulations></notations>";
    return n + "</note>";
  };
  const std::string xml =
      "<?xml version=\"1.0\"?><score-partwise version=\"3.1\"><part-list><score-part id=\"P1\"/></part-list>"
      "<part id=\"P1\"><measure number=\"1\"><attributes><divisions>1</divisions><time><beats>4</beats>"
      "<beat-type>4</beat-type></time></attributes>" +
      note("C", "") + note("D", "breath-mark") + note("E", "") + note("F", "") +
      "<barline location=\"right\"><bar-style>light-light</bar-style></barline></measure><measure number=\"2\">" +
      note("G", "") + note("A", "") + note("B", "caesura") + note("C", "") +
      "<barline location=\"right\"><bar-style>light-heavy</bar-style></barline></measure></part></score-partwise>";
  music::Score s = parse_musicxml(xml, "phrases.xml");
  EXPECT_EQ(s.phrase_ends, (std::vector<int>{8, 16, 28}));
}

TEST(PhraseMarks, MusicXmlSlursOverAPhraseButNotShortSlurs) {
  // 4/4: a slur over bars 1-2 (a phrase: 8 quarters); over bars 3-4 another,
  // with slurs numbered 2 inside it over three eighths and over three
  // quarters (articulation, melisma: no phrase ends).
  auto note = [](const char* step, int eighths, const std::string& slurs) {
    std::string n = std::string("<note><pitch><step>") + step + "</step><octave>4</octave></pitch><duration>" +
                    std::to_string(eighths) + "</duration>";
    if (!slurs.empty()) n += "<notations>" + slurs + "</notations>";
    return n + "</note>";
  };
  auto slur = [](const char* type, int number) {
    return std::string("<slur type=\"") + type + "\" number=\"" + std::to_string(number) + "\"/>";
  };
  const std::string xml =
      "<?xml version=\"1.0\"?><score-partwise version=\"3.1\"><part-list><score-part id=\"P1\"/></part-list>"
      "<part id=\"P1\"><measure number=\"1\"><attributes><divisions>2</divisions><time><beats>4</beats>"
      "<beat-type>4</beat-type></time></attributes>" +
      note("C", 2, slur("start", 1)) + note("D", 2, "") + note("E", 2, "") + note("F", 2, "") +
      "</measure><measure number=\"2\">" + note("G", 2, "") + note("A", 2, "") + note("B", 2, "") +
      note("C", 2, slur("stop", 1)) + "</measure><measure number=\"3\">" + note("C", 2, slur("start", 1)) +
      note("D", 2, "") + note("E", 1, slur("start", 2)) + note("F", 1, "") + note("G", 1, slur("stop", 2)) +
      note("A", 1, "") + "</measure><measure number=\"4\">" + note("B", 2, "") + note("C", 2, slur("start", 2)) +
      note("D", 2, "") + note("E", 2, slur("stop", 2) + slur("stop", 1)) + "</measure></part></score-partwise>";
  music::Score s = parse_musicxml(xml, "slurs.xml");
  EXPECT_EQ(s.phrase_ends, (std::vector<int>{32, 64}));
}

}  // namespace
}  // namespace dq::io
