// Training curves of several runs on one chart, for bench/time_to_quality.sh:
// the mean validation accuracy of each training log against minutes.
//   plot_curves OUT.png|OUT.svg NAME=LOG.csv [NAME=LOG.csv ...]
#include <cstdio>
#include <exception>
#include <string>

#include "train/trainer.h"
#include "util/file_util.h"
#include "util/plot.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: plot_curves OUT.png|OUT.svg NAME=LOG.csv [NAME=LOG.csv ...]\n");
    return 2;
  }
  dq::Chart chart{"Validation accuracy (mean of 4 voices)", "training minutes", "accuracy", {}};
  try {
    for (int i = 2; i < argc; ++i) {
      const std::string arg = argv[i];
      const size_t eq = arg.find('=');
      if (eq == std::string::npos || eq == 0) throw std::runtime_error("expected NAME=LOG.csv, got '" + arg + "'");
      const std::string path = arg.substr(eq + 1);
      chart.series.push_back(dq::train::accuracy_curve(dq::util::read_file_bytes(path), arg.substr(0, eq)));
      if (chart.series.back().x.empty()) throw std::runtime_error(path + ": no validation rows");
    }
    dq::write_chart(chart, argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "plot_curves: %s\n", e.what());
    return 1;
  }
  return 0;
}
