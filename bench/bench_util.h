// Small helpers shared by the benchmarks: wall-clock timing, peak memory, and
// the original PyTorch DeepBach measured side by side on this machine.
//
// The original runs through ../shared/tools/deepbach-baseline (its setup.sh
// installs Debian's python3-torch and extracts the DeepBach and music21
// sources; its bench.py prints JSON lines). Where it is not set up, or fails,
// a benchmark says so plainly and takes the figure recorded on another
// machine, named with it: speeds differ between this project's machines by
// up to 2x, so only a side-by-side ratio is a measurement.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace dq::bench {

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

inline double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

// A speed of the original DeepBach and where it comes from.
struct OriginalFigure {
  double value = 0;
  bool side_by_side = false;  // measured now, on this machine
  std::string source;         // how, or which recorded figure and why
};

// What deepbach-baseline's README records (2-core Intel Xeon with AVX-512 of
// this project, idle, measured side by side with deepquartet): training
// 501-518 samples/s (one voice model, batch 256, 1 thread); generation
// 62.8-63.9 ms per parallel Gibbs iteration.
constexpr double kRecordedTrainSamplesPerSecond = 510;
constexpr double kRecordedGibbsIterationMs = 63.4;
constexpr const char* kRecordedMachine =
    "recorded on a 2-core Intel Xeon with AVX-512 (../shared/tools/deepbach-baseline/README.md)";

// Runs the baseline's bench.py for `what` ("train" or "gen") and returns the
// median of its measurement `name`; `recorded` (with kRecordedMachine) where
// that is not possible here.
inline OriginalFigure original_deepbach(const std::string& what, const std::string& name, double recorded) {
  namespace fs = std::filesystem;
  const fs::path tool = fs::path(DQ_SOURCE_DIR) / ".." / "shared" / "tools" / "deepbach-baseline" / "bench.py";
  const char* tmp = std::getenv("TMPDIR");
  const char* dir = std::getenv("BASELINE_DIR");
  const fs::path src =
      dir && *dir ? fs::path(dir) / "src" : fs::path(tmp && *tmp ? tmp : "/tmp") / "deepbach-baseline" / "src";
  OriginalFigure fallback{recorded, false, ""};
  if (!fs::exists(tool) || !fs::exists(src / "DeepBach")) {
    fallback.source = std::string("no side-by-side figure: the original is not set up here (") +
                      tool.parent_path().string() + "/setup.sh); " + kRecordedMachine;
    return fallback;
  }
  const std::string command =
      "/usr/bin/python3 '" + tool.string() + "' --src '" + src.string() + "' --what " + what + " 2>/dev/null";
  std::fprintf(stderr, "running the original DeepBach (%s) ...\n", what.c_str());
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
    pclose(pipe);
  }
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.value("name", "") == name && j.contains("median")) {
      return {j["median"].get<double>(), true,
              "the original DeepBach measured now, side by side (deepbach-baseline, torch 1.13, 1 thread)"};
    }
  }
  fallback.source = "no side-by-side figure: the original's bench.py gave no " + name + "; " + kRecordedMachine;
  return fallback;
}

}  // namespace dq::bench
