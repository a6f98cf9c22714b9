// Reading a score file uploaded to the server (a melody to harmonize): the
// bytes are parsed in memory by the reader its file name's extension names,
// never written to disk.
#pragma once

#include <string>

#include "music/score.h"

namespace dq::server {

// Largest upload the server accepts (bytes).
constexpr size_t kMaxUploadBytes = 2 << 20;

// The extensions parse_upload() reads: .mid .midi .xml .musicxml .mxl .krn
bool can_parse_upload(const std::string& filename);

// The Score in `bytes`, read by the reader of `filename`'s extension.
// Throws dq::Error (message starting with the file name) if the extension is
// not supported or the bytes are not a readable score.
music::Score parse_upload(const std::string& bytes, const std::string& filename);

}  // namespace dq::server
