#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <ATen/CPUGeneratorImpl.h>

#include "corpus/dataset.h"
#include "model/batches.h"
#include "model/model.h"
#include "train/distributed.h"
#include "train/fault_unlikelihood.h"
#include "train/own_draws.h"
#include "util/error.h"
#include "util/file_util.h"
#include "util/plot.h"
#include "util/progress.h"

namespace dq::train {

namespace fs = std::filesystem;
using model::Model;
using model::SplitView;
using music::kNumVoices;

namespace {

using Clock = std::chrono::steady_clock;

// Everything a checkpoint restores besides the weights and optimizer state.
struct TrainingState {
  int64_t step = 0;
  double seconds = 0;  // training time spent so far, over all runs
  double best = -1;    // best validation score (see selection_score)
  int bad_evals = 0;
  double lr = 0;
  std::string log;  // CSV rows so far
  bool stopped_early = false;
  model::VoiceScores best_scores;
};

struct Run {
  Model model;
  std::vector<std::unique_ptr<torch::optim::Adam>> optimizers;  // one ("fast") or one per voice
  TrainingState state;
  // "fast" with several threads: copies of the network, one per extra thread,
  // each computing the gradient of its share of the batch (data parallelism).
  std::vector<model::FastNet> replicas;
};

std::vector<torch::nn::Module*> optimized_modules(Model& m) {
  if (m.fast) return {m.fast.get()};
  std::vector<torch::nn::Module*> modules;
  for (int v = 0; v < kNumVoices; ++v) modules.push_back(m.deepbach->voice(v).get());
  return modules;
}

// The interval bias (model::FastNetImpl::interval_table) is a few dozen
// numbers that most targets push the same way; it learns this many times
// faster than the rest of the network, so that a warm start from a model
// without one calibrates it within a few hundred steps instead of thousands.
constexpr double kIntervalBiasLrScale = 100;

bool is_interval_bias_group(const Run& run, const torch::optim::OptimizerParamGroup& group) {
  return run.model.fast && run.model.fast->interval_table().defined() && group.params().size() == 1 &&
         group.params()[0].is_same(run.model.fast->interval_table());
}

void set_lr(Run& run, double lr) {
  run.state.lr = lr;
  for (auto& opt : run.optimizers) {
    for (auto& group : opt->param_groups()) {
      const double scale = is_interval_bias_group(run, group) ? kIntervalBiasLrScale : 1;
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr * scale);
    }
  }
}

// One Adam per optimized module; the interval bias in a group of its own.
std::unique_ptr<torch::optim::Adam> make_optimizer(torch::nn::Module& module, const torch::Tensor& interval_table,
                                                   double lr) {
  std::vector<torch::Tensor> rest;
  for (const auto& p : module.parameters())
    if (!interval_table.defined() || !p.is_same(interval_table)) rest.push_back(p);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(rest, std::make_unique<torch::optim::AdamOptions>(lr));
  if (interval_table.defined()) {
    groups.emplace_back(std::vector<torch::Tensor>{interval_table},
                        std::make_unique<torch::optim::AdamOptions>(lr * kIntervalBiasLrScale));
  }
  return std::make_unique<torch::optim::Adam>(std::move(groups), torch::optim::AdamOptions(lr));
}

nlohmann::json state_json(const TrainingState& s) {
  return {{"step", s.step},
          {"seconds", s.seconds},
          {"best", s.best},
          {"bad_evals", s.bad_evals},
          {"lr", s.lr},
          {"log", s.log},
          {"stopped_early", s.stopped_early},
          {"best_scores", s.best_scores.to_json()}};
}

void save_checkpoint(Run& run, const std::string& path, const std::string& dataset_key) {
  torch::serialize::OutputArchive archive;
  nlohmann::json info = {
      {"config", model::to_json(run.model.config)}, {"state", state_json(run.state)}, {"dataset", dataset_key}};
  archive.write("info", model::string_tensor(info.dump()));
  model::write_parameters(run.model.module(), archive, "param/", false);
  for (size_t i = 0; i < run.optimizers.size(); ++i) {
    torch::serialize::OutputArchive sub;
    run.optimizers[i]->save(sub);
    archive.write("optimizer" + std::to_string(i), sub);
  }
  std::string tmp = util::temp_path_beside(path);
  archive.save_to(tmp);
  util::commit_temp_file(tmp, path);
}

void load_checkpoint(Run& run, const std::string& path, const std::string& dataset_key) {
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
  } catch (const std::exception&) {
    throw Error(path + ": not a readable checkpoint");
  }
  torch::Tensor info_bytes;
  if (!archive.try_read("info", info_bytes)) throw Error(path + ": not a deepquartet checkpoint");
  nlohmann::json info = nlohmann::json::parse(model::tensor_string(info_bytes), nullptr, false);
  if (info.is_discarded()) throw Error(path + ": corrupt checkpoint");
  if (info["config"] != model::to_json(run.model.config)) {
    throw Error(path + ": checkpoint was made with other hyper-parameters or another corpus vocabulary");
  }
  if (info["dataset"] != dataset_key) throw Error(path + ": checkpoint was made on another corpus");
  model::read_parameters(run.model.module(), archive, "param/", path);
  for (size_t i = 0; i < run.optimizers.size(); ++i) {
    torch::serialize::InputArchive sub;
    if (!archive.try_read("optimizer" + std::to_string(i), sub)) throw Error(path + ": optimizer state missing");
    run.optimizers[i]->load(sub);
  }
  const auto& s = info["state"];
  run.state.step = s["step"];
  run.state.seconds = s["seconds"];
  run.state.best = s["best"];
  run.state.bad_evals = s["bad_evals"];
  run.state.log = s["log"];
  run.state.stopped_early = s["stopped_early"];
  const auto& b = s["best_scores"];
  for (int v = 0; v < kNumVoices; ++v) {
    run.state.best_scores.loss[v] = b["loss"][v];
    run.state.best_scores.accuracy[v] = b["accuracy"][v];
    run.state.best_scores.onset_accuracy[v] = b["onset_accuracy"][v];
  }
  run.state.best_scores.targets = b["targets"];
  set_lr(run, s["lr"]);
}

