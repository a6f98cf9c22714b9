// libFuzzer target for the MIDI reader: any bytes must give a Score or a
// dq::Error, never a crash, hang or unbounded allocation.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/midi_reader.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    dq::io::parse_midi(bytes, "fuzz.mid");
  } catch (const dq::Error&) {
  }
  return 0;
}
