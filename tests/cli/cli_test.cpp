// The deepquartet program end to end: each test runs the real binary (path
// from DQ_BINARY) in a temporary folder and checks its exit code (0 ok, 1 bad
// input, 2 usage), what it prints and the files it writes, reading them back
// with the library.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "io/score_file.h"
#include "model/model.h"
#include "support/core_test_util.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::testing {
namespace {

struct CliRun {
  int code = -1;
  std::string out, err;
  double seconds = 0;
};

// Single-quotes `s` for the shell.
std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs `deepquartet ARGS` in `dir` (arguments already quoted where needed),
// capturing the exit code, stdout and stderr. A run that hangs is killed
// after two minutes (exit code 124).
CliRun run_in(const TempDir& dir, const std::string& args) {
  const std::string out = dir.file(".stdout"), err = dir.file(".stderr");
  std::string command = "cd " + quote(dir.path().string()) + " && env -u DEEPQUARTET_MODEL timeout 120 " +
                        quote(DQ_BINARY) + " " + args + " > " + quote(out) + " 2> " + quote(err);
  auto start = std::chrono::steady_clock::now();
  int status = std::system(command.c_str());
  CliRun r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = util::read_file_bytes(out);
  r.err = util::read_file_bytes(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

std::string describe(const CliRun& r) {
  return "exit " + std::to_string(r.code) + "\nstdout:\n" + r.out + "\nstderr:\n" + r.err;
}

// Names of the files in `dir`.
std::set<std::string> files_in(const TempDir& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.path())) names.insert(entry.path().filename().string());
  return names;
}

void write_bytes(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// An untrained model with the chorale's vocabulary: enough for the flag checks.
std::string untrained_model(const TempDir& dir) {
  model::ModelConfig c = tiny_config("fast");
  for (int v = 0; v < music::kNumVoices; ++v) c.vocab[v] = {chorale_range(v).first, chorale_range(v).second};
  c.styles = {"bach"};
  model::Model m = model::Model::create(c);
  std::string path = dir.file("untrained.dqm");
  model::save_model(m, path);
  return path;
}

// Expects a quick exit with `code` and `needle` in stderr.
void expect_failure(const CliRun& r, int code, const std::string& needle) {
  EXPECT_EQ(r.code, code) << describe(r);
  EXPECT_NE(r.err.find(needle), std::string::npos) << "expected '" << needle << "' in stderr\n" << describe(r);
  EXPECT_LT(r.seconds, 5.0) << describe(r);
}

TEST(CoreCli, NoSubcommandIsAUsageError) {
  TempDir dir("cli_usage");
  CliRun r = run_in(dir, "");
  EXPECT_EQ(r.code, 2) << describe(r);
  EXPECT_FALSE(r.err.empty());
  r = run_in(dir, "--bogus");
  EXPECT_EQ(r.code, 2) << describe(r);
  r = run_in(dir, "frobnicate");
  EXPECT_EQ(r.code, 2) << describe(r);
  r = run_in(dir, "corpus");
  EXPECT_EQ(r.code, 2) << describe(r);
}

TEST(CoreCli, UnknownFlagIsAUsageError) {
  TempDir dir("cli_flag");
  CliRun r = run_in(dir, "info --bogus " + quote(chorale_path()));
  EXPECT_EQ(r.code, 2) << describe(r);
  EXPECT_NE(r.err.find("--bogus"), std::string::npos) << describe(r);
  r = run_in(dir, "info");  // missing positional
  EXPECT_EQ(r.code, 2) << describe(r);
  r = run_in(dir, "train --corpus x -o m.dqm --preset transformer");
  EXPECT_EQ(r.code, 2) << describe(r);
  r = run_in(dir, "train --corpus x -o m.dqm --lr-schedule linear");
  EXPECT_EQ(r.code, 2) << describe(r);
  EXPECT_NE(r.err.find("linear"), std::string::npos) << describe(r);
  r = run_in(dir, "generate --bars four -o x.mid");
  EXPECT_EQ(r.code, 2) << describe(r);
  r = run_in(dir, "generate --bars 4");  // no output
  EXPECT_EQ(r.code, 2) << describe(r);
  EXPECT_TRUE(files_in(dir).empty());
}

TEST(CoreCli, HelpAndVersionSucceed) {
  TempDir dir("cli_help");
  CliRun r = run_in(dir, "--help");
  EXPECT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.out.find("generate"), std::string::npos) << describe(r);
  r = run_in(dir, "--version");
  EXPECT_EQ(r.code, 0) << describe(r);
  r = run_in(dir, "train --help");
  EXPECT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.out.find("--steps"), std::string::npos) << describe(r);
}

