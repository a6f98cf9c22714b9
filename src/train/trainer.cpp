#include "train/trainer.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "corpus/dataset.h"
#include "io/file_util.h"
#include "model/batches.h"
#include "model/model.h"
#include "music/error.h"
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
struct Progress_ {
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
  Progress_ state;
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

void set_lr(Run& run, double lr) {
  run.state.lr = lr;
  for (auto& opt : run.optimizers)
    for (auto& group : opt->param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
}

nlohmann::json state_json(const Progress_& s) {
  return {{"step", s.step}, {"seconds", s.seconds}, {"best", s.best}, {"bad_evals", s.bad_evals},
          {"lr", s.lr}, {"log", s.log}, {"stopped_early", s.stopped_early}, {"best_scores", s.best_scores.to_json()}};
}

void save_checkpoint(Run& run, const std::string& path, const std::string& dataset_key) {
  torch::serialize::OutputArchive archive;
  nlohmann::json info = {{"config", model::to_json(run.model.config)}, {"state", state_json(run.state)},
                         {"dataset", dataset_key}};
  archive.write("info", model::string_tensor(info.dump()));
  model::write_parameters(run.model.module(), archive, "param/", false);
  for (size_t i = 0; i < run.optimizers.size(); ++i) {
    torch::serialize::OutputArchive sub;
    run.optimizers[i]->save(sub);
    archive.write("optimizer" + std::to_string(i), sub);
  }
  std::string tmp = io::temp_path_beside(path);
  archive.save_to(tmp);
  io::commit_temp_file(tmp, path);
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

// Logits of every voice at every tick of crops `tokens` [B, 4, L]: the first
// round(chronological * B) crops through the chronological factorization
// (their voices `known` [B, 4] known throughout), the others through the
// training forward of `inputs` (the crops, some positions hidden).
std::array<torch::Tensor, 4> crop_logits(model::FastNetImpl& net, const torch::Tensor& tokens,
                                         const torch::Tensor& inputs, const torch::Tensor& meta,
                                         const torch::Tensor& known, double chronological) {
  const int64_t B = tokens.size(0);
  const int64_t first = std::llround(chronological * static_cast<double>(B));
  if (first == 0) return net.forward(inputs, meta);
  if (first == B) return net.chronological(tokens, meta, known);
  auto ordered = net.chronological(tokens.narrow(0, 0, first), meta.narrow(0, 0, first), known.narrow(0, 0, first));
  auto rest = net.forward(inputs.narrow(0, first, B - first), meta.narrow(0, first, B - first));
  // Logits are [B * L, V], crop-major: the chronological crops' rows come first.
  for (int v = 0; v < kNumVoices; ++v) ordered[v] = torch::cat({ordered[v], rest[v]}, 0);
  return ordered;
}

// One optimization step of the "fast" preset; returns the mean voice loss.
// The batch is split between the network and its replicas, one per thread.
// Each part's loss is its share of the whole batch's loss (per voice: the sum
// of its targets' cross-entropies over the whole batch's count of targets),
// so the sum of the parts' gradients is the whole batch's gradient.
double fast_step(Run& run, const SplitView& train, const TrainOptions& o, std::mt19937_64& rng) {
  auto [tokens, meta] = model::sample_crops(train, o.batch, o.crop, rng, o.edge_crops);
  const double masking = run.model.config.masking;
  torch::Tensor inputs = masking > 0 ? model::mask_crops(tokens, masking, rng) : tokens;
  // Chronological crops: each voice known throughout with probability 1/4.
  torch::Tensor known = torch::zeros({o.batch, kNumVoices}, torch::kBool);
  if (run.model.config.chronological > 0) {
    std::bernoulli_distribution is_known(0.25);
    auto k = known.accessor<bool, 2>();
    for (int b = 0; b < o.batch; ++b)
      for (int v = 0; v < kNumVoices; ++v) k[b][v] = is_known(rng);
  }
  std::vector<model::FastNet> nets = {run.model.fast};
  nets.insert(nets.end(), run.replicas.begin(), run.replicas.end());
  const int parts = std::min<int>(static_cast<int>(nets.size()), o.batch);
  std::array<double, kNumVoices> targets{};
  for (int v = 0; v < kNumVoices; ++v)
    targets[v] = std::max<int64_t>(1, (tokens.select(1, v) >= corpus::kRestIndex).sum().item<int64_t>());

  std::vector<double> losses(parts);
  auto chunks_tokens = tokens.chunk(parts, 0);
  auto chunks_inputs = inputs.chunk(parts, 0);
  auto chunks_meta = meta.chunk(parts, 0);
  auto chunks_known = known.chunk(parts, 0);
  run.optimizers[0]->zero_grad();
  run_parallel(parts, parts, [&](int part) {
    model::FastNet& net = nets[part];
    if (part > 0) {
      torch::NoGradGuard no_grad;
      auto source = run.model.fast->parameters();
      auto copy = net->parameters();
      for (size_t i = 0; i < copy.size(); ++i) {
        copy[i].copy_(source[i]);
        copy[i].mutable_grad() = torch::Tensor();
      }
      net->train();
    }
    const torch::Tensor& part_tokens = chunks_tokens[part];
    auto logits = crop_logits(*net, part_tokens, chunks_inputs[part], chunks_meta[part], chunks_known[part],
                              run.model.config.chronological);
    torch::Tensor loss = torch::zeros({});
    for (int v = 0; v < kNumVoices; ++v) {
      torch::Tensor target = part_tokens.select(1, v).reshape({-1});
      torch::Tensor mask = target >= corpus::kRestIndex;
      torch::Tensor sum = torch::nn::functional::cross_entropy(
          logits[v].index({mask}), target.index({mask}),
          torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
      loss = loss + sum / targets[v];
    }
    loss = loss / kNumVoices;
    loss.backward();
    losses[part] = loss.item<double>();
  });
  if (parts > 1) {
    torch::NoGradGuard no_grad;
    auto params = run.model.fast->parameters();
    for (int part = 1; part < parts; ++part) {
      auto replica = nets[part]->parameters();
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
  run.optimizers[0]->step();
  double loss = 0;
  for (double l : losses) loss += l;
  return loss;
}

// One step of the "deepbach" preset: each voice model on its own batch of
// windows, the voices spread over `threads` threads.
double deepbach_step(Run& run, const SplitView& train, const TrainOptions& o, std::mt19937_64& rng) {
  std::array<model::Targets, kNumVoices> targets;
  for (int v = 0; v < kNumVoices; ++v) targets[v] = model::sample_targets(train, o.batch, rng);
  std::array<double, kNumVoices> losses{};
  auto train_voice = [&](int v) {
    const model::Targets& t = targets[v];
    model::Windows w = model::cut_windows(train.tokens, train.meta, t.start, t.length, t.tick, run.model.config.window);
    torch::Tensor logits = run.model.deepbach->voice(v)->forward(w);
    torch::Tensor loss = torch::nn::functional::cross_entropy(logits, w.center_tokens.select(1, v));
    run.optimizers[v]->zero_grad();
    loss.backward();
    run.optimizers[v]->step();
    losses[v] = loss.item<double>();
  };
  run_parallel(kNumVoices, std::clamp(o.threads, 1, kNumVoices), train_voice);
  return (losses[0] + losses[1] + losses[2] + losses[3]) / kNumVoices;
}

void write_curve(const std::string& csv, const std::string& path) {
  Chart chart{"Validation accuracy (mean of 4 voices)", "training minutes", "accuracy",
              {accuracy_curve(csv, "valid accuracy")}};
  write_chart(chart, path);
}

}  // namespace

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

TrainResult train(const TrainOptions& input) {
  TrainOptions o = input;
  const bool fast = o.config.preset == "fast";
  if (o.batch <= 0) o.batch = fast ? 16 : 256;
  if (o.crop < 8 || o.crop > 4096) throw Error("--crop must be between 8 and 4096");
  if (o.lr <= 0 || o.lr > 1) throw Error("--lr must be in (0, 1]");
  if (o.lr_schedule != "constant" && o.lr_schedule != "plateau" && o.lr_schedule != "cosine") {
    throw Error("--lr-schedule must be constant, plateau or cosine");
  }
  if (o.output.empty()) throw Error("an output model path (-o) is required");
  if (o.minutes <= 0 && o.epochs <= 0 && o.max_steps <= 0) o.minutes = 30;
  // Both presets use threads for whole tasks (voices, or parts of the batch):
  // on this kind of machine that is faster than splitting each operation.
  at::set_num_threads(1);

  corpus::DatasetOptions dataset_options;
  dataset_options.roots = o.corpus;
  dataset_options.augment = o.augment;
  dataset_options.cache_dir = o.cache_dir;
  dataset_options.progress = o.progress;
  corpus::Dataset data = corpus::build_dataset(dataset_options);
  if (data.train.size() == 0) throw Error("the corpus has no training pieces");
  SplitView train_view(data.train);
  SplitView valid_view(data.valid.size() > 0 ? data.valid : data.train);
  if (data.valid.size() == 0) std::fprintf(stderr, "warning: no validation pieces; validating on the training split\n");
  std::fprintf(stderr, "Dataset: %zu pieces (%d rejected), %zu training sequences (%lld ticks), %zu valid, %s in %.1f s\n",
               data.pieces.size(), data.rejected, data.train.size(), static_cast<long long>(data.train.ticks()),
               data.valid.size(), data.from_cache ? "from cache" : "built", data.build_seconds);

  o.config.vocab = data.vocab;
  o.config.styles = data.styles;
  torch::manual_seed(o.seed);
  Run run{Model::create(o.config), {}, {}, {}};
  if (!o.init.empty()) {
    model::warm_start(run.model, model::load_model(o.init), o.init);
    std::fprintf(stderr, "Starting from the weights of %s\n", o.init.c_str());
  }
  for (torch::nn::Module* m : optimized_modules(run.model))
    run.optimizers.push_back(std::make_unique<torch::optim::Adam>(m->parameters(), torch::optim::AdamOptions(o.lr)));
  run.state.lr = o.lr;
  if (fast) {
    for (int i = 1; i < std::max(1, o.threads); ++i) run.replicas.push_back(model::FastNet(o.config));
  }

  const std::string checkpoint = o.output + ".ckpt";
  if (o.resume) {
    if (!fs::exists(checkpoint)) throw Error(checkpoint + ": no checkpoint to resume from");
    load_checkpoint(run, checkpoint, data.cache_key);
    std::fprintf(stderr, "Resuming at step %lld (%.1f min trained)\n", static_cast<long long>(run.state.step),
                 run.state.seconds / 60);
  }

  const int64_t ticks_per_step = fast ? int64_t{o.batch} * o.crop : int64_t{o.batch};
  const double steps_per_epoch = std::max(1.0, static_cast<double>(train_view.ticks()) / ticks_per_step);
  int64_t step_budget = o.max_steps > 0 ? o.max_steps : INT64_MAX;
  if (o.epochs > 0) step_budget = std::min<int64_t>(step_budget, static_cast<int64_t>(o.epochs * steps_per_epoch));
  const double second_budget = o.minutes > 0 ? o.minutes * 60 : 1e18;

  // Measure a step to place validations about every two minutes.
  int eval_every = o.eval_every;
  const auto run_start = Clock::now();
  const double seconds_before = run.state.seconds;
  auto elapsed = [&] { return seconds_before + std::chrono::duration<double>(Clock::now() - run_start).count(); };
  auto last_checkpoint = Clock::now();

  if (!o.resume) {
    run.state.log = "step,seconds,lr,train_loss,valid_loss,valid_accuracy,acc_v1,acc_v2,acc_v3,acc_v4,onset_accuracy,valid_chronological_nll\n";
  }
  const bool budget_in_steps = second_budget >= 1e17;
  Progress bar("Training", budget_in_steps ? step_budget : static_cast<long long>(second_budget), o.progress);
  double loss_sum = 0;
  int loss_count = 0;
  std::string status;

  while (run.state.step < step_budget && elapsed() < second_budget && !run.state.stopped_early) {
    const int64_t step = run.state.step;
    // Batches and dropout depend only on (seed, step): a resumed run repeats them.
    std::mt19937_64 rng(o.seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(step));
    torch::manual_seed(o.seed * 1000003 + static_cast<uint64_t>(step));
    if (o.lr_schedule == "cosine") {
      // Down to zero at the end of the budget, in steps or in time, whichever ends first.
      const double done = std::min(1.0, std::max(static_cast<double>(step) / static_cast<double>(step_budget),
                                                 elapsed() / second_budget));
      set_lr(run, o.lr * 0.5 * (1 + std::cos(M_PI * done)));
    }
    run.model.module().train();
    auto step_start = Clock::now();
    double loss = fast ? fast_step(run, train_view, o, rng) : deepbach_step(run, train_view, o, rng);
    if (eval_every <= 0) {
      double step_seconds = std::chrono::duration<double>(Clock::now() - step_start).count();
      eval_every = std::max(10, static_cast<int>(120 / std::max(1e-3, step_seconds)));
    }
    if (!std::isfinite(loss)) throw Error("training diverged (loss is not finite); try a smaller --lr");
    loss_sum += loss;
    ++loss_count;
    run.state.step = step + 1;

    bool last = run.state.step >= step_budget || elapsed() >= second_budget;
    if (run.state.step % eval_every == 0 || last) {
      model::VoiceScores scores = model::score_split(run.model, valid_view, o.valid_targets);
      double acc = scores.mean_accuracy();
      double onset = (scores.onset_accuracy[0] + scores.onset_accuracy[1] + scores.onset_accuracy[2] +
                      scores.onset_accuracy[3]) / 4;
      const double train_loss = loss_sum / loss_count;
      std::ostringstream row;
      row << run.state.step << ',' << elapsed() << ',' << run.state.lr << ',' << train_loss << ','
          << scores.mean_loss() << ',' << acc;
      for (double a : scores.accuracy) row << ',' << a;
      row << ',' << onset << ',';
      // The conditional the chronological start draws from (nats per voice and tick).
      const double chronological_nll =
          run.model.trained_with_masks() ? model::chronological_nll(run.model, valid_view).mean_nll : 0;
      if (run.model.trained_with_masks()) row << chronological_nll;
      row << '\n';
      run.state.log += row.str();
      loss_sum = 0;
      loss_count = 0;
      // The saved model: the best mean accuracy; a model trained on chronological
      // crops as well serves two conditionals (the sweeps' and the chronological
      // pass's), so it is chosen by the mean of their validation losses, as the
      // geometric-mean probability per variable exp(-mean loss).
      const double score = run.model.config.chronological > 0 ? std::exp(-(scores.mean_loss() + chronological_nll) / 2) : acc;
      if (score > run.state.best) {
        run.state.best = score;
        run.state.bad_evals = 0;
        run.state.best_scores = scores;
        run.model.metrics = {{"valid", scores.to_json()}, {"step", run.state.step}};
        run.model.corpus = {{"roots", o.corpus}, {"pieces", data.pieces.size()}, {"rejected", data.rejected},
                            {"train_sequences", data.train.size()}, {"train_ticks", data.train.ticks()},
                            {"valid_pieces", data.valid.size()}, {"styles", data.styles},
                            {"transposition_augmentation", o.augment}};
        run.model.training = {{"minutes", elapsed() / 60}, {"steps", run.state.step}, {"lr", o.lr},
                              {"lr_schedule", o.lr_schedule}, {"batch", o.batch}, {"crop", o.crop},
                              {"edge_crops", o.edge_crops}, {"init", o.init},
                              {"seed", o.seed}, {"threads", o.threads}};
        save_model(run.model, o.output, o.half);
      } else {
        ++run.state.bad_evals;
        if (o.lr_schedule == "plateau" && o.patience > 1 && run.state.bad_evals % std::max(1, o.patience / 2) == 0) {
          set_lr(run, run.state.lr * 0.5);
        }
        if (o.patience > 0 && run.state.bad_evals >= o.patience) run.state.stopped_early = true;
      }
      char buf[160];
      std::snprintf(buf, sizeof buf, "step %lld loss %.3f valid acc %.4f (best score %.4f)",
                    static_cast<long long>(run.state.step), train_loss, acc, run.state.best);
      status = buf;
      io::write_file_atomically(o.output + ".csv", run.state.log);
    }
    bool checkpoint_due = std::chrono::duration<double>(Clock::now() - last_checkpoint).count() >= o.checkpoint_minutes * 60 ||
                          (o.checkpoint_every > 0 && run.state.step % o.checkpoint_every == 0) || last ||
                          run.state.stopped_early;
    if (checkpoint_due) {
      run.state.seconds = elapsed();
      save_checkpoint(run, checkpoint, data.cache_key);
      last_checkpoint = Clock::now();
    }
    bar.update(budget_in_steps ? run.state.step : static_cast<long long>(elapsed()), status);
  }
  bar.finish(status);
  run.state.seconds = elapsed();
  save_checkpoint(run, checkpoint, data.cache_key);
  io::write_file_atomically(o.output + ".csv", run.state.log);
  try {
    write_curve(run.state.log, o.output + ".curve.png");
  } catch (const Error& e) {
    std::fprintf(stderr, "warning: %s\n", e.what());
  }
  if (run.state.best < 0) {  // no validation ran
    save_model(run.model, o.output, o.half);
  }
  TrainResult result;
  result.best = run.state.best_scores;
  result.steps = run.state.step;
  result.seconds = run.state.seconds;
  result.stopped_early = run.state.stopped_early;
  return result;
}

}  // namespace dq::train
