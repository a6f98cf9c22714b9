// The web API end to end over HTTP: a tiny model is trained on the test
// fixtures once, the server runs in-process on a free port, and each test
// talks to it with an HTTP client as the page does.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <random>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "io/midi_reader.h"
#include "io/midi_writer.h"
#include "io/musicxml_reader.h"
#include "io/musicxml_writer.h"
#include "io/renderer.h"
#include "model/config.h"
#include "model/model.h"
#include "server/server.h"
#include "server/upload.h"
#include "train/trainer.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::server {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kFixtures = DQ_FIXTURES;

struct Reply {
  int status = 0;
  json body;
  std::string raw;
  std::string content_type;
};

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    folder_ = fs::temp_directory_path() / ("dq_api_test_" + std::to_string(::getpid()));
    fs::create_directories(folder_);
    train::TrainOptions t;
    t.corpus = {kFixtures + "/mx_satb.musicxml", kFixtures + "/kern_basic.krn", kFixtures + "/midi_satb_type0.mid"};
    t.config = model::preset_config("fast");
    t.config.lstm_hidden = 16;
    t.config.lstm_layers = 1;
    t.config.linear_hidden = 16;
    t.output = (folder_ / "tiny.dqm").string();
    t.cache_dir = (folder_ / "cache").string();
    t.max_steps = 2;
    t.batch = 2;
    t.crop = 16;
    t.threads = 1;
    t.progress = false;
    train::train(t);

    ServeOptions o;
    o.port = 0;
    o.model_path = t.output;
    o.web_dir = DQ_WEB_DIR;
    o.log = false;
    o.workers = 1;
    o.limits.iterations = 3;
    o.limits.sampler_threads = 1;
    o.limits.job_seconds = 60;
    server_ = new WebServer(o);
    port_ = server_->bind();
    thread_ = new std::thread([] { server_->run(); });
    httplib::Client probe("127.0.0.1", port_);
    for (int i = 0; i < 200 && !probe.Get("/api/health"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    delete server_;
    std::error_code ec;
    fs::remove_all(folder_, ec);
  }

  static Reply wrap(const httplib::Result& r) {
    Reply out;
    if (!r) return out;
    out.status = r->status;
    out.raw = r->body;
    out.content_type = r->get_header_value("Content-Type");
    if (out.content_type.rfind("application/json", 0) == 0) out.body = json::parse(r->body);
    return out;
  }
  // `port` 0: the suite's server; else another one (see ExtraServer).
  httplib::Client client(int port = 0) { return httplib::Client("127.0.0.1", port ? port : port_); }
  Reply get(const std::string& path, int port = 0) { return wrap(client(port).Get(path)); }
  Reply del(const std::string& path, int port = 0) { return wrap(client(port).Delete(path)); }
  Reply post_raw(const std::string& path, const std::string& body, int port = 0) {
    return wrap(client(port).Post(path, body, "application/json"));
  }
  Reply post(const std::string& path, const json& body, int port = 0) { return post_raw(path, body.dump(), port); }

  // Polls a job until it ends; returns its final JSON.
  json wait(const Reply& submitted, int port = 0) {
    EXPECT_EQ(submitted.status, 202) << submitted.raw;
    std::string id = submitted.body.value("id", "");
    for (int i = 0; i < 6000; ++i) {
      Reply r = get("/api/job/" + id, port);
      EXPECT_EQ(r.status, 200);
      std::string state = r.body.value("state", "");
      if (state != "queued" && state != "running") return r.body;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "job " << id << " did not end";
    return {};
  }
  // The result of a job that must succeed.
  json done(const Reply& submitted) {
    json job = wait(submitted);
    EXPECT_EQ(job.value("state", ""), "done") << job.dump();
    return job.value("result", json::object());
  }
  json new_piece(json request) { return done(post("/api/piece", request)); }

  static fs::path folder_;
  static WebServer* server_;
  static std::thread* thread_;
  static int port_;
};

fs::path ApiTest::folder_;
WebServer* ApiTest::server_ = nullptr;
std::thread* ApiTest::thread_ = nullptr;
int ApiTest::port_ = 0;

// True if voices `voices` of `after` differ from `before` only in ticks
// [from, to) and the other voices not at all.
void expect_changed_only(const json& before, const json& after, int from, int to, const std::vector<int>& voices) {
  for (int v = 0; v < 4; ++v) {
    bool free = std::find(voices.begin(), voices.end(), v) != voices.end();
    const json& a = before["voices"][v];
    const json& b = after["voices"][v];
    ASSERT_EQ(a.size(), b.size());
    for (size_t t = 0; t < a.size(); ++t) {
      if (free && static_cast<int>(t) >= from && static_cast<int>(t) < to) continue;
      EXPECT_EQ(a[t], b[t]) << "voice " << v << " tick " << t;
    }
  }
}

TEST_F(ApiTest, ModelInfo) {
  Reply r = get("/api/model");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["preset"], "fast");
  EXPECT_TRUE(r.body["styles"].is_array());
  EXPECT_EQ(r.body["voice_ranges"].size(), 4u);
  EXPECT_EQ(r.body["limits"]["max_alternatives"], 4);
}

TEST_F(ApiTest, NewPiece) {
  json piece = new_piece({{"bars", 4}, {"key", "D major"}, {"meter", "3/4"}, {"seed", 5}, {"fermatas", "every:2bars"}});
  ASSERT_TRUE(piece.contains("id"));
  const json& s = piece["score"];
  EXPECT_EQ(s["ticks"], 4 * 12);
  EXPECT_EQ(s["bars"].size(), 4u);
  EXPECT_EQ(s["key"]["fifths"], 2);
  EXPECT_EQ(s["key"]["mode"], "major");
  EXPECT_EQ(s["meter"], "3/4");
  EXPECT_EQ(s["voices"].size(), 4u);
  EXPECT_EQ(s["voices"][0].size(), 48u);
  EXPECT_EQ(s["fermatas"].size(), 2u);
  EXPECT_NE(s["musicxml"].get<std::string>().find("score-partwise"), std::string::npos);
  EXPECT_EQ(piece["seed"], 5);
  EXPECT_FALSE(piece["can_undo"]);

  Reply again = get("/api/piece/" + piece["id"].get<std::string>());
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body["score"]["voices"], s["voices"]);
  Reply lean = get("/api/piece/" + piece["id"].get<std::string>() + "?musicxml=0");
  EXPECT_FALSE(lean.body["score"].contains("musicxml"));
}