// `musescore install` writes the plugin's files, byte for byte the ones in
// musescore/deepquartet, where it is told (or MuseScore 3's default folder).
TEST(CoreCli, MusescoreInstallWritesThePlugin) {
  TempDir dir("cli_musescore");
  CliRun r = run_in(dir, "musescore install --dir plugins");
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.out.find("Plugin Manager"), std::string::npos) << describe(r);
  for (const char* name : {"deepquartet.qml", "deepquartet.js"}) {
    std::string installed = dir.file("plugins/deepquartet/") + name;
    ASSERT_TRUE(fs::exists(installed)) << installed;
    EXPECT_EQ(util::read_file_bytes(installed),
              util::read_file_bytes(std::string(DQ_SOURCE_DIR) + "/musescore/deepquartet/" + name));
  }
  r = run_in(dir, "musescore install --dir " + quote("/proc/no/such"));
  EXPECT_EQ(r.code, 1) << describe(r);
  EXPECT_NE(r.err.find("/proc/no/such"), std::string::npos) << describe(r);
  EXPECT_EQ(run_in(dir, "musescore").code, 2);
}

// `cmake --install` makes a program that runs without the source tree: it
// finds its models (and web page) in PREFIX/share/deepquartet.
TEST(CoreCli, InstalledProgramFindsItsModelsBesideIt) {
  TempDir dir("cli_install");
  std::string prefix = dir.file("prefix");
  std::string install = std::string(DQ_CMAKE) + " --install " + quote(DQ_BUILD_DIR) + " --prefix " + quote(prefix) +
                        " > " + quote(dir.file("install.log")) + " 2>&1";
  ASSERT_EQ(std::system(install.c_str()), 0) << util::read_file_bytes(dir.file("install.log"));
  const std::string installed = prefix + "/bin/deepquartet";
  ASSERT_TRUE(fs::exists(prefix + "/share/deepquartet/models/bach.dqm"));
  ASSERT_TRUE(fs::exists(prefix + "/share/deepquartet/web/index.html"));
  std::string version = "cd " + quote(dir.path().string()) + " && " + quote(installed) + " --version > v.txt";
  ASSERT_EQ(std::system(version.c_str()), 0);
  EXPECT_NE(util::read_file_bytes(dir.file("v.txt")).find(prefix + "/share/deepquartet"), std::string::npos)
      << util::read_file_bytes(dir.file("v.txt"));
  std::string generate = "cd " + quote(dir.path().string()) + " && env -u DEEPQUARTET_MODEL " + quote(installed) +
                         " generate --bars 2 --seed 1 -o x.mid > g.txt 2>&1";
  ASSERT_EQ(std::system(generate.c_str()), 0) << util::read_file_bytes(dir.file("g.txt"));
  EXPECT_TRUE(fs::exists(dir.file("x.mid")));
}

