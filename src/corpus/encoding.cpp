#include "corpus/encoding.h"

#include <algorithm>
#include <map>

#include "music/harmony.h"

namespace dq::corpus {

int VoiceVocabulary::index_of(music::Token token) const {
  if (token == music::kRest) return kRestIndex;
  if (token == music::kHold) return kHoldIndex;
  if (!contains_pitch(token)) return -1;
  return kFirstPitchIndex + token - low;
}

music::Token VoiceVocabulary::token_of(int index) const {
  if (index == kHoldIndex) return music::kHold;
  if (index < kFirstPitchIndex) return music::kRest;
  return low + index - kFirstPitchIndex;
}

music::VoiceRanges vocabulary_ranges(const Vocabulary& vocab) {
  music::VoiceRanges ranges;
  for (int v = 0; v < music::kNumVoices; ++v) ranges[v] = {vocab[v].low, vocab[v].high};
  return ranges;
}

std::array<int, kNumMetaChannels> meta_channel_sizes(int num_styles) {
  // fermata: no/yes; subdivision: 4 sixteenths; beat in bar; key: 15 key
  // signatures x 3 modes; style; quarters to the end 0..kMaxQuartersToEnd.
  return {1 + 2,      1 + music::kTicksPerQuarter, 1 + kMaxBeatsInBar,
          1 + 15 * 3, 1 + std::max(1, num_styles), 1 + kMaxQuartersToEnd + 1};
}

const std::array<const char*, kNumMetaChannels>& meta_channel_names() {
  static const std::array<const char*, kNumMetaChannels> names = {"fermata", "subdivision", "beat_in_bar",
                                                                  "key",     "style",       "quarters_to_end"};
  return names;
}

std::array<int, kNumMetaChannels> encode_meta(const music::TickMeta& m, int style, int ticks_to_end) {
  std::array<int, kNumMetaChannels> values{};
  values[kFermata] = 1 + (m.fermata ? 1 : 0);
  values[kSubdivision] = 1 + m.tick_in_bar % music::kTicksPerQuarter;
  values[kBeatInBar] = 1 + std::min(m.tick_in_bar / music::kTicksPerQuarter, kMaxBeatsInBar - 1);
  int fifths = std::clamp(m.key.fifths, -7, 7);
  values[kKey] = 1 + (fifths + 7) * 3 + static_cast<int>(m.key.mode);
  values[kStyle] = 1 + std::max(0, style);
  const int quarters_to_end = (std::max(1, ticks_to_end) - 1) / music::kTicksPerQuarter;
  values[kToEnd] = 1 + std::min(quarters_to_end, kMaxQuartersToEnd);
  return values;
}

std::vector<TickValues> encode_score_meta(const music::Score& score, int style) {
  std::map<int, music::Mode> inferred;  // by key signature
  std::vector<TickValues> values;
  const int n = score.length();
  for (int t = 0; t < n; ++t) {
    music::TickMeta m = score.meta[t];
    if (m.key.mode == music::Mode::kUnknown) {
      auto it = inferred.find(m.key.fifths);
      if (it == inferred.end()) {
        it = inferred.emplace(m.key.fifths, music::infer_mode(score, m.key.fifths)).first;
      }
      m.key.mode = it->second;
    }
    values.push_back(encode_meta(m, style, n - t));
  }
  return values;
}

bool encode_piece(const music::Score& score, const Vocabulary& vocab, int style, EncodedPiece* out) {
  const int n = score.length();
  for (int v = 0; v < music::kNumVoices; ++v) {
    auto& seq = out->tokens[v];
    seq.assign(n + 2, kPadIndex);
    seq[0] = kStartIndex;
    seq[n + 1] = kEndIndex;
    for (int t = 0; t < n; ++t) {
      int index = vocab[v].index_of(score.voices[v][t]);
      if (index < 0) return false;
      seq[t + 1] = static_cast<int16_t>(index);
    }
  }
  for (int c = 0; c < kNumMetaChannels; ++c) out->meta[c].assign(n + 2, 0);
  const auto values = encode_score_meta(score, style);
  for (int t = 0; t < n; ++t) {
    for (int c = 0; c < kNumMetaChannels; ++c) {
      out->meta[c][t + 1] = static_cast<int16_t>(values[t][c]);
    }
  }
  return true;
}

}  // namespace dq::corpus