// Runs task(0) .. task(n - 1) on up to `workers` threads.
template <typename Task>
void run_parallel(int n, int workers, const Task& task) {
  if (workers <= 1) {
    for (int i = 0; i < n; ++i) task(i);
    return;
  }
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w)
    pool.emplace_back([&, w] {
      for (int i = w; i < n; i += workers) task(i);
    });
  for (auto& t : pool) t.join();
}

// This process's part of a global batch (dimension 0): all of it without a
// group, else the rank's contiguous share.
torch::Tensor share_of(const torch::Tensor& batch, const ProcessGroup* group) {
  if (!group) return batch;
  const int64_t n = batch.size(0), r = group->rank(), w = group->size();
  return batch.narrow(0, n * r / w, n * (r + 1) / w - n * r / w);
}

// Sums the gradients of `modules` and the losses over the group (a no-op
// without one); undefined gradients count as zeros on every rank.
void reduce_gradients(const std::vector<torch::nn::Module*>& modules, torch::Tensor& losses, ProcessGroup* group,
                      int64_t step) {
  if (!group) return;
  std::vector<torch::Tensor> tensors;
  for (torch::nn::Module* m : modules) {
    for (auto& p : m->parameters()) {
      if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
      tensors.push_back(p.mutable_grad());
    }
  }
  tensors.push_back(losses);
  group->all_reduce_sum(tensors, "the gradients of step " + std::to_string(step + 1));
}

// A global batch of the "fast" preset: the crops (targets), what the network
// reads of them (with hidden positions under masking), their metadata, the
// voices known throughout a chronological crop (each with probability 1/4),
// which crops are chronological (the first round(chronological * batch)),
// and per voice the count of targets over the whole batch.
struct FastBatch {
  torch::Tensor tokens, inputs, meta, known, ordered;
  std::array<double, kNumVoices> targets{};
  // [B, 4, L] bool: the positions the network reads as its own draws
  // (undefined without scheduled sampling), and the seed of those draws.
  torch::Tensor own_draws;
  uint64_t draw_seed = 0;
};

// What the network reads of a batch, before any of its own draws.
CropReading reading_of(const FastBatch& b) {
  return {b.tokens, b.inputs, b.meta, b.known, b.ordered.sum().item<int64_t>()};
}

