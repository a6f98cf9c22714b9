#include "io/musicxml_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <map>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "io/mxl_archive.h"
#include "music/pitch.h"
#include "music/score_builder.h"
#include "music/transpose.h"
#include "util/error.h"
#include "util/file_util.h"
#include "util/text.h"

namespace dq::io {

namespace {

using music::Rational;

constexpr int kMaxParts = 16;
constexpr int kMaxMeasures = 10000;
constexpr int64_t kMaxDivisions = 1000000;
// Longest piece, in quarter notes (100,000 sixteenths).
constexpr int64_t kMaxQuarters = 100000 / music::kTicksPerQuarter;
// Longest single <duration>, <backup> or <forward>, in quarter notes.
constexpr int64_t kMaxStepQuarters = 1024;
// Finest time unit kept: a position whose denominator (in quarters) grows past
// this is an error. Keeps the Rational arithmetic far from overflow.
constexpr int64_t kMaxDenominator = 1 << 22;
// Warnings kept per file; more are counted in one last line.
constexpr int kMaxWarnings = 20;

// Parses a decimal number ("480", "-1.0", "+2") into an exact fraction.
// Digits past the sixth after the point are ignored. Returns false for
// anything else or for more than 9 digits before the point.
bool parse_decimal(const char* text, Rational* out) {
  const char* p = text;
  while (std::isspace(static_cast<unsigned char>(*p))) ++p;
  bool negative = *p == '-';
  if (*p == '-' || *p == '+') ++p;
  int64_t num = 0;
  int64_t den = 1;
  int digits = 0;
  for (; std::isdigit(static_cast<unsigned char>(*p)); ++p, ++digits) {
    if (digits == 9) return false;
    num = num * 10 + (*p - '0');
  }
  if (*p == '.') {
    ++p;
    for (int fraction = 0; std::isdigit(static_cast<unsigned char>(*p)); ++p, ++digits) {
      if (++fraction > 6) continue;
      num = num * 10 + (*p - '0');
      den *= 10;
    }
  }
  while (std::isspace(static_cast<unsigned char>(*p))) ++p;
  if (*p != '\0' || digits == 0) return false;
  *out = Rational(negative ? -num : num, den);
  return true;
}

// Parses a whole number within [lo, hi].
bool parse_int(const char* text, int64_t lo, int64_t hi, int64_t* out) {
  Rational r;
  if (!parse_decimal(text, &r) || r.den != 1 || r.num < lo || r.num > hi) return false;
  *out = r.num;
  return true;
}

// The printed measure number: the leading digits of the number attribute
// ("12", "4a" -> 4), else one more than the previous measure's.
int measure_number(const char* text, int previous) {
  int number = 0;
  int digits = 0;
  for (const char* p = text; std::isdigit(static_cast<unsigned char>(*p)) && digits < 6; ++p) {
    number = number * 10 + (*p - '0');
    ++digits;
  }
  return digits > 0 ? number : previous + 1;
}

// One measure of one part, timed in quarter notes from the measure's start.
struct MeasureContent {
  std::string label;  // the number attribute as written, for messages
  int number = 0;     // the printed measure number
  Rational length;    // the furthest point the part reaches in the measure
  std::vector<music::NoteEvent> notes;
  std::vector<std::pair<Rational, music::KeySignature>> keys;
  std::vector<std::pair<Rational, music::TimeSignature>> times;
  std::vector<Rational> phrase_ends;  // breath marks, caesuras, double bar lines, phrase slurs
};
using PartContent = std::vector<MeasureContent>;

// A slur over this many notes or more, lasting this many quarters or more, is
// a phrase mark; a shorter one is an articulation or a melisma.
constexpr int kPhraseSlurNotes = 4;
constexpr int kPhraseSlurQuarters = 4;

// Reads one score-partwise document. Each part is read measure by measure;
// then the measures are lined up across parts (measure i starts where the
// longest part's measure i - 1 ends, so a part with a short measure does not
// drift) and handed to a ScoreBuilder.
class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source), builder_(source) {}

  music::Score read(pugi::xml_node root, const ReadOptions& options);

