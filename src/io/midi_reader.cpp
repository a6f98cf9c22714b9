#include "io/midi_reader.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "io/midi_writer.h"
#include "io/smf.h"
#include "music/score_builder.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::io {

namespace {

using music::Rational;

constexpr int kDrumChannel = 9;  // channel 10, counted from 1
constexpr int kMaxParts = 64;    // as ScoreBuilder
// Most time or key signature events read; real files have a few.
constexpr int kMaxSignatures = 1000;

struct RawNote {
  int64_t on = 0;
  int64_t off = 0;
  int key = 0;
};

// The notes of one channel of one track.
struct Part {
  int track = 0;
  int channel = 0;
  int program = -1;  // first program change on the channel in the track, -1 if none
  std::vector<RawNote> notes;

  double mean_pitch() const {
    double sum = 0;
    for (const RawNote& n : notes) sum += n.key;
    return sum / static_cast<double>(notes.size());
  }
};

// The deepquartet markers of the conductor track.
struct Markers {
  bool file_order = false;
  int64_t pickup = 0;
  std::vector<std::pair<int64_t, bool>> fermata;                      // pulse, starts (true) or ends
  std::vector<std::pair<int64_t, std::pair<int, int64_t>>> measures;  // pulse, (number, offset)
  std::set<int64_t> mode_unknown;                                     // pulses
};

bool starts_with(const std::string& s, const char* prefix) {
  return s.compare(0, std::char_traits<char>::length(prefix), prefix) == 0;
}

// Parses a non-negative decimal number that fills `s`; -1 if it does not.
int64_t parse_count(const std::string& s) {
  if (s.empty() || s.size() > 12) return -1;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

void read_marker(const smf::Event& e, Markers& markers) {
  const std::string& s = e.meta;
  if (s == kMarkerFileOrder) {
    markers.file_order = true;
  } else if (starts_with(s, kMarkerPickup)) {
    int64_t pulses = parse_count(s.substr(std::char_traits<char>::length(kMarkerPickup)));
    if (pulses >= 0) markers.pickup = pulses;
  } else if (s == kMarkerFermata) {
    markers.fermata.emplace_back(e.pulse, true);
  } else if (s == kMarkerFermataEnd) {
    markers.fermata.emplace_back(e.pulse, false);
  } else if (s == kMarkerModeUnknown) {
    markers.mode_unknown.insert(e.pulse);
  } else if (starts_with(s, kMarkerMeasure)) {
    std::string value = s.substr(std::char_traits<char>::length(kMarkerMeasure));
    size_t plus = value.find('+');
    int64_t number = parse_count(value.substr(0, plus));
    int64_t offset = plus == std::string::npos ? 0 : parse_count(value.substr(plus + 1));
    if (number >= 0 && number <= 100000 && offset >= 0) {
      markers.measures.push_back({e.pulse, {static_cast<int>(number), offset}});
    }
  }
}

// Score tick of a marker's pulse time (markers of our own files are on the grid).
int64_t tick_of(int64_t pulse, int ppq) { return (2 * pulse * music::kTicksPerQuarter + ppq) / (2 * ppq); }

// Applies the fermata and measure markers to the built score.
void apply_markers(const Markers& markers, int ppq, music::Score& score) {
  const int64_t length = score.length();
  // Runs of fermata ticks as +1 at their start and -1 at their end.
  std::vector<int> runs(length + 1, 0);
  bool on = false;
  int64_t from = 0;
  auto mark = [&](int64_t to) {
    from = std::min(from, length);
    to = std::min(to, length);
    if (from < to) {
      ++runs[from];
      --runs[to];
    }
  };
  for (const auto& [pulse, starts] : markers.fermata) {
    int64_t t = tick_of(pulse, ppq);
    if (starts && !on) from = t;
    if (!starts && on) mark(t);
    on = starts;
  }
  if (on) mark(length);
  int depth = 0;
  for (int64_t t = 0; t < length; ++t) {
    depth += runs[t];
    if (depth > 0) score.meta[t].fermata = true;
  }

  if (markers.measures.empty()) return;
  std::map<int64_t, std::pair<int, int64_t>> at;  // tick -> (number, offset in ticks)
  for (const auto& [pulse, value] : markers.measures) {
    at[tick_of(pulse, ppq)] = {value.first, tick_of(value.second, ppq)};
  }
  for (int64_t t = 0; t < length; ++t) {
    music::TickMeta& m = score.meta[t];
    auto it = at.find(t);
    if (it != at.end()) {
      m.measure = it->second.first;
      m.tick_in_bar = static_cast<int>(std::min<int64_t>(it->second.second, 1 << 20));
    } else if (t > 0) {  // count on from the previous tick, as midi_writer expects
      const music::TickMeta& prev = score.meta[t - 1];
      m.measure = prev.measure;
      m.tick_in_bar = prev.tick_in_bar + 1;
      if (m.tick_in_bar >= m.time.ticks_per_bar()) {
        m.tick_in_bar = 0;
        ++m.measure;
      }
    }
  }
  std::string problem = music::validate(score);
  if (!problem.empty()) throw Error(score.source + ": bad measure markers: " + problem);
}

// Pairs note-ons with note-offs in one track; returns its parts (one per
// channel with notes), in channel order.
std::vector<Part> track_parts(const smf::Track& track, int track_index) {
  std::map<std::pair<int, int>, std::deque<int64_t>> sounding;  // (channel, key) -> onsets
  std::map<int, Part> by_channel;
  std::map<int, int> programs;
  for (const smf::Event& e : track.events) {
    if (e.is_meta()) continue;
    int channel = e.channel();
    if (e.kind() == 0xc0 && !programs.count(channel)) programs[channel] = e.data1;
    bool note_on = e.kind() == 0x90 && e.data2 > 0;
    bool note_off = e.kind() == 0x80 || (e.kind() == 0x90 && e.data2 == 0);
    if (channel == kDrumChannel || !(note_on || note_off)) continue;
    auto& onsets = sounding[{channel, e.data1}];
    if (note_on) {
      onsets.push_back(e.pulse);
    } else if (!onsets.empty()) {
      if (e.pulse > onsets.front()) by_channel[channel].notes.push_back({onsets.front(), e.pulse, e.data1});
      onsets.pop_front();
    }
  }
  for (auto& [channel_key, onsets] : sounding) {  // unterminated notes end with the track
    for (int64_t on : onsets) {
      if (track.end_pulse > on) {
        by_channel[channel_key.first].notes.push_back({on, track.end_pulse, channel_key.second});
      }
    }
  }
  std::vector<Part> parts;
  for (auto& [channel, part] : by_channel) {
    if (part.notes.empty()) continue;
    part.track = track_index;
    part.channel = channel;
    part.program = programs.count(channel) ? programs[channel] : -1;
    std::stable_sort(part.notes.begin(), part.notes.end(),
                     [](const RawNote& a, const RawNote& b) { return a.on < b.on; });
    parts.push_back(std::move(part));
  }
  return parts;
}

std::string track_name(const smf::Track& track) {
  for (const smf::Event& e : track.events)
    if (e.is_meta() && e.meta_type == smf::kMetaTrackName) return e.meta;
  return "";
}

bool is_strings(int program) { return program >= 40 && program <= 42; }

// Feeds the time and key signatures of every track to `builder`.
void add_signatures(const smf::File& file, const std::string& source, const Markers& markers,
                    music::ScoreBuilder& builder) {
  int signatures = 0;
  for (const smf::Track& track : file.tracks) {
    for (const smf::Event& e : track.events) {
      bool signature = e.is_meta() && (e.meta_type == smf::kMetaTimeSignature || e.meta_type == smf::kMetaKeySignature);
      if (!signature) continue;
      if (++signatures > kMaxSignatures) {
        throw Error(source + ": more than " + std::to_string(kMaxSignatures) + " time and key signatures");
      }
      Rational at(e.pulse, file.ppq);
      std::string where = " at quarter " + std::to_string(e.pulse / file.ppq);
      if (e.meta_type == smf::kMetaTimeSignature) {
        int numerator = static_cast<uint8_t>(e.meta[0]);
        int log2 = static_cast<uint8_t>(e.meta[1]);
        if (numerator < 1 || numerator > 64 || log2 > 4) {
          builder.warn("unsupported time signature ignored" + where);
          continue;
        }
        builder.set_time(at, {numerator, 1 << log2});
      } else {
        int fifths = static_cast<int8_t>(e.meta[0]);
        int minor = static_cast<uint8_t>(e.meta[1]);
        if (fifths < -7 || fifths > 7 || minor > 1) {
          builder.warn("invalid key signature ignored" + where);
          continue;
        }
        music::KeySignature key{fifths, minor ? music::Mode::kMinor : music::Mode::kMajor};
        if (markers.mode_unknown.count(e.pulse)) key.mode = music::Mode::kUnknown;
        builder.set_key(at, key);
      }
    }
  }
}

// The file's parts (a track, or a channel of a track with several), in file
// order; parts_in_track[i] counts track i's.
std::vector<Part> file_parts(const smf::File& file, const std::string& source, std::vector<int>& parts_in_track) {
  std::vector<Part> parts;
  parts_in_track.assign(file.tracks.size(), 0);
  for (size_t i = 0; i < file.tracks.size(); ++i) {
    for (Part& p : track_parts(file.tracks[i], static_cast<int>(i))) {
      parts.push_back(std::move(p));
      ++parts_in_track[i];
    }
  }
  if (parts.empty()) throw Error(source + ": no notes found (drums on channel 10 are ignored)");
  if (parts.size() > kMaxParts) {
    throw Error(source + ": " + std::to_string(parts.size()) + " parts (tracks and channels with notes); at most " +
                std::to_string(kMaxParts) + " are read");
  }
  return parts;
}

// The parts' names and notes into `builder`, and a rest to the end of the
// longest track so that trailing rests count.
void add_notes(const smf::File& file, const std::vector<Part>& parts, const std::vector<int>& parts_in_track,
               music::ScoreBuilder& builder) {
  auto quarters = [&](int64_t pulse) { return Rational(pulse, file.ppq); };
  int64_t end = 0;
  bool strings = true;
  for (size_t p = 0; p < parts.size(); ++p) {
    const Part& part = parts[p];
    std::string name = track_name(file.tracks[part.track]);
    if (parts_in_track[part.track] > 1) {
      builder.set_part_name(static_cast<int>(p), "Channel " + std::to_string(part.channel + 1));
    } else if (file.format == 1 && !name.empty()) {
      builder.set_part_name(static_cast<int>(p), name);
    }
    strings = strings && is_strings(part.program);
    for (const RawNote& n : part.notes) {
      music::NoteEvent event;
      event.part = static_cast<int>(p);
      event.onset = quarters(n.on);
      event.duration = quarters(n.off - n.on);
      event.pitch = n.key;
      builder.add(event);
      end = std::max(end, n.off);
    }
  }
  int64_t file_end = end;
  for (const smf::Track& t : file.tracks) file_end = std::max(file_end, t.end_pulse);
  if (file_end > end) {
    music::NoteEvent rest;
    rest.onset = quarters(end);
    rest.duration = quarters(file_end - end);
    builder.add(rest);
  }
  if (strings) builder.set_ensemble(music::Ensemble::kStringQuartet);
}

music::Score build_score(const smf::File& file, const std::string& source, const ReadOptions& options) {
  music::ScoreBuilder builder(source);
  std::vector<int> parts_in_track;
  const std::vector<Part> parts = file_parts(file, source, parts_in_track);

  Markers markers;
  for (const smf::Track& track : file.tracks) {
    for (const smf::Event& e : track.events) {
      if (e.is_meta() && e.meta_type == smf::kMetaText && starts_with(e.meta, kMarkerPrefix)) read_marker(e, markers);
    }
  }
  add_signatures(file, source, markers, builder);
  if (markers.pickup > 0) builder.set_pickup(Rational(markers.pickup, file.ppq));
  if (file.format == 0 || (parts_in_track[0] == 0 && file.tracks.size() > 1)) {
    builder.set_title(track_name(file.tracks[0]));
  }
  add_notes(file, parts, parts_in_track, builder);

  // Voices: the user's choice in file order, else by mean pitch (our own
  // files: in file order).
  if (!options.parts.empty()) {
    builder.select_parts(options.parts);
  } else if (parts.size() <= music::kNumVoices && !markers.file_order) {
    std::vector<int> order(parts.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return parts[a].mean_pitch() > parts[b].mean_pitch(); });
    builder.select_parts(order);
  }

  music::Score score = builder.build();
  apply_markers(markers, file.ppq, score);
  return score;
}

}  // namespace

music::Score parse_midi(const std::string& bytes, const std::string& source, const ReadOptions& options) {
  smf::File file = smf::parse(bytes, source);
  return build_score(file, source, options);
}

music::Score read_midi(const std::string& path, const ReadOptions& options) {
  return parse_midi(util::read_file_bytes(path), path, options);
}

}  // namespace dq::io
