// `deepquartet serve`: the local web app (see server/server.h).
#include "cli/commands.h"
#include "server/server.h"

namespace dq::cli {

void add_serve(CLI::App& app, Runner& run) {
  auto o = std::make_shared<server::ServeOptions>();
  o->web_dir = data_path("web");
  CLI::App* cmd = app.add_subcommand("serve", "Serve the web app: compose, regenerate regions, harmonize melodies");
  cmd->add_option("--host", o->host, "Address to listen on (127.0.0.1: this machine only)")->capture_default_str();
  cmd->add_option("--port", o->port, "Port (0: any free port)")->capture_default_str()->check(CLI::Range(0, 65535));
  cmd->add_option("--model", o->model_path, "Model file (default: the shipped model)");
  cmd->add_option("--web", o->web_dir, "Folder of the web page (\"\": serve the API only)")->capture_default_str();
  cmd->add_option("--workers", o->workers, "Sampling jobs run at once")->capture_default_str()->check(CLI::Range(1, 8));
  cmd->add_option("--queue", o->max_queued, "Sampling jobs allowed to wait (more get HTTP 503)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--threads", o->limits.sampler_threads, "CPU threads per sampling job")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  cmd->add_option("--iterations", o->limits.iterations, "Sampler iterations (0: the sampler's default)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--job-seconds", o->limits.job_seconds, "Time limit of one sampling job")
      ->capture_default_str()
      ->check(CLI::Range(1.0, 3600.0));
  cmd->add_flag(
      "--quiet", [o](int64_t) { o->log = false; }, "Do not log requests");
  cmd->callback([o, &run] {
    run = [o] {
      if (o->model_path.empty()) o->model_path = default_model_path();
      return server::serve(*o);
    };
  });
}

}  // namespace dq::cli
