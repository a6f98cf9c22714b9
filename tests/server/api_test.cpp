// The web API end to end over HTTP: a tiny model is trained on the test
// fixtures once, the server runs in-process on a free port, and each test
// talks to it with an HTTP client as the page does.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "io/file_util.h"
#include "io/midi_reader.h"
#include "io/midi_writer.h"
#include "io/musicxml_reader.h"
#include "io/renderer.h"
#include "model/config.h"
#include "model/model.h"
#include "music/error.h"
#include "server/server.h"
#include "train/trainer.h"

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
    o.limits.iterations = 3;
    o.limits.sampler_threads = 1;
    o.limits.job_seconds = 60;
    server_ = new WebServer(o);
    port_ = server_->bind();
    thread_ = new std::thread([] { server_->run(); });
    httplib::Client probe("127.0.0.1", port_);
    for (int i = 0; i < 200 && !probe.Get("/api/health"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
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
  httplib::Client client() { return httplib::Client("127.0.0.1", port_); }
  Reply get(const std::string& path) { return wrap(client().Get(path)); }
  Reply post_raw(const std::string& path, const std::string& body) {
    return wrap(client().Post(path, body, "application/json"));
  }
  Reply post(const std::string& path, const json& body) { return post_raw(path, body.dump()); }

  // Polls a job until it ends; returns its final JSON.
  json wait(const Reply& submitted) {
    EXPECT_EQ(submitted.status, 202) << submitted.raw;
    std::string id = submitted.body.value("id", "");
    for (int i = 0; i < 6000; ++i) {
      Reply r = get("/api/job/" + id);
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
  json result = done(post("/api/piece/" + id + "/regenerate",
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

TEST_F(ApiTest, RegenerateByTicks) {
  json piece = new_piece({{"bars", 2}, {"seed", 3}});
  std::string id = piece["id"];
  json result = done(post("/api/piece/" + id + "/regenerate", json{{"from_tick", 4}, {"to_tick", 12}, {"voices", {3}}}));
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
  std::string xml = io::read_file_bytes(std::string(DQ_WEB_DIR) + "/e2e/fixtures/melody.musicxml");
  music::Score melody = io::parse_musicxml(xml, "melody.musicxml");
  httplib::MultipartFormDataItems form = {{"file", xml, "melody.musicxml", "application/xml"}, {"seed", "3", "", ""}};
  json result = done(wrap(client().Post("/api/reharmonize", form)));
  ASSERT_TRUE(result.contains("report")) << result.dump();
  EXPECT_EQ(result["report"]["fermatas"], 2);
  EXPECT_FALSE(result["report"]["fermatas_inferred"]);
  int shift = result["report"]["octave_shift"];
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
      {"/api/reharmonize?filename=x.mxl", {}}};
  std::vector<json> values = {nullptr, -1, 0, 1, 3, 1e308, -1e308, 2.5, "", "x", "soprano", json::array(),
                              json::array({-1, 9}), json::array({0, "bass"}), json::object(), true, "D major",
                              "4/4", "every:0bars", "2,3", 4294967296.0};
  std::mt19937 rng(5);
  for (int i = 0; i < 300; ++i) {
    const auto& [path, fields] = routes[rng() % routes.size()];
    std::string body;
    if (i % 4 == 0) {
      int n = rng() % 64;
      for (int k = 0; k < n; ++k) body += static_cast<char>(rng() % 256);
    } else {
      json j = json::object();
      for (int k = rng() % 4; k > 0 && !fields.empty(); --k) j[fields[rng() % fields.size()]] = values[rng() % values.size()];
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
