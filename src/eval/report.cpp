#include "eval/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include <nlohmann/json.hpp>

#include "eval/markdown.h"
#include "eval/measure_report.h"
#include "util/error.h"
#include "util/plot.h"

namespace dq::eval {

using music::kNumVoices;
using music::Score;
using Json = nlohmann::ordered_json;

namespace {

const char* const kVoiceNames[kNumVoices] = {"soprano", "alto", "tenor", "bass"};

std::string piece_name(const Score& score, size_t index) {
  if (!score.source.empty()) {
    size_t slash = score.source.find_last_of('/');
    return slash == std::string::npos ? score.source : score.source.substr(slash + 1);
  }
  if (!score.title.empty()) return score.title;
  return "piece " + std::to_string(index + 1);
}

double median_of(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double x) { return !std::isfinite(x); }), values.end());
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double min_of(const std::vector<double>& values) {
  double m = NAN;
  for (double x : values) {
    if (std::isfinite(x) && !(m <= x)) m = x;
  }
  return m;
}

// 1 at or below the reference, reference / value above it.
double score_against(double value, double reference) { return value > reference ? reference / value : 1.0; }

double rule_reference(double p90) { return std::isfinite(p90) ? std::max(p90, kMinRuleReference) : kMinRuleReference; }

// Rule counts and pooled features of `scores`; per-piece features go to `features`.
GradedSet grade_set(const std::string& name, const std::vector<Score>& scores, const music::VoiceRanges& ranges,
                    std::vector<Features>& features) {
  GradedSet set;
  set.name = name;
  for (size_t i = 0; i < scores.size(); ++i) {
    set.piece_names.push_back(piece_name(scores[i], i));
    set.counts.push_back(count_rules(scores[i], ranges));
    set.total += set.counts.back();
    features.push_back(piece_features(scores[i]));
    set.features += features.back();
  }
  return set;
}

Reference make_reference(const GradedSet& bach) {
  Reference ref;
  for (int r = 0; r < kNumRules; ++r) {
    std::vector<double> rates;
    for (const RuleCounts& c : bach.counts) rates.push_back(c.rate_per_note(static_cast<Rule>(r)));
    ref.rule_p90[r] = spread_of(rates).p90;
  }
  std::vector<double> noncadential;
  for (const RuleCounts& c : bach.counts) {
    if (c.fermatas > 0) noncadential.push_back(c.noncadential_fraction());
  }
  ref.noncadential_p90 = spread_of(noncadential).p90;
  for (int f = 0; f < kNumFeatures; ++f) {
    std::vector<double> d;
    for (const FeatureDistances& fd : bach.distances) d.push_back(fd[f]);
    ref.spread[f] = spread_of(d);
  }
  return ref;
}

// ---- Formatting ----

bool rule_passes(double generated, double bach) { return generated <= std::max(2 * bach, kRateTolerance); }

std::string pass_text(bool pass) { return pass ? "pass" : "FAIL"; }

// Mean of the per-piece distances of a set, per feature (NaN-free).
double mean_distance(const GradedSet& set, int feature) {
  std::vector<double> d;
  for (const FeatureDistances& fd : set.distances) d.push_back(fd[feature]);
  return spread_of(d).mean;
}

bool within_spread(const EvalReport& r, int feature) {
  double d = mean_distance(r.generated, feature);
  return std::isfinite(d) && d <= r.reference.spread[feature].p90;
}

// Longest copied stretch per piece of voice `v` of `set`.
std::vector<double> copy_lengths(const GradedSet& set, int v) {
  std::vector<double> lengths;
  for (const VoiceCopies& c : set.copies) lengths.push_back(c[v].length);
  return lengths;
}

// Index of the piece of `set` with the longest copy in voice `v` (-1 if none).
int longest_copy_piece(const GradedSet& set, int v) {
  int best = -1;
  for (size_t i = 0; i < set.copies.size(); ++i) {
    if (best < 0 || set.copies[i][v].length > set.copies[best][v].length) best = static_cast<int>(i);
  }
  return best;
}

std::vector<double> normalized(const std::vector<double>& counts) {
  double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  std::vector<double> out(counts.size(), 0.0);
  if (total > 0) {
    for (size_t i = 0; i < counts.size(); ++i) out[i] = counts[i] / total;
  }
  return out;
}

