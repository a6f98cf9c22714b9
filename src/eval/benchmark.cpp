#include "eval/benchmark.h"

#include <chrono>
#include <cstdio>
#include <random>

#include "corpus/corpus.h"
#include "corpus/dataset.h"
#include "model/batches.h"
#include "model/scoring.h"
#include "music/error.h"
#include "music/pitch.h"
#include "sample/compose.h"
#include "util/progress.h"

namespace dq::eval {

namespace {

std::string fixed(double v, int digits = 4) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

Table model_table(model::Model& model, const std::vector<const corpus::CorpusPiece*>& pieces, const std::string& name) {
  corpus::SplitTensors split = corpus::encode_split(pieces, model.config.vocab, model.config.styles, {0});
  model::SplitView view(split);
  model::VoiceScores s = model::score_split(model, view);
  Table t{"Model on the " + name + " chorales (" + std::to_string(split.size()) + " pieces, original keys)",
          {"voice", "loss (nats)", "accuracy (all ticks)", "accuracy (note onsets)"},
          {},
          "Accuracy counts every sixteenth, holds included, as DeepBach reports it; onsets only is the harder figure."};
  static const char* kVoices[] = {"soprano", "alto", "tenor", "bass"};
  for (int v = 0; v < music::kNumVoices; ++v)
    t.rows.push_back({kVoices[v], fixed(s.loss[v]), fixed(s.accuracy[v]), fixed(s.onset_accuracy[v])});
  double onset = (s.onset_accuracy[0] + s.onset_accuracy[1] + s.onset_accuracy[2] + s.onset_accuracy[3]) / 4;
  t.rows.push_back({"mean", fixed(s.mean_loss()), fixed(s.mean_accuracy()), fixed(onset)});
  return t;
}

}  // namespace

EvalReport run_benchmark(model::Model& model, const std::string& model_path, const BenchmarkOptions& o) {
  std::vector<corpus::CorpusPiece> corpus = corpus::load_corpus({o.corpus}, 2, o.progress);
  std::vector<const corpus::CorpusPiece*> train, valid, test;
  std::vector<music::Score> train_scores, test_scores;
  for (const auto& p : corpus) {
    if (!p.accepted || p.style != "bach") continue;
    if (p.split == corpus::Split::kTrain) { train.push_back(&p); train_scores.push_back(p.score); }
    if (p.split == corpus::Split::kValid) valid.push_back(&p);
    if (p.split == corpus::Split::kTest) { test.push_back(&p); test_scores.push_back(p.score); }
  }
  if (test.size() < 2) throw Error(o.corpus + ": fewer than two test chorales (is splits.tsv beside the corpus?)");

  // Generated chorales, in the keys of the test chorales.
  std::vector<music::Score> generated;
  double generation_seconds = 0;
  {
    const auto start = std::chrono::steady_clock::now();
    Progress bar("Generating", o.generated, o.progress);
    std::mt19937_64 rng(o.sampling.seed);
    for (int i = 0; i < o.generated; ++i) {
      sample::PieceRequest r;
      r.bars = o.bars;
      r.key = test[rng() % test.size()]->score.meta[0].key;
      if (r.key.mode == music::Mode::kUnknown) r.key.mode = music::Mode::kMajor;
      sample::SampleOptions so = o.sampling;
      so.seed = o.sampling.seed + static_cast<uint64_t>(i);
      so.progress = false;
      generated.push_back(sample::generate(model, r, so)[0]);
      generated.back().title = "generated " + std::to_string(i + 1);
      bar.update(i + 1);
    }
    bar.finish();
    generation_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  EvalReport report = evaluate(generated, test_scores, train_scores, choir_ranges());
  report.title = "deepquartet evaluation";
  report.facts.push_back({"model", model_path});
  report.facts.push_back({"preset", model.config.preset});
  report.facts.push_back({"corpus", o.corpus});
  report.facts.push_back({"generated", std::to_string(o.generated) + " chorales of " + std::to_string(o.bars) +
                                           " bars in 4/4, fermatas every 2 bars, keys drawn from the test chorales"});
  report.facts.push_back({"sampling", (o.sampling.iterations > 0 ? std::to_string(o.sampling.iterations) : "default") +
                                          " iterations, temperature " + fixed(o.sampling.start_temperature, 2) + " -> " +
                                          fixed(o.sampling.temperature, 2) + ", voice-leading prior " +
                                          fixed(o.sampling.voice_leading_penalty, 1) + " nats per fault"});
  report.facts.push_back({"generation time", fixed(generation_seconds / std::max(1, o.generated), 2) +
                                                 " s per chorale (" + std::to_string(o.sampling.threads) +
                                                 " thread(s), one chorale at a time)"});
  report.tables.push_back(model_table(model, test, "test"));
  report.tables.push_back(model_table(model, valid, "valid"));

  // Reharmonization: Bach's soprano kept, the other voices generated.
  const int count = std::min<int>(o.reharmonized, static_cast<int>(test.size()));
  if (count > 0) {
    std::vector<music::Score> results, originals;
    Progress bar("Reharmonizing", count, o.progress);
    RuleCounts totals;
    for (int i = 0; i < count; ++i) {
      const music::Score& original = test[i]->score;
      sample::ReharmonizeRequest r;
      r.key = original.meta[0].key;
      r.keep = {0};
      sample::SampleOptions so = o.sampling;
      so.seed = o.sampling.seed + 1000 + static_cast<uint64_t>(i);
      so.progress = false;
      try {
        results.push_back(sample::reharmonize(model, original, r, so)[0]);
        originals.push_back(original);
        totals += count_rules(results.back(), choir_ranges());
      } catch (const Error& e) {
        std::fprintf(stderr, "skipped %s: %s\n", test[i]->path.c_str(), e.what());
      }
      bar.update(i + 1);
    }
    bar.finish();
    report.reharmonization = compare_reharmonizations(results, originals);
    report.reharmonization.note = std::to_string(results.size()) +
                                  " test chorales: Bach's soprano kept note for note (in its key and with its fermatas), "
                                  "alto, tenor and bass generated.";
    Table rules{"Grader on the reharmonizations", {"rule", "rate per note"}, {}, ""};
    for (int r = 0; r < kNumRules; ++r)
      rules.rows.push_back({rule_name(static_cast<Rule>(r)), fixed(totals.rate_per_note(static_cast<Rule>(r)), 5)});
    report.tables.push_back(rules);
  }
  return report;
}

}  // namespace dq::eval
