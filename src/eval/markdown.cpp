#include "eval/markdown.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "util/file_util.h"

namespace dq::eval {

namespace {

std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string fixed(double x, int digits) {
  if (!std::isfinite(x)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string percent(double x) { return std::isfinite(x) ? fixed(100 * x, 1) + "%" : "n/a"; }

void table_row(std::ostringstream& md, const std::vector<std::string>& cells) {
  md << '|';
  for (const std::string& c : cells) md << ' ' << cell(c) << " |";
  md << '\n';
}

void table_head(std::ostringstream& md, const std::vector<std::string>& columns) {
  table_row(md, columns);
  md << '|';
  for (size_t i = 0; i < columns.size(); ++i) md << (i == 0 ? " --- |" : " ---: |");
  md << '\n';
}

void write_markdown_and_json(const std::string& path, const std::string& markdown, const std::string& json) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  util::write_file_atomically(std::filesystem::path(path).replace_extension(".json").string(), json);
  util::write_file_atomically(path, markdown);
}

}  // namespace dq::eval