std::string stem_of(const std::string& path) {
  size_t slash = path.find_last_of('/');
  size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return path;
  return path.substr(0, dot);
}

std::string base_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string chart_path(const std::string& stem, Feature f) { return stem + "_" + feature_id(f) + ".png"; }

void write_text(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw Error(path + ": cannot write the report");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(path + ": cannot write the report");
  }
}

void write_charts(const EvalReport& r, const std::string& stem) {
  for (int f = 0; f < kNumFeatures; ++f) {
    Feature feature = static_cast<Feature>(f);
    Chart chart;
    chart.title = feature_name(feature);
    chart.x_label = feature == Feature::kChordQuality ? "0 major, 1 minor, 2 dim, 3 aug, 4 dom7, 5 other 7th, 6 other"
                                                      : feature_name(feature);
    chart.y_label = "fraction";
    for (const GradedSet* set : {&r.generated, &r.bach}) {
      if (set->size() == 0) continue;
      Series s;
      s.name = set->name;
      s.y = normalized(set->features.counts[f]);
      for (int b = 0; b < bin_count(feature); ++b) s.x.push_back(bin_value(feature, b));
      chart.series.push_back(s);
    }
    write_chart(chart, chart_path(stem, feature));
  }
}

// ---- Markdown ----

void summary_section(std::ostringstream& md, const EvalReport& r) {
  const GradedSet& g = r.generated;
  const GradedSet& b = r.bach;
  md << "## The grader on the " << g.name << " set\n\n";
  md << "- Generated: " << g.size() << " pieces, " << g.total.notes << " notes, " << g.total.bars
     << " bars. Bach test chorales: " << b.size() << " pieces, " << b.total.notes << " notes, " << b.total.bars
     << " bars. Training set for the copying check: " << r.training_names.size() << " pieces.\n";
  md << "- Grade (0-100): generated mean " << fixed(spread_of(g.grades).mean, 1) << ", median "
     << fixed(median_of(g.grades), 1) << ", lowest " << fixed(min_of(g.grades), 1)
     << "; Bach test chorales (leave-one-out) mean " << fixed(spread_of(b.grades).mean, 1) << ", median "
     << fixed(median_of(b.grades), 1) << ", lowest " << fixed(min_of(b.grades), 1) << ".\n";
  int rules_pass = 0;
  for (int i = 0; i < kNumRules; ++i) {
    Rule rule = static_cast<Rule>(i);
    rules_pass += rule_passes(g.total.rate_per_note(rule), b.total.rate_per_note(rule)) ? 1 : 0;
  }
  int features_pass = 0;
  for (int f = 0; f < kNumFeatures; ++f) features_pass += within_spread(r, f) ? 1 : 0;
  md << "- Rules within twice Bach's rate: " << rules_pass << " of " << kNumRules
     << ". Distributions within Bach's spread: " << features_pass << " of " << kNumFeatures << ".\n";
  auto parallel = [](const RuleCounts& c) {
    return c.rate_per_note(Rule::kParallelFifths) + c.rate_per_note(Rule::kParallelOctaves);
  };
  auto contrary = [](const RuleCounts& c) { return c.rate_per_note(Rule::kContraryFifthsOctaves); };
  md << "- Parallel fifths and octaves per note: generated " << fixed(parallel(g.total), 4) << ", Bach "
     << fixed(parallel(b.total), 4) << "; with contrary motion (what music21's parallelFifth() counts): generated "
     << fixed(parallel(g.total) + contrary(g.total), 4) << ", Bach " << fixed(parallel(b.total) + contrary(b.total), 4)
     << ".\n";
  int longest = 0;
  for (int v = 1; v < kNumVoices; ++v) {
    for (const VoiceCopies& c : g.copies) longest = std::max(longest, c[v].length);
  }
  md << "- Longest stretch of alto, tenor or bass copied from the training set: " << longest << " notes.\n\n";
}

