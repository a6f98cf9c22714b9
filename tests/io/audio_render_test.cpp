// Tests of the WAV writer (libfluidsynth) and the score renderer (MuseScore).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>

#include "io/audio_writer.h"
#include "io/renderer.h"
#include "util/error.h"
#include "util/file_util.h"

using namespace dq;
using namespace dq::io;
using music::kHold;
using music::Score;

namespace {

namespace fs = std::filesystem;

// Bars of 4/4 with four voices in quarter notes; the last half note held
// under a fermata.
Score chorale(int bars) {
  Score s = music::make_empty_score(16 * bars, {0, music::Mode::kMajor}, {4, 4});
  const int chords[4][4] = {{72, 64, 55, 48}, {74, 65, 57, 50}, {71, 67, 62, 43}, {72, 64, 55, 48}};
  for (int v = 0; v < 4; ++v) {
    for (int t = 0; t < s.length(); ++t) {
      bool starts = t % 4 == 0 && t < s.length() - 8;
      s.voices[v][t] = starts || t == s.length() - 8 ? chords[(t / 4) % 4][v] : kHold;
    }
  }
  for (int t = s.length() - 8; t < s.length(); ++t) s.meta[t].fermata = true;
  return s;
}

uint32_t le32(const std::string& b, size_t at) {
  return static_cast<uint8_t>(b[at]) | static_cast<uint8_t>(b[at + 1]) << 8 | static_cast<uint8_t>(b[at + 2]) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 3])) << 24;
}
int le16(const std::string& b, size_t at) { return static_cast<uint8_t>(b[at]) | static_cast<uint8_t>(b[at + 1]) << 8; }

// A scratch folder removed at the end of the test.
struct ScratchDir {
  fs::path path = fs::temp_directory_path() / ("dq_audio_render_test_" + std::to_string(::getpid()));
  ScratchDir() { fs::create_directories(path); }
  ~ScratchDir() { fs::remove_all(path); }
};

}  // namespace

TEST(AudioWav, ChoraleHasHeaderLengthAndSound) {
  Score s = chorale(4);
  std::string wav = to_wav(s);
  ASSERT_GT(wav.size(), 44u);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  EXPECT_EQ(le32(wav, 4), wav.size() - 8);
  EXPECT_EQ(wav.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(le16(wav, 20), 1);  // PCM
  EXPECT_EQ(le16(wav, 22), 2);  // stereo
  EXPECT_EQ(le32(wav, 24), 44100u);
  EXPECT_EQ(le16(wav, 34), 16);
  EXPECT_EQ(wav.substr(36, 4), "data");
  EXPECT_EQ(le32(wav, 40), wav.size() - 44);

  // 16 quarters at 80 bpm = 12 s, the fermata adds a little, plus 1 s of release.
  double seconds = static_cast<double>(wav.size() - 44) / (44100.0 * 4);
  EXPECT_NEAR(seconds, 13.0, 1.5);
  EXPECT_NEAR(seconds, audio_seconds(s) + 1.0, 0.01);

  int peak = 0;
  double sum_squares = 0;
  size_t samples = (wav.size() - 44) / 2;
  for (size_t i = 0; i < samples; ++i) {
    int v = static_cast<int16_t>(le16(wav, 44 + 2 * i));
    peak = std::max(peak, std::abs(v));
    sum_squares += static_cast<double>(v) * v;
  }
  EXPECT_GT(peak, 3000);
  EXPECT_GT(std::sqrt(sum_squares / samples), 300.0);
}

TEST(AudioWav, QuartetFileIsWrittenAtomically) {
  ScratchDir dir;
  Score s = chorale(1);
  s.ensemble = music::Ensemble::kStringQuartet;
  std::string path = (dir.path / "quartet.wav").string();
  write_wav(s, path);
  std::string wav = util::read_file_bytes(path);
  EXPECT_EQ(wav.substr(0, 4), "RIFF");
  double seconds = static_cast<double>(wav.size() - 44) / (44100.0 * 4);
  EXPECT_NEAR(seconds, audio_seconds(s) + 1.0, 0.01);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()), 1);

  Score bad = s;
  bad.voices[0][0] = kHold;
  EXPECT_THROW(write_wav(bad, path), Error);
}

TEST(AudioWav, TooLongIsAnError) {
  Score s = music::make_empty_score(60000, {}, {4, 4});  // 15,000 quarters at 80 bpm
  EXPECT_THROW(to_wav(s), Error);
}

TEST(RenderScore, PngOfASmallScore) {
  if (!renderer_available()) GTEST_SKIP() << "mscore3 not installed";
  ScratchDir dir;
  std::string path = (dir.path / "small.png").string();
  render_score(chorale(2), path);
  std::string png = util::read_file_bytes(path);
  ASSERT_GT(png.size(), 1000u);
  EXPECT_EQ(png.substr(1, 3), "PNG");
  EXPECT_FALSE(fs::exists(dir.path / "small-2.png"));
}

TEST(RenderScore, PdfAndSvg) {
  if (!renderer_available()) GTEST_SKIP() << "mscore3 not installed";
  ScratchDir dir;
  render_score(chorale(2), (dir.path / "small.pdf").string());
  EXPECT_EQ(util::read_file_bytes((dir.path / "small.pdf").string()).substr(0, 5), "%PDF-");
  render_score(chorale(2), (dir.path / "small.svg").string());
  EXPECT_NE(util::read_file_bytes((dir.path / "small.svg").string()).find("<svg"), std::string::npos);
}

TEST(RenderScore, BadExtensionIsAnError) { EXPECT_THROW(render_score(chorale(1), "/tmp/score.gif"), Error); }
