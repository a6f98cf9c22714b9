#include "util/plot.h"

#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "util/error.h"

namespace dq {

namespace {
const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  if (std::fabs(v) >= 1000 || v == std::floor(v))
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else if (std::fabs(v) >= 1)
    std::snprintf(buf, sizeof buf, "%.2f", v);
  else
    std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}
}  // namespace

std::string chart_svg(const Chart& chart, int width, int height) {
  const double left = 70, right = 170, top = 40, bottom = 50;
  double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
  for (const Series& s : chart.series) {
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      x0 = std::min(x0, s.x[i]);
      x1 = std::max(x1, s.x[i]);
      y0 = std::min(y0, s.y[i]);
      y1 = std::max(y1, s.y[i]);
    }
  }
  if (x0 > x1) {
    x0 = 0;
    x1 = 1;
    y0 = 0;
    y1 = 1;
  }
  if (x1 == x0) x1 = x0 + 1;
  if (y1 == y0) {
    y1 = y0 + 1;
  }
  double pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  const double pw = width - left - right, ph = height - top - bottom;
  auto px = [&](double x) { return left + (x - x0) / (x1 - x0) * pw; };
  auto py = [&](double y) { return top + (1 - (y - y0) / (y1 - y0)) * ph; };
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' font-family='sans-serif' font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n";
  svg << "<text x='" << width / 2 << "' y='22' text-anchor='middle' font-size='15'>" << escape(chart.title)
      << "</text>\n";
  for (int i = 0; i <= 5; ++i) {
    double y = y0 + (y1 - y0) * i / 5, x = x0 + (x1 - x0) * i / 5;
    svg << "<line x1='" << left << "' x2='" << left + pw << "' y1='" << py(y) << "' y2='" << py(y)
        << "' stroke='#ddd'/>\n<text x='" << left - 6 << "' y='" << py(y) + 4 << "' text-anchor='end'>" << number(y)
        << "</text>\n<text x='" << px(x) << "' y='" << top + ph + 18 << "' text-anchor='middle'>" << number(x)
        << "</text>\n";
  }
  svg << "<rect x='" << left << "' y='" << top << "' width='" << pw << "' height='" << ph
      << "' fill='none' stroke='#333'/>\n";
  svg << "<text x='" << left + pw / 2 << "' y='" << height - 10 << "' text-anchor='middle'>" << escape(chart.x_label)
      << "</text>\n<text transform='translate(16," << top + ph / 2 << ") rotate(-90)' text-anchor='middle'>"
      << escape(chart.y_label) << "</text>\n";
  for (size_t k = 0; k < chart.series.size(); ++k) {
    const Series& s = chart.series[k];
    const char* color = kColors[k % 8];
    svg << "<polyline fill='none' stroke='" << color << "' stroke-width='2' points='";
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) svg << px(s.x[i]) << ',' << py(s.y[i]) << ' ';
    svg << "'/>\n";
    double ly = top + 14 + 18 * k;
    svg << "<line x1='" << left + pw + 10 << "' x2='" << left + pw + 30 << "' y1='" << ly - 4 << "' y2='" << ly - 4
        << "' stroke='" << color << "' stroke-width='3'/><text x='" << left + pw + 36 << "' y='" << ly << "'>"
        << escape(s.name) << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

void write_chart(const Chart& chart, const std::string& path) {
  std::string svg = chart_svg(chart);
  bool png = path.size() > 4 && path.substr(path.size() - 4) == ".png";
  std::string svg_path = png ? path + ".tmp.svg" : path + ".tmp";
  {
    std::ofstream out(svg_path);
    out << svg;
    if (!out) throw Error(path + ": cannot write the chart");
  }
  if (!png) {
    if (std::rename(svg_path.c_str(), path.c_str()) != 0) throw Error(path + ": cannot write the chart");
    return;
  }
  std::string tmp_png = path + ".tmp.png";
  pid_t pid = fork();
  if (pid == 0) {
    execlp("rsvg-convert", "rsvg-convert", "-o", tmp_png.c_str(), svg_path.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  if (pid > 0) waitpid(pid, &status, 0);
  std::remove(svg_path.c_str());
  if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || std::rename(tmp_png.c_str(), path.c_str()) != 0) {
    std::remove(tmp_png.c_str());
    throw Error(path + ": rsvg-convert failed (is librsvg2-bin installed?)");
  }
}

}  // namespace dq