FastBatch draw_fast_batch(const Run& run, const SplitView& train, const TrainOptions& o, std::mt19937_64& rng) {
  FastBatch g;
  std::tie(g.tokens, g.meta) = model::sample_crops(train, o.batch, o.crop, rng, o.edge_crops);
  const double masking = run.model.config.masking;
  g.inputs = masking > 0 ? model::mask_crops(g.tokens, masking, rng) : g.tokens;
  g.known = torch::zeros({o.batch, kNumVoices}, torch::kBool);
  if (run.model.config.chronological > 0) {
    std::bernoulli_distribution is_known(0.25);
    auto k = g.known.accessor<bool, 2>();
    for (int b = 0; b < o.batch; ++b)
      for (int v = 0; v < kNumVoices; ++v) k[b][v] = is_known(rng);
  }
  g.ordered = torch::arange(o.batch) < static_cast<int64_t>(std::llround(run.model.config.chronological * o.batch));
  for (int v = 0; v < kNumVoices; ++v)
    g.targets[v] = std::max<int64_t>(1, (g.tokens.select(1, v) >= corpus::kRestIndex).sum().item<int64_t>());
  if (o.scheduled_sampling > 0) {
    auto generator = at::make_generator<at::CPUGeneratorImpl>(rng());
    g.own_draws = own_draw_positions(reading_of(g), o.scheduled_sampling, generator);
    g.draw_seed = rng();
  }
  return g;
}

// This rank's share of a global batch (the same counts of targets).
FastBatch share_of(const FastBatch& g, const ProcessGroup* group) {
  FastBatch s{share_of(g.tokens, group),
              share_of(g.inputs, group),
              share_of(g.meta, group),
              share_of(g.known, group),
              share_of(g.ordered, group),
              g.targets,
              {},
              0};
  if (g.own_draws.defined()) s.own_draws = share_of(g.own_draws, group);
  // Each rank and each of its parts (part_of) draws with a seed of its own.
  s.draw_seed = g.draw_seed + (group ? static_cast<uint64_t>(group->rank()) * 1000 : 0);
  return s;
}

// Part `part` of a batch split into `parts` along the crops.
FastBatch part_of(const FastBatch& b, int part, int parts) {
  auto chunk = [&](const torch::Tensor& t) { return t.chunk(parts, 0)[part]; };
  FastBatch p{chunk(b.tokens), chunk(b.inputs), chunk(b.meta), chunk(b.known), chunk(b.ordered), b.targets, {}, 0};
  if (b.own_draws.defined()) p.own_draws = chunk(b.own_draws);
  p.draw_seed = b.draw_seed + static_cast<uint64_t>(part);
  return p;
}

