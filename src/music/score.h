// Score: the four-voice piece every layer of deepquartet works on.
//
// Four voices on a 16th-note grid (kTicksPerQuarter ticks per quarter note).
// Each voice holds one Token per tick: a MIDI pitch (0..127), kRest, or kHold
// (the note sounding at the previous tick continues). Every tick also carries
// its metadata: fermata, key signature, time signature and its place in the
// bar. A Score is a plain value: copy it, compare it, transpose it.
//
// A note read from a file also keeps its written letter (Score::letters), so
// that an F# read stays an F# when written, however it is transposed.
//
// Invariants (checked by validate()): four voices of equal length, metadata
// of the same length, no kHold at tick 0 or right after a kRest, letter rows
// empty or of the same length.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace dq::music {

constexpr int kTicksPerQuarter = 4;
constexpr int kNumVoices = 4;

using Token = int;
constexpr Token kRest = -1;
constexpr Token kHold = -2;

inline bool is_pitch(Token t) { return t >= 0 && t <= 127; }

// The letter a note is written with: 0 = C, 1 = D ... 6 = B, or kUnspelled.
using Letter = int8_t;
constexpr Letter kUnspelled = -1;

enum class Mode { kUnknown, kMajor, kMinor };

struct KeySignature {
  int fifths = 0;  // -7 (7 flats) .. +7 (7 sharps)
  Mode mode = Mode::kUnknown;
  friend bool operator==(const KeySignature& a, const KeySignature& b) {
    return a.fifths == b.fifths && a.mode == b.mode;
  }
  friend bool operator!=(const KeySignature& a, const KeySignature& b) { return !(a == b); }
};

struct TimeSignature {
  int numerator = 4;
  int denominator = 4;  // 1, 2, 4, 8, 16
  // Length of a full bar in ticks.
  int ticks_per_bar() const { return numerator * 4 * kTicksPerQuarter / denominator; }
  // Length of a beat in ticks: the dotted note in compound meters (6/8, 9/8,
  // 12/8, 6/4...), otherwise the denominator's note.
  int ticks_per_beat() const {
    int unit = 4 * kTicksPerQuarter / denominator;
    bool compound = numerator > 3 && numerator % 3 == 0;
    return compound ? 3 * unit : unit;
  }
  friend bool operator==(const TimeSignature& a, const TimeSignature& b) {
    return a.numerator == b.numerator && a.denominator == b.denominator;
  }
  friend bool operator!=(const TimeSignature& a, const TimeSignature& b) { return !(a == b); }
};

// Metadata of one tick.
struct TickMeta {
  bool fermata = false;
  KeySignature key;
  TimeSignature time;
  int measure = 1;      // measure number as printed (0 for a pickup bar)
  int tick_in_bar = 0;  // ticks since the bar line; a pickup starts mid-bar
  friend bool operator==(const TickMeta& a, const TickMeta& b) {
    return a.fermata == b.fermata && a.key == b.key && a.time == b.time && a.measure == b.measure &&
           a.tick_in_bar == b.tick_in_bar;
  }
};

// Which instruments the four voices are written for: decides clefs, part
// names and MIDI programs when the score is written out.
enum class Ensemble { kChoir, kStringQuartet };

// What the 16th-note grid could not hold, counted by ScoreBuilder.
struct QuantizationReport {
  int notes_read = 0;           // notes offered by the file (after merging ties)
  int onsets_moved = 0;         // notes whose onset or end was off the grid and was rounded
  int notes_dropped_short = 0;  // notes that rounded to zero length (32nds, fast tuplets)
  int notes_dropped_grace = 0;  // grace notes
  int notes_dropped_chord = 0;  // extra notes of chords / double stops within a part
  int notes_dropped_layer = 0;  // notes of a second voice sharing a staff with the first
  int notes_truncated = 0;      // notes cut short because the next note started early
  int total_changed() const {
    return onsets_moved + notes_dropped_short + notes_dropped_grace + notes_dropped_chord + notes_dropped_layer +
           notes_truncated;
  }
  QuantizationReport& operator+=(const QuantizationReport& o);
};

struct Score {
  std::array<std::vector<Token>, kNumVoices> voices;
  std::vector<TickMeta> meta;  // one per tick
  // Per voice, empty (nothing spelled) or one Letter per tick: the letter of
  // the note starting there as the file wrote it, kUnspelled elsewhere and
  // for notes without one (MIDI, generated notes; see music/spelling.h).
  std::array<std::vector<Letter>, kNumVoices> letters;
  // Where the file ends a phrase, sorted: the tick after a note that closes
  // one (kern "}", a breath mark or caesura) or at a double bar line inside
  // the piece. Fermatas are separate (TickMeta::fermata).
  std::vector<int> phrase_ends;
  std::array<std::string, kNumVoices> part_names;
  Ensemble ensemble = Ensemble::kChoir;
  std::string title;
  std::string composer;
  std::string source;  // the file it was read from, for reports
  QuantizationReport quantization;
  std::vector<std::string> warnings;

  int length() const { return static_cast<int>(meta.size()); }
  // Number of bar lines crossed plus one; a pickup counts as a bar.
  int bar_count() const;
  bool is_bar_start(int tick) const { return meta[tick].tick_in_bar == 0; }
  // Tick within the current beat (0 on the beat).
  int beat_position(int tick) const { return meta[tick].tick_in_bar % meta[tick].time.ticks_per_beat(); }
  // Number of ticks before the first full bar line (0 without a pickup).
  int pickup_ticks() const;
  // Only the musical content (tokens and per-tick metadata) is compared.
  bool same_music(const Score& other) const { return voices == other.voices && meta == other.meta; }
};

// An empty-content Score of `length` ticks: every voice a rest, metadata with
// the given key and time signature, starting on a bar line.
Score make_empty_score(int length, KeySignature key, TimeSignature time);

// Recomputes measure numbers and tick_in_bar from the time signatures, with a
// pickup of `pickup_ticks` (0 = starts on a bar line).
void renumber_measures(Score& score, int pickup_ticks);

// A sounding note of one voice: pitch from tick `start` for `length` ticks.
struct Note {
  int start = 0;
  int length = 0;
  int pitch = 0;
};

// The notes of one voice, in order (rests omitted).
std::vector<Note> voice_notes(const Score& score, int voice);

// The letter of voice v's note starting at tick t, or kUnspelled.
Letter letter_at(const Score& score, int voice, int tick);
// Sets it, creating the voice's letter row if needed.
void set_letter(Score& score, int voice, int tick, Letter letter);

// Empty if the score keeps its invariants, else what is wrong (first problem).
std::string validate(const Score& score);

// Default voice names for an ensemble: Soprano, Alto, Tenor, Bass or
// Violin I, Violin II, Viola, Violoncello.
std::array<std::string, kNumVoices> default_part_names(Ensemble ensemble);

}  // namespace dq::music
