#include "io/kern_reader.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

#include "music/pitch.h"
#include "music/rational.h"
#include "music/score_builder.h"
#include "util/error.h"
#include "util/file_util.h"
#include "util/text.h"

namespace dq::io {

namespace {

using music::Rational;

// Limits on hostile input (the corpus stays far below each).
constexpr size_t kMaxSpines = 32;
constexpr size_t kMaxStops = 16;  // notes in one chord token
constexpr int64_t kMaxLines = 2'000'000;
constexpr int64_t kMaxNotes = 100'000;  // notes and rests; the corpus needs < 10,000
constexpr int kMaxMeasures = 10'000;
constexpr int kMaxChanges = 1'000;            // key and meter changes
constexpr int64_t kMaxQuarters = 25'000;      // ScoreBuilder's 100,000 sixteenths
constexpr int64_t kMaxDenominator = 1 << 24;  // finest time step kept exact
constexpr int64_t kMaxReciprocal = 10'000;    // shortest note: 1/10000 of a whole
constexpr int kMaxDots = 4;
constexpr int kMaxPitchLetters = 9;  // cccccc... or CCCC...
constexpr int kMaxAccidentals = 3;

// Characters of a note token that carry no pitch, duration, tie, fermata or
// phrase end ("}", and the breath mark ","): slurs, phrase starts, beams, stems, articulations, ornaments, bowings,
// editorial and hidden marks.
constexpr std::string_view kIgnoredChars = "(){LJKk/\\'\"`~^tTSsMmWwRO$oxXyYzZ?&:|<>vuUNHhIipP@+";

// One spine at the current line.
struct Spine {
  bool kern = false;  // a **kern spine: its notes belong to `part`
  bool typed = true;  // false for a spine added by *+ until its ** token
  int part = -1;      // 0 = top part (the rightmost **kern spine of the header)
  Rational end;       // when the latest note or rest of this spine ends
  bool late = false;  // a note of this measure started after its line's time
};

// One stop (note or rest) of a data token.
struct Stop {
  Rational duration;  // quarters; 0 for grace notes
  int pitch = music::kRest;
  music::Letter letter = music::kUnspelled;
  bool grace = false;
  bool tie_from_previous = false;
  bool fermata = false;
  bool phrase_end = false;  // "}": the note ends a phrase
};

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// `text` made safe to print: at most 40 characters, odd bytes as '?'.
std::string quoted(std::string_view text) {
  std::string out = "'";
  for (size_t i = 0; i < text.size() && i < 40; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    out += (c >= 32 && c < 127) ? static_cast<char>(c) : '?';
  }
  if (text.size() > 40) out += "...";
  return out + "'";
}

std::string time_name(Rational quarters) {
  std::string s = std::to_string(quarters.num);
  if (quarters.den != 1) s += "/" + std::to_string(quarters.den);
  return s;
}

// Reads one file line by line, feeding a ScoreBuilder.
class KernParser {
 public:
  KernParser(const std::string& source, const ReadOptions& options)
      : source_(source), options_(options), builder_(source) {}

  music::Score parse(std::string_view text);

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(source_ + ":line " + std::to_string(line_number_) + ": " + what);
  }

  void read_line(std::string_view line);
  void read_reference(std::string_view line);
  void read_header(const std::vector<std::string_view>& tokens);
  void read_interpretations(const std::vector<std::string_view>& tokens);
  void read_tandem(std::string_view token, int part);
  void read_key(std::string_view body);
  void read_mode(std::string_view body);
  void read_meter(std::string_view body);
  void apply_key();
  void count_change();
  void apply_manipulators(const std::vector<std::string_view>& tokens);
  void read_barline(const std::vector<std::string_view>& tokens);
  void read_data(const std::vector<std::string_view>& tokens);
  Stop parse_stop(std::string_view text, size_t spine) const;
  Rational parse_duration(std::string_view text, size_t& i, size_t spine) const;

