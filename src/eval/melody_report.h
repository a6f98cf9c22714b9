// The melody report (`deepquartet eval --melodies DIR`): every melody of a
// folder harmonized as a user would (reharmonize with its defaults), and
// what a church musician checks in each result:
// - the melody kept note for note (up to the reported transposition);
// - the key detected, the transposition, the fermatas (from the file or
//   inferred) and the cadences at them (eval/progression.h);
// - the final chord on the tonic of the detected key, beside whether the
//   tune itself ends on the tonic (one that ends elsewhere, a modal tune,
//   may rightly end on another chord);
// - no lower voice attacking a note while the melody rests;
// - harmonic rhythm against the meter: the fraction of chord changes that
//   fall on a beat (Score::beat_position 0: the dotted quarter in 6/8),
//   beside the same figure for Bach's test chorales in 3/4 and in 4/4.
//   A chord change here is a change of root between consecutive chord
//   slices (ticks where some voice starts a note and all four sound a chord
//   with a root, eval/progression.h's chord_at).
// - passing motion: notes of an eighth or shorter.
#pragma once

#include <string>
#include <vector>

#include "eval/report.h"
#include "eval/tonal.h"
#include "model/model.h"
#include "sample/sampler.h"

namespace dq::eval {

// Chord changes of one piece by where they fall.
struct HarmonicRhythm {
  int on_beat = 0;
  int off_beat = 0;
  HarmonicRhythm& operator+=(const HarmonicRhythm& other);
  double on_beat_fraction() const;  // 0 without changes
};

HarmonicRhythm harmonic_rhythm(const music::Score& score);

// Notes of voices 1-3 that start on a tick where voice 0 rests.
int attacks_under_melody_rests(const music::Score& score);

struct MelodyResult {
  std::string file;
  std::string meters;  // "6/8", "4/4, 6/8"
  int notes = 0;
  std::string key;  // detected
  int transposition = 0;
  int fermatas = 0;
  std::string fermatas_from;   // "file", "phrase marks" or "inferred"
  bool melody_kept = false;    // note for note (up to the transposition)
  bool spelling_kept = false;  // and every note written with the file's letter
  bool tune_ends_on_tonic = false;
  TonalCounts tonal;
  HarmonicRhythm rhythm;
  int attacks_under_rests = 0;
  double seconds = 0;
  std::string error;  // non-empty: the melody could not be harmonized (why)
};

struct MelodyReportOptions {
  std::string melodies;     // folder, searched recursively for .mid .midi .musicxml .xml .mxl .krn
  std::string bach_corpus;  // for Bach's harmonic-rhythm figures ("" or missing: left out)
  sample::SampleOptions sampling;
  bool progress = true;
};

struct MelodyReport {
  std::string folder;  // the melodies' folder (names in the report are relative to it)
  std::vector<std::pair<std::string, std::string>> facts;
  std::vector<MelodyResult> melodies;
  // Bach's test chorales (empty without the corpus): their tonal counts,
  // each read in music::home_key, and their chord changes by meter ("3/4",
  // "4/4").
  TonalCounts bach_tonal;
  int bach_attacks_under_rests = 0;
  std::vector<std::pair<std::string, HarmonicRhythm>> bach_rhythm;
};

// Harmonizes every melody of options.melodies with `model`; a melody that
// fails is reported with its error, not thrown. Throws dq::Error when the
// folder holds no melody files.
MelodyReport run_melody_report(model::Model& model, const std::string& model_path, const MelodyReportOptions& options);

// Writes the report as Markdown to `path` and as JSON beside it (.json),
// atomically.
void write_melody_report(const MelodyReport& report, const std::string& path);

}  // namespace dq::eval
