#include "model/half_gemv.h"

#include <immintrin.h>

namespace dq::model {

bool half_gemv_supported() {
  static const bool supported =
      __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return supported;
}

__attribute__((target("f16c"))) HalfMatrix to_half(const float* values, int rows, int cols) {
  HalfMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.values.resize(static_cast<size_t>(rows) * cols);
  for (size_t i = 0; i < m.values.size(); ++i) m.values[i] = _cvtss_sh(values[i], _MM_FROUND_TO_NEAREST_INT);
  return m;
}

namespace {

// Eight float16 values as floats.
__attribute__((target("avx2,f16c"))) inline __m256 load8(const uint16_t* values) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(values)));
}

}  // namespace

__attribute__((target("avx2,fma,f16c"))) void half_gemv(const HalfMatrix& w, const float* x, float* y) {
  const int K = w.cols;
  for (int r = 0; r < w.rows; ++r) {
    const uint16_t* row = w.values.data() + static_cast<size_t>(r) * K;
    // Four independent sums keep the FMA units busy.
    __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
    int k = 0;
    for (; k + 32 <= K; k += 32) {
      a0 = _mm256_fmadd_ps(load8(row + k), _mm256_loadu_ps(x + k), a0);
      a1 = _mm256_fmadd_ps(load8(row + k + 8), _mm256_loadu_ps(x + k + 8), a1);
      a2 = _mm256_fmadd_ps(load8(row + k + 16), _mm256_loadu_ps(x + k + 16), a2);
      a3 = _mm256_fmadd_ps(load8(row + k + 24), _mm256_loadu_ps(x + k + 24), a3);
    }
    for (; k + 8 <= K; k += 8) a0 = _mm256_fmadd_ps(load8(row + k), _mm256_loadu_ps(x + k), a0);
    __m256 sum = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));
    __m128 half_sum = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
    half_sum = _mm_hadd_ps(half_sum, half_sum);
    half_sum = _mm_hadd_ps(half_sum, half_sum);
    float total = _mm_cvtss_f32(half_sum);
    for (; k < K; ++k) total += _cvtsh_ss(row[k]) * x[k];
    y[r] = total;
  }
}

}  // namespace dq::model