TEST(CoreCli, InfoOnBadFilesFailsNamingTheFile) {
  TempDir dir("cli_info_bad");
  expect_failure(run_in(dir, "info missing.musicxml"), 1, "missing.musicxml");
  fs::create_directories(dir.path() / "folder.musicxml");
  expect_failure(run_in(dir, "info folder.musicxml"), 1, "folder.musicxml");
  write_bytes(dir.file("empty.musicxml"), "");
  expect_failure(run_in(dir, "info empty.musicxml"), 1, "empty.musicxml");
  std::mt19937 rng(5);
  std::string garbage(2000, '\0');
  for (char& c : garbage) c = static_cast<char>(rng());
  for (const char* name : {"garbage.mid", "garbage.musicxml", "garbage.mxl"}) {
    write_bytes(dir.file(name), garbage);
    expect_failure(run_in(dir, std::string("info ") + name), 1, name);
  }
  write_bytes(dir.file("notes.txt"), "hello");
  expect_failure(run_in(dir, "info notes.txt"), 1, "notes.txt");
}

TEST(CoreCli, InfoJsonDescribesTheChorale) {
  TempDir dir("cli_info");
  CliRun r = run_in(dir, "info --json " + quote(chorale_path()));
  ASSERT_EQ(r.code, 0) << describe(r);
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  ASSERT_EQ(j["voices"].size(), 4u) << r.out;
  EXPECT_EQ(j["ticks"], 64);
  EXPECT_EQ(j["bars"], 4);
  EXPECT_EQ(j["fermatas"], 2);
  EXPECT_EQ(j["keys"], nlohmann::json::array({"G major"}));
  EXPECT_EQ(j["meters"], nlohmann::json::array({"4/4"}));
  EXPECT_EQ(j["voices"][0]["notes"], 14);
  EXPECT_EQ(j["voices"][0]["lowest"], "G4");
  EXPECT_EQ(j["voices"][0]["highest"], "D5");
  EXPECT_EQ(j["voices"][3]["lowest"], "G2");
  EXPECT_EQ(j["quantization"]["total_changed"], 0);
  // The plain form names the file and the voices.
  r = run_in(dir, "info " + quote(chorale_path()));
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.out.find("Soprano"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("G major"), std::string::npos) << r.out;
}

TEST(CoreCli, ConvertWritesEveryFormatAndNoTemporaryFiles) {
  TempDir dir("cli_convert");
  CliRun r = run_in(dir, "convert " + quote(chorale_path()) + " x.mid x.musicxml x.mxl x.wav");
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_EQ(files_in(dir), (std::set<std::string>{"x.mid", "x.musicxml", "x.mxl", "x.wav"}));
  for (const char* name : {"x.mid", "x.musicxml", "x.mxl", "x.wav"})
    EXPECT_GT(fs::file_size(dir.file(name)), 0u) << name;
  // The written scores read back to the same notes.
  music::Score original = io::read_score(chorale_path());
  for (const char* name : {"x.musicxml", "x.mxl", "x.mid"}) {
    music::Score back = io::read_score(dir.file(name));
    EXPECT_EQ(back.voices, original.voices) << name;
  }
  music::Score back = io::read_score(dir.file("x.musicxml"));
  EXPECT_TRUE(back.same_music(original));
  // WAV: RIFF header.
  EXPECT_EQ(util::read_file_bytes(dir.file("x.wav")).substr(0, 4), "RIFF");
}

TEST(CoreCli, ConvertToAnUnknownFormatWritesNothing) {
  TempDir dir("cli_convert_bad");
  expect_failure(run_in(dir, "convert " + quote(chorale_path()) + " x.abc"), 1, "x.abc");
  // Outputs are checked before anything is written.
  expect_failure(run_in(dir, "convert " + quote(chorale_path()) + " y.mid y.doc"), 1, "y.doc");
  expect_failure(run_in(dir, "convert missing.musicxml z.mid"), 1, "missing.musicxml");
  expect_failure(run_in(dir, "convert " + quote(chorale_path()) + " nofolder/z.mid"), 1, "z.mid");
  EXPECT_TRUE(files_in(dir).empty()) << "left: " << *files_in(dir).begin();
}

