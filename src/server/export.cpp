#include "server/export.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "io/audio_writer.h"
#include "io/midi_writer.h"
#include "io/musicxml_writer.h"
#include "io/mxl_archive.h"
#include "io/renderer.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::server {

namespace {

namespace fs = std::filesystem;

// The engraving of `score` as `format` (png, pdf) by MuseScore, through a
// private temporary folder removed afterwards.
std::string engrave(const music::Score& score, const std::string& format) {
  std::string pattern = (fs::temp_directory_path() / "deepquartet-export-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw Error(std::string("cannot create a temporary folder: ") + std::strerror(errno));
  fs::path folder = pattern;
  try {
    std::string path = (folder / ("score." + format)).string();
    io::render_score(score, path);
    std::string bytes = util::read_file_bytes(path);
    std::error_code ec;
    fs::remove_all(folder, ec);
    return bytes;
  } catch (...) {
    std::error_code ec;
    fs::remove_all(folder, ec);
    throw;
  }
}

}  // namespace

bool is_export_format(const std::string& format) {
  return format == "mid" || format == "musicxml" || format == "mxl" || format == "wav" || is_engraved_format(format);
}

bool is_engraved_format(const std::string& format) { return format == "png" || format == "pdf"; }

ExportedFile export_score(const music::Score& score, const std::string& format) {
  if (format == "mid") return {io::to_midi(score), "audio/midi"};
  if (format == "musicxml") return {io::to_musicxml(score), "application/vnd.recordare.musicxml+xml"};
  if (format == "mxl") return {io::zip_mxl(io::to_musicxml(score)), "application/vnd.recordare.musicxml"};
  if (format == "wav") return {io::to_wav(score), "audio/wav"};
  if (format == "png") return {engrave(score, "png"), "image/png"};
  if (format == "pdf") return {engrave(score, "pdf"), "application/pdf"};
  throw Error("unknown export format \"" + format + "\"");
}

}  // namespace dq::server
