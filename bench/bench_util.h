// Small helpers shared by the benchmarks: wall-clock timing, peak memory and
// the baseline figures of the original PyTorch DeepBach measured on this
// machine type (../shared/research/baseline-deepbach.md).
#pragma once

#include <sys/resource.h>
#include <chrono>
#include <cstdio>

namespace dq::bench {

// Original DeepBach, torch 1.13 + OpenBLAS, 1 thread (the default), 2-core machine.
constexpr double kOriginalTrainSamplesPerSecond = 293;  // one voice model, batch 256 (median; range 255-380)
constexpr double kOriginalSeconds16Bars = 137.9;        // generation(), 2000 iterations (range 115-147 s)
constexpr double kOriginalDatasetSeconds = 1.5 * 3600;  // full chorale dataset (extrapolated 1.5-3.5 h)

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

inline double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

}  // namespace dq::bench