// The loss of `part` (its share of the global batch's: per voice the sum of
// its targets' cross-entropies, and of their fault unlikelihood times its
// weight, over the global count of targets), its gradient left in `net`.
double part_loss_backward(model::FastNetImpl& net, const FastBatch& part, const TrainOptions& o) {
  CropReading reading = reading_of(part);
  // Crops read whole: neither chronological nor with hidden positions.
  const torch::Tensor whole = (part.inputs == part.tokens).flatten(1).all(1).logical_and(part.ordered.logical_not());
  if (part.own_draws.defined() && part.own_draws.any().item<bool>()) {
    auto generator = at::make_generator<at::CPUGeneratorImpl>(part.draw_seed);
    reading = with_own_draws(net, reading, part.own_draws, generator);
  }
  auto logits = crop_logits(net, reading);
  std::array<torch::Tensor, kNumVoices> faulty;
  if (o.fault_unlikelihood > 0) faulty = faulty_tokens(net.config().vocab, reading.inputs, part.tokens, whole);
  torch::Tensor loss = torch::zeros({});
  for (int v = 0; v < kNumVoices; ++v) {
    torch::Tensor target = part.tokens.select(1, v).reshape({-1});
    torch::Tensor mask = target >= corpus::kRestIndex;
    torch::Tensor sum =
        torch::nn::functional::cross_entropy(logits[v].index({mask}), target.index({mask}),
                                             torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
    if (faulty[v].defined()) {
      sum = sum + o.fault_unlikelihood * fault_unlikelihood(logits[v], faulty[v].reshape({-1, faulty[v].size(2)}));
    }
    loss = loss + sum / part.targets[v];
  }
  loss = loss / kNumVoices;
  loss.backward();
  return loss.item<double>();
}

// A replica starts a step with the main network's weights and no gradient.
void copy_weights(model::FastNetImpl& from, model::FastNetImpl& to) {
  torch::NoGradGuard no_grad;
  auto source = from.parameters();
  auto copy = to.parameters();
  for (size_t i = 0; i < copy.size(); ++i) {
    copy[i].copy_(source[i]);
    copy[i].mutable_grad() = torch::Tensor();
  }
  to.train();
}

// Adds the replicas' gradients into the main network's.
void sum_replica_gradients(model::FastNetImpl& main, const std::vector<model::FastNet>& replicas) {
  torch::NoGradGuard no_grad;
  auto params = main.parameters();
  for (const model::FastNet& net : replicas) {
    auto replica = net->parameters();
    for (size_t i = 0; i < params.size(); ++i) {
      if (!replica[i].grad().defined()) continue;
      if (params[i].grad().defined()) {
        params[i].mutable_grad().add_(replica[i].grad());
      } else {
        params[i].mutable_grad() = replica[i].grad().clone();
      }
    }
  }
}

// One optimization step of the "fast" preset; returns the mean voice loss.
// Every rank draws the same global batch (seeded by step) and computes its
// share of it; a rank's share is split between the network and its replicas,
// one per thread. Each part's loss is its share of the global batch's loss,
// so the sum of the parts' gradients, over threads and ranks, is the global
// batch's gradient.
double fast_step(Run& run, const SplitView& train, const TrainOptions& o, std::mt19937_64& rng, ProcessGroup* group) {
  const FastBatch share = share_of(draw_fast_batch(run, train, o, rng), group);
  std::vector<model::FastNet> nets = {run.model.fast};
  nets.insert(nets.end(), run.replicas.begin(), run.replicas.end());
  const int parts = std::min<int>(static_cast<int>(nets.size()), static_cast<int>(share.tokens.size(0)));
  // chunk() may make fewer parts than asked when the share is small.
  const int made = static_cast<int>(share.tokens.chunk(parts, 0).size());
  std::vector<double> losses(made);
  run.optimizers[0]->zero_grad();
  run_parallel(made, parts, [&](int part) {
    if (part > 0) copy_weights(*run.model.fast, *nets[part]);
    losses[part] = part_loss_backward(*nets[part], part_of(share, part, parts), o);
  });
  if (made > 1) sum_replica_gradients(*run.model.fast, {nets.begin() + 1, nets.begin() + made});
  double local_loss = 0;
  for (double l : losses) local_loss += l;
  torch::Tensor loss = torch::tensor({local_loss}, torch::kFloat32);
  reduce_gradients(optimized_modules(run.model), loss, group, run.state.step);
  run.optimizers[0]->step();
  return loss.item<double>();
}

// One step of the "deepbach" preset: each voice model on its own batch of
// windows (every rank draws the same global batches and computes its share,
// whose loss is its part of the global batch's mean), the voices spread over
// `threads` threads; the gradients are summed over the group before the
// optimizers step.
double deepbach_step(Run& run, const SplitView& train, const TrainOptions& o, std::mt19937_64& rng,
                     ProcessGroup* group) {
  std::array<model::Targets, kNumVoices> targets;
  for (int v = 0; v < kNumVoices; ++v) targets[v] = model::sample_targets(train, o.batch, rng);
  torch::Tensor losses = torch::zeros({kNumVoices}, torch::kFloat32);
  std::array<double, kNumVoices> voice_loss{};
  auto train_voice = [&](int v) {
    const model::Targets t{share_of(targets[v].start, group), share_of(targets[v].length, group),
                           share_of(targets[v].tick, group)};
    model::Windows w = model::cut_windows(train.tokens, train.meta, t.start, t.length, t.tick, run.model.config.window);
    torch::Tensor logits = run.model.deepbach->voice(v)->forward(w);
    torch::Tensor loss =
        torch::nn::functional::cross_entropy(logits, w.center_tokens.select(1, v),
                                             torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
        o.batch;
    run.optimizers[v]->zero_grad();
    loss.backward();
    voice_loss[v] = loss.item<double>();
  };
  run_parallel(kNumVoices, std::clamp(o.threads, 1, kNumVoices), train_voice);
  for (int v = 0; v < kNumVoices; ++v) losses[v] = voice_loss[v];
  reduce_gradients(optimized_modules(run.model), losses, group, run.state.step);
  for (auto& optimizer : run.optimizers) optimizer->step();
  return losses.sum().item<double>() / kNumVoices;
}

void write_curve(const std::string& csv, const std::string& path) {
  Chart chart{"Validation accuracy (mean of 4 voices)",
              "training minutes",
              "accuracy",
              {accuracy_curve(csv, "valid accuracy")}};
  write_chart(chart, path);
}

}  // namespace

const char* schedule_name(LrSchedule schedule) {
  switch (schedule) {
    case LrSchedule::kConstant:
      return "constant";
    case LrSchedule::kCosine:
      return "cosine";
    case LrSchedule::kPlateau:
      break;
  }
  return "plateau";
}

Series accuracy_curve(const std::string& csv, const std::string& name) {
  Series curve{name, {}, {}};
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string step, seconds, lr, train_loss, valid_loss, valid_accuracy;
    std::getline(fields, step, ',');
    std::getline(fields, seconds, ',');
    std::getline(fields, lr, ',');
    std::getline(fields, train_loss, ',');
    std::getline(fields, valid_loss, ',');
    std::getline(fields, valid_accuracy, ',');
    try {
      double minutes = std::stod(seconds) / 60, accuracy = std::stod(valid_accuracy);
      curve.x.push_back(minutes);
      curve.y.push_back(accuracy);
    } catch (const std::exception&) {  // the header, or a line cut short
    }
  }
  return curve;
}