TEST_F(ApiTest, SameSeedSameMusic) {
  json a = new_piece({{"bars", 2}, {"seed", 42}});
  json b = new_piece({{"bars", 2}, {"seed", 42}});
  EXPECT_EQ(a["score"]["voices"], b["score"]["voices"]);
  EXPECT_NE(a["id"], b["id"]);
}

TEST_F(ApiTest, RegenerateChangesOnlyTheRegionThenChooseUndoRedo) {
  json piece = new_piece({{"bars", 4}, {"seed", 1}});
  std::string id = piece["id"];
  json before = piece["score"];
  json result =
      done(post("/api/piece/" + id + "/regenerate",
                json{{"from_bar", 2}, {"to_bar", 3}, {"voices", {1, "tenor"}}, {"alternatives", 3}, {"seed", 9}}));
  EXPECT_EQ(result["from_tick"], 16);
  EXPECT_EQ(result["to_tick"], 48);
  EXPECT_EQ(result["voices"], json({1, 2}));
  EXPECT_FALSE(result["stale"]);
  ASSERT_EQ(result["alternatives"].size(), 3u);
  for (const json& alt : result["alternatives"]) expect_changed_only(before, alt, 16, 48, {1, 2});

  Reply chosen = post("/api/piece/" + id + "/choose", json{{"index", 1}});
  ASSERT_EQ(chosen.status, 200) << chosen.raw;
  EXPECT_EQ(chosen.body["score"]["voices"], result["alternatives"][1]["voices"]);
  EXPECT_TRUE(chosen.body["can_undo"]);
  // The alternatives are gone once one is chosen.
  EXPECT_EQ(post("/api/piece/" + id + "/choose", json{{"index", 0}}).status, 409);

  Reply undone = post_raw("/api/piece/" + id + "/undo", "");
  ASSERT_EQ(undone.status, 200);
  EXPECT_EQ(undone.body["score"]["voices"], before["voices"]);
  EXPECT_TRUE(undone.body["can_redo"]);
  EXPECT_EQ(post_raw("/api/piece/" + id + "/undo", "").status, 409);
  Reply redone = post_raw("/api/piece/" + id + "/redo", "");
  EXPECT_EQ(redone.body["score"]["voices"], result["alternatives"][1]["voices"]);
  EXPECT_EQ(post_raw("/api/piece/" + id + "/redo", "").status, 409);
}

// GET /api/job/{id}?wait=S answers when the job ends (long polling), and
// rejects a wait that is not a number of seconds from 0 to 10.
TEST_F(ApiTest, JobLongPolling) {
  json piece = new_piece({{"bars", 4}, {"seed", 3}});
  std::string id = piece["id"];
  Reply submitted = post("/api/piece/" + id + "/regenerate", json{{"from_bar", 2}, {"to_bar", 3}, {"seed", 4}});
  ASSERT_EQ(submitted.status, 202) << submitted.raw;
  const std::string job = submitted.body.value("id", "");
  Reply ended = get("/api/job/" + job + "?wait=10");
  ASSERT_EQ(ended.status, 200) << ended.raw;
  EXPECT_EQ(ended.body.value("state", ""), "done") << ended.raw;
  EXPECT_TRUE(ended.body.contains("result"));
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(get("/api/job/" + job + "?wait=10").status, 200);  // already ended: at once
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(get("/api/job/" + job + "?wait=0").status, 200);
  for (const char* bad : {"abc", "-1", "11", "", "1e9", "nan"}) {
    Reply r = get("/api/job/" + job + "?wait=" + bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.raw;
    EXPECT_NE(r.body.value("error", "").find("wait"), std::string::npos) << r.raw;
  }
}

TEST_F(ApiTest, RegenerateByTicks) {
  json piece = new_piece({{"bars", 2}, {"seed", 3}});
  std::string id = piece["id"];
  json result =
      done(post("/api/piece/" + id + "/regenerate", json{{"from_tick", 4}, {"to_tick", 12}, {"voices", {3}}}));
  ASSERT_EQ(result["alternatives"].size(), 1u);
  expect_changed_only(piece["score"], result["alternatives"][0], 4, 12, {3});
}

TEST_F(ApiTest, LockedNoteSurvivesRegeneration) {
  json piece = new_piece({{"bars", 2}, {"seed", 7}});
  std::string id = piece["id"];
  const json& notes = piece["score"]["notes"][1];
  ASSERT_FALSE(notes.empty());
  json note = notes[notes.size() / 2];
  int start = note["start"], length = note["length"];
  Reply locked = post("/api/piece/" + id + "/lock", json{{"voice", 1}, {"tick", start + length - 1}, {"locked", true}});
  ASSERT_EQ(locked.status, 200) << locked.raw;
  EXPECT_EQ(locked.body["score"]["locked"][1], json::array({json::array({start, start + length})}));
  // The bass locked as a whole voice too.
  ASSERT_EQ(post("/api/piece/" + id + "/lock", json{{"voice", 3}}).status, 200);

  for (int seed = 0; seed < 3; ++seed) {
    json result = done(post("/api/piece/" + id + "/regenerate", json{{"alternatives", 2}, {"seed", seed}}));
    for (const json& alt : result["alternatives"]) {
      for (int t = start; t < start + length; ++t) EXPECT_EQ(alt["voices"][1][t], piece["score"]["voices"][1][t]);
      EXPECT_EQ(alt["voices"][3], piece["score"]["voices"][3]);
    }
  }
  Reply unlocked = post("/api/piece/" + id + "/lock", json{{"voice", 1}, {"locked", false}});
  EXPECT_TRUE(unlocked.body["score"]["locked"][1].empty());
}

TEST_F(ApiTest, FermataToggle) {
  json piece = new_piece({{"bars", 2}, {"fermatas", "none"}, {"seed", 2}});
  std::string id = piece["id"];
  EXPECT_TRUE(piece["score"]["fermatas"].empty());
  Reply on = post("/api/piece/" + id + "/fermata", json{{"tick", 9}, {"on", true}});
  ASSERT_EQ(on.status, 200) << on.raw;
  EXPECT_EQ(on.body["score"]["fermatas"], json::array({json::array({8, 12})}));
  Reply off = post("/api/piece/" + id + "/fermata", json{{"tick", 8}, {"on", false}});
  EXPECT_TRUE(off.body["score"]["fermatas"].empty());
  EXPECT_EQ(post("/api/piece/" + id + "/fermata", json{{"tick", 999}, {"on", true}}).status, 400);
}

TEST_F(ApiTest, Settings) {
  json piece = new_piece({{"bars", 2}, {"key", "C major"}, {"seed", 4}});
  std::string id = piece["id"];
  Reply r = post("/api/piece/" + id + "/settings", json{{"key", "D major"}, {"temperature", 0.8}});
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["score"]["key"]["fifths"], 2);
  EXPECT_DOUBLE_EQ(r.body["settings"]["temperature"].get<double>(), 0.8);
  // The music moved by a whole tone (up or down an octave minus one).
  const json& a = piece["score"]["notes"][0];
  const json& b = r.body["score"]["notes"][0];
  ASSERT_EQ(a.size(), b.size());
  int shift = b[0]["pitch"].get<int>() - a[0]["pitch"].get<int>();
  EXPECT_TRUE(shift == 2 || shift == -10) << shift;
  Reply meter = post("/api/piece/" + id + "/settings", json{{"meter", "3/4"}});
  ASSERT_EQ(meter.status, 200);
  EXPECT_EQ(meter.body["score"]["meter"], "3/4");
  EXPECT_EQ(meter.body["score"]["ticks"], 36);  // 32 ticks of 4/4 padded to three bars of 3/4
  EXPECT_EQ(post("/api/piece/" + id + "/settings", json{{"style", "no-such-style"}}).status, 400);
  EXPECT_EQ(post("/api/piece/" + id + "/settings", json{{"temperature", 0}}).status, 400);
  EXPECT_EQ(post("/api/piece/" + id + "/settings", json{{"key", "H major"}}).status, 400);
}

