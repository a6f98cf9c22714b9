// Distributions of musical features (histograms) of a piece or a set of
// pieces, and the distances that compare two of them: how far a generated set
// is from Bach's chorales, and how far Bach's chorales are from each other.
//
// Features (histograms hold raw counts, so sets add up piece by piece):
// - pitch class of every note relative to the tonic of its key signature
//   (major tonic = fifths * 7 mod 12, minor = that + 9; major when the mode
//   is unknown), 12 bins 0..11;
// - melodic interval between consecutive notes of one voice (rests skipped),
//   in semitones clipped to [-12, 12], 25 bins, one feature per voice;
// - note length in ticks (16ths) clipped to 1..16, 16 bins, all voices;
// - chord quality of the sounding pitch classes at every chord slice, 7 bins
//   (ChordQuality below).
//
// Distance: the 1-D Wasserstein (earth mover's) distance between the
// normalized histograms over the ordered bins, in bin units (semitones for
// pitch classes, taken on the line 0..11, not the circle; semitones for
// intervals; ticks for lengths). Chord-quality bins have no order, so their
// distance is the total variation (half the L1 distance, 0..1).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "music/score.h"

namespace dq::eval {

enum class Feature {
  kPitchClass,
  kIntervalSoprano,
  kIntervalAlto,
  kIntervalTenor,
  kIntervalBass,
  kNoteLength,
  kChordQuality,
};
constexpr int kNumFeatures = static_cast<int>(Feature::kChordQuality) + 1;

// The quality of the pitch classes sounding together.
enum class ChordQuality {
  kMajor,  // triads
  kMinor,
  kDiminished,
  kAugmented,
  kDominantSeventh,
  kOtherSeventh,  // minor, major, half-diminished, diminished, minor-major, augmented-major
  kOther,         // fewer than three pitch classes, incomplete sevenths, non-chord tones
};
constexpr int kNumChordQualities = static_cast<int>(ChordQuality::kOther) + 1;

// "pitch class (key-normalized)" and "pitch_class" (for JSON keys and file names).
const char* feature_name(Feature feature);
const char* feature_id(Feature feature);
const char* chord_quality_name(ChordQuality quality);

// Number of bins of a feature's histogram, and the value bin `i` stands for
// (the pitch class, the interval, the length in ticks, the quality index).
int bin_count(Feature feature);
int bin_value(Feature feature, int bin);

// A chord named from its pitch classes: its quality and the pitch class of its
// root. The root is -1 for kOther and for the symmetric chords whose pitch
// classes alone do not tell it (augmented triads, diminished sevenths).
struct ChordName {
  ChordQuality quality = ChordQuality::kOther;
  int root = -1;
};

// The chord of a set of pitch classes given as a 12-bit mask (bit 0 = C).
ChordName name_chord(int pitch_class_mask);

// The quality of a set of pitch classes given as a 12-bit mask (bit 0 = C).
ChordQuality classify_chord(int pitch_class_mask);

// One histogram of raw counts per feature.
struct Features {
  std::array<std::vector<double>, kNumFeatures> counts;

  Features();  // every histogram sized and zero
  Features& operator+=(const Features& other);
  const std::vector<double>& operator[](Feature f) const { return counts[static_cast<int>(f)]; }
};

// The feature histograms of one score.
Features piece_features(const music::Score& score);

// 1-D Wasserstein distance between histograms `p` and `q` (raw or normalized,
// same size), each normalized to sum 1 first. NaN if either sums to zero.
double wasserstein_1d(const std::vector<double>& p, const std::vector<double>& q);

// Total variation distance (0..1) between normalized `p` and `q`; NaN if
// either sums to zero.
double total_variation(const std::vector<double>& p, const std::vector<double>& q);

// The feature's distance (Wasserstein or total variation, see above).
double feature_distance(Feature feature, const std::vector<double>& p, const std::vector<double>& q);

using FeatureDistances = std::array<double, kNumFeatures>;

// Distances of every feature between `a` and `b` (NaN where one is empty).
FeatureDistances distances(const Features& a, const Features& b);

// The q-quantile (0..1, linear interpolation between order statistics) of
// `values`; NaN if it is empty.
double percentile(std::vector<double> values, double q);

// Mean and 90th percentile (linear interpolation) of the finite values of
// `values`; both NaN if there are none.
struct Spread {
  double mean = 0;
  double p90 = 0;
};
Spread spread_of(std::vector<double> values);

// Leave-one-out distances of a reference set: for each piece, the distance of
// its histograms to the pooled histograms of all the other pieces. One entry
// per piece. Throws dq::Error with fewer than two pieces.
std::vector<FeatureDistances> leave_one_out_distances(const std::vector<Features>& pieces);

}  // namespace dq::eval