  std::string source_;
  const ReadOptions& options_;
  music::ScoreBuilder builder_;
  int64_t line_number_ = 0;
  bool header_seen_ = false;
  std::vector<Spine> spines_;
  Rational now_;  // time of the current line, in quarters
  int64_t notes_ = 0;
  int64_t late_notes_ = 0;  // notes placed at their spine's time, after their line's
  std::string first_late_note_;
  int measures_ = 0;
  int changes_ = 0;          // key and meter changes
  int measure_number_ = -1;  // of the current measure, -1 before any numbered bar line
  Rational measure_start_;   // where the current measure number started
  // Key signature: fifths from *k[...], mode from *G: / *g: tokens.
  int fifths_ = 0;
  music::Mode mode_ = music::Mode::kUnknown;
  bool mode_set_ = false;
  Rational mode_time_;
  bool key_applied_ = false;
  music::KeySignature applied_key_;
  bool meter_applied_ = false;
  music::TimeSignature applied_meter_;
  bool saw_strings_ = false;
  bool saw_voices_ = false;
  std::string title_;
  int title_rank_ = 0;  // 2 = OTL or OTL@@ (original language), 1 = a translation
  std::string composer_;
};

music::Score KernParser::parse(std::string_view text) {
  if (starts_with(text, "\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  size_t pos = 0;
  while (pos < text.size()) {
    size_t newline = text.find('\n', pos);
    if (newline == std::string_view::npos) newline = text.size();
    std::string_view line = text.substr(pos, newline - pos);
    pos = newline + 1;
    if (++line_number_ > kMaxLines) fail("more than " + std::to_string(kMaxLines) + " lines");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    read_line(line);
  }
  if (!header_seen_) throw Error(source_ + ": no **kern header line (not a Humdrum file?)");
  if (late_notes_ > 0) {
    builder_.warn(std::to_string(late_notes_) +
                  " notes were written on a line before their spine's previous note ended and "
                  "were placed when it ends (first: " +
                  first_late_note_ + ")");
  }

  // The instruments decide the ensemble; files without any (the CCARH
  // "stage1" quartets) often still say "String Quartet" in their title.
  const std::string lower_title = util::to_lower(title_);
  if (saw_strings_ || (!saw_voices_ && lower_title.find("string quartet") != std::string::npos)) {
    builder_.set_ensemble(music::Ensemble::kStringQuartet);
  } else if (saw_voices_) {
    builder_.set_ensemble(music::Ensemble::kChoir);
  }
  builder_.set_title(title_);
  builder_.set_composer(composer_);
  if (!options_.parts.empty()) builder_.select_parts(options_.parts);
  return builder_.build();
}

void KernParser::read_line(std::string_view line) {
  if (line.empty()) return;  // not valid Humdrum, but harmless
  if (starts_with(line, "!!")) {
    if (starts_with(line, "!!!")) read_reference(line);
    return;
  }
  if (spines_.empty()) {
    if (header_seen_) fail("text after all spines have ended: " + quoted(line));
    if (!starts_with(line, "**")) fail("expected the **kern header line, found " + quoted(line));
  }

  // Split into tokens; the count must match the spines before anything is kept.
  size_t count = std::count(line.begin(), line.end(), '\t') + 1;
  size_t expected = header_seen_ ? spines_.size() : count;
  if (count > kMaxSpines) fail("more than " + std::to_string(kMaxSpines) + " spines");
  if (count != expected) {
    fail(std::to_string(count) + " tokens but " + std::to_string(expected) + " spines");
  }
  std::vector<std::string_view> tokens;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    tokens.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].empty()) fail("spine " + std::to_string(i + 1) + " has an empty token");
  }

  if (!header_seen_) {
    read_header(tokens);
    return;
  }
  // Every token of a line is of one kind: interpretation, bar line, comment or data.
  char kind = tokens[0][0];
  bool record = kind == '*' || kind == '=' || kind == '!';
  for (size_t i = 0; i < tokens.size(); ++i) {
    char c = tokens[i][0];
    bool same = record ? c == kind : (c != '*' && c != '=' && c != '!');
    if (!same)
      fail("spine " + std::to_string(i + 1) + " token " + quoted(tokens[i]) + " does not match the kind of the line");
  }
  if (kind == '*') {
    read_interpretations(tokens);
  } else if (kind == '=') {
    read_barline(tokens);
  } else if (kind != '!') {  // local comments are skipped
    read_data(tokens);
  }
}

void KernParser::read_reference(std::string_view line) {
  std::string_view body = line.substr(3);
  size_t colon = body.find(':');
  if (colon == std::string_view::npos) return;
  std::string_view key = body.substr(0, colon);
  std::string_view value = body.substr(colon + 1);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return;
  if (key == "COM" && composer_.empty()) composer_ = std::string(value);
  if (key == "OTL" || starts_with(key, "OTL@")) {
    int rank = (key == "OTL" || starts_with(key, "OTL@@")) ? 2 : 1;
    if (rank > title_rank_) {
      title_ = std::string(value);
      title_rank_ = rank;
    }
  }
}

