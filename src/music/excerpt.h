// Excerpts of a score: a span of ticks as a score of its own, and the span of
// a piece's opening bars. The quartet evaluation compares the openings of
// real movements with generated pieces of the same number of bars.
#pragma once

#include "music/score.h"

namespace dq::music {

// The ticks [from, to) of `score` as a valid Score: a note sounding into
// `from` is struck there (with its letter), metadata and letters are kept,
// phrase ends inside the span move with it, and bars are numbered from the
// excerpt's start (from 0 where it starts inside a bar, as a pickup). Throws dq::Error unless
// 0 <= from < to <= score.length().
Score excerpt(const Score& score, int from, int to);

// The tick after the pickup (if any) and the first `bars` full bars of
// `score`; its length if it is shorter.
int end_of_opening(const Score& score, int bars);

}  // namespace dq::music
