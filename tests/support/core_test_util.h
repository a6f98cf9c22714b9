// Shared helpers of the tests of the torch layers and of the binary: fixture paths, a temporary folder that
// cleans up after itself, the tiny network configurations the tests train,
// and the notes of core_chorale.musicxml written out independently of the
// file, to check what the readers and the encoders make of it.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "model/config.h"
#include "music/score.h"
#include "train/trainer.h"

namespace dq::testing {

namespace fs = std::filesystem;

inline std::string fixture(const std::string& name) { return std::string(DQ_FIXTURES) + "/" + name; }

// The four-voice chorale and its soprano alone.
inline std::string chorale_path() { return fixture("core_chorale.musicxml"); }
inline std::string melody_path() { return fixture("core_melody.musicxml"); }

// A fresh folder under the system temporary folder, removed with its contents
// when the object goes out of scope.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("dq_core_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// A network small enough to train in seconds on one core.
inline model::ModelConfig tiny_config(const std::string& preset, int lstm_layers = 1) {
  model::ModelConfig c = model::preset_config(preset);
  c.note_embedding = 8;
  c.meta_embedding = 4;
  c.lstm_hidden = 32;
  c.lstm_layers = lstm_layers;
  c.linear_hidden = 32;
  c.dropout = 0;
  c.input_dropout = 0;
  c.window = 8;
  return c;
}

// Options for `steps` steps of a tiny "fast" model on the fixture chorale,
// writing `name` in `dir`.
inline train::TrainOptions tiny_training(const TempDir& dir, const std::string& name, int steps, int threads) {
  train::TrainOptions o;
  o.corpus = {chorale_path()};
  o.config = tiny_config("fast");
  o.output = dir.file(name);
  o.cache_dir = dir.file("cache");
  o.lr = 1e-2;
  o.crop = 64;
  o.batch = 4;
  o.max_steps = steps;
  o.eval_every = steps;
  o.patience = 0;
  o.threads = threads;
  o.progress = false;
  return o;
}

// One note of the chorale: MIDI pitch (-1 for a rest) and length in ticks.
struct FixtureNote {
  int pitch;
  int ticks;
};

// The four voices of core_chorale.musicxml (G major, 4/4, 4 bars = 64 ticks),
// as written in the file: q = 4 ticks, e = 2, h = 8; the bass ties a half to
// a quarter in bar 4 (one note of 12 ticks); the tenor rests on beat 1 of bar 3.
inline std::vector<std::vector<FixtureNote>> chorale_notes() {
  return {// Soprano: G G A B | C B A(h, fermata) | B C D C | B A G(h, fermata)
          {{67, 4},
           {67, 4},
           {69, 4},
           {71, 4},
           {72, 4},
           {71, 4},
           {69, 8},
           {71, 4},
           {72, 4},
           {74, 4},
           {72, 4},
           {71, 4},
           {69, 4},
           {67, 8}},
          // Alto: D E F#(e) E(e) D | E D D(h) | D E F# E | D D(e) C(e) B(h)
          {{62, 4},
           {64, 4},
           {66, 2},
           {64, 2},
           {62, 4},
           {64, 4},
           {62, 4},
           {62, 8},
           {62, 4},
           {64, 4},
           {66, 4},
           {64, 4},
           {62, 4},
           {62, 2},
           {60, 2},
           {59, 8}},
          // Tenor: B C D B | A D C(h) | rest B A A | G F# G(h)
          {{59, 4},
           {60, 4},
           {62, 4},
           {59, 4},
           {57, 4},
           {62, 4},
           {60, 8},
           {-1, 4},
           {59, 4},
           {57, 4},
           {57, 4},
           {55, 4},
           {54, 4},
           {55, 8}},
          // Bass: G C D G | E G D(h) | G E D C | D(h tied to q) G
          {{43, 4},
           {48, 4},
           {50, 4},
           {55, 4},
           {52, 4},
           {55, 4},
           {50, 8},
           {55, 4},
           {52, 4},
           {50, 4},
           {48, 4},
           {50, 12},
           {43, 4}}};
}

// The notes above as tokens: a pitch, then holds; a rest on every tick.
inline std::vector<music::Token> chorale_tokens(int voice) {
  const std::vector<std::vector<FixtureNote>> notes = chorale_notes();
  std::vector<music::Token> tokens;
  for (const FixtureNote& n : notes[voice]) {
    for (int t = 0; t < n.ticks; ++t) {
      if (n.pitch < 0)
        tokens.push_back(music::kRest);
      else
        tokens.push_back(t == 0 ? n.pitch : music::kHold);
    }
  }
  return tokens;
}

// Lowest and highest pitch of each voice of the chorale.
inline std::pair<int, int> chorale_range(int voice) {
  const std::vector<std::vector<FixtureNote>> notes = chorale_notes();
  int low = 127, high = 0;
  for (const FixtureNote& n : notes[voice]) {
    if (n.pitch < 0) continue;
    low = std::min(low, n.pitch);
    high = std::max(high, n.pitch);
  }
  return {low, high};
}

// A tiny "fast" configuration with the chorale's ranges and style "bach",
// reading `meta_channels` metadata channels.
inline model::ModelConfig fixture_config(int meta_channels) {
  model::ModelConfig c = tiny_config("fast");
  for (int v = 0; v < music::kNumVoices; ++v) c.vocab[v] = {chorale_range(v).first, chorale_range(v).second};
  c.styles = {"bach"};
  c.meta_channels = meta_channels;
  return c;
}

// Ticks with a fermata: the soprano's two half notes that carry one.
inline bool chorale_fermata(int tick) { return (tick >= 24 && tick < 32) || (tick >= 56 && tick < 64); }

}  // namespace dq::testing
