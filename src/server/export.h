// Exporting a piece for download or playback: the bytes of a Score in one of
// the formats the API offers, with the MIME type to send them under.
#pragma once

#include <string>

#include "music/score.h"

namespace dq::server {

struct ExportedFile {
  std::string bytes;
  std::string mime_type;
};

// The formats: "mid", "musicxml", "mxl", "wav", "png", "pdf".
bool is_export_format(const std::string& format);
// True for the formats engraved by MuseScore (slow: seconds, a child process).
bool is_engraved_format(const std::string& format);

// `score` as `format`. PNG holds the first page only; PDF every page. Throws
// dq::Error if the format is unknown or the writer or renderer fails.
ExportedFile export_score(const music::Score& score, const std::string& format);

}  // namespace dq::server
