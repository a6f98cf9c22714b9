#include "server/request.h"

#include <algorithm>
#include <cmath>

#include "sample/compose.h"
#include "util/error.h"

namespace dq::server {

namespace {

const nlohmann::json* find(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return nullptr;
  return &*it;
}

[[noreturn]] void bad(const char* name, const std::string& what) {
  throw ApiError(400, std::string("field \"") + name + "\" " + what);
}

}  // namespace

nlohmann::json parse_body(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw ApiError(400, "the request body is not valid JSON");
  if (!j.is_object()) throw ApiError(400, "the request body must be a JSON object");
  return j;
}

void check_fields(const nlohmann::json& body, std::initializer_list<const char*> known) {
  for (const auto& item : body.items()) {
    bool found = false;
    for (const char* name : known) found = found || item.key() == name;
    if (found) continue;
    std::string list;
    for (const char* name : known) list += (list.empty() ? "" : ", ") + std::string(name);
    std::string key = item.key().size() > 40 ? item.key().substr(0, 40) + "..." : item.key();
    throw ApiError(400,
                   "unknown field \"" + key + "\" (this request takes: " + (list.empty() ? "no fields" : list) + ")");
  }
}

std::optional<int> int_field(const nlohmann::json& body, const char* name, int min, int max) {
  const nlohmann::json* v = find(body, name);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    if (!(v->is_number_float() && std::floor(v->get<double>()) == v->get<double>())) bad(name, "must be an integer");
  }
  double x = v->get<double>();
  if (x < min || x > max) bad(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return static_cast<int>(x);
}

std::optional<double> number_field(const nlohmann::json& body, const char* name, double min, double max) {
  const nlohmann::json* v = find(body, name);
  if (!v) return std::nullopt;
  if (!v->is_number()) bad(name, "must be a number");
  double x = v->get<double>();
  if (!std::isfinite(x) || x < min || x > max) {
    char range[64];
    std::snprintf(range, sizeof range, "must be between %g and %g", min, max);
    bad(name, range);
  }
  return x;
}

std::optional<bool> bool_field(const nlohmann::json& body, const char* name) {
  const nlohmann::json* v = find(body, name);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) bad(name, "must be true or false");
  return v->get<bool>();
}

std::optional<std::string> string_field(const nlohmann::json& body, const char* name, size_t max_length) {
  const nlohmann::json* v = find(body, name);
  if (!v) return std::nullopt;
  if (!v->is_string()) bad(name, "must be a string");
  std::string s = v->get<std::string>();
  if (s.size() > max_length) bad(name, "is longer than " + std::to_string(max_length) + " characters");
  return s;
}

std::optional<uint64_t> seed_field(const nlohmann::json& body, const char* name) {
  const nlohmann::json* v = find(body, name);
  if (!v) return std::nullopt;
  constexpr uint64_t kMaxSafe = (1ULL << 53) - 1;  // exact in JavaScript
  if (v->is_number_unsigned() && v->get<uint64_t>() <= kMaxSafe) return v->get<uint64_t>();
  if (v->is_number_integer() && !v->is_number_unsigned() && v->get<int64_t>() >= 0 &&
      static_cast<uint64_t>(v->get<int64_t>()) <= kMaxSafe) {
    return static_cast<uint64_t>(v->get<int64_t>());
  }
  bad(name, "must be an integer between 0 and 2^53 - 1");
}

std::optional<std::vector<int>> voices_field(const nlohmann::json& body, const char* name) {
  const nlohmann::json* v = find(body, name);
  if (!v) return std::nullopt;
  std::vector<int> voices;
  try {
    if (v->is_string()) {
      voices = sample::parse_voices(v->get<std::string>());
    } else if (v->is_array()) {
      if (v->size() > 16) bad(name, "has too many entries");
      for (const auto& item : *v) {
        if (item.is_number_integer()) {
          int i = item.get<int>();
          if (i < 0 || i > 3) bad(name, "holds voice indices 0 (top) to 3 (bottom)");
          voices.push_back(i);
        } else if (item.is_string()) {
          for (int i : sample::parse_voices(item.get<std::string>())) voices.push_back(i);
        } else {
          bad(name, "must list voice indices 0-3 or voice names");
        }
      }
    } else {
      bad(name, "must be an array of voices");
    }
  } catch (const ApiError&) {
    throw;
  } catch (const Error& e) {
    bad(name, std::string("is invalid: ") + e.what());
  }
  std::sort(voices.begin(), voices.end());
  voices.erase(std::unique(voices.begin(), voices.end()), voices.end());
  if (voices.empty()) bad(name, "must name at least one voice");
  return voices;
}

}  // namespace dq::server
