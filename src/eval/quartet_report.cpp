#include "eval/quartet_report.h"

#include <algorithm>
#include <map>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "corpus/corpus.h"
#include "corpus/dataset.h"
#include "eval/distributions.h"
#include "eval/markdown.h"
#include "eval/report.h"
#include "eval/style_classifier.h"
#include "model/batches.h"
#include "model/scoring.h"
#include "music/excerpt.h"
#include "music/harmony.h"
#include "sample/compose.h"
#include "util/error.h"
#include "util/progress.h"

namespace dq::eval {

using music::kNumVoices;
using music::Score;

namespace {

const char* const kInstruments[kNumVoices] = {"violin I", "violin II", "viola", "cello"};
const char* const kChoirVoices[kNumVoices] = {"soprano", "alto", "tenor", "bass"};

// Features that read what an opening does not have: a phrase structure of
// fermatas and an ending.
bool reads_the_ending(const std::string& name) {
  return name.rfind("fermatas: ", 0) == 0 || name.rfind("final chord: ", 0) == 0 ||
         name.rfind("non-cadential fermatas", 0) == 0;
}

// piece_features' voice names as the quartet's instruments.
std::string instrument_name(const std::string& name) {
  for (int v = 0; v < kNumVoices; ++v) {
    const std::string prefix = std::string(kChoirVoices[v]) + ": ";
    if (name.rfind(prefix, 0) == 0) return std::string(kInstruments[v]) + ": " + name.substr(prefix.size());
  }
  return name;
}

FeatureVector quartet_features(const Score& score, music::KeySignature key) {
  FeatureVector all = piece_feature_vector(score, key);
  FeatureVector kept;
  for (size_t i = 0; i < all.names.size(); ++i) {
    if (reads_the_ending(all.names[i])) continue;
    kept.names.push_back(instrument_name(all.names[i]));
    kept.values.push_back(all.values[i]);
  }
  add_quartet_texture_features(score, kept);
  return kept;
}

// One piece to measure: its score and the key it is read in.
struct Piece {
  Score score;
  music::KeySignature key;
};

// Real movements of one style, by split.
struct StyleMovements {
  std::vector<Piece> held_out;          // openings of valid and test movements
  std::vector<Piece> held_out_longer;   // the same with the bars after them (sample::open_end_ticks)
  std::vector<Piece> training;          // openings of training movements
  std::vector<Piece> training_windows;  // up to kWindowsPerMovement windows per training movement
  std::vector<const corpus::CorpusPiece*> held_out_movements;  // whole, for the model's metrics
};

// Consecutive windows of `bars` bars from the start of `score` (the first with
// its pickup), at most `count`; a last window shorter than `bars` bars is
// left out unless it is the only one.
std::vector<Piece> windows_of(const Score& score, music::KeySignature key, int bars, int count) {
  std::vector<Piece> windows;
  for (int from = 0; static_cast<int>(windows.size()) < count && from < score.length();) {
    Score rest = music::excerpt(score, from, score.length());
    const int length = music::end_of_opening(rest, bars);
    const bool complete = length < rest.length() || rest.bar_count() - (rest.pickup_ticks() > 0 ? 1 : 0) >= bars;
    if (!complete && !windows.empty()) break;
    windows.push_back({music::excerpt(rest, 0, length), key});
    from += length;
  }
  return windows;
}

std::map<std::string, StyleMovements> movements_by_style(const std::vector<corpus::CorpusPiece>& corpus, int bars) {
  std::map<std::string, StyleMovements> by_style;
  for (const corpus::CorpusPiece& p : corpus) {
    if (!p.accepted || p.style == "bach") continue;
    const music::KeySignature key = music::home_key(p.score);
    StyleMovements& m = by_style[p.style];
    const bool training = p.split == corpus::Split::kTrain;
    std::vector<Piece> windows = windows_of(p.score, key, bars, training ? kWindowsPerMovement : 1);
    if (windows.empty()) continue;
    if (training) {
      m.training.push_back(windows[0]);
      m.training_windows.insert(m.training_windows.end(), windows.begin(), windows.end());
    } else {
      m.held_out.push_back(windows[0]);
      const int beyond = sample::open_end_ticks(p.score.meta[0].time) / p.score.meta[0].time.ticks_per_bar();
      m.held_out_longer.push_back(windows_of(p.score, key, bars + beyond, 1)[0]);
      m.held_out_movements.push_back(&p);
    }
  }
  return by_style;
}

std::vector<std::vector<double>> feature_rows(const std::vector<Piece>& pieces, std::vector<std::string>* names) {
  std::vector<std::vector<double>> rows;
  for (const Piece& p : pieces) {
    FeatureVector f = quartet_features(p.score, p.key);
    if (names != nullptr && names->empty()) *names = f.names;
    rows.push_back(std::move(f.values));
  }
  return rows;
}

std::vector<Piece> generate_style(model::Model& model, const std::string& style, const std::vector<Piece>& real,
                                  const QuartetReportOptions& o, double& seconds_per_piece) {
  std::vector<Piece> pieces;
  std::mt19937_64 rng(o.sampling.seed);
  Progress bar("Generating (" + style + ")", o.generated, o.progress);
  for (int i = 0; i < o.generated; ++i) {
    const Piece& model_piece = real[rng() % real.size()];
    sample::PieceRequest r;
    r.bars = o.bars;
    r.key = model_piece.key;
    r.time = model_piece.score.meta[0].time;
    r.style = style;
    r.open_end = true;  // an opening, as the real ones are
    sample::SampleOptions so = o.sampling;
    so.progress = false;
    so.seed = o.sampling.seed + static_cast<uint64_t>(i);
    pieces.push_back({sample::generate(model, r, so)[0], r.key});
    bar.update(i + 1);
  }
  bar.finish();
  seconds_per_piece = bar.elapsed_seconds() / std::max(1, o.generated);
  return pieces;
}

// Violin I of each of the `real` openings kept, the other instruments
// written by the model in `style` with the quartet defaults. As the generated
// openings, each is written with the bars after it (`longer`: violin I as the
// movement goes on) and cut to its length.
std::vector<Piece> reharmonize_style(model::Model& model, const std::string& style, const std::vector<Piece>& real,
                                     const std::vector<Piece>& longer, const QuartetReportOptions& o) {
  constexpr uint64_t kSeedOffset = 100000;  // other draws than the generated pieces'
  std::vector<Piece> pieces;
  Progress bar("Reharmonizing (" + style + ")", static_cast<int>(real.size()), o.progress);
  for (size_t i = 0; i < real.size(); ++i) {
    sample::ReharmonizeRequest r;
    r.key = real[i].key;
    r.keep = {0};
    r.style = style;
    r.transpose = 0;
    sample::SampleOptions so = o.sampling;
    so.progress = false;
    so.seed = o.sampling.seed + kSeedOffset + static_cast<uint64_t>(i);
    const Score written = sample::reharmonize(model, longer[i].score, r, so)[0];
    pieces.push_back({music::excerpt(written, 0, real[i].score.length()), real[i].key});
    bar.update(static_cast<int>(i + 1));
  }
  bar.finish();
  return pieces;
}

// Per instrument, how often the reharmonizations play the real openings'
// notes (eval::compare_reharmonizations).
std::array<double, kNumVoices> agreement(const std::vector<Piece>& reharmonized, const std::vector<Piece>& real) {
  std::vector<Score> written, originals;
  for (const Piece& p : reharmonized) written.push_back(p.score);
  for (const Piece& p : real) originals.push_back(p.score);
  return compare_reharmonizations(written, originals).note_agreement;
}

bool is_texture_feature(const std::string& name) {
  if (name.rfind("notes of ", 0) == 0) return true;
  for (const char* instrument : kInstruments) {
    const std::string prefix = std::string(instrument) + ": ";
    if (name.rfind(prefix, 0) != 0) continue;
    const std::string what = name.substr(prefix.size());
    if (what == "repeated notes" || what == "rests (of ticks)" || what == "mean pitch (MIDI)" ||
        what == "notes of a 16th") {
      return true;
    }
  }
  return name == "rests (of voice-ticks)";
}

std::vector<TextureRow> texture_rows(const std::vector<std::vector<double>>& generated,
                                     const std::vector<std::vector<double>>& real,
                                     const std::vector<std::string>& names) {
  std::vector<TextureRow> rows;
  for (size_t f = 0; f < names.size(); ++f) {
    if (!is_texture_feature(names[f])) continue;
    TextureRow row;
    row.name = names[f];
    std::vector<double> values;
    for (const auto& r : real) values.push_back(r[f]);
    for (const auto& g : generated) row.generated_mean += g[f] / static_cast<double>(generated.size());
    for (double v : values) row.real_mean += v / static_cast<double>(values.size());
    row.real_p10 = percentile(values, 0.1);
    row.real_p90 = percentile(values, 0.9);
    rows.push_back(row);
  }
  return rows;
}

std::string sampling_text(const model::Model& model, const sample::SampleOptions& so) {
  return (so.iterations > 0 ? std::to_string(so.iterations) + " sweeps"
                            : std::string("the styles' own sweeps (after a chronological start, that pass alone)")) +
         ", temperature " + fixed(so.start_temperature, 2) + " -> " + fixed(so.temperature, 2) + ", start " +
         (sample::starts_chronologically(model, so) ? "chronological" : "noise") +
         (so.keep_rhythm && sample::starts_chronologically(model, so) ? ", rhythm of the first pass kept" : "") +
         (so.pass_order == sample::PassOrder::kAuto    ? ", the styles' own voice order in the first pass (score "
                                                         "order for quartet styles)"
          : so.pass_order == sample::PassOrder::kScore ? ", the first pass in score order"
                                                       : ", the first pass in a random voice order per tick") +
         ", " +
         (so.voice_leading_penalty > 0 ? "voice-leading prior " + fixed(so.voice_leading_penalty, 1) + " nats per fault"
          : so.voice_leading_penalty < 0 ? std::string("the styles' own voice-leading prior (none for quartet styles)")
                                         : std::string("no voice-leading prior")) +
         (so.style_guidance < 0
              ? std::string(", the styles' own style guidance (1 for Haydn and Beethoven, 0.75 for Mozart)")
              : ", style guidance " + fixed(so.style_guidance, 2)) +
         ", no fermatas, seed " + std::to_string(so.seed) + ", " + std::to_string(so.threads) + " thread(s)";
}

void check_style(const model::Model& model, const std::string& style, const StyleMovements* m,
                 const QuartetReportOptions& o) {
  sample::style_index(model, style);  // throws for a style the model lacks
  const int folds = o.classifier.folds;
  if (m == nullptr || static_cast<int>(m->held_out.size()) < folds || static_cast<int>(m->training.size()) < folds) {
    throw Error("the quartet corpus has too few movements of style " + style +
                " (held out: " + std::to_string(m ? m->held_out.size() : 0) +
                ", training: " + std::to_string(m ? m->training.size() : 0) + "; the classifier test needs " +
                std::to_string(folds) + " of each)");
  }
}

}  // namespace

void add_quartet_texture_features(const Score& score, FeatureVector& features) {
  for (int v = 0; v < kNumVoices; ++v) {
    int rests = 0, notes = 0, sixteenths = 0;
    double pitch_sum = 0;
    for (const music::Note& n : music::voice_notes(score, v)) {
      ++notes;
      pitch_sum += n.pitch;
      sixteenths += n.length == 1;
    }
    for (music::Token t : score.voices[v]) rests += t == music::kRest;
    const std::string name = std::string(kInstruments[v]) + ": ";
    features.names.push_back(name + "rests (of ticks)");
    features.values.push_back(score.length() > 0 ? static_cast<double>(rests) / score.length() : 0.0);
    features.names.push_back(name + "mean pitch (MIDI)");
    features.values.push_back(notes > 0 ? pitch_sum / notes : 0.0);
    features.names.push_back(name + "notes of a 16th");
    features.values.push_back(notes > 0 ? static_cast<double>(sixteenths) / notes : 0.0);
  }
}

QuartetReport run_quartet_report(model::Model& model, const std::string& model_path, const QuartetReportOptions& o) {
  if (o.corpus.empty()) throw Error("the quartet evaluation needs the quartet corpus (--quartets FILES...)");
  const std::vector<corpus::CorpusPiece> corpus = corpus::load_corpus(o.corpus, 2, o.progress);
  std::map<std::string, StyleMovements> movements = movements_by_style(corpus, o.bars);
  for (const std::string& style : o.styles) {
    auto it = movements.find(style);
    check_style(model, style, it == movements.end() ? nullptr : &it->second, o);
  }

  QuartetReport report;
  report.facts.push_back({"model", model_path});
  report.facts.push_back({"corpus", std::to_string(o.corpus.size()) + " files or folders, " +
                                        std::to_string(corpus.size()) + " pieces read"});
  report.facts.push_back({"sampling", sampling_text(model, o.sampling)});
  report.facts.push_back({"pieces", std::to_string(o.generated) + " generated per style, " + std::to_string(o.bars) +
                                        " bars each, openings (the model told the music goes on: "
                                        "sample::PieceRequest::open_end); real: the opening " +
                                        std::to_string(o.bars) + " bars of each movement"});

  // The style classifier, on the training movements of every quartet style.
  std::vector<std::string> names;
  std::vector<std::vector<double>> train_rows;
  std::vector<int> train_labels;
  for (const auto& [style, m] : movements) {
    report.classifier_styles.push_back(style);
    for (auto& row : feature_rows(m.training_windows, &names)) {
      train_rows.push_back(std::move(row));
      train_labels.push_back(static_cast<int>(report.classifier_styles.size()) - 1);
    }
  }
  const StyleClassifier classifier(train_rows, train_labels, report.classifier_styles);
  report.classifier_training_pieces = static_cast<int>(train_rows.size());
  report.features = static_cast<int>(names.size());
  const int classes = static_cast<int>(report.classifier_styles.size());
  std::map<std::string, std::vector<std::vector<double>>> held_out_rows;
  for (const auto& [style, m] : movements) {
    held_out_rows[style] = feature_rows(m.held_out, nullptr);
    std::vector<int> row(classes, 0);
    for (const auto& f : held_out_rows[style]) ++row[classifier.predict(f)];
    report.held_out_confusion.push_back(row);
  }

  for (const std::string& style : o.styles) {
    const StyleMovements& m = movements.at(style);
    StyleResult r;
    r.style = style;
    r.real_pieces = static_cast<int>(m.held_out.size());
    const std::vector<Piece> generated = generate_style(model, style, m.held_out, o, r.seconds_per_piece);
    r.generated_pieces = static_cast<int>(generated.size());
    const auto generated_rows = feature_rows(generated, nullptr);
    const auto& real_rows = held_out_rows.at(style);
    r.generated_vs_real = two_sample_test(generated_rows, real_rows, names, o.classifier);
    TwoSampleOptions floor_options = o.classifier;
    floor_options.max_per_class = std::max(o.classifier.max_per_class, r.generated_pieces);
    r.floor = two_sample_test(feature_rows(m.training, nullptr), real_rows, names, floor_options);
    r.texture = texture_rows(generated_rows, real_rows, names);
    r.labelled_as.assign(classes, 0);
    for (const auto& f : generated_rows) ++r.labelled_as[classifier.predict(f)];
    const std::vector<Piece> reharmonized = reharmonize_style(model, style, m.held_out, m.held_out_longer, o);
    const auto reharmonized_rows = feature_rows(reharmonized, nullptr);
    r.reharmonized_pieces = static_cast<int>(reharmonized.size());
    r.reharmonized_vs_real = two_sample_test(reharmonized_rows, real_rows, names, o.classifier);
    r.reharmonized_texture = texture_rows(reharmonized_rows, real_rows, names);
    r.reharmonized_labelled_as.assign(classes, 0);
    for (const auto& f : reharmonized_rows) ++r.reharmonized_labelled_as[classifier.predict(f)];
    r.reharmonized_agreement = agreement(reharmonized, m.held_out);
    const corpus::SplitTensors split =
        corpus::encode_split(m.held_out_movements, model.config.vocab, model.config.styles, {0});
    const model::VoiceScores scores = model::score_split(model, model::SplitView(split));
    r.model_loss = scores.mean_loss();
    r.model_accuracy = scores.mean_accuracy();
    for (double a : scores.onset_accuracy) r.model_onset_accuracy += a / kNumVoices;
    report.styles.push_back(std::move(r));
  }
  return report;
}

namespace {

int index_of(const std::vector<std::string>& list, const std::string& item) {
  auto it = std::find(list.begin(), list.end(), item);
  return it == list.end() ? -1 : static_cast<int>(it - list.begin());
}

// The share of `pieces` pieces asked for in `style` that the style
// classifier labels with it (`labelled`: pieces per classifier style).
double own_share(const QuartetReport& report, const std::string& style, const std::vector<int>& labelled, int pieces) {
  const int own = index_of(report.classifier_styles, style);
  return own < 0 || pieces == 0 ? 0.0 : static_cast<double>(labelled[own]) / pieces;
}

double own_style_share(const QuartetReport& report, const StyleResult& r) {
  return own_share(report, r.style, r.labelled_as, r.generated_pieces);
}

double reharmonized_own_style_share(const QuartetReport& report, const StyleResult& r) {
  return own_share(report, r.style, r.reharmonized_labelled_as, r.reharmonized_pieces);
}

int texture_within(const std::vector<TextureRow>& rows) {
  return static_cast<int>(std::count_if(rows.begin(), rows.end(), [](const TextureRow& t) { return t.within(); }));
}

std::string accuracy_cell(const TwoSampleResult& t) { return fixed(t.logistic.mean, 2) + " / " + fixed(t.mlp.mean, 2); }

// The features that separate `set` (pieces of `style`, `column` in the
// table's head) from the real openings most, largest first.
void separating_features(std::ostringstream& md, const std::string& style, const std::string& set,
                         const std::string& column, const TwoSampleResult& test) {
  md << "\n### " << style << ": what separates the " << set << " from the real openings\n\n";
  table_head(md, {"Feature", column, "real", "Difference (pooled sd)"});
  for (const SeparatingFeature& f : test.separating) {
    table_row(md, {f.name, fixed(f.mean_a, 3), fixed(f.mean_b, 3), fixed(f.effect, 2)});
  }
}

void separating_table(std::ostringstream& md, const StyleResult& r) {
  separating_features(md, r.style, "generated pieces", "generated", r.generated_vs_real);
  md << "\n### " << r.style << ": texture against the real openings' spread\n\n";
  table_head(md, {"Feature", "generated (mean)", "real (mean)", "real 10th-90th percentile", "within"});
  for (const TextureRow& t : r.texture) {
    table_row(md, {t.name, fixed(t.generated_mean, 3), fixed(t.real_mean, 3),
                   fixed(t.real_p10, 3) + " - " + fixed(t.real_p90, 3), t.within() ? "yes" : "no"});
  }
  md << "\n" << texture_within(r.texture) << " of " << r.texture.size() << " within the real spread.\n";
  separating_features(md, r.style, "reharmonizations", "reharmonized", r.reharmonized_vs_real);
}

std::string markdown(const QuartetReport& report) {
  std::ostringstream md;
  md << "# deepquartet quartet evaluation\n\n";
  for (const auto& [name, value] : report.facts) md << "- **" << name << "**: " << value << "\n";
  md << "\n## Can a classifier tell the generated pieces from real movements of the style?\n\n";
  table_head(md, {"Style", "Real openings (held out)", "Generated", "Generated vs real (logistic / MLP)",
                  "Real vs real: training vs held-out openings (floor)", "Most separating feature",
                  "Style classifier: generated labelled as its own style", "s per piece"});
  for (const StyleResult& r : report.styles) {
    const std::string top = r.generated_vs_real.separating.empty() ? "" : r.generated_vs_real.separating[0].name;
    table_row(md, {r.style, std::to_string(r.real_pieces), std::to_string(r.generated_pieces),
                   accuracy_cell(r.generated_vs_real), accuracy_cell(r.floor), top, percent(own_style_share(report, r)),
                   fixed(r.seconds_per_piece, 2)});
  }
  md << "\nHeld-out accuracy of a classifier telling the two sets apart (chance 0.5), mean over the repeats of "
        "stratified cross-validation on balanced classes (src/eval/two_sample.h), on "
     << report.features
     << " features per piece: those of the chorale evaluation (src/eval/piece_features.h) less the fermata "
        "cadences and the final chord, plus per instrument its rests, mean pitch and 16th notes. The floor compares "
        "openings of movements the model trained on with the held-out ones, at the size of the generated set.\n";

  md << "\n## Quartet reharmonization: violin I of each held-out opening kept\n\n";
  table_head(md, {"Style", "Openings", "Reharmonized vs real (logistic / MLP)", "Most separating feature",
                  "Style classifier: labelled as its own style", "Violin II / viola / cello play the composer's notes",
                  "Texture within the real spread"});
  for (const StyleResult& r : report.styles) {
    const std::string top = r.reharmonized_vs_real.separating.empty() ? "" : r.reharmonized_vs_real.separating[0].name;
    const auto& a = r.reharmonized_agreement;
    table_row(md, {r.style, std::to_string(r.reharmonized_pieces), accuracy_cell(r.reharmonized_vs_real), top,
                   percent(reharmonized_own_style_share(report, r)),
                   percent(a[1]) + " / " + percent(a[2]) + " / " + percent(a[3]),
                   std::to_string(texture_within(r.reharmonized_texture)) + " of " +
                       std::to_string(r.reharmonized_texture.size())});
  }
  md << "\nThe seed's use: a tune harmonized as a quartet. Violin I of every held-out opening is kept note for note "
        "(in its key, untransposed; with the bars after it, as the movement goes on, then cut) and the model writes "
        "violin II, viola and cello in the style with its quartet defaults; the classifier compares the results with "
        "the same openings as the composer wrote them, so "
        "violin I's features are equal in both sets and what separates them is the accompaniment.\n";

  md << "\n## Style classifier\n\nA multinomial logistic regression (src/eval/style_classifier.h) trained on "
     << report.classifier_training_pieces << " windows of the training movements (up to " << kWindowsPerMovement
     << " per movement), every style weighted equally. Rows: the true style (held-out openings) or the style "
        "asked for (generated); columns: the style it labels them with.\n\n";
  std::vector<std::string> head = {"Set"};
  for (const auto& s : report.classifier_styles) head.push_back(s);
  head.push_back("labelled right");
  table_head(md, head);
  for (size_t i = 0; i < report.classifier_styles.size(); ++i) {
    const std::vector<int>& row = report.held_out_confusion[i];
    int total = 0;
    std::vector<std::string> cells = {"real " + report.classifier_styles[i] + " (held out)"};
    for (int n : row) {
      cells.push_back(std::to_string(n));
      total += n;
    }
    cells.push_back(percent(total > 0 ? static_cast<double>(row[i]) / total : 0.0));
    table_row(md, cells);
  }
  for (const StyleResult& r : report.styles) {
    std::vector<std::string> cells = {"generated " + r.style};
    for (int n : r.labelled_as) cells.push_back(std::to_string(n));
    cells.push_back(percent(own_style_share(report, r)));
    table_row(md, cells);
  }
  for (const StyleResult& r : report.styles) {
    std::vector<std::string> cells = {"reharmonized " + r.style};
    for (int n : r.reharmonized_labelled_as) cells.push_back(std::to_string(n));
    cells.push_back(percent(reharmonized_own_style_share(report, r)));
    table_row(md, cells);
  }
  md << "\n## The model on the held-out movements\n\n";
  table_head(md, {"Style", "Movements", "loss (nats)", "accuracy (all ticks)", "accuracy (note onsets)"});
  for (const StyleResult& r : report.styles) {
    table_row(md, {r.style, std::to_string(r.real_pieces), fixed(r.model_loss, 4), fixed(r.model_accuracy, 4),
                   fixed(r.model_onset_accuracy, 4)});
  }
  md << "\nWhole movements in their own keys, every sixteenth of every voice given all the others (the "
        "training's validation measure); onsets only is the harder figure.\n";
  for (const StyleResult& r : report.styles) separating_table(md, r);
  return md.str();
}

nlohmann::ordered_json json_of(const TwoSampleResult& t) {
  return {{"pieces_per_class", t.pieces_per_class},
          {"logistic", t.logistic.mean},
          {"logistic_std", t.logistic.std},
          {"mlp", t.mlp.mean},
          {"mlp_std", t.mlp.std}};
}

nlohmann::ordered_json json_of(const std::vector<TextureRow>& rows) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const TextureRow& t : rows) {
    j.push_back({{"name", t.name},
                 {"generated_mean", t.generated_mean},
                 {"real_mean", t.real_mean},
                 {"real_p10", t.real_p10},
                 {"real_p90", t.real_p90},
                 {"within", t.within()}});
  }
  return j;
}

