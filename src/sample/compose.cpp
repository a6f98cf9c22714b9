#include "sample/compose.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <sstream>
#include <tuple>

#include "corpus/encoding.h"
#include "music/excerpt.h"
#include "music/pitch.h"
#include "music/range.h"
#include "music/transpose.h"
#include "util/error.h"
#include "util/text.h"

namespace dq::sample {

using music::kNumVoices;
using music::Score;

namespace {

// The longest bar of a regular meter, in quarters (12/8 and 4/2 are 6 and 8).
constexpr int kMaxRegularBarQuarters = 12;

// Puts a phrase's fermata in the bar [start, end) where Bach's chorales put
// it (their 1,800 fermatas, counted in the music21 encodings): in a bar of an
// even number of beats on the first beat of its second half, one beat long
// (4/4: beat 3, a quarter, with beat 4 the next phrase's upbeat; 875 of the
// 1,500 inner fermatas in 4/4 against 78 on beat 4), and the final one over
// the whole second half (a half note); in a bar of three beats on the
// downbeat, two beats long, the final one the whole bar. An incomplete bar
// or one of another number of beats: its last beat.
void mark_phrase_end(Score& score, int start, int end, bool final) {
  if (end <= start) return;
  const music::TimeSignature& time = score.meta[end - 1].time;
  const int beat = time.ticks_per_beat(), bar = time.ticks_per_bar(), beats = bar / beat;
  int from = std::max(start, end - beat), to = end;
  if (end - start == bar && beats % 2 == 0) {
    from = start + bar / 2;
    to = final ? end : from + beat;
  } else if (end - start == bar && beats == 3) {
    from = start;
    to = final ? end : start + 2 * beat;
  }
  for (int t = from; t < to; ++t) score.meta[t].fermata = true;
}

// First tick of every bar, and the end.
std::vector<int> bar_starts(const Score& score) {
  std::vector<int> starts;
  for (int t = 0; t < score.length(); ++t)
    if (t == 0 || score.meta[t].tick_in_bar == 0 || score.meta[t].measure != score.meta[t - 1].measure)
      starts.push_back(t);
  return starts;
}

}  // namespace

void apply_fermatas(Score& score, const std::string& spec_text) {
  std::string spec = util::to_lower(util::trim(spec_text));
  for (auto& m : score.meta) m.fermata = false;
  if (spec.empty() || spec == "none") return;
  std::vector<int> starts = bar_starts(score);
  const int bars = static_cast<int>(starts.size());
  auto bar_end = [&](int i) { return i + 1 < bars ? starts[i + 1] : score.length(); };
  if (spec.rfind("every:", 0) == 0) {
    std::string n = spec.substr(6);
    if (n.size() > 4 && n.substr(n.size() - 4) == "bars")
      n = n.substr(0, n.size() - 4);
    else if (n.size() > 3 && n.substr(n.size() - 3) == "bar")
      n = n.substr(0, n.size() - 3);
    int every = util::parse_int(n, "fermata spacing");
    if (every < 1 || every > 64) throw Error("fermata spacing must be 1 to 64 bars");
    int first_full = score.pickup_ticks() > 0 ? 1 : 0;
    for (int i = first_full; i < bars; ++i)
      if ((i - first_full + 1) % every == 0 || i + 1 == bars)
        mark_phrase_end(score, starts[i], bar_end(i), i + 1 == bars);
    return;
  }
  std::istringstream list(spec);
  std::string item;
  while (std::getline(list, item, ',')) {
    int bar = util::parse_int(util::trim(item), "fermata bar");
    bool found = false;
    for (int i = 0; i < bars; ++i) {
      if (score.meta[starts[i]].measure == bar) {
        mark_phrase_end(score, starts[i], bar_end(i), i + 1 == bars);
        found = true;
        break;
      }
    }
    if (!found)
      throw Error("fermata bar " + std::to_string(bar) + " does not exist (the piece has " + std::to_string(bars) +
                  " bars)");
  }
}

int style_index(const model::Model& model, const std::string& style) {
  if (style.empty()) return 0;
  const auto& styles = model.config.styles;
  for (size_t i = 0; i < styles.size(); ++i)
    if (styles[i] == util::to_lower(style)) return static_cast<int>(i);
  std::string known;
  for (const auto& s : styles) known += (known.empty() ? "" : ", ") + s;
  throw Error("this model has no style '" + style + "' (it knows: " + known + ")");
}

std::string default_fermatas(const model::Model& model, const std::string& style) {
  return is_chorale_style(model, style_index(model, style)) ? "every:2bars" : "none";
}

int open_end_ticks(const music::TimeSignature& time) {
  const int horizon = corpus::kMaxQuartersToEnd * music::kTicksPerQuarter;
  const int bar = time.ticks_per_bar();
  return (horizon + bar - 1) / bar * bar;
}

std::vector<Score> generate(model::Model& model, const PieceRequest& r, const SampleOptions& options) {
  if (r.bars < 1 || r.bars > 256) throw Error("--bars must be between 1 and 256");
  if (r.count < 1 || r.count > 1000) throw Error("--count must be between 1 and 1000");
  int style = style_index(model, r.style);
  const int ticks = r.bars * r.time.ticks_per_bar();
  Score base = music::make_empty_score(ticks + (r.open_end ? open_end_ticks(r.time) : 0), r.key, r.time);
  if (!is_chorale_style(model, style)) {
    base.ensemble = music::Ensemble::kStringQuartet;
    base.part_names = music::default_part_names(base.ensemble);
  }
  apply_fermatas(base, r.fermatas.empty() ? default_fermatas(model, r.style) : r.fermatas);
  base.title = "deepquartet";
  std::vector<Score> scores(r.count, base);
  std::vector<FixedMask> fixed(r.count, no_fixed(base.length()));
  std::vector<Score> pieces = sample(model, scores, fixed, style, options);
  if (r.open_end) {
    for (Score& piece : pieces) piece = music::excerpt(piece, 0, ticks);
  }
  return pieces;
}

int parse_position(const Score& score, const std::string& text, bool end) {
  std::string t = util::trim(text);
  size_t colon = t.find(':');
  int bar = util::parse_int(colon == std::string::npos ? t : t.substr(0, colon), "bar");
  int beat = colon == std::string::npos ? 0 : util::parse_int(t.substr(colon + 1), "beat");
  if (colon != std::string::npos && beat < 1) throw Error("beats are numbered from 1 ('" + t + "')");
  std::vector<int> starts = bar_starts(score);
  for (size_t i = 0; i < starts.size(); ++i) {
    if (score.meta[starts[i]].measure != bar) continue;
    int bar_end = i + 1 < starts.size() ? starts[i + 1] : score.length();
    if (beat == 0) return end ? bar_end : starts[i];
    const music::TickMeta& m = score.meta[starts[i]];
    int beat_len = m.time.ticks_per_beat();
    int bar_origin = starts[i] - m.tick_in_bar;  // where the bar would start if complete
    int tick = bar_origin + (beat - 1) * beat_len + (end ? beat_len : 0);
    if (tick < starts[i] || tick > bar_end || (!end && tick == bar_end)) {
      throw Error("bar " + std::to_string(bar) + " has no beat " + std::to_string(beat));
    }
    return tick;
  }
  throw Error("bar " + std::to_string(bar) + " does not exist");
}

std::vector<int> parse_voices(const std::string& list) {
  static const std::pair<const char*, int> kNames[] = {
      {"soprano", 0}, {"s", 0},       {"alto", 1},  {"a", 1},     {"tenor", 2}, {"t", 2}, {"bass", 3}, {"b", 3},
      {"violin1", 0}, {"violin2", 1}, {"viola", 2}, {"cello", 3}, {"1", 0},     {"2", 1}, {"3", 2},    {"4", 3}};
  std::vector<int> voices;
  std::istringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::string name = util::to_lower(util::trim(item));
    if (name == "all") return {0, 1, 2, 3};
    int found = -1;
    for (const auto& [n, v] : kNames)
      if (name == n) found = v;
    if (found < 0)
      throw Error("unknown voice '" + item + "' (soprano, alto, tenor, bass, violin1, violin2, viola, cello or 1-4)");
    if (std::find(voices.begin(), voices.end(), found) == voices.end()) voices.push_back(found);
  }
  if (voices.empty()) throw Error("no voices given");
  std::sort(voices.begin(), voices.end());
  return voices;
}

