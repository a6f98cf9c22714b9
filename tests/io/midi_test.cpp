// Tests of the Standard MIDI File codec, reader and writer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "io/midi_reader.h"
#include "io/midi_writer.h"
#include "io/smf.h"
#include "util/error.h"
#include "util/file_util.h"

using namespace dq;
using namespace dq::io;
using music::kHold;
using music::kRest;
using music::Score;

namespace {

namespace fs = std::filesystem;

// --- Building SMF bytes by hand -------------------------------------------

std::string bytes(std::initializer_list<int> values) {
  std::string s;
  for (int v : values) s += static_cast<char>(v);
  return s;
}

std::string u32(uint32_t v) {
  return bytes({int(v >> 24), int((v >> 16) & 0xff), int((v >> 8) & 0xff), int(v & 0xff)});
}

std::string chunk(const std::string& id, const std::string& body) { return id + u32(body.size()) + body; }

std::string header(int format, int tracks, int division) {
  return chunk("MThd", bytes({0, format, tracks >> 8, tracks & 0xff, division >> 8, division & 0xff}));
}

std::string meta(int type, const std::string& payload) {
  return bytes({0xff, type}) + smf::encode_vlq(payload.size()) + payload;
}

const std::string kEndOfTrack = bytes({0}) + meta(0x2f, "");

// A note of `quarters` at `ppq` on `channel`: note-on now, note-off after.
std::string note(int channel, int key, int ppq, double quarters) {
  return bytes({0, 0x90 | channel, key, 80}) + smf::encode_vlq(static_cast<uint32_t>(quarters * ppq)) +
         bytes({0x80 | channel, key, 0});
}

// --- Building scores by hand ------------------------------------------------

// Sets voice `v` from (pitch or kRest, length in ticks) pairs, from tick 0.
void fill(Score& s, int v, const std::vector<std::pair<int, int>>& notes) {
  int t = 0;
  for (auto [pitch, length] : notes) {
    for (int i = 0; i < length; ++i) s.voices[v][t + i] = i == 0 || pitch == kRest ? pitch : kHold;
    t += length;
  }
  ASSERT_EQ(t, s.length());
}

// Four bars of 4/4 in G major, quarter notes, a fermata on the last half note.
Score chorale(int bars = 4) {
  Score s = music::make_empty_score(16 * bars, {1, music::Mode::kMajor}, {4, 4});
  const int chords[4][4] = {{67, 62, 59, 43}, {72, 64, 60, 48}, {74, 66, 62, 50}, {71, 67, 62, 55}};
  for (int v = 0; v < 4; ++v) {
    std::vector<std::pair<int, int>> notes;
    for (int q = 0; q < 4 * bars - 2; ++q) notes.push_back({chords[q % 4][v], 4});
    notes.push_back({chords[0][v], 8});
    fill(s, v, notes);
  }
  for (int t = 16 * bars - 8; t < 16 * bars; ++t) s.meta[t].fermata = true;
  return s;
}

void expect_round_trip(const Score& score) {
  Score back = parse_midi(to_midi(score), "round-trip.mid");
  EXPECT_TRUE(back.same_music(score));
  for (int v = 0; v < 4; ++v) EXPECT_EQ(back.voices[v], score.voices[v]) << "voice " << v;
  for (int t = 0; t < score.length() && t < back.length(); ++t) {
    EXPECT_EQ(back.meta[t], score.meta[t])
        << "tick " << t << ": measure " << back.meta[t].measure << "/" << score.meta[t].measure << " pos "
        << back.meta[t].tick_in_bar << "/" << score.meta[t].tick_in_bar << " fermata " << back.meta[t].fermata << "/"
        << score.meta[t].fermata;
    if (!(back.meta[t] == score.meta[t])) break;
  }
  EXPECT_EQ(back.part_names, score.part_names);
  EXPECT_EQ(back.ensemble, score.ensemble);
}

std::string fixture(const std::string& name) { return std::string(DQ_FIXTURES) + "/" + name; }

}  // namespace

// --- Codec ------------------------------------------------------------------

