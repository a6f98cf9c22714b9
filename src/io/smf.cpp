#include "io/smf.h"

#include <algorithm>
#include <cstdio>

#include "util/error.h"

namespace dq::io::smf {

namespace {

constexpr uint32_t kMaxVlq = 0x0fffffff;

std::string hex(uint8_t byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", byte);
  return buffer;
}

// Reads big-endian fields and VLQs from a byte range, throwing dq::Error
// with the source name and the absolute byte offset when it runs out.
class Reader {
 public:
  Reader(const std::string& bytes, size_t begin, size_t end, const std::string& source)
      : bytes_(bytes), pos_(begin), end_(end), source_(source) {}

  size_t pos() const { return pos_; }
  size_t left() const { return end_ - pos_; }
  bool done() const { return pos_ >= end_; }

  [[noreturn]] void fail(const std::string& what) const { fail_at(pos_, what); }
  [[noreturn]] void fail_at(size_t offset, const std::string& what) const {
    throw Error(source_ + ": byte " + std::to_string(offset) + ": " + what);
  }

  uint8_t peek() const {
    if (done()) fail("unexpected end of data");
    return static_cast<uint8_t>(bytes_[pos_]);
  }
  uint8_t u8() {
    uint8_t b = peek();
    ++pos_;
    return b;
  }
  // Big-endian; each read is its own statement, so the order is defined.
  uint32_t u16() {
    uint32_t high = u8();
    return (high << 8) | u8();
  }
  uint32_t u32() {
    uint32_t high = u16();
    return (high << 16) | u16();
  }

  uint32_t vlq() {
    size_t start = pos_;
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      uint8_t b = u8();
      value = (value << 7) | (b & 0x7f);
      if ((b & 0x80) == 0) return value;
    }
    fail_at(start, "variable-length quantity longer than 4 bytes");
  }

