// The corpus layer on a known chorale: the exact index tensors and metadata
// build_dataset makes of it, the split it hashes to, the transpositions
// encode_split augments it with, and the on-disk cache.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "corpus/corpus.h"
#include "corpus/dataset.h"
#include "corpus/encoding.h"
#include "io/score_file.h"
#include "music/transpose.h"
#include "support/core_test_util.h"
#include "util/error.h"

namespace dq::testing {
namespace {

using corpus::kEndIndex;
using corpus::kFirstPitchIndex;
using corpus::kHoldIndex;
using corpus::kRestIndex;
using corpus::kStartIndex;

// Index of `token` in a voice vocabulary starting at pitch `low`.
int index_in(music::Token token, int low) {
  if (token == music::kRest) return kRestIndex;
  if (token == music::kHold) return kHoldIndex;
  return kFirstPitchIndex + token - low;
}

// Key channel value of a key signature (see corpus::encode_meta).
int key_value(int fifths, music::Mode mode) { return 1 + (fifths + 7) * 3 + static_cast<int>(mode); }

// The chorale alone in a folder laid out as corpus/<composer>/<file>.
std::string chorale_corpus(const TempDir& dir) {
  fs::path folder = dir.path() / "corpus" / "chorales";
  fs::create_directories(folder);
  fs::copy_file(chorale_path(), folder / "core_chorale.musicxml");
  return (dir.path() / "corpus").string();
}

// Options that build the dataset of chorale_corpus(dir), cached in dir.
corpus::DatasetOptions chorale_dataset_options(const TempDir& dir) {
  corpus::DatasetOptions o;
  o.roots = {chorale_corpus(dir)};
  o.cache_dir = dir.file("cache");
  o.progress = false;
  o.threads = 1;
  return o;
}

TEST(CoreSplit, FixtureChoraleHashesToTheTrainingSplit) {
  // The training tests rely on the single fixture piece landing in "train".
  std::string work = corpus::work_of(chorale_path());
  EXPECT_EQ(work, "tests:core_chorale");
  EXPECT_EQ(corpus::split_of(chorale_path(), work), corpus::Split::kTrain);
  EXPECT_EQ(corpus::style_of(chorale_path(), music::Ensemble::kChoir), "bach");
}

TEST(CoreSplit, WorkOfGroupsMovementsAndOpusNumbers) {
  EXPECT_EQ(corpus::work_of("/c/haydn/kern/op76n3-02.krn"), "haydn:op76n3");
  EXPECT_EQ(corpus::work_of("/c/haydn/kern/op76n3-04.krn"), "haydn:op76n3");
  EXPECT_EQ(corpus::work_of("/c/mozart/kern/k465-01.krn"), "mozart:k465");
  EXPECT_EQ(corpus::work_of("/c/bach/xml/bwv269-2.musicxml"), "bach:bwv269");
  // The split depends only on the work: every movement lands together.
  EXPECT_EQ(corpus::split_of("/nonexistent/haydn/kern/op76n3-02.krn", "haydn:op76n3"),
            corpus::split_of("/nonexistent/haydn/kern/op76n3-04.krn", "haydn:op76n3"));
}

TEST(CoreDataset, ChoraleTensorsAreExact) {
  TempDir dir("dataset");
  corpus::DatasetOptions o = chorale_dataset_options(dir);
  corpus::Dataset d = corpus::build_dataset(o);

  ASSERT_EQ(d.pieces.size(), 1u);
  EXPECT_EQ(d.rejected, 0);
  EXPECT_FALSE(d.from_cache);
  EXPECT_EQ(d.pieces[0].split, corpus::Split::kTrain);
  ASSERT_EQ(d.styles, std::vector<std::string>{"bach"});
  for (int v = 0; v < music::kNumVoices; ++v) {
    EXPECT_EQ(d.vocab[v].low, chorale_range(v).first) << "voice " << v;
    EXPECT_EQ(d.vocab[v].high, chorale_range(v).second) << "voice " << v;
  }
  // One piece, vocabulary = its own ranges: only shift 0 fits, even with augmentation.
  ASSERT_EQ(d.train.size(), 1u);
  EXPECT_EQ(d.train.shift, std::vector<int>{0});
  EXPECT_EQ(d.train.piece, std::vector<int>{0});
  EXPECT_EQ(d.valid.size(), 0u);
  EXPECT_EQ(d.test.size(), 0u);
  ASSERT_EQ(d.train.starts, std::vector<int64_t>{0});
  ASSERT_EQ(d.train.lengths, std::vector<int64_t>{66});  // START + 64 ticks + END

  ASSERT_EQ(d.train.tokens.sizes(), (std::vector<int64_t>{4, 66}));
  ASSERT_EQ(d.train.tokens.scalar_type(), torch::kInt16);
  auto tokens = d.train.tokens.accessor<int16_t, 2>();
  for (int v = 0; v < music::kNumVoices; ++v) {
    std::vector<music::Token> expected = chorale_tokens(v);
    ASSERT_EQ(expected.size(), 64u);
    EXPECT_EQ(tokens[v][0], kStartIndex);
    EXPECT_EQ(tokens[v][65], kEndIndex);
    for (int t = 0; t < 64; ++t) {
      EXPECT_EQ(tokens[v][t + 1], index_in(expected[t], chorale_range(v).first)) << "voice " << v << " tick " << t;
    }
  }
  // Spot checks written out by hand: soprano G4 = lowest soprano pitch, the
  // tenor's rest, the bass's tie across beats 2-3 of bar 4.
  EXPECT_EQ(tokens[0][1], kFirstPitchIndex);
  EXPECT_EQ(tokens[0][2], kHoldIndex);
  EXPECT_EQ(tokens[2][33], kRestIndex);
  EXPECT_EQ(tokens[2][36], kRestIndex);
  EXPECT_EQ(tokens[2][37], kFirstPitchIndex + 59 - 54);
  EXPECT_EQ(tokens[3][49], kFirstPitchIndex + 50 - 43);
  for (int t = 50; t < 61; ++t) EXPECT_EQ(tokens[3][t], kHoldIndex) << "bass tick " << t - 1;
  EXPECT_EQ(tokens[3][61], kFirstPitchIndex);

  ASSERT_EQ(d.train.meta.sizes(), (std::vector<int64_t>{corpus::kNumMetaChannels, 66}));
  auto meta = d.train.meta.accessor<int16_t, 2>();
  for (int c = 0; c < corpus::kNumMetaChannels; ++c) {
    EXPECT_EQ(meta[c][0], 0) << "START metadata is padding, channel " << c;
    EXPECT_EQ(meta[c][65], 0) << "END metadata is padding, channel " << c;
  }
  for (int t = 0; t < 64; ++t) {
    int in_bar = t % 16;
    EXPECT_EQ(meta[corpus::kFermata][t + 1], chorale_fermata(t) ? 2 : 1) << "tick " << t;
    EXPECT_EQ(meta[corpus::kSubdivision][t + 1], 1 + in_bar % 4) << "tick " << t;
    EXPECT_EQ(meta[corpus::kBeatInBar][t + 1], 1 + in_bar / 4) << "tick " << t;
    EXPECT_EQ(meta[corpus::kKey][t + 1], key_value(1, music::Mode::kMajor)) << "tick " << t;
    EXPECT_EQ(meta[corpus::kStyle][t + 1], 1) << "tick " << t;
    // Quarters left to the end: 15 at the first tick (64 ticks), 0 in the last quarter.
    EXPECT_EQ(meta[corpus::kToEnd][t + 1], 1 + (63 - t) / 4) << "tick " << t;
  }
}

TEST(CoreDataset, SecondBuildIsServedFromTheCache) {
  TempDir dir("cache");
  corpus::DatasetOptions o = chorale_dataset_options(dir);
  corpus::Dataset first = corpus::build_dataset(o);
  ASSERT_FALSE(first.from_cache);
  EXPECT_TRUE(fs::exists(fs::path(o.cache_dir) / ("dataset-" + first.cache_key + ".pt")));

  corpus::Dataset second = corpus::build_dataset(o);
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.cache_key, first.cache_key);
  EXPECT_TRUE(torch::equal(second.train.tokens, first.train.tokens));
  EXPECT_TRUE(torch::equal(second.train.meta, first.train.meta));
  EXPECT_EQ(second.train.starts, first.train.starts);
  EXPECT_EQ(second.train.lengths, first.train.lengths);
  EXPECT_EQ(second.train.shift, first.train.shift);
  EXPECT_EQ(second.train.piece, first.train.piece);
  EXPECT_EQ(second.styles, first.styles);
  ASSERT_EQ(second.pieces.size(), 1u);
  EXPECT_EQ(second.pieces[0].path, first.pieces[0].path);
  EXPECT_EQ(second.pieces[0].split, first.pieces[0].split);
  for (int v = 0; v < music::kNumVoices; ++v) {
    EXPECT_EQ(second.vocab[v].low, first.vocab[v].low);
    EXPECT_EQ(second.vocab[v].high, first.vocab[v].high);
  }