namespace {

// `input` with the preset's defaults filled in; throws dq::Error on bad options.
TrainOptions checked_options(const TrainOptions& input) {
  TrainOptions o = input;
  const bool fast = o.config.preset == model::Preset::kFast;
  if (o.batch <= 0) o.batch = fast ? 16 : 256;
  if (o.crop < 8 || o.crop > 4096) throw Error("--crop must be between 8 and 4096");
  if (o.lr <= 0 || o.lr > 1) throw Error("--lr must be in (0, 1]");
  if (o.output.empty()) throw Error("an output model path (-o) is required");
  if (o.minutes <= 0 && o.epochs <= 0 && o.max_steps <= 0) o.minutes = 30;
  if (o.batch < o.group.world_size) {
    throw Error("--batch (" + std::to_string(o.batch) + ") must be at least the number of processes (" +
                std::to_string(o.group.world_size) + "): every process computes a share of each batch");
  }
  return o;
}

// The dataset (from the cache when it is there). In a group, rank 0 builds
// it first (and fills the cache), then the others read it.
corpus::Dataset load_dataset(const TrainOptions& o, ProcessGroup* group) {
  corpus::DatasetOptions dataset_options;
  dataset_options.roots = o.corpus;
  dataset_options.augment = o.augment;
  dataset_options.balanced = o.balanced_transpositions;
  dataset_options.cache_dir = o.cache_dir;
  dataset_options.progress = o.progress;
  corpus::Dataset data;
  auto build = [&] {
    data = corpus::build_dataset(dataset_options);
    return std::vector<double>{};
  };
  if (group) {
    group->leader_only(build, 0, "building the dataset");
    if (!group->is_leader()) build();
  } else {
    build();
  }
  if (data.train.size() == 0) throw Error("the corpus has no training pieces");
  if (o.progress) {
    if (data.valid.size() == 0)
      std::fprintf(stderr, "warning: no validation pieces; validating on the training split\n");
    std::fprintf(stderr,
                 "Dataset: %zu pieces (%d rejected), %zu training sequences (%lld ticks), %zu valid, %s in %.1f s\n",
                 data.pieces.size(), data.rejected, data.train.size(), static_cast<long long>(data.train.ticks()),
                 data.valid.size(), data.from_cache ? "from cache" : "built", data.build_seconds);
  }
  return data;
}

// The model (new, warm-started from --init, or resumed from the checkpoint),
// its optimizers and the replicas of the data-parallel threads. Every rank
// builds the same: the same seed, the same files.
Run make_run(const TrainOptions& o, const corpus::Dataset& data, const std::string& checkpoint) {
  torch::manual_seed(o.seed);
  Run run{Model::create(o.config), {}, {}, {}};
  if (!o.init.empty()) {
    model::warm_start(run.model, model::load_model(o.init), o.init);
    if (o.progress) std::fprintf(stderr, "Starting from the weights of %s\n", o.init.c_str());
  }
  const torch::Tensor interval_table = run.model.fast ? run.model.fast->interval_table() : torch::Tensor();
  for (torch::nn::Module* m : optimized_modules(run.model))
    run.optimizers.push_back(make_optimizer(*m, interval_table, o.lr));
  run.state.lr = o.lr;
  if (o.config.preset == model::Preset::kFast) {
    for (int i = 1; i < std::max(1, o.threads); ++i) run.replicas.push_back(model::FastNet(o.config));
  }
  if (o.resume) {
    if (!fs::exists(checkpoint)) throw Error(checkpoint + ": no checkpoint to resume from");
    load_checkpoint(run, checkpoint, data.cache_key);
    if (o.progress) {
      std::fprintf(stderr, "Resuming at step %lld (%.1f min trained)\n", static_cast<long long>(run.state.step),
                   run.state.seconds / 60);
    }
  }
  return run;
}

// Validates `run` on `valid` and appends a row to its log; saves the model if
// its score is the best so far, else counts a bad evaluation (halving the
// rate on a plateau, stopping after `patience`). Returns the status line.
std::string validate(Run& run, const SplitView& valid, const corpus::Dataset& data, const TrainOptions& o,
                     double seconds, double train_loss) {
  model::VoiceScores scores = model::score_split(run.model, valid, o.valid_targets);
  double acc = scores.mean_accuracy();
  double onset =
      (scores.onset_accuracy[0] + scores.onset_accuracy[1] + scores.onset_accuracy[2] + scores.onset_accuracy[3]) / 4;
  std::ostringstream row;
  row << run.state.step << ',' << seconds << ',' << run.state.lr << ',' << train_loss << ',' << scores.mean_loss()
      << ',' << acc;
  for (double a : scores.accuracy) row << ',' << a;
  row << ',' << onset << ',';
  // The conditional the chronological start draws from (nats per voice and tick).
  const double chronological_nll =
      run.model.trained_with_masks() ? model::chronological_nll(run.model, valid).mean_nll : 0;
  if (run.model.trained_with_masks()) row << chronological_nll;
  row << '\n';
  run.state.log += row.str();
  // The saved model: the best mean accuracy; a model trained on chronological
  // crops as well serves two conditionals (the sweeps' and the chronological
  // pass's), so it is chosen by the mean of their validation losses, as the
  // geometric-mean probability per variable exp(-mean loss).
  const double score =
      run.model.config.chronological > 0 ? std::exp(-(scores.mean_loss() + chronological_nll) / 2) : acc;
  if (score > run.state.best) {
    run.state.best = score;
    run.state.bad_evals = 0;
    run.state.best_scores = scores;
    run.model.metrics = {{"valid", scores.to_json()}, {"step", run.state.step}};
    run.model.corpus = {{"roots", o.corpus},
                        {"pieces", data.pieces.size()},
                        {"rejected", data.rejected},
                        {"train_sequences", data.train.size()},
                        {"train_ticks", data.train.ticks()},
                        {"valid_pieces", data.valid.size()},
                        {"styles", data.styles},
                        {"transposition_augmentation",
                         o.augment ? (o.balanced_transpositions ? "balanced" : "every shift that fits") : "none"}};
    run.model.training = {{"minutes", seconds / 60},
                          {"steps", run.state.step},
                          {"lr", o.lr},
                          {"lr_schedule", schedule_name(o.lr_schedule)},
                          {"batch", o.batch},
                          {"crop", o.crop},
                          {"edge_crops", o.edge_crops},
                          {"fault_unlikelihood", o.fault_unlikelihood},
                          {"scheduled_sampling", o.scheduled_sampling},
                          {"init", o.init},
                          {"seed", o.seed},
                          {"threads", o.threads},
                          {"processes", o.group.world_size}};
    save_model(run.model, o.output, o.half);
  } else {
    ++run.state.bad_evals;
    if (o.lr_schedule == LrSchedule::kPlateau && o.patience > 1 &&
        run.state.bad_evals % std::max(1, o.patience / 2) == 0) {
      set_lr(run, run.state.lr * 0.5);
    }
    if (o.patience > 0 && run.state.bad_evals >= o.patience) run.state.stopped_early = true;
  }
  char buf[160];
  std::snprintf(buf, sizeof buf, "step %lld loss %.3f valid acc %.4f (best score %.4f)",
                static_cast<long long>(run.state.step), train_loss, acc, run.state.best);
  util::write_file_atomically(o.output + ".csv", run.state.log);
  return buf;
}

// The checkpoint, log and curve at the end of a run (rank 0).
void finish(Run& run, const TrainOptions& o, const std::string& checkpoint, const std::string& dataset_key) {
  save_checkpoint(run, checkpoint, dataset_key);
  util::write_file_atomically(o.output + ".csv", run.state.log);
  try {
    write_curve(run.state.log, o.output + ".curve.png");
  } catch (const Error& e) {
    std::fprintf(stderr, "warning: %s\n", e.what());
  }
  if (run.state.best < 0) save_model(run.model, o.output, o.half);  // no validation ran
}

// The run's budget in steps and seconds: whichever ends first.
struct Budget {
  int64_t steps = INT64_MAX;
  double seconds = 1e18;
  bool in_steps() const { return seconds >= 1e17; }  // the progress bar counts steps, else seconds
};

Budget budget_of(const TrainOptions& o, const SplitView& train) {
  const bool fast = o.config.preset == model::Preset::kFast;
  const int64_t ticks_per_step = fast ? int64_t{o.batch} * o.crop : int64_t{o.batch};
  const double steps_per_epoch = std::max(1.0, static_cast<double>(train.ticks()) / ticks_per_step);
  Budget b;
  if (o.max_steps > 0) b.steps = o.max_steps;
  if (o.epochs > 0) b.steps = std::min<int64_t>(b.steps, static_cast<int64_t>(o.epochs * steps_per_epoch));
  if (o.minutes > 0) b.seconds = o.minutes * 60;
  return b;
}

// The loop around the steps: rank 0's decisions (go on or stop, learning
// rate), validation, checkpoints and the progress bar, shared with the group.
class Loop {
 public:
  Loop(Run& run, const TrainOptions& o, const corpus::Dataset& data, const SplitView& valid, Budget budget,
       ProcessGroup* group)
      : run_(run),
        o_(o),
        data_(data),
        valid_(valid),
        group_(group),
        budget_(budget),
        checkpoint_(o.output + ".ckpt"),
        seconds_before_(run.state.seconds),
        eval_every_(o.eval_every),
        bar_("Training", budget_.in_steps() ? budget_.steps : static_cast<long long>(budget_.seconds), o.progress) {
    if (!o.resume) {
      run.state.log =
          "step,seconds,lr,train_loss,valid_loss,valid_accuracy,acc_v1,acc_v2,acc_v3,acc_v4,onset_accuracy,valid_"
          "chronological_nll\n";
    }
  }

