#include "sample/constraints.h"

#include <cctype>
#include <cmath>

#include <nlohmann/json.hpp>

#include "music/pitch.h"
#include "sample/compose.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::sample {

Constraints parse_constraints(const std::string& text, const std::string& source) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw Error(source + ": not a JSON object");
  Constraints c;
  try {
    for (const auto& n : j.value("fixed_notes", nlohmann::json::array())) {
      FixedNote f;
      f.voice = parse_voices(n.at("voice").is_string() ? n.at("voice").get<std::string>()
                                                       : std::to_string(n.at("voice").get<int>()))[0];
      f.bar = n.at("bar").get<int>();
      f.beat = n.value("beat", 1.0);
      f.beats = n.value("beats", 1.0);
      const auto& p = n.at("pitch");
      f.pitch = p.is_string() ? music::parse_pitch(p.get<std::string>()) : p.get<int>();
      if (f.pitch < 0 || f.pitch > 127 || f.beat < 1 || f.beats <= 0 || f.beats > 64) {
        throw Error("a fixed note has an invalid pitch, beat or length");
      }
      c.notes.push_back(f);
    }
    for (const auto& v : j.value("locked_voices", nlohmann::json::array())) {
      c.locked_voices.push_back(parse_voices(v.is_string() ? v.get<std::string>() : std::to_string(v.get<int>()))[0]);
    }
    if (j.contains("fermatas")) {
      const auto& f = j["fermatas"];
      if (f.is_string()) {
        c.fermatas = f.get<std::string>();
      } else {
        for (const auto& bar : f) c.fermatas += (c.fermatas.empty() ? "" : ",") + std::to_string(bar.get<int>());
        if (c.fermatas.empty()) c.fermatas = "none";
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(source + ": " + e.what());
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
  return c;
}

Constraints read_constraints(const std::string& path) { return parse_constraints(util::read_file_bytes(path), path); }

void apply_constraints(const Constraints& c, music::Score& score, FixedMask& fixed) {
  if (!c.fermatas.empty()) apply_fermatas(score, c.fermatas);
  for (int v : c.locked_voices) fixed[v].assign(score.length(), true);
  for (const FixedNote& n : c.notes) {
    int bar_start = parse_position(score, std::to_string(n.bar), false);
    const music::TickMeta& m = score.meta[bar_start];
    int beat = m.time.ticks_per_beat();
    int start = bar_start - m.tick_in_bar + static_cast<int>(std::lround((n.beat - 1) * beat));
    int length = std::max(1, static_cast<int>(std::lround(n.beats * beat)));
    if (start < 0 || start + length > score.length()) {
      throw Error("fixed note at bar " + std::to_string(n.bar) + " beat " + std::to_string(n.beat) +
                  " lies outside the piece");
    }
    auto& voice = score.voices[n.voice];
    voice[start] = n.pitch;
    fixed[n.voice][start] = true;
    for (int t = start + 1; t < start + length; ++t) {
      voice[t] = music::kHold;
      fixed[n.voice][t] = true;
    }
  }
}

}  // namespace dq::sample
