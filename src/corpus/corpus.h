// A corpus: every score file under some folders, imported as four-voice
// Scores (or rejected with the reason), with its style and its split.
// `deepquartet corpus scan` reports on it and the dataset trains on it.
#pragma once

#include <string>
#include <vector>

#include "music/score.h"

namespace dq::corpus {

enum class Split { kTrain, kValid, kTest };
const char* split_name(Split split);

struct CorpusPiece {
  std::string path;
  bool accepted = false;
  std::string error;  // why it was rejected
  music::Score score;
  std::string style;  // "bach", "haydn", "mozart", "beethoven" or "quartet"
  std::string work;   // pieces of one work share a split
  Split split = Split::kTrain;
};

// All readable score files under `roots` (files or folders, recursively), sorted.
std::vector<std::string> list_score_files(const std::vector<std::string>& roots);

// Imports every file (on `threads` threads, with a progress bar on stderr).
// A piece is accepted when it reads as a valid score with four voices that
// all have notes.
std::vector<CorpusPiece> load_corpus(const std::vector<std::string>& roots, int threads = 2, bool progress = true);

// The style of a file from its path (corpus folder) and ensemble.
std::string style_of(const std::string& path, music::Ensemble ensemble);

// The work a file belongs to (all encodings and movements of one work share it).
std::string work_of(const std::string& path);

// The split of a file: from a splits.tsv found beside the corpus (the Bach
// chorales, by the JSB benchmark), else a deterministic 80/10/10 hash of its work.
Split split_of(const std::string& path, const std::string& work);

}  // namespace dq::corpus
