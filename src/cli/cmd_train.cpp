// `deepquartet train`: trains a model on a corpus (see train/trainer.h).
#include <cstdio>
#include <map>
#include <tuple>

#include "cli/commands.h"
#include "model/config.h"
#include "model/model.h"
#include "train/trainer.h"

namespace dq::cli {

namespace {

struct TrainCommand {
  train::TrainOptions options;
  std::string preset = "fast";
  int note_embedding = -1, meta_embedding = -1, lstm_hidden = -1, lstm_layers = -1, linear_hidden = -1, window = -1,
      interval_range = -1;
  double dropout = -1, input_dropout = -1, masking = -1, chronological = -1;
  bool no_augment = false;
  // The process group: -1 / empty = from the launcher's environment.
  int rank = -1, world_size = 0;
  std::string master;
  double timeout = 60;
};

int run_train(TrainCommand c) {
  // With --init the network's shape is the given model's (a new metadata channel aside).
  model::ModelConfig config = model::preset_config(c.preset);
  if (!c.options.init.empty()) {
    config = model::load_model(c.options.init).config;
    config.meta_channels = corpus::kNumMetaChannels;
    config.masking = 0;
    config.chronological = 0;
  }
  if (c.masking >= 0) config.masking = c.masking;
  if (c.chronological >= 0) config.chronological = c.chronological;
  if (c.note_embedding > 0) config.note_embedding = c.note_embedding;
  if (c.meta_embedding > 0) config.meta_embedding = c.meta_embedding;
  if (c.lstm_hidden > 0) config.lstm_hidden = c.lstm_hidden;
  if (c.lstm_layers > 0) config.lstm_layers = c.lstm_layers;
  if (c.linear_hidden > 0) config.linear_hidden = c.linear_hidden;
  if (c.window > 0) config.window = c.window;
  if (c.interval_range >= 0) config.interval_range = c.interval_range;
  if (c.dropout >= 0) config.dropout = c.dropout;
  if (c.input_dropout >= 0) config.input_dropout = c.input_dropout;
  c.options.config = config;
  c.options.augment = !c.no_augment;
  train::GroupOptions flags;
  flags.rank = c.rank;
  flags.world_size = c.world_size;
  flags.master_port = 0;
  if (!c.master.empty()) std::tie(flags.master_addr, flags.master_port) = train::parse_master(c.master);
  flags.timeout_seconds = c.timeout;
  c.options.group = train::group_from_environment(flags);
  const bool leader = c.options.group.rank == 0;
  train::TrainResult r = train::train(c.options);
  if (!leader) return 0;
  std::printf("trained %lld steps in %.1f min%s; best mean validation accuracy %.4f (voices %.4f %.4f %.4f %.4f)\n",
              static_cast<long long>(r.steps), r.seconds / 60, r.stopped_early ? " (stopped early)" : "",
              r.best.mean_accuracy(), r.best.accuracy[0], r.best.accuracy[1], r.best.accuracy[2], r.best.accuracy[3]);
  std::printf("model: %s  log: %s.csv  curve: %s.curve.png  checkpoint: %s.ckpt\n", c.options.output.c_str(),
              c.options.output.c_str(), c.options.output.c_str(), c.options.output.c_str());
  return 0;
}

}  // namespace

void add_train(CLI::App& app, Runner& run) {
  auto c = std::make_shared<TrainCommand>();
  train::TrainOptions& o = c->options;
  CLI::App* cmd = app.add_subcommand("train", "Train a model on a corpus of scores");
  cmd->add_option("--corpus", o.corpus, "Folders or files of scores (any mix of formats)")->required();
  cmd->add_option("-o,--output", o.output, "Model file to write (best validation accuracy)")->required();
  cmd->add_option("--preset", c->preset, "Network design: fast (shared trunk, default) or deepbach (the original)")
      ->check(CLI::IsMember({"fast", "deepbach"}));
  cmd->add_option("--minutes", o.minutes, "Training time budget in minutes (default 30 if no other budget)");
  cmd->add_option("--epochs", o.epochs, "Budget in epochs over the training ticks");
  cmd->add_option("--steps", o.max_steps, "Budget in optimizer steps");
  cmd->add_option("--lr", o.lr, "Adam learning rate")->capture_default_str();
  cmd->add_option("--lr-schedule", o.lr_schedule,
                  "constant, plateau (halve when validation stalls) or cosine (to zero at the end of the budget "
                  "in steps, epochs or minutes)")
      ->transform(
          CLI::CheckedTransformer(std::map<std::string, train::LrSchedule>{{"constant", train::LrSchedule::kConstant},
                                                                           {"plateau", train::LrSchedule::kPlateau},
                                                                           {"cosine", train::LrSchedule::kCosine}}))
      ->default_str("plateau");
  cmd->add_option("--batch", o.batch, "Crops per step (fast, default 16) or windows per voice (deepbach, default 256)");
  cmd->add_option("--crop", o.crop, "Ticks per training crop (fast)")->capture_default_str();
  cmd->add_option("--seed", o.seed, "Random seed")->capture_default_str();
  cmd->add_flag("--resume", o.resume, "Continue from OUTPUT.ckpt");
  cmd->add_option("--init", o.init,
                  "Start from this model's weights and shape (warm start across sessions; a metadata channel it "
                  "lacks starts at zero; a model of a larger corpus, as the quartet model for the chorales, "
                  "gives its weights of this corpus's notes and styles)");
  cmd->add_option("--masking", c->masking,
                  "Fraction of crops with hidden positions (fast; masked training, allows "
                  "a chronological start; default 0)");
  cmd->add_option("--chronological", c->chronological,
                  "Fraction of crops trained on the chronological factorization (fast; every tick given "
                  "the whole past and a hidden future, as the chronological start draws it; default 0)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--edge-crops", o.edge_crops, "Fraction of crops aligned with a piece's start or end (fast)")
      ->capture_default_str();
  cmd->add_option("--fault-unlikelihood", o.fault_unlikelihood,
                  "Weight of an unlikelihood loss on the tokens that would make parallel fifths or octaves or "
                  "other voice-leading faults with the written notes around them (fast; default 0: off)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--scheduled-sampling", o.scheduled_sampling,
                  "Fraction of the notes, rests and holds the network reads in a crop replaced by its own "
                  "draws, the targets still the written notes, so that it learns to go on from music it wrote "
                  "(fast; default 0: off)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--eval-every", o.eval_every, "Steps between validations (default: about every 2 minutes)");
  cmd->add_option("--patience", o.patience, "Validations without improvement before stopping (0: never)")
      ->capture_default_str();
  cmd->add_option("--checkpoint-minutes", o.checkpoint_minutes, "Minutes between checkpoints")->capture_default_str();
  cmd->add_option("--checkpoint-every", o.checkpoint_every, "Also checkpoint every N steps");
  cmd->add_option(
         "--threads", o.threads,
         "Threads: fast splits each batch over N copies of the network, deepbach trains N voice models at once")
      ->capture_default_str();
  cmd->add_flag("--half", o.half, "Store the model weights as float16 (half the size)");
  cmd->add_flag("--no-augment", c->no_augment, "Do not transpose the training pieces");
  cmd->add_flag("--balanced-transpositions", o.balanced_transpositions,
                "Transpose each training piece only by +-s where both fit, so that it keeps its register on average "
                "(by default by every shift that fits: a quartet corpus moves up 1.6 semitones)");
  cmd->add_option("--cache-dir", o.cache_dir, "Dataset cache folder")->capture_default_str();
  cmd->add_option("--note-embedding", c->note_embedding, "Note embedding size (default 20)");
  cmd->add_option("--meta-embedding", c->meta_embedding, "Metadata embedding size (default 20)");
  cmd->add_option("--lstm-hidden", c->lstm_hidden, "LSTM size (default 256)");
  cmd->add_option("--lstm-layers", c->lstm_layers, "LSTM layers (default 2)");
  cmd->add_option("--linear-hidden", c->linear_hidden, "MLP hidden size (default 256)");
  cmd->add_option("--dropout", c->dropout, "Dropout between LSTM layers (default 0.5)");
  cmd->add_option("--input-dropout", c->input_dropout, "Dropout on inputs and before heads (fast, default 0.2)");
  cmd->add_option("--window", c->window, "Ticks of context each side (deepbach, default 16)");
  cmd->add_option("--interval-bias", c->interval_range,
                  "Fast: a learned bias per voice on the interval from its last note, up to this many semitones "
                  "either way (0: none; with --init: the given model's, a new one starts at zero)")
      ->check(CLI::Range(0, 127));
  cmd->add_option("--rank", c->rank,
                  "This process's rank in a group training together (default: $RANK, $SLURM_PROCID, or 0)");
  cmd->add_option("--world-size", c->world_size,
                  "Processes in the group (default: $WORLD_SIZE, $SLURM_NTASKS, or 1: no group)");
  cmd->add_option("--master", c->master, "Rank 0's host:port (default: $MASTER_ADDR:$MASTER_PORT, port 29500)");
  cmd->add_option("--timeout", c->timeout,
                  "Seconds to wait for the group's processes to arrive, or for a peer that hangs")
      ->capture_default_str();
  cmd->callback([c, &run] { run = [c] { return run_train(*c); }; });
}

}  // namespace dq::cli
