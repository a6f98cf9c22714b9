// Writing a Score as MusicXML 3.1 (score-partwise), plain or compressed.
//
// One part per voice, named after Score::part_names, with a MIDI instrument
// and clef suited to the ensemble (choir: treble, treble, treble-8, bass;
// string quartet: treble, treble, alto, bass). Measures follow the Score's
// bars (TickMeta::measure and tick_in_bar, so pickups and split bars come
// back the same); key and time signatures are written where they change.
// Notes are split at bar lines into tied whole, half, quarter, eighth and
// 16th notes (single dots allowed), beamed by beat, spelled for the key, with
// accidentals where the bar needs them. Fermatas are written on every note or
// rest that starts inside a run of fermata ticks, so reading the file back
// gives the same Score (Score::same_music).
#pragma once

#include <string>

#include "music/score.h"

namespace dq::io {

// The MusicXML document (UTF-8 text with XML declaration and DOCTYPE).
// Throws dq::Error if the score breaks its invariants (music::validate).
std::string to_musicxml(const music::Score& score);

// Writes `score` to `path` atomically: a .mxl path gets a compressed archive
// (see zip_mxl), any other path plain MusicXML. Throws dq::Error naming the
// path on failure.
void write_musicxml(const music::Score& score, const std::string& path);

}  // namespace dq::io
