// What users ask of the model, on top of the sampler: a new piece, a
// harmonized melody, a regenerated region. Shared by the command line and the
// web server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "music/score.h"
#include "sample/sampler.h"

namespace dq::sample {

// Fermatas of a new piece: "none", "every:Nbars" (every N-th bar and the last
// bar), or a list of bar numbers "4,8,12"; in each bar where Bach puts the
// phrase's end (4/4: beat 3, the last bar's beats 3-4; 3/4: the downbeat,
// the last bar whole; see apply_fermatas).
struct PieceRequest {
  int bars = 16;
  music::KeySignature key{0, music::Mode::kMajor};
  music::TimeSignature time{4, 4};
  std::string fermatas;  // "" = default_fermatas(model, style)
  std::string style;     // "" = the model's first style
  int count = 1;
  // The opening of a longer piece: the network is told that the music goes on
  // after the last bar (open_end_ticks more are drawn, then cut), so the
  // piece does not close as a whole piece does (final cadence, last chord
  // held, rests after it). Fermatas are placed as in the longer piece.
  bool open_end = false;
};

// The ticks drawn after a piece with an open end and cut: whole bars of
// `time` that reach past the network's end horizon (corpus::kMaxQuartersToEnd
// quarters), so that every tick of the piece reads as far from the end.
int open_end_ticks(const music::TimeSignature& time);

// Sets the fermata metadata of `score` from a fermata spec (see PieceRequest).
void apply_fermatas(music::Score& score, const std::string& spec);

// The fermatas of a new piece when none are asked for: a chorale's phrase
// ends ("every:2bars"), none for the string-quartet styles.
std::string default_fermatas(const model::Model& model, const std::string& style);
// The style index of `style` in the model ("" = 0); throws dq::Error listing
// the model's styles if it has no such style.
int style_index(const model::Model& model, const std::string& style);

// New pieces: an empty score with the requested metadata, every position free.
std::vector<music::Score> generate(model::Model& model, const PieceRequest& request, const SampleOptions& options);

// A tick position "BAR" or "BAR:BEAT" (1-based beat) in a score; throws
// dq::Error if the bar does not exist. `end` gives the tick after that bar
// (or beat) instead of its first tick.
int parse_position(const music::Score& score, const std::string& text, bool end);

// Voice names ("soprano", "alto", "tenor", "bass", "violin1", "violin2",
// "viola", "cello", or 1-4) to voice indices; throws dq::Error.
std::vector<int> parse_voices(const std::string& list);

// `count` alternatives of `score` where the voices `voices` between ticks
// [from, to) are resampled and everything else is kept. Positions already
// fixed in `fixed` (if given) stay too.
std::vector<music::Score> regenerate(model::Model& model, const music::Score& score, int from, int to,
                                     const std::vector<int>& voices, int count, const SampleOptions& options,
                                     const std::optional<FixedMask>& fixed = std::nullopt,
                                     const std::string& style = "");

struct ReharmonizeRequest {
  std::optional<music::KeySignature> key;  // detected if absent
  std::string fermatas;                    // "" = from the file, else inferred at phrase ends
  std::vector<int> keep = {0};             // voices kept from the input (a melody: the soprano)
  std::string style;
  int count = 1;
  // Semitones to move the input by; nullopt: as far as the kept voices need
  // to fit the model's ranges (none if they fit; else by octaves; else by the
  // smallest interval).
  std::optional<int> transpose;
};

// "auto" (nullopt), "none" (0) or semitones ("-2", "+5"); throws dq::Error.
std::optional<int> parse_transpose(const std::string& text);

struct ReharmonizeReport {
  music::KeySignature key;
  bool key_detected = false;
  int transposition = 0;        // semitones the input was moved (to fit the model's ranges, or as asked)
  int notes_outside_range = 0;  // kept notes still outside the ranges: written as they are
  int fermata_count = 0;
  bool fermatas_inferred = false;           // by a musician's rule (no fermatas or phrase marks in the file)
  bool fermatas_from_phrase_marks = false;  // at the file's phrase ends (kern "}", breath marks, double bars)
  bool fermatas_at_bar_lines = false;       // inferred: every bar line of an unmetered melody (chant)
  bool final_fermata_added = false;         // the melody's last note had none: one was put there
  bool final_bass_fixed = false;            // the melody ends on the tonic or its third: the bass sounds the tonic
  music::QuantizationReport quantization;
};

// Harmonizes the melody in voice 0 of `input` (or keeps the voices `keep` of
// a four-voice score): the input is transposed (request.transpose), then the
// kept voices are fixed note for note and the others are generated. With the
// melody kept in the chorale style, the other voices rest where it rests,
// and its last note ends the last phrase (a fermata, where the final cadence
// falls; not with fermatas "none"); in a string-quartet style the
// accompaniment may play on under the melody's rests, and there are no
// fermatas but those asked for or in the file. Where the melody ends on the
// tonic or its third, the bass sounds the tonic under it (not with
// options.final_tonic off: --free-ending).
std::vector<music::Score> reharmonize(model::Model& model, const music::Score& input, const ReharmonizeRequest& request,
                                      const SampleOptions& options, ReharmonizeReport* report = nullptr);

// The Krumhansl-Schmuckler key estimate of the notes of `voices` of `score`.
music::KeySignature krumhansl_key(const music::Score& score, const std::vector<int>& voices);
// The key of a melody (or of the kept `voices`), as reharmonize finds it: the
// Krumhansl-Schmuckler estimate, favouring keys whose tonic is the last note
// of the first of `voices`, in the mode of the third above the tonic that the
// notes dwell on more.
music::KeySignature detect_key(const music::Score& score, const std::vector<int>& voices);

}  // namespace dq::sample
