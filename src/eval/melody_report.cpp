#include "eval/melody_report.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>

#include <nlohmann/json.hpp>

#include "corpus/corpus.h"
#include "eval/grader.h"
#include "eval/markdown.h"
#include "eval/progression.h"
#include "io/score_file.h"
#include "music/harmony.h"
#include "music/pitch.h"
#include "music/spelling.h"
#include "music/transpose.h"
#include "sample/compose.h"
#include "util/error.h"
#include "util/progress.h"

namespace dq::eval {

using music::kNumVoices;
using music::Score;

HarmonicRhythm& HarmonicRhythm::operator+=(const HarmonicRhythm& other) {
  on_beat += other.on_beat;
  off_beat += other.off_beat;
  return *this;
}

double HarmonicRhythm::on_beat_fraction() const {
  const int changes = on_beat + off_beat;
  return changes > 0 ? static_cast<double>(on_beat) / changes : 0.0;
}

namespace {

bool is_onset(const Score& score, int tick) {
  for (int v = 0; v < kNumVoices; ++v)
    if (music::is_pitch(score.voices[v][tick])) return true;
  return false;
}

}  // namespace

HarmonicRhythm harmonic_rhythm(const Score& score) {
  const auto sounding = sounding_pitches(score);
  HarmonicRhythm rhythm;
  int previous_root = -1;
  for (int t = 0; t < score.length(); ++t) {
    VoicedChord chord;
    if (!is_onset(score, t) || !chord_at(sounding, t, chord) || chord.name.root < 0) continue;
    if (previous_root >= 0 && chord.name.root != previous_root) {
      (score.beat_position(t) == 0 ? rhythm.on_beat : rhythm.off_beat) += 1;
    }
    previous_root = chord.name.root;
  }
  return rhythm;
}

int attacks_under_melody_rests(const Score& score) {
  int attacks = 0;
  for (int t = 0; t < score.length(); ++t) {
    if (score.voices[0][t] != music::kRest) continue;
    for (int v = 1; v < kNumVoices; ++v) attacks += music::is_pitch(score.voices[v][t]);
  }
  return attacks;
}

namespace {

std::vector<std::string> melody_files(const std::string& folder) {
  if (!std::filesystem::is_directory(folder)) throw Error(folder + ": not a folder of melodies");
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() && io::can_read(entry.path().string())) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw Error(folder + ": no melody files (.mid .midi .musicxml .xml .mxl .krn)");
  return files;
}

std::string meters_of(const Score& score) {
  std::vector<std::string> meters;
  for (const music::TickMeta& m : score.meta) {
    const std::string name = music::meter_name(m.time);
    if (std::find(meters.begin(), meters.end(), name) == meters.end()) meters.push_back(name);
  }
  std::string text;
  for (const std::string& m : meters) text += (text.empty() ? "" : ", ") + m;
  return text;
}

bool ends_on_tonic(const Score& melody, music::KeySignature key) {
  const std::vector<music::Note> notes = music::voice_notes(melody, 0);
  return !notes.empty() && notes.back().pitch % 12 == music::tonic_pitch_class(key);
}

MelodyResult harmonize_one(model::Model& model, const std::string& path, const sample::SampleOptions& sampling) {
  MelodyResult r;
  r.file = path;
  const auto start = std::chrono::steady_clock::now();
  try {
    const Score input = io::read_score(path);
    r.meters = meters_of(input);
    r.notes = static_cast<int>(music::voice_notes(input, 0).size());
    sample::ReharmonizeReport info;
    const Score out = sample::reharmonize(model, input, {}, sampling, &info).at(0);
    r.key = music::key_name(info.key);
    r.transposition = info.transposition;
    r.fermatas = info.fermata_count;
    r.fermatas_from = info.fermatas_inferred ? "inferred" : info.fermatas_from_phrase_marks ? "phrase marks" : "file";
    const Score moved = music::transpose(input, info.transposition);
    r.melody_kept = out.voices[0] == moved.voices[0];
    r.spelling_kept = music::spell_notes(out)[0] == music::spell_notes(moved)[0];
    r.tune_ends_on_tonic = ends_on_tonic(moved, info.key);
    r.tonal = tonal_counts(out, info.key);
    r.rhythm = harmonic_rhythm(out);
    r.attacks_under_rests = attacks_under_melody_rests(out);
  } catch (const Error& e) {
    r.error = e.what();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

// Bach's figures beside the melodies': his test chorales, from the corpus.
void add_bach(const std::string& corpus_folder, bool progress, MelodyReport& report) {
  if (corpus_folder.empty() || !std::filesystem::exists(corpus_folder)) return;
  report.bach_rhythm = {{"3/4", {}}, {"4/4", {}}};
  for (const corpus::CorpusPiece& p : corpus::load_corpus({corpus_folder}, 2, progress)) {
    if (!p.accepted || p.split != corpus::Split::kTest) continue;
    report.bach_tonal += tonal_counts(p.score, music::home_key(p.score));
    report.bach_attacks_under_rests += attacks_under_melody_rests(p.score);
    const std::string meter = meters_of(p.score);
    for (auto& [name, rhythm] : report.bach_rhythm)
      if (name == meter) rhythm += harmonic_rhythm(p.score);
  }
}

}  // namespace

MelodyReport run_melody_report(model::Model& model, const std::string& model_path, const MelodyReportOptions& o) {
  const std::vector<std::string> files = melody_files(o.melodies);
  MelodyReport report;
  report.folder = o.melodies;
  report.facts = {{"model", model_path},
                  {"melodies", o.melodies + " (" + std::to_string(files.size()) + " files)"},
                  {"harmonized as",
                   "deepquartet reharmonize with its defaults (key detected, --transpose auto, "
                   "fermatas from the file or inferred), seed " +
                       std::to_string(o.sampling.seed)}};
  Progress bar("Harmonizing melodies", static_cast<long long>(files.size()), o.progress);
  for (size_t i = 0; i < files.size(); ++i) {
    report.melodies.push_back(harmonize_one(model, files[i], o.sampling));
    bar.update(static_cast<long long>(i + 1));
  }
  bar.finish();
  add_bach(o.bach_corpus, o.progress, report);
  return report;
}

namespace {

std::string relative_name(const std::string& file, const std::string& folder) {
  return std::filesystem::relative(file, folder).string();
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }

std::string cadence_cell(const TonalCounts& t) {
  std::string cell;
  for (int c = 0; c < kNumCadences; ++c) {
    if (t.cadences[c] == 0) continue;
    cell += (cell.empty() ? "" : ", ") + std::to_string(t.cadences[c]) + " " + cadence_name(static_cast<Cadence>(c));
  }
  return cell.empty() ? "-" : cell;
}

struct Totals {
  int harmonized = 0, kept = 0, spelled = 0, ends_on_tonic = 0, final_tonic_where_tune_ends_on_it = 0, attacks = 0;
  TonalCounts tonal;
  HarmonicRhythm rhythm;
};

Totals totals_of(const MelodyReport& report) {
  Totals t;
  for (const MelodyResult& m : report.melodies) {
    if (!m.error.empty()) continue;
    ++t.harmonized;
    t.kept += m.melody_kept;
    t.spelled += m.melody_kept && m.spelling_kept;
    t.ends_on_tonic += m.tune_ends_on_tonic;
    t.final_tonic_where_tune_ends_on_it += m.tune_ends_on_tonic && m.tonal.final_on_tonic > 0;
    t.attacks += m.attacks_under_rests;
    t.tonal += m.tonal;
    t.rhythm += m.rhythm;
  }
  return t;
}

std::string markdown(const MelodyReport& report, const std::string& folder) {
  std::ostringstream md;
  md << "# Melody report\n\n";
  for (const auto& [name, value] : report.facts) md << "- **" << name << "**: " << value << "\n";
  md << "\n## Every melody\n\n";
  table_head(md, {"melody", "meter", "notes", "key (detected)", "transposed", "fermatas", "cadences at fermatas",
                  "melody kept", "tune ends on the tonic", "final chord on the tonic", "chord changes on a beat",
                  "eighths or shorter", "attacks under melody rests", "seconds"});
  for (const MelodyResult& m : report.melodies) {
    const std::string name = relative_name(m.file, folder);
    if (!m.error.empty()) {
      table_row(md, {name, m.meters, std::to_string(m.notes), "failed: " + m.error, "", "", "", "", "", "", "", "", "",
                     fixed(m.seconds, 1)});
      continue;
    }
    const TonalMeasures tm = tonal_measures(m.tonal);
    table_row(md, {name, m.meters, std::to_string(m.notes), m.key,
                   m.transposition ? std::to_string(m.transposition) + " semitones" : "-",
                   std::to_string(m.fermatas) + " (" + m.fermatas_from + ")", cadence_cell(m.tonal),
                   yes_no(m.melody_kept && m.spelling_kept), yes_no(m.tune_ends_on_tonic),
                   yes_no(m.tonal.final_on_tonic > 0), percent(m.rhythm.on_beat_fraction()), percent(tm.short_notes),
                   std::to_string(m.attacks_under_rests), fixed(m.seconds, 1)});
  }
  const Totals t = totals_of(report);
  const TonalMeasures all = tonal_measures(t.tonal);
  md << "\n## All melodies\n\n";
  const TonalMeasures bach = tonal_measures(report.bach_tonal);
  const bool with_bach = bach.pieces > 0;
  table_head(md, {"measure", "melodies", with_bach ? "Bach's " + std::to_string(bach.pieces) + " test chorales" : ""});
  auto bach_percent = [&](double x) { return with_bach ? percent(x) : std::string("-"); };
  auto bach_rhythm = [&](const std::string& meter) {
    for (const auto& [name, rhythm] : report.bach_rhythm)
      if (name == meter) return percent(rhythm.on_beat_fraction()) + " in " + meter;
    return std::string("-");
  };
  const int n = static_cast<int>(report.melodies.size());
  table_row(md, {"harmonized", std::to_string(t.harmonized) + " of " + std::to_string(n), ""});
  table_row(md, {"melody kept note for note", std::to_string(t.kept) + " of " + std::to_string(t.harmonized), ""});
  table_row(
      md, {"and spelled as the file spells it", std::to_string(t.spelled) + " of " + std::to_string(t.harmonized), ""});
  table_row(md, {"final chord on the tonic, where the tune ends on the tonic",
                 std::to_string(t.final_tonic_where_tune_ends_on_it) + " of " + std::to_string(t.ends_on_tonic), ""});
  table_row(md, {"final chord on the tonic, all", percent(all.final_on_tonic), bach_percent(bach.final_on_tonic)});
  table_row(md, {"chord changes on a beat", percent(t.rhythm.on_beat_fraction()),
                 with_bach ? bach_rhythm("3/4") + ", " + bach_rhythm("4/4") : "-"});
  table_row(md, {"notes of an eighth or shorter", percent(all.short_notes), bach_percent(bach.short_notes)});
  const int authentic = static_cast<int>(Cadence::kAuthentic);
  table_row(
      md, {"authentic cadences at fermatas", percent(all.cadences[authentic]), bach_percent(bach.cadences[authentic])});
  table_row(md, {"notes outside the key's scale", percent(all.outside_scale), bach_percent(bach.outside_scale)});
  table_row(md, {"lower-voice attacks under melody rests", std::to_string(t.attacks),
                 with_bach ? std::to_string(report.bach_attacks_under_rests) : "-"});
  md << "\nChord changes: changes of root between consecutive chord slices (a tick where some voice starts a note "
        "and all four sound a chord with a root); on a beat: at Score::beat_position 0 (the dotted quarter in 6/8, "
        "9/8 and 12/8). Bach's figures: his test chorales (of that meter, for the chord changes), measured in the "
        "same run, each in its home key. Tonal measures as in the evaluation report (src/eval/tonal.h), the "
        "melodies read in their detected keys.\n";
  return md.str();
}

nlohmann::ordered_json json_of(const MelodyReport& report) {
  nlohmann::ordered_json j;
  j["facts"] = nlohmann::ordered_json::object();
  for (const auto& [name, value] : report.facts) j["facts"][name] = value;
  j["melodies"] = nlohmann::ordered_json::array();
  for (const MelodyResult& m : report.melodies) {
    nlohmann::ordered_json e = {{"file", m.file}, {"meters", m.meters}, {"notes", m.notes}, {"seconds", m.seconds}};
    if (!m.error.empty()) {
      e["error"] = m.error;
    } else {
      const TonalMeasures tm = tonal_measures(m.tonal);
      e.update({{"key", m.key},
                {"transposition", m.transposition},
                {"fermatas", m.fermatas},
                {"fermatas_from", m.fermatas_from},
                {"melody_kept", m.melody_kept},
                {"spelling_kept", m.spelling_kept},
                {"tune_ends_on_tonic", m.tune_ends_on_tonic},
                {"final_on_tonic", m.tonal.final_on_tonic > 0},
                {"chord_changes_on_beat", m.rhythm.on_beat},
                {"chord_changes_off_beat", m.rhythm.off_beat},
                {"short_notes", tm.short_notes},
                {"attacks_under_rests", m.attacks_under_rests}});
    }
    j["melodies"].push_back(e);
  }
  for (const auto& [meter, rhythm] : report.bach_rhythm) {
    j["bach_chord_changes_on_beat"][meter] = rhythm.on_beat_fraction();
  }
  return j;
}

}  // namespace

void write_melody_report(const MelodyReport& report, const std::string& path) {
  write_markdown_and_json(path, markdown(report, report.folder), json_of(report).dump(2) + "\n");
}

}  // namespace dq::eval