TEST(MidiSmf, VariableLengthQuantities) {
  EXPECT_EQ(smf::encode_vlq(0), bytes({0}));
  EXPECT_EQ(smf::encode_vlq(0x7f), bytes({0x7f}));
  EXPECT_EQ(smf::encode_vlq(0x80), bytes({0x81, 0x00}));
  EXPECT_EQ(smf::encode_vlq(0x3fff), bytes({0xff, 0x7f}));
  EXPECT_EQ(smf::encode_vlq(0x4000), bytes({0x81, 0x80, 0x00}));
  EXPECT_EQ(smf::encode_vlq(0x0fffffff), bytes({0xff, 0xff, 0xff, 0x7f}));
  EXPECT_THROW(smf::encode_vlq(0x10000000), Error);

  // Decoding: deltas of every size add up.
  std::string body;
  uint32_t deltas[] = {0, 0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000};
  for (uint32_t d : deltas) body += smf::encode_vlq(d) + bytes({0x90, 60, 1});
  smf::File f = smf::parse(header(0, 1, 480) + chunk("MTrk", body + kEndOfTrack), "vlq.mid");
  ASSERT_EQ(f.tracks[0].events.size(), 7u);
  int64_t sum = 0;
  for (int i = 0; i < 7; ++i) {
    sum += deltas[i];
    EXPECT_EQ(f.tracks[0].events[i].pulse, sum);
  }
}

TEST(MidiSmf, RunningStatus) {
  std::string body = bytes({0, 0x90, 60, 64, 0x60, 62, 64, 0x60, 60, 0, 0, 62, 0, 0, 0xc1, 52, 0, 53}) + kEndOfTrack;
  smf::File f = smf::parse(header(0, 1, 96) + chunk("MTrk", body), "running.mid");
  const auto& ev = f.tracks[0].events;
  ASSERT_EQ(ev.size(), 6u);
  EXPECT_EQ(ev[1].status, 0x90);
  EXPECT_EQ(ev[1].data1, 62);
  EXPECT_EQ(ev[1].pulse, 0x60);
  EXPECT_EQ(ev[3].data1, 62);
  EXPECT_EQ(ev[3].data2, 0);
  EXPECT_EQ(ev[3].pulse, 0xc0);
  EXPECT_EQ(ev[5].status, 0xc1);  // a one-byte message under running status
  EXPECT_EQ(ev[5].data1, 53);
}

TEST(MidiSmf, MetaEventsAndSysex) {
  std::string body = bytes({0}) + meta(0x03, "Alto") + bytes({0}) + meta(0x51, bytes({0x07, 0xa1, 0x20})) +
                     bytes({0, 0xf0, 3, 1, 2, 0xf7}) + bytes({0}) + meta(0x58, bytes({6, 3, 36, 8})) + bytes({10}) +
                     meta(0x59, bytes({0xfd, 1})) + bytes({5}) + meta(0x2f, "");
  smf::File f = smf::parse(header(1, 1, 480) + chunk("MTrk", body), "meta.mid");
  const auto& ev = f.tracks[0].events;
  ASSERT_EQ(ev.size(), 4u);  // sysex skipped, end of track not an event
  EXPECT_EQ(ev[0].meta_type, smf::kMetaTrackName);
  EXPECT_EQ(ev[0].meta, "Alto");
  EXPECT_EQ(ev[1].meta_type, smf::kMetaTempo);
  EXPECT_EQ(ev[2].meta, bytes({6, 3, 36, 8}));
  EXPECT_EQ(ev[3].pulse, 10);
  EXPECT_EQ(f.tracks[0].end_pulse, 15);
}

TEST(MidiSmf, SerializeParseRoundTrip) {
  smf::File f;
  f.format = 1;
  f.ppq = 960;
  f.tracks.resize(2);
  f.tracks[0].events = {smf::meta_event(0, smf::kMetaText, "hello")};
  f.tracks[0].end_pulse = 5000;
  f.tracks[1].events = {smf::channel_event(0, 0xc2, 40), smf::channel_event(0, 0x92, 64, 80),
                        smf::channel_event(200000, 0x82, 64, 0)};
  smf::File g = smf::parse(smf::serialize(f), "rt.mid");
  EXPECT_EQ(g.format, 1);
  EXPECT_EQ(g.ppq, 960);
  ASSERT_EQ(g.tracks.size(), 2u);
  EXPECT_EQ(g.tracks[0].events[0].meta, "hello");
  EXPECT_EQ(g.tracks[0].end_pulse, 5000);
  ASSERT_EQ(g.tracks[1].events.size(), 3u);
  EXPECT_EQ(g.tracks[1].events[2].pulse, 200000);
  EXPECT_EQ(g.tracks[1].events[2].status, 0x82);
  EXPECT_EQ(g.tracks[1].end_pulse, 200000);
}

