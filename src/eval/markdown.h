// Markdown helpers shared by the evaluation reports: numbers formatted for a
// table cell, GitHub-style tables written into a stream, and the report's
// two files written side by side.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace dq::eval {

// `x` with `digits` decimals; "n/a" when not finite.
std::string fixed(double x, int digits);

// `x` (a fraction) as a percentage with one decimal, "37.2%"; "n/a" when not finite.
std::string percent(double x);

// One table row; '|' in a cell is escaped and newlines become spaces.
void table_row(std::ostringstream& md, const std::vector<std::string>& cells);

// The header row and the alignment row (first column left, others right).
void table_head(std::ostringstream& md, const std::vector<std::string>& columns);

// Writes `markdown` to `path` and `json` beside it (.json), creating the
// folder; each file is written atomically.
void write_markdown_and_json(const std::string& path, const std::string& markdown, const std::string& json);

}  // namespace dq::eval
