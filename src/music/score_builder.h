// ScoreBuilder: the one place where notes with exact timing become a Score on
// the 16th-note grid. Every reader (MusicXML, kern, MIDI) feeds it parts of
// notes in quarter-note fractions plus key, time and measure events, and
// build() applies the quantization policy and the part selection, counting
// what it changed in Score::quantization.
//
// Quantization policy (documented in the README):
// - Onsets and ends are rounded to the nearest 16th (ties go up). A note
//   whose rounded length is zero (32nds, fast tuplets) is dropped.
// - Grace notes are dropped.
// - Ties are merged into one note (spelled as its first part).
// - Several notes starting together in one part (chords, double stops): the
//   highest is kept, except in the lowest voice where the lowest is kept.
// - Several layers in one part (MusicXML <voice>, kern sub-spines): the
//   lowest-numbered layer with notes is kept, the others are dropped.
// - A note still sounding when the next note of its voice starts is cut there.
// - Repeats are not expanded: the music is read in notated order, once.
// - Fermatas: a tick has a fermata when it is covered by the top voice's note
//   (or rest) that carries a fermata, or that sounds where a lower voice's
//   fermata is written.
//
// Part selection: a file with up to four parts keeps them all, top to bottom
// in file order (a silent part stays a silent voice; a melody alone fills the
// top voice and the others are rests). With more parts, only those with notes
// count; if more than four remain, the caller must choose (select_parts),
// else build() fails with a clear error.
#pragma once

#include <string>
#include <vector>

#include "music/rational.h"
#include "music/score.h"

namespace dq::music {

// One note (or rest) as written in the file.
struct NoteEvent {
  int part = 0;                    // 0-based part (staff group / spine / track) in file order, top first
  int layer = 0;                   // voice within the part (MusicXML <voice>, kern sub-spine); lower = primary
  Rational onset;                  // in quarter notes from the start of the piece (>= 0)
  Rational duration;               // in quarter notes (> 0; grace notes may give 0)
  int pitch = kRest;               // MIDI pitch 0..127, or kRest
  Letter letter = kUnspelled;      // the letter the file writes it with, if it says
  bool tie_from_previous = false;  // continues the previous note of the same pitch
  bool grace = false;
  bool fermata = false;
};

class ScoreBuilder {
 public:
  // `source` names the file in every message and in Score::source.
  explicit ScoreBuilder(std::string source);

  void add(const NoteEvent& event);
  void set_key(Rational at, KeySignature key);
  void set_time(Rational at, TimeSignature time);
  // A bar line as the file writes it: a measure starting at `start` with the
  // printed `number`. Without any, bars follow the time signatures, after a
  // pickup of set_pickup() quarters.
  void add_measure(Rational start, int number);
  void set_pickup(Rational quarters);
  // The file ends a phrase here (quarters from the start; see Score::phrase_ends).
  void add_phrase_end(Rational at);
  void set_part_name(int part, std::string name);
  void set_title(std::string title);
  void set_composer(std::string composer);
  void set_ensemble(Ensemble ensemble);
  void warn(std::string message);
  // Which parts (0-based, top first) become voices 0..n-1, n <= 4.
  void select_parts(std::vector<int> parts);

  const std::string& source() const { return source_; }

  // The Score; throws dq::Error naming the file if there is nothing to build
  // or the part selection is impossible.
  Score build() const;

 private:
  std::string source_;
  std::vector<NoteEvent> events_;
  std::vector<std::pair<Rational, KeySignature>> keys_;
  std::vector<std::pair<Rational, TimeSignature>> times_;
  std::vector<std::pair<Rational, int>> measures_;
  Rational pickup_;
  std::vector<Rational> phrase_ends_;
  std::vector<std::string> part_names_;
  std::string title_;
  std::string composer_;
  Ensemble ensemble_ = Ensemble::kChoir;
  bool ensemble_set_ = false;
  std::vector<std::string> warnings_;
  std::vector<int> selected_parts_;
};

}  // namespace dq::music