 private:
  PartContent read_part(pugi::xml_node part);
  void read_measure(pugi::xml_node measure);
  void read_attributes(pugi::xml_node attributes);
  void read_key(pugi::xml_node key);
  void read_time(pugi::xml_node time);
  void read_note(pugi::xml_node note);
  // Follows the slurs of a note (started, covering it, stopped); where a
  // phrase slur stops, a phrase ends after the note.
  void read_slurs(pugi::xml_node note, const music::NoteEvent& event);
  // The sounding MIDI pitch of a <pitch>, and its written letter (unspelled
  // in a part that transposes by other than octaves).
  int read_pitch(pugi::xml_node pitch, music::Letter* letter);
  // The <duration> child of `node` in quarter notes (>= 0, bounded).
  Rational duration_of(pugi::xml_node node);
  // Moves the current position by `step` quarter notes.
  void advance(Rational step);
  // Lines the measures of all parts up and feeds them to the builder.
  void assemble(std::vector<PartContent>& parts);
  void warn(const std::string& message);
  std::string where() const;
  [[noreturn]] void fail(const std::string& what) const;

  std::string source_;
  music::ScoreBuilder builder_;
  int warnings_ = 0;
  std::vector<std::string> part_names_;

  // Where the reader is, for messages.
  int part_ = 0;
  std::string measure_label_;

  // State of the current part and measure.
  Rational divisions_;  // 0 until <divisions> is read
  int transpose_ = 0;   // semitones from written to sounding pitch
  MeasureContent* measure_ = nullptr;
  Rational pos_;         // from the start of the measure
  Rational last_onset_;  // onset of the last note, for <chord/>
  struct OpenSlur {
    int notes = 0;
    Rational length;
  };
  std::map<std::string, OpenSlur> open_slurs_;  // by their number attribute
};

std::string Reader::where() const {
  std::string place = "part " + std::to_string(part_ + 1);
  if (!part_names_[part_].empty()) place += " (" + part_names_[part_] + ")";
  if (!measure_label_.empty()) place += ", measure " + measure_label_;
  return place;
}

void Reader::fail(const std::string& what) const { throw Error(source_ + ": " + where() + ": " + what); }

void Reader::warn(const std::string& message) {
  ++warnings_;
  if (warnings_ < kMaxWarnings) builder_.warn(message);
  if (warnings_ == kMaxWarnings) builder_.warn("more warnings left out");
}

music::Score Reader::read(pugi::xml_node root, const ReadOptions& options) {
  std::map<std::string, std::string> names;  // score-part id -> part-name
  for (pugi::xml_node sp : root.child("part-list").children("score-part")) {
    names[sp.attribute("id").value()] = sp.child_value("part-name");
  }
  std::vector<pugi::xml_node> parts;
  for (pugi::xml_node part : root.children("part")) {
    parts.push_back(part);
    if (parts.size() > kMaxParts) break;
  }
  if (parts.empty()) throw Error(source_ + ": no <part> in the score");
  if (parts.size() > kMaxParts) {
    auto all = root.children("part");
    auto count = std::distance(all.begin(), all.end());
    throw Error(source_ + ": " + std::to_string(count) + " parts: deepquartet reads at most " +
                std::to_string(kMaxParts));
  }

  std::string title = root.child("work").child_value("work-title");
  if (title.empty()) title = root.child_value("movement-title");
  builder_.set_title(title);
  for (pugi::xml_node creator : root.child("identification").children("creator")) {
    if (std::string(creator.attribute("type").value()) == "composer") {
      builder_.set_composer(creator.child_value());
      break;
    }
  }

  std::vector<PartContent> contents;
  for (size_t p = 0; p < parts.size(); ++p) {
    part_ = static_cast<int>(p);
    auto it = names.find(parts[p].attribute("id").value());
    part_names_.push_back(it != names.end() ? it->second : "");
    builder_.set_part_name(part_, part_names_.back());
    contents.push_back(read_part(parts[p]));
  }
  assemble(contents);
  if (!options.parts.empty()) builder_.select_parts(options.parts);
  return builder_.build();
}

PartContent Reader::read_part(pugi::xml_node part) {
  divisions_ = Rational(0);
  transpose_ = 0;
  open_slurs_.clear();
  PartContent content;
  int number = 0;
  for (pugi::xml_node measure : part.children("measure")) {
    measure_label_ = measure.attribute("number").value();
    if (measure_label_.empty()) measure_label_ = "#" + std::to_string(content.size() + 1);
    if (content.size() == kMaxMeasures) {
      fail("more than " + std::to_string(kMaxMeasures) + " measures");
    }
    number = measure_number(measure.attribute("number").value(), number);
    content.emplace_back();
    content.back().label = measure_label_;
    content.back().number = number;
    measure_ = &content.back();
    read_measure(measure);
  }
  measure_ = nullptr;
  measure_label_.clear();
  return content;
}