  // Other options (no augmentation) give another key: not served from the cache.
  o.augment = false;
  corpus::Dataset plain = corpus::build_dataset(o);
  EXPECT_FALSE(plain.from_cache);
  EXPECT_NE(plain.cache_key, first.cache_key);
}

TEST(CoreDataset, CorruptCacheIsRebuilt) {
  TempDir dir("corrupt_cache");
  corpus::DatasetOptions o = chorale_dataset_options(dir);
  corpus::Dataset first = corpus::build_dataset(o);
  std::string cache = (fs::path(o.cache_dir) / ("dataset-" + first.cache_key + ".pt")).string();
  ASSERT_TRUE(fs::exists(cache));
  fs::resize_file(cache, fs::file_size(cache) / 2);
  corpus::Dataset again = corpus::build_dataset(o);
  EXPECT_FALSE(again.from_cache);
  EXPECT_TRUE(torch::equal(again.train.tokens, first.train.tokens));
}

TEST(CoreDataset, EmptyCorpusIsAnError) {
  TempDir dir("empty_corpus");
  corpus::DatasetOptions o;
  o.roots = {dir.path().string()};
  o.cache_dir = dir.file("cache");
  o.progress = false;
  EXPECT_THROW(corpus::build_dataset(o), Error);
  o.roots = {dir.file("missing")};
  EXPECT_THROW(corpus::build_dataset(o), Error);
}

// The fixture chorale as the corpus reader gives it.
corpus::CorpusPiece chorale_piece() {
  corpus::CorpusPiece piece;
  piece.path = chorale_path();
  piece.score = io::read_score(chorale_path());
  piece.accepted = true;
  piece.style = "bach";
  return piece;
}

TEST(CoreDataset, EncodeSplitAugmentsWithEveryTranspositionThatFits) {
  const corpus::CorpusPiece piece = chorale_piece();
  // Soprano (G4-D5 = 67-74) may move 2 down and 1 up; the other voices have room.
  corpus::Vocabulary vocab;
  vocab[0] = {65, 75};
  for (int v = 1; v < music::kNumVoices; ++v) vocab[v] = {chorale_range(v).first - 5, chorale_range(v).second + 5};
  std::vector<int> shifts = {-2, -1, 0, 1, 2};
  corpus::SplitTensors s = corpus::encode_split({&piece}, vocab, {"bach"}, shifts);

  ASSERT_EQ(s.shift, (std::vector<int>{-2, -1, 0, 1}));
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s.ticks(), 4 * 66);
  // Key signatures of G major moved by -2, -1, 0, +1: F (1 flat), F# (6 sharps), G (1 sharp), Ab (4 flats).
  const int expected_fifths[] = {-1, 6, 1, -4};
  auto tokens = s.tokens.accessor<int16_t, 2>();
  auto meta = s.meta.accessor<int16_t, 2>();
  for (size_t i = 0; i < s.size(); ++i) {
    const int shift = s.shift[i];
    const int64_t start = s.starts[i];
    EXPECT_EQ(s.lengths[i], 66);
    EXPECT_EQ(s.piece[i], 0);
    for (int v = 0; v < music::kNumVoices; ++v) {
      std::vector<music::Token> expected = chorale_tokens(v);
      EXPECT_EQ(tokens[v][start], kStartIndex);
      EXPECT_EQ(tokens[v][start + 65], kEndIndex);
      for (int t = 0; t < 64; ++t) {
        music::Token token = music::is_pitch(expected[t]) ? expected[t] + shift : expected[t];
        ASSERT_EQ(tokens[v][start + 1 + t], index_in(token, vocab[v].low))
            << "shift " << shift << " voice " << v << " tick " << t;
      }
    }
    for (int t = 0; t < 64; ++t) {
      ASSERT_EQ(meta[corpus::kKey][start + 1 + t], key_value(expected_fifths[i], music::Mode::kMajor))
          << "shift " << shift << " tick " << t;
      ASSERT_EQ(meta[corpus::kFermata][start + 1 + t], chorale_fermata(t) ? 2 : 1);
    }
  }
  // Balanced: only the pairs +-s that both fit (+2 does not: so neither does -2).
  corpus::SplitTensors balanced = corpus::encode_split({&piece}, vocab, {"bach"}, shifts, /*balanced=*/true);
  EXPECT_EQ(balanced.shift, (std::vector<int>{-1, 0, 1}));
  // A single shift is used as given, without checking the ranges.
  corpus::SplitTensors one = corpus::encode_split({&piece}, vocab, {"bach"}, {0});
  EXPECT_EQ(one.shift, std::vector<int>{0});
  // A piece that does not fit the vocabulary is skipped, not an error.
  corpus::Vocabulary narrow = vocab;
  narrow[0] = {68, 74};
  corpus::SplitTensors none = corpus::encode_split({&piece}, narrow, {"bach"}, {0});
  EXPECT_EQ(none.size(), 0u);
}

