// Reading MusicXML scores (.xml, .musicxml and compressed .mxl) into a Score.
//
// Reads score-partwise documents (score-timewise is rejected): the parts of
// the part-list with their names, divisions, notes, rests, chords, <voice>
// layers, backup/forward, grace notes, ties, fermatas, key and time
// signatures, measure starts and numbers (an implicit pickup measure
// included), and <transpose> (written pitch + chromatic + 12 * octave-change
// = sounding pitch, key signatures included). Measures are lined up across
// parts: measure i starts where the longest part's measure i - 1 ends, so a
// part with an underfull measure does not drift. Key, time and measure
// numbers come from the first part; keys of other parts that disagree are
// ignored with a warning. Unpitched notes are read as rests, cue notes are
// skipped, repeats are read once in notated order. Timing is exact
// (quarter-note fractions); ScoreBuilder quantizes.
//
// Every failure is a dq::Error starting with the source name, naming the part
// and measure where it can: malformed XML, a missing or bad <divisions>,
// negative or absurd durations, 0 or more than 16 parts, a piece longer than
// 100,000 sixteenths or 10,000 measures.
#pragma once

#include <string>

#include "io/score_file.h"
#include "music/score.h"

namespace dq::io {

// Reads the file at `path`: a .mxl is unzipped (see unzip_mxl), any other
// extension is read as MusicXML text.
music::Score read_musicxml(const std::string& path, const ReadOptions& options = {});

// Parses MusicXML text; `source` names it in messages and in Score::source.
music::Score parse_musicxml(const std::string& xml_text, const std::string& source, const ReadOptions& options = {});

}  // namespace dq::io