  // Whether to take a step, and at what learning rate: rank 0's decision,
  // after `after_step` of the one before (none at the start).
  bool next(bool after_step) {
    auto decision = [&] {
      if (after_step) validate_and_checkpoint();
      return decide();
    };
    const std::string what = after_step ? "step " + std::to_string(run_.state.step) : "the start";
    const std::vector<double> d = group_ ? group_->leader_only(decision, 2, what) : decision();
    set_lr(run_, d[1]);
    return d[0] == 1;
  }

  // Counts a step that took `seconds` and returned `loss`.
  void count(double loss, double seconds) {
    // eval_every 0: set from the first step, for a validation about every two minutes.
    if (eval_every_ <= 0) eval_every_ = std::max(10, static_cast<int>(120 / std::max(1e-3, seconds)));
    if (!std::isfinite(loss)) throw Error("training diverged (loss is not finite); try a smaller --lr");
    loss_sum_ += loss;
    ++loss_count_;
    ++run_.state.step;
  }

  void end() {
    run_.state.seconds = elapsed();
    if (group_ && !group_->is_leader()) return;
    bar_.finish(status_);
    finish(run_, o_, checkpoint_, data_.cache_key);
  }

 private:
  double elapsed() const { return seconds_before_ + std::chrono::duration<double>(Clock::now() - start_).count(); }