TEST_F(ApiTest, ReharmonizeKeepsTheMelody) {
  // The page's test melody (G4-D5) fits the tiny model's soprano range.
  std::string xml = util::read_file_bytes(std::string(DQ_WEB_DIR) + "/e2e/fixtures/melody.musicxml");
  music::Score melody = io::parse_musicxml(xml, "melody.musicxml");
  httplib::MultipartFormDataItems form = {{"file", xml, "melody.musicxml", "application/xml"}, {"seed", "3", "", ""}};
  json result = done(wrap(client().Post("/api/reharmonize", form)));
  ASSERT_TRUE(result.contains("report")) << result.dump();
  EXPECT_EQ(result["report"]["fermatas"], 2);
  EXPECT_FALSE(result["report"]["fermatas_inferred"]);
  int shift = result["report"]["transposition"];
  const json& soprano = result["score"]["notes"][0];
  auto notes = music::voice_notes(melody, 0);
  ASSERT_EQ(soprano.size(), notes.size());
  for (size_t i = 0; i < notes.size(); ++i) {
    EXPECT_EQ(soprano[i]["start"], notes[i].start);
    EXPECT_EQ(soprano[i]["pitch"], notes[i].pitch + shift);
  }
  EXPECT_EQ(result["score"]["locked"][0], json::array({json::array({0, melody.length()})}));
  for (int v = 1; v < 4; ++v) EXPECT_FALSE(result["score"]["notes"][v].empty());

  // The raw-body form, with the key given.
  std::string bytes = io::to_midi(melody);
  json raw = done(wrap(client().Post("/api/reharmonize?filename=m.mid&key=E%20minor&seed=1", bytes, "audio/midi")));
  EXPECT_EQ(raw["report"]["key"]["fifths"], 1);
  EXPECT_EQ(raw["report"]["key"]["mode"], "minor");
  EXPECT_FALSE(raw["report"]["key_detected"]);

  EXPECT_EQ(wrap(client().Post("/api/reharmonize?filename=m.mid", "not midi", "audio/midi")).status, 400);
  EXPECT_EQ(wrap(client().Post("/api/reharmonize?filename=m.exe", bytes, "audio/midi")).status, 415);
  EXPECT_EQ(wrap(client().Post("/api/reharmonize", bytes, "audio/midi")).status, 400);
  Reply bad_key = wrap(client().Post("/api/reharmonize?filename=m.mid&key=X", bytes, "audio/midi"));
  EXPECT_EQ(bad_key.status, 400);
  EXPECT_FALSE(bad_key.body["error"].get<std::string>().empty());
}

// POST /api/piece/import: a whole score becomes a piece as it is (nothing
// sampled, nothing locked unless asked), so that a region of it can be
// regenerated with the rest as context (the MuseScore plugin's path).
TEST_F(ApiTest, ImportedScoreRegeneratesOnlyTheRegion) {
  std::string xml = util::read_file_bytes(kFixtures + "/mx_satb.musicxml");
  music::Score input = io::parse_musicxml(xml, "mx_satb.musicxml");
  Reply imported = wrap(client().Post("/api/piece/import?filename=score.musicxml&musicxml=0", xml, "application/xml"));
  ASSERT_EQ(imported.status, 200) << imported.raw;
  const json& score = imported.body["score"];
  EXPECT_FALSE(score.contains("musicxml"));
  EXPECT_EQ(imported.body["report"]["file"], "score.musicxml");
  ASSERT_EQ(score["ticks"], input.length());
  for (int v = 0; v < 4; ++v) {
    for (int t = 0; t < input.length(); ++t) EXPECT_EQ(score["voices"][v][t], input.voices[v][t]) << v << " " << t;
    EXPECT_TRUE(score["locked"][v].empty());
  }
  std::string id = imported.body["id"];
  json result = done(post("/api/piece/" + id + "/regenerate",
                          json{{"from_tick", 4}, {"to_tick", 12}, {"voices", {"alto", "tenor"}}, {"seed", 2}}));
  ASSERT_EQ(result["alternatives"].size(), 1u);
  expect_changed_only(score, result["alternatives"][0], 4, 12, {1, 2});

  // Locked voices, a multipart form, and the errors.
  httplib::MultipartFormDataItems form = {{"file", xml, "score.musicxml", "application/xml"},
                                          {"lock", "soprano", "", ""}};
  Reply locked = wrap(client().Post("/api/piece/import", form));
  ASSERT_EQ(locked.status, 200) << locked.raw;
  EXPECT_EQ(locked.body["score"]["locked"][0], json::array({json::array({0, input.length()})}));
  EXPECT_TRUE(locked.body["score"]["locked"][1].empty());
  EXPECT_EQ(wrap(client().Post("/api/piece/import?filename=s.musicxml", "<score", "application/xml")).status, 400);
  EXPECT_EQ(wrap(client().Post("/api/piece/import?filename=s.exe", xml, "application/xml")).status, 415);
  EXPECT_EQ(wrap(client().Post("/api/piece/import", xml, "application/xml")).status, 400);
  EXPECT_EQ(wrap(client().Post("/api/piece/import?filename=s.musicxml&lock=descant", xml, "application/xml")).status,
            400);
  EXPECT_EQ(wrap(client().Post("/api/piece/import?filename=s.musicxml&seed=1", xml, "application/xml")).status, 400);
}