std::vector<Score> regenerate(model::Model& model, const Score& score, int from, int to, const std::vector<int>& voices,
                              int count, const SampleOptions& options, const std::optional<FixedMask>& fixed_in,
                              const std::string& style) {
  if (from < 0 || to > score.length() || from >= to) throw Error("empty or invalid region to regenerate");
  if (count < 1 || count > 64) throw Error("the number of alternatives must be 1 to 64");
  FixedMask fixed = fixed_in ? *fixed_in : no_fixed(score.length());
  for (int v = 0; v < kNumVoices; ++v) {
    bool chosen = std::find(voices.begin(), voices.end(), v) != voices.end();
    for (int t = 0; t < score.length(); ++t)
      if (!chosen || t < from || t >= to) fixed[v][t] = true;
  }
  std::vector<Score> scores(count, score);
  std::vector<FixedMask> masks(count, fixed);
  return sample(model, scores, masks, style_index(model, style), options);
}

namespace {

// The key whose Krumhansl-Kessler profile correlates best with the lengths of
// the pitch classes of `voices`, plus `bonus(tonic)`; with `third_decides`,
// the mode is then that of the third above the tonic the notes dwell on more.
template <typename Bonus>
music::KeySignature best_key(const Score& score, const std::vector<int>& voices, Bonus bonus, bool third_decides) {
  static const double kMajor[12] = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
  static const double kMinor[12] = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17};
  std::array<double, 12> weight{};
  for (int v : voices)
    for (const music::Note& n : music::voice_notes(score, v)) weight[n.pitch % 12] += n.length;
  auto correlation = [&](const double* profile, int tonic) {
    double mx = 0, my = 0;
    for (int i = 0; i < 12; ++i) {
      mx += weight[(i + tonic) % 12];
      my += profile[i];
    }
    mx /= 12;
    my /= 12;
    double sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < 12; ++i) {
      double x = weight[(i + tonic) % 12] - mx, y = profile[i] - my;
      sxy += x * y;
      sxx += x * x;
      syy += y * y;
    }
    return sxx > 0 ? sxy / std::sqrt(sxx * syy) : 0;
  };
  double best = -2;
  int best_tonic = 0;
  bool minor_key = false;
  for (int tonic = 0; tonic < 12; ++tonic) {
    double major = correlation(kMajor, tonic) + bonus(tonic), minor = correlation(kMinor, tonic) + bonus(tonic);
    if (major > best) {
      best = major;
      best_tonic = tonic;
      minor_key = false;
    }
    if (minor > best) {
      best = minor;
      best_tonic = tonic;
      minor_key = true;
    }
  }
  const double minor_third = weight[(best_tonic + 3) % 12], major_third = weight[(best_tonic + 4) % 12];
  if (third_decides && minor_third != major_third) minor_key = minor_third > major_third;
  return minor_key ? music::KeySignature{music::major_key_fifths((best_tonic + 3) % 12), music::Mode::kMinor}
                   : music::KeySignature{music::major_key_fifths(best_tonic), music::Mode::kMajor};
}

}  // namespace

