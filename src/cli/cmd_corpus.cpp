// `deepquartet corpus scan DIR... [--json REPORT]`: imports every score under
// some folders and reports what was accepted, rejected (and why), the voice
// ranges, keys, meters and what quantization changed.
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "corpus/corpus.h"
#include "music/pitch.h"
#include "music/range.h"
#include "util/file_util.h"

namespace dq::cli {

namespace {

struct ScanOptions {
  std::vector<std::string> roots;
  std::string json_path;
  bool list = false;
};

int run_scan(const ScanOptions& o) {
  std::vector<corpus::CorpusPiece> pieces = corpus::load_corpus(o.roots, 2, true);
  int accepted = 0;
  music::VoiceRanges ranges;
  std::map<std::string, int> keys, meters, styles, splits;
  music::QuantizationReport total;
  nlohmann::json files = nlohmann::json::array();
  for (const auto& p : pieces) {
    nlohmann::json f = {{"path", p.path}, {"accepted", p.accepted}};
    if (p.accepted) {
      ++accepted;
      const music::Score& s = p.score;
      music::VoiceRanges r = music::score_ranges(s);
      for (int v = 0; v < music::kNumVoices; ++v) ranges[v].include(r[v]);
      ++keys[music::key_name(s.meta[0].key)];
      ++meters[music::meter_name(s.meta[0].time)];
      ++styles[p.style];
      ++splits[corpus::split_name(p.split)];
      total += s.quantization;
      f["ticks"] = s.length();
      f["bars"] = s.bar_count();
      f["style"] = p.style;
      f["split"] = corpus::split_name(p.split);
      f["notes_read"] = s.quantization.notes_read;
      f["notes_changed"] = s.quantization.total_changed();
    } else {
      f["reason"] = p.error;
      std::fprintf(stderr, "rejected %s\n", p.error.c_str());
    }
    if (o.list && p.accepted) {
      std::printf("accepted %s (%d bars, %d of %d notes changed by quantization)\n", p.path.c_str(),
                  p.score.bar_count(), p.score.quantization.total_changed(), p.score.quantization.notes_read);
    }
    files.push_back(f);
  }
  std::printf("%zu files: %d accepted, %zu rejected\n", pieces.size(), accepted, pieces.size() - accepted);
  static const char* kVoice[] = {"voice 1", "voice 2", "voice 3", "voice 4"};
  nlohmann::json range_json = nlohmann::json::array();
  for (int v = 0; v < music::kNumVoices; ++v) {
    if (ranges[v].empty()) continue;
    std::printf("  %s range %s-%s\n", kVoice[v], music::pitch_name(ranges[v].low).c_str(),
                music::pitch_name(ranges[v].high).c_str());
    range_json.push_back({{"low", ranges[v].low}, {"high", ranges[v].high}});
  }
  auto print_counts = [](const char* what, const std::map<std::string, int>& counts) {
    std::printf("  %s:", what);
    for (const auto& [k, n] : counts) std::printf(" %s %d;", k.c_str(), n);
    std::printf("\n");
  };
  print_counts("keys (at the start)", keys);
  print_counts("meters (at the start)", meters);
  print_counts("styles", styles);
  print_counts("splits", splits);
  std::printf(
      "  quantization: %d notes read, %d changed (%d moved, %d too short, %d grace, %d chord, %d second voice, %d "
      "cut)\n",
      total.notes_read, total.total_changed(), total.onsets_moved, total.notes_dropped_short, total.notes_dropped_grace,
      total.notes_dropped_chord, total.notes_dropped_layer, total.notes_truncated);
  if (!o.json_path.empty()) {
    nlohmann::json report = {{"files", files},
                             {"total", pieces.size()},
                             {"accepted", accepted},
                             {"rejected", pieces.size() - accepted},
                             {"voice_ranges", range_json},
                             {"keys", keys},
                             {"meters", meters},
                             {"styles", styles},
                             {"splits", splits},
                             {"quantization",
                              {{"notes_read", total.notes_read},
                               {"changed", total.total_changed()},
                               {"moved", total.onsets_moved},
                               {"dropped_short", total.notes_dropped_short},
                               {"dropped_grace", total.notes_dropped_grace},
                               {"dropped_chord", total.notes_dropped_chord},
                               {"dropped_second_voice", total.notes_dropped_layer},
                               {"truncated", total.notes_truncated}}}};
    util::write_file_atomically(o.json_path, report.dump(2) + "\n");
  }
  return 0;
}

}  // namespace

void add_corpus(CLI::App& app, Runner& run) {
  CLI::App* corpus = app.add_subcommand("corpus", "Work with a corpus of scores");
  corpus->require_subcommand(1);
  auto o = std::make_shared<ScanOptions>();
  CLI::App* scan = corpus->add_subcommand("scan", "Import every score under some folders and report on them");
  scan->add_option("roots", o->roots, "Folders or files")->required();
  scan->add_option("--json", o->json_path, "Write the full report (every file) as JSON");
  scan->add_flag("--list", o->list, "Also list every accepted file");
  scan->callback([o, &run] { run = [o] { return run_scan(*o); }; });
}

}  // namespace dq::cli