TEST_F(ApiTest, Exports) {
  json piece = new_piece({{"bars", 2}, {"seed", 6}});
  std::string base = "/api/piece/" + piece["id"].get<std::string>() + "/export.";
  Reply mid = get(base + "mid");
  EXPECT_EQ(mid.status, 200);
  EXPECT_EQ(mid.raw.substr(0, 4), "MThd");
  Reply xml = get(base + "musicxml");
  EXPECT_NE(xml.raw.find("score-partwise"), std::string::npos);
  EXPECT_EQ(get(base + "mxl").raw.substr(0, 2), "PK");
  Reply wav = get(base + "wav");
  EXPECT_EQ(wav.content_type, "audio/wav");
  EXPECT_EQ(wav.raw.substr(0, 4), "RIFF");
  EXPECT_EQ(get(base + "exe").status, 404);
  EXPECT_EQ(get(base + "wav?alternative=0").status, 404);  // nothing regenerated yet
  done(post("/api/piece/" + piece["id"].get<std::string>() + "/regenerate", json{{"alternatives", 2}}));
  EXPECT_EQ(get(base + "wav?alternative=1").raw.substr(0, 4), "RIFF");
  if (!io::renderer_available()) GTEST_SKIP() << "mscore3 is not installed: PNG and PDF not checked";
  EXPECT_EQ(get(base + "png").raw.substr(0, 4), "\x89PNG");
  EXPECT_EQ(get(base + "pdf").raw.substr(0, 4), "%PDF");
}

TEST_F(ApiTest, BadRequestsGetClearErrors) {
  auto expect_error = [](const Reply& r, int status) {
    EXPECT_EQ(r.status, status) << r.raw;
    ASSERT_TRUE(r.body.is_object()) << r.raw;
    EXPECT_FALSE(r.body.value("error", "").empty()) << r.raw;
  };
  expect_error(post_raw("/api/piece", "{not json"), 400);
  expect_error(post_raw("/api/piece", "[1,2]"), 400);
  expect_error(post("/api/piece", json{{"bars", 0}}), 400);
  expect_error(post("/api/piece", json{{"bars", 100000}}), 400);
  expect_error(post("/api/piece", json{{"bars", "four"}}), 400);
  expect_error(post("/api/piece", json{{"key", "Q"}}), 400);
  expect_error(post("/api/piece", json{{"meter", "5/7"}}), 400);
  expect_error(post("/api/piece", json{{"fermatas", "sometimes"}}), 400);
  expect_error(post("/api/piece", json{{"style", "jazz"}}), 400);
  expect_error(post("/api/piece", json{{"temperature", -1}}), 400);
  expect_error(post("/api/piece", json{{"seed", -5}}), 400);
  expect_error(post("/api/piece", json{{"seed", 18446744073709551615ULL}}), 400);
  expect_error(post("/api/piece", json{{"bar", 4}}), 400);  // a typo is not ignored
  expect_error(get("/api/piece/0123456789abcdef"), 404);
  expect_error(get("/api/job/0123456789abcdef"), 404);
  expect_error(get("/api/nothing-here"), 404);
  json piece = new_piece({{"bars", 2}, {"seed", 8}});
  std::string id = piece["id"];
  expect_error(post("/api/piece/" + id + "/regenerate", json{{"from_bar", 2}, {"to_bar", 1}}), 400);
  expect_error(post("/api/piece/" + id + "/regenerate", json{{"from_bar", 3}}), 400);
  expect_error(post("/api/piece/" + id + "/regenerate", json{{"voices", json::array()}}), 400);
  expect_error(post("/api/piece/" + id + "/regenerate", json{{"voices", {7}}}), 400);
  expect_error(post("/api/piece/" + id + "/regenerate", json{{"voices", {"kazoo"}}}), 400);
  expect_error(post("/api/piece/" + id + "/regenerate", json{{"alternatives", 5}}), 400);
  expect_error(post("/api/piece/" + id + "/lock", json{{"tick", 3}}), 400);
  expect_error(post("/api/piece/" + id + "/lock", json{{"voice", 0}, {"tick", 32}}), 400);
  expect_error(post("/api/piece/" + id + "/choose", json{{"index", 0}}), 409);
  expect_error(post_raw("/api/piece/" + id + "/undo", ""), 409);
  expect_error(post("/api/piece/" + id + "/fermata", json{{"tick", 1}}), 400);
  // Larger than the upload limit.
  expect_error(wrap(client().Post("/api/reharmonize?filename=big.mid", std::string(3 << 20, 'x'), "audio/midi")), 413);
}