// Regression: the cache key (dataset.cpp cache_key_of) hashes the file
// names and bytes only, not splits.tsv nor the folders that decide a piece's
// work, style and split: after a splits.tsv is added or edited, the stale
// cache is served with the old splits.
TEST(CoreDataset, CacheNoticesChangedSplits) {
  TempDir dir("cache_splits");
  corpus::DatasetOptions o = chorale_dataset_options(dir);
  corpus::Dataset before = corpus::build_dataset(o);
  ASSERT_EQ(before.pieces[0].split, corpus::Split::kTrain);
  // The corpus now says the chorale is a test piece.
  std::ofstream(dir.path() / "corpus" / "splits.tsv")
      << "file\twork\tsplit\nchorales/core_chorale.musicxml\tcore\ttest\n";
  ASSERT_EQ(corpus::split_of((dir.path() / "corpus" / "chorales" / "core_chorale.musicxml").string(), "x"),
            corpus::Split::kTest);
  corpus::Dataset after = corpus::build_dataset(o);
  ASSERT_EQ(after.pieces.size(), 1u);
  EXPECT_EQ(after.pieces[0].split, corpus::Split::kTest)
      << "stale cache served (from_cache " << after.from_cache << ")";
  EXPECT_EQ(after.test.size(), 1u);
}

