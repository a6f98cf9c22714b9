#include "server/api.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <random>

#include "corpus/encoding.h"
#include "music/pitch.h"
#include "music/range.h"
#include "music/transpose.h"
#include "sample/compose.h"
#include "server/export.h"
#include "server/request.h"
#include "server/score_json.h"
#include "server/upload.h"
#include "util/error.h"

namespace dq::server {

namespace {

constexpr double kMinTemperature = 0.05;
constexpr double kMaxTemperature = 3.0;
constexpr int kMaxJobWaitSeconds = 10;  // GET /api/job/{id}?wait=: longest hold of an HTTP thread
// Routes of a piece and of a job: the id is 16 hex digits (see random_id).
const std::string kPiece = "/api/piece/([0-9a-f]{16})";
const std::string kJob = "/api/job/([0-9a-f]{16})";

void send_json(httplib::Response& res, int status, const nlohmann::json& j) {
  res.status = status;
  // Titles and part names come from uploaded files: never fail on bad UTF-8.
  res.set_content(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, {{"error", message}});
}

uint64_t random_seed() {
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  std::lock_guard<std::mutex> lock(mu);
  return rng() & ((1ULL << 53) - 1);  // exact in JavaScript
}

nlohmann::json piece_json(const std::string& id, const SessionSnapshot& s, bool with_musicxml) {
  return {{"id", id},
          {"version", s.version},
          {"can_undo", s.can_undo},
          {"can_redo", s.can_redo},
          {"alternatives", s.alternatives},
          {"settings", {{"style", s.settings.style}, {"temperature", s.settings.temperature}}},
          {"score", score_json(s.state.score, s.state.locked, with_musicxml)}};
}

// `state` moved to `key`: the music transposed to the new tonic (up or down,
// whichever keeps the voices inside the model's ranges, else the nearer),
// and every tick's key signature set to `key`.
void change_key(PieceState& state, music::KeySignature key, const model::Model& model) {
  music::Score& score = state.score;
  if (score.length() == 0) return;
  int up = (music::tonic_pitch_class(key) - music::tonic_pitch_class(score.meta[0].key) + 12) % 12;
  int down = up - 12;
  int nearer = up <= 6 ? up : down, farther = up <= 6 ? down : up;
  std::vector<int> fitting =
      music::transpositions_within(music::score_ranges(score), corpus::vocabulary_ranges(model.config.vocab), 12);
  auto fits = [&](int shift) { return std::find(fitting.begin(), fitting.end(), shift) != fitting.end(); };
  int shift = fits(nearer) || !fits(farther) ? nearer : farther;
  if (shift != 0) score = music::transpose(score, shift);
  for (auto& m : score.meta) m.key = key;
}

// `state` re-barred in `time`: the same music, bar lines and beats moved,
// the end filled with rests up to a full bar.
void change_meter(PieceState& state, music::TimeSignature time, int max_ticks) {
  music::Score& score = state.score;
  if (score.length() == 0) return;
  int bar = time.ticks_per_bar();
  int length = (score.length() + bar - 1) / bar * bar;
  if (length > max_ticks) throw ApiError(400, "the piece would be longer than " + std::to_string(max_ticks) + " ticks");
  music::TickMeta last = score.meta.back();
  last.fermata = false;
  score.meta.resize(length, last);
  for (int v = 0; v < music::kNumVoices; ++v) {
    score.voices[v].resize(length, music::kRest);
    if (!score.letters[v].empty()) score.letters[v].resize(length, music::kUnspelled);
    state.locked[v].resize(length, false);
  }
  for (auto& m : score.meta) m.time = time;
  music::renumber_measures(score, 0);
}

// [start, end) of the note (or run of rests) of `voice` sounding at `tick`.
std::pair<int, int> note_span(const music::Score& score, int voice, int tick) {
  const auto& tokens = score.voices[voice];
  int start = tick, end = tick + 1;
  if (tokens[tick] == music::kRest) {
    while (start > 0 && tokens[start - 1] == music::kRest) --start;
    while (end < score.length() && tokens[end] == music::kRest) ++end;
  } else {
    while (start > 0 && tokens[start] == music::kHold) --start;
    while (end < score.length() && tokens[end] == music::kHold) ++end;
  }
  return {start, end};
}

// The ticks [start, end) of the beat holding `tick` (cut at the bar line).
std::pair<int, int> beat_span(const music::Score& score, int tick) {
  int start = tick - score.beat_position(tick);
  int end = start + 1;
  int beat = score.meta[tick].time.ticks_per_beat();
  while (end < score.length() && end - start < beat && !score.is_bar_start(end)) ++end;
  return {start, end};
}

// Multipart form fields or query parameters (strings) as a JSON object with
// the numeric fields converted, so request.h can check them.
nlohmann::json form_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, value] : fields) {
    if (name == "temperature" || name == "seed") {
      if (value.empty()) continue;
      char* end = nullptr;
      double x = std::strtod(value.c_str(), &end);
      if (end == value.c_str() || *end != '\0') throw ApiError(400, "field \"" + name + "\" must be a number");
      if (name == "seed" && x >= 0 && x < 9007199254740992.0 && x == static_cast<double>(static_cast<uint64_t>(x))) {
        j[name] = static_cast<uint64_t>(x);
      } else {
        j[name] = x;
      }
    } else {
      j[name] = value;
    }
  }
  return j;
}