void Reader::read_measure(pugi::xml_node measure) {
  pos_ = last_onset_ = Rational(0);
  for (pugi::xml_node child : measure.children()) {
    std::string name = child.name();
    if (name == "attributes") {
      read_attributes(child);
    } else if (name == "note") {
      read_note(child);
    } else if (name == "backup") {
      pos_ = pos_ - duration_of(child);
      if (pos_ < Rational(0)) fail("<backup> goes back past the start of the measure");
    } else if (name == "forward") {
      advance(duration_of(child));
    } else if (name == "barline" && std::string(child.child_value("bar-style")) == "light-light") {
      measure_->phrase_ends.push_back(std::string(child.attribute("location").value()) == "left" ? Rational(0) : pos_);
    }
    measure_->length = std::max(measure_->length, pos_);
  }
}

void Reader::assemble(std::vector<PartContent>& parts) {
  size_t count = 0;
  for (const PartContent& part : parts) count = std::max(count, part.size());
  // starts[i]: where measure i begins in every part.
  std::vector<Rational> starts(count + 1);
  std::vector<int> numbers(count);
  for (size_t i = 0; i < count; ++i) {
    Rational length;
    bool numbered = false;
    for (const PartContent& part : parts) {
      if (i >= part.size()) continue;
      length = std::max(length, part[i].length);
      if (!numbered) numbers[i] = part[i].number;
      numbered = true;
    }
    starts[i + 1] = starts[i] + length;
    if (starts[i + 1] > Rational(kMaxQuarters) || starts[i + 1].den > kMaxDenominator) {
      part_ = 0;
      measure_label_ = std::to_string(numbers[i]);
      fail("the piece is longer than " + std::to_string(kMaxQuarters * music::kTicksPerQuarter) + " sixteenths");
    }
    // Empty measures mark no bar line.
    if (length > Rational(0)) builder_.add_measure(starts[i], numbers[i]);
  }

  // Signatures come from the first part; the others are only checked.
  std::vector<std::pair<Rational, music::KeySignature>> first_keys;
  for (size_t i = 0; i < parts[0].size(); ++i) {
    for (const auto& [at, key] : parts[0][i].keys) {
      builder_.set_key(starts[i] + at, key);
      first_keys.emplace_back(starts[i] + at, key);
    }
    for (const auto& [at, time] : parts[0][i].times) builder_.set_time(starts[i] + at, time);
  }
  std::stable_sort(first_keys.begin(), first_keys.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t p = 1; p < parts.size(); ++p) {
    part_ = static_cast<int>(p);
    for (size_t i = 0; i < parts[p].size(); ++i) {
      measure_label_ = parts[p][i].label;
      for (const auto& [at, key] : parts[p][i].keys) {
        auto after = std::upper_bound(first_keys.begin(), first_keys.end(), starts[i] + at,
                                      [](const Rational& t, const auto& entry) { return t < entry.first; });
        music::KeySignature first = after == first_keys.begin() ? music::KeySignature{} : std::prev(after)->second;
        if (first.fifths != key.fifths) {
          warn(where() + ": key signature of " + std::to_string(key.fifths) +
               " fifths differs from the first part's (" + std::to_string(first.fifths) + "); ignored");
        }
      }
    }
  }

  for (size_t p = 0; p < parts.size(); ++p) {
    for (size_t i = 0; i < parts[p].size(); ++i) {
      for (music::NoteEvent& note : parts[p][i].notes) {
        note.onset += starts[i];
        builder_.add(note);
      }
      for (const Rational& at : parts[p][i].phrase_ends) builder_.add_phrase_end(starts[i] + at);
    }
  }
}

void Reader::read_attributes(pugi::xml_node attributes) {
  if (pugi::xml_node divisions = attributes.child("divisions")) {
    int64_t value = 0;
    if (!parse_int(divisions.child_value(), 1, kMaxDivisions, &value)) {
      fail("<divisions> must be a whole number from 1 to " + std::to_string(kMaxDivisions) + ", not '" +
           divisions.child_value() + "'");
    }
    divisions_ = Rational(value);
  }
  if (pugi::xml_node transpose = attributes.child("transpose")) {
    int64_t chromatic = 0;
    int64_t octaves = 0;
    const char* text = transpose.child_value("chromatic");
    if (!parse_int(text, -48, 48, &chromatic)) {
      fail(std::string("bad <transpose><chromatic> '") + text + "'");
    }
    if (pugi::xml_node change = transpose.child("octave-change")) {
      if (!parse_int(change.child_value(), -4, 4, &octaves)) {
        fail(std::string("bad <octave-change> '") + change.child_value() + "'");
      }
    }
    transpose_ = static_cast<int>(chromatic + 12 * octaves);
  }
  // After <transpose>: a transposing part's key is written, not sounding.
  if (pugi::xml_node key = attributes.child("key")) read_key(key);
  if (pugi::xml_node time = attributes.child("time")) read_time(time);
}