// Regression: encode_split with several shifts uses every transposition in
// [-max, max] that fits (dataset.cpp: transpositions_within(..., max_element)),
// not only the shifts asked for.
TEST(CoreDataset, EncodeSplitUsesOnlyTheGivenShifts) {
  const corpus::CorpusPiece piece = chorale_piece();
  corpus::Vocabulary vocab;
  for (int v = 0; v < music::kNumVoices; ++v) vocab[v] = {chorale_range(v).first - 5, chorale_range(v).second + 5};
  corpus::SplitTensors s = corpus::encode_split({&piece}, vocab, {"bach"}, {0, 2});
  EXPECT_EQ(s.shift, (std::vector<int>{0, 2}));
}

TEST(CoreEncoding, VocabularyRoundTripsEveryToken) {
  corpus::VoiceVocabulary v{60, 72};
  EXPECT_EQ(v.size(), kFirstPitchIndex + 13);
  for (int p = 60; p <= 72; ++p) EXPECT_EQ(v.token_of(v.index_of(p)), p);
  EXPECT_EQ(v.index_of(music::kRest), kRestIndex);
  EXPECT_EQ(v.index_of(music::kHold), kHoldIndex);
  EXPECT_EQ(v.token_of(kRestIndex), music::kRest);
  EXPECT_EQ(v.token_of(kHoldIndex), music::kHold);
  EXPECT_EQ(v.index_of(59), -1);
  EXPECT_EQ(v.index_of(73), -1);
}