// A score file sent to the server: a multipart form with the file in the
// field "file" and the options as fields, or the raw file as the body with
// ?filename= and the options as query parameters.
struct Upload {
  std::string filename;
  std::string bytes;
  std::vector<std::pair<std::string, std::string>> fields;  // the options
};

Upload read_upload(const httplib::Request& req) {
  Upload upload;
  if (req.is_multipart_form_data()) {
    for (const auto& [name, part] : req.files) {
      if (name == "file") {
        upload.filename = part.filename;
        upload.bytes = part.content;
      } else {
        upload.fields.emplace_back(name, part.content);
      }
    }
    if (upload.filename.empty()) throw ApiError(400, "the form has no file field \"file\" with a file name");
  } else {
    upload.filename = req.get_param_value("filename");
    upload.bytes = req.body;
    if (upload.filename.empty()) throw ApiError(400, "give the file name as ?filename=melody.mid (or upload a form)");
  }
  for (const auto& [name, value] : req.params) {
    if (name != "filename") upload.fields.emplace_back(name, value);
  }
  const std::string& filename = upload.filename;
  if (filename.size() > 200) throw ApiError(400, "the file name is too long");
  if (!can_parse_upload(filename)) {
    throw ApiError(415, filename + ": unsupported file type (upload .mid, .midi, .musicxml, .xml, .mxl or .krn)");
  }
  if (upload.bytes.size() > kMaxUploadBytes) {
    throw ApiError(413,
                   filename + ": larger than the upload limit of " + std::to_string(kMaxUploadBytes >> 20) + " MB");
  }
  if (upload.bytes.empty()) throw ApiError(400, filename + ": the file is empty");
  return upload;
}

// The score in `upload`, at most `max_ticks` long (else a 400).
music::Score parse_checked_upload(const Upload& upload, int max_ticks) {
  music::Score score = parse_upload(upload.bytes, upload.filename);
  if (score.length() > max_ticks) {
    throw ApiError(400, upload.filename + ": too long for the web app (" + std::to_string(score.length()) +
                            " ticks, limit " + std::to_string(max_ticks) + ")");
  }
  return score;
}

}  // namespace

