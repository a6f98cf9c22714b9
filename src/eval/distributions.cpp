#include "eval/distributions.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <numeric>

#include "eval/grader.h"
#include "music/pitch.h"
#include "util/error.h"

namespace dq::eval {

using music::kNumVoices;

namespace {

constexpr int kMaxInterval = 12;  // semitones, either way
constexpr int kMaxLength = 16;    // ticks
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int mask_of(std::initializer_list<int> pitch_classes) {
  int mask = 0;
  for (int pc : pitch_classes) mask |= 1 << pc;
  return mask;
}

// `mask` turned so that pitch class `root` becomes 0.
int rotate(int mask, int root) { return ((mask >> root) | (mask << (12 - root))) & 0xFFF; }

// Each histogram normalized to sum 1; false if either sums to zero.
bool normalize_pair(const std::vector<double>& p, const std::vector<double>& q, std::vector<double>& np,
                    std::vector<double>& nq) {
  double sp = std::accumulate(p.begin(), p.end(), 0.0);
  double sq = std::accumulate(q.begin(), q.end(), 0.0);
  if (p.size() != q.size() || sp <= 0 || sq <= 0) return false;
  np.resize(p.size());
  nq.resize(q.size());
  for (size_t i = 0; i < p.size(); ++i) {
    np[i] = p[i] / sp;
    nq[i] = q[i] / sq;
  }
  return true;
}

}  // namespace

const char* feature_name(Feature feature) {
  switch (feature) {
    case Feature::kPitchClass:
      return "pitch class (key-normalized)";
    case Feature::kIntervalSoprano:
      return "soprano intervals";
    case Feature::kIntervalAlto:
      return "alto intervals";
    case Feature::kIntervalTenor:
      return "tenor intervals";
    case Feature::kIntervalBass:
      return "bass intervals";
    case Feature::kNoteLength:
      return "note length (ticks)";
    case Feature::kChordQuality:
      return "chord quality";
  }
  return "?";
}

const char* feature_id(Feature feature) {
  switch (feature) {
    case Feature::kPitchClass:
      return "pitch_class";
    case Feature::kIntervalSoprano:
      return "interval_soprano";
    case Feature::kIntervalAlto:
      return "interval_alto";
    case Feature::kIntervalTenor:
      return "interval_tenor";
    case Feature::kIntervalBass:
      return "interval_bass";
    case Feature::kNoteLength:
      return "note_length";
    case Feature::kChordQuality:
      return "chord_quality";
  }
  return "?";
}

const char* chord_quality_name(ChordQuality quality) {
  switch (quality) {
    case ChordQuality::kMajor:
      return "major";
    case ChordQuality::kMinor:
      return "minor";
    case ChordQuality::kDiminished:
      return "diminished";
    case ChordQuality::kAugmented:
      return "augmented";
    case ChordQuality::kDominantSeventh:
      return "dominant seventh";
    case ChordQuality::kOtherSeventh:
      return "other seventh";
    case ChordQuality::kOther:
      return "other/incomplete";
  }
  return "?";
}

int bin_count(Feature feature) {
  switch (feature) {
    case Feature::kPitchClass:
      return 12;
    case Feature::kNoteLength:
      return kMaxLength;
    case Feature::kChordQuality:
      return kNumChordQualities;
    default:
      return 2 * kMaxInterval + 1;
  }
}

int bin_value(Feature feature, int bin) {
  switch (feature) {
    case Feature::kPitchClass:
      return bin;
    case Feature::kNoteLength:
      return bin + 1;
    case Feature::kChordQuality:
      return bin;
    default:
      return bin - kMaxInterval;
  }
}

ChordName name_chord(int pitch_class_mask) {
  struct Shape {
    int mask;
    ChordQuality quality;
  };
  static const Shape kShapes[] = {
      {mask_of({0, 4, 7}), ChordQuality::kMajor},
      {mask_of({0, 3, 7}), ChordQuality::kMinor},
      {mask_of({0, 3, 6}), ChordQuality::kDiminished},
      {mask_of({0, 4, 8}), ChordQuality::kAugmented},
      {mask_of({0, 4, 7, 10}), ChordQuality::kDominantSeventh},
      {mask_of({0, 3, 7, 10}), ChordQuality::kOtherSeventh},
      {mask_of({0, 4, 7, 11}), ChordQuality::kOtherSeventh},
      {mask_of({0, 3, 6, 10}), ChordQuality::kOtherSeventh},
      {mask_of({0, 3, 6, 9}), ChordQuality::kOtherSeventh},
      {mask_of({0, 3, 7, 11}), ChordQuality::kOtherSeventh},
      {mask_of({0, 4, 8, 11}), ChordQuality::kOtherSeventh},
  };
  int mask = pitch_class_mask & 0xFFF;
  for (int root = 0; root < 12; ++root) {
    if (!(mask & (1 << root))) continue;
    int shape = rotate(mask, root);
    for (const Shape& s : kShapes) {
      if (s.mask != shape) continue;
      bool symmetric = shape == mask_of({0, 4, 8}) || shape == mask_of({0, 3, 6, 9});
      return {s.quality, symmetric ? -1 : root};
    }
  }
  return {};
}

ChordQuality classify_chord(int pitch_class_mask) { return name_chord(pitch_class_mask).quality; }

Features::Features() {
  for (int f = 0; f < kNumFeatures; ++f) counts[f].assign(bin_count(static_cast<Feature>(f)), 0.0);
}

Features& Features::operator+=(const Features& other) {
  for (int f = 0; f < kNumFeatures; ++f) {
    for (size_t i = 0; i < counts[f].size(); ++i) counts[f][i] += other.counts[f][i];
  }
  return *this;
}

Features piece_features(const music::Score& score) {
  Features features;
  auto& pitch_classes = features.counts[static_cast<int>(Feature::kPitchClass)];
  auto& lengths = features.counts[static_cast<int>(Feature::kNoteLength)];
  for (int v = 0; v < kNumVoices; ++v) {
    auto& intervals = features.counts[static_cast<int>(Feature::kIntervalSoprano) + v];
    std::vector<music::Note> notes = music::voice_notes(score, v);
    for (size_t i = 0; i < notes.size(); ++i) {
      const music::Note& n = notes[i];
      int tonic = music::tonic_pitch_class(score.meta[n.start].key);
      pitch_classes[((n.pitch - tonic) % 12 + 12) % 12] += 1;
      lengths[std::clamp(n.length, 1, kMaxLength) - 1] += 1;
      if (i > 0) {
        int interval = std::clamp(n.pitch - notes[i - 1].pitch, -kMaxInterval, kMaxInterval);
        intervals[interval + kMaxInterval] += 1;
      }
    }
  }
  auto& qualities = features.counts[static_cast<int>(Feature::kChordQuality)];
  for (const ChordSlice& slice : chord_slices(score)) {
    int mask = 0;
    for (int p : slice.pitch) {
      if (p >= 0) mask |= 1 << (p % 12);
    }
    qualities[static_cast<int>(classify_chord(mask))] += 1;
  }
  return features;
}

double wasserstein_1d(const std::vector<double>& p, const std::vector<double>& q) {
  std::vector<double> np, nq;
  if (!normalize_pair(p, q, np, nq)) return kNaN;
  double distance = 0, cp = 0, cq = 0;
  for (size_t i = 0; i + 1 < np.size(); ++i) {
    cp += np[i];
    cq += nq[i];
    distance += std::fabs(cp - cq);
  }
  return distance;
}

double total_variation(const std::vector<double>& p, const std::vector<double>& q) {
  std::vector<double> np, nq;
  if (!normalize_pair(p, q, np, nq)) return kNaN;
  double sum = 0;
  for (size_t i = 0; i < np.size(); ++i) sum += std::fabs(np[i] - nq[i]);
  return sum / 2;
}

double feature_distance(Feature feature, const std::vector<double>& p, const std::vector<double>& q) {
  return feature == Feature::kChordQuality ? total_variation(p, q) : wasserstein_1d(p, q);
}

FeatureDistances distances(const Features& a, const Features& b) {
  FeatureDistances d;
  for (int f = 0; f < kNumFeatures; ++f) {
    d[f] = feature_distance(static_cast<Feature>(f), a.counts[f], b.counts[f]);
  }
  return d;
}

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  double rank = q * (values.size() - 1);
  size_t lo = static_cast<size_t>(rank);
  size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (rank - lo) * (values[hi] - values[lo]);
}

Spread spread_of(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double x) { return !std::isfinite(x); }), values.end());
  if (values.empty()) return {kNaN, kNaN};
  Spread s;
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / values.size();
  s.p90 = percentile(std::move(values), 0.9);
  return s;
}

std::vector<FeatureDistances> leave_one_out_distances(const std::vector<Features>& pieces) {
  if (pieces.size() < 2) {
    throw Error("leave-one-out distances need at least two reference pieces, got " + std::to_string(pieces.size()));
  }
  Features total;
  for (const Features& f : pieces) total += f;
  std::vector<FeatureDistances> result;
  for (const Features& piece : pieces) {
    Features rest = total;
    for (int f = 0; f < kNumFeatures; ++f) {
      for (size_t i = 0; i < rest.counts[f].size(); ++i) rest.counts[f][i] -= piece.counts[f][i];
    }
    result.push_back(distances(piece, rest));
  }
  return result;
}

}  // namespace dq::eval