TEST(CoreCli, CorpusScanWritesAReport) {
  TempDir dir("cli_scan");
  CliRun r = run_in(dir, "corpus scan " + quote(DQ_FIXTURES) + " --json report.json");
  ASSERT_EQ(r.code, 0) << describe(r);
  nlohmann::json report = nlohmann::json::parse(util::read_file_bytes(dir.file("report.json")), nullptr, false);
  ASSERT_FALSE(report.is_discarded());
  EXPECT_EQ(report["total"].get<int>(), static_cast<int>(report["files"].size()));
  EXPECT_EQ(report["accepted"].get<int>() + report["rejected"].get<int>(), report["total"].get<int>());
  EXPECT_GE(report["accepted"].get<int>(), 2);
  bool found = false;
  for (const auto& f : report["files"]) {
    if (f["path"].get<std::string>().find("core_chorale.musicxml") == std::string::npos) continue;
    found = true;
    EXPECT_TRUE(f["accepted"].get<bool>());
    EXPECT_EQ(f["ticks"], 64);
    EXPECT_EQ(f["split"], "train");
    EXPECT_EQ(f["style"], "bach");
  }
  EXPECT_TRUE(found) << report.dump(1);
  // The melody alone has one voice with notes: rejected with a reason.
  for (const auto& f : report["files"])
    if (f["path"].get<std::string>().find("core_melody.musicxml") != std::string::npos) {
      EXPECT_FALSE(f["accepted"].get<bool>());
      EXPECT_FALSE(f.value("reason", "").empty());
    }
  EXPECT_NE(r.out.find("accepted"), std::string::npos) << describe(r);
  expect_failure(run_in(dir, "corpus scan nothing-here"), 1, "nothing-here");
}

TEST(CoreCli, SamplingFlagsAreChecked) {
  TempDir dir("cli_flags");
  const std::string model = quote(untrained_model(dir));
  const std::string gen = "generate --model " + model + " --iterations 1 -q ";
  expect_failure(run_in(dir, gen + "--bars 0 -o x.mid"), 1, "--bars");
  expect_failure(run_in(dir, gen + "--key 'H major' -o x.mid"), 1, "H major");
  expect_failure(run_in(dir, gen + "--meter 5/3 -o x.mid"), 1, "5/3");
  expect_failure(run_in(dir, gen + "--fermatas sometimes -o x.mid"), 1, "sometimes");
  expect_failure(run_in(dir, gen + "--count 0 -o x.mid"), 1, "--count");
  expect_failure(run_in(dir, gen + "--style mozart -o x.mid"), 1, "mozart");
  expect_failure(run_in(dir, gen + "-o x.abc"), 1, "x.abc");
  expect_failure(run_in(dir, gen + "--constraints missing.json -o x.mid"), 1, "missing.json");
  expect_failure(run_in(dir, gen + "--constraints missing.json --open-end -o x.mid"), 1, "--open-end");
  expect_failure(run_in(dir, "generate --model /nonexistent/m.dqm -o x.mid"), 1, "/nonexistent/m.dqm");
  write_bytes(dir.file("corrupt.dqm"), "this is not a model");
  expect_failure(run_in(dir, "generate --model corrupt.dqm -o x.mid"), 1, "corrupt.dqm");

  const std::string chorale = quote(chorale_path());
  const std::string regen = "regenerate " + chorale + " --model " + model + " --iterations 1 -q ";
  expect_failure(run_in(dir, regen + "--from 2 --to 3 --voices foo -o r.mid"), 1, "foo");
  expect_failure(run_in(dir, regen + "--from 9 --to 10 -o r.mid"), 1, "9");
  expect_failure(run_in(dir, regen + "--from 2:7 --to 3 -o r.mid"), 1, "beat");
  const std::string reh = "reharmonize --model " + model + " --iterations 1 -q ";
  expect_failure(run_in(dir, reh + "missing.musicxml -o h.mid"), 1, "missing.musicxml");
  expect_failure(run_in(dir, reh + quote(melody_path()) + " --keep nobody -o h.mid"), 1, "nobody");

  std::set<std::string> expected = {"untrained.dqm", "corrupt.dqm"};
  EXPECT_EQ(files_in(dir), expected) << "a failed command wrote something";

  // With good flags the untrained model generates a valid file.
  CliRun ok = run_in(dir, gen + "--bars 2 --meter 3/4 --key 'e minor' -o ok.musicxml");
  ASSERT_EQ(ok.code, 0) << describe(ok);
  music::Score s = io::read_score(dir.file("ok.musicxml"));
  EXPECT_EQ(music::validate(s), "");
  EXPECT_EQ(s.length(), 24);
  EXPECT_EQ(s.meta[0].key, (music::KeySignature{1, music::Mode::kMinor}));
}