Api::Api(model::Model& model, const std::string& model_file, const ApiLimits& limits, WorkQueue& queue,
         SessionStore& sessions)
    : model_(model), limits_(limits), queue_(queue), sessions_(sessions) {
  nlohmann::json ranges = nlohmann::json::array();
  for (const auto& r : corpus::vocabulary_ranges(model.config.vocab)) {
    ranges.push_back({{"low", r.low},
                      {"high", r.high},
                      {"low_name", music::pitch_name(r.low)},
                      {"high_name", music::pitch_name(r.high)}});
  }
  model_info_ = {{"file", model_file},
                 {"preset", model::preset_name(model.config.preset)},
                 {"styles", model.config.styles},
                 {"parameters", model.parameter_count()},
                 {"voice_ranges", ranges},
                 {"corpus", model.corpus},
                 {"metrics", model.metrics},
                 {"training", model.training},
                 {"limits",
                  {{"max_bars", limits.max_bars},
                   {"max_ticks", limits.max_ticks},
                   {"max_alternatives", limits.max_alternatives},
                   {"max_upload_bytes", kMaxUploadBytes},
                   {"job_seconds", limits.job_seconds},
                   {"min_temperature", kMinTemperature},
                   {"max_temperature", kMaxTemperature}}}};
}

httplib::Server::Handler Api::wrap(Handler handler) {
  return [this, handler](const httplib::Request& req, httplib::Response& res) {
    try {
      (this->*handler)(req, res);
    } catch (const ApiError& e) {
      send_error(res, e.status(), e.what());
    } catch (const Error& e) {
      send_error(res, 400, e.what());
    } catch (const std::bad_alloc&) {
      send_error(res, 503, "out of memory");
    } catch (const std::exception& e) {
      send_error(res, 500, std::string("internal error: ") + e.what());
    }
  };
}

void Api::install(httplib::Server& server) {
  server.Get("/api/model", wrap(&Api::get_model));
  server.Get("/api/health", wrap(&Api::get_health));
  server.Post("/api/piece", wrap(&Api::new_piece));
  server.Post("/api/piece/import", wrap(&Api::import_piece));
  server.Get(kPiece, wrap(&Api::get_piece));
  server.Post(kPiece + "/regenerate", wrap(&Api::regenerate));
  server.Post(kPiece + "/choose", wrap(&Api::choose));
  server.Post(kPiece + "/undo", wrap(&Api::undo));
  server.Post(kPiece + "/redo", wrap(&Api::redo));
  server.Post(kPiece + "/lock", wrap(&Api::lock));
  server.Post(kPiece + "/fermata", wrap(&Api::fermata));
  server.Post(kPiece + "/settings", wrap(&Api::settings));
  server.Get(kPiece + "/export\\.([a-z]+)", wrap(&Api::export_piece));
  server.Post("/api/reharmonize", wrap(&Api::reharmonize));
  server.Get(kJob, wrap(&Api::get_job));
  server.Delete(kJob, wrap(&Api::cancel_job));
}

std::shared_ptr<Session> Api::session_of(const httplib::Request& req) {
  std::shared_ptr<Session> session = sessions_.find(req.matches[1]);
  if (!session) {
    throw ApiError(404, "no piece " + std::string(req.matches[1]) +
                            " (the server forgets the least recently used pieces, and all of them when it restarts)");
  }
  return session;
}

void Api::submit(const std::string& kind, Task task, httplib::Response& res) {
  auto limit = std::chrono::milliseconds(static_cast<int64_t>(limits_.job_seconds * 1000));
  std::shared_ptr<Job> job = queue_.submit(kind, limit, std::move(task));
  if (!job) throw ApiError(503, "the server is busy (too many requests waiting); try again in a moment");
  send_json(res, 202, job->to_json());
}

sample::SampleOptions Api::sample_options(double temperature, uint64_t seed) const {
  sample::SampleOptions o;
  o.temperature = temperature;
  o.start_temperature = std::max(o.start_temperature, temperature);
  o.seed = seed;
  o.threads = limits_.sampler_threads;
  o.iterations = limits_.iterations;
  return o;
}

void Api::get_model(const httplib::Request&, httplib::Response& res) { send_json(res, 200, model_info_); }

void Api::get_health(const httplib::Request&, httplib::Response& res) {
  send_json(res, 200,
            {{"ok", true}, {"queued", queue_.queued()}, {"workers", queue_.workers()}, {"pieces", sessions_.size()}});
}

