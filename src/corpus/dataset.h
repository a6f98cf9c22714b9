// Training tensors from a corpus: every accepted piece of each split encoded
// with its vocabulary and metadata, the training split augmented with every
// transposition that keeps each voice inside the corpus range (as DeepBach
// does). Built once, then cached on disk keyed by the corpus content and the
// options, so a second run starts in seconds.
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

#include "corpus/corpus.h"
#include "corpus/encoding.h"

namespace dq::corpus {

struct DatasetOptions {
  std::vector<std::string> roots;  // folders or files
  bool augment = true;             // transpose the training split
  int max_shift = 6;               // largest transposition tried, in semitones
  bool balanced = false;           // only the shifts +-s that both fit (music::balanced_transpositions)
  std::string cache_dir = ".cache";
  bool progress = true;
  int threads = 2;
};

// The sequences of one split, concatenated: sequence i occupies columns
// [starts[i], starts[i] + lengths[i]) of `tokens` and `meta`, START and END
// ticks included.
struct SplitTensors {
  torch::Tensor tokens;  // [4, N] int16 vocabulary indices
  torch::Tensor meta;    // [kNumMetaChannels, N] int16
  std::vector<int64_t> starts;
  std::vector<int64_t> lengths;
  std::vector<int> piece;  // index into Dataset::pieces
  std::vector<int> shift;  // transposition in semitones
  int64_t ticks() const { return tokens.defined() ? tokens.size(1) : 0; }
  size_t size() const { return starts.size(); }
};

struct PieceInfo {
  std::string path;
  std::string style;
  Split split = Split::kTrain;
};

struct Dataset {
  Vocabulary vocab;
  std::vector<std::string> styles;
  std::vector<PieceInfo> pieces;  // accepted pieces
  int rejected = 0;
  SplitTensors train, valid, test;
  std::string cache_key;
  bool from_cache = false;
  double build_seconds = 0;
};

// Builds (or loads from the cache) the dataset of `options.roots`.
Dataset build_dataset(const DatasetOptions& options);

// Encodes pieces with a fixed vocabulary and styles (for evaluation with a
// trained model); pieces whose pitches fall outside are skipped. With
// several `shifts`, each piece is transposed by those that keep it inside
// the vocabulary (with `balanced`, only the pairs +-s of them).
SplitTensors encode_split(const std::vector<const CorpusPiece*>& pieces, const Vocabulary& vocab,
                          const std::vector<std::string>& styles, const std::vector<int>& shifts, bool balanced = false,
                          std::vector<int>* piece_index = nullptr);

int style_index(const std::vector<std::string>& styles, const std::string& style);

}  // namespace dq::corpus