nlohmann::ordered_json json_of(const QuartetReport& report) {
  nlohmann::ordered_json j;
  j["facts"] = nlohmann::ordered_json::object();
  for (const auto& [name, value] : report.facts) j["facts"][name] = value;
  j["classifier_styles"] = report.classifier_styles;
  j["held_out_confusion"] = report.held_out_confusion;
  j["styles"] = nlohmann::ordered_json::array();
  for (const StyleResult& r : report.styles) {
    nlohmann::ordered_json s = {{"style", r.style},
                                {"real_pieces", r.real_pieces},
                                {"generated_pieces", r.generated_pieces},
                                {"seconds_per_piece", r.seconds_per_piece},
                                {"generated_vs_real", json_of(r.generated_vs_real)},
                                {"floor", json_of(r.floor)},
                                {"labelled_as", r.labelled_as},
                                {"model_loss", r.model_loss},
                                {"model_accuracy", r.model_accuracy},
                                {"model_onset_accuracy", r.model_onset_accuracy},
                                {"own_style_share", own_style_share(report, r)}};
    s["texture"] = json_of(r.texture);
    s["reharmonized"] = {{"pieces", r.reharmonized_pieces},
                         {"vs_real", json_of(r.reharmonized_vs_real)},
                         {"labelled_as", r.reharmonized_labelled_as},
                         {"own_style_share", reharmonized_own_style_share(report, r)},
                         {"note_agreement", r.reharmonized_agreement},
                         {"texture", json_of(r.reharmonized_texture)}};
    j["styles"].push_back(s);
  }
  return j;
}

}  // namespace

void write_quartet_report(const QuartetReport& report, const std::string& path) {
  write_markdown_and_json(path, markdown(report), json_of(report).dump(2) + "\n");
}

}  // namespace dq::eval
