#include "util/file_util.h"

#include <unistd.h>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace dq::util {

namespace fs = std::filesystem;

std::string read_file_bytes(const std::string& path) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) throw Error(path + ": no such file");
  if (fs::is_directory(st)) throw Error(path + ": is a directory, not a score file");
  if (!fs::is_regular_file(st)) throw Error(path + ": not a regular file");
  auto size = fs::file_size(path, ec);
  if (ec) throw Error(path + ": cannot read its size");
  if (static_cast<long long>(size) > kMaxInputBytes) {
    throw Error(path + ": file too large (" + std::to_string(size) + " bytes, limit " + std::to_string(kMaxInputBytes) +
                ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string temp_path_beside(const std::string& path) {
  static std::atomic<int> counter{0};
  fs::path p(path);
  std::string name = "." + p.stem().string() + ".tmp" + std::to_string(getpid()) + "_" + std::to_string(counter++) +
                     p.extension().string();
  return (p.parent_path() / name).string();
}

void commit_temp_file(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) {
    fs::remove(from, ec);
    throw Error(to + ": cannot write (" + ec.message() + ")");
  }
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
  std::string tmp = temp_path_beside(path);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot open for writing");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      out.close();
      std::remove(tmp.c_str());
      throw Error(path + ": write failed (disk full?)");
    }
  }
  commit_temp_file(tmp, path);
}

}  // namespace dq::util