void Api::new_piece(const httplib::Request& req, httplib::Response& res) {
  nlohmann::json body = parse_body(req.body);
  check_fields(body, {"bars", "key", "meter", "fermatas", "style", "temperature", "seed"});
  sample::PieceRequest request;
  request.bars = int_field(body, "bars", 1, limits_.max_bars).value_or(16);
  try {
    request.key = music::parse_key(string_field(body, "key").value_or("C major"));
    request.time = music::parse_meter(string_field(body, "meter").value_or("4/4"));
  } catch (const Error& e) {
    throw ApiError(400, e.what());
  }
  if (request.bars * request.time.ticks_per_bar() > limits_.max_ticks) {
    throw ApiError(400, "the piece would be longer than " + std::to_string(limits_.max_ticks) + " ticks");
  }
  request.fermatas = string_field(body, "fermatas", 1000).value_or("");
  request.style = string_field(body, "style").value_or("");
  double temperature = number_field(body, "temperature", kMinTemperature, kMaxTemperature).value_or(1.0);
  uint64_t seed = seed_field(body, "seed").value_or(random_seed());
  // Check the fermatas and the style now, so that mistakes are a 400 at once.
  music::Score probe = music::make_empty_score(request.bars * request.time.ticks_per_bar(), request.key, request.time);
  if (!request.fermatas.empty()) sample::apply_fermatas(probe, request.fermatas);
  sample::style_index(model_, request.style);

  submit(
      "piece",
      [this, request, temperature, seed](Job& job) {
        sample::SampleOptions options = sample_options(temperature, seed);
        options.on_progress = [&job](double f) { return job.keep_going(f); };
        music::Score score = sample::generate(model_, request, options).at(0);
        PieceState state{score, sample::no_fixed(score.length())};
        auto session = sessions_.create(std::move(state), PieceSettings{request.style, temperature});
        nlohmann::json j = piece_json(session->id(), session->snapshot(), true);
        j["seed"] = seed;
        return j;
      },
      res);
}

void Api::get_piece(const httplib::Request& req, httplib::Response& res) {
  auto session = session_of(req);
  bool with_musicxml = req.get_param_value("musicxml") != "0";
  send_json(res, 200, piece_json(session->id(), session->snapshot(), with_musicxml));
}

void Api::regenerate(const httplib::Request& req, httplib::Response& res) {
  auto session = session_of(req);
  nlohmann::json body = parse_body(req.body);
  check_fields(body, {"from_bar", "to_bar", "from_tick", "to_tick", "voices", "alternatives", "temperature", "seed"});
  SessionSnapshot snap = session->snapshot();
  const music::Score& score = snap.state.score;
  const int length = score.length();
  int bars = score.bar_count();
  int from = 0, to = length;
  if (body.contains("from_tick") || body.contains("to_tick")) {
    from = int_field(body, "from_tick", 0, length - 1).value_or(0);
    to = int_field(body, "to_tick", 1, length).value_or(length);
  } else if (body.contains("from_bar") || body.contains("to_bar")) {
    int from_bar = int_field(body, "from_bar", 1, bars).value_or(1);
    int to_bar = int_field(body, "to_bar", 1, bars).value_or(bars);
    if (from_bar > to_bar) throw ApiError(400, "\"from_bar\" is after \"to_bar\"");
    // Bar k (1-based) of the piece: the k-th run of ticks between bar lines.
    int bar = 0;
    for (int t = 0; t < length; ++t) {
      if (t == 0 || score.is_bar_start(t)) {
        ++bar;
        if (bar == from_bar) from = t;
        if (bar == to_bar + 1) {
          to = t;
          break;
        }
      }
    }
  }
  if (from >= to) throw ApiError(400, "the region is empty (\"from\" must come before \"to\")");
  std::vector<int> voices = voices_field(body, "voices").value_or(std::vector<int>{0, 1, 2, 3});
  int count = int_field(body, "alternatives", 1, limits_.max_alternatives).value_or(1);
  double temperature =
      number_field(body, "temperature", kMinTemperature, kMaxTemperature).value_or(snap.settings.temperature);
  uint64_t seed = seed_field(body, "seed").value_or(random_seed());
  std::string style = snap.settings.style;

  submit(
      "regenerate",
      [this, session, snap, from, to, voices, count, temperature, seed, style](Job& job) {
        sample::SampleOptions options = sample_options(temperature, seed);
        options.on_progress = [&job](double f) { return job.keep_going(f); };
        std::vector<music::Score> alternatives =
            sample::regenerate(model_, snap.state.score, from, to, voices, count, options, snap.state.locked, style);
        nlohmann::json list = nlohmann::json::array();
        for (const auto& s : alternatives) list.push_back(score_json(s, snap.state.locked, true));
        bool stored = session->set_alternatives(snap.version, std::move(alternatives));
        return nlohmann::json{
            {"id", session->id()}, {"version", snap.version}, {"stale", !stored}, {"from_tick", from},
            {"to_tick", to},       {"voices", voices},        {"seed", seed},     {"temperature", temperature},
            {"alternatives", list}};
      },
      res);
}