  std::string take(size_t n) {
    if (n > left()) fail("length " + std::to_string(n) + " runs past the end of the chunk");
    std::string s = bytes_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  void skip(size_t n) {
    if (n > left()) fail("length " + std::to_string(n) + " runs past the end of the chunk");
    pos_ += n;
  }

 private:
  const std::string& bytes_;
  size_t pos_;
  size_t end_;
  const std::string& source_;
};

// Checks the payload length of the meta events whose length is fixed.
void check_meta(Reader& in, size_t offset, uint8_t type, const std::string& payload) {
  size_t want = 0;
  const char* name = nullptr;
  switch (type) {
    case kMetaTempo:
      want = 3;
      name = "tempo";
      break;
    case kMetaTimeSignature:
      want = 4;
      name = "time signature";
      break;
    case kMetaKeySignature:
      want = 2;
      name = "key signature";
      break;
    default:
      return;
  }
  if (payload.size() != want) {
    in.fail_at(offset, std::string(name) + " meta event of length " + std::to_string(payload.size()) + " (expected " +
                           std::to_string(want) + ")");
  }
}

Track parse_track(Reader& in, int track_number, int* event_budget) {
  Track track;
  int64_t pulse = 0;
  uint8_t running = 0;  // last channel status; kept across meta and sysex events, as players do
  while (!in.done()) {
    size_t offset = in.pos();
    pulse += in.vlq();
    if (pulse > kMaxPulses) in.fail_at(offset, "event time beyond " + std::to_string(kMaxPulses) + " pulses");
    uint8_t status = in.peek();
    if (status & 0x80) {
      in.u8();
    } else {
      if (running == 0) {
        in.fail("data byte " + hex(status) + " without a status byte (track " + std::to_string(track_number) + ")");
      }
      status = running;
    }
    if (status == kStatusMeta) {
      uint8_t type = in.u8();
      uint32_t length = in.vlq();
      std::string payload = in.take(length);
      if (type == kMetaEndOfTrack) break;
      check_meta(in, offset, type, payload);
      if (--*event_budget < 0) in.fail_at(offset, "more than " + std::to_string(kMaxEvents) + " events");
      track.events.push_back(meta_event(pulse, type, std::move(payload)));
    } else if (status == 0xf0 || status == 0xf7) {
      in.skip(in.vlq());  // system exclusive: not needed
    } else if (status >= 0xf0) {
      in.fail_at(offset, "unexpected system message " + hex(status));
    } else {
      running = status;
      Event e = channel_event(pulse, status, 0, 0);
      e.data1 = in.u8();
      if (data_length(status) == 2) e.data2 = in.u8();
      if ((e.data1 | e.data2) & 0x80) in.fail_at(offset, "data byte above 127 in a channel message");
      if (--*event_budget < 0) in.fail_at(offset, "more than " + std::to_string(kMaxEvents) + " events");
      track.events.push_back(e);
    }
  }
  // A missing end-of-track event is tolerated: the track ends at its last event.
  track.end_pulse = pulse;
  return track;
}

void put_u16(std::string& out, uint32_t v) {
  out += static_cast<char>((v >> 8) & 0xff);
  out += static_cast<char>(v & 0xff);
}
void put_u32(std::string& out, uint32_t v) {
  put_u16(out, v >> 16);
  put_u16(out, v & 0xffff);
}

}  // namespace

Event channel_event(int64_t pulse, uint8_t status, uint8_t data1, uint8_t data2) {
  Event e;
  e.pulse = pulse;
  e.status = status;
  e.data1 = data1;
  e.data2 = data2;
  return e;
}

Event meta_event(int64_t pulse, uint8_t type, std::string payload) {
  Event e;
  e.pulse = pulse;
  e.status = kStatusMeta;
  e.meta_type = type;
  e.meta = std::move(payload);
  return e;
}

int data_length(uint8_t status) {
  int kind = status & 0xf0;
  return kind == 0xc0 || kind == 0xd0 ? 1 : 2;
}

std::string encode_vlq(uint32_t value) {
  if (value > kMaxVlq) throw Error("MIDI: value " + std::to_string(value) + " too large for a VLQ");
  char buffer[4];
  int n = 0;
  buffer[n++] = static_cast<char>(value & 0x7f);
  while (value >>= 7) buffer[n++] = static_cast<char>(0x80 | (value & 0x7f));
  std::string out;
  while (n > 0) out += buffer[--n];
  return out;
}

File parse(const std::string& bytes, const std::string& source) {
  Reader in(bytes, 0, bytes.size(), source);
  if (bytes.size() < 14 || bytes.compare(0, 4, "MThd") != 0) {
    in.fail_at(0, "not a Standard MIDI File (no MThd header)");
  }
  in.skip(4);
  uint32_t header_length = in.u32();
  if (header_length < 6 || header_length > in.left()) {
    in.fail_at(4, "bad header length " + std::to_string(header_length));
  }
  size_t header_end = in.pos() + header_length;
  File file;
  file.format = static_cast<int>(in.u16());
  uint32_t declared_tracks = in.u16();
  uint32_t division = in.u16();
  if (file.format == 2) in.fail_at(8, "MIDI format 2 (independent sequences) is not supported");
  if (file.format > 2) in.fail_at(8, "unknown MIDI format " + std::to_string(file.format));
  if (declared_tracks == 0) in.fail_at(10, "the header declares no tracks");
  if (declared_tracks > kMaxTracks) {
    in.fail_at(10, std::to_string(declared_tracks) + " tracks (at most " + std::to_string(kMaxTracks) + " are read)");
  }
  if (division & 0x8000) {
    in.fail_at(12, "SMPTE time division is not supported (only pulses per quarter note)");
  }
  if (division == 0) in.fail_at(12, "time division of 0 pulses per quarter note");
  file.ppq = static_cast<int>(division);
  in.skip(header_end - in.pos());

  int event_budget = kMaxEvents;
  while (file.tracks.size() < declared_tracks) {
    if (in.done()) {
      in.fail("file ends after " + std::to_string(file.tracks.size()) + " of " + std::to_string(declared_tracks) +
              " tracks");
    }
    if (in.left() < 8) in.fail("truncated chunk header");
    size_t chunk_start = in.pos();
    std::string id = in.take(4);
    uint32_t length = in.u32();
    if (length > in.left()) {
      in.fail_at(chunk_start, "chunk length " + std::to_string(length) + " runs past the end of the file");
    }
    if (id != "MTrk") {
      in.skip(length);
      continue;
    }
    Reader chunk(bytes, in.pos(), in.pos() + length, source);
    file.tracks.push_back(parse_track(chunk, static_cast<int>(file.tracks.size()) + 1, &event_budget));
    in.skip(length);
  }
  return file;
}

std::string serialize(const File& file) {
  if (file.format != 0 && file.format != 1) throw Error("MIDI: cannot write format " + std::to_string(file.format));
  if (file.ppq < 1 || file.ppq > 0x7fff) throw Error("MIDI: PPQ out of range");
  if (file.tracks.empty() || file.tracks.size() > kMaxTracks) throw Error("MIDI: bad track count");
  std::string out = "MThd";
  put_u32(out, 6);
  put_u16(out, static_cast<uint32_t>(file.format));
  put_u16(out, static_cast<uint32_t>(file.tracks.size()));
  put_u16(out, static_cast<uint32_t>(file.ppq));
  for (const Track& track : file.tracks) {
    std::string body;
    int64_t now = 0;
    for (const Event& e : track.events) {
      if (e.pulse < now) throw Error("MIDI: events out of time order");
      body += encode_vlq(static_cast<uint32_t>(e.pulse - now));
      now = e.pulse;
      if (e.is_meta()) {
        body += static_cast<char>(kStatusMeta);
        body += static_cast<char>(e.meta_type);
        body += encode_vlq(static_cast<uint32_t>(e.meta.size()));
        body += e.meta;
      } else {
        if (e.status < 0x80 || e.status >= 0xf0) throw Error("MIDI: bad channel status byte");
        body += static_cast<char>(e.status);
        body += static_cast<char>(e.data1 & 0x7f);
        if (data_length(e.status) == 2) body += static_cast<char>(e.data2 & 0x7f);
      }
    }
    int64_t end = std::max(now, track.end_pulse);
    body += encode_vlq(static_cast<uint32_t>(end - now));
    body += static_cast<char>(kStatusMeta);
    body += static_cast<char>(kMetaEndOfTrack);
    body += '\0';
    out += "MTrk";
    put_u32(out, static_cast<uint32_t>(body.size()));
    out += body;
  }
  return out;
}

}  // namespace dq::io::smf
