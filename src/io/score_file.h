// Reading and writing scores by file extension: the entry point the rest of
// deepquartet uses. It dispatches to one reader or writer per format:
//   read:  .xml .musicxml .mxl (MusicXML), .krn (Humdrum **kern), .mid .midi
//   write: .xml .musicxml .mxl .mid .midi .wav .png .pdf .svg
// Every failure is a dq::Error whose message starts with the file name.
// Writers never leave a partial file behind: they write a temporary file
// next to the target and rename it into place.
#pragma once

#include <string>
#include <vector>

#include "music/score.h"
#include "util/file_util.h"

namespace dq::io {

struct ReadOptions {
  // Which parts/tracks/spines (0-based, top first) become voices 0..n-1;
  // empty = the default part selection of ScoreBuilder.
  std::vector<int> parts;
};

// Largest input file any reader accepts (bytes); larger is an error.
using util::kMaxInputBytes;

bool can_read(const std::string& path);
bool can_write(const std::string& path);

music::Score read_score(const std::string& path, const ReadOptions& options = {});
void write_score(const music::Score& score, const std::string& path);

}  // namespace dq::io