  std::vector<double> decide() {
    const int64_t step = run_.state.step;
    const bool go = step < budget_.steps && elapsed() < budget_.seconds && !run_.state.stopped_early;
    if (go && o_.lr_schedule == LrSchedule::kCosine) {
      // Down to zero at the end of the budget, in steps or in time, whichever ends first.
      const double done = std::min(
          1.0, std::max(static_cast<double>(step) / static_cast<double>(budget_.steps), elapsed() / budget_.seconds));
      set_lr(run_, o_.lr * 0.5 * (1 + std::cos(M_PI * done)));
    }
    return {go ? 1.0 : 0.0, run_.state.lr};
  }

  // After a step, on rank 0: validation, model and checkpoint when due.
  void validate_and_checkpoint() {
    const bool last = run_.state.step >= budget_.steps || elapsed() >= budget_.seconds;
    if (run_.state.step % eval_every_ == 0 || last) {
      status_ = validate(run_, valid_, data_, o_, elapsed(), loss_sum_ / loss_count_);
      loss_sum_ = 0;
      loss_count_ = 0;
    }
    const bool checkpoint_due =
        std::chrono::duration<double>(Clock::now() - last_checkpoint_).count() >= o_.checkpoint_minutes * 60 ||
        (o_.checkpoint_every > 0 && run_.state.step % o_.checkpoint_every == 0) || last || run_.state.stopped_early;
    if (checkpoint_due) {
      run_.state.seconds = elapsed();
      save_checkpoint(run_, checkpoint_, data_.cache_key);
      last_checkpoint_ = Clock::now();
    }
    bar_.update(budget_.in_steps() ? run_.state.step : static_cast<long long>(elapsed()), status_);
  }

