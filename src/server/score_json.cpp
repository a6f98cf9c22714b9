#include "server/score_json.h"

#include "io/audio_writer.h"
#include "io/midi_writer.h"
#include "io/musicxml_writer.h"
#include "music/pitch.h"
#include "util/error.h"

namespace dq::server {

namespace {

const char* mode_name(music::Mode mode) {
  switch (mode) {
    case music::Mode::kMajor:
      return "major";
    case music::Mode::kMinor:
      return "minor";
    case music::Mode::kUnknown:
      return "unknown";
  }
  return "unknown";
}

// [start, end) runs of ticks where `on(t)` holds.
template <class Predicate>
nlohmann::json runs(int length, Predicate on) {
  nlohmann::json out = nlohmann::json::array();
  for (int t = 0; t < length;) {
    if (!on(t)) {
      ++t;
      continue;
    }
    int start = t;
    while (t < length && on(t)) ++t;
    out.push_back({start, t});
  }
  return out;
}

}  // namespace

nlohmann::json key_json(music::KeySignature key) {
  return {{"fifths", key.fifths}, {"mode", mode_name(key.mode)}, {"name", music::key_name(key)}};
}

nlohmann::json score_json(const music::Score& score, const sample::FixedMask& locked, bool with_musicxml) {
  std::string problem = music::validate(score);
  if (!problem.empty()) throw Error("score: " + problem);
  const int length = score.length();
  nlohmann::json bars = nlohmann::json::array();
  nlohmann::json beats = nlohmann::json::array();
  for (int t = 0; t < length; ++t) {
    if (t == 0 || score.is_bar_start(t)) {
      if (!bars.empty()) bars.back()["length"] = t - bars.back()["start"].get<int>();
      bars.push_back({{"number", score.meta[t].measure}, {"start", t}, {"length", 0}});
    }
    if (t == 0 || score.beat_position(t) == 0) beats.push_back(t);
  }
  if (!bars.empty()) bars.back()["length"] = length - bars.back()["start"].get<int>();

  nlohmann::json voices = nlohmann::json::array();
  nlohmann::json notes = nlohmann::json::array();
  nlohmann::json locks = nlohmann::json::array();
  for (int v = 0; v < music::kNumVoices; ++v) {
    voices.push_back(score.voices[v]);
    nlohmann::json list = nlohmann::json::array();
    for (const music::Note& n : music::voice_notes(score, v)) {
      list.push_back(
          {{"start", n.start}, {"length", n.length}, {"pitch", n.pitch}, {"name", music::pitch_name(n.pitch)}});
    }
    notes.push_back(std::move(list));
    const auto& mask = locked[v];
    locks.push_back(runs(length, [&](int t) { return t < static_cast<int>(mask.size()) && mask[t]; }));
  }

  music::KeySignature key = length > 0 ? score.meta[0].key : music::KeySignature{};
  music::TimeSignature time = length > 0 ? score.meta[0].time : music::TimeSignature{};
  nlohmann::json j = {
      {"ticks", length},
      {"ticks_per_quarter", music::kTicksPerQuarter},
      {"title", score.title},
      {"ensemble", score.ensemble == music::Ensemble::kChoir ? "choir" : "string quartet"},
      {"part_names", score.part_names},
      {"key", key_json(key)},
      {"meter", music::meter_name(time)},
      {"ticks_per_beat", time.ticks_per_beat()},
      {"pickup_ticks", score.pickup_ticks()},
      {"tempo_bpm", io::tempo_bpm(score.ensemble)},
      {"fermata_stretch", io::kFermataStretch},
      {"bars", bars},
      {"beats", beats},
      {"voices", voices},
      {"notes", notes},
      {"fermatas", runs(length, [&](int t) { return score.meta[t].fermata; })},
      {"locked", locks},
  };
  if (with_musicxml) j["musicxml"] = io::to_musicxml(score);
  return j;
}

}  // namespace dq::server
