#include "server/random_id.h"

#include <cstdio>
#include <mutex>
#include <random>

namespace dq::server {

std::string random_id() {
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  uint64_t value;
  {
    std::lock_guard<std::mutex> lock(mu);
    value = rng();
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
  return text;
}

}  // namespace dq::server
