// Flags shared by the commands that sample (generate, reharmonize,
// regenerate): the model, the sampler settings, the outputs and a
// constraints file; and writing the results.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "model/model.h"
#include "sample/sampler.h"

namespace dq::cli {

// Declares the sampler's settings on `cmd` (also used by `eval`): sweeps,
// temperatures, --start, --free-ending.
void add_sampler_flags(CLI::App* cmd, sample::SampleOptions& options);

struct SamplingFlags {
  std::string model_path;
  std::vector<std::string> outputs;
  std::string constraints_path;
  std::string style;
  int count = 1;
  sample::SampleOptions options;
  bool quiet = false;

  // Declares the flags on `cmd`.
  void add_to(CLI::App* cmd);
  // Loads --model (or the shipped default), with a clear error if missing.
  model::Model load() const;
  // Checks every output extension before any work is done.
  void check_outputs() const;
  // Writes the pieces: with several pieces, OUT.ext becomes OUT-1.ext, OUT-2.ext...
  void write(const std::vector<music::Score>& pieces) const;
};

}  // namespace dq::cli