void Reader::read_key(pugi::xml_node key) {
  pugi::xml_node fifths_node = key.child("fifths");
  if (!fifths_node) {
    warn(where() + ": key signature without <fifths> ignored");
    return;
  }
  int64_t fifths = 0;
  if (!parse_int(fifths_node.child_value(), -7, 7, &fifths)) {
    fail(std::string("bad key signature <fifths> '") + fifths_node.child_value() + "'");
  }
  music::KeySignature signature;
  signature.fifths = static_cast<int>(fifths);
  std::string mode = key.child_value("mode");
  if (mode == "major") signature.mode = music::Mode::kMajor;
  if (mode == "minor") signature.mode = music::Mode::kMinor;
  if (transpose_ % 12 != 0) signature = music::transpose_key(signature, transpose_);
  measure_->keys.emplace_back(pos_, signature);
}

void Reader::read_time(pugi::xml_node time) {
  if (time.child("senza-misura") || !time.child("beats")) return;
  // Beats may be a sum ("3+2").
  std::string beats = time.child_value("beats");
  int64_t numerator = 0;
  size_t from = 0;
  while (true) {
    size_t plus = beats.find('+', from);
    int64_t term = 0;
    if (!parse_int(beats.substr(from, plus - from).c_str(), 1, 64, &term)) {
      fail("bad time signature <beats> '" + beats + "'");
    }
    numerator += term;
    if (plus == std::string::npos) break;
    from = plus + 1;
  }
  int64_t denominator = 0;
  const char* beat_type = time.child_value("beat-type");
  if (!parse_int(beat_type, 1, 16, &denominator) || (denominator & (denominator - 1)) != 0 || numerator > 64) {
    fail("unsupported time signature " + beats + "/" + beat_type);
  }
  measure_->times.emplace_back(pos_, music::TimeSignature{static_cast<int>(numerator), static_cast<int>(denominator)});
}

Rational Reader::duration_of(pugi::xml_node node) {
  pugi::xml_node duration = node.child("duration");
  if (!duration) fail(std::string("<") + node.name() + "> without <duration>");
  if (divisions_ == Rational(0)) {
    fail("<duration> before any <divisions> (XML without divisions)");
  }
  Rational value;
  if (!parse_decimal(duration.child_value(), &value)) {
    fail(std::string("bad <duration> '") + duration.child_value() + "'");
  }
  if (value < Rational(0)) fail(std::string("negative duration ") + duration.child_value());
  Rational quarters = value / divisions_;
  if (quarters > Rational(kMaxStepQuarters)) {
    fail(std::string("absurd duration ") + duration.child_value() + " (" + std::to_string(quarters.num / quarters.den) +
         " quarter notes)");
  }
  if (quarters.den > kMaxDenominator) {
    fail(std::string("duration ") + duration.child_value() + " is too finely divided");
  }
  return quarters;
}

void Reader::advance(Rational step) {
  pos_ += step;
  if (pos_ > Rational(kMaxQuarters)) {
    fail("the piece is longer than " + std::to_string(kMaxQuarters * music::kTicksPerQuarter) + " sixteenths");
  }
  if (pos_.den > kMaxDenominator) fail("timing too finely divided (divisions change too often)");
}

int Reader::read_pitch(pugi::xml_node pitch, music::Letter* letter) {
  std::string step = pitch.child_value("step");
  if (step.size() != 1 || step[0] < 'A' || step[0] > 'G') fail("bad <step> '" + step + "'");
  Rational alter_value;
  pugi::xml_node alter = pitch.child("alter");
  if (alter && !parse_decimal(alter.child_value(), &alter_value)) {
    fail(std::string("bad <alter> '") + alter.child_value() + "'");
  }
  int64_t octave = 0;
  if (!parse_int(pitch.child_value("octave"), 0, 9, &octave)) {
    fail(std::string("bad <octave> '") + pitch.child_value("octave") + "'");
  }
  double semitones = std::round(alter_value.to_double());
  if (semitones < -3 || semitones > 3) fail(std::string("bad <alter> '") + alter.child_value() + "'");
  int midi = music::midi_of(step[0], static_cast<int>(semitones), static_cast<int>(octave)) + transpose_;
  if (!music::is_pitch(midi)) fail("pitch outside the MIDI range (" + std::to_string(midi) + ")");
  static constexpr std::string_view kLetters = "CDEFGAB";
  *letter = transpose_ % 12 == 0 ? static_cast<music::Letter>(kLetters.find(step[0])) : music::kUnspelled;
  return midi;
}