TEST_F(ApiTest, RandomBodiesNeverBreakTheServer) {
  json piece = new_piece({{"bars", 1}, {"seed", 11}});
  std::string id = piece["id"];
  // Each route with the fields it takes, plus one it does not.
  std::vector<std::pair<std::string, std::vector<std::string>>> routes = {
      {"/api/piece", {"bars", "key", "meter", "fermatas", "style", "temperature", "seed"}},
      {"/api/piece/" + id + "/regenerate",
       {"from_bar", "to_bar", "from_tick", "to_tick", "voices", "alternatives", "temperature", "seed"}},
      {"/api/piece/" + id + "/choose", {"index"}},
      {"/api/piece/" + id + "/lock", {"voice", "tick", "locked"}},
      {"/api/piece/" + id + "/fermata", {"tick", "on"}},
      {"/api/piece/" + id + "/settings", {"key", "meter", "style", "temperature"}},
      {"/api/piece/" + id + "/undo", {}},
      {"/api/reharmonize?filename=x.mid", {}},
      {"/api/reharmonize?filename=x.musicxml", {}},
      {"/api/reharmonize?filename=x.krn", {}},
      {"/api/reharmonize?filename=x.mxl", {}},
      {"/api/piece/import?filename=x.musicxml", {}},
      {"/api/piece/import?filename=x.mid", {}}};
  std::vector<json> values = {nullptr,
                              -1,
                              0,
                              1,
                              3,
                              1e308,
                              -1e308,
                              2.5,
                              "",
                              "x",
                              "soprano",
                              json::array(),
                              json::array({-1, 9}),
                              json::array({0, "bass"}),
                              json::object(),
                              true,
                              "D major",
                              "4/4",
                              "every:0bars",
                              "2,3",
                              4294967296.0};
  std::mt19937 rng(5);
  for (int i = 0; i < 300; ++i) {
    const auto& [path, fields] = routes[rng() % routes.size()];
    std::string body;
    if (i % 4 == 0) {
      int n = rng() % 64;
      for (int k = 0; k < n; ++k) body += static_cast<char>(rng() % 256);
    } else {
      json j = json::object();
      for (int k = rng() % 4; k > 0 && !fields.empty(); --k)
        j[fields[rng() % fields.size()]] = values[rng() % values.size()];
      if (i % 7 == 0) j["unknown"] = 1;
      body = j.dump();
    }
    Reply r = post_raw(path, body);
    ASSERT_NE(r.status, 0) << "no answer to " << body;
    EXPECT_LT(r.status, 500) << path << " " << body << " -> " << r.raw;
    if (r.status == 202) wait(r);
  }
  EXPECT_EQ(get("/api/health").status, 200);
}

TEST_F(ApiTest, StaticFilesAndNoBrotli) {
  httplib::Client c = client();
  c.set_decompress(false);
  auto index = c.Get("/", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_NE(index->get_header_value("Content-Encoding"), "br");
  EXPECT_EQ(get("/app.js").status, 200);
  EXPECT_NE(get("/../CMakeLists.txt").status, 200);
  EXPECT_NE(get("/%2e%2e/CMakeLists.txt").status, 200);
}

// Resident memory of this process (which holds the server too), in kB.
long resident_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// What one client of a burst saw: the answer to its request and, if it was
// accepted, how its job ended.
struct BurstOutcome {
  int submit_status = 0;  // 0: no answer
  std::string state;      // the job's final state, if accepted
  json job;               // its final JSON
  std::string problem;    // what went wrong in the client, if anything
};

// `clients` threads each POST `request(i)` to `path` at the same moment (one
// keep-alive connection per client, as browser tabs) and, if accepted, poll
// the job every 20 ms until it ends. Every request has a 10 s timeout and
// every job must end within 45 s, so a burst never hangs.
std::vector<BurstOutcome> burst(int port, int clients, const std::string& path,
                                const std::function<json(int)>& request) {
  using Clock = std::chrono::steady_clock;
  std::vector<BurstOutcome> outcomes(clients);
  std::promise<void> go;
  std::shared_future<void> start_signal = go.get_future().share();
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(45);
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      BurstOutcome& out = outcomes[i];
      httplib::Client c("127.0.0.1", port);
      c.set_keep_alive(true);
      c.set_connection_timeout(10);
      c.set_read_timeout(10);
      c.set_write_timeout(10);
      std::string body = request(i).dump();
      start_signal.wait();
      auto submitted = c.Post(path, body, "application/json");
      if (!submitted) {
        out.problem = "no answer to the request: " + httplib::to_string(submitted.error());
        return;
      }
      out.submit_status = submitted->status;
      json answer = json::parse(submitted->body, nullptr, false);
      if (submitted->status != 202) {
        if (!answer.is_object() || answer.value("error", "").empty())
          out.problem = "no error message: " + submitted->body;
        return;
      }
      std::string job = answer.is_object() ? answer.value("id", "") : "";
      while (Clock::now() < deadline) {
        auto polled = c.Get("/api/job/" + job);
        if (!polled || polled->status != 200) {
          out.problem = polled ? "job poll answered " + std::to_string(polled->status) + ": " + polled->body
                               : "no answer to a job poll: " + httplib::to_string(polled.error());
          return;
        }
        json state = json::parse(polled->body, nullptr, false);
        std::string name = state.is_object() ? state.value("state", "") : "";
        if (name != "queued" && name != "running") {
          out.state = name;
          out.job = state;
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      out.problem = "job " + job + " did not end within 45 s";
    });
  }
  go.set_value();
  for (auto& t : threads) t.join();
  return outcomes;
}