void rules_section(std::ostringstream& md, const EvalReport& r) {
  const RuleCounts& g = r.generated.total;
  const RuleCounts& b = r.bach.total;
  md << "## Voice-leading rules\n\n";
  table_head(md, {"Rule", "Generated per note", "Bach per note", "Ratio", "Generated bars affected",
                  "Bach bars affected", "Within 2x Bach"});
  auto ratio = [](double x, double y) { return y > 0 ? fixed(x / y, 2) : "n/a"; };
  for (int i = 0; i < kNumRules; ++i) {
    Rule rule = static_cast<Rule>(i);
    double gr = g.rate_per_note(rule), br = b.rate_per_note(rule);
    table_row(md, {rule_name(rule), fixed(gr, 4), fixed(br, 4), ratio(gr, br), percent(g.bar_fraction(rule)),
                   percent(b.bar_fraction(rule)), pass_text(rule_passes(gr, br))});
  }
  double gn = g.noncadential_fraction(), bn = b.noncadential_fraction();
  bool has_fermatas = g.fermatas > 0 && b.fermatas > 0;
  table_row(md, {"non-cadential fermatas (of fermatas)", g.fermatas ? percent(gn) : "n/a",
                 b.fermatas ? percent(bn) : "n/a", has_fermatas ? ratio(gn, bn) : "n/a", "", "",
                 has_fermatas ? pass_text(gn <= std::max(2 * bn, kMinCadenceReference)) : "n/a"});
  md << "\nRates are counts per note (note onsets of all four voices); bars affected is the fraction"
        " of bars with at least one breach. A rule passes when the generated rate is at most twice"
        " Bach's rate, or at most "
     << kRateTolerance
     << " per note where twice Bach's rate is smaller (in particular where Bach's rate is 0);"
        " the fermata row passes at most twice Bach's fraction or "
     << kMinCadenceReference << ". Leading tones checked: generated " << g.leading_tones << " ("
     << percent(g.leading_tones ? double(g.count(Rule::kUnresolvedLeadingTone)) / g.leading_tones : NAN)
     << " unresolved), Bach " << b.leading_tones << " ("
     << percent(b.leading_tones ? double(b.count(Rule::kUnresolvedLeadingTone)) / b.leading_tones : NAN)
     << " unresolved). Fermatas: generated " << g.fermatas << ", Bach " << b.fermatas
     << ". Rule definitions: src/eval/grader.h.\n\n";
}

void distributions_section(std::ostringstream& md, const EvalReport& r, const std::string& stem) {
  md << "## Distributions\n\n";
  table_head(md, {"Feature", "Pooled set to Bach", "Mean per piece to Bach", "Bach leave-one-out mean",
                  "Bach leave-one-out p90", "Within Bach's spread"});
  FeatureDistances pooled = distances(r.generated.features, r.bach.features);
  for (int f = 0; f < kNumFeatures; ++f) {
    table_row(md, {feature_name(static_cast<Feature>(f)), fixed(pooled[f], 3), fixed(mean_distance(r.generated, f), 3),
                   fixed(r.reference.spread[f].mean, 3), fixed(r.reference.spread[f].p90, 3),
                   r.generated.size() ? pass_text(within_spread(r, f)) : "n/a"});
  }
  md << "\nDistances are 1-D Wasserstein distances between normalized histograms over ordered bins,"
        " in semitones (pitch classes relative to the tonic, 0..11 on a line; intervals clipped to"
        " +-12) or ticks (note lengths, 1..16); chord quality has unordered bins and uses the total"
        " variation distance (0..1). A set is within Bach's spread when its mean per-piece distance"
        " to the pooled Bach test set is at most the 90th percentile of the distances of single"
        " Bach test chorales to the other test chorales. The pooled-set distance averages out"
        " piece-to-piece variation and is shown for reference.\n\n";
  table_head(md, {"Chord quality", r.generated.name, r.bach.name});
  const int q = static_cast<int>(Feature::kChordQuality);
  std::vector<double> gq = normalized(r.generated.features.counts[q]);
  std::vector<double> bq = normalized(r.bach.features.counts[q]);
  for (int i = 0; i < kNumChordQualities; ++i) {
    table_row(md, {chord_quality_name(static_cast<ChordQuality>(i)), percent(gq[i]), percent(bq[i])});
  }
  md << '\n';
  for (int f = 0; f < kNumFeatures; ++f) {
    Feature feature = static_cast<Feature>(f);
    md << "![" << feature_name(feature) << "](" << base_name(chart_path(stem, feature)) << ")\n";
  }
  md << '\n';
}

