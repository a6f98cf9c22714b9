#include "server/server.h"

#include <cstdio>
#include <filesystem>

#include <httplib.h>
#include <sys/socket.h>

#include "server/upload.h"
#include "util/error.h"

namespace dq::server {

namespace {

// HTTP threads: enough for several tabs with keep-alive connections, since
// no request waits for the model (sampling is on the WorkQueue).
constexpr int kHttpThreads = 32;
constexpr time_t kKeepAliveSeconds = 2;

// Connections waiting to be accepted. cpp-httplib 0.11 listens with a
// backlog of 5: a burst of more clients at once (50 concurrent requests)
// overflows it, and the kernel drops or resets the extra connections (SYN
// cookies) instead of letting them wait for an HTTP thread.
constexpr int kListenBacklog = 512;

// Room above the upload limit for the multipart framing and form fields.
constexpr size_t kMaxRequestBytes = kMaxUploadBytes + (64 << 10);

}  // namespace

struct WebServer::Impl {
  Impl(const ServeOptions& o, model::Model m)
      : options(o),
        model(std::move(m)),
        sessions(o.max_pieces),
        queue(o.workers, o.max_queued),
        api(model, o.model_path, o.limits, queue, sessions) {
    setup();
  }
  // The workers run tasks that use `api`: stop them before it goes.
  ~Impl() { queue.stop(); }
  void setup();

  ServeOptions options;
  model::Model model;
  SessionStore sessions;
  WorkQueue queue;  // after the model and the sessions: its workers use them
  Api api;
  httplib::Server http;
  int port = 0;
  socket_t listen_socket = INVALID_SOCKET;  // as bound, for the longer backlog
};

void WebServer::Impl::setup() {
  http.new_task_queue = [] { return new httplib::ThreadPool(kHttpThreads); };
  http.set_keep_alive_timeout(kKeepAliveSeconds);
  http.set_payload_max_length(kMaxRequestBytes);
  http.set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_socket = sock;  // the last one created is the one bound
  });
  // The library is built with brotli and would compress every text answer
  // with it at its slowest setting (12 s for the 7 MB Verovio script): keep
  // only gzip.
  http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    auto& headers = const_cast<httplib::Request&>(req).headers;
    auto it = headers.find("Accept-Encoding");
    if (it != headers.end()) it->second = it->second.find("gzip") != std::string::npos ? "gzip" : "";
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Errors the library raises itself (unknown route, request too large, bad
  // request line) still answer {"error": ...}.
  http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    std::string message;
    if (res.status == 413) {
      message = "the request is too large (uploads are limited to " + std::to_string(kMaxUploadBytes >> 20) + " MB)";
    } else if (res.status == 404) {
      message = "not found: " + req.path;
    } else {
      message = "HTTP error " + std::to_string(res.status);
    }
    res.set_content(nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(R"({"error":"internal error"})", "application/json");
  });
  if (options.log) {
    http.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      std::fprintf(stderr, "%s %s %d\n", req.method.c_str(), req.path.c_str(), res.status);
    });
  }
  api.install(http);
  if (!options.web_dir.empty()) {
    if (!std::filesystem::is_directory(options.web_dir)) throw Error(options.web_dir + ": no such folder (--web)");
    http.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
    http.set_file_extension_and_mimetype_mapping("wasm", "application/wasm");
    // Static files never shadow the API: nothing under web/ is named "api".
    if (!http.set_mount_point("/", options.web_dir, {{"Cache-Control", "no-cache"}})) {
      throw Error(options.web_dir + ": cannot serve this folder");
    }
  }
}

WebServer::WebServer(const ServeOptions& options) : WebServer(options, model::load_model(options.model_path)) {}

WebServer::WebServer(const ServeOptions& options, model::Model model)
    : impl_(std::make_unique<Impl>(options, std::move(model))) {}

WebServer::~WebServer() { stop(); }

int WebServer::bind() {
  const ServeOptions& o = impl_->options;
  if (o.port == 0) {
    impl_->port = impl_->http.bind_to_any_port(o.host);
    if (impl_->port <= 0) throw Error("cannot listen on " + o.host + " (any port)");
  } else {
    if (!impl_->http.bind_to_port(o.host, o.port)) {
      throw Error("cannot listen on " + o.host + ":" + std::to_string(o.port) + " (in use? try --port)");
    }
    impl_->port = o.port;
  }
  // Listening again on a listening socket sets its backlog (Linux); if it
  // fails the library's backlog stays.
  if (impl_->listen_socket != INVALID_SOCKET) ::listen(impl_->listen_socket, kListenBacklog);
  return impl_->port;
}

void WebServer::run() { impl_->http.listen_after_bind(); }

void WebServer::stop() { impl_->http.stop(); }

int serve(const ServeOptions& options) {
  WebServer server(options);
  int port = server.bind();
  std::string verovio = options.web_dir + "/node_modules/verovio/dist/verovio-module.mjs";
  if (!options.web_dir.empty() && !std::filesystem::exists(verovio)) {
    std::fprintf(stderr, "warning: %s is missing: the page cannot show scores until you run `npm ci` in %s\n",
                 verovio.c_str(), options.web_dir.c_str());
  }
  std::printf("deepquartet is serving %s on http://%s:%d/ (model %s); stop with Ctrl+C\n",
              options.web_dir.empty() ? "its API" : "the web app", options.host.c_str(), port,
              options.model_path.c_str());
  std::fflush(stdout);
  server.run();
  return 0;
}

}  // namespace dq::server