// The load test: 50 regenerations of one piece at once, from 50
// clients, against the suite's server (--workers 1, --queue 8, 32 HTTP
// threads), twice. Each request is either accepted (202) and its job ends
// "done" with a valid result, or refused at once with 503 because the queue
// is full: no other status, no dropped connection, nothing hangs. Memory
// stays bounded, and afterwards the server answers as before.
TEST_F(ApiTest, FiftyConcurrentRegenerationsCompleteOrGet503) {
  constexpr int kClients = 50;
  json piece = new_piece({{"bars", 8}, {"seed", 12}});
  const std::string id = piece["id"];
  const json before = piece["score"];
  std::vector<long> rss = {resident_kb()};
  ASSERT_GT(rss[0], 0);

  for (int round = 0; round < 2; ++round) {
    auto start = std::chrono::steady_clock::now();
    std::vector<BurstOutcome> outcomes = burst(port_, kClients, "/api/piece/" + id + "/regenerate", [&](int i) {
      return json{
          {"from_bar", 2}, {"to_bar", 5}, {"voices", {1, "tenor"}}, {"alternatives", 2}, {"seed", round * 100 + i}};
    });
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rss.push_back(resident_kb());
    int completed = 0, refused = 0;
    for (int i = 0; i < kClients; ++i) {
      const BurstOutcome& out = outcomes[i];
      EXPECT_TRUE(out.problem.empty()) << "client " << i << ": " << out.problem;
      if (out.submit_status == 503) {
        ++refused;
        continue;
      }
      EXPECT_EQ(out.submit_status, 202) << "client " << i << ": only 202 or 503 may answer";
      if (out.submit_status != 202) continue;
      ASSERT_EQ(out.state, "done") << "client " << i << ": " << out.job.dump();
      ++completed;
      const json& result = out.job["result"];
      EXPECT_EQ(result["id"], id);
      EXPECT_EQ(result["seed"], round * 100 + i);
      EXPECT_EQ(result["from_tick"], 16);
      EXPECT_EQ(result["to_tick"], 80);
      EXPECT_EQ(result["voices"], json({1, 2}));
      EXPECT_FALSE(result["stale"]);  // nobody edits the piece meanwhile
      ASSERT_EQ(result["alternatives"].size(), 2u);
      for (const json& alt : result["alternatives"]) expect_changed_only(before, alt, 16, 80, {1, 2});
    }
    std::printf(
        "[ load     ] burst %d: %d clients, %d done, %d refused with 503, %.1f s; resident memory %.0f -> %.0f MB\n",
        round + 1, kClients, completed, refused, seconds, rss[round] / 1024.0, rss[round + 1] / 1024.0);
    EXPECT_EQ(completed + refused, kClients);
    // One job runs and 8 wait, and a job (8 bars, 2 alternatives) takes longer
    // than the burst takes to arrive: most are refused, and some are done.
    EXPECT_GE(completed, 1);
    EXPECT_GE(refused, 1);
  }
  // What the bursts may keep: <= 256 finished jobs with their results (two
  // 8-bar scores with MusicXML, ~0.1 MB each, here ~40 jobs) and one piece's
  // pending alternatives. The rest is transient or reused: 50 client
  // threads' stacks and malloc's per-thread arenas (glibc: up to 8 per core),
  // sockets. Queueing without bound, or a copy of something kept per request,
  // would show as growth far beyond this, and again in the second burst.
  const double growth_mb = (rss[2] - rss[0]) / 1024.0;
  EXPECT_LT(growth_mb, 200.0);

  // The server still answers: model info, health (queue empty) and a fresh
  // regeneration, accepted at once.
  Reply model = get("/api/model");
  ASSERT_EQ(model.status, 200);
  EXPECT_EQ(model.body["preset"], "fast");
  Reply health = get("/api/health");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.body["ok"], true);
  EXPECT_EQ(health.body["queued"], 0);
  EXPECT_EQ(health.body["workers"], 1);
  EXPECT_GE(health.body["pieces"].get<int>(), 1);
  json fresh = done(
      post("/api/piece/" + id + "/regenerate", json{{"from_bar", 1}, {"to_bar", 2}, {"voices", {0}}, {"seed", 99}}));
  ASSERT_EQ(fresh["alternatives"].size(), 1u);
  expect_changed_only(before, fresh["alternatives"][0], 0, 32, {0});
}