void KernParser::read_header(const std::vector<std::string_view>& tokens) {
  int kern_spines = 0;
  for (std::string_view t : tokens) {
    if (!starts_with(t, "**")) {
      fail("header token " + quoted(t) + " is not an exclusive interpretation (**...)");
    }
    if (t == "**kern") ++kern_spines;
  }
  if (kern_spines == 0) fail("no **kern spine");
  // Spines run from the lowest part (left) to the highest (right).
  int kern_index = 0;
  for (std::string_view t : tokens) {
    Spine spine;
    spine.kern = t == "**kern";
    if (spine.kern) spine.part = kern_spines - 1 - kern_index++;
    spines_.push_back(spine);
  }
  header_seen_ = true;
}

bool is_manipulator(std::string_view t) { return t == "*^" || t == "*v" || t == "*-" || t == "*+" || t == "*x"; }

void KernParser::read_interpretations(const std::vector<std::string_view>& tokens) {
  bool manipulates = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string_view t = tokens[i];
    Spine& spine = spines_[i];
    if (is_manipulator(t)) {
      manipulates = true;
    } else if (starts_with(t, "**")) {
      if (spine.typed) fail("spine " + std::to_string(i + 1) + " changes its type to " + quoted(t));
      if (t == "**kern") fail("a **kern spine added in the middle of the piece is not supported");
      spine.typed = true;
    } else if (spine.kern) {
      read_tandem(t, spine.part);
    }
  }
  if (manipulates) apply_manipulators(tokens);
}

void KernParser::read_tandem(std::string_view token, int part) {
  std::string_view body = token.substr(1);
  if (starts_with(body, "k[")) {
    read_key(body);
  } else if (body.size() > 1 && body[0] == 'M' && body[1] >= '0' && body[1] <= '9') {
    read_meter(body);
  } else if (starts_with(body, "I\"") || starts_with(body, "I:")) {
    std::string name(body.substr(2));
    if (!name.empty()) builder_.set_part_name(part, name);
  } else if (starts_with(body, "IC")) {
    if (body == "ICstr") saw_strings_ = true;
    if (body == "ICvox") saw_voices_ = true;
  } else if (starts_with(body, "I")) {
    std::string_view code = body.substr(1);
    if (code == "violn" || code == "viola" || code == "cello") saw_strings_ = true;
    if (code == "soprn" || code == "mezzo" || code == "calto" || code == "alto" || code == "tenor" || code == "barit" ||
        code == "bass" || code == "vox") {
      saw_voices_ = true;
    }
  } else if (body.find(':') != std::string_view::npos) {
    read_mode(body);
  }
  // Everything else (*clef, *met, *MM, *staff, *>A, *tb, ...) is ignored.
}

// *k[f#c#] or *k[b-e-a-]: the number of sharps minus the number of flats.
void KernParser::read_key(std::string_view body) {
  if (body.back() != ']') fail("bad key signature " + quoted(body));
  int sharps = 0, flats = 0;
  std::string_view inside = body.substr(2, body.size() - 3);
  for (size_t i = 0; i < inside.size(); ++i) {
    char c = inside[i];
    if (c == '#') {
      ++sharps;
    } else if (c == '-') {
      ++flats;
    } else if (c < 'a' || c > 'g') {
      fail("bad key signature " + quoted(body));
    }
  }
  if ((sharps > 0 && flats > 0) || sharps > 7 || flats > 7) {
    fail("unsupported key signature " + quoted(body));
  }
  int fifths = sharps - flats;
  // A new signature without a mode token at the same moment has an unknown mode.
  if (fifths != fifths_ && !(mode_set_ && mode_time_ == now_)) mode_ = music::Mode::kUnknown;
  fifths_ = fifths;
  apply_key();
}

// *G: (major), *e-: (minor), *g:dor (a church mode: unknown).
void KernParser::read_mode(std::string_view body) {
  size_t colon = body.find(':');
  std::string_view tonic = body.substr(0, colon);
  if (tonic.empty() || tonic.size() > 3) return;
  char letter = tonic[0];
  bool upper = letter >= 'A' && letter <= 'G';
  bool lower = letter >= 'a' && letter <= 'g';
  if (!upper && !lower) return;
  for (char c : tonic.substr(1)) {
    if (c != '#' && c != '-') return;  // e.g. *C/a: (ambiguous) is ignored
  }
  bool modal = colon + 1 < body.size();
  mode_ = modal ? music::Mode::kUnknown : (upper ? music::Mode::kMajor : music::Mode::kMinor);
  mode_set_ = true;
  mode_time_ = now_;
  apply_key();
}

