// The one error type of deepquartet: a message that names the file, the place
// (measure, line or byte offset) and what is wrong. Readers, the model loader
// and the samplers throw it for bad input; the command line turns it into
// exit code 1 and prints what() to stderr. It lives in util/, the lowest
// layer, so that every layer can include it; the web server's ApiError is
// this error with an HTTP status.
#pragma once

#include <stdexcept>
#include <string>

namespace dq {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace dq
