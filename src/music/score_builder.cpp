#include "music/score_builder.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "util/error.h"
#include "util/text.h"

namespace dq::music {

namespace {

// Longest piece any reader may produce (about 1,500 bars of 4/4).
constexpr int64_t kMaxTicks = 100000;

// Nearest tick to a time in quarters; exact halves round up.
int64_t round_to_tick(Rational quarters) {
  Rational ticks = quarters * Rational(kTicksPerQuarter);
  int64_t twice = 2 * ticks.num + ticks.den;  // floor((2n + d) / 2d) = floor(x + 1/2)
  int64_t q = twice / (2 * ticks.den);
  if (twice < 0 && twice % (2 * ticks.den) != 0) --q;
  return q;
}

bool on_grid(Rational quarters) {
  Rational ticks = quarters * Rational(kTicksPerQuarter);
  return ticks.den == 1;
}

bool looks_like_strings(const std::vector<std::string>& names) {
  for (const std::string& n : names) {
    std::string l = util::to_lower(n);
    if (l.find("viol") != std::string::npos || l.find("cello") != std::string::npos) return true;
  }
  return false;
}

// A note of one part after ties are merged, in exact time.
struct PartNote {
  Rational onset;
  Rational end;
  int pitch;
  Letter letter;
};

// The parts that become the voices, top first: the ones asked for, else every
// part with notes (at most four).
std::vector<int> chosen_parts(const std::vector<NoteEvent>& events, const std::vector<int>& selected,
                              const std::string& source) {
  std::vector<bool> has_notes(64, false);
  for (const NoteEvent& e : events)
    if (e.pitch != kRest && !e.grace) has_notes[e.part] = true;
  std::vector<int> parts;
  if (!selected.empty()) {
    for (int p : selected) {
      if (p < 0 || p >= 64 || !has_notes[p]) {
        throw Error(source + ": part " + std::to_string(p + 1) + " does not exist or has no notes");
      }
      parts.push_back(p);
    }
    if (parts.size() > kNumVoices) throw Error(source + ": at most 4 parts can be selected");
    return parts;
  }
  for (int p = 0; p < 64; ++p)
    if (has_notes[p]) parts.push_back(p);
  if (parts.empty()) throw Error(source + ": no notes found");
  if (parts.size() > kNumVoices) {
    throw Error(source + ": " + std::to_string(parts.size()) +
                " parts with notes; choose four (or fewer) with --parts");
  }
  return parts;
}

// The ensemble (as the file says, else from the part names) and the voices'
// names (the file's, else the ensemble's defaults).
void name_voices(Score& score, const std::vector<int>& parts, const std::vector<std::string>& part_names,
                 std::optional<Ensemble> ensemble) {
  std::vector<std::string> selected_names;
  for (int p : parts) selected_names.push_back(p < static_cast<int>(part_names.size()) ? part_names[p] : "");
  score.ensemble =
      ensemble ? *ensemble : (looks_like_strings(selected_names) ? Ensemble::kStringQuartet : Ensemble::kChoir);
  score.part_names = default_part_names(score.ensemble);
  for (size_t v = 0; v < parts.size(); ++v)
    if (!selected_names[v].empty()) score.part_names[v] = selected_names[v];
}

// One voice's notes in time order: the primary layer only, ties merged into
// one note, one note per onset (the highest, or the lowest in the bottom voice).
std::vector<PartNote> one_line(std::vector<NoteEvent> events, bool bottom, QuantizationReport& report) {
  std::vector<PartNote> out;
  if (events.empty()) return out;
  int primary = events[0].layer;
  for (const NoteEvent& e : events) primary = std::min(primary, e.layer);
  std::stable_sort(events.begin(), events.end(),
                   [](const NoteEvent& a, const NoteEvent& b) { return a.onset < b.onset; });
  for (const NoteEvent& e : events) {
    if (e.layer != primary) {
      ++report.notes_dropped_layer;
      continue;
    }
    if (e.tie_from_previous) {
      // Extend the note of the same pitch that ends where this one starts.
      bool merged = false;
      for (auto it = out.rbegin(); it != out.rend() && !merged; ++it) {
        if (it->pitch == e.pitch && it->end == e.onset) {
          it->end = e.onset + e.duration;
          merged = true;
        }
      }
      if (merged) {
        --report.notes_read;
        continue;
      }
    }
    out.push_back({e.onset, e.onset + e.duration, e.pitch, e.letter});
  }
  std::vector<PartNote> single;
  for (const PartNote& n : out) {
    if (!single.empty() && single.back().onset == n.onset) {
      ++report.notes_dropped_chord;
      bool better = bottom ? n.pitch < single.back().pitch : n.pitch > single.back().pitch;
      if (better) single.back() = n;
      continue;
    }
    single.push_back(n);
  }
  return single;
}

// The notes of every voice (one_line), grace notes dropped and counted.
std::array<std::vector<PartNote>, kNumVoices> one_line_per_voice(const std::vector<NoteEvent>& events,
                                                                 const std::vector<int>& voice_of_part, int voices,
                                                                 QuantizationReport& report) {
  std::array<std::vector<NoteEvent>, kNumVoices> per_voice;
  for (const NoteEvent& e : events) {
    int v = voice_of_part[e.part];
    if (v < 0 || e.pitch == kRest) continue;
    ++report.notes_read;
    if (e.grace || e.duration == Rational(0)) {
      ++report.notes_dropped_grace;
      continue;
    }
    per_voice[v].push_back(e);
  }
  std::array<std::vector<PartNote>, kNumVoices> notes;
  for (int v = 0; v < kNumVoices; ++v) {
    notes[v] = one_line(std::move(per_voice[v]), v == voices - 1 && voices == kNumVoices, report);
  }
  return notes;
}

// Voice `v` of `score` (`length` ticks) from its notes, rounded onto the grid:
// a note that rounds to nothing or onto the previous one's onset is dropped,
// one still sounding at the next onset is cut there.
void quantize_voice(const std::vector<PartNote>& notes, int v, int64_t length, Score& score) {
  QuantizationReport& report = score.quantization;
  std::vector<Token>& tokens = score.voices[v];
  tokens.assign(length, kRest);
  std::vector<std::pair<int64_t, int64_t>> spans;
  std::vector<int> pitches;
  std::vector<Letter> letters;
  for (const PartNote& n : notes) {
    int64_t start = round_to_tick(n.onset);
    int64_t end = round_to_tick(n.end);
    if (!on_grid(n.onset) || !on_grid(n.end)) ++report.onsets_moved;
    if (end <= start) {
      ++report.notes_dropped_short;
      continue;
    }
    if (!spans.empty() && spans.back().first == start) {  // collided after rounding
      ++report.notes_dropped_short;
      continue;
    }
    if (!spans.empty() && spans.back().second > start) {
      spans.back().second = start;
      ++report.notes_truncated;
    }
    spans.emplace_back(start, end);
    pitches.push_back(n.pitch);
    letters.push_back(n.letter);
  }
  for (size_t i = 0; i < spans.size(); ++i) {
    tokens[spans[i].first] = pitches[i];
    if (letters[i] != kUnspelled) {
      if (score.letters[v].empty()) score.letters[v].assign(length, kUnspelled);
      score.letters[v][spans[i].first] = letters[i];
    }
    for (int64_t t = spans[i].first + 1; t < spans[i].second && t < length; ++t) tokens[t] = kHold;
  }
}

// Phrase ends inside the piece, on the grid, once each.
void place_phrase_ends(const std::vector<Rational>& phrase_ends, int64_t length, Score& score) {
  for (const Rational& at : phrase_ends) {
    const int64_t tick = round_to_tick(at);
    if (tick > 0 && tick <= length) score.phrase_ends.push_back(static_cast<int>(tick));
  }
  std::sort(score.phrase_ends.begin(), score.phrase_ends.end());
  score.phrase_ends.erase(std::unique(score.phrase_ends.begin(), score.phrase_ends.end()), score.phrase_ends.end());
}

// Every tick's time and key signature: each change holds from its tick on.
void set_signatures(std::vector<std::pair<Rational, TimeSignature>> times,
                    std::vector<std::pair<Rational, KeySignature>> keys, Score& score) {
  const int64_t length = score.length();
  auto apply = [&](auto& changes, auto setter) {
    std::stable_sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [at, value] : changes) {
      int64_t from = std::clamp<int64_t>(round_to_tick(at), 0, length);
      for (int64_t t = from; t < length; ++t) setter(score.meta[t], value);
    }
  };
  apply(times, [](TickMeta& m, const TimeSignature& ts) { m.time = ts; });
  apply(keys, [](TickMeta& m, const KeySignature& k) { m.key = k; });
}

// Bars: as the file wrote them (a short first measure, or a short one
// completing a short one, is a pickup), or from the time signatures.
void set_bars(std::vector<std::pair<Rational, int>> bars, Rational pickup, Score& score) {
  const int64_t length = score.length();
  if (bars.empty()) {
    renumber_measures(score, static_cast<int>(round_to_tick(pickup)));
    return;
  }
  std::stable_sort(bars.begin(), bars.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<int64_t, int>> starts;  // tick, number
  for (const auto& [at, number] : bars) {
    int64_t tick = round_to_tick(at);
    if (tick >= length) continue;
    if (!starts.empty() && starts.back().first == tick) {
      starts.back().second = number;
      continue;
    }
    starts.emplace_back(tick, number);
  }
  if (starts.empty() || starts[0].first > 0) starts.insert(starts.begin(), {0, 1});
  bool previous_short = false;
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t from = starts[i].first;
    int64_t to = i + 1 < starts.size() ? starts[i + 1].first : length;
    int bar = score.meta[from].time.ticks_per_bar();
    int64_t measure_length = to - from;
    bool is_last = i + 1 == starts.size();
    bool is_short = measure_length < bar && !is_last;
    int64_t offset = 0;
    if (is_short && (i == 0 || previous_short)) offset = bar - measure_length;
    for (int64_t t = from; t < to; ++t) {
      TickMeta& m = score.meta[t];
      int64_t pos = offset + (t - from);
      int tpb = m.time.ticks_per_bar();
      if (pos >= tpb) pos %= tpb;
      m.tick_in_bar = static_cast<int>(pos);
      m.measure = starts[i].second;
    }
    previous_short = is_short && offset == 0;  // waits for its completion
  }
}

// Fermatas: on the top voice's note or rest covering each written fermata.
void place_fermatas(const std::vector<NoteEvent>& events, const std::vector<int>& voice_of_part, Score& score) {
  const int64_t length = score.length();
  const std::vector<Token>& top = score.voices[0];
  for (const NoteEvent& e : events) {
    if (!e.fermata || e.grace || voice_of_part[e.part] < 0) continue;
    int64_t t = std::clamp<int64_t>(round_to_tick(e.onset), 0, length - 1);
    int64_t from = t, to = t + 1;
    if (top[t] == kRest) {
      while (from > 0 && top[from - 1] == kRest) --from;
      while (to < length && top[to] == kRest) ++to;
    } else {
      while (from > 0 && top[from] == kHold) --from;
      while (to < length && top[to] == kHold) ++to;
    }
    for (int64_t i = from; i < to; ++i) score.meta[i].fermata = true;
  }
}

}  // namespace

