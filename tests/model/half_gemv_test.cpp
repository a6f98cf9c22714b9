// The float16 matrix-vector product of the sweep sampler: the same result as
// a float product of the rounded weights, for any shape (tails included).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "model/half_gemv.h"

namespace dq::testing {
namespace {

TEST(CoreHalfGemv, MatchesTheFloatProductOfTheRoundedWeights) {
  if (!model::half_gemv_supported()) GTEST_SKIP() << "this CPU lacks F16C/AVX2/FMA";
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> value(-1, 1);
  for (auto [rows, cols] : {std::pair{1, 1}, {3, 7}, {5, 8}, {17, 33}, {64, 256}, {40, 300}}) {
    std::vector<float> w(rows * cols), x(cols), y(rows);
    for (float& v : w) v = value(rng);
    for (float& v : x) v = value(rng);
    model::HalfMatrix half = model::to_half(w.data(), rows, cols);
    ASSERT_EQ(half.values.size(), w.size());
    model::half_gemv(half, x.data(), y.data());
    for (int r = 0; r < rows; ++r) {
      double exact = 0, magnitude = 0;
      for (int k = 0; k < cols; ++k) {
        exact += static_cast<double>(w[r * cols + k]) * x[k];
        magnitude += std::abs(static_cast<double>(w[r * cols + k]) * x[k]);
      }
      // float16 keeps 11 significant bits: each weight is within 2^-11 relative.
      EXPECT_NEAR(y[r], exact, magnitude * 1e-3 + 1e-6) << rows << "x" << cols << " row " << r;
    }
  }
}

TEST(CoreHalfGemv, IsExactForWeightsThatAreFloat16Already) {
  if (!model::half_gemv_supported()) GTEST_SKIP() << "this CPU lacks F16C/AVX2/FMA";
  // Small integers and halves are exact in float16, and so are their sums here.
  const int rows = 9, cols = 70;
  std::vector<float> w(rows * cols), x(cols), y(rows);
  for (int i = 0; i < rows * cols; ++i) w[i] = static_cast<float>(i % 13 - 6) * 0.5f;
  for (int k = 0; k < cols; ++k) x[k] = static_cast<float>(k % 5 - 2);
  model::half_gemv(model::to_half(w.data(), rows, cols), x.data(), y.data());
  for (int r = 0; r < rows; ++r) {
    float expected = 0;
    for (int k = 0; k < cols; ++k) expected += w[r * cols + k] * x[k];
    EXPECT_EQ(y[r], expected) << "row " << r;
  }
}

}  // namespace
}  // namespace dq::testing