TEST(CoreEncoding, MetadataOfThreeFourAndMinorKeys) {
  music::TickMeta m;
  m.time = {3, 4};
  m.key = {-1, music::Mode::kMinor};
  m.tick_in_bar = 9;  // beat 3, second sixteenth
  m.fermata = true;
  auto values = corpus::encode_meta(m, 2, 100);
  EXPECT_EQ(values[corpus::kFermata], 2);
  EXPECT_EQ(values[corpus::kSubdivision], 2);
  EXPECT_EQ(values[corpus::kBeatInBar], 3);
  EXPECT_EQ(values[corpus::kKey], key_value(-1, music::Mode::kMinor));
  EXPECT_EQ(values[corpus::kStyle], 3);
  auto sizes = corpus::meta_channel_sizes(3);  // style 2 is the third style
  for (int c = 0; c < corpus::kNumMetaChannels; ++c) EXPECT_LT(values[c], sizes[c]) << "channel " << c;
  // Extreme keys and long bars stay inside their channels.
  m.key = {7, music::Mode::kMinor};
  m.time = {12, 4};
  m.tick_in_bar = 47;
  values = corpus::encode_meta(m, 0, 1);
  for (int c = 0; c < corpus::kNumMetaChannels; ++c) EXPECT_LT(values[c], sizes[c]) << "channel " << c;
}

TEST(CoreEncoding, QuartersToTheEndCountDownAndSaturate) {
  music::TickMeta m;
  auto to_end = [&](int ticks) { return corpus::encode_meta(m, 0, ticks)[corpus::kToEnd]; };
  EXPECT_EQ(to_end(1), 1);  // the last tick
  EXPECT_EQ(to_end(4), 1);  // the last quarter
  EXPECT_EQ(to_end(5), 2);
  EXPECT_EQ(to_end(4 * corpus::kMaxQuartersToEnd), corpus::kMaxQuartersToEnd);
  EXPECT_EQ(to_end(4 * corpus::kMaxQuartersToEnd + 1), 1 + corpus::kMaxQuartersToEnd);  // "far"
  EXPECT_EQ(to_end(100000), 1 + corpus::kMaxQuartersToEnd);
  EXPECT_LT(to_end(100000), corpus::meta_channel_sizes(1)[corpus::kToEnd]);
}

TEST(CoreEncoding, AKeyWithoutModeIsToldTheModeOfItsFinalChord) {
  // A minor cadence with no mode in the key signature: A minor, not "no sharps or flats".
  music::Score s = music::make_empty_score(8, {0, music::Mode::kUnknown}, {4, 4});
  const int chord[2][4] = {{71, 68, 64, 52}, {72, 69, 64, 45}};  // E major, then A minor
  for (int c = 0; c < 2; ++c)
    for (int v = 0; v < 4; ++v) {
      s.voices[v][c * 4] = chord[c][v];
      for (int t = 1; t < 4; ++t) s.voices[v][c * 4 + t] = music::kHold;
    }
  auto values = corpus::encode_score_meta(s, 0);
  EXPECT_EQ(values[0][corpus::kKey], key_value(0, music::Mode::kMinor));
  // A file that says the mode keeps it.
  for (auto& m : s.meta) m.key.mode = music::Mode::kMajor;
  EXPECT_EQ(corpus::encode_score_meta(s, 0)[0][corpus::kKey], key_value(0, music::Mode::kMajor));
}

}  // namespace
}  // namespace dq::testing
