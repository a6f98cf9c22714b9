#include "eval/report.h"

#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "score_maker.h"
#include "util/error.h"

namespace dq::eval {
namespace {

using testing::make_score;
using testing::N;
using testing::set_fermata;

// A clean four-bar chorale-like phrase in C major ending on a fermata,
// transposed by `shift` semitones (within the choir ranges for |shift| <= 2).
music::Score chorale(int shift) {
  std::vector<std::vector<N>> v = {{{72, 4}, {74, 4}, {76, 4}, {77, 4}, {74, 4}, {72, 8}},
                                   {{67, 4}, {67, 4}, {67, 4}, {65, 4}, {67, 4}, {67, 8}},
                                   {{64, 4}, {62, 4}, {60, 4}, {60, 4}, {62, 4}, {64, 8}},
                                   {{48, 4}, {47, 4}, {48, 4}, {45, 4}, {55, 4}, {48, 8}}};
  for (auto& voice : v)
    for (N& n : voice) n.pitch += shift;
  music::Score s = make_score(v, {0, music::Mode::kMajor});
  for (auto& m : s.meta) m.key.fifths = ((shift * 7) % 12 + 18) % 12 - 6;
  set_fermata(s, 20, 28);
  return s;
}

// The same with parallel fifths everywhere between soprano and bass.
music::Score bad_piece() {
  return make_score({{{72, 4}, {74, 4}, {76, 4}, {77, 4}, {79, 4}},
                     {{64, 20}},
                     {{60, 20}},
                     {{53, 4}, {55, 4}, {57, 4}, {58, 4}, {60, 4}}});
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Report, GradeRewardsCleanPieces) {
  Reference ref;
  for (auto& p : ref.rule_p90) p = 0.01;
  ref.noncadential_p90 = 0.2;
  for (auto& s : ref.spread) s = {0.1, 0.2};
  RuleCounts clean;
  clean.notes = 100;
  FeatureDistances close;
  close.fill(0.1);
  EXPECT_DOUBLE_EQ(piece_grade(clean, close, ref), 100.0);
  // Parallel fifths at twice the reference rate halve one of ten rule scores.
  RuleCounts fifths = clean;
  fifths.violations[static_cast<int>(Rule::kParallelFifths)] = 2;
  EXPECT_NEAR(piece_grade(fifths, close, ref), 50 * (9.5 / 10 + 1), 1e-9);
  // Every distance at four times Bach's 90th percentile scores 0.25.
  FeatureDistances far;
  far.fill(0.8);
  EXPECT_NEAR(piece_grade(clean, far, ref), 50 * (1 + 0.25), 1e-9);
}

TEST(Report, EvaluateGradesBachAboveBadPieces) {
  std::vector<music::Score> bach = {chorale(0), chorale(2), chorale(-2), chorale(1)};
  std::vector<music::Score> generated = {bad_piece(), chorale(0)};
  EvalReport r = evaluate(generated, bach, {chorale(0)}, choir_ranges());
  ASSERT_EQ(r.generated.size(), 2);
  ASSERT_EQ(r.bach.size(), 4);
  EXPECT_EQ(r.generated.total.count(Rule::kParallelFifths), 4);
  EXPECT_EQ(r.bach.total.count(Rule::kParallelFifths), 0);
  EXPECT_EQ(r.bach.total.fermatas, 4);
  EXPECT_EQ(r.bach.total.cadential_fermatas, 4);
  EXPECT_LT(r.generated.grades[0], r.generated.grades[1]);
  EXPECT_NEAR(r.generated.grades[1], 100.0, 1e-9);
  EXPECT_EQ(r.generated.copies[1][3].length, 6);  // a copy of the training piece
  EXPECT_EQ(r.generated.copies[1][3].other_piece, 0);
  EXPECT_THROW(evaluate(generated, {chorale(0)}, {}, choir_ranges()), Error);
}

TEST(Report, CompareReharmonizations) {
  music::Score original = chorale(0);
  music::Score changed = original;
  changed.voices[1][0] = 65;  // the alto's first note F4 instead of G4: 4 of 28 ticks
  Reharmonization h = compare_reharmonizations({changed}, {original});
  EXPECT_EQ(h.pieces, 1);
  EXPECT_DOUBLE_EQ(h.note_agreement[0], 1.0);
  EXPECT_DOUBLE_EQ(h.note_agreement[1], 24.0 / 28);
  EXPECT_DOUBLE_EQ(h.chord_agreement, 5.0 / 6);
  EXPECT_THROW(compare_reharmonizations({changed}, {}), Error);
}

TEST(Report, WritesMarkdownJsonAndCharts) {
  std::vector<music::Score> bach = {chorale(0), chorale(2), chorale(-2)};
  EvalReport r = evaluate({bad_piece()}, bach, {chorale(1)}, choir_ranges());
  r.title = "Test report";
  r.facts.push_back({"model", "none"});
  r.tables.push_back({"Model metrics", {"Voice", "Loss"}, {{"alto", "1.25"}, {"tenor", "1.5"}}, ""});
  r.reharmonization = compare_reharmonizations(bach, bach);
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("dq_report_test_" + std::to_string(getpid()));
  fs::create_directories(dir);
  write_report(r, (dir / "report.md").string());
  std::string md = read_text((dir / "report.md").string());
  EXPECT_NE(md.find("# Test report"), std::string::npos);
  EXPECT_NE(md.find("## Voice-leading rules"), std::string::npos);
  EXPECT_NE(md.find("| parallel fifths | 0.3333 | 0.0000 | n/a |"), std::string::npos);
  EXPECT_NE(md.find("## Model metrics"), std::string::npos);
  EXPECT_NE(md.find("report_pitch_class.png"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "report_chord_quality.png"));
  auto json = nlohmann::json::parse(read_text((dir / "report.json").string()));
  EXPECT_EQ(json["generated"]["total"]["rules"]["parallel_fifths"]["count"], 4);
  EXPECT_EQ(json["bach_test"]["pieces"], 3);
  EXPECT_EQ(json["reharmonization"]["chord_agreement"], 1.0);
  EXPECT_EQ(json["tables"][0]["rows"][1][0], "tenor");
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dq::eval
