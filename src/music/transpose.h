// Transposition of a whole score by semitones: pitches and key signatures.
#pragma once

#include "music/score.h"

namespace dq::music {

// The key signature `semitones` above `key`, spelled with at most 6 flats or
// 6 sharps (F# major rather than Gb major; mode unchanged).
KeySignature transpose_key(KeySignature key, int semitones);

// `score` moved by `semitones` (negative: down). Pitches leaving 0..127 are
// clamped by octaves. Written letters move with the key signature (C -> D
// when the key gains two sharps). Rests, holds and the other metadata are
// unchanged.
Score transpose(const Score& score, int semitones);

}  // namespace dq::music
