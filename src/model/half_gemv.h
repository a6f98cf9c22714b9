// Matrix-vector products with float16 weights, for FastNet's one-tick path
// (fast_net_stepper.h, which the sweep sampler runs). Its products have one row at a time and are bound by reading the
// weights, so weights stored as float16 (converted on the fly with F16C) are about 1.4x faster than OpenBLAS's float
// sgemv on this machine. The shipped models hold float16 weights, so for them the products are exact up to rounding of
// sums.
#pragma once

#include <cstdint>
#include <vector>

namespace dq::model {

// Whether this CPU has the F16C, AVX2 and FMA instructions half_gemv needs.
bool half_gemv_supported();

// Weights [rows, cols] in row-major float16 (IEEE binary16 bit patterns).
struct HalfMatrix {
  int rows = 0, cols = 0;
  std::vector<uint16_t> values;
};

// The float16 copy of a row-major float matrix (values rounded to nearest).
HalfMatrix to_half(const float* values, int rows, int cols);

// y[r] = sum_k w[r][k] * x[k] for every row r. Requires half_gemv_supported().
void half_gemv(const HalfMatrix& w, const float* x, float* y);

}  // namespace dq::model
