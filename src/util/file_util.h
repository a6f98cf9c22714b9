// Small file helpers for every layer (the readers and writers, the model file,
// the trainer's logs): bounded whole-file reads with clear errors, and atomic
// writes (temp file + rename).
#pragma once

#include <string>

namespace dq::util {

// Largest file read_file_bytes() accepts (bytes), and so any reader.
constexpr long long kMaxInputBytes = 64LL << 20;

// The bytes of `path`; throws dq::Error if it is missing, a directory,
// unreadable or larger than kMaxInputBytes.
std::string read_file_bytes(const std::string& path);

// Writes `bytes` to `path` through a temporary file in the same folder and a
// rename, so a reader never sees a partial file. Throws dq::Error on failure.
void write_file_atomically(const std::string& path, const std::string& bytes);

// A unique temporary path next to `path` (same folder, same extension).
std::string temp_path_beside(const std::string& path);

// Renames `from` over `to`; throws dq::Error (and removes `from`) on failure.
void commit_temp_file(const std::string& from, const std::string& to);

}  // namespace dq::util
