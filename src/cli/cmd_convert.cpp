// `deepquartet convert IN OUT...`: from any readable format to any writable
// one, chosen by extension.
#include <cstdio>

#include "cli/commands.h"
#include "io/score_file.h"
#include "util/error.h"
#include "util/text.h"

namespace dq::cli {

namespace {

struct ConvertOptions {
  std::string input;
  std::vector<std::string> outputs;
  std::vector<int> parts;
};

int run_convert(const ConvertOptions& o) {
  for (const auto& out : o.outputs) {
    if (!io::can_write(out)) {
      throw Error(out + ": cannot write format '" + util::extension_of(out) +
                  "' (writable: .mid .midi .xml .musicxml .mxl .wav .png .pdf .svg)");
    }
  }
  io::ReadOptions read;
  for (int p : o.parts) read.parts.push_back(p - 1);
  music::Score score = io::read_score(o.input, read);
  for (const auto& out : o.outputs) {
    io::write_score(score, out);
    std::fprintf(stderr, "wrote %s\n", out.c_str());
  }
  return 0;
}

}  // namespace

void add_convert(CLI::App& app, Runner& run) {
  auto o = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand("convert", "Convert a score between formats (by extension)");
  cmd->add_option("input", o->input, "Score to read (.mxl .musicxml .xml .krn .mid .midi)")->required();
  cmd->add_option("outputs", o->outputs, "Files to write (.mid .musicxml .xml .mxl .wav .png .pdf .svg)")->required();
  cmd->add_option("--parts", o->parts, "Parts/tracks (1-based, top first) to use as the voices")->delimiter(',');
  cmd->callback([o, &run] { run = [o] { return run_convert(*o); }; });
}

}  // namespace dq::cli