void KernParser::apply_key() {
  music::KeySignature key{fifths_, mode_};
  if (key_applied_ && key == applied_key_) return;
  count_change();
  builder_.set_key(now_, key);
  applied_key_ = key;
  key_applied_ = true;
}

void KernParser::count_change() {
  if (++changes_ > kMaxChanges) {
    fail("more than " + std::to_string(kMaxChanges) + " key and meter changes");
  }
}

// *M3/4; other forms (*MX, *M3/8+2/8, ...) are ignored.
void KernParser::read_meter(std::string_view body) {
  size_t slash = body.find('/');
  if (slash == std::string_view::npos || slash + 1 >= body.size()) return;
  std::string_view top = body.substr(1, slash - 1);
  std::string_view bottom = body.substr(slash + 1);
  auto all_digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!all_digits(top) || !all_digits(bottom)) return;
  music::TimeSignature meter{std::stoi(std::string(top)), std::stoi(std::string(bottom))};
  int d = meter.denominator;
  bool valid_bottom = d == 1 || d == 2 || d == 4 || d == 8 || d == 16;
  if (!valid_bottom || meter.numerator < 1 || meter.numerator > 64) {
    fail("unsupported meter " + quoted(body));
  }
  if (meter_applied_ && meter == applied_meter_) return;
  count_change();
  builder_.set_time(now_, meter);
  applied_meter_ = meter;
  meter_applied_ = true;
}

void KernParser::apply_manipulators(const std::vector<std::string_view>& tokens) {
  std::vector<Spine> next;
  size_t i = 0;
  while (i < tokens.size()) {
    std::string_view t = tokens[i];
    const Spine& spine = spines_[i];
    std::string where = "spine " + std::to_string(i + 1) + ": ";
    if (t == "*^") {
      next.push_back(spine);
      next.push_back(spine);
    } else if (t == "*v") {
      // Adjacent *v tokens of the same part (or of non-kern spines) merge.
      size_t j = i + 1;
      Spine merged = spine;
      while (j < tokens.size() && tokens[j] == "*v" && spines_[j].kern == spine.kern && spines_[j].part == spine.part) {
        merged.end = std::max(merged.end, spines_[j].end);
        ++j;
      }
      if (j - i < 2) fail(where + "*v must join two or more adjacent spines of the same part");
      next.push_back(merged);
      i = j;
      continue;
    } else if (t == "*x") {
      if (i + 1 >= tokens.size() || tokens[i + 1] != "*x") {
        fail(where + "*x must exchange two adjacent spines");
      }
      next.push_back(spines_[i + 1]);
      next.push_back(spine);
      i += 2;
      continue;
    } else if (t == "*+") {
      next.push_back(spine);
      Spine added;
      added.typed = false;
      added.end = now_;
      next.push_back(added);
    } else if (t != "*-") {
      next.push_back(spine);
    }
    if (next.size() > kMaxSpines) fail("more than " + std::to_string(kMaxSpines) + " spines");
    ++i;
  }
  if (next.size() > kMaxSpines) fail("more than " + std::to_string(kMaxSpines) + " spines");
  spines_ = std::move(next);
}

// =12, =12-, =12a, ==, =:|!, ... A numbered bar line starts that measure.
// An unnumbered one (humlib's musicxml2hum, inside Verovio, writes "=1" and
// then only "=") is counted: after a full bar of the current meter it starts
// the next measure; after a shorter one it continues the measure (a bar split
// by a repeat sign, =:|!), unless that is the piece's first measure and the
// bar line has no repeat sign: then the first measure was a pickup, and is
// numbered one less. Unnumbered bar lines before any numbered one count from
// 1, or from 0 after a pickup.
void KernParser::read_barline(const std::vector<std::string_view>& tokens) {
  std::string_view t = tokens[0];
  size_t i = 1;
  int number = -1;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
    if (i > 6) fail("bar number too large in " + quoted(t));
    number = (number < 0 ? 0 : number * 10) + (t[i] - '0');
    ++i;
  }
  for (size_t k = 0; k < spines_.size(); ++k) {
    Spine& spine = spines_[k];
    if (spine.late && spine.end != now_) {
      fail("spine " + std::to_string(k + 1) + " is out of step: its notes end at quarter " + time_name(spine.end) +
           " but the bar line is at quarter " + time_name(now_));
    }
    spine.late = false;
  }
  if (++measures_ > kMaxMeasures) fail("more than " + std::to_string(kMaxMeasures) + " bar lines");
  if (t.find("||") != std::string_view::npos) builder_.add_phrase_end(now_);  // a double bar line
  const Rational bar(4 * applied_meter_.numerator, applied_meter_.denominator);
  const bool full = now_ - measure_start_ >= bar;
  if (number < 0 && measure_number_ < 0 && now_ > Rational(0)) number = full ? 2 : 1;
  if (number >= 0) {
    // The music before the first numbered bar line is the measure before it.
    if (measure_number_ < 0 && now_ > Rational(0)) {
      builder_.add_measure(0, std::max(0, number - 1));
    }
    measure_number_ = number;
    measure_start_ = now_;
    builder_.add_measure(now_, number);
  } else if (measure_number_ >= 0) {
    if (full) {
      ++measure_number_;
      measure_start_ = now_;
    } else if (measure_start_ == Rational(0) && now_ > Rational(0) && t.find(':') == std::string_view::npos) {
      // A pickup after "=N" at the very start (a repeat sign, =:|!, splits
      // the measure instead): it is measure N - 1 (the later add_measure at
      // tick 0 wins).
      builder_.add_measure(0, std::max(0, measure_number_ - 1));
      measure_start_ = now_;
    }
    builder_.add_measure(now_, measure_number_);
  }
}

