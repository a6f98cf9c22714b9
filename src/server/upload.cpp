#include "server/upload.h"

#include "io/kern_reader.h"
#include "io/midi_reader.h"
#include "io/musicxml_reader.h"
#include "io/mxl_archive.h"
#include "io/score_file.h"
#include "util/error.h"
#include "util/text.h"

namespace dq::server {

bool can_parse_upload(const std::string& filename) {
  std::string ext = util::extension_of(filename);
  return ext == ".mid" || ext == ".midi" || ext == ".xml" || ext == ".musicxml" || ext == ".mxl" || ext == ".krn";
}

music::Score parse_upload(const std::string& bytes, const std::string& filename) {
  std::string ext = util::extension_of(filename);
  if (bytes.size() > kMaxUploadBytes) {
    throw Error(filename + ": larger than the upload limit of " + std::to_string(kMaxUploadBytes >> 20) + " MB");
  }
  if (ext == ".mid" || ext == ".midi") return io::parse_midi(bytes, filename);
  if (ext == ".xml" || ext == ".musicxml") return io::parse_musicxml(bytes, filename);
  if (ext == ".mxl") return io::parse_musicxml(io::unzip_mxl(bytes, filename), filename);
  if (ext == ".krn") return io::parse_kern(bytes, filename);
  throw Error(filename + ": unsupported file type \"" + ext + "\" (upload .mid, .midi, .musicxml, .xml, .mxl or .krn)");
}

}  // namespace dq::server