ScoreBuilder::ScoreBuilder(std::string source) : source_(std::move(source)) {}

void ScoreBuilder::add(const NoteEvent& event) {
  if (event.onset < Rational(0) || event.duration < Rational(0)) {
    throw Error(source_ + ": negative onset or duration");
  }
  if (event.part < 0 || event.part > 63) throw Error(source_ + ": too many parts");
  if (event.pitch != kRest && !is_pitch(event.pitch)) {
    throw Error(source_ + ": pitch " + std::to_string(event.pitch) + " outside MIDI range");
  }
  if (round_to_tick(event.onset + event.duration) > kMaxTicks) {
    throw Error(source_ + ": piece longer than " + std::to_string(kMaxTicks) + " sixteenths");
  }
  events_.push_back(event);
}

void ScoreBuilder::set_key(Rational at, KeySignature key) { keys_.emplace_back(at, key); }
void ScoreBuilder::set_time(Rational at, TimeSignature time) {
  bool valid_den = time.denominator == 1 || time.denominator == 2 || time.denominator == 4 || time.denominator == 8 ||
                   time.denominator == 16;
  if (!valid_den || time.numerator < 1 || time.numerator > 64) {
    throw Error(source_ + ": unsupported time signature " + std::to_string(time.numerator) + "/" +
                std::to_string(time.denominator));
  }
  times_.emplace_back(at, time);
}
void ScoreBuilder::add_measure(Rational start, int number) { measures_.emplace_back(start, number); }
void ScoreBuilder::set_pickup(Rational quarters) { pickup_ = quarters; }

