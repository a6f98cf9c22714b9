// The MuseScore plugin (musescore/deepquartet) run for real: MuseScore 3
// headless (`mscore3 -p driver.qml score`, Qt's offscreen platform) against
// a real `deepquartet serve` on loopback with the shipped bach.dqm. Each test
// fills in driver.qml.in with the selection and the plugin actions to run,
// then reads the scores MuseScore saved with this project's MusicXML reader
// and compares their token grids.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "io/musicxml_reader.h"
#include "io/musicxml_writer.h"
#include "music/score.h"
#include "util/file_util.h"

extern char** environ;

namespace dq {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSource = DQ_SOURCE_DIR;
const std::string kCorpus = DQ_CORPUS;

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class PluginTest : public ::testing::Test {
 protected:
  // One server for the suite: the shipped model, on a port of its own.
  static void SetUpTestSuite() {
    port_ = 20000 + ::getpid() % 20000;
    std::string port = std::to_string(port_);
    std::string model = kSource + "/models/bach.dqm";
    std::vector<std::string> args = {DQ_BINARY, "serve", "--port", port, "--model", model, "--quiet"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ASSERT_EQ(posix_spawn(&server_pid_, DQ_BINARY, nullptr, nullptr, argv.data(), environ), 0);
    httplib::Client probe("127.0.0.1", port_);
    for (int i = 0; i < 300 && !probe.Get("/api/health"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(probe.Get("/api/health")) << "deepquartet serve did not start on port " << port_;
  }

  static void TearDownTestSuite() {
    if (server_pid_ > 0) {
      ::kill(server_pid_, SIGTERM);
      ::waitpid(server_pid_, nullptr, 0);
    }
  }

  void SetUp() override {
    out_ = fs::temp_directory_path() / ("dq_plugin_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(out_);
    fs::create_directories(out_);
    fs::permissions(out_, fs::perms::owner_all);  // also MuseScore's XDG_RUNTIME_DIR
  }

  void TearDown() override {
    if (!HasFailure() && !std::getenv("DQ_KEEP_TEST_OUTPUT")) fs::remove_all(out_);
  }

  // Runs the plugin's deepquartet.js in MuseScore on `score`: `select` (the
  // navigation commands, a JavaScript list) then `action`. Returns the
  // result.json the action wrote.
  json run_plugin(const std::string& score, const std::string& select, const std::string& action,
                  const std::string& server = "") {
    std::string driver = util::read_file_bytes(kSource + "/tests/musescore/driver.qml.in");
    driver = replace_all(driver, "@SELECT@", select);
    driver = replace_all(driver, "@ACTION@", action);
    driver = replace_all(driver, "@JS@", "file://" + kSource + "/musescore/deepquartet/deepquartet.js");
    driver = replace_all(driver, "@SERVER@", server.empty() ? "http://127.0.0.1:" + std::to_string(port_) : server);
    driver = replace_all(driver, "@OUT@", out_.string());
    fs::path qml = out_ / "driver.qml";
    util::write_file_atomically(qml.string(), driver);
    std::string command = "cd " + out_.string() + " && QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=" + out_.string() +
                          " timeout 300 mscore3 -p " + qml.string() + " " + score + " > " +
                          (out_ / "mscore.log").string() + " 2>&1";
    int rc = std::system(command.c_str());
    EXPECT_EQ(rc, 0) << command << "\n" << log();
    fs::path result = out_ / "result.json";
    if (!fs::exists(result)) {
      ADD_FAILURE() << "the plugin wrote no result\n" << log();
      return json::object();
    }
    return json::parse(util::read_file_bytes(result.string()));
  }

  std::string log() const {
    fs::path path = out_ / "mscore.log";
    return fs::exists(path) ? util::read_file_bytes(path.string()) : "";
  }

  music::Score saved(const std::string& name) const {
    return io::read_musicxml((out_ / (name + ".musicxml")).string());
  }

  static int port_;
  static pid_t server_pid_;
  fs::path out_;
};

int PluginTest::port_ = 0;
pid_t PluginTest::server_pid_ = 0;

// Bars 3-4 of the alto and tenor: from the first note of the score, two bars
// on, one staff down, then extended by two bars and one staff.
const std::string kAltoTenorBars3To4 =
    "\"first-element\", \"next-measure\", \"next-measure\", \"down-chord\", "
    "\"select-next-measure\", \"select-next-measure\", \"select-staff-below\"";

// Voices `voices` of `after` equal `grid` in [from, to); everything else
// equals `before`.
void expect_written(const music::Score& before, const music::Score& after, const json& grid, int from, int to,
                    const std::vector<int>& voices) {
  ASSERT_EQ(after.length(), before.length());
  for (int v = 0; v < music::kNumVoices; ++v) {
    bool inside_voice = std::find(voices.begin(), voices.end(), v) != voices.end();
    for (int t = 0; t < before.length(); ++t) {
      if (inside_voice && t >= from && t < to) {
        EXPECT_EQ(after.voices[v][t], grid[v][t].get<int>()) << "voice " << v << " tick " << t << " (inside)";
      } else {
        EXPECT_EQ(after.voices[v][t], before.voices[v][t]) << "voice " << v << " tick " << t << " (outside)";
      }
    }
  }
}

TEST_F(PluginTest, RegeneratesOnlyTheSelectionCyclesAndUndoes) {
  std::string chorale = kCorpus + "/bach-chorales/musicxml/bwv10.7.mxl";
  json result = run_plugin(chorale, kAltoTenorBars3To4, R"(
        DQ.regenerate(ctx, { alternatives: 2 }, function (error, state) {
            if (error) { report({ error: error }); return; }
            save("after0");
            var first = state.steps;
            DQ.showAlternative(ctx, state, 1);
            save("after1");
            DQ.takeBack(ctx, state.steps);
            save("undone");
            report({ error: null, region: state.region, alternatives: state.alternatives, steps: [first, state.steps] });
        });)");
  ASSERT_TRUE(result.contains("error")) << log();
  ASSERT_TRUE(result["error"].is_null()) << result["error"] << "\n" << log();
  const json& region = result["region"];
  EXPECT_EQ(region["startStaff"], 1);
  EXPECT_EQ(region["endStaff"], 2);
  music::Score before = saved("before");
  int from = region["startTick"].get<int>() / 120, to = region["endTick"].get<int>() / 120;
  EXPECT_EQ(from, 2 * before.meta[0].time.ticks_per_bar());  // bar 3 (no pickup)
  EXPECT_EQ(to, 4 * before.meta[0].time.ticks_per_bar());
  ASSERT_EQ(result["alternatives"].size(), 2u);

  expect_written(before, saved("after0"), result["alternatives"][0], from, to, {1, 2});
  expect_written(before, saved("after1"), result["alternatives"][1], from, to, {1, 2});
  bool changed = false;
  for (const json& alt : result["alternatives"]) {
    for (int v : {1, 2}) {
      for (int t = from; t < to; ++t) changed = changed || alt[v][t].get<int>() != before.voices[v][t];
    }
  }
  EXPECT_TRUE(changed) << "neither alternative changed the selection";
  // MuseScore's undo takes the plugin's writing back exactly.
  music::Score undone = saved("undone");
  for (int v = 0; v < music::kNumVoices; ++v) EXPECT_EQ(undone.voices[v], before.voices[v]) << "voice " << v;
}

// The writer on a grid made to need everything the notation has: a note
// that goes on from before the region (a tie into it), a note of five
// sixteenths (a quarter tied to a sixteenth), a rest, and a last note that
// goes on past the region into the note that was tied there.
TEST_F(PluginTest, WritesTiesRestsAndNotesAcrossTheRegionEdges) {
  std::string chorale = kCorpus + "/bach-chorales/musicxml/bwv10.7.mxl";
  music::Score original = io::read_musicxml(chorale);
  const int bar = original.meta[0].time.ticks_per_bar();
  // A lower voice with a note tied over a bar line, and a note sounding
  // before the bar before it.
  int voice = -1, end = -1;
  for (int v = 1; v < music::kNumVoices && voice < 0; ++v) {
    for (int b = 2 * bar; b < original.length(); b += bar) {
      if (original.voices[v][b] == music::kHold && original.voices[v][b - bar - 1] != music::kRest) {
        voice = v;
        end = b;
        break;
      }
    }
  }
  ASSERT_GE(voice, 0) << "no note tied over a bar line in " << chorale;
  const int start = end - bar;
  auto sounding = [&](int t) {
    while (original.voices[voice][t] == music::kHold) --t;
    return original.voices[voice][t];
  };
  json grid = json::array();
  for (int v = 0; v < music::kNumVoices; ++v) grid.push_back(original.voices[v]);
  std::vector<int> region(bar, music::kHold);             // ticks 0-1: the note before goes on
  region[2] = sounding(end - bar + 2) + 1;                // 2-6: five sixteenths
  for (int t = 7; t < 10; ++t) region[t] = music::kRest;  // 7-9: a rest
  region[10] = sounding(end);                             // 10-15: goes on past the region
  for (int t = 0; t < bar; ++t) grid[voice][start + t] = region[t];
  const int scale = 120;  // MuseScore ticks per sixteenth
  std::string action = "var grid = " + grid.dump() + ";\n" + "var region = { startStaff: " + std::to_string(voice) +
                       ", endStaff: " + std::to_string(voice) + ", startTick: " + std::to_string(start * scale) +
                       ", endTick: " + std::to_string(end * scale) + " };\n" + R"(
        var steps = DQ.write(ctx, grid, region);
        save("after0");
        DQ.takeBack(ctx, steps);
        save("undone");
        report({ error: null, steps: steps });)";
  json result = run_plugin(chorale, "", action);
  ASSERT_TRUE(result.contains("steps")) << log();
  EXPECT_EQ(result["steps"], 4) << "one command and three ties";
  music::Score before = saved("before");
  for (int v = 0; v < music::kNumVoices; ++v) ASSERT_EQ(before.voices[v], original.voices[v]) << "voice " << v;
  expect_written(before, saved("after0"), grid, start, end, {voice});
  music::Score after = saved("after0");
  EXPECT_EQ(after.voices[voice][end], music::kHold) << "the last note is not tied past the region";
  music::Score undone = saved("undone");
  for (int v = 0; v < music::kNumVoices; ++v) EXPECT_EQ(undone.voices[v], before.voices[v]) << "voice " << v;
}

// A four-staff score whose lower staves are empty: the melody of the top
// staff gets alto, tenor and bass in them.
TEST_F(PluginTest, HarmonizesTheTopStaffInPlace) {
  music::Score melody = io::read_musicxml(kSource + "/examples/old-hundredth.musicxml");
  music::Score four = melody;
  for (int v = 1; v < music::kNumVoices; ++v) four.voices[v].assign(four.length(), music::kRest);
  fs::path input = out_ / "melody-satb.musicxml";
  io::write_musicxml(four, input.string());
  json result = run_plugin(input.string(), "", R"(
        DQ.harmonize(ctx, {}, function (error, state) {
            if (error) { report({ error: error }); return; }
            save("after0");
            report({ error: null, region: state.region, grid: state.alternatives[0], steps: state.steps });
        });)");
  ASSERT_TRUE(result.contains("error")) << log();
  ASSERT_TRUE(result["error"].is_null()) << result["error"] << "\n" << log();
  music::Score before = saved("before");
  music::Score after = saved("after0");
  expect_written(before, after, result["grid"], 0, before.length(), {1, 2, 3});
  for (int v = 1; v < music::kNumVoices; ++v) EXPECT_FALSE(music::voice_notes(after, v).empty()) << "voice " << v;
  EXPECT_EQ(after.voices[0], melody.voices[0]);
}

// A one-staff melody: the harmonization opens as a new four-staff score.
TEST_F(PluginTest, HarmonizesAOneStaffMelodyIntoANewScore) {
  std::string melody_file = kSource + "/examples/old-hundredth.musicxml";
  json result = run_plugin(melody_file, "", R"(
        DQ.harmonize(ctx, {}, function (error, result) {
            if (error) { report({ error: error }); return; }
            writeScore(result.score, "@OUT@/new", "musicxml");
            report({ error: null, staves: result.score.nstaves });
        });)");
  ASSERT_TRUE(result.contains("error")) << log();
  ASSERT_TRUE(result["error"].is_null()) << result["error"] << "\n" << log();
  EXPECT_EQ(result["staves"], 4);
  music::Score melody = io::read_musicxml(melody_file);
  music::Score harmonized = saved("new");
  ASSERT_EQ(music::voice_notes(harmonized, 0).size(), music::voice_notes(melody, 0).size());
  for (int v = 1; v < music::kNumVoices; ++v) EXPECT_FALSE(music::voice_notes(harmonized, v).empty());
}

// What the plugin cannot do is a message, and the score stays as it was.
TEST_F(PluginTest, ChordsInAVoiceAndAServerThatIsDownGetAMessage) {
  std::string chorale = kCorpus + "/bach-chorales/musicxml/bwv10.7.mxl";
  // A second note added to the alto's first chord of bar 3, the selection made
  // again, then Regenerate.
  json chord = run_plugin(chorale, kAltoTenorBars3To4, R"(
        var cursor = DQ.cursorAt(ctx, 1, 0, 8 * division);
        curScore.startCmd();
        var note = newElement(Element.NOTE);
        note.pitch = cursor.element.notes[0].pitch - 3;
        cursor.element.add(note);
        curScore.endCmd();
        for (var j = 0; j < commands.length; ++j) cmd(commands[j]);  // the edit dropped the selection
        DQ.regenerate(ctx, {}, function (error, state) { report({ error: error }); });)");
  EXPECT_EQ(chord["error"],
            "deepquartet writes one note at a time per staff: there is a chord of 2 notes in staff 2, bar 3.")
      << log();

  json down = run_plugin(chorale, kAltoTenorBars3To4, R"(
        DQ.regenerate(ctx, {}, function (error, state) { save("after0"); report({ error: error }); });)",
                         "http://127.0.0.1:9");
  ASSERT_TRUE(down["error"].is_string()) << log();
  EXPECT_NE(down["error"].get<std::string>().find("No deepquartet server answers at http://127.0.0.1:9"),
            std::string::npos)
      << down["error"];
  music::Score before = saved("before"), after = saved("after0");
  for (int v = 0; v < music::kNumVoices; ++v) EXPECT_EQ(after.voices[v], before.voices[v]);
}

}  // namespace
}  // namespace dq
