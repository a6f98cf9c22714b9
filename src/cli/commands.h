// The subcommands of the deepquartet program. Each add_* function declares a
// subcommand with its options on `app`; when the user picks it, `run` is set
// to the function that does the work and returns the exit code
// (0 success, 1 bad input; usage errors never reach it: they exit with 2).
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace dq::cli {

using Runner = std::function<int()>;

void add_info(CLI::App& app, Runner& run);
void add_convert(CLI::App& app, Runner& run);
void add_corpus(CLI::App& app, Runner& run);
void add_train(CLI::App& app, Runner& run);
void add_generate(CLI::App& app, Runner& run);
void add_reharmonize(CLI::App& app, Runner& run);
void add_regenerate(CLI::App& app, Runner& run);
void add_eval(CLI::App& app, Runner& run);
void add_calibrate(CLI::App& app, Runner& run);
void add_serve(CLI::App& app, Runner& run);
void add_musescore(CLI::App& app, Runner& run);

// `relative` (e.g. "models/bach.dqm", "web") in the installed data folder,
// PREFIX/share/deepquartet beside PREFIX/bin/deepquartet (`cmake --install`),
// else in the source tree the program was built from.
std::string data_path(const std::string& relative);

// The shipped model used when --model is not given: $DEEPQUARTET_MODEL, else
// data_path("models/bach.dqm").
std::string default_model_path();

}  // namespace dq::cli
