#include "eval/chorale_evaluation.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "corpus/corpus.h"
#include "corpus/dataset.h"
#include "eval/markdown.h"
#include "eval/measure.h"
#include "model/batches.h"
#include "model/scoring.h"
#include "music/harmony.h"
#include "sample/compose.h"
#include "sample/melodic_tilt.h"
#include "util/error.h"
#include "util/progress.h"

namespace dq::eval {

namespace {

const char* const kVoices[] = {"soprano", "alto", "tenor", "bass"};
constexpr Condition kAllConditions[] = {Condition::kGeneratedOn, Condition::kGeneratedOff, Condition::kReharmonizedOn,
                                        Condition::kReharmonizedOff};
constexpr uint64_t kReharmonizationSeedOffset = 1000;

// Bach's chorales of the corpus by split.
struct BachSplits {
  std::vector<corpus::CorpusPiece> corpus;
  std::vector<const corpus::CorpusPiece*> valid, test;  // into corpus
  std::vector<music::Score> train_scores, valid_scores, test_scores;
};

// The pieces of one condition, each with the key it was asked for.
struct ConditionSet {
  Condition condition = Condition::kGeneratedOn;
  std::string name;
  std::string description;
  std::vector<music::Score> scores;
  std::vector<music::KeySignature> keys;
  std::vector<music::Score> originals;  // reharmonized: the chorale each piece comes from
  double seconds_per_piece = 0;
};

bool is_generated(Condition c) { return c == Condition::kGeneratedOn || c == Condition::kGeneratedOff; }

bool is_prior_on(Condition c) { return c == Condition::kGeneratedOn || c == Condition::kReharmonizedOn; }

std::string condition_name(Condition c) {
  return std::string(is_generated(c) ? "generated" : "reharmonized") + ", prior " + (is_prior_on(c) ? "on" : "off");
}

std::vector<music::KeySignature> home_keys(const std::vector<music::Score>& scores) {
  std::vector<music::KeySignature> keys;
  for (const music::Score& s : scores) keys.push_back(music::home_key(s));
  return keys;
}

void load_bach(const ChoraleEvalOptions& o, BachSplits& bach) {
  bach.corpus = corpus::load_corpus({o.corpus}, 2, o.progress);
  for (const auto& p : bach.corpus) {
    if (!p.accepted || p.style != "bach") continue;
    if (p.split == corpus::Split::kTrain) bach.train_scores.push_back(p.score);
    if (p.split == corpus::Split::kValid) bach.valid.push_back(&p);
    if (p.split == corpus::Split::kTest) bach.test.push_back(&p);
  }
  for (const auto* p : bach.valid) bach.valid_scores.push_back(p->score);
  for (const auto* p : bach.test) bach.test_scores.push_back(p->score);
  if (bach.test.size() < 2 || bach.valid.size() < 2) {
    throw Error(o.corpus +
                ": fewer than two test or valid chorales (is splits.tsv beside the "
                "corpus?)");
  }
}

sample::SampleOptions sampling_for(Condition c, const ChoraleEvalOptions& o) {
  sample::SampleOptions so = o.sampling;
  if (so.voice_leading_penalty < 0) so.voice_leading_penalty = sample::kChoralePriorNats;
  if (!is_prior_on(c)) {  // the network alone: no voice-leading prior, no melodic tilt
    so.voice_leading_penalty = 0;
    so.melodic_tilt = model::MelodicTilt{};
  }
  so.progress = false;
  return so;
}

std::string prior_text(const model::Model& model, const sample::SampleOptions& so) {
  const bool tilted = !sample::is_zero(so.melodic_tilt ? *so.melodic_tilt : sample::default_melodic_tilt(model, 0));
  return (so.voice_leading_penalty > 0 ? "voice-leading prior " + fixed(so.voice_leading_penalty, 1) + " nats per fault"
                                       : "no voice-leading prior") +
         (tilted ? ", the melodic tilt" : ", no melodic tilt");
}

std::string start_text(const model::Model& model, const sample::SampleOptions& so) {
  return sample::starts_chronologically(model, so) ? "chronological" : "noise";
}

// New chorales in the keys and meters of test chorales drawn at random.
ConditionSet generate_set(model::Model& model, const BachSplits& bach, Condition c, const ChoraleEvalOptions& o) {
  ConditionSet set;
  set.condition = c;
  set.name = condition_name(c);
  const sample::SampleOptions base = sampling_for(c, o);
  set.description = std::to_string(o.generated) + " chorales of " + std::to_string(o.bars) +
                    " bars, keys and meters drawn from the test chorales, fermatas every 2 "
                    "bars where Bach puts a phrase's end (4/4: beat 3), " +
                    prior_text(model, base);
  std::mt19937_64 rng(o.sampling.seed);
  Progress bar("Generating (" + set.name + ")", o.generated, o.progress);
  for (int i = 0; i < o.generated; ++i) {
    const music::Score& model_piece = bach.test_scores[rng() % bach.test_scores.size()];
    sample::PieceRequest r;
    r.bars = o.bars;
    r.key = music::home_key(model_piece);
    r.time = model_piece.meta[0].time;
    sample::SampleOptions so = base;
    so.seed = o.sampling.seed + static_cast<uint64_t>(i);
    set.scores.push_back(sample::generate(model, r, so)[0]);
    set.scores.back().title = "generated " + std::to_string(i + 1);
    set.keys.push_back(r.key);
    bar.update(i + 1);
  }
  bar.finish();
  set.seconds_per_piece = bar.elapsed_seconds() / std::max(1, o.generated);
  return set;
}

// Bach's sopranos kept, alto, tenor and bass generated.
ConditionSet reharmonize_set(model::Model& model, const BachSplits& bach, Condition c, const ChoraleEvalOptions& o) {
  ConditionSet set;
  set.condition = c;
  set.name = condition_name(c);
  const sample::SampleOptions base = sampling_for(c, o);
  const int count = std::min<int>(o.reharmonized, static_cast<int>(bach.test.size()));
  Progress bar("Reharmonizing (" + set.name + ")", count, o.progress);
  for (int i = 0; i < count; ++i) {
    const music::Score& original = bach.test_scores[i];
    sample::ReharmonizeRequest r;
    r.key = music::home_key(original);
    r.keep = {0};
    sample::SampleOptions so = base;
    so.seed = o.sampling.seed + kReharmonizationSeedOffset + static_cast<uint64_t>(i);
    try {
      set.scores.push_back(sample::reharmonize(model, original, r, so)[0]);
      set.keys.push_back(*r.key);
      set.originals.push_back(original);
    } catch (const Error& e) {
      std::fprintf(stderr, "skipped %s: %s\n", bach.test[i]->path.c_str(), e.what());
    }
    bar.update(i + 1);
  }
  bar.finish();
  set.seconds_per_piece = bar.elapsed_seconds() / std::max(1, count);
  set.description = std::to_string(set.scores.size()) +
                    " test chorales: Bach's soprano kept note for note (in its key and with its "
                    "fermatas), alto, tenor and bass generated, " +
                    prior_text(model, base);
  return set;
}

Table model_table(model::Model& model, const std::vector<const corpus::CorpusPiece*>& pieces, const std::string& name) {
  corpus::SplitTensors split = corpus::encode_split(pieces, model.config.vocab, model.config.styles, {0});
  model::SplitView view(split);
  model::VoiceScores s = model::score_split(model, view);
  Table t{"Model on the " + name + " chorales (" + std::to_string(split.size()) + " pieces, original keys)",
          {"voice", "loss (nats)", "accuracy (all ticks)", "accuracy (note onsets)"},
          {},
          "Accuracy counts every sixteenth, holds included, as DeepBach reports it; onsets only "
          "is the harder figure."};
  double onset = 0;
  for (int v = 0; v < music::kNumVoices; ++v) {
    t.rows.push_back({kVoices[v], fixed(s.loss[v], 4), fixed(s.accuracy[v], 4), fixed(s.onset_accuracy[v], 4)});
    onset += s.onset_accuracy[v] / music::kNumVoices;
  }
  t.rows.push_back({"mean", fixed(s.mean_loss(), 4), fixed(s.mean_accuracy(), 4), fixed(onset, 4)});
  return t;
}

// The true (chronological) likelihood of the test chorales under a model
// trained with masks, in the unit of the JSB benchmark's note-wise figures.
Table chronological_table(model::Model& model, const std::vector<const corpus::CorpusPiece*>& pieces) {
  corpus::SplitTensors split = corpus::encode_split(pieces, model.config.vocab, model.config.styles, {0});
  model::ChronologicalScore s = model::chronological_nll(model, model::SplitView(split));
  Table t{"Chronological likelihood of the test chorales (" + std::to_string(split.size()) + " pieces, original keys)",
          {"voice", "NLL (nats per voice and sixteenth)"},
          {},
          "p(piece) as the product over sixteenths, left to right, and over voices top to bottom "
          "of each variable given the ticks before it and the voices above it (the future "
          "hidden), given the metadata (key, meter, fermatas). A held note is the hold token, "
          "so this bounds from above the NLL of the same pitches on a 16th grid that does not "
          "tell held from repeated notes. The same 77 test pieces as the JSB benchmark's test "
          "split, but the music21 encodings (no written-out repeats) and with key and fermatas "
          "given; JSB's note-wise figures: Coconet 0.436, Music Transformer 0.335 (both "
          "without metadata), TonicNet 0.220 (given the chords)."};
  for (int v = 0; v < music::kNumVoices; ++v) t.rows.push_back({kVoices[v], fixed(s.nll[v], 4)});
  t.rows.push_back({"all variables", fixed(s.mean_nll, 4)});
  return t;
}

// Agreement with Bach's parts and the grader's rule rates of a reharmonized set.
void add_reharmonization(EvalReport& report, const ConditionSet& set) {
  report.reharmonization = compare_reharmonizations(set.scores, set.originals);
  report.reharmonization.note = set.description + ".";
  RuleCounts totals;
  for (const music::Score& s : set.scores) totals += count_rules(s, choir_ranges());
  Table rules{"Grader on the reharmonizations (" + set.name + ")", {"rule", "rate per note"}, {}, ""};
  for (int r = 0; r < kNumRules; ++r) {
    const Rule rule = static_cast<Rule>(r);
    rules.rows.push_back({rule_name(rule), fixed(totals.rate_per_note(rule), 5)});
  }
  report.tables.push_back(rules);
}

MeasureReport honest_measure(const BachSplits& bach, const std::vector<ConditionSet>& sets,
                             const ChoraleEvalOptions& o) {
  const MeasuredSet test = measure_set("Bach test chorales", bach.test_scores, home_keys(bach.test_scores));
  const MeasuredSet valid = measure_set("Bach valid (floor)", bach.valid_scores, home_keys(bach.valid_scores));
  MeasureReport m;
  m.options = o.classifier;
  m.bach_pieces = test.size();
  m.features = static_cast<int>(test.feature_names.size());
  m.bach_tonal = tonal_measures(test.tonal);
  // The floor at the size of the conditions: the test's small-sample bias depends on it.
  TwoSampleOptions floor_options = o.classifier;
  for (const ConditionSet& set : sets) {
    floor_options.max_per_class = std::max(floor_options.max_per_class, static_cast<int>(set.scores.size()));
  }
  m.floor = compare_with_bach("bach-valid", "Bach's valid chorales", valid, test, floor_options);
  for (const ConditionSet& set : sets) {
    const MeasuredSet measured = measure_set(set.name, set.scores, set.keys);
    m.conditions.push_back(
        compare_with_bach(condition_id(set.condition), set.description, measured, test, o.classifier));
  }
  return m;
}

void add_facts(EvalReport& report, const model::Model& model, const std::string& model_path,
               const std::vector<ConditionSet>& sets, const ChoraleEvalOptions& o) {
  const sample::SampleOptions& so = o.sampling;
  report.facts.push_back({"model", model_path});
  report.facts.push_back({"preset", model::preset_name(model.config.preset)});
  report.facts.push_back({"corpus", o.corpus});
  report.facts.push_back(
      {"sampling",
       (so.iterations > 0 ? std::to_string(so.iterations) : "default") + " iterations, temperature " +
           fixed(so.start_temperature, 2) + " -> " + fixed(so.temperature, 2) + ", start " + start_text(model, so) +
           (so.keep_rhythm && sample::starts_chronologically(model, so) ? " (its rhythm kept)" : "") +
           (so.opening_tonic ? ", first chord on the tonic (prior)" : ", free opening") +
           (so.final_tonic ? ", last fermata on the tonic (prior)" : ", free ending") + ", seed " +
           std::to_string(so.seed) + ", " + std::to_string(so.threads) + " thread(s), one piece at a time"});
  for (const ConditionSet& set : sets) {
    report.facts.push_back({set.name, set.description + "; " + fixed(set.seconds_per_piece, 2) + " s per piece"});
  }
  if (!sets.empty()) {  // of the graded set, as bench/sampler_quality.sh reads it
    report.facts.push_back(
        {"generation time", fixed(sets.front().seconds_per_piece, 2) + " s per piece (" + sets.front().name + ")"});
  }
}

}  // namespace

const char* condition_id(Condition condition) {
  switch (condition) {
    case Condition::kGeneratedOn:
      return "generated-on";
    case Condition::kGeneratedOff:
      return "generated-off";
    case Condition::kReharmonizedOn:
      return "reharmonized-on";
    case Condition::kReharmonizedOff:
      return "reharmonized-off";
  }
  return "?";
}

std::vector<Condition> parse_conditions(const std::string& list) {
  std::vector<Condition> conditions;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = std::min(list.find(',', start), list.size());
    const std::string id = list.substr(start, comma - start);
    const Condition* found = std::find_if(std::begin(kAllConditions), std::end(kAllConditions),
                                          [&](Condition c) { return id == condition_id(c); });
    if (found == std::end(kAllConditions)) {
      throw Error("--conditions: unknown condition \"" + id +
                  "\" (known: generated-on, "
                  "generated-off, reharmonized-on, reharmonized-off)");
    }
    if (std::find(conditions.begin(), conditions.end(), *found) != conditions.end()) {
      throw Error("--conditions: \"" + id + "\" given twice");
    }
    conditions.push_back(*found);
    start = comma + 1;
  }
  return conditions;
}

