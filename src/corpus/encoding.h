// How a Score becomes the integers the networks read: one vocabulary per
// voice (special symbols, rest, hold, a contiguous pitch range) and the
// per-tick metadata channels (fermata, position in the beat, beat in the bar,
// key signature, style). Shared by training, sampling and evaluation, and
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
enum MetaChannel { kFermata = 0, kSubdivision, kBeatInBar, kKey, kStyle, kNumMetaChannels };
constexpr int kMaxBeatsInBar = 12;
// Number of values (padding included) of each channel, given the style count.
std::array<int, kNumMetaChannels> meta_channel_sizes(int num_styles);

// Metadata values of one tick of `score` (padding-shifted, i.e. >= 1).
std::array<int, kNumMetaChannels> encode_meta(const music::TickMeta& meta, int style);

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