void copying_section(std::ostringstream& md, const EvalReport& r) {
  md << "## Copying from the training set\n\n";
  table_head(md, {"Voice", "Generated: longest", "Generated: median", "Where (generated / training)",
                  "Bach test: longest", "Bach test: median"});
  for (int v = 0; v < kNumVoices; ++v) {
    std::vector<double> g = copy_lengths(r.generated, v), b = copy_lengths(r.bach, v);
    int at = longest_copy_piece(r.generated, v);
    std::string where;
    if (at >= 0 && r.generated.copies[at][v].length > 0) {
      const CopyMatch& m = r.generated.copies[at][v];
      where = r.generated.piece_names[at] + " tick " + std::to_string(m.start_tick) + " / " +
              r.training_names[m.other_piece] + " tick " + std::to_string(m.other_start_tick);
    }
    double gmax = g.empty() ? NAN : *std::max_element(g.begin(), g.end());
    double bmax = b.empty() ? NAN : *std::max_element(b.begin(), b.end());
    table_row(md,
              {kVoiceNames[v], fixed(gmax, 0), fixed(median_of(g), 1), where, fixed(bmax, 0), fixed(median_of(b), 1)});
  }
  md << "\nLengths in notes: the longest stretch of consecutive notes with equal lengths and equal"
        " intervals (so transpositions match) found in the same voice of any training piece."
        " Bach reused hymn melodies across chorales, so long soprano matches are expected in Bach's"
        " test set, and in reharmonizations the soprano is given.\n\n";
}

void reharmonization_section(std::ostringstream& md, const Reharmonization& h) {
  if (h.pieces == 0) return;
  md << "## Reharmonization of Bach's sopranos\n\n";
  table_head(md, {"Measure", "Agreement with Bach"});
  for (int v = 1; v < kNumVoices; ++v) {
    table_row(md, {std::string(kVoiceNames[v]) + " notes", percent(h.note_agreement[v])});
  }
  table_row(md, {"chords (pitch-class sets)", percent(h.chord_agreement)});
  md << "\n"
     << h.pieces
     << " pieces. Note agreement: fraction of the ticks where Bach's voice sounds a note at which the"
        " generated voice sounds the same pitch; chord agreement: fraction of Bach's chord slices"
        " with the same set of pitch classes.";
  if (!h.note.empty()) md << ' ' << h.note;
  md << "\n\n";
}

void tables_section(std::ostringstream& md, const std::vector<Table>& tables) {
  for (const Table& t : tables) {
    md << "## " << t.title << "\n\n";
    table_head(md, t.columns);
    for (const auto& row : t.rows) table_row(md, row);
    if (!t.note.empty()) md << '\n' << t.note << '\n';
    md << '\n';
  }
}

void pieces_section(std::ostringstream& md, const GradedSet& set) {
  if (set.size() == 0) return;
  md << "## Pieces: " << set.name << "\n\n";
  table_head(md, {"Piece", "Notes", "Bars", "Grade", "Parallel 5ths/8ves", "Other breaches", "Cadential fermatas",
                  "Longest copy S/A/T/B"});
  for (int i = 0; i < set.size(); ++i) {
    const RuleCounts& c = set.counts[i];
    int parallel = c.count(Rule::kParallelFifths) + c.count(Rule::kParallelOctaves);
    int all = std::accumulate(c.violations.begin(), c.violations.end(), 0);
    std::string copies;
    if (i < static_cast<int>(set.copies.size())) {
      for (int v = 0; v < kNumVoices; ++v) {
        copies += (v ? "/" : "") + std::to_string(set.copies[i][v].length);
      }
    }
    table_row(md, {set.piece_names[i], std::to_string(c.notes), std::to_string(c.bars), fixed(set.grades[i], 1),
                   std::to_string(parallel), std::to_string(all - parallel),
                   std::to_string(c.cadential_fermatas) + "/" + std::to_string(c.fermatas), copies});
  }
  md << '\n';
}

std::string markdown(const EvalReport& r, const std::string& stem) {
  std::ostringstream md;
  md << "# " << r.title << "\n\n";
  for (const auto& [key, value] : r.facts) md << "- **" << key << "**: " << value << '\n';
  if (!r.facts.empty()) md << '\n';
  write_measure_markdown(md, r.measure);
  summary_section(md, r);
  rules_section(md, r);
  distributions_section(md, r, stem);
  copying_section(md, r);
  reharmonization_section(md, r.reharmonization);
  tables_section(md, r.tables);
  pieces_section(md, r.generated);
  md << "Grade: see src/eval/report.h. JSON with every number: " << base_name(stem) << ".json.\n";
  return md.str();
}

