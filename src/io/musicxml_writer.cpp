#include "io/musicxml_writer.h"

#include <array>
#include <cctype>
#include <filesystem>
#include <map>
#include <pugixml.hpp>
#include <sstream>
#include <vector>

#include "io/mxl_archive.h"
#include "music/pitch.h"
#include "music/spelling.h"
#include "util/error.h"
#include "util/file_util.h"
#include "util/text.h"

namespace dq::io {

namespace {

using music::kRest;
using music::Score;
using music::TickMeta;
using music::Token;

// One division per tick: durations are written in sixteenths.
constexpr int kDivisions = music::kTicksPerQuarter;

constexpr char kDoctype[] =
    "score-partwise PUBLIC \"-//Recordare//DTD MusicXML 3.1 Partwise//EN\" "
    "\"http://www.musicxml.org/dtds/partwise.dtd\"";

// A note value MusicXML can write without ties.
struct NoteValue {
  int ticks;
  const char* type;
  bool dotted;
};
// Longest first: notes are split greedily into these.
constexpr NoteValue kValues[] = {{24, "whole", true}, {16, "whole", false}, {12, "half", true},
                                 {8, "half", false},  {6, "quarter", true}, {4, "quarter", false},
                                 {3, "eighth", true}, {2, "eighth", false}, {1, "16th", false}};
// Longest value that can carry a beam (a dotted eighth).
constexpr int kLongestBeamed = 3;

struct Clef {
  const char* sign;
  int line;
  int octave_change;
};
constexpr std::array<Clef, music::kNumVoices> kChoirClefs = {{{"G", 2, 0}, {"G", 2, 0}, {"G", 2, -1}, {"F", 4, 0}}};
constexpr std::array<Clef, music::kNumVoices> kQuartetClefs = {{{"G", 2, 0}, {"G", 2, 0}, {"C", 3, 0}, {"F", 4, 0}}};
// General MIDI programs, 1-based as MusicXML writes them.
constexpr std::array<int, music::kNumVoices> kChoirPrograms = {53, 53, 53, 53};  // Choir Aahs
constexpr std::array<int, music::kNumVoices> kQuartetPrograms = {41, 41, 42, 43};

// A written measure: ticks [start, end) with its printed number.
struct Measure {
  int start;
  int end;
  int number;
};

// One written <note>: a note or a rest, or a piece of a longer one.
struct Piece {
  int start = 0;
  int ticks = 0;
  Token pitch = kRest;
  music::Letter letter = music::kUnspelled;  // the note's written letter
  const NoteValue* value = nullptr;          // null for a whole-measure rest
  bool tie_stop = false;
  bool tie_start = false;
  bool fermata = false;
};

// A measure starts at every bar line, wherever the measure number changes
// and wherever the place in the bar jumps, so split bars and pickups are
// written as the Score has them.
std::vector<Measure> measures_of(const Score& score) {
  std::vector<Measure> measures;
  for (int t = 0; t < score.length(); ++t) {
    const TickMeta& m = score.meta[t];
    if (t == 0 || m.tick_in_bar == 0 || m.measure != score.meta[t - 1].measure ||
        m.tick_in_bar != score.meta[t - 1].tick_in_bar + 1) {
      if (!measures.empty()) measures.back().end = t;
      measures.push_back({t, score.length(), m.measure});
    }
  }
  return measures;
}

// True where a key or time signature changes (tick 0 excluded).
bool attributes_change(const Score& score, int t) {
  return t > 0 && (score.meta[t].key != score.meta[t - 1].key || score.meta[t].time != score.meta[t - 1].time);
}

// Splits `ticks` into written values, longest first, and appends the pieces.
void append_values(int start, int ticks, Token pitch, std::vector<Piece>* pieces) {
  for (const NoteValue& value : kValues) {
    while (ticks >= value.ticks) {
      Piece piece;
      piece.start = start;
      piece.ticks = value.ticks;
      piece.pitch = pitch;
      piece.value = &value;
      pieces->push_back(piece);
      start += value.ticks;
      ticks -= value.ticks;
    }
  }
}

// The written notes and rests of voice `v`: each note or rest run is cut at
// bar lines and signature changes (rests also where fermata runs begin or
// end), then split into written values; the pieces of a note are tied.
std::vector<Piece> pieces_of_voice(const Score& score, int v, const std::vector<music::Letter>& letters,
                                   const std::vector<Measure>& measures) {
  const int length = score.length();
  const std::vector<Token>& tokens = score.voices[v];
  std::vector<int> measure_end(length + 1, -1);  // at measure starts
  for (const Measure& m : measures) measure_end[m.start] = m.end;

  std::vector<Piece> pieces;
  int span_start = 0;
  for (int t = 1; t <= length; ++t) {
    bool rest = tokens[span_start] == kRest;
    bool continues = t < length && (rest ? tokens[t] == kRest : tokens[t] == music::kHold);
    if (continues) continue;
    // The span [span_start, t) is one note or one run of rests.
    size_t first_piece = pieces.size();
    int cut_from = span_start;
    for (int u = span_start + 1; u <= t; ++u) {
      bool cut = u == t || measure_end[u] >= 0 || attributes_change(score, u) ||
                 (rest && score.meta[u].fermata != score.meta[u - 1].fermata);
      if (!cut) continue;
      if (rest && measure_end[cut_from] == u) {
        Piece whole_measure;
        whole_measure.start = cut_from;
        whole_measure.ticks = u - cut_from;
        pieces.push_back(whole_measure);
      } else {
        append_values(cut_from, u - cut_from, tokens[span_start], &pieces);
      }
      cut_from = u;
    }
    for (size_t i = first_piece; i < pieces.size(); ++i) {
      Piece& piece = pieces[i];
      bool first = i == first_piece;
      piece.letter = letters[span_start];
      if (!rest) {
        piece.tie_stop = !first;
        piece.tie_start = i + 1 < pieces.size();
      }
      piece.fermata = score.meta[piece.start].fermata && (first || !score.meta[pieces[i - 1].start].fermata);
    }
    span_start = t;
  }
  return pieces;
}

// Beam texts (level 1 and level 2, null for none) of the pieces of one
// measure: eighths and 16ths within one beat are beamed together.
std::vector<std::array<const char*, 2>> beams_of(const Score& score, const std::vector<const Piece*>& pieces) {
  std::vector<std::array<const char*, 2>> beams(pieces.size(), {nullptr, nullptr});
  auto beat_of = [&](const Piece& p) {
    const TickMeta& m = score.meta[p.start];
    int beat_ticks = m.time.ticks_per_beat();
    int beat = m.tick_in_bar / beat_ticks;
    bool beamable =
        p.pitch != kRest && p.value && p.ticks <= kLongestBeamed && (m.tick_in_bar + p.ticks - 1) / beat_ticks == beat;
    return beamable ? beat : -1;
  };
  size_t i = 0;
  while (i < pieces.size()) {
    int beat = beat_of(*pieces[i]);
    size_t j = i + 1;
    while (beat >= 0 && j < pieces.size() && beat_of(*pieces[j]) == beat) ++j;
    if (j - i >= 2) {
      for (size_t k = i; k < j; ++k) {
        beams[k][0] = k == i ? "begin" : (k + 1 == j ? "end" : "continue");
        if (pieces[k]->ticks != 1) continue;
        bool before = k > i && pieces[k - 1]->ticks == 1;
        bool after = k + 1 < j && pieces[k + 1]->ticks == 1;
        if (before && after)
          beams[k][1] = "continue";
        else if (before)
          beams[k][1] = "end";
        else if (after)
          beams[k][1] = "begin";
        else
          beams[k][1] = k == i ? "forward hook" : "backward hook";
      }
    }
    i = j;
  }
  return beams;
}

const char* accidental_name(int alter) {
  switch (alter) {
    case 2:
      return "double-sharp";
    case 1:
      return "sharp";
    case -1:
      return "flat";
    case -2:
      return "flat-flat";
    default:
      return "natural";
  }
}

// The alterations in force within one bar: the key signature's, then those
// of the accidentals already written.
class BarAccidentals {
 public:
  void reset(int fifths) {
    fifths_ = fifths;
    written_.clear();
  }
  // True if a note spelled `p` needs an accidental; remembers it.
  bool needs_accidental(const music::SpelledPitch& p) {
    int key = p.step * 32 + p.octave + 8;  // octaves -1..9
    auto it = written_.find(key);
    int current = it != written_.end() ? it->second : key_alter(p.step);
    written_[key] = p.alter;
    return current != p.alter;
  }