  Run& run_;
  const TrainOptions& o_;
  const corpus::Dataset& data_;
  const SplitView& valid_;
  ProcessGroup* group_;
  const Budget budget_;
  const std::string checkpoint_;
  const double seconds_before_;
  const Clock::time_point start_ = Clock::now();
  Clock::time_point last_checkpoint_ = Clock::now();
  int eval_every_;
  Progress bar_;
  double loss_sum_ = 0;
  int loss_count_ = 0;
  std::string status_;
};

}  // namespace

TrainResult train(const TrainOptions& input) {
  TrainOptions o = checked_options(input);
  // Both presets use threads for whole tasks (voices, or parts of the batch):
  // on this kind of machine that is faster than splitting each operation.
  at::set_num_threads(1);
  std::unique_ptr<ProcessGroup> group;
  if (o.group.world_size > 1) group = std::make_unique<ProcessGroup>(o.group);
  if (group && !group->is_leader()) o.progress = false;  // rank 0 alone reports, validates and writes files

  corpus::Dataset data = load_dataset(o, group.get());
  SplitView train_view(data.train);
  SplitView valid_view(data.valid.size() > 0 ? data.valid : data.train);
  o.config.vocab = data.vocab;
  o.config.styles = data.styles;
  Run run = make_run(o, data, o.output + ".ckpt");
  Loop loop(run, o, data, valid_view, budget_of(o, train_view), group.get());
  for (bool go = loop.next(false); go; go = loop.next(true)) {
    // Batches and dropout depend only on (seed, step): a resumed run repeats them.
    const auto step = static_cast<uint64_t>(run.state.step);
    std::mt19937_64 rng(o.seed * 0x9E3779B97F4A7C15ull + step);
    torch::manual_seed(o.seed * 1000003 + step);
    run.model.module().train();
    const auto step_start = Clock::now();
    const double loss = o.config.preset == model::Preset::kFast ? fast_step(run, train_view, o, rng, group.get())
                                                                : deepbach_step(run, train_view, o, rng, group.get());
    loop.count(loss, std::chrono::duration<double>(Clock::now() - step_start).count());
  }
  loop.end();
  TrainResult result;
  result.best = run.state.best_scores;
  result.steps = run.state.step;
  result.seconds = run.state.seconds;
  result.stopped_early = run.state.stopped_early;
  return result;
}

}  // namespace dq::train
