// libFuzzer target for the MusicXML reader: the input is MusicXML text, or,
// when it starts like a zip archive ("PK"), a compressed .mxl. Any dq::Error
// is an expected outcome; crashes, hangs and other exceptions are bugs.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/musicxml_reader.h"
#include "io/mxl_archive.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    if (bytes.rfind("PK", 0) == 0) bytes = dq::io::unzip_mxl(bytes, "fuzz.mxl");
    dq::io::parse_musicxml(bytes, "fuzz.musicxml");
  } catch (const dq::Error&) {
  }
  return 0;
}
