// deepquartet: one program, one subcommand per job. Parses the command line,
// runs the chosen subcommand and maps errors to exit codes: 1 for bad input
// (the message names the file, the place and the problem), 2 for usage errors.
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/commands.h"
#include "util/blas_threads.h"
#include "util/error.h"

namespace dq::cli {

std::string data_path(const std::string& relative) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "deepquartet" / relative;
    if (fs::exists(installed, ec)) return installed.string();
  }
  return std::string(DQ_SOURCE_DIR) + "/" + relative;
}

std::string default_model_path() {
  if (const char* env = std::getenv("DEEPQUARTET_MODEL")) return env;
  return data_path("models/bach.dqm");
}

}  // namespace dq::cli

int main(int argc, char** argv) {
  dq::pin_blas_threads();
  CLI::App app{"deepquartet: four-voice music (Bach chorales, string quartets) with DeepBach in C++"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("deepquartet ") + DQ_VERSION + " (models and web page: " +
                                        std::filesystem::path(dq::cli::data_path("models")).parent_path().string() +
                                        ")");
  dq::cli::Runner run;
  dq::cli::add_info(app, run);
  dq::cli::add_convert(app, run);
  dq::cli::add_corpus(app, run);
  dq::cli::add_train(app, run);
  dq::cli::add_generate(app, run);
  dq::cli::add_reharmonize(app, run);
  dq::cli::add_regenerate(app, run);
  dq::cli::add_eval(app, run);
  dq::cli::add_calibrate(app, run);
  dq::cli::add_serve(app, run);
  dq::cli::add_musescore(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  if (!run) return 2;
  try {
    return run();
  } catch (const dq::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "error: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
