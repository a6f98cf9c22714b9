// Copying check: how long a stretch of music a generated piece shares with
// the pieces the model was trained on, to catch memorisation.
//
// A voice is read as its sequence of notes (rests skipped). Two stretches of
// L notes match when the L note lengths are equal and the L-1 intervals
// between consecutive notes are equal, so a transposed copy matches too. Each
// voice is compared with the same voice of every training piece (dynamic
// programming over note pairs: about 200 million steps for 50 generated
// against 300 training chorales, around a second).
#pragma once

#include <array>
#include <vector>

#include "music/score.h"

namespace dq::eval {

// The longest stretch of one voice of a piece found in another piece.
struct CopyMatch {
  int length = 0;            // notes; 0 when no note length matches at all
  int other_piece = -1;      // index of the other piece in the set searched
  int start_tick = 0;        // where the stretch starts in the piece
  int other_start_tick = 0;  // ... and in the other piece
};

using VoiceCopies = std::array<CopyMatch, music::kNumVoices>;

// The longest stretch of voice `voice` of `a` that also occurs in the same
// voice of `b` (other_piece is left at -1).
CopyMatch longest_shared_run(const music::Score& a, const music::Score& b, int voice);

// For each piece of `pieces` and each voice, the longest stretch shared with
// the same voice of any piece of `training` (other_piece indexes `training`).
std::vector<VoiceCopies> find_copies(const std::vector<music::Score>& pieces,
                                     const std::vector<music::Score>& training);

}  // namespace dq::eval