music::KeySignature krumhansl_key(const Score& score, const std::vector<int>& voices) {
  return best_key(
      score, voices, [](int) { return 0.0; }, false);
}

music::KeySignature detect_key(const Score& score, const std::vector<int>& voices) {
  // A tune nearly always ends on its tonic, and a modal one sounds in the
  // mode of its third: Drunken Sailor's D Dorian is D minor, not A minor.
  const std::vector<music::Note> top =
      voices.empty() ? std::vector<music::Note>{} : music::voice_notes(score, voices[0]);
  const int last = top.empty() ? -1 : top.back().pitch % 12;
  constexpr double kFinalNoteBonus = 0.1;
  return best_key(
      score, voices, [&](int tonic) { return tonic == last ? kFinalNoteBonus : 0.0; }, true);
}

namespace {

// Fermatas at phrase ends of a melody, as a musician marks breaths: the last
// note, notes followed by a rest, and long notes on a beat (at least twice
// the typical note, and at least a dotted quarter in compound meters, a half
// note otherwise) that end a phrase of at least a bar and a half since the
// previous phrase end.
int infer_fermatas(Score& score) {
  std::vector<music::Note> notes = music::voice_notes(score, 0);
  if (notes.empty()) return 0;
  std::vector<int> lengths;
  for (const auto& n : notes) lengths.push_back(n.length);
  std::nth_element(lengths.begin(), lengths.begin() + lengths.size() / 2, lengths.end());
  const int typical = lengths[lengths.size() / 2];
  int count = 0;
  int previous_end = 0;  // tick after the previous phrase end (the start at first)
  for (size_t i = 0; i < notes.size(); ++i) {
    const music::Note& n = notes[i];
    const music::TimeSignature& time = score.meta[n.start].time;
    const int beat = time.ticks_per_beat();
    const bool compound = beat % 3 == 0;
    const int end = n.start + n.length;
    const bool last = i + 1 == notes.size();
    const bool before_rest = !last && notes[i + 1].start > end;
    const bool long_note = n.length >= 2 * typical && n.length >= (compound ? beat : std::min(8, 2 * beat));
    // A long note on a weak position is a syncopation, not a phrase end.
    const bool strong = score.meta[n.start].tick_in_bar % beat == 0;
    const bool phrase_long_enough = 2 * (end - previous_end) >= 3 * time.ticks_per_bar();
    if (last || before_rest || (long_note && strong && phrase_long_enough)) {
      for (int t = n.start; t < end; ++t) score.meta[t].fermata = true;
      previous_end = end;
      ++count;
    }
  }
  return count;
}

// Fermatas on the melody's last note starting before each of `ends` (sorted
// ticks where a phrase ends), where it has none. Returns how many it put.
int fermatas_before(Score& score, const std::vector<int>& ends) {
  const std::vector<music::Note> notes = music::voice_notes(score, 0);
  int count = 0;
  size_t i = 0;
  for (int end : ends) {
    while (i + 1 < notes.size() && notes[i + 1].start < end) ++i;
    if (notes.empty() || notes[i].start >= end || score.meta[notes[i].start].fermata) continue;
    for (int t = notes[i].start; t < notes[i].start + notes[i].length; ++t) score.meta[t].fermata = true;
    ++count;
  }
  return count;
}

// Fermatas where the file ends its phrases (Score::phrase_ends).
int fermatas_at_phrase_ends(Score& score) { return fermatas_before(score, score.phrase_ends); }

// Puts a fermata on the melody's last note (the end of its last phrase,
// where the final cadence falls) unless one is there; returns whether it did.
bool mark_last_note(Score& score) {
  const std::vector<music::Note> notes = music::voice_notes(score, 0);
  if (notes.empty()) return false;
  const music::Note& last = notes.back();
  for (int t = last.start; t < last.start + last.length; ++t)
    if (score.meta[t].fermata) return false;
  for (int t = last.start; t < last.start + last.length; ++t) score.meta[t].fermata = true;
  return true;
}

// Where the melody ends on the tonic of `key` or on its third (in minor the
// Picardy third too), the bass sounds the tonic under that last note (the
// tonic nearest A2 in its range), fixed, and the inner voices hold the chord
// they strike with it: the piece closes on the tonic chord, which the
// final-cadence rule asks of them. (A melody ending on the fifth may close on
// the tonic or on the dominant: that is left to the model and the rule.)
// Returns whether it did.
bool fix_final_bass(Score& score, FixedMask& fixed, const corpus::VoiceVocabulary& bass, music::KeySignature key) {
  const std::vector<music::Note> melody = music::voice_notes(score, 0);
  if (melody.empty()) return false;
  const int degree = (melody.back().pitch - music::tonic_pitch_class(key) + 12) % 12;
  const bool minor_third = degree == 3 && key.mode == music::Mode::kMinor;
  if (degree != 0 && degree != 4 && !minor_third) return false;
  constexpr int kA2 = 45;
  int pitch = -1;
  for (int p = bass.low; p <= bass.high; ++p)
    if (p % 12 == music::tonic_pitch_class(key) && (pitch < 0 || std::abs(p - kA2) < std::abs(pitch - kA2))) pitch = p;
  if (pitch < 0) return false;
  const music::Note& last = melody.back();
  constexpr int kBass = kNumVoices - 1;
  for (int t = last.start; t < last.start + last.length; ++t) {
    score.voices[kBass][t] = t == last.start ? pitch : music::kHold;
    fixed[kBass][t] = true;
    for (int v = 1; v < kBass && t > last.start; ++v) {
      if (fixed[v][t]) continue;
      score.voices[v][t] = music::kHold;
      fixed[v][t] = true;
    }
  }
  return true;
}

// Whether the score is written without a regular meter, as chant is often
// transcribed: one bar per phrase, the time signature changing at half of
// the bar lines or more, or a bar longer than any regular meter's.
bool unmetered(const Score& score) {
  const std::vector<int> starts = bar_starts(score);
  int changes = 0;
  for (size_t i = 0; i < starts.size(); ++i) {
    const music::TimeSignature& time = score.meta[starts[i]].time;
    if (time.ticks_per_bar() / music::kTicksPerQuarter > kMaxRegularBarQuarters) return true;
    changes += i > 0 && time != score.meta[starts[i - 1]].time;
  }
  return starts.size() > 2 && 2 * changes >= static_cast<int>(starts.size()) - 1;
}

// Fermatas at the bar lines of an unmetered melody (chant): there a bar line
// is a division, where the singers breathe. Returns how many it put.
int fermatas_at_bar_lines(Score& score) {
  std::vector<int> ends = bar_starts(score);
  ends.erase(ends.begin());
  ends.push_back(score.length());
  return fermatas_before(score, ends);
}

// In a compound meter (6/8, 9/8, 12/8) the harmony moves with the dotted
// beat, as a hymn arranger writes it: the alto, tenor and bass strike on the
// beat only (or where they enter after a rest), in dotted quarters and longer
// under the moving tune. The chorale model has seen only simple meters and
// reads a 6/8 bar as a 3/4 bar (its metadata count quarters), so it changed
// chords on the second and third eighths; the free positions where the rule
// allows no attack are fixed as holds. (Attacks on the last eighth as well,
// a quarter and an eighth, left as many chord changes off the beat and wrote
// quarters across the beat: README, "Melodies".)
void follow_compound_beats(Score& score, FixedMask& fixed) {
  for (int v = 1; v < kNumVoices; ++v) {
    for (int t = 1; t < score.length(); ++t) {
      const music::TimeSignature& time = score.meta[t].time;
      const bool compound = time.denominator >= 8 && time.ticks_per_beat() % 3 == 0;
      if (!compound || fixed[v][t] || score.beat_position(t) == 0) continue;
      if (fixed[v][t - 1] && score.voices[v][t - 1] == music::kRest) continue;
      score.voices[v][t] = music::kHold;
      fixed[v][t] = true;
    }
  }
}

int count_fermatas(const Score& score) {
  int n = 0;
  for (int t = 0; t < score.length(); ++t) n += score.meta[t].fermata && (t == 0 || !score.meta[t - 1].fermata);
  return n;
}

// Semitones that move the voices `keep` (ranges `used`) inside the model's
// ranges: 0 if they fit, else the smallest octave shift that fits, else the
// smallest shift of any size (of two, the one that leaves the melody nearer
// the middle of the range). A melody wider than the range is centred in it.
int fitting_transposition(const model::Model& model, const music::VoiceRanges& used, const std::vector<int>& keep) {
  auto overflow = [&](int shift) {  // semitones outside the ranges, summed over the kept voices
    int out = 0;
    for (int v : keep) {
      const corpus::VoiceVocabulary& vocab = model.config.vocab[v];
      out += std::max(0, vocab.low - (used[v].low + shift)) + std::max(0, used[v].high + shift - vocab.high);
    }
    return out;
  };
  auto off_centre = [&](int shift) {
    int sum = 0;
    for (int v : keep) {
      const corpus::VoiceVocabulary& vocab = model.config.vocab[v];
      sum += std::abs(used[v].low + used[v].high + 2 * shift - vocab.low - vocab.high);
    }
    return sum;
  };
  constexpr int kFurthest = 36;
  if (overflow(0) == 0) return 0;
  for (int octaves = 1; 12 * octaves <= kFurthest; ++octaves) {
    for (int shift : {-12 * octaves, 12 * octaves}) {
      if (overflow(shift) == 0) return shift;
    }
  }
  int best = 0;
  for (int shift = -kFurthest; shift <= kFurthest; ++shift) {
    auto key = [&](int s) { return std::make_tuple(overflow(s), std::abs(s), off_centre(s)); };
    if (key(shift) < key(best)) best = shift;
  }
  if (overflow(best) == 0) return best;
  // Wider than the range: the shift that centres it (notes left outside are
  // kept as they are; the sampler reads them an octave inside).
  best = 0;
  for (int shift = -kFurthest; shift <= kFurthest; ++shift) {
    if (std::make_pair(off_centre(shift), std::abs(shift)) < std::make_pair(off_centre(best), std::abs(best)))
      best = shift;
  }
  return best;
}

int notes_outside(const corpus::VoiceVocabulary& vocab, const std::vector<music::Token>& voice) {
  int n = 0;
  for (music::Token t : voice) n += music::is_pitch(t) && !vocab.contains_pitch(t);
  return n;
}

}  // namespace

