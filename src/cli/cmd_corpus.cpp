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

// What a scan counts over the accepted pieces.
struct ScanTotals {
  int accepted = 0;
  music::VoiceRanges ranges;
  std::map<std::string, int> keys, meters, styles, splits;
  music::QuantizationReport quantization;
};

// One file's entry of the JSON report; an accepted piece is counted in `totals`.
nlohmann::json scan_piece(const corpus::CorpusPiece& p, ScanTotals& totals) {
  nlohmann::json f = {{"path", p.path}, {"accepted", p.accepted}};
  if (!p.accepted) {
    f["reason"] = p.error;
    return f;
  }
  const music::Score& s = p.score;
  ++totals.accepted;
  music::VoiceRanges r = music::score_ranges(s);
  for (int v = 0; v < music::kNumVoices; ++v) totals.ranges[v].include(r[v]);
  ++totals.keys[music::key_name(s.meta[0].key)];
  ++totals.meters[music::meter_name(s.meta[0].time)];
  ++totals.styles[p.style];
  ++totals.splits[corpus::split_name(p.split)];
  totals.quantization += s.quantization;
  f["ticks"] = s.length();
  f["bars"] = s.bar_count();
  f["style"] = p.style;
  f["split"] = corpus::split_name(p.split);
  f["notes_read"] = s.quantization.notes_read;
  f["notes_changed"] = s.quantization.total_changed();
  return f;
}

nlohmann::json quantization_json(const music::QuantizationReport& q) {
  return {{"notes_read", q.notes_read},
          {"changed", q.total_changed()},
          {"moved", q.onsets_moved},
          {"dropped_short", q.notes_dropped_short},
          {"dropped_grace", q.notes_dropped_grace},
          {"dropped_chord", q.notes_dropped_chord},
          {"dropped_second_voice", q.notes_dropped_layer},
          {"truncated", q.notes_truncated}};
}

// The summary on stdout; returns the voice ranges for the JSON report.
nlohmann::json print_totals(const ScanTotals& t, size_t files) {
  std::printf("%zu files: %d accepted, %zu rejected\n", files, t.accepted, files - t.accepted);
  static const char* kVoice[] = {"voice 1", "voice 2", "voice 3", "voice 4"};
  nlohmann::json range_json = nlohmann::json::array();
  for (int v = 0; v < music::kNumVoices; ++v) {
    if (t.ranges[v].empty()) continue;
    std::printf("  %s range %s-%s\n", kVoice[v], music::pitch_name(t.ranges[v].low).c_str(),
                music::pitch_name(t.ranges[v].high).c_str());
    range_json.push_back({{"low", t.ranges[v].low}, {"high", t.ranges[v].high}});
  }
  auto print_counts = [](const char* what, const std::map<std::string, int>& counts) {
    std::printf("  %s:", what);
    for (const auto& [k, n] : counts) std::printf(" %s %d;", k.c_str(), n);
    std::printf("\n");
  };
  print_counts("keys (at the start)", t.keys);
  print_counts("meters (at the start)", t.meters);
  print_counts("styles", t.styles);
  print_counts("splits", t.splits);
  const music::QuantizationReport& q = t.quantization;
  std::printf(
      "  quantization: %d notes read, %d changed (%d moved, %d too short, %d grace, %d chord, %d second voice, %d "
      "cut)\n",
      q.notes_read, q.total_changed(), q.onsets_moved, q.notes_dropped_short, q.notes_dropped_grace,
      q.notes_dropped_chord, q.notes_dropped_layer, q.notes_truncated);
  return range_json;
}

int run_scan(const ScanOptions& o) {
  std::vector<corpus::CorpusPiece> pieces = corpus::load_corpus(o.roots, 2, true);
  ScanTotals totals;
  nlohmann::json files = nlohmann::json::array();
  for (const auto& p : pieces) {
    files.push_back(scan_piece(p, totals));
    if (!p.accepted) std::fprintf(stderr, "rejected %s\n", p.error.c_str());
    if (o.list && p.accepted) {
      std::printf("accepted %s (%d bars, %d of %d notes changed by quantization)\n", p.path.c_str(),
                  p.score.bar_count(), p.score.quantization.total_changed(), p.score.quantization.notes_read);
    }
  }
  const nlohmann::json ranges = print_totals(totals, pieces.size());
  if (!o.json_path.empty()) {
    nlohmann::json report = {{"files", files},
                             {"total", pieces.size()},
                             {"accepted", totals.accepted},
                             {"rejected", pieces.size() - totals.accepted},
                             {"voice_ranges", ranges},
                             {"keys", totals.keys},
                             {"meters", totals.meters},
                             {"styles", totals.styles},
                             {"splits", totals.splits},
                             {"quantization", quantization_json(totals.quantization)}};
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
