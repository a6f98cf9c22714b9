// Reading Standard MIDI Files (format 0 and 1, any pulses per quarter) into
// a Score, through ScoreBuilder.
//
// What is read:
// - Notes: note-on / note-off pairs per track, channel and key (a note-on of
//   velocity 0 is a note-off; overlapping notes of one key pair first in,
//   first out; a note still sounding at the end of its track ends there).
//   Onsets are exact: pulse / PPQ quarter notes. Tempo is ignored: the grid
//   counts quarter notes, not seconds. Channel 10 (drums) is ignored.
// - Time signatures (FF 58) and key signatures (FF 59, with the minor flag)
//   from any track, at their onsets.
// - Track names (FF 03): of the tracks with notes as part names, of a
//   format-0 track or of a first track without notes as the title.
// - Programs 40-42 on every part (violin, viola, cello): a string quartet.
// - The text markers of midi_writer.h (pickup, fermatas, measure numbers,
//   unknown key mode), so that files written by write_midi read back exactly.
//   Without them, bars follow the time signatures from the start of the file
//   (no pickup) and there are no fermatas.
//
// Parts: a track with notes on one channel is one part; a track with notes
// on several channels (format 0, or a merged format-1 track) gives one part
// per channel. They are numbered in file order (track, then channel), which
// is the order ReadOptions::parts indexes. Without a selection and with at
// most four parts, the parts become the voices by mean pitch, highest first,
// so a format-0 SATB file or a file with its tracks in any order reads as
// S, A, T, B; files written by write_midi keep their track order instead. A polyphonic part (a
// piano track) gives chords, of which ScoreBuilder keeps one note.
#pragma once

#include <string>

#include "io/score_file.h"
#include "music/score.h"

namespace dq::io {

// Reads the MIDI file at `path`. Throws dq::Error naming the file on any
// problem: unreadable, malformed, unsupported (format 2, SMPTE time), too
// long, no notes, or an impossible part selection.
music::Score read_midi(const std::string& path, const ReadOptions& options = {});

// The same for the file's bytes; `source` names it in messages and in
// Score::source.
music::Score parse_midi(const std::string& bytes, const std::string& source, const ReadOptions& options = {});

}  // namespace dq::io
