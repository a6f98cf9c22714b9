// Writing a Score as a Standard MIDI File (format 1, 480 pulses per quarter).
//
// Track 1 is the conductor track: the title as its name, the tempo (quarter
// = 80 for a choir, 100 for a string quartet), and time and key signatures
// at the start and at every change. Tracks 2-5 hold the voices top to
// bottom, each with its part name, its own channel (0-3), a program change
// (choir: 52 Choir Aahs; quartet: 40 violin, 40, 41 viola, 42 cello) and its
// notes at velocity 80. Every track ends at the end of the score, so
// trailing rests keep their length.
//
// What MIDI cannot say is kept in text meta events (FF 01) of the conductor
// track, which midi_reader reads back, so Score -> MIDI -> Score is exact:
//   "deepquartet:voice-order=file"     at 0: the voice tracks are the voices
//                                      top to bottom (not to be sorted by pitch)
//   "deepquartet:pickup=<pulses>"      at 0, when the score starts mid-bar
//   "deepquartet:fermata"              where a run of fermata ticks starts
//   "deepquartet:fermata-end"          where it ends
//   "deepquartet:measure=<n>"          a bar line numbered n, where the
//   "deepquartet:measure=<n>+<pulses>" numbering or the bar positions differ
//                                      from the time signatures' count (the
//                                      second form: <pulses> after the bar
//                                      line of measure n)
//   "deepquartet:mode=unknown"         just before a key signature whose mode
//                                      is unknown (MIDI always says major or
//                                      minor)
#pragma once

#include <string>

#include "music/score.h"

namespace dq::io {

constexpr int kMidiPpq = 480;

// The text markers above.
constexpr const char* kMarkerPrefix = "deepquartet:";
constexpr const char* kMarkerFileOrder = "deepquartet:voice-order=file";
constexpr const char* kMarkerPickup = "deepquartet:pickup=";
constexpr const char* kMarkerFermata = "deepquartet:fermata";
constexpr const char* kMarkerFermataEnd = "deepquartet:fermata-end";
constexpr const char* kMarkerMeasure = "deepquartet:measure=";
constexpr const char* kMarkerModeUnknown = "deepquartet:mode=unknown";

// Tempo used by the MIDI and WAV writers, in quarter notes per minute.
int tempo_bpm(music::Ensemble ensemble);

// General MIDI program (0-based) of `voice` (0..3) in `ensemble`.
int midi_program(music::Ensemble ensemble, int voice);

// The bytes of the MIDI file. Throws dq::Error if the score is invalid.
std::string to_midi(const music::Score& score);

// Writes to_midi(score) to `path` atomically. Throws dq::Error on failure.
void write_midi(const music::Score& score, const std::string& path);

}  // namespace dq::io