void KernParser::read_data(const std::vector<std::string_view>& tokens) {
  for (size_t i = 0; i < tokens.size(); ++i) {
    Spine& spine = spines_[i];
    std::string_view token = tokens[i];
    if (!spine.kern || token == ".") continue;

    std::vector<Stop> stops;
    size_t start = 0;
    while (true) {
      size_t space = token.find(' ', start);
      size_t length = space == std::string_view::npos ? space : space - start;
      std::string_view text = token.substr(start, length);
      if (stops.size() == kMaxStops) {
        fail("spine " + std::to_string(i + 1) + ": more than " + std::to_string(kMaxStops) + " notes in one chord");
      }
      stops.push_back(parse_stop(text, i));
      if (space == std::string_view::npos) break;
      start = space + 1;
    }

    // Grace notes take no time; the others start now and the spine's next
    // token comes when the shortest of them ends.
    Rational shortest(-1);
    for (const Stop& s : stops) {
      if (!s.grace && (shortest < Rational(0) || s.duration < shortest)) shortest = s.duration;
    }
    Rational onset = now_;
    if (shortest >= Rational(0)) {
      if (spine.end > now_) {
        // Written too early (a mis-aligned line): the spine's own durations
        // win, provided it is back in step by the next bar line.
        if (late_notes_++ == 0) {
          first_late_note_ = "line " + std::to_string(line_number_) + ", spine " + std::to_string(i + 1);
        }
        spine.late = true;
        onset = spine.end;
      }
      spine.end = onset + shortest;
      if (spine.end.den > kMaxDenominator) fail("durations too finely divided to keep exact");
      if (spine.end > Rational(kMaxQuarters)) {
        fail("piece longer than " + std::to_string(kMaxQuarters) + " quarter notes");
      }
    }

    int layer = 0;  // sub-spines of the same part to the left
    for (size_t j = 0; j < i; ++j) {
      if (spines_[j].kern && spines_[j].part == spine.part) ++layer;
    }
    for (const Stop& s : stops) {
      if (++notes_ > kMaxNotes) fail("more than " + std::to_string(kMaxNotes) + " notes");
      music::NoteEvent event;
      event.part = spine.part;
      event.layer = layer;
      event.onset = onset;
      event.duration = s.duration;
      event.pitch = s.pitch;
      event.letter = s.letter;
      event.tie_from_previous = s.tie_from_previous;
      event.grace = s.grace;
      event.fermata = s.fermata;
      builder_.add(event);
      if (s.phrase_end) builder_.add_phrase_end(onset + s.duration);
    }
  }
  // The next line starts when the earliest-ending note ends.
  bool any = false;
  Rational next;
  for (const Spine& s : spines_) {
    if (!s.kern) continue;
    if (!any || s.end < next) next = s.end;
    any = true;
  }
  if (any) now_ = next;
}

