// The local web app of deepquartet: an HTTP server (cpp-httplib) that serves
// the page in web/ as static files and the JSON API of api.h, with the model
// loaded once and shared by every request. Sampling runs on a bounded work
// queue; everything else answers at once. Binds 127.0.0.1 by default: it is
// meant for the user's own machine, not for the internet.
#pragma once

#include <memory>
#include <string>

#include "model/model.h"
#include "server/api.h"

namespace dq::server {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;         // 0 = any free port
  std::string model_path;  // the model file to load
  std::string web_dir;     // folder of the page; "" = the API only
  int workers = 2;         // sampling jobs run at once (one per core)
  int max_queued = 8;      // sampling jobs waiting; more are refused with 503
  size_t max_pieces = 32;  // sessions kept in memory (least recently used dropped)
  bool log = true;         // one line per request on stderr
  ApiLimits limits;
};

// A running server. Construct, bind(), then run() (blocks) until stop()
// from another thread. Requests are served on a thread pool.
class WebServer {
 public:
  // Loads options.model_path; throws dq::Error if it cannot be loaded.
  explicit WebServer(const ServeOptions& options);
  // Serves `model` (taken over) instead of loading a file.
  WebServer(const ServeOptions& options, model::Model model);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  // Binds options.host:options.port (port 0: a free port, for tests) and
  // returns the port; throws dq::Error if it cannot.
  int bind();
  // Serves requests until stop(); requires bind().
  void run();
  // Stops run() (safe from any thread); running jobs are cancelled when the
  // WebServer is destroyed.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `deepquartet serve`: loads the model, binds, prints the address and serves
// until the process is stopped. Returns 1 (after printing why) if the server
// cannot start.
int serve(const ServeOptions& options);

}  // namespace dq::server
