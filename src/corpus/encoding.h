// How a Score becomes the integers the networks read: one vocabulary per
// voice (special symbols, rest, hold, a contiguous pitch range) and the
// per-tick metadata channels (fermata, position in the beat, beat in the bar,
// key signature and mode, style, quarters left to the end of the piece).
// Shared by training, sampling and evaluation, and
// stored inside every model file.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "music/range.h"
#include "music/score.h"

namespace dq::corpus {

// Indices every voice vocabulary shares. kPad, kStart and kEnd only surround
// or fill training sequences: a sampler must never emit them.
constexpr int kPadIndex = 0;
constexpr int kStartIndex = 1;
constexpr int kEndIndex = 2;
constexpr int kRestIndex = 3;
constexpr int kHoldIndex = 4;
constexpr int kFirstPitchIndex = 5;
// A hidden position (masked training, a chronological start) reads as
// padding: "nothing is known here". Never a training target, never drawn.
constexpr int kMaskIndex = kPadIndex;

struct VoiceVocabulary {
  int low = 60;   // lowest pitch
  int high = 60;  // highest pitch
  int size() const { return kFirstPitchIndex + high - low + 1; }
  bool contains_pitch(int pitch) const { return pitch >= low && pitch <= high; }
  // Index of a token; -1 for a pitch outside the range.
  int index_of(music::Token token) const;
  // Token of an index >= kRestIndex.
  music::Token token_of(int index) const;
};
using Vocabulary = std::array<VoiceVocabulary, music::kNumVoices>;

// The ranges of a vocabulary (for transposition and validity checks).
music::VoiceRanges vocabulary_ranges(const Vocabulary& vocab);

// Metadata channels, in this order. Value 0 of every channel is padding.
// kToEnd tells the network where the final cadence falls: the quarters left
// from the tick to the end of the piece, up to kMaxQuartersToEnd ("far").
// A model lists the channels it reads in its file; models made before kToEnd
// read the first kNumMetaChannels - 1 (datasets and samplers always encode all).
enum MetaChannel { kFermata = 0, kSubdivision, kBeatInBar, kKey, kStyle, kToEnd, kNumMetaChannels };
constexpr int kMaxBeatsInBar = 12;
constexpr int kMaxQuartersToEnd = 16;
// Number of values (padding included) of each channel, given the style count.
std::array<int, kNumMetaChannels> meta_channel_sizes(int num_styles);
// The channels' names, as model files list them.
const std::array<const char*, kNumMetaChannels>& meta_channel_names();

// Metadata values of one tick (padding-shifted, i.e. >= 1), `ticks_to_end`
// ticks before the end of its piece (1 at the last tick).
std::array<int, kNumMetaChannels> encode_meta(const music::TickMeta& meta, int style, int ticks_to_end);

// The metadata values of every tick of `score`, [tick][channel]. Ticks whose
// key signature has no mode get the mode music::infer_mode reads from the
// piece, so that a minor chorale without <mode> is not told "major or minor".
using TickValues = std::array<int, kNumMetaChannels>;
std::vector<TickValues> encode_score_meta(const music::Score& score, int style);

// A piece as index sequences with a START tick before and an END tick after:
// tokens[v][i] and meta[c][i] for i in 0..length+1. Pitches outside the
// vocabulary are an error (returns false and leaves `out` unspecified).
struct EncodedPiece {
  std::array<std::vector<int16_t>, music::kNumVoices> tokens;
  std::array<std::vector<int16_t>, kNumMetaChannels> meta;
  int length() const { return static_cast<int>(tokens[0].size()); }
};
bool encode_piece(const music::Score& score, const Vocabulary& vocab, int style, EncodedPiece* out);

}  // namespace dq::corpus