void Api::choose(const httplib::Request& req, httplib::Response& res) {
  auto session = session_of(req);
  nlohmann::json body = parse_body(req.body);
  check_fields(body, {"index"});
  int index = required(int_field(body, "index", 0, limits_.max_alternatives - 1), "index");
  if (!session->choose(index)) {
    throw ApiError(409, "there is no alternative " + std::to_string(index) +
                            " (regenerate first; alternatives are dropped when the piece changes)");
  }
  send_json(res, 200, piece_json(session->id(), session->snapshot(), true));
}

void Api::undo(const httplib::Request& req, httplib::Response& res) {
  auto session = session_of(req);
  check_fields(parse_body(req.body), {});
  if (!session->undo()) throw ApiError(409, "nothing to undo");
  send_json(res, 200, piece_json(session->id(), session->snapshot(), true));
}

void Api::redo(const httplib::Request& req, httplib::Response& res) {
  auto session = session_of(req);
  check_fields(parse_body(req.body), {});
  if (!session->redo()) throw ApiError(409, "nothing to redo");
  send_json(res, 200, piece_json(session->id(), session->snapshot(), true));
}

void Api::lock(const httplib::Request& req, httplib::Response& res) {
  auto session = session_of(req);
  nlohmann::json body = parse_body(req.body);
  check_fields(body, {"voice", "tick", "locked"});
  int voice = required(int_field(body, "voice", 0, music::kNumVoices - 1), "voice");
  std::optional<int> tick = int_field(body, "tick", 0, limits_.max_ticks);
  bool locked = bool_field(body, "locked").value_or(true);
  session->edit([&](PieceState& state) {
    int length = state.score.length();
    std::pair<int, int> span{0, length};
    if (tick) {
      if (*tick >= length) throw ApiError(400, "field \"tick\" is past the end of the piece");
      span = note_span(state.score, voice, *tick);
    }
    auto [start, end] = span;
    for (int t = start; t < end; ++t) state.locked[voice][t] = locked;
  });
  send_json(res, 200, piece_json(session->id(), session->snapshot(), false));
}

void Api::fermata(const httplib::Request& req, httplib::Response& res) {
  auto session = session_of(req);
  nlohmann::json body = parse_body(req.body);
  check_fields(body, {"tick", "on"});
  int tick = required(int_field(body, "tick", 0, limits_.max_ticks), "tick");
  bool on = required(bool_field(body, "on"), "on");
  session->edit([&](PieceState& state) {
    if (tick >= state.score.length()) throw ApiError(400, "field \"tick\" is past the end of the piece");
    auto [start, end] = beat_span(state.score, tick);
    for (int t = start; t < end; ++t) state.score.meta[t].fermata = on;
  });
  send_json(res, 200, piece_json(session->id(), session->snapshot(), true));
}