// ---- JSON ----

Json rules_json(const RuleCounts& c) {
  Json j;
  j["notes"] = c.notes;
  j["bars"] = c.bars;
  for (int i = 0; i < kNumRules; ++i) {
    Rule rule = static_cast<Rule>(i);
    j["rules"][rule_id(rule)] = {{"count", c.count(rule)},
                                 {"per_note", c.rate_per_note(rule)},
                                 {"bars_affected", c.bars_affected[i]},
                                 {"bar_fraction", c.bar_fraction(rule)}};
  }
  j["leading_tones"] = c.leading_tones;
  j["fermatas"] = c.fermatas;
  j["cadential_fermatas"] = c.cadential_fermatas;
  return j;
}

Json distances_json(const FeatureDistances& d) {
  Json j;
  for (int f = 0; f < kNumFeatures; ++f) j[feature_id(static_cast<Feature>(f))] = d[f];
  return j;
}

Json set_json(const GradedSet& set, const EvalReport& r) {
  Json j;
  j["name"] = set.name;
  j["pieces"] = set.size();
  j["total"] = rules_json(set.total);
  j["grade"] = {{"mean", spread_of(set.grades).mean}, {"median", median_of(set.grades)}, {"min", min_of(set.grades)}};
  for (int f = 0; f < kNumFeatures; ++f) {
    j["histograms"][feature_id(static_cast<Feature>(f))] = normalized(set.features.counts[f]);
  }
  j["distance_to_bach"]["pooled"] = distances_json(distances(set.features, r.bach.features));
  for (int f = 0; f < kNumFeatures; ++f) {
    j["distance_to_bach"]["mean_per_piece"][feature_id(static_cast<Feature>(f))] = mean_distance(set, f);
  }
  Json pieces = Json::array();
  for (int i = 0; i < set.size(); ++i) {
    Json p;
    p["name"] = set.piece_names[i];
    p["grade"] = set.grades[i];
    p["counts"] = rules_json(set.counts[i]);
    p["distance_to_bach"] = distances_json(set.distances[i]);
    if (i < static_cast<int>(set.copies.size())) {
      for (int v = 0; v < kNumVoices; ++v) {
        const CopyMatch& m = set.copies[i][v];
        p["copies"][kVoiceNames[v]] = {{"length", m.length},
                                       {"training_piece", m.other_piece >= 0 ? r.training_names[m.other_piece] : ""},
                                       {"start_tick", m.start_tick},
                                       {"training_start_tick", m.other_start_tick}};
      }
    }
    pieces.push_back(p);
  }
  j["per_piece"] = pieces;
  return j;
}

std::string json_text(const EvalReport& r) {
  Json j;
  j["title"] = r.title;
  for (const auto& [key, value] : r.facts) j["facts"][key] = value;
  if (r.measure.bach_pieces > 0) j["measure"] = measure_json(r.measure);
  j["generated"] = set_json(r.generated, r);
  j["bach_test"] = set_json(r.bach, r);
  Json ref;
  for (int i = 0; i < kNumRules; ++i) ref["rule_p90"][rule_id(static_cast<Rule>(i))] = r.reference.rule_p90[i];
  ref["noncadential_p90"] = r.reference.noncadential_p90;
  for (int f = 0; f < kNumFeatures; ++f) {
    ref["spread"][feature_id(static_cast<Feature>(f))] = {{"mean", r.reference.spread[f].mean},
                                                          {"p90", r.reference.spread[f].p90}};
  }
  j["reference"] = ref;
  j["training_pieces"] = r.training_names.size();
  if (r.reharmonization.pieces > 0) {
    const Reharmonization& h = r.reharmonization;
    j["reharmonization"] = {{"pieces", h.pieces},
                            {"note_agreement", h.note_agreement},
                            {"chord_agreement", h.chord_agreement},
                            {"note", h.note}};
  }
  Json tables = Json::array();
  for (const Table& t : r.tables) {
    tables.push_back({{"title", t.title}, {"columns", t.columns}, {"rows", t.rows}, {"note", t.note}});
  }
  j["tables"] = tables;
  return j.dump(2) + "\n";
}

}  // namespace

