// `deepquartet info FILE [--json]`: what a score file holds after import.
#include <cstdio>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "io/score_file.h"
#include "music/pitch.h"
#include "music/range.h"

namespace dq::cli {

namespace {

struct InfoOptions {
  std::string file;
  bool json = false;
  std::vector<int> parts;
};

nlohmann::json quantization_json(const music::QuantizationReport& q) {
  return {{"notes_read", q.notes_read},
          {"onsets_moved", q.onsets_moved},
          {"dropped_short", q.notes_dropped_short},
          {"dropped_grace", q.notes_dropped_grace},
          {"dropped_chord", q.notes_dropped_chord},
          {"dropped_second_voice", q.notes_dropped_layer},
          {"truncated", q.notes_truncated},
          {"total_changed", q.total_changed()}};
}

int run_info(const InfoOptions& o) {
  io::ReadOptions read;
  for (int p : o.parts) read.parts.push_back(p - 1);
  music::Score s = io::read_score(o.file, read);
  music::VoiceRanges ranges = music::score_ranges(s);
  int fermatas = 0;
  for (int t = 0; t < s.length(); ++t) fermatas += s.meta[t].fermata && (t == 0 || !s.meta[t - 1].fermata);
  std::vector<std::string> keys, meters;
  for (int t = 0; t < s.length(); ++t) {
    const auto& m = s.meta[t];
    std::string k = music::key_name(m.key);
    if (keys.empty() || keys.back() != k) keys.push_back(k);
    if (meters.empty() || meters.back() != music::meter_name(m.time)) meters.push_back(music::meter_name(m.time));
  }
  nlohmann::json voices = nlohmann::json::array();
  for (int v = 0; v < music::kNumVoices; ++v) {
    auto notes = music::voice_notes(s, v);
    voices.push_back({{"name", s.part_names[v]},
                      {"notes", notes.size()},
                      {"lowest", ranges[v].empty() ? "" : music::pitch_name(ranges[v].low)},
                      {"highest", ranges[v].empty() ? "" : music::pitch_name(ranges[v].high)}});
  }
  nlohmann::json j = {{"file", o.file},
                      {"title", s.title},
                      {"composer", s.composer},
                      {"ensemble", s.ensemble == music::Ensemble::kChoir ? "choir" : "string quartet"},
                      {"ticks", s.length()},
                      {"bars", s.bar_count()},
                      {"pickup_ticks", s.pickup_ticks()},
                      {"keys", keys},
                      {"meters", meters},
                      {"fermatas", fermatas},
                      {"voices", voices},
                      {"quantization", quantization_json(s.quantization)},
                      {"warnings", s.warnings}};
  if (o.json) {
    std::cout << j.dump(2) << '\n';
    return 0;
  }
  std::printf("%s\n", o.file.c_str());
  if (!s.title.empty()) std::printf("  title      %s\n", s.title.c_str());
  if (!s.composer.empty()) std::printf("  composer   %s\n", s.composer.c_str());
  std::printf("  length     %d sixteenths, %d bars%s\n", s.length(), s.bar_count(),
              s.pickup_ticks() ? (" (pickup of " + std::to_string(s.pickup_ticks()) + " sixteenths)").c_str() : "");
  std::string key_list, meter_list;
  for (const auto& k : keys) key_list += (key_list.empty() ? "" : " -> ") + k;
  for (const auto& m : meters) meter_list += (meter_list.empty() ? "" : " -> ") + m;
  std::printf("  key        %s\n  meter      %s\n  fermatas   %d\n", key_list.c_str(), meter_list.c_str(), fermatas);
  for (const auto& v : voices) {
    std::printf("  voice      %-12s %4d notes  %s-%s\n", v["name"].get<std::string>().c_str(), v["notes"].get<int>(),
                v["lowest"].get<std::string>().c_str(), v["highest"].get<std::string>().c_str());
  }
  const auto& q = s.quantization;
  std::printf(
      "  quantized  %d notes read, %d changed (%d moved, %d too short, %d grace, %d chord, %d second voice, %d cut)\n",
      q.notes_read, q.total_changed(), q.onsets_moved, q.notes_dropped_short, q.notes_dropped_grace,
      q.notes_dropped_chord, q.notes_dropped_layer, q.notes_truncated);
  for (const auto& w : s.warnings) std::printf("  warning    %s\n", w.c_str());
  return 0;
}

}  // namespace

void add_info(CLI::App& app, Runner& run) {
  auto o = std::make_shared<InfoOptions>();
  CLI::App* cmd =
      app.add_subcommand("info", "Describe a score file: voices, length, key, meter, fermatas, quantization");
  cmd->add_option("file", o->file, "Score file (.mxl .musicxml .xml .krn .mid)")->required();
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->add_option("--parts", o->parts, "Parts/tracks (1-based, top first) to use as the voices")->delimiter(',');
  cmd->callback([o, &run] { run = [o] { return run_info(*o); }; });
}

}  // namespace dq::cli
