// Identifiers for sessions and jobs: 16 random hex digits, so that one
// browser tab cannot guess another's piece by counting.
#pragma once

#include <string>

namespace dq::server {

// A fresh identifier (thread-safe).
std::string random_id();

}  // namespace dq::server
