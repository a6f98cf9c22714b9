#include "io/score_file.h"

#include <algorithm>
#include <cctype>

#include "io/audio_writer.h"
#include "io/kern_reader.h"
#include "io/midi_reader.h"
#include "io/midi_writer.h"
#include "io/musicxml_reader.h"
#include "io/musicxml_writer.h"
#include "io/renderer.h"
#include "util/error.h"
#include "util/text.h"

namespace dq::io {

namespace {
bool is_musicxml(const std::string& ext) { return ext == ".xml" || ext == ".musicxml" || ext == ".mxl"; }
bool is_midi(const std::string& ext) { return ext == ".mid" || ext == ".midi"; }
bool is_image(const std::string& ext) { return ext == ".png" || ext == ".pdf" || ext == ".svg"; }
}  // namespace

bool can_read(const std::string& path) {
  std::string ext = util::extension_of(path);
  return is_musicxml(ext) || is_midi(ext) || ext == ".krn";
}

bool can_write(const std::string& path) {
  std::string ext = util::extension_of(path);
  return is_musicxml(ext) || is_midi(ext) || is_image(ext) || ext == ".wav";
}

music::Score read_score(const std::string& path, const ReadOptions& options) {
  std::string ext = util::extension_of(path);
  if (is_musicxml(ext)) return read_musicxml(path, options);
  if (is_midi(ext)) return read_midi(path, options);
  if (ext == ".krn") return read_kern(path, options);
  throw Error(path + ": unknown score format '" + ext + "' (readable: .xml .musicxml .mxl .krn .mid .midi)");
}

void write_score(const music::Score& score, const std::string& path) {
  std::string ext = util::extension_of(path);
  if (is_musicxml(ext)) return write_musicxml(score, path);
  if (is_midi(ext)) return write_midi(score, path);
  if (ext == ".wav") return write_wav(score, path);
  if (is_image(ext)) return render_score(score, path);
  throw Error(path + ": cannot write format '" + ext +
              "' (writable: .mid .midi .xml .musicxml .mxl .wav .png .pdf .svg)");
}

}  // namespace dq::io