EvalReport evaluate_chorales(model::Model& model, const std::string& model_path, const ChoraleEvalOptions& o) {
  BachSplits bach;
  load_bach(o, bach);
  std::vector<ConditionSet> sets;
  for (Condition c : o.conditions) {
    if (is_generated(c))
      sets.push_back(generate_set(model, bach, c, o));
    else if (o.reharmonized > 0)
      sets.push_back(reharmonize_set(model, bach, c, o));
  }
  const std::vector<music::Score> none;
  const ConditionSet* graded = sets.empty() ? nullptr : &sets.front();
  EvalReport report = evaluate(graded ? graded->scores : none, bach.test_scores, bach.train_scores, choir_ranges());
  report.title = "deepquartet evaluation";
  if (graded) report.generated.name = graded->name;
  add_facts(report, model, model_path, sets, o);
  report.tables.push_back(model_table(model, bach.test, "test"));
  report.tables.push_back(model_table(model, bach.valid, "valid"));
  if (model.trained_with_masks()) report.tables.push_back(chronological_table(model, bach.test));
  for (const ConditionSet& set : sets) {
    if (is_generated(set.condition)) continue;
    add_reharmonization(report, set);
    break;
  }
  report.measure = honest_measure(bach, sets, o);
  return report;
}

}  // namespace dq::eval