// The whole workflow with a model trained by the program itself.
TEST(CoreCli, TrainGenerateReharmonizeRegenerate) {
  TempDir dir("cli_workflow");
  CliRun r = run_in(dir, "train --corpus " + quote(chorale_path()) +
                             " -o tiny.dqm --steps 20 --lstm-hidden 32 --linear-hidden 32 --note-embedding 8"
                             " --meta-embedding 4 --lstm-layers 1 --crop 64 --batch 4 --threads 1 --cache-dir cache");
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.out.find("trained 20 steps"), std::string::npos) << describe(r);
  for (const char* name : {"tiny.dqm", "tiny.dqm.csv", "tiny.dqm.ckpt"})
    EXPECT_TRUE(fs::exists(dir.file(name))) << name;
  model::Model m = model::load_model(dir.file("tiny.dqm"));
  EXPECT_EQ(m.config.lstm_hidden, 32);
  EXPECT_EQ(m.config.note_embedding, 8);

  // Resume for 5 more steps.
  r = run_in(dir, "train --corpus " + quote(chorale_path()) +
                      " -o tiny.dqm --steps 25 --lstm-hidden 32 --linear-hidden 32 --note-embedding 8"
                      " --meta-embedding 4 --lstm-layers 1 --crop 64 --batch 4 --threads 1 --cache-dir cache --resume");
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.out.find("trained 25 steps"), std::string::npos) << describe(r);

  const std::string common = " --model tiny.dqm --iterations 2 --threads 1 -q";
  r = run_in(dir, "generate --bars 4 --key 'G major' -o x.mid -o x.musicxml" + common);
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_LT(r.seconds, 5.0);
  for (const char* name : {"x.mid", "x.musicxml"}) {
    music::Score s = io::read_score(dir.file(name));
    EXPECT_EQ(music::validate(s), "") << name;
    EXPECT_EQ(s.length(), 64) << name;
    EXPECT_EQ(s.bar_count(), 4) << name;
    for (int v = 0; v < music::kNumVoices; ++v)
      for (const music::Note& n : music::voice_notes(s, v)) {
        EXPECT_GE(n.pitch, m.config.vocab[v].low) << name << " voice " << v;
        EXPECT_LE(n.pitch, m.config.vocab[v].high) << name << " voice " << v;
      }
  }
  // Same seed, same music; several pieces get numbered names.
  r = run_in(dir, "generate --bars 4 --key 'G major' -o y.musicxml" + common);
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_TRUE(io::read_score(dir.file("x.musicxml")).same_music(io::read_score(dir.file("y.musicxml"))));
  r = run_in(dir, "generate --bars 2 --count 2 --seed 3 -o many.mid" + common);
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_TRUE(fs::exists(dir.file("many-1.mid")));
  EXPECT_TRUE(fs::exists(dir.file("many-2.mid")));
  // An open end: the bars asked for, the opening of a longer piece.
  r = run_in(dir, "generate --bars 3 --open-end -o open.musicxml" + common);
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_EQ(io::read_score(dir.file("open.musicxml")).length(), 3 * 16);

  // Reharmonize keeps the melody note for note.
  r = run_in(dir, "reharmonize " + quote(melody_path()) + " -o h.musicxml --model tiny.dqm --iterations 2 --threads 1");
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.err.find("G major"), std::string::npos) << describe(r);
  EXPECT_EQ(r.err.find("transposed"), std::string::npos) << describe(r);
  music::Score melody = io::read_score(melody_path());
  music::Score harmonized = io::read_score(dir.file("h.musicxml"));
  EXPECT_EQ(music::validate(harmonized), "");
  EXPECT_EQ(harmonized.voices[0], melody.voices[0]);
  for (int v = 1; v < music::kNumVoices; ++v) EXPECT_FALSE(music::voice_notes(harmonized, v).empty()) << v;

  // A melody an octave too high is moved down and still kept.
  music::Score high = melody;
  for (auto& t : high.voices[0])
    if (music::is_pitch(t)) t += 12;
  io::write_score(high, dir.file("high.musicxml"));
  r = run_in(dir, "reharmonize high.musicxml -o h2.musicxml --model tiny.dqm --iterations 2 --threads 1");
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.err.find("transposed -12 semitones"), std::string::npos) << describe(r);
  EXPECT_EQ(io::read_score(dir.file("h2.musicxml")).voices[0], melody.voices[0]);
  // ...or kept where it is, as asked.
  r = run_in(dir,
             "reharmonize high.musicxml --transpose none -o h3.musicxml --model tiny.dqm --iterations 2 --threads 1");
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.err.find("outside the model's range"), std::string::npos) << describe(r);
  EXPECT_EQ(io::read_score(dir.file("h3.musicxml")).voices[0], high.voices[0]);
  r = run_in(dir, "reharmonize high.musicxml --transpose up -o h4.musicxml --model tiny.dqm");
  EXPECT_EQ(r.code, 1) << describe(r);
  EXPECT_NE(r.err.find("transposition"), std::string::npos) << describe(r);

  // Regenerate bars 2-3 of the alto and tenor: the rest is unchanged.
  r = run_in(dir, "regenerate h.musicxml --from 2 --to 3 --voices alto,tenor -o r.musicxml" + common);
  ASSERT_EQ(r.code, 0) << describe(r);
  music::Score regenerated = io::read_score(dir.file("r.musicxml"));
  EXPECT_EQ(music::validate(regenerated), "");
  ASSERT_EQ(regenerated.length(), harmonized.length());
  for (int v = 0; v < music::kNumVoices; ++v)
    for (int t = 0; t < harmonized.length(); ++t)
      if (!((v == 1 || v == 2) && t >= 16 && t < 48))
        ASSERT_EQ(regenerated.voices[v][t], harmonized.voices[v][t]) << "voice " << v << " tick " << t;
  for (int t = 0; t < harmonized.length(); ++t) EXPECT_EQ(regenerated.meta[t].fermata, harmonized.meta[t].fermata);

  // Constraints: a fixed note and a locked voice.
  write_bytes(dir.file("c.json"),
              R"({"fixed_notes": [{"voice": "alto", "bar": 3, "beat": 1, "pitch": "D4", "beats": 2}],)"
              R"( "locked_voices": ["soprano"]})");
  r = run_in(dir, "regenerate h.musicxml --from 1 --to 4 --constraints c.json -o c.musicxml" + common);
  ASSERT_EQ(r.code, 0) << describe(r);
  music::Score constrained = io::read_score(dir.file("c.musicxml"));
  EXPECT_EQ(constrained.voices[0], harmonized.voices[0]);
  EXPECT_EQ(constrained.voices[1][32], 62);
  for (int t = 33; t < 40; ++t) EXPECT_EQ(constrained.voices[1][t], music::kHold) << t;

  // The melody report over a folder of melodies (high.musicxml needs a transposition).
  fs::create_directories(dir.file("tunes"));
  fs::copy_file(melody_path(), dir.file("tunes/melody.musicxml"));
  fs::copy_file(dir.file("high.musicxml"), dir.file("tunes/high.musicxml"));
  r = run_in(dir, "eval --melodies tunes --corpus missing -o mr/report.md --model tiny.dqm --iterations 2 --threads 1");
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string report = util::read_file_bytes(dir.file("mr/report.md"));
  EXPECT_NE(report.find("| melody.musicxml |"), std::string::npos) << report;
  EXPECT_NE(report.find("-12 semitones"), std::string::npos) << report;
  EXPECT_NE(report.find("2 of 2"), std::string::npos) << report;  // harmonized, melody kept
  EXPECT_TRUE(fs::exists(dir.file("mr/report.json")));
  expect_failure(run_in(dir, "eval --melodies nowhere -o x.md --model tiny.dqm"), 1, "nowhere");
  // --generated counts only where a generated set is measured; the folds must fit the smallest set.
  expect_failure(
      run_in(dir, "eval --model tiny.dqm --conditions reharmonized-on --generated 0 --reharmonized 3 -o x.md"), 1,
      "--cv-folds must be 2 to the smallest set measured (--generated, --reharmonized): 3");
  expect_failure(run_in(dir, "eval --model tiny.dqm --generated 1 -o x.md"), 1, "--generated must be 2 to 1000");

  // A corrupt model file is bad input.
  write_bytes(dir.file("tiny.dqm"), util::read_file_bytes(dir.file("tiny.dqm")).substr(0, 1000));
  expect_failure(run_in(dir, "generate --bars 2 -o z.mid" + common), 1, "tiny.dqm");
  EXPECT_FALSE(fs::exists(dir.file("z.mid")));
}

}  // namespace
}  // namespace dq::testing

