#include "music/score.h"

#include <algorithm>

namespace dq::music {

QuantizationReport& QuantizationReport::operator+=(const QuantizationReport& o) {
  notes_read += o.notes_read;
  onsets_moved += o.onsets_moved;
  notes_dropped_short += o.notes_dropped_short;
  notes_dropped_grace += o.notes_dropped_grace;
  notes_dropped_chord += o.notes_dropped_chord;
  notes_dropped_layer += o.notes_dropped_layer;
  notes_truncated += o.notes_truncated;
  return *this;
}

int Score::bar_count() const {
  if (meta.empty()) return 0;
  int bars = 1;
  for (int t = 1; t < length(); ++t) bars += meta[t].tick_in_bar == 0 ? 1 : 0;
  return bars;
}

int Score::pickup_ticks() const {
  if (meta.empty() || meta[0].tick_in_bar == 0) return 0;
  int t = 0;
  while (t < length() && meta[t].tick_in_bar != 0) ++t;
  return t;
}

Score make_empty_score(int length, KeySignature key, TimeSignature time) {
  Score score;
  for (auto& v : score.voices) v.assign(length, kRest);
  score.meta.resize(length);
  for (auto& m : score.meta) {
    m.key = key;
    m.time = time;
  }
  renumber_measures(score, 0);
  score.part_names = default_part_names(score.ensemble);
  return score;
}

void renumber_measures(Score& score, int pickup_ticks) {
  int measure = pickup_ticks > 0 ? 0 : 1;
  int pos = 0;
  if (pickup_ticks > 0 && !score.meta.empty()) {
    pos = std::max(0, score.meta[0].time.ticks_per_bar() - pickup_ticks);
  }
  for (int t = 0; t < score.length(); ++t) {
    TickMeta& m = score.meta[t];
    if (pos >= m.time.ticks_per_bar()) {
      pos = 0;
      ++measure;
    }
    m.measure = measure;
    m.tick_in_bar = pos++;
  }
}

std::vector<Note> voice_notes(const Score& score, int voice) {
  std::vector<Note> notes;
  const auto& tokens = score.voices[voice];
  for (int t = 0; t < static_cast<int>(tokens.size()); ++t) {
    if (is_pitch(tokens[t])) {
      notes.push_back({t, 1, tokens[t]});
    } else if (tokens[t] == kHold && !notes.empty() && notes.back().start + notes.back().length == t) {
      ++notes.back().length;
    }
  }
  return notes;
}

Letter letter_at(const Score& score, int voice, int tick) {
  const auto& row = score.letters[voice];
  return tick >= 0 && tick < static_cast<int>(row.size()) ? row[tick] : kUnspelled;
}

void set_letter(Score& score, int voice, int tick, Letter letter) {
  auto& row = score.letters[voice];
  if (row.empty()) {
    if (letter == kUnspelled) return;
    row.assign(score.length(), kUnspelled);
  }
  row[tick] = letter;
}

std::string validate(const Score& score) {
  const size_t n = score.meta.size();
  for (int v = 0; v < kNumVoices; ++v) {
    const auto& tokens = score.voices[v];
    if (tokens.size() != n) {
      return "voice " + std::to_string(v + 1) + " has " + std::to_string(tokens.size()) + " ticks, the metadata " +
             std::to_string(n);
    }
    const auto& letters = score.letters[v];
    if (!letters.empty() && letters.size() != n) {
      return "voice " + std::to_string(v + 1) + " has " + std::to_string(letters.size()) + " letters, the metadata " +
             std::to_string(n) + " ticks";
    }
    for (Letter l : letters) {
      if (l < kUnspelled || l > 6) return "voice " + std::to_string(v + 1) + ": invalid letter " + std::to_string(l);
    }
    for (size_t t = 0; t < n; ++t) {
      Token tok = tokens[t];
      if (tok != kRest && tok != kHold && !is_pitch(tok)) {
        return "voice " + std::to_string(v + 1) + " tick " + std::to_string(t) + ": invalid token " +
               std::to_string(tok);
      }
      if (tok == kHold && (t == 0 || tokens[t - 1] == kRest)) {
        return "voice " + std::to_string(v + 1) + " tick " + std::to_string(t) + ": hold without a note to continue";
      }
    }
  }
  for (size_t t = 0; t < n; ++t) {
    const TickMeta& m = score.meta[t];
    if (m.tick_in_bar < 0 || m.tick_in_bar >= m.time.ticks_per_bar()) {
      return "tick " + std::to_string(t) + ": position in bar out of range";
    }
  }
  return "";
}

std::array<std::string, kNumVoices> default_part_names(Ensemble ensemble) {
  if (ensemble == Ensemble::kStringQuartet) return {"Violin I", "Violin II", "Viola", "Violoncello"};
  return {"Soprano", "Alto", "Tenor", "Bass"};
}

}  // namespace dq::music
