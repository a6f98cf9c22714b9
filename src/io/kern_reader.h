// Reading Humdrum **kern files (.krn) into a Score.
//
// The reader handles the subset of Humdrum that the Bach chorale and string
// quartet corpora use:
// - tab-separated spines; only **kern spines hold parts, the others (**dynam,
//   **text, ...) are tracked through spine manipulations but their content is
//   ignored. Spines run left to right from the lowest part to the highest, so
//   the rightmost **kern spine is part 0 (the top voice);
// - spine manipulators *^ (split: the new right sub-spine is a higher layer of
//   the same part, so the leftmost sub-spine stays the primary layer), *v
//   (merge of adjacent sub-spines of one part), *- (end), *+ (a new spine,
//   which must not be **kern) and *x (exchange of two spines);
// - *k[...] key signatures with the *G: / *e-: mode tokens (upper case =
//   major, lower case = minor, modal tokens such as *g:dor = unknown mode),
//   *M3/4 meters, *I"Name and *I:Name part names, instrument codes (*Ivioln,
//   *Icello, *ICvox, ...) deciding the ensemble (without any, a title with
//   "String Quartet" in it means strings);
// - bar lines (=N, =N-, ==, =:|!, ...): a numbered bar line starts measure N;
//   an unnumbered one starts the next measure after a full bar of the current
//   meter and continues the current one after a shorter stretch (a bar split
//   by a repeat sign), except that a short first measure after "=N" at the
//   very start is a pickup, measure N-1 (humlib/Verovio write "=1", then "=");
//   music before the first numbered bar line N is measure N-1 (a pickup is
//   measure 0, and ScoreBuilder right-aligns a short first measure);
// - notes: durations 1 2 4 8 16 ... and tuplet values (3, 6, 12, 20, ...),
//   0 = breve, 00 = longa, rational N%M, up to four dots; pitches c = C4,
//   cc = C5, C = C3, CC = C2 with # ## - -- n; rests r; chords (several
//   stops in one token, separated by spaces); grace notes (q, Q: no time);
//   ties [ _ ] and fermatas ;. Beams, slurs, articulations, ornaments and
//   editorial/hidden marks (y, yy, x, X, ...) are ignored;
// - !!!OTL (title) and !!!COM (composer) reference records; other comments
//   are skipped.
// Repeats and expansion lists (*>[A,A,B], *>A) are NOT expanded: the music is
// read once, in notated order.
//
// Timing: each data line starts where the earliest-ending note of the
// previous lines ends, and each spine's onsets follow its own durations (a
// chord's spine moves on when its shortest note ends). A note written on a
// line before its spine's previous note has ended (a mis-aligned line, as in
// one Mozart movement of the corpus) starts when that note ends, with a
// warning in Score::warnings; a spine still out of step at the next bar line
// is an error.
//
// Every error is a dq::Error whose message reads "file:line N: what is wrong"
// (or "file: ..." for whole-file problems). Sizes are bounded (32 spines, 16
// stops per chord, 25,000 quarter notes, 2,000,000 lines, 100,000 notes and
// rests), so hostile input cannot exhaust memory or time.
#pragma once

#include <string>

#include "io/score_file.h"
#include "music/score.h"

namespace dq::io {

// Reads the **kern file at `path`. Throws dq::Error (starting with `path`) if
// the file is missing, too large, malformed, unsupported, or its parts cannot
// become a four-voice Score (options.parts selects them, top first).
music::Score read_kern(const std::string& path, const ReadOptions& options = {});

// Same for **kern text already in memory; `source` names it in messages and in
// Score::source.
music::Score parse_kern(const std::string& text, const std::string& source, const ReadOptions& options = {});

}  // namespace dq::io