 private:
  int key_alter(char step) const {
    static const char kSharpOrder[] = "FCGDAEB";
    for (int i = 0; i < 7; ++i) {
      if (kSharpOrder[i] != step) continue;
      if (fifths_ > i) return 1;
      if (-fifths_ > 6 - i) return -1;
    }
    return 0;
  }
  int fifths_ = 0;
  std::map<int, int> written_;
};

void set_text(pugi::xml_node parent, const char* name, const std::string& text) {
  parent.append_child(name).text().set(text.c_str());
}

void append_key(pugi::xml_node attributes, const music::KeySignature& key) {
  pugi::xml_node node = attributes.append_child("key");
  set_text(node, "fifths", std::to_string(key.fifths));
  if (key.mode == music::Mode::kMajor) set_text(node, "mode", "major");
  if (key.mode == music::Mode::kMinor) set_text(node, "mode", "minor");
}

void append_time(pugi::xml_node attributes, const music::TimeSignature& time) {
  pugi::xml_node node = attributes.append_child("time");
  set_text(node, "beats", std::to_string(time.numerator));
  set_text(node, "beat-type", std::to_string(time.denominator));
}

// The <attributes> at tick `t`: everything at the start of the piece, else
// the signatures that change there (nothing if none does).
void append_attributes(pugi::xml_node measure, const Score& score, int t, const Clef& clef) {
  bool first = t == 0;
  const TickMeta& now = score.meta[t];
  bool key = first || now.key != score.meta[t - 1].key;
  bool time = first || now.time != score.meta[t - 1].time;
  if (!key && !time) return;
  pugi::xml_node attributes = measure.append_child("attributes");
  if (first) set_text(attributes, "divisions", std::to_string(kDivisions));
  if (key) append_key(attributes, now.key);
  if (time) append_time(attributes, now.time);
  if (first) {
    pugi::xml_node node = attributes.append_child("clef");
    set_text(node, "sign", clef.sign);
    set_text(node, "line", std::to_string(clef.line));
    if (clef.octave_change != 0) {
      set_text(node, "clef-octave-change", std::to_string(clef.octave_change));
    }
  }
}

void append_note(pugi::xml_node measure, const Score& score, const Piece& piece,
                 const std::array<const char*, 2>& beams, BarAccidentals* accidentals) {
  pugi::xml_node note = measure.append_child("note");
  bool accidental = false;
  music::SpelledPitch spelled;
  if (piece.pitch == kRest) {
    pugi::xml_node rest = note.append_child("rest");
    if (!piece.value) rest.append_attribute("measure") = "yes";
  } else {
    spelled = music::alter_for(piece.letter, piece.pitch)
                  ? music::spelled_as(piece.pitch, piece.letter)
                  : music::spell(piece.pitch, score.meta[piece.start].key.fifths);
    pugi::xml_node pitch = note.append_child("pitch");
    set_text(pitch, "step", std::string(1, spelled.step));
    if (spelled.alter != 0) set_text(pitch, "alter", std::to_string(spelled.alter));
    set_text(pitch, "octave", std::to_string(spelled.octave));
    // A tied continuation repeats no accidental.
    accidental = !piece.tie_stop && accidentals->needs_accidental(spelled);
  }
  set_text(note, "duration", std::to_string(piece.ticks));
  if (piece.tie_stop) note.append_child("tie").append_attribute("type") = "stop";
  if (piece.tie_start) note.append_child("tie").append_attribute("type") = "start";
  set_text(note, "voice", "1");
  if (piece.value) {
    set_text(note, "type", piece.value->type);
    if (piece.value->dotted) note.append_child("dot");
  }
  if (accidental) set_text(note, "accidental", accidental_name(spelled.alter));
  for (int level = 0; level < 2; ++level) {
    if (!beams[level]) continue;
    pugi::xml_node beam = note.append_child("beam");
    beam.append_attribute("number") = level + 1;
    beam.text().set(beams[level]);
  }
  if (piece.tie_stop || piece.tie_start || piece.fermata) {
    pugi::xml_node notations = note.append_child("notations");
    if (piece.tie_stop) notations.append_child("tied").append_attribute("type") = "stop";
    if (piece.tie_start) notations.append_child("tied").append_attribute("type") = "start";
    if (piece.fermata) notations.append_child("fermata").append_attribute("type") = "upright";
  }
}

void append_part(pugi::xml_node part, const Score& score, int v, const std::vector<music::Letter>& letters,
                 const std::vector<Measure>& measures, const Clef& clef) {
  std::vector<Piece> pieces = pieces_of_voice(score, v, letters, measures);
  BarAccidentals accidentals;
  size_t next = 0;
  for (size_t mi = 0; mi < measures.size(); ++mi) {
    const Measure& m = measures[mi];
    pugi::xml_node measure = part.append_child("measure");
    measure.append_attribute("number") = m.number;
    if (score.meta[m.start].tick_in_bar != 0 || m.number == 0) {
      measure.append_attribute("implicit") = "yes";
    }
    std::vector<const Piece*> in_measure;
    while (next < pieces.size() && pieces[next].start < m.end) in_measure.push_back(&pieces[next++]);
    std::vector<std::array<const char*, 2>> beams = beams_of(score, in_measure);
    accidentals.reset(score.meta[m.start].key.fifths);
    for (size_t i = 0; i < in_measure.size(); ++i) {
      int t = in_measure[i]->start;
      if (t == m.start || attributes_change(score, t)) append_attributes(measure, score, t, clef);
      if (attributes_change(score, t)) accidentals.reset(score.meta[t].key.fifths);
      append_note(measure, score, *in_measure[i], beams[i], &accidentals);
    }
    if (mi + 1 == measures.size()) {
      pugi::xml_node barline = measure.append_child("barline");
      barline.append_attribute("location") = "right";
      set_text(barline, "bar-style", "light-heavy");
    }
  }
}

}  // namespace

std::string to_musicxml(const Score& score) {
  std::string problem = music::validate(score);
  if (problem.empty() && score.length() == 0) problem = "the score is empty";
  if (!problem.empty()) throw Error("cannot write MusicXML: " + problem);

  bool quartet = score.ensemble == music::Ensemble::kStringQuartet;
  const auto& clefs = quartet ? kQuartetClefs : kChoirClefs;
  const auto& programs = quartet ? kQuartetPrograms : kChoirPrograms;
  auto default_names = music::default_part_names(score.ensemble);

  pugi::xml_document doc;
  pugi::xml_node declaration = doc.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  doc.append_child(pugi::node_doctype).set_value(kDoctype);
  pugi::xml_node root = doc.append_child("score-partwise");
  root.append_attribute("version") = "3.1";
  if (!score.title.empty()) set_text(root.append_child("work"), "work-title", score.title);
  pugi::xml_node identification = root.append_child("identification");
  if (!score.composer.empty()) {
    pugi::xml_node creator = identification.append_child("creator");
    creator.append_attribute("type") = "composer";
    creator.text().set(score.composer.c_str());
  }
  set_text(identification.append_child("encoding"), "software", "deepquartet");

  pugi::xml_node part_list = root.append_child("part-list");
  for (int v = 0; v < music::kNumVoices; ++v) {
    std::string id = "P" + std::to_string(v + 1);
    std::string instrument = id + "-I1";
    std::string name = score.part_names[v].empty() ? default_names[v] : score.part_names[v];
    pugi::xml_node score_part = part_list.append_child("score-part");
    score_part.append_attribute("id") = id.c_str();
    set_text(score_part, "part-name", name);
    pugi::xml_node score_instrument = score_part.append_child("score-instrument");
    score_instrument.append_attribute("id") = instrument.c_str();
    set_text(score_instrument, "instrument-name", name);
    pugi::xml_node midi = score_part.append_child("midi-instrument");
    midi.append_attribute("id") = instrument.c_str();
    set_text(midi, "midi-channel", std::to_string(v + 1));
    set_text(midi, "midi-program", std::to_string(programs[v]));
  }

  std::vector<Measure> measures = measures_of(score);
  const auto letters = music::spell_notes(score);  // the file's letters, the others spelled
  for (int v = 0; v < music::kNumVoices; ++v) {
    pugi::xml_node part = root.append_child("part");
    part.append_attribute("id") = ("P" + std::to_string(v + 1)).c_str();
    append_part(part, score, v, letters[v], measures, clefs[v]);
  }

  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

void write_musicxml(const Score& score, const std::string& path) {
  std::string ext = util::extension_of(path);
  std::string bytes;
  try {
    bytes = to_musicxml(score);
    if (ext == ".mxl") bytes = zip_mxl(bytes);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  util::write_file_atomically(path, bytes);
}

}  // namespace dq::io
