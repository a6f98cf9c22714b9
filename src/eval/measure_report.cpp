#include "eval/measure_report.h"

#include <functional>
#include <string>
#include <vector>

#include "eval/markdown.h"

namespace dq::eval {

using Json = nlohmann::ordered_json;

namespace {

std::string accuracy_text(const Accuracy& a) { return fixed(a.mean, 3) + " ± " + fixed(a.std, 3); }

// The floor first, then the conditions.
std::vector<const ConditionResult*> all_rows(const MeasureReport& r) {
  std::vector<const ConditionResult*> rows{&r.floor};
  for (const ConditionResult& c : r.conditions) rows.push_back(&c);
  return rows;
}

void accuracy_section(std::ostringstream& md, const MeasureReport& r) {
  md << "## The honest measure: can a classifier tell these chorales from Bach's?\n\n";
  table_head(md, {"Set (against Bach's " + std::to_string(r.bach_pieces) + " test chorales)", "Pieces", "Per class",
                  "Logistic regression", "MLP", "Most separating feature"});
  for (const ConditionResult* c : all_rows(r)) {
    const auto& s = c->against_bach.separating;
    table_row(md, {c->name, std::to_string(c->pieces), std::to_string(c->against_bach.pieces_per_class),
                   accuracy_text(c->against_bach.logistic), accuracy_text(c->against_bach.mlp),
                   s.empty() ? "" : s.front().name});
  }
  const TwoSampleOptions& o = r.options;
  md << "\nHeld-out accuracy of a classifier telling the set from Bach's test chorales (chance "
        "0.5; 1.0: always told apart), mean ± standard deviation over "
     << o.repeats << " repeats of stratified " << o.folds
     << "-fold cross-validation on balanced classes (the larger set subsampled at random), " << r.features
     << " features per piece standardized on the training folds (src/eval/piece_features.h):"
        " L2-regularized logistic regression (l2 "
     << o.logistic.l2 << ", " << o.logistic.epochs << " epochs of Adam) and an MLP (one hidden "
     << "layer of " << o.mlp_hidden << ", weight decay " << o.mlp.l2 << ", " << o.mlp.epochs
     << " epochs). The first row is Bach against Bach with as many pieces "
        "per class as the largest set below: the floor to read the others against (a few "
        "points under 0.5 for sets this small; see src/eval/two_sample.h).\n\n";
}

struct TonalRow {
  std::string label;
  std::function<std::string(const TonalMeasures&)> value;
};

std::vector<TonalRow> tonal_rows() {
  std::vector<TonalRow> rows = {
      {"first chord on the tonic asked for", [](auto& m) { return percent(m.first_on_tonic); }},
      {"final chord on the tonic asked for", [](auto& m) { return percent(m.final_on_tonic); }},
      {"key found from the notes (Krumhansl-Schmuckler) = key asked for",
       [](auto& m) { return percent(m.key_found); }}};
  for (int c = 0; c < kNumCadences; ++c) {
    rows.push_back({std::string("fermatas: ") + cadence_name(static_cast<Cadence>(c)) + " cadence",
                    [c](auto& m) { return percent(m.cadences[c]); }});
  }
  rows.push_back({"notes outside the key's scale", [](auto& m) { return percent(m.outside_scale); }});
  rows.push_back({"notes of an eighth or shorter", [](auto& m) { return percent(m.short_notes); }});
  rows.push_back({"chord changes per bar", [](auto& m) { return fixed(m.changes_per_bar, 2); }});
  rows.push_back({"root falls a fifth (of chord changes)", [](auto& m) { return percent(m.falling_fifths); }});
  rows.push_back({"parallel fifths + octaves per note", [](auto& m) { return fixed(m.parallels_per_note, 4); }});
  return rows;
}

void tonal_section(std::ostringstream& md, const MeasureReport& r) {
  md << "## Tonal measures\n\n";
  std::vector<std::string> columns{"Measure", "Bach test"};
  for (const ConditionResult* c : all_rows(r)) columns.push_back(c->name);
  table_head(md, columns);
  for (const TonalRow& row : tonal_rows()) {
    std::vector<std::string> cells{row.label, row.value(r.bach_tonal)};
    for (const ConditionResult* c : all_rows(r)) cells.push_back(row.value(c->tonal));
    table_row(md, cells);
  }
  md << "\nEach piece read in the key it is in: Bach's from its key signature (the mode, where "
        "the file has none, from its final chord), a generated or reharmonized piece in the key "
        "asked for. Cadence types are fractions of the fermatas; notes, per note onset of all "
        "four voices. Definitions: src/eval/tonal.h and src/eval/progression.h.\n\n";
}

void separating_section(std::ostringstream& md, const MeasureReport& r) {
  md << "## What separates each set from Bach\n\n";
  for (const ConditionResult* c : all_rows(r)) {
    md << "### " << c->name << "\n\n";
    table_head(md, {"Feature", c->name, "Bach test", "Difference (pooled sd)"});
    for (const SeparatingFeature& f : c->against_bach.separating) {
      table_row(md, {f.name, fixed(f.mean_a, 3), fixed(f.mean_b, 3), fixed(f.effect, 2)});
    }
    md << '\n';
  }
  md << "Mean per piece of the features whose means differ most, in pooled standard deviations "
        "of the two sets (positive: the set has more than Bach). The Bach-against-Bach table "
        "shows how large a difference chance alone makes.\n\n";
}

Json accuracy_json(const Accuracy& a) { return {{"mean", a.mean}, {"std", a.std}, {"per_repeat", a.per_repeat}}; }

Json tonal_json(const TonalMeasures& m) {
  Json j = {{"pieces", m.pieces},
            {"first_on_tonic", m.first_on_tonic},
            {"final_on_tonic", m.final_on_tonic},
            {"key_found", m.key_found},
            {"fermatas", m.fermatas}};
  for (int c = 0; c < kNumCadences; ++c) {
    j["cadences"][cadence_name(static_cast<Cadence>(c))] = m.cadences[c];
  }
  j["outside_scale"] = m.outside_scale;
  j["short_notes"] = m.short_notes;
  j["changes_per_bar"] = m.changes_per_bar;
  j["falling_fifths"] = m.falling_fifths;
  j["parallels_per_note"] = m.parallels_per_note;
  return j;
}

Json condition_json(const ConditionResult& c) {
  Json j = {{"id", c.id}, {"name", c.name}, {"description", c.description}, {"pieces", c.pieces}};
  j["pieces_per_class"] = c.against_bach.pieces_per_class;
  j["logistic"] = accuracy_json(c.against_bach.logistic);
  j["mlp"] = accuracy_json(c.against_bach.mlp);
  Json separating = Json::array();
  for (const SeparatingFeature& f : c.against_bach.separating) {
    separating.push_back({{"feature", f.name}, {"mean", f.mean_a}, {"bach_mean", f.mean_b}, {"effect", f.effect}});
  }
  j["separating"] = separating;
  j["tonal"] = tonal_json(c.tonal);
  return j;
}

}  // namespace

void write_measure_markdown(std::ostringstream& md, const MeasureReport& report) {
  if (report.bach_pieces == 0) return;
  accuracy_section(md, report);
  tonal_section(md, report);
  separating_section(md, report);
}

Json measure_json(const MeasureReport& r) {
  const TwoSampleOptions& o = r.options;
  Json j;
  j["bach_test_pieces"] = r.bach_pieces;
  j["features"] = r.features;
  j["classifier"] = {{"folds", o.folds},
                     {"repeats", o.repeats},
                     {"seed", o.seed},
                     {"logistic_l2", o.logistic.l2},
                     {"logistic_epochs", o.logistic.epochs},
                     {"mlp_hidden", o.mlp_hidden},
                     {"mlp_weight_decay", o.mlp.l2},
                     {"mlp_epochs", o.mlp.epochs}};
  j["bach_test_tonal"] = tonal_json(r.bach_tonal);
  j["floor"] = condition_json(r.floor);
  Json conditions = Json::array();
  for (const ConditionResult& c : r.conditions) conditions.push_back(condition_json(c));
  j["conditions"] = conditions;
  return j;
}

}  // namespace dq::eval
