// A check shared by the tests of the written-out LSTMs: two computations of
// the same function give the same outputs and the same gradients.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace dq::testing {

inline void expect_close(const torch::Tensor& a, const torch::Tensor& b, double tolerance, const std::string& what) {
  ASSERT_EQ(a.sizes(), b.sizes()) << what;
  EXPECT_LT((a - b).abs().max().item<double>(), tolerance) << what;
}

// Gradients of sum(output * weights) for fixed random weights (randn, not
// randn_like: randn_like follows the strides, so a transposed output would
// get its weights in another order).
inline std::vector<torch::Tensor> weighted_sum_gradients(const torch::Tensor& output,
                                                         const std::vector<torch::Tensor>& parameters) {
  torch::manual_seed(11);
  torch::Tensor loss = (output * torch::randn(output.sizes())).sum();
  return torch::autograd::grad({loss}, parameters);
}

// `actual` equals `expected` to 2e-5, and so do their gradients with respect
// to `parameters` to 1e-4.
inline void expect_same_function(const torch::Tensor& expected, const torch::Tensor& actual,
                                 const std::vector<torch::Tensor>& parameters, const std::string& what) {
  expect_close(actual, expected, 2e-5, "output, " + what);
  auto expected_grads = weighted_sum_gradients(expected, parameters);
  auto actual_grads = weighted_sum_gradients(actual, parameters);
  ASSERT_EQ(actual_grads.size(), expected_grads.size());
  for (size_t i = 0; i < actual_grads.size(); ++i)
    expect_close(actual_grads[i], expected_grads[i], 1e-4, "gradient " + std::to_string(i) + ", " + what);
}

}  // namespace dq::testing