namespace dq::testing {
namespace {

const std::string kSourceDir = std::string(DQ_FIXTURES) + "/../..";

// The shipped models with the bundled example, as the README runs them.
// `calibrate` fits the style's melodic tilt to the corpus's training pieces
// and writes it into the model file, which then samples with it by default;
// `--no-tilt` samples without it.
TEST(CoreCli, CalibrateWritesTheStylesMelodicTilt) {
  TempDir dir("cli_calibrate");
  model::ModelConfig c = tiny_config("fast");
  for (int v = 0; v < music::kNumVoices; ++v) c.vocab[v] = {chorale_range(v).first, chorale_range(v).second};
  c.styles = {"bach"};
  model::Model untrained = model::Model::create(c);
  model::save_model(untrained, dir.file("untrained.dqm"), true);  // float16, as calibrate writes it
  fs::create_directories(dir.file("corpus"));
  fs::copy_file(chorale_path(), dir.file("corpus/chorale.musicxml"));
  write_bytes(dir.file("corpus/splits.tsv"), "path\twork\tsplit\nchorale.musicxml\tchorale\ttrain\n");
  const std::string fit = " --corpus corpus --pieces 2 --bars 2 --rounds 1 --threads 1";
  CliRun r = run_in(dir, "calibrate --model untrained.dqm -o calibrated.dqm" + fit);
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.out.find("L1 distance from the training mix"), std::string::npos) << describe(r);
  const model::Model calibrated = model::load_model(dir.file("calibrated.dqm"));
  ASSERT_EQ(calibrated.config.melodic_tilt.count("bach"), 1u);
  bool tilted = false;
  for (const auto& voice : calibrated.config.melodic_tilt.at("bach"))
    for (float nats : voice) tilted = tilted || nats != 0;
  EXPECT_TRUE(tilted);
  const std::string common = " --bars 2 --iterations 3 --threads 1 -q";
  r = run_in(dir, "generate --model calibrated.dqm --no-tilt -o without.musicxml" + common);
  ASSERT_EQ(r.code, 0) << describe(r);
  r = run_in(dir, "generate --model untrained.dqm -o untrained.musicxml" + common);
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_TRUE(io::read_score(dir.file("without.musicxml")).same_music(io::read_score(dir.file("untrained.musicxml"))));
  // A style the model lacks, a corpus with no training pieces: nothing written.
  expect_failure(run_in(dir, "calibrate --model untrained.dqm --style haydn -o x.dqm" + fit), 1, "no style 'haydn'");
  write_bytes(dir.file("corpus/splits.tsv"), "path\twork\tsplit\nchorale.musicxml\tchorale\ttest\n");
  expect_failure(run_in(dir, "calibrate --model untrained.dqm --corpus corpus -o x.dqm"), 1, "no training pieces");
  EXPECT_FALSE(fs::exists(dir.file("x.dqm")));
}

TEST(CoreCli, ShippedModelHarmonizesTheBundledMelody) {
  TempDir dir("cli_shipped");
  const std::string example = kSourceDir + "/examples/old-hundredth.musicxml";
  CliRun r = run_in(dir, "reharmonize " + quote(example) + " -o h.musicxml -o h.mid --iterations 4 --threads 1");
  ASSERT_EQ(r.code, 0) << describe(r);
  EXPECT_NE(r.err.find("G major"), std::string::npos) << describe(r);
  music::Score melody = io::read_score(example);
  music::Score harmonized = io::read_score(dir.file("h.musicxml"));
  EXPECT_EQ(music::validate(harmonized), "");
  EXPECT_EQ(harmonized.voices[0], melody.voices[0]);
  for (int t = 0; t < melody.length(); ++t) EXPECT_EQ(harmonized.meta[t].fermata, melody.meta[t].fermata) << t;
  for (int v = 1; v < music::kNumVoices; ++v) EXPECT_GT(music::voice_notes(harmonized, v).size(), 20u) << v;
}

TEST(CoreCli, ShippedQuartetModelWritesForStrings) {
  TempDir dir("cli_quartet");
  CliRun r = run_in(dir, "generate --model " + quote(kSourceDir + "/models/quartet.dqm") +
                             " --style haydn --bars 2 --key 'Eb major' -o q.musicxml --iterations 4 --threads 1 -q");
  ASSERT_EQ(r.code, 0) << describe(r);
  music::Score s = io::read_score(dir.file("q.musicxml"));
  EXPECT_EQ(music::validate(s), "");
  EXPECT_EQ(s.ensemble, music::Ensemble::kStringQuartet);
  EXPECT_EQ(s.part_names[2], "Viola");
  r = run_in(dir, "generate --model " + quote(kSourceDir + "/models/quartet.dqm") + " --style rock -o q.mid -q");
  expect_failure(r, 1, "haydn");
}

TEST(CoreCli, QuartetEvaluationComparesGeneratedPiecesWithHeldOutMovements) {
  TempDir dir("cli_quartet_eval");
  const std::string model = quote(kSourceDir + "/models/quartet.dqm");
  const std::string haydn = quote(std::string(DQ_CORPUS) + "/quartets/haydn/kern");
  CliRun r = run_in(dir, "eval --model " + model + " --quartets " + haydn +
                             " --styles haydn --generated 4 --cv-folds 2 --cv-repeats 1 --iterations 1 --threads 1"
                             " -o q/report.md");
  ASSERT_EQ(r.code, 0) << describe(r);
  const std::string report = util::read_file_bytes(dir.file("q/report.md"));
  EXPECT_NE(report.find("| haydn | 27 | 4 |"), std::string::npos) << report;  // 27 held-out Haydn movements
  EXPECT_NE(report.find("real haydn (held out)"), std::string::npos) << report;
  EXPECT_NE(report.find("violin I: repeated notes"), std::string::npos) << report;
  EXPECT_NE(report.find("## Quartet reharmonization"), std::string::npos) << report;
  EXPECT_NE(report.find("reharmonized haydn"), std::string::npos) << report;
  nlohmann::json j = nlohmann::json::parse(util::read_file_bytes(dir.file("q/report.json")), nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  const nlohmann::json& reharmonized = j["styles"][0]["reharmonized"];
  EXPECT_EQ(reharmonized["pieces"], 27);
  EXPECT_DOUBLE_EQ(reharmonized["note_agreement"][0].get<double>(), 1.0);  // violin I kept note for note
  for (int v = 1; v < 4; ++v) EXPECT_LT(reharmonized["note_agreement"][v].get<double>(), 1.0);
  expect_failure(run_in(dir, "eval --model " + model + " --quartets " + haydn + " --styles schubert -o x.md"), 1,
                 "schubert");
}

}  // namespace
}  // namespace dq::testing