std::optional<int> parse_transpose(const std::string& text) {
  const std::string t = util::to_lower(util::trim(text));
  if (t == "auto") return std::nullopt;
  if (t == "none") return 0;
  const int semitones = util::parse_int(t, "transposition (auto, none or semitones)");
  if (std::abs(semitones) > 36) throw Error("transposition " + t + " is more than three octaves");
  return semitones;
}

std::vector<Score> reharmonize(model::Model& model, const Score& input, const ReharmonizeRequest& r,
                               const SampleOptions& options, ReharmonizeReport* report) {
  if (r.keep.empty()) throw Error("at least one voice must be kept");
  if (r.count < 1 || r.count > 64) throw Error("--count must be between 1 and 64");
  for (int v : r.keep) {
    if (music::voice_notes(input, v).empty()) {
      throw Error(input.source + ": voice " + std::to_string(v + 1) + " to keep has no notes");
    }
  }
  ReharmonizeReport info;
  info.quantization = input.quantization;
  Score score = input;
  // Move the kept voices into the model's ranges, as a singer transposes.
  const music::VoiceRanges used = music::score_ranges(score);
  info.transposition = r.transpose ? *r.transpose : fitting_transposition(model, used, r.keep);
  if (info.transposition != 0) score = music::transpose(score, info.transposition);
  for (int v : r.keep) info.notes_outside_range += notes_outside(model.config.vocab[v], score.voices[v]);
  // Key: given or detected.
  info.key_detected = !r.key.has_value();
  info.key = r.key ? music::transpose_key(*r.key, info.transposition) : detect_key(score, r.keep);
  for (auto& m : score.meta) m.key = info.key;
  // Fermatas: given, from the file, or (chorales) at its phrase marks or
  // inferred at phrase ends; a string quartet has only those asked for or
  // written in the file.
  const int style = style_index(model, r.style);
  const bool chorale = is_chorale_style(model, style);
  const bool metered = !unmetered(score);
  if (!r.fermatas.empty()) {
    apply_fermatas(score, r.fermatas);
  } else if (chorale && count_fermatas(score) == 0 && fermatas_at_phrase_ends(score) > 0) {
    info.fermatas_from_phrase_marks = true;
  } else if (chorale && count_fermatas(score) == 0) {
    if (!metered) {
      fermatas_at_bar_lines(score);
      info.fermatas_at_bar_lines = true;
    } else {
      infer_fermatas(score);
    }
    info.fermatas_inferred = true;
  }
  const bool melody_kept = std::find(r.keep.begin(), r.keep.end(), 0) != r.keep.end();
  if (chorale && melody_kept && util::to_lower(util::trim(r.fermatas)) != "none")
    info.final_fermata_added = mark_last_note(score);
  info.fermata_count = count_fermatas(score);
  // Kept voices are fixed note for note; the others are free, except that in
  // a chorale they rest where the melody rests: a choir breathes together,
  // and no chord is attacked under the melody's rest (a quartet's
  // accompaniment may go on).
  FixedMask fixed = no_fixed(score.length());
  for (int v : r.keep) fixed[v].assign(score.length(), true);
  for (int v = 0; v < kNumVoices; ++v) {
    if (std::find(r.keep.begin(), r.keep.end(), v) != r.keep.end()) continue;
    score.voices[v].assign(score.length(), music::kRest);
    score.letters[v].clear();
    if (!melody_kept || !chorale) continue;
    for (int t = 0; t < score.length(); ++t) fixed[v][t] = score.voices[0][t] == music::kRest;
  }
  const bool bass_free = std::find(r.keep.begin(), r.keep.end(), kNumVoices - 1) == r.keep.end();
  if (melody_kept && bass_free && options.final_tonic) {
    info.final_bass_fixed = fix_final_bass(score, fixed, model.config.vocab[kNumVoices - 1], info.key);
  }
  if (melody_kept && chorale && r.keep.size() == 1 && metered) follow_compound_beats(score, fixed);
  if (!chorale) score.ensemble = music::Ensemble::kStringQuartet;
  score.part_names = music::default_part_names(score.ensemble);
  std::vector<Score> scores(r.count, score);
  std::vector<FixedMask> masks(r.count, fixed);
  if (report) *report = info;
  return sample(model, scores, masks, style, options);
}

}  // namespace dq::sample
