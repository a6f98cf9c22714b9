// Training a model on a corpus: Adam on per-voice cross-entropy, validation
// on the valid split at regular steps, early stopping, a CSV log and a curve,
// atomic checkpoints, and a resume that continues exactly where a killed run
// left its last checkpoint (batches and dropout are seeded by step); on one
// process (threads splitting each batch) or on a group of processes on one
// or more machines (train/distributed.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/config.h"
#include "model/scoring.h"
#include "train/distributed.h"
#include "util/plot.h"

namespace dq::train {

// How the learning rate changes: kConstant; kPlateau halves it after
// `patience`/2 validations without improvement; kCosine takes it to zero at
// the end of the budget (steps, epochs or minutes, whichever ends first).
enum class LrSchedule { kConstant, kPlateau, kCosine };

// "constant", "plateau", "cosine": the names of the flag and the logs.
const char* schedule_name(LrSchedule schedule);

struct TrainOptions {
  std::vector<std::string> corpus;  // folders or files
  model::ModelConfig config;        // preset and hyper-parameters (vocab filled in by train())
  std::string output;               // the model file; checkpoint at output + ".ckpt"
  double minutes = 0;               // wall-clock budget (0 = none)
  double epochs = 0;                // budget in epochs (0 = none)
  int64_t max_steps = 0;            // budget in steps (0 = none)
  double lr = 1e-3;
  LrSchedule lr_schedule = LrSchedule::kPlateau;
  int batch = 0;             // crops per step ("fast", default 16) or windows per voice ("deepbach", default 256)
  int crop = 128;            // ticks per crop ("fast")
  double edge_crops = 0.25;  // "fast": crops aligned with a piece's start or end (see model::sample_crops)
  // "fast": weight of the unlikelihood loss against voice-leading faults
  // (train/fault_unlikelihood.h; 0 = off).
  double fault_unlikelihood = 0;
  // "fast": fraction of what the network reads of a crop replaced by its own
  // draws (parallel scheduled sampling, train/own_draws.h; 0 = off).
  double scheduled_sampling = 0;
  std::string init;  // a model file to start from instead of random weights (see model::warm_start)
  uint64_t seed = 1;
  bool resume = false;
  int eval_every = 0;  // steps between validations (0 = about every 2 minutes)
  int patience = 8;    // validations without improvement before stopping (0 = never stop early)
  double checkpoint_minutes = 2;
  int64_t checkpoint_every = 0;  // steps between checkpoints, in addition to the minutes (0 = off)
  int threads = 2;      // "fast": parts of each batch computed in parallel; "deepbach": voices trained in parallel
  bool half = false;    // store the model weights as float16
  bool augment = true;  // all transpositions within the voice ranges
  bool balanced_transpositions = false;  // only the pairs +-s of them (corpus::DatasetOptions::balanced)
  std::string cache_dir = ".cache";
  int64_t valid_targets = 16384;  // "deepbach": validation ticks sampled per evaluation
  bool progress = true;
  // Processes training together (see train/distributed.h): each computes a
  // share of every batch; rank 0 validates, logs and writes the files.
  GroupOptions group;
};

struct TrainResult {
  model::VoiceScores best;
  int64_t steps = 0;
  double seconds = 0;
  bool stopped_early = false;
};

// The mean validation accuracy of a training log (the CSV written beside the
// model) against training minutes; lines that do not parse are skipped.
Series accuracy_curve(const std::string& csv, const std::string& name);

// Throws dq::Error on bad options, an unusable corpus or a checkpoint that
// does not match the options.
TrainResult train(const TrainOptions& options);

}  // namespace dq::train