// --- Reading ----------------------------------------------------------------

TEST(MidiRead, AnyPulsesPerQuarter) {
  for (int ppq : {96, 480, 960}) {
    std::string body = bytes({0}) + meta(0x58, bytes({2, 2, 24, 8})) + note(0, 60, ppq, 1) + note(0, 62, ppq, 0.5) +
                       note(0, 64, ppq, 0.25) + note(0, 65, ppq, 0.25) + kEndOfTrack;
    Score s = parse_midi(header(0, 1, ppq) + chunk("MTrk", body), "ppq.mid");
    std::vector<int> soprano = {60, kHold, kHold, kHold, 62, kHold, 64, 65};
    EXPECT_EQ(s.voices[0], soprano) << "ppq " << ppq;
    EXPECT_EQ(s.voices[1], std::vector<int>(8, kRest));
    EXPECT_EQ(s.meta[7].time, (music::TimeSignature{2, 4}));
    EXPECT_EQ(s.quantization.onsets_moved, 0);
  }
}

TEST(MidiRead, OffGridNotesAreLeftToTheBuilder) {
  // A triplet at PPQ 480: onsets 0, 160, 320 quarters/3; the builder rounds and counts.
  std::string body = note(0, 60, 480, 1.0 / 3) + note(0, 62, 480, 1.0 / 3) + note(0, 64, 480, 1.0 / 3) + kEndOfTrack;
  Score s = parse_midi(header(0, 1, 480) + chunk("MTrk", body), "triplet.mid");
  EXPECT_GT(s.quantization.onsets_moved, 0);
}

TEST(MidiRead, FormatZeroWithFourChannelsComesOutSatb) {
  Score s = read_midi(fixture("midi_satb_type0.mid"));
  ASSERT_EQ(s.length(), 24);      // 2 bars of 3/4
  EXPECT_EQ(s.voices[0][0], 79);  // soprano on channel 1, though written last
  EXPECT_EQ(s.voices[1][0], 71);
  EXPECT_EQ(s.voices[2][0], 62);
  EXPECT_EQ(s.voices[3][0], 55);
  EXPECT_EQ(s.voices[3][20], 43);
  EXPECT_EQ(s.meta[0].time, (music::TimeSignature{3, 4}));
  EXPECT_EQ(s.meta[0].key, (music::KeySignature{1, music::Mode::kMajor}));
  EXPECT_EQ(s.meta[12].measure, 2);
  EXPECT_EQ(s.title, "Cadence");
  EXPECT_EQ(s.part_names[0], "Channel 1");
  EXPECT_EQ(s.part_names[3], "Channel 4");

  // A selection indexes the parts in file order: channel 1..4 = S, A, T, B here.
  ReadOptions bass_only;
  bass_only.parts = {3};
  Score b = read_midi(fixture("midi_satb_type0.mid"), bass_only);
  EXPECT_EQ(b.voices[0][0], 55);
  EXPECT_EQ(b.voices[1][0], kRest);
}

TEST(MidiRead, FormatOneTracksInAnyOrder) {
  // Tracks bass, soprano, tenor, alto: the default order sorts them by pitch.
  auto track = [](const std::string& name, int channel, int key) {
    return chunk("MTrk", bytes({0}) + meta(0x03, name) + note(channel, key, 480, 4) + kEndOfTrack);
  };
  std::string file =
      header(1, 4, 480) + track("Bass", 0, 48) + track("Soprano", 1, 72) + track("Tenor", 2, 60) + track("Alto", 3, 67);
  Score s = parse_midi(file, "order.mid");
  EXPECT_EQ(s.voices[0][0], 72);
  EXPECT_EQ(s.voices[1][0], 67);
  EXPECT_EQ(s.voices[2][0], 60);
  EXPECT_EQ(s.voices[3][0], 48);
  EXPECT_EQ(s.part_names[0], "Soprano");
  EXPECT_EQ(s.part_names[3], "Bass");

  ReadOptions options;
  options.parts = {0, 2};  // file order: Bass, Tenor
  Score t = parse_midi(file, "order.mid", options);
  EXPECT_EQ(t.voices[0][0], 48);
  EXPECT_EQ(t.voices[1][0], 60);
  EXPECT_EQ(t.voices[2][0], kRest);

  options.parts = {7};
  EXPECT_THROW(parse_midi(file, "order.mid", options), Error);
}