// Reads the duration starting at text[i] (digits, optional %digits, dots) of
// the note `text` and moves i past it.
Rational KernParser::parse_duration(std::string_view text, size_t& i, size_t spine) const {
  auto bad = [&](const std::string& why) {
    fail("spine " + std::to_string(spine + 1) + ": " + why + " in " + quoted(text));
  };
  auto read_number = [&](std::string& digits) {
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      digits += text[i++];
      if (digits.size() > 5) bad("unknown duration");
    }
  };
  std::string reciprocal, numerator;
  read_number(reciprocal);
  if (i < text.size() && text[i] == '%') {
    ++i;
    read_number(numerator);
    if (numerator.empty()) bad("unknown duration");
  }
  int dots = 0;
  while (i < text.size() && text[i] == '.') {
    ++i;
    if (++dots > kMaxDots) bad("too many dots");
  }

  Rational quarters;
  bool all_zeros = reciprocal.find_first_not_of('0') == std::string::npos;
  if (all_zeros) {  // 0 = breve, 00 = longa, 000 = maxima
    if (reciprocal.size() > 3 || !numerator.empty()) bad("unknown duration");
    quarters = Rational(int64_t{4} << reciprocal.size());
  } else {
    int64_t n = std::stoll(reciprocal);
    int64_t m = numerator.empty() ? 1 : std::stoll(numerator);
    if (reciprocal[0] == '0' || n > kMaxReciprocal || m < 1 || m > kMaxReciprocal) {
      bad("unknown duration");
    }
    quarters = Rational(4 * m, n);
  }
  // Each dot adds half of the previous value: d dots multiply by (2^(d+1)-1)/2^d.
  quarters = quarters * Rational((int64_t{2} << dots) - 1, int64_t{1} << dots);
  if (quarters > Rational(kMaxQuarters)) bad("duration too long");
  return quarters;
}

Stop KernParser::parse_stop(std::string_view text, size_t spine) const {
  auto bad = [&](const std::string& why) {
    fail("spine " + std::to_string(spine + 1) + ": " + why + " in " + quoted(text));
  };
  if (text.empty()) bad("empty note");
  Stop stop;
  bool has_duration = false, rest = false;
  char letter = 0;
  int letters = 0, sharps = 0, flats = 0;
  size_t last_letter = 0;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (has_duration) bad("two durations");
      stop.duration = parse_duration(text, i, spine);
      has_duration = true;
      continue;
    }
    if ((c >= 'a' && c <= 'g') || (c >= 'A' && c <= 'G')) {
      if (letters > 0 && (c != letter || last_letter + 1 != i)) bad("bad pitch");
      if (++letters > kMaxPitchLetters) bad("pitch out of range");
      letter = c;
      last_letter = i;
    } else if (c == '#') {
      ++sharps;
    } else if (c == '-') {
      ++flats;
    } else if (c == 'n') {
      // a written natural: no alteration
    } else if (c == 'r') {
      rest = true;
    } else if (c == 'q' || c == 'Q') {
      stop.grace = true;
    } else if (c == ';') {
      stop.fermata = true;
    } else if (c == '}' || c == ',') {
      stop.phrase_end = true;
    } else if (c == '_' || c == ']') {
      stop.tie_from_previous = true;
    } else if (c == '[') {
      // a tie starts: the next note of this pitch continues it
    } else if (kIgnoredChars.find(c) == std::string_view::npos) {
      bad("unexpected character " + quoted(std::string_view(&text[i], 1)));
    }
    ++i;
  }

  if (stop.grace) {
    stop.duration = Rational(0);
  } else if (!has_duration) {
    bad("no duration");
  }
  if (rest) {
    stop.pitch = music::kRest;  // a pitch on a rest only places it on the staff
    return stop;
  }
  if (letters == 0) bad("neither a pitch nor a rest");
  if ((sharps > 0 && flats > 0) || sharps > kMaxAccidentals || flats > kMaxAccidentals) {
    bad("bad accidental");
  }
  bool lower = letter >= 'a';
  int octave = lower ? 3 + letters : 4 - letters;
  int midi =
      music::midi_of(static_cast<char>(std::toupper(static_cast<unsigned char>(letter))), sharps - flats, octave);
  if (!music::is_pitch(midi)) bad("pitch out of range");
  stop.pitch = midi;
  static constexpr std::string_view kLetters = "cdefgab";
  stop.letter =
      static_cast<music::Letter>(kLetters.find(static_cast<char>(std::tolower(static_cast<unsigned char>(letter)))));
  return stop;
}

}  // namespace

music::Score parse_kern(const std::string& text, const std::string& source, const ReadOptions& options) {
  KernParser parser(source, options);
  return parser.parse(text);
}

music::Score read_kern(const std::string& path, const ReadOptions& options) {
  return parse_kern(util::read_file_bytes(path), path, options);
}

}  // namespace dq::io
