// The JSON API of the web server (documented endpoint by endpoint in
// docs/api.md): pieces held in sessions, edited through small requests
// (lock, fermata, settings, undo, redo), sampled on the WorkQueue
// (new piece, regenerate a region, harmonize an uploaded melody) and exported
// in every format the writers know.
//
// Every answer is JSON except the exports; every error is {"error": "..."}
// with a 4xx status for bad requests (naming the field and the problem), 404
// for unknown pieces and jobs, 409 for requests that do not fit the piece's
// state, 503 when the queue is full. No handler lets an exception escape.
#pragma once

#include <atomic>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "model/model.h"
#include "server/session.h"
#include "server/work_queue.h"

namespace dq::server {

struct ApiLimits {
  int max_bars = 64;         // longest new piece, in bars
  int max_ticks = 2048;      // longest piece of any kind (128 bars of 4/4)
  int max_alternatives = 4;  // per regeneration
  int max_renders = 2;       // PNG/PDF engravings at once (then 503)
  double job_seconds = 120;  // time limit of one sampling job
  int sampler_threads = 1;   // SampleOptions::threads (1 measured faster: the sweeps are single-row)
  int iterations = 0;        // SampleOptions::iterations (0 = the sampler's default)
};

class Api {
 public:
  // `model` must outlive the Api; `model_file` is only reported.
  Api(model::Model& model, const std::string& model_file, const ApiLimits& limits, WorkQueue& queue,
      SessionStore& sessions);

  // Registers every /api route on `server`.
  void install(httplib::Server& server);

 private:
  using Handler = void (Api::*)(const httplib::Request&, httplib::Response&);
  // Routes `handler`, turning its exceptions into JSON errors.
  httplib::Server::Handler wrap(Handler handler);

  void get_model(const httplib::Request& req, httplib::Response& res);
  void get_health(const httplib::Request& req, httplib::Response& res);
  void new_piece(const httplib::Request& req, httplib::Response& res);
  void get_piece(const httplib::Request& req, httplib::Response& res);
  void regenerate(const httplib::Request& req, httplib::Response& res);
  void choose(const httplib::Request& req, httplib::Response& res);
  void undo(const httplib::Request& req, httplib::Response& res);
  void redo(const httplib::Request& req, httplib::Response& res);
  void lock(const httplib::Request& req, httplib::Response& res);
  void fermata(const httplib::Request& req, httplib::Response& res);
  void settings(const httplib::Request& req, httplib::Response& res);
  void reharmonize(const httplib::Request& req, httplib::Response& res);
  void import_piece(const httplib::Request& req, httplib::Response& res);
  void export_piece(const httplib::Request& req, httplib::Response& res);
  void get_job(const httplib::Request& req, httplib::Response& res);
  void cancel_job(const httplib::Request& req, httplib::Response& res);

  std::shared_ptr<Session> session_of(const httplib::Request& req);
  // Queues `task`; answers 202 with the job, or 503 if the queue is full.
  void submit(const std::string& kind, Task task, httplib::Response& res);
  sample::SampleOptions sample_options(double temperature, uint64_t seed) const;

  model::Model& model_;
  const ApiLimits limits_;
  WorkQueue& queue_;
  SessionStore& sessions_;
  nlohmann::json model_info_;
  std::atomic<int> renders_{0};
};

}  // namespace dq::server