// A second server on the suite's tiny model, with its own options; stopped
// when it goes out of scope.
class ExtraServer {
 public:
  ExtraServer(const std::string& model_path, ServeOptions o) {
    o.port = 0;
    o.model_path = model_path;
    o.web_dir = "";
    o.log = false;
    server_ = std::make_unique<WebServer>(o);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
    httplib::Client probe("127.0.0.1", port_);
    for (int i = 0; i < 200 && !probe.Get("/api/health"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~ExtraServer() {
    server_->stop();
    thread_.join();
  }
  int port() const { return port_; }

 private:
  std::unique_ptr<WebServer> server_;
  std::thread thread_;
  int port_ = 0;
};

// The queue's limits through the API, deterministically: on a server whose
// jobs never end by themselves (a million sweeps), one worker and one place
// in the queue, a third job is refused with 503, a queued and a running job
// can be cancelled (DELETE /api/job), a job past --job-seconds fails 504,
// and stopping the server cancels the running job.
TEST_F(ApiTest, QueueFullCancelAndTimeLimit) {
  ServeOptions o;
  o.workers = 1;
  o.max_queued = 1;
  o.limits.iterations = 1000000;
  o.limits.sampler_threads = 1;
  o.limits.job_seconds = 3;
  auto slow = std::make_unique<ExtraServer>((folder_ / "tiny.dqm").string(), o);
  const int port = slow->port();
  auto state_of = [&](const std::string& job) { return get("/api/job/" + job, port).body.value("state", ""); };

  Reply a = post("/api/piece", json{{"bars", 1}, {"seed", 1}}, port);
  ASSERT_EQ(a.status, 202) << a.raw;
  EXPECT_EQ(a.body["kind"], "piece");
  std::string a_id = a.body["id"];
  for (int i = 0; i < 1000 && state_of(a_id) == "queued"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(state_of(a_id), "running");
  Reply b = post("/api/piece", json{{"bars", 1}, {"seed", 2}}, port);
  ASSERT_EQ(b.status, 202) << b.raw;
  std::string b_id = b.body["id"];
  EXPECT_EQ(b.body["state"], "queued");

  // Full: new pieces and harmonizations are refused with a JSON error.
  Reply full = post("/api/piece", json{{"bars", 1}}, port);
  EXPECT_EQ(full.status, 503);
  EXPECT_FALSE(full.body.value("error", "").empty()) << full.raw;
  std::string xml = util::read_file_bytes(std::string(DQ_WEB_DIR) + "/e2e/fixtures/melody.musicxml");
  Reply full_upload = wrap(client(port).Post("/api/reharmonize?filename=m.musicxml", xml, "application/xml"));
  EXPECT_EQ(full_upload.status, 503);
  EXPECT_FALSE(full_upload.body.value("error", "").empty()) << full_upload.raw;
  Reply health = get("/api/health", port);
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body["queued"], 1);

  // Cancelling the queued job, then the running one.
  Reply cancel_b = del("/api/job/" + b_id, port);
  ASSERT_EQ(cancel_b.status, 200) << cancel_b.raw;
  EXPECT_EQ(cancel_b.body["id"], b_id);
  Reply cancel_a = del("/api/job/" + a_id, port);
  ASSERT_EQ(cancel_a.status, 200) << cancel_a.raw;
  json ended_a = wait(a, port);
  EXPECT_EQ(ended_a["state"], "cancelled") << ended_a.dump();
  EXPECT_EQ(ended_a["error"], "cancelled");
  EXPECT_FALSE(ended_a.contains("result"));
  json ended_b = wait(b, port);
  EXPECT_EQ(ended_b["state"], "cancelled") << ended_b.dump();
  // Cancelling a job that has ended changes nothing.
  EXPECT_EQ(del("/api/job/" + a_id, port).body["state"], "cancelled");

  // A job past the time limit fails with status 504.
  auto t0 = std::chrono::steady_clock::now();
  json late = wait(post("/api/piece", json{{"bars", 1}, {"seed", 3}}, port), port);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(late["state"], "failed") << late.dump();
  EXPECT_EQ(late["status"], 504);
  EXPECT_NE(late.value("error", "").find("time limit"), std::string::npos) << late.dump();
  EXPECT_GE(took, 2.9);
  EXPECT_EQ(get("/api/health", port).body["queued"], 0);

  // Stopping the server while a job runs cancels the job: it returns at once,
  // long before the job's time limit.
  Reply last = post("/api/piece", json{{"bars", 1}, {"seed", 4}}, port);
  ASSERT_EQ(last.status, 202) << last.raw;
  std::string last_id = last.body["id"];
  for (int i = 0; i < 1000 && state_of(last_id) == "queued"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(state_of(last_id), "running");
  t0 = std::chrono::steady_clock::now();
  slow.reset();
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0);
}

// Every piece route answers 404 with a JSON error for an unknown piece, and
// the job routes for an unknown job.
TEST_F(ApiTest, UnknownPieceOrJobIs404OnEveryRoute) {
  const std::string piece = "/api/piece/0123456789abcdef";
  auto expect_404 = [](const Reply& r, const std::string& what) {
    EXPECT_EQ(r.status, 404) << what << ": " << r.raw;
    EXPECT_FALSE(r.body.is_object() ? r.body.value("error", "").empty() : true) << what << ": " << r.raw;
  };
  expect_404(get(piece), "GET piece");
  for (const char* action : {"regenerate", "choose", "undo", "redo", "lock", "fermata", "settings"}) {
    expect_404(post_raw(piece + "/" + action, "{}"), action);
  }
  for (const char* format : {"mid", "musicxml", "mxl", "wav", "png", "pdf"}) {
    expect_404(get(piece + "/export." + format), format);
  }
  expect_404(get("/api/job/0123456789abcdef"), "GET job");
  expect_404(del("/api/job/0123456789abcdef"), "DELETE job");
  expect_404(get("/api/piece/not-an-id"), "a malformed id");
}

// The error paths of the requests that edit a piece not covered above.
TEST_F(ApiTest, EditErrorPaths) {
  json piece = new_piece({{"bars", 2}, {"seed", 13}});
  std::string id = piece["id"];
  auto expect_error = [](const Reply& r, int status, const std::string& mentions) {
    EXPECT_EQ(r.status, status) << r.raw;
    std::string error = r.body.is_object() ? r.body.value("error", "") : "";
    EXPECT_NE(error.find(mentions), std::string::npos) << r.raw;
  };
  expect_error(post("/api/piece/" + id + "/choose", json::object()), 400, "index");
  expect_error(post("/api/piece/" + id + "/choose", json{{"index", 4}}), 400, "index");
  expect_error(post("/api/piece/" + id + "/choose", json{{"index", "first"}}), 400, "index");
  expect_error(post_raw("/api/piece/" + id + "/redo", ""), 409, "redo");
  expect_error(post("/api/piece/" + id + "/undo", json{{"steps", 2}}), 400, "steps");
  expect_error(post("/api/piece/" + id + "/lock", json{{"voice", 4}}), 400, "voice");
  expect_error(post("/api/piece/" + id + "/lock", json{{"voice", 0}, {"locked", "yes"}}), 400, "locked");
  expect_error(post("/api/piece/" + id + "/fermata", json{{"on", true}}), 400, "tick");
  expect_error(post("/api/piece/" + id + "/fermata", json{{"tick", 0}, {"on", 1}}), 400, "on");
  expect_error(post("/api/piece/" + id + "/settings", json{{"meter", "5/7"}}), 400, "5/7");
  expect_error(post("/api/piece/" + id + "/settings", json{{"tempo", 90}}), 400, "tempo");
  expect_error(post("/api/piece/" + id + "/regenerate", json{{"from_tick", 8}, {"to_tick", 8}}), 400, "empty");
  expect_error(post("/api/piece/" + id + "/regenerate", json{{"to_tick", 33}}), 400, "to_tick");
  expect_error(post("/api/piece/" + id + "/regenerate", json{{"temperature", 5}}), 400, "temperature");
  expect_error(post("/api/piece/" + id + "/regenerate", json{{"seed", 1.5}}), 400, "seed");
  expect_error(get("/api/piece/" + id + "/export.wav?alternative=x"), 404, "alternative");
  expect_error(post_raw("/api/piece/" + id + "/settings", std::string(3 << 20, ' ')), 413, "too large");
  // None of these changed the piece.
  Reply after = get("/api/piece/" + id);
  EXPECT_EQ(after.body["version"], piece["version"]);
  EXPECT_EQ(after.body["score"]["voices"], piece["score"]["voices"]);
}

// The error paths of uploads not covered above: form without a file, a
// form's unsupported file type, an empty file, bad options, a kept voice
// without notes, a file over 2 MB but within the request limit (413), and a
// melody the model cannot sing, which fails in its job with status 400.
TEST_F(ApiTest, ReharmonizeErrorPaths) {
  std::string xml = util::read_file_bytes(std::string(DQ_WEB_DIR) + "/e2e/fixtures/melody.musicxml");
  auto upload = [&](const httplib::MultipartFormDataItems& form) {
    return wrap(client().Post("/api/reharmonize", form));
  };
  auto raw = [&](const std::string& query, const std::string& bytes) {
    return wrap(client().Post("/api/reharmonize" + query, bytes, "application/octet-stream"));
  };
  auto expect_error = [](const Reply& r, int status) {
    EXPECT_EQ(r.status, status) << r.raw;
    EXPECT_FALSE(r.body.is_object() ? r.body.value("error", "").empty() : true) << r.raw;
  };
  expect_error(upload({{"seed", "3", "", ""}}), 400);
  expect_error(upload({{"file", xml, "melody.pdf", "application/pdf"}}), 415);
  expect_error(upload({{"file", "", "melody.musicxml", "application/xml"}}), 400);
  expect_error(upload({{"file", xml, "melody.musicxml", "application/xml"}, {"temperature", "hot", "", ""}}), 400);
  expect_error(upload({{"file", xml, "melody.musicxml", "application/xml"}, {"transpose", "up", "", ""}}), 400);
  expect_error(raw("?filename=m.musicxml&keep=bass", xml), 400);
  expect_error(raw("?filename=m.musicxml&keep=kazoo", xml), 400);
  expect_error(raw("?filename=m.musicxml&fermatas=sometimes", xml), 400);
  expect_error(raw("?filename=m.musicxml&style=jazz", xml), 400);
  expect_error(raw("?filename=" + std::string(300, 'a') + ".mid", xml), 400);
  std::string big(kMaxUploadBytes + 1000, ' ');
  expect_error(raw("?filename=big.musicxml", big), 413);
  expect_error(upload({{"file", big, "big.musicxml", "application/xml"}}), 413);
}

// A melody wider than the soprano's range is harmonized all the same: the
// notes outside it are kept as they are and counted in the report.
TEST_F(ApiTest, ReharmonizeKeepsAMelodyWiderThanTheRange) {
  std::string xml = util::read_file_bytes(std::string(DQ_WEB_DIR) + "/e2e/fixtures/melody.musicxml");
  music::Score melody = io::parse_musicxml(xml, "melody.musicxml");
  int first = -1, last = -1;
  for (int t = 0; t < melody.length(); ++t) {
    if (!music::is_pitch(melody.voices[0][t])) continue;
    if (first < 0) first = t;
    last = t;
  }
  ASSERT_GT(last, first);
  melody.voices[0][first] = 24;
  melody.voices[0][last] = 108;
  json result =
      done(wrap(client().Post("/api/reharmonize?filename=wide.musicxml", io::to_musicxml(melody), "application/xml")));
  ASSERT_TRUE(result.contains("report")) << result.dump();
  EXPECT_GE(result["report"]["notes_outside_range"].get<int>(), 2);  // and others in the tiny model's narrow range
  const json& soprano = result["score"]["notes"][0];
  ASSERT_EQ(soprano.size(), music::voice_notes(melody, 0).size());
  const int shift = result["report"]["transposition"];
  EXPECT_EQ(soprano.front()["pitch"], 24 + shift);
  EXPECT_EQ(soprano.back()["pitch"], 108 + shift);
}

// PNG and PDF engravings run at most two at once: more at the same moment
// are refused with 503 (JSON error), the others answer the file, and the
// engraver is free again afterwards.
TEST_F(ApiTest, EngravingsBeyondTwoAtOnceGet503) {
  if (!io::renderer_available()) GTEST_SKIP() << "mscore3 is not installed: engraving not checked";
  constexpr int kClients = 5;
  json piece = new_piece({{"bars", 1}, {"seed", 14}});
  const std::string path = "/api/piece/" + piece["id"].get<std::string>() + "/export.png";
  std::vector<Reply> replies(kClients);
  std::promise<void> go;
  std::shared_future<void> start_signal = go.get_future().share();
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      httplib::Client c("127.0.0.1", port_);
      c.set_read_timeout(60);
      start_signal.wait();
      replies[i] = wrap(c.Get(path));
    });
  }
  go.set_value();
  for (auto& t : threads) t.join();
  int engraved = 0, busy = 0;
  for (const Reply& r : replies) {
    if (r.status == 200) {
      ++engraved;
      EXPECT_EQ(r.raw.substr(0, 4), "\x89PNG");
    } else {
      EXPECT_EQ(r.status, 503) << r.raw;
      ++busy;
      EXPECT_FALSE(r.body.is_object() ? r.body.value("error", "").empty() : true) << r.raw;
    }
  }
  EXPECT_GE(engraved, 1);
  EXPECT_GE(busy, 1);
  EXPECT_EQ(get(path).status, 200);
}

