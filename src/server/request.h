// Reading the fields of API requests: every value is checked (type, range,
// allowed names) and a bad one becomes an ApiError with a message that names
// the field, which the server sends back as {"error": "..."} with a 4xx
// status.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace dq::server {

// The project's Error with the HTTP status of its answer (4xx, 5xx); the
// message is for the client.
class ApiError : public Error {
 public:
  ApiError(int status, const std::string& message) : Error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// The request body as a JSON object ({} for an empty body); 400 if it is not
// valid JSON or not an object.
nlohmann::json parse_body(const std::string& body);

// 400 naming the first member of `body` that is not in `known` (a typo
// should not be ignored silently).
void check_fields(const nlohmann::json& body, std::initializer_list<const char*> known);

// Optional fields: nullopt if absent or null; 400 if present with the wrong
// type or outside [min, max].
std::optional<int> int_field(const nlohmann::json& body, const char* name, int min, int max);
std::optional<double> number_field(const nlohmann::json& body, const char* name, double min, double max);
std::optional<bool> bool_field(const nlohmann::json& body, const char* name);
std::optional<std::string> string_field(const nlohmann::json& body, const char* name, size_t max_length = 200);
// A seed: a non-negative integer below 2^53 (exact in JavaScript).
std::optional<uint64_t> seed_field(const nlohmann::json& body, const char* name);
// Voices as an array of indices 0..3 or names ("soprano", "bass"...), or a
// comma-separated string of them; sorted, without duplicates, not empty.
std::optional<std::vector<int>> voices_field(const nlohmann::json& body, const char* name);

// A required field: 400 "missing field NAME" if absent.
template <class T>
T required(const std::optional<T>& value, const char* name) {
  if (!value) throw ApiError(400, std::string("missing field \"") + name + "\"");
  return *value;
}

}  // namespace dq::server