TEST(MidiRead, NotePairing) {
  // Note-on velocity 0 ends a note; overlapping notes of one key pair first
  // in, first out; a note left sounding ends with its track; drums ignored.
  std::string body = bytes({0, 0x90, 60, 80, 0x60, 0x90, 60, 0, 0, 0x90, 62, 80, 0x30, 0x90, 62, 80}) +
                     bytes({0x30, 0x80, 62, 0, 0x30, 0x80, 62, 0, 0, 0x99, 36, 100, 0, 0x90, 64, 80}) + bytes({0x60}) +
                     meta(0x2f, "");
  Score s = parse_midi(header(0, 1, 96) + chunk("MTrk", body), "pairing.mid");
  // 96 pulses per quarter: 0x60 = a quarter, 0x30 = an eighth.
  std::vector<int> expected = {60, kHold, kHold, kHold, 62, kHold, 62, kHold, kHold, kHold, 64, kHold, kHold, kHold};
  EXPECT_EQ(s.voices[0], expected);
  EXPECT_EQ(s.voices[1], std::vector<int>(expected.size(), kRest));
}

TEST(MidiRead, DrumsOnlyIsAnError) {
  std::string body = note(9, 36, 96, 1) + kEndOfTrack;
  EXPECT_THROW(parse_midi(header(0, 1, 96) + chunk("MTrk", body), "drums.mid"), Error);
}

TEST(MidiRead, MelodyFixture) {
  Score s = read_midi(fixture("midi_melody_type1.mid"));
  EXPECT_EQ(s.length(), 32);  // 6 beats of notes + a half-note rest
  EXPECT_EQ(s.voices[0][0], 62);
  EXPECT_EQ(s.voices[0][14], 65);
  EXPECT_EQ(s.voices[0][28], kRest);
  EXPECT_EQ(s.meta[0].key, (music::KeySignature{-1, music::Mode::kMinor}));
  EXPECT_EQ(s.title, "Little Tune");
  EXPECT_EQ(s.part_names[0], "Melody");
}

// --- Writing and reading back -------------------------------------------------

TEST(MidiRoundTrip, Chorale) {
  Score s = chorale();
  std::string midi = to_midi(s);
  smf::File f = smf::parse(midi, "chorale.mid");
  EXPECT_EQ(f.format, 1);
  EXPECT_EQ(f.ppq, 480);
  ASSERT_EQ(f.tracks.size(), 5u);
  for (const smf::Track& t : f.tracks) EXPECT_EQ(t.end_pulse, 64 * 120);
  expect_round_trip(s);
}

TEST(MidiRoundTrip, PickupKeyAndTimeChangesFermatas) {
  // A quarter pickup in 3/4, then 3/4 and 4/4 with a key change and two
  // fermata runs, one of them at the very end; trailing rests in the lower voices.
  int length = 4 + 12 + 12 + 16;
  Score s = music::make_empty_score(length, {-3, music::Mode::kMinor}, {3, 4});
  for (int t = 28; t < length; ++t) {
    s.meta[t].time = {4, 4};
    s.meta[t].key = {2, music::Mode::kMajor};
  }
  music::renumber_measures(s, 4);
  fill(s, 0, {{67, 4}, {72, 8}, {74, 4}, {75, 8}, {74, 4}, {72, 6}, {71, 2}, {72, 8}});
  fill(s, 1, {{63, 4}, {63, 12}, {65, 12}, {kRest, 4}, {66, 4}, {kRest, 8}});
  fill(s, 2, {{60, 2}, {58, 2}, {55, 24}, {57, 8}, {kRest, 8}});
  fill(s, 3, {{48, 4}, {44, 12}, {43, 12}, {38, 16}});
  for (int t = 12; t < 16; ++t) s.meta[t].fermata = true;
  for (int t = 32; t < length; ++t) s.meta[t].fermata = true;
  ASSERT_EQ(music::validate(s), "");
  ASSERT_EQ(s.pickup_ticks(), 4);
  expect_round_trip(s);
}

