#include "io/audio_writer.h"

#include <fluidsynth.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "io/midi_writer.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::io {

namespace {

constexpr double kGain = 0.7;
constexpr int kVelocity = 80;
constexpr int kBlockFrames = 4096;  // frames rendered per FluidSynth call
constexpr double kTailSeconds = 1.0;

struct SettingsDeleter {
  void operator()(fluid_settings_t* s) const { delete_fluid_settings(s); }
};
struct SynthDeleter {
  void operator()(fluid_synth_t* s) const { delete_fluid_synth(s); }
};

void silence_fluidsynth() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int level = FLUID_PANIC; level < LAST_LOG_LEVEL; ++level) {
      fluid_set_log_function(level, nullptr, nullptr);
    }
  });
}

// Start time in seconds of every tick, plus the end of the score.
std::vector<double> tick_times(const music::Score& score) {
  const double seconds_per_tick = 60.0 / tempo_bpm(score.ensemble) / music::kTicksPerQuarter;
  std::vector<double> times(score.length() + 1, 0.0);
  for (int t = 0; t < score.length(); ++t) {
    double stretch = score.meta[t].fermata ? kFermataStretch : 1.0;
    times[t + 1] = times[t] + seconds_per_tick * stretch;
  }
  return times;
}

struct NoteEvent {
  int64_t frame;
  bool on;
  int channel;
  int key;
};

std::vector<NoteEvent> note_events(const music::Score& score, const std::vector<double>& times) {
  std::vector<NoteEvent> events;
  auto frame = [&](int tick) { return static_cast<int64_t>(std::llround(times[tick] * kWavSampleRate)); };
  for (int v = 0; v < music::kNumVoices; ++v) {
    for (const music::Note& n : music::voice_notes(score, v)) {
      events.push_back({frame(n.start), true, v, n.pitch});
      events.push_back({frame(n.start + n.length), false, v, n.pitch});
    }
  }
  // In time order; at the same moment, releases before new notes.
  std::stable_sort(events.begin(), events.end(), [](const NoteEvent& a, const NoteEvent& b) {
    return a.frame != b.frame ? a.frame < b.frame : (!a.on && b.on);
  });
  return events;
}

void put_le(std::string& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

// A 44-byte header of a 16-bit stereo PCM WAV file holding `data_bytes`.
std::string wav_header(uint32_t data_bytes) {
  constexpr int kChannels = 2;
  constexpr int kBytesPerSample = 2;
  std::string h = "RIFF";
  put_le(h, 36 + data_bytes, 4);
  h += "WAVEfmt ";
  put_le(h, 16, 4);  // fmt chunk size
  put_le(h, 1, 2);   // PCM
  put_le(h, kChannels, 2);
  put_le(h, kWavSampleRate, 4);
  put_le(h, kWavSampleRate * kChannels * kBytesPerSample, 4);  // bytes per second
  put_le(h, kChannels * kBytesPerSample, 2);                   // bytes per frame
  put_le(h, 8 * kBytesPerSample, 2);                           // bits per sample
  h += "data";
  put_le(h, data_bytes, 4);
  return h;
}

}  // namespace

double audio_seconds(const music::Score& score) { return tick_times(score).back(); }

std::string to_wav(const music::Score& score) {
  std::string problem = music::validate(score);
  if (!problem.empty()) throw Error("cannot render audio: invalid score: " + problem);
  std::vector<double> times = tick_times(score);
  if (times.back() > kMaxAudioSeconds) {
    throw Error("cannot render audio: the score lasts " + std::to_string(std::lround(times.back())) +
                " s, more than the limit of " + std::to_string(std::lround(kMaxAudioSeconds)) + " s");
  }
  const char* chosen = std::getenv("DEEPQUARTET_SOUNDFONT");
  const std::string soundfont = chosen && *chosen ? chosen : DQ_SOUNDFONT;
  if (!std::filesystem::is_regular_file(soundfont)) {
    throw Error("cannot render audio: soundfont " + soundfont +
                " not found (install the timgm6mb-soundfont package, or set DEEPQUARTET_SOUNDFONT)");
  }

  silence_fluidsynth();
  std::unique_ptr<fluid_settings_t, SettingsDeleter> settings(new_fluid_settings());
  if (!settings) throw Error("cannot render audio: FluidSynth settings could not be created");
  fluid_settings_setnum(settings.get(), "synth.sample-rate", kWavSampleRate);
  fluid_settings_setnum(settings.get(), "synth.gain", kGain);
  std::unique_ptr<fluid_synth_t, SynthDeleter> synth(new_fluid_synth(settings.get()));
  if (!synth) throw Error("cannot render audio: FluidSynth could not start");
  if (fluid_synth_sfload(synth.get(), soundfont.c_str(), 1) == FLUID_FAILED) {
    throw Error(std::string("cannot render audio: FluidSynth could not load ") + soundfont);
  }
  for (int v = 0; v < music::kNumVoices; ++v) {
    fluid_synth_program_change(synth.get(), v, midi_program(score.ensemble, v));
  }

  const int64_t total_frames = std::llround((times.back() + kTailSeconds) * kWavSampleRate);
  std::string pcm(static_cast<size_t>(total_frames) * 4, '\0');
  int64_t done = 0;
  auto render_until = [&](int64_t frame) {
    frame = std::min(frame, total_frames);
    while (done < frame) {
      int n = static_cast<int>(std::min<int64_t>(kBlockFrames, frame - done));
      void* out = &pcm[static_cast<size_t>(done) * 4];
      if (fluid_synth_write_s16(synth.get(), n, out, 0, 2, out, 1, 2) != FLUID_OK) {
        throw Error("cannot render audio: FluidSynth failed while rendering");
      }
      done += n;
    }
  };
  for (const NoteEvent& e : note_events(score, times)) {
    render_until(e.frame);
    if (e.on) {
      fluid_synth_noteon(synth.get(), e.channel, e.key, kVelocity);
    } else {
      fluid_synth_noteoff(synth.get(), e.channel, e.key);
    }
  }
  render_until(total_frames);
  return wav_header(static_cast<uint32_t>(pcm.size())) + pcm;
}

void write_wav(const music::Score& score, const std::string& path) {
  std::string bytes;
  try {
    bytes = to_wav(score);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  util::write_file_atomically(path, bytes);
}

}  // namespace dq::io
