// The evaluation that backs every quality claim, in one run. Its headline is
// the honest measure (measure.h): for each condition asked for, a set of
// chorales told apart from Bach's test chorales by a classifier (with Bach's
// valid chorales against his test chorales as the floor) and the tonal
// measures beside Bach's. The conditions:
// - generated-on / generated-off: new chorales of `bars` bars, the key and
//   meter of each drawn from the test chorales (the key: music::home_key),
//   fermatas every two bars (sample::apply_fermatas: where Bach ends a
//   phrase), with the sampler's voice-leading prior at
//   `sampling.voice_leading_penalty` nats (on; negative: the chorale's
//   sample::kChoralePriorNats) or 0 (off); piece i has the
//   same key, meter and seed in both;
// - reharmonized-on / reharmonized-off: the first `reharmonized` test
//   chorales with Bach's soprano kept (its key, fermatas and meter), alto,
//   tenor and bass generated, the prior on or off.
// Below the headline, as before: the model's per-voice loss and accuracy on
// the test and valid chorales, the grader, distributions and copying check
// on the first generated condition (against the test chorales and the
// training chorales), and the agreement of the first reharmonized condition
// with Bach's own alto, tenor and bass.
#pragma once

#include <string>
#include <vector>

#include "eval/report.h"
#include "eval/two_sample.h"
#include "model/model.h"
#include "sample/sampler.h"

namespace dq::eval {

enum class Condition { kGeneratedOn, kGeneratedOff, kReharmonizedOn, kReharmonizedOff };

// "generated-on", ... (for flags and JSON).
const char* condition_id(Condition condition);

// Parses a comma-separated list of condition ids, in the order given, each at
// most once; throws dq::Error naming the unknown id and listing the known ones.
std::vector<Condition> parse_conditions(const std::string& list);

struct ChoraleEvalOptions {
  std::string corpus;  // the Bach chorales (with splits.tsv above them)
  int generated = 50;  // chorales per generated condition
  int bars = 16;
  int reharmonized = 77;  // test chorales per reharmonized condition (0: none; 77: all)
  std::vector<Condition> conditions = {Condition::kGeneratedOn, Condition::kGeneratedOff, Condition::kReharmonizedOn,
                                       Condition::kReharmonizedOff};
  sample::SampleOptions sampling;  // its voice_leading_penalty is the "on" setting
  TwoSampleOptions classifier;
  bool progress = true;
};

// Runs every condition of `options` with `model` (read from `model_path`, for
// the report). Throws dq::Error when the corpus has fewer than two test or
// valid chorales.
EvalReport evaluate_chorales(model::Model& model, const std::string& model_path, const ChoraleEvalOptions& options);

}  // namespace dq::eval