void ScoreBuilder::add_phrase_end(Rational at) { phrase_ends_.push_back(at); }
void ScoreBuilder::set_part_name(int part, std::string name) {
  if (part < 0 || part > 63) return;
  if (static_cast<int>(part_names_.size()) <= part) part_names_.resize(part + 1);
  part_names_[part] = std::move(name);
}
void ScoreBuilder::set_title(std::string title) { title_ = std::move(title); }
void ScoreBuilder::set_composer(std::string composer) { composer_ = std::move(composer); }
void ScoreBuilder::set_ensemble(Ensemble ensemble) {
  ensemble_ = ensemble;
  ensemble_set_ = true;
}
void ScoreBuilder::warn(std::string message) { warnings_.push_back(std::move(message)); }
void ScoreBuilder::select_parts(std::vector<int> parts) { selected_parts_ = std::move(parts); }

Score ScoreBuilder::build() const {
  Score score;
  score.source = source_;
  score.title = title_;
  score.composer = composer_;
  score.warnings = warnings_;
  const std::vector<int> parts = chosen_parts(events_, selected_parts_, source_);
  std::vector<int> voice_of_part(64, -1);
  for (size_t v = 0; v < parts.size(); ++v) voice_of_part[parts[v]] = static_cast<int>(v);
  name_voices(score, parts, part_names_, ensemble_set_ ? std::optional<Ensemble>(ensemble_) : std::nullopt);

  // Length: every event (rests included) and the last measure extend the piece.
  Rational end_time(0);
  for (const NoteEvent& e : events_) end_time = std::max(end_time, e.onset + e.duration);
  const int64_t length = round_to_tick(end_time);
  if (length <= 0) throw Error(source_ + ": the piece has no duration");

  const auto notes = one_line_per_voice(events_, voice_of_part, static_cast<int>(parts.size()), score.quantization);
  for (int v = 0; v < kNumVoices; ++v) quantize_voice(notes[v], v, length, score);
  place_phrase_ends(phrase_ends_, length, score);
  score.meta.resize(length);
  set_signatures(times_, keys_, score);
  set_bars(measures_, pickup_, score);
  place_fermatas(events_, voice_of_part, score);

  std::string problem = validate(score);
  if (!problem.empty()) throw Error(source_ + ": " + problem);
  return score;
}

}  // namespace dq::music