double piece_grade(const RuleCounts& counts, const FeatureDistances& distances, const Reference& reference) {
  double rules = 0;
  int rule_terms = 0;
  for (int i = 0; i < kNumRules; ++i) {
    rules += score_against(counts.rate_per_note(static_cast<Rule>(i)), rule_reference(reference.rule_p90[i]));
    ++rule_terms;
  }
  if (counts.fermatas > 0) {
    double ref = std::isfinite(reference.noncadential_p90) ? std::max(reference.noncadential_p90, kMinCadenceReference)
                                                           : kMinCadenceReference;
    rules += score_against(counts.noncadential_fraction(), ref);
    ++rule_terms;
  }
  double features = 0;
  int feature_terms = 0;
  for (int f = 0; f < kNumFeatures; ++f) {
    double p90 = reference.spread[f].p90;
    if (!std::isfinite(distances[f]) || !std::isfinite(p90) || p90 <= 0) continue;
    features += score_against(distances[f], p90);
    ++feature_terms;
  }
  double rule_score = rules / rule_terms;
  if (feature_terms == 0) return 100 * rule_score;
  return 50 * (rule_score + features / feature_terms);
}

EvalReport evaluate(const std::vector<Score>& generated, const std::vector<Score>& bach_test,
                    const std::vector<Score>& training, const music::VoiceRanges& ranges) {
  EvalReport report;
  std::vector<Features> bach_features, generated_features;
  report.bach = grade_set("Bach test chorales", bach_test, ranges, bach_features);
  report.generated = grade_set("generated", generated, ranges, generated_features);
  report.bach.distances = leave_one_out_distances(bach_features);
  report.reference = make_reference(report.bach);
  for (const Features& f : generated_features) {
    report.generated.distances.push_back(distances(f, report.bach.features));
  }
  for (GradedSet* set : {&report.generated, &report.bach}) {
    for (int i = 0; i < set->size(); ++i) {
      set->grades.push_back(piece_grade(set->counts[i], set->distances[i], report.reference));
    }
  }
  report.generated.copies = find_copies(generated, training);
  report.bach.copies = find_copies(bach_test, training);
  for (size_t i = 0; i < training.size(); ++i) report.training_names.push_back(piece_name(training[i], i));
  return report;
}

Reharmonization compare_reharmonizations(const std::vector<Score>& generated, const std::vector<Score>& originals) {
  if (generated.size() != originals.size()) {
    throw Error("reharmonization check: " + std::to_string(generated.size()) + " generated pieces for " +
                std::to_string(originals.size()) + " originals");
  }
  Reharmonization h;
  h.pieces = static_cast<int>(generated.size());
  std::array<long long, kNumVoices> same{}, sounding{};
  long long same_chords = 0, chords = 0;
  for (size_t i = 0; i < generated.size(); ++i) {
    auto g = sounding_pitches(generated[i]);
    auto o = sounding_pitches(originals[i]);
    int n = std::min(generated[i].length(), originals[i].length());
    for (int v = 0; v < kNumVoices; ++v) {
      for (int t = 0; t < n; ++t) {
        if (o[v][t] < 0) continue;
        ++sounding[v];
        same[v] += g[v][t] == o[v][t] ? 1 : 0;
      }
    }
    for (const ChordSlice& slice : chord_slices(originals[i])) {
      if (slice.tick >= n) break;
      int original = 0, mine = 0;
      for (int v = 0; v < kNumVoices; ++v) {
        if (slice.pitch[v] >= 0) original |= 1 << (slice.pitch[v] % 12);
        if (g[v][slice.tick] >= 0) mine |= 1 << (g[v][slice.tick] % 12);
      }
      ++chords;
      same_chords += original == mine ? 1 : 0;
    }
  }
  for (int v = 0; v < kNumVoices; ++v) {
    h.note_agreement[v] = sounding[v] ? static_cast<double>(same[v]) / sounding[v] : NAN;
  }
  h.chord_agreement = chords ? static_cast<double>(same_chords) / chords : NAN;
  return h;
}

void write_report(const EvalReport& report, const std::string& markdown_path) {
  std::error_code error;
  std::filesystem::path folder = std::filesystem::path(markdown_path).parent_path();
  if (!folder.empty()) std::filesystem::create_directories(folder, error);
  if (error) throw Error(markdown_path + ": cannot create the folder: " + error.message());
  std::string stem = stem_of(markdown_path);
  write_charts(report, stem);
  write_text(stem + ".json", json_text(report));
  write_text(markdown_path, markdown(report, stem));
}

}  // namespace dq::eval