TEST(MidiRoundTrip, UnknownModeIrregularBarsAndStrings) {
  Score s = music::make_empty_score(40, {0, music::Mode::kUnknown}, {4, 4});
  s.ensemble = music::Ensemble::kStringQuartet;
  s.part_names = music::default_part_names(s.ensemble);
  s.part_names[0] = "First violin";
  for (int t = 20; t < 40; ++t) s.meta[t].key = {-2, music::Mode::kUnknown};
  // Bars numbered from 11, the second one cut short (14 ticks), as a split
  // bar around a repeat would be.
  for (int t = 0; t < 40; ++t) {
    int measure = t < 16 ? 11 : t < 30 ? 12 : 13;
    int pos = t < 16 ? t : t < 30 ? t - 16 : t - 30;
    s.meta[t].measure = measure;
    s.meta[t].tick_in_bar = pos;
  }
  fill(s, 0, {{76, 16}, {77, 10}, {79, 14}});
  fill(s, 1, {{72, 40}});
  fill(s, 2, {{67, 20}, {65, 20}});
  fill(s, 3, {{48, 8}, {kRest, 8}, {50, 24}});
  ASSERT_EQ(music::validate(s), "");
  expect_round_trip(s);
}

TEST(MidiRoundTrip, MelodyOnlyAndRepeatedNotes) {
  Score s = music::make_empty_score(16, {}, {2, 4});
  fill(s, 0, {{60, 2}, {60, 2}, {60, 1}, {60, 1}, {kRest, 2}, {62, 4}, {kRest, 4}});
  expect_round_trip(s);
}

TEST(MidiRoundTrip, CrossedVoicesKeepTheirOrder) {
  // The second violin above the first on average: our own files are not
  // re-sorted by pitch.
  Score s = music::make_empty_score(16, {}, {4, 4});
  s.ensemble = music::Ensemble::kStringQuartet;
  s.part_names = music::default_part_names(s.ensemble);
  fill(s, 0, {{67, 16}});
  fill(s, 1, {{76, 16}});
  fill(s, 2, {{48, 16}});
  fill(s, 3, {{55, 16}});
  expect_round_trip(s);
}

TEST(MidiWrite, AtomicFileAndInvalidScore) {
  fs::path dir = fs::temp_directory_path() / ("dq_midi_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string path = (dir / "out.mid").string();
  write_midi(chorale(), path);
  EXPECT_TRUE(read_midi(path).same_music(chorale()));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()),
            1);  // no temp file left

  Score bad = chorale();
  bad.voices[1][0] = kHold;
  EXPECT_THROW(write_midi(bad, path), Error);
  EXPECT_THROW(write_midi(chorale(), (dir / "missing" / "out.mid").string()), Error);
  fs::remove_all(dir);
}

// --- The corpus ---------------------------------------------------------------

TEST(MidiCorpus, GodSaveTheQueen) {
  std::string path = std::string(DQ_CORPUS) + "/melodies/god_save_the_queen.mid";
  if (!fs::exists(path)) GTEST_SKIP() << "corpus not found";
  smf::File f = smf::parse(util::read_file_bytes(path), path);
  EXPECT_EQ(f.tracks.size(), 3u);
  Score s = read_midi(path);
  EXPECT_GT(s.length(), 0);
  EXPECT_EQ(s.meta[0].time, (music::TimeSignature{3, 4}));

  ReadOptions melody;
  melody.parts = {0};  // the flute track
  Score m = read_midi(path, melody);
  EXPECT_EQ(m.part_names[0], "Flute");
  EXPECT_EQ(m.voices[0][0], 67);  // G4
  EXPECT_EQ(m.voices[1], std::vector<int>(m.length(), kRest));
  EXPECT_EQ(m.quantization.total_changed(), 0);
}

TEST(MidiCorpus, NottinghamMelodies) {
  std::string dir = std::string(DQ_CORPUS) + "/melodies/nottingham";
  if (!fs::exists(dir)) GTEST_SKIP() << "corpus not found";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".mid") continue;
    Score s = read_midi(entry.path().string());
    EXPECT_GT(s.length(), 16) << entry.path();
    EXPECT_EQ(music::validate(s), "") << entry.path();
    EXPECT_EQ(music::voice_notes(s, 1).size(), 0u) << entry.path();  // a melody fills the top voice
    ++files;
  }
  EXPECT_EQ(files, 12);
}