void Reader::read_slurs(pugi::xml_node note, const music::NoteEvent& event) {
  std::vector<pugi::xml_node> slurs;
  for (pugi::xml_node notations : note.children("notations"))
    for (pugi::xml_node slur : notations.children("slur")) slurs.push_back(slur);
  auto number = [](pugi::xml_node slur) { return std::string(slur.attribute("number").as_string("1")); };
  auto type = [](pugi::xml_node slur) { return std::string(slur.attribute("type").value()); };
  for (pugi::xml_node slur : slurs)
    if (type(slur) == "start") open_slurs_[number(slur)] = OpenSlur{};
  for (auto& [id, open] : open_slurs_) {
    ++open.notes;
    open.length += event.duration;
  }
  for (pugi::xml_node slur : slurs) {
    auto it = open_slurs_.find(number(slur));
    if (type(slur) != "stop" || it == open_slurs_.end()) continue;
    if (it->second.notes >= kPhraseSlurNotes && Rational(kPhraseSlurQuarters) <= it->second.length) {
      measure_->phrase_ends.push_back(event.onset + event.duration);
    }
    open_slurs_.erase(it);
  }
}

void Reader::read_note(pugi::xml_node note) {
  music::NoteEvent event;
  event.part = part_;
  event.grace = static_cast<bool>(note.child("grace"));
  bool chord = static_cast<bool>(note.child("chord"));
  event.duration = event.grace ? Rational(0) : duration_of(note);
  event.onset = chord ? last_onset_ : pos_;
  if (pugi::xml_node pitch = note.child("pitch")) {
    event.pitch = read_pitch(pitch, &event.letter);
  } else if (!note.child("rest") && !note.child("unpitched")) {
    fail("<note> without <pitch>, <rest> or <unpitched>");
  }
  int64_t voice = 1;
  if (pugi::xml_node v = note.child("voice")) {
    if (!parse_int(v.child_value(), 0, 1000, &voice)) voice = 1;
  }
  event.layer = static_cast<int>(voice);
  for (pugi::xml_node tie : note.children("tie")) {
    if (std::string(tie.attribute("type").value()) == "stop") event.tie_from_previous = true;
  }
  for (pugi::xml_node notations : note.children("notations")) {
    if (notations.child("fermata")) event.fermata = true;
    pugi::xml_node articulations = notations.child("articulations");
    if (articulations.child("breath-mark") || articulations.child("caesura")) {
      measure_->phrase_ends.push_back(event.onset + event.duration);
    }
    for (pugi::xml_node tied : notations.children("tied")) {
      if (std::string(tied.attribute("type").value()) == "stop") event.tie_from_previous = true;
    }
  }
  if (!chord && !event.grace) read_slurs(note, event);

  // Cue notes take time but do not sound; a zero-length note is no note.
  bool sounds = !note.child("cue") && (event.grace || event.duration > Rational(0));
  if (sounds) measure_->notes.push_back(event);
  if (!chord) last_onset_ = pos_;
  if (!chord && !event.grace) advance(event.duration);
}

bool has_mxl_extension(const std::string& path) { return util::extension_of(path) == ".mxl"; }

}  // namespace

music::Score parse_musicxml(const std::string& xml_text, const std::string& source, const ReadOptions& options) {
  if (static_cast<long long>(xml_text.size()) > kMaxInputBytes) {
    throw Error(source + ": MusicXML text too large (" + std::to_string(xml_text.size()) + " bytes)");
  }
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(xml_text.data(), xml_text.size());
  if (!parsed) {
    throw Error(source + ": not well-formed XML at byte offset " + std::to_string(parsed.offset) + ": " +
                parsed.description());
  }
  pugi::xml_node root = doc.document_element();
  std::string kind = root.name();
  if (kind == "score-timewise") {
    throw Error(source +
                ": score-timewise MusicXML is not supported; convert it to "
                "score-partwise (e.g. with MuseScore)");
  }
  if (kind != "score-partwise") {
    throw Error(source + ": not a MusicXML score (root element <" + kind + ">)");
  }
  return Reader(source).read(root, options);
}

music::Score read_musicxml(const std::string& path, const ReadOptions& options) {
  std::string bytes = util::read_file_bytes(path);
  if (has_mxl_extension(path)) return parse_musicxml(unzip_mxl(bytes, path), path, options);
  return parse_musicxml(bytes, path, options);
}

}  // namespace dq::io