void Api::settings(const httplib::Request& req, httplib::Response& res) {
  auto session = session_of(req);
  nlohmann::json body = parse_body(req.body);
  check_fields(body, {"key", "meter", "style", "temperature"});
  std::optional<std::string> key_text = string_field(body, "key");
  std::optional<std::string> meter_text = string_field(body, "meter");
  std::optional<std::string> style = string_field(body, "style");
  std::optional<double> temperature = number_field(body, "temperature", kMinTemperature, kMaxTemperature);
  std::optional<music::KeySignature> key;
  std::optional<music::TimeSignature> time;
  try {
    if (key_text) key = music::parse_key(*key_text);
    if (meter_text) time = music::parse_meter(*meter_text);
  } catch (const Error& e) {
    throw ApiError(400, e.what());
  }
  if (style) sample::style_index(model_, *style);

  SessionSnapshot snap = session->snapshot();
  bool new_key = key && !snap.state.score.meta.empty() && *key != snap.state.score.meta[0].key;
  bool new_meter = time && !snap.state.score.meta.empty() && *time != snap.state.score.meta[0].time;
  if (new_key || new_meter) {
    session->edit([&](PieceState& state) {
      if (new_meter) change_meter(state, *time, limits_.max_ticks);
      if (new_key) change_key(state, *key, model_);
    });
  }
  PieceSettings s = snap.settings;
  if (style) s.style = *style;
  if (temperature) s.temperature = *temperature;
  session->set_settings(s);
  send_json(res, 200, piece_json(session->id(), session->snapshot(), true));
}

void Api::reharmonize(const httplib::Request& req, httplib::Response& res) {
  Upload upload = read_upload(req);
  const std::string& filename = upload.filename;
  nlohmann::json options = form_fields(upload.fields);
  check_fields(options, {"key", "fermatas", "keep", "transpose", "style", "temperature", "seed"});
  sample::ReharmonizeRequest request;
  std::optional<std::string> key_text = string_field(options, "key");
  if (key_text && !key_text->empty() && *key_text != "auto") {
    try {
      request.key = music::parse_key(*key_text);
    } catch (const Error& e) {
      throw ApiError(400, e.what());
    }
  }
  request.fermatas = string_field(options, "fermatas", 1000).value_or("");
  request.keep = voices_field(options, "keep").value_or(std::vector<int>{0});
  try {
    request.transpose = sample::parse_transpose(string_field(options, "transpose").value_or("auto"));
  } catch (const Error& e) {
    throw ApiError(400, e.what());
  }
  request.style = string_field(options, "style").value_or("");
  double temperature = number_field(options, "temperature", kMinTemperature, kMaxTemperature).value_or(1.0);
  uint64_t seed = seed_field(options, "seed").value_or(random_seed());
  sample::style_index(model_, request.style);

  music::Score input = parse_checked_upload(upload, limits_.max_ticks);
  for (int v : request.keep) {
    if (music::voice_notes(input, v).empty()) {
      throw ApiError(400, filename + ": voice " + std::to_string(v + 1) + " (kept from the file) has no notes");
    }
  }
  if (!request.fermatas.empty()) {
    music::Score probe = input;
    sample::apply_fermatas(probe, request.fermatas);
  }

  submit(
      "reharmonize",
      [this, input, request, temperature, seed, filename](Job& job) {
        sample::SampleOptions options = sample_options(temperature, seed);
        options.on_progress = [&job](double f) { return job.keep_going(f); };
        sample::ReharmonizeReport report;
        music::Score score = sample::reharmonize(model_, input, request, options, &report).at(0);
        PieceState state{score, sample::no_fixed(score.length())};
        for (int v : request.keep) state.locked[v].assign(score.length(), true);
        auto session = sessions_.create(std::move(state), PieceSettings{request.style, temperature});
        nlohmann::json j = piece_json(session->id(), session->snapshot(), true);
        const auto& q = report.quantization;
        j["seed"] = seed;
        j["report"] = {{"file", filename},
                       {"key", key_json(report.key)},
                       {"key_detected", report.key_detected},
                       {"transposition", report.transposition},
                       {"notes_outside_range", report.notes_outside_range},
                       {"fermatas", report.fermata_count},
                       {"fermatas_inferred", report.fermatas_inferred},
                       {"fermatas_from_phrase_marks", report.fermatas_from_phrase_marks},
                       {"fermatas_at_bar_lines", report.fermatas_at_bar_lines},
                       {"quantization", {{"notes_read", q.notes_read}, {"changed", q.total_changed()}}}};
        return j;
      },
      res);
}