// --- Hostile input ------------------------------------------------------------

TEST(MidiHostile, BadFilesGiveClearErrorsFast) {
  const std::string good_track = note(0, 60, 96, 1) + kEndOfTrack;
  std::string many_data_bytes;
  for (int i = 0; i < 10000; ++i) many_data_bytes += bytes({0, 0x40});
  std::string many_signatures;
  for (int i = 0; i < 1001; ++i) many_signatures += bytes({1}) + meta(0x58, bytes({3 + i % 2, 2, 24, 8}));
  std::string huge_deltas;
  for (int i = 0; i < 100; ++i) huge_deltas += bytes({0xff, 0xff, 0xff, 0x7f, 0x90, 60, 80});

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"garbage", "this is not a MIDI file at all, just some text"},
      {"truncated header", header(0, 1, 96).substr(0, 10)},
      {"header length too short", "MThd" + u32(2) + bytes({0, 0, 0, 0, 0, 0, 0, 0})},
      {"truncated track", header(0, 1, 96) + chunk("MTrk", good_track).substr(0, 12)},
      {"missing track", header(1, 2, 96) + chunk("MTrk", good_track)},
      {"chunk length beyond EOF", header(0, 1, 96) + "MTrk" + u32(0x7fffffff) + good_track},
      {"VLQ of 5 bytes", header(0, 1, 96) + chunk("MTrk", bytes({0x81, 0x81, 0x81, 0x81, 0x01, 0x90, 60, 80}))},
      {"huge delta times", header(0, 1, 96) + chunk("MTrk", huge_deltas)},
      {"long but legal piece",
       header(0, 1, 1) + chunk("MTrk", bytes({0, 0x90, 60, 80, 0xff, 0xff, 0xff, 0x7f, 0x80, 60, 0}))},
      {"too many time signatures", header(0, 1, 96) + chunk("MTrk", many_signatures + good_track)},
      {"bad tempo length", header(0, 1, 96) + chunk("MTrk", bytes({0}) + meta(0x51, bytes({1, 2})) + good_track)},
      {"bad time signature length", header(0, 1, 96) + chunk("MTrk", bytes({0}) + meta(0x58, bytes({4})) + good_track)},
      {"meta length beyond chunk", header(0, 1, 96) + chunk("MTrk", bytes({0, 0xff, 0x01, 0x8f, 0xff, 0xff, 0x7f}))},
      {"running status without status", header(0, 1, 96) + chunk("MTrk", many_data_bytes)},
      {"SMPTE division", header(0, 1, 0xe728) + chunk("MTrk", good_track)},
      {"zero division", header(0, 1, 0) + chunk("MTrk", good_track)},
      {"format 2", header(2, 1, 96) + chunk("MTrk", good_track)},
      {"too many tracks", header(1, 65, 96) + chunk("MTrk", good_track)},
      {"no notes", header(0, 1, 96) + chunk("MTrk", kEndOfTrack)},
      {"system message in track", header(0, 1, 96) + chunk("MTrk", bytes({0, 0xf2, 1, 2}) + good_track)},
  };
  for (const auto& [name, data] : cases) {
    auto start = std::chrono::steady_clock::now();
    try {
      parse_midi(data, "hostile.mid");
      ADD_FAILURE() << name << ": no error";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()).rfind("hostile.mid: ", 0), 0u) << name << ": " << e.what();
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 0.5) << name;
  }
  EXPECT_THROW(read_midi(DQ_FIXTURES), Error);  // a directory
  EXPECT_THROW(read_midi(fixture("no_such_file.mid")), Error);
}

TEST(MidiHostile, RunningStatusFloodIsParsedNotFeared) {
  // 10,000 note events under one running status byte: legal, and fast.
  std::string body = bytes({0, 0x90, 60, 80});
  for (int i = 0; i < 10000; ++i) body += bytes({1, 60 + i % 2, i % 2 ? 80 : 0});
  body += kEndOfTrack;
  auto start = std::chrono::steady_clock::now();
  Score s = parse_midi(header(0, 1, 4) + chunk("MTrk", body), "flood.mid");
  EXPECT_GT(s.length(), 1000);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
}
