// Line charts as SVG (and PNG through rsvg-convert): training curves and
// evaluation figures, without a plotting library.
#pragma once

#include <string>
#include <vector>

namespace dq {

struct Series {
  std::string name;
  std::vector<double> x, y;
};

struct Chart {
  std::string title, x_label, y_label;
  std::vector<Series> series;
};

std::string chart_svg(const Chart& chart, int width = 800, int height = 450);

// Writes the chart to `path`: .svg directly, .png through `rsvg-convert`.
// Throws dq::Error if the file cannot be written.
void write_chart(const Chart& chart, const std::string& path);

}  // namespace dq