void Api::import_piece(const httplib::Request& req, httplib::Response& res) {
  Upload upload = read_upload(req);
  nlohmann::json options = form_fields(upload.fields);
  check_fields(options, {"lock", "style", "temperature", "musicxml"});
  std::vector<int> lock = voices_field(options, "lock").value_or(std::vector<int>{});
  std::string style = string_field(options, "style").value_or("");
  double temperature = number_field(options, "temperature", kMinTemperature, kMaxTemperature).value_or(1.0);
  bool with_musicxml = string_field(options, "musicxml").value_or("1") != "0";
  sample::style_index(model_, style);
  music::Score score = parse_checked_upload(upload, limits_.max_ticks);
  if (score.length() == 0) throw ApiError(400, upload.filename + ": the score has no music");
  PieceState state{score, sample::no_fixed(score.length())};
  for (int v : lock) state.locked[v].assign(score.length(), true);
  auto session = sessions_.create(std::move(state), PieceSettings{style, temperature});
  nlohmann::json j = piece_json(session->id(), session->snapshot(), with_musicxml);
  j["report"] = {{"file", upload.filename},
                 {"quantization",
                  {{"notes_read", score.quantization.notes_read}, {"changed", score.quantization.total_changed()}}}};
  send_json(res, 200, j);
}

void Api::export_piece(const httplib::Request& req, httplib::Response& res) {
  auto session = session_of(req);
  std::string format = req.matches[2];
  if (!is_export_format(format)) {
    throw ApiError(404, "unknown export format \"" + format + "\" (mid, musicxml, mxl, wav, png, pdf)");
  }
  music::Score score = session->snapshot().state.score;
  if (req.has_param("alternative")) {
    std::string text = req.get_param_value("alternative");
    char* end = nullptr;
    long index = std::strtol(text.c_str(), &end, 10);
    std::optional<music::Score> alt;
    if (end != text.c_str() && *end == '\0' && index >= 0 && index < limits_.max_alternatives) {
      alt = session->alternative(static_cast<int>(index));
    }
    if (!alt) throw ApiError(404, "no alternative \"" + text + "\" is waiting for a choice");
    score = std::move(*alt);
  }
  ExportedFile file;
  if (is_engraved_format(format)) {
    if (++renders_ > limits_.max_renders) {
      --renders_;
      throw ApiError(503, "the server is busy engraving other scores; try again in a moment");
    }
    try {
      file = export_score(score, format);
    } catch (...) {
      --renders_;
      throw;
    }
    --renders_;
  } else {
    file = export_score(score, format);
  }
  if (req.get_param_value("download") == "1") {
    res.set_header("Content-Disposition", "attachment; filename=\"deepquartet-" + session->id() + "." + format + "\"");
  }
  res.set_header("Cache-Control", "no-store");
  res.status = 200;
  res.set_content(file.bytes, file.mime_type);
}

void Api::get_job(const httplib::Request& req, httplib::Response& res) {
  std::shared_ptr<Job> job = queue_.find(req.matches[1]);
  if (!job)
    throw ApiError(404, "no job " + std::string(req.matches[1]) + " (finished jobs are forgotten after a while)");
  // ?wait=SECONDS: answer as soon as the job ends, or after that long (long polling).
  if (req.has_param("wait")) {
    const std::string text = req.get_param_value("wait");
    char* end = nullptr;
    double seconds = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !(seconds >= 0 && seconds <= kMaxJobWaitSeconds)) {
      throw ApiError(400, "\"wait\" must be a number of seconds from 0 to " + std::to_string(kMaxJobWaitSeconds));
    }
    job->wait_until_ended(std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
  }
  send_json(res, 200, job->to_json());
}

void Api::cancel_job(const httplib::Request& req, httplib::Response& res) {
  std::shared_ptr<Job> job = queue_.find(req.matches[1]);
  if (!job) throw ApiError(404, "no job " + std::string(req.matches[1]));
  job->cancel();
  send_json(res, 200, job->to_json());
}

}  // namespace dq::server
