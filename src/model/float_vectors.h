// Eight-float vectors for the element-wise loops of the written-out LSTMs
// (lstm_layer, window_lstm): GCC's vector extensions, compiled to AVX2 in the
// functions marked DQ_VECTOR_CLONES where the CPU has it, to SSE otherwise.
// Not "arch=haswell": its resolver checks the CPU model, so AMD CPUs would
// get the generic clone.
#pragma once

#include <cstdint>
#include <cstring>

namespace dq::model::vec {

typedef float Floats __attribute__((vector_size(32)));
typedef int32_t Ints __attribute__((vector_size(32)));
constexpr int64_t kLanes = 8;

#define DQ_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))

// The first n floats at p (at most 8; the rest zero), and back.
inline Floats load(const float* p, int64_t n) {
  Floats v = {};
  if (n >= kLanes) {
    std::memcpy(&v, p, sizeof v);
  } else {
    for (int64_t i = 0; i < n; ++i) v[i] = p[i];
  }
  return v;
}
inline void store(float* p, int64_t n, Floats v) {
  if (n >= kLanes) {
    std::memcpy(p, &v, sizeof v);
  } else {
    for (int64_t i = 0; i < n; ++i) p[i] = v[i];
  }
}

// exp(x), clamped to |x| <= 87, to a few float ulps (Cephes' polynomial).
inline Floats fast_exp(Floats x) {
  x = x < -87.0f ? Floats{} - 87.0f : x;
  x = x > 87.0f ? Floats{} + 87.0f : x;
  const Floats n = (x * 1.44269504f + 12582912.0f) - 12582912.0f;  // round(x / ln 2)
  const Floats r = x - n * 0.693359375f + n * 2.12194440e-4f;
  Floats p = Floats{} + 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const Ints bits = (__builtin_convertvector(n, Ints) + 127) << 23;
  Floats scale;  // 2^n
  std::memcpy(&scale, &bits, sizeof scale);
  return (p * r * r + r + 1.0f) * scale;
}

inline Floats sigmoid(Floats x) { return 1.0f / (1.0f + fast_exp(-x)); }
inline Floats tanh_of(Floats x) { return 2.0f * sigmoid(2.0f * x) - 1.0f; }

}  // namespace dq::model::vec