// The queue itself: bounded, cancellable, with a time limit.
TEST(WorkQueueTest, BoundedCancellableTimed) {
  WorkQueue queue(1, 1);
  std::atomic<bool> release{false};
  auto blocking = [&](Job& job) {
    while (!release) {
      if (!job.keep_going(0.5)) throw Error("cancelled");
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return json{{"ok", true}};
  };
  auto running = queue.submit("a", std::chrono::seconds(60), blocking);
  while (running->state() != JobState::kRunning) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto waiting = queue.submit("b", std::chrono::seconds(60), blocking);
  ASSERT_TRUE(waiting);
  EXPECT_FALSE(queue.submit("c", std::chrono::seconds(60), blocking));  // queue full
  EXPECT_EQ(running->to_json()["progress"], 0.5);
  running->cancel();
  while (running->state() == JobState::kRunning) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(running->to_json()["state"], "cancelled");
  release = true;
  while (waiting->state() != JobState::kDone) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(waiting->to_json()["result"]["ok"], true);
  EXPECT_EQ(queue.find(waiting->id()), waiting);

  release = false;
  auto slow = queue.submit("d", std::chrono::milliseconds(30), blocking);
  while (slow->state() != JobState::kFailed) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(slow->to_json()["status"], 504);
  auto broken = queue.submit("e", std::chrono::seconds(1), [](Job&) -> json { throw Error("bad input"); });
  while (broken->state() != JobState::kFailed) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_EQ(broken->to_json()["status"], 400);
  EXPECT_EQ(broken->to_json()["error"], "bad input");
}

}  // namespace
}  // namespace dq::server
