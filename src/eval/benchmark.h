// The evaluation that backs every quality claim, in one run: the model's
// per-voice loss and accuracy on the Bach test (and valid) chorales, the
// grader on generated chorales against the Bach test chorales, the
// reharmonization benchmark (Bach's sopranos reharmonized, compared with
// Bach's own alto, tenor and bass) and the copying check against the
// training chorales.
#pragma once

#include <string>

#include "eval/report.h"
#include "model/model.h"
#include "sample/sampler.h"

namespace dq::eval {

struct BenchmarkOptions {
  std::string corpus;       // the Bach chorales (with splits.tsv above them)
  int generated = 50;       // 16-bar chorales to generate
  int bars = 16;
  int reharmonized = 77;    // test chorales to reharmonize (0: skip)
  sample::SampleOptions sampling;
  bool progress = true;
};

EvalReport run_benchmark(model::Model& model, const std::string& model_path, const BenchmarkOptions& options);

}  // namespace dq::eval
