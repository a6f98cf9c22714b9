#include "io/midi_writer.h"

#include "io/smf.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::io {

namespace {

using music::Score;
using music::TickMeta;

constexpr int kPulsesPerTick = kMidiPpq / music::kTicksPerQuarter;
constexpr int kVelocity = 80;

int64_t pulse_of(int tick) { return static_cast<int64_t>(tick) * kPulsesPerTick; }

std::string tempo_payload(int bpm) {
  uint32_t micros = 60000000u / static_cast<uint32_t>(bpm);
  return {static_cast<char>(micros >> 16), static_cast<char>((micros >> 8) & 0xff), static_cast<char>(micros & 0xff)};
}

std::string time_payload(const music::TimeSignature& ts) {
  int log2 = 0;
  while ((1 << log2) < ts.denominator) ++log2;
  // MIDI clocks (24 per quarter) per metronome click: one click per beat.
  int clocks = ts.ticks_per_beat() * 24 / music::kTicksPerQuarter;
  return {static_cast<char>(ts.numerator), static_cast<char>(log2), static_cast<char>(clocks), 8};
}

std::string key_payload(const music::KeySignature& key) {
  return {static_cast<char>(static_cast<int8_t>(key.fifths)),
          static_cast<char>(key.mode == music::Mode::kMinor ? 1 : 0)};
}

// Where a tick's bar position follows from the previous tick's by counting
// with the time signature (what renumber_measures and midi_reader do).
TickMeta continued(const TickMeta& previous, const TickMeta& current) {
  TickMeta m = current;
  m.measure = previous.measure;
  m.tick_in_bar = previous.tick_in_bar + 1;
  if (m.tick_in_bar >= current.time.ticks_per_bar()) {
    m.tick_in_bar = 0;
    ++m.measure;
  }
  return m;
}

smf::Track conductor_track(const Score& score) {
  smf::Track track;
  auto text = [&](int tick, const std::string& s) {
    track.events.push_back(smf::meta_event(pulse_of(tick), smf::kMetaText, s));
  };
  if (!score.title.empty()) track.events.push_back(smf::meta_event(0, smf::kMetaTrackName, score.title));
  track.events.push_back(smf::meta_event(0, smf::kMetaTempo, tempo_payload(tempo_bpm(score.ensemble))));
  text(0, kMarkerFileOrder);
  int pickup = score.pickup_ticks();
  if (pickup > 0) text(0, kMarkerPickup + std::to_string(pulse_of(pickup)));

  // The bar positions a reader derives from the pickup and time signatures.
  Score counted = score;
  music::renumber_measures(counted, pickup);

  for (int t = 0; t < score.length(); ++t) {
    const TickMeta& m = score.meta[t];
    const TickMeta* prev = t > 0 ? &score.meta[t - 1] : nullptr;
    if (!prev || m.time != prev->time) {
      track.events.push_back(smf::meta_event(pulse_of(t), smf::kMetaTimeSignature, time_payload(m.time)));
    }
    if (!prev || m.key != prev->key) {
      if (m.key.mode == music::Mode::kUnknown) text(t, kMarkerModeUnknown);
      track.events.push_back(smf::meta_event(pulse_of(t), smf::kMetaKeySignature, key_payload(m.key)));
    }
    TickMeta expected = prev ? continued(*prev, m) : counted.meta[0];
    if (m.measure != expected.measure || m.tick_in_bar != expected.tick_in_bar) {
      std::string marker = kMarkerMeasure + std::to_string(m.measure);
      if (m.tick_in_bar != 0) marker += "+" + std::to_string(pulse_of(m.tick_in_bar));
      text(t, marker);
    }
    if (m.fermata && (!prev || !prev->fermata)) text(t, kMarkerFermata);
    if (!m.fermata && prev && prev->fermata) text(t, kMarkerFermataEnd);
  }
  if (score.length() > 0 && score.meta.back().fermata) text(score.length(), kMarkerFermataEnd);
  track.end_pulse = pulse_of(score.length());
  return track;
}

smf::Track voice_track(const Score& score, int voice) {
  smf::Track track;
  uint8_t channel = static_cast<uint8_t>(voice);
  track.events.push_back(smf::meta_event(0, smf::kMetaTrackName, score.part_names[voice]));
  track.events.push_back(
      smf::channel_event(0, 0xc0 | channel, static_cast<uint8_t>(midi_program(score.ensemble, voice))));
  for (const music::Note& n : music::voice_notes(score, voice)) {
    uint8_t key = static_cast<uint8_t>(n.pitch);
    track.events.push_back(smf::channel_event(pulse_of(n.start), 0x90 | channel, key, kVelocity));
    track.events.push_back(smf::channel_event(pulse_of(n.start + n.length), 0x80 | channel, key, 0));
  }
  track.end_pulse = pulse_of(score.length());
  return track;
}

}  // namespace

int tempo_bpm(music::Ensemble ensemble) { return ensemble == music::Ensemble::kStringQuartet ? 100 : 80; }

int midi_program(music::Ensemble ensemble, int voice) {
  constexpr int kChoirAahs = 52;
  constexpr int kQuartet[music::kNumVoices] = {40, 40, 41, 42};  // violin, violin, viola, cello
  return ensemble == music::Ensemble::kStringQuartet ? kQuartet[voice] : kChoirAahs;
}

std::string to_midi(const Score& score) {
  std::string problem = music::validate(score);
  if (!problem.empty()) throw Error("cannot write MIDI: invalid score: " + problem);
  smf::File file;
  file.format = 1;
  file.ppq = kMidiPpq;
  file.tracks.push_back(conductor_track(score));
  for (int v = 0; v < music::kNumVoices; ++v) file.tracks.push_back(voice_track(score, v));
  return smf::serialize(file);
}

void write_midi(const Score& score, const std::string& path) {
  std::string bytes;
  try {
    bytes = to_midi(score);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  util::write_file_atomically(path, bytes);
}

}  // namespace dq::io
