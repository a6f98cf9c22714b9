// A small codec for Standard MIDI Files (SMF): bytes to tracks of timed
// events and back. It knows the file structure only (chunks, variable-length
// quantities, running status, meta and sysex events), not music: turning
// events into notes is midi_reader's job, and the reverse midi_writer's.
//
// Reading accepts format 0 and 1 with any pulses-per-quarter division. It
// rejects format 2, SMPTE divisions, more than kMaxTracks tracks and more
// than kMaxEvents events, and checks every length against the bytes that
// are there, so hostile input gives a dq::Error (naming the source and the
// byte offset), never a crash or an unbounded allocation. System-exclusive
// events are skipped. Unknown chunk types are skipped, as the standard asks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dq::io::smf {

constexpr int kMaxTracks = 64;
constexpr int kMaxEvents = 2000000;  // all tracks together
// Latest absolute time (pulses) of any event; later is an error.
constexpr int64_t kMaxPulses = 0x7fffffff;

// Meta event types the codec checks (their payload lengths are fixed).
enum MetaType : uint8_t {
  kMetaText = 0x01,
  kMetaTrackName = 0x03,
  kMetaEndOfTrack = 0x2f,
  kMetaTempo = 0x51,
  kMetaTimeSignature = 0x58,
  kMetaKeySignature = 0x59,
};

constexpr uint8_t kStatusMeta = 0xff;

// One event at an absolute time. Channel messages have status 0x80..0xEF and
// one or two data bytes; meta events have status 0xFF, a type and a payload.
// End of track is not an event: it is Track::end_pulse.
struct Event {
  int64_t pulse = 0;  // absolute time from the start of the track
  uint8_t status = 0;
  uint8_t data1 = 0;  // channel messages: key, controller, program...
  uint8_t data2 = 0;  // channel messages with two data bytes: velocity, value...
  uint8_t meta_type = 0;
  std::string meta;  // meta payload

  bool is_meta() const { return status == kStatusMeta; }
  int channel() const { return status & 0x0f; }
  int kind() const { return status & 0xf0; }  // 0x80 note off, 0x90 note on, ...
};

struct Track {
  std::vector<Event> events;  // in time order
  int64_t end_pulse = 0;      // time of the end-of-track event (>= every event's)
};

struct File {
  int format = 1;  // 0 or 1
  int ppq = 480;   // pulses per quarter note, 1..32767
  std::vector<Track> tracks;
};

// A channel message (status 0x80..0xEF) and a meta event.
Event channel_event(int64_t pulse, uint8_t status, uint8_t data1, uint8_t data2 = 0);
Event meta_event(int64_t pulse, uint8_t type, std::string payload);

// Number of data bytes that follow a channel status byte (1 or 2).
int data_length(uint8_t status);

// Parses a whole file. `source` names it in error messages.
File parse(const std::string& bytes, const std::string& source);

// The bytes of `file`: header and one MTrk chunk per track, events in the
// order given (they must be in time order), each track closed by an
// end-of-track event at max(end_pulse, last event). Throws dq::Error if an
// event time goes backwards or a field is out of range.
std::string serialize(const File& file);

// Variable-length quantities (7 bits per byte, high bit = more follow), at
// most 4 bytes, so values 0..0x0FFFFFFF.
std::string encode_vlq(uint32_t value);

}  // namespace dq::io::smf
