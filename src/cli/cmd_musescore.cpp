// `deepquartet musescore install [--dir DIR]`: puts the MuseScore 3 plugin
// (musescore/deepquartet, compiled into this program) where MuseScore finds
// it, so that a MuseScore user needs no copy step and no source tree.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/musescore_plugin.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::cli {

namespace {

namespace fs = std::filesystem;

struct MusescoreOptions {
  std::string dir;
};

// MuseScore 3's default folder for the user's plugins.
std::string default_plugin_dir() {
  const char* home = std::getenv("HOME");
  if (!home || !*home) throw Error("HOME is not set: give the plugin folder with --dir");
  return std::string(home) + "/Documents/MuseScore3/Plugins";
}

int run_install(const MusescoreOptions& o) {
  fs::path dir = fs::path(o.dir.empty() ? default_plugin_dir() : o.dir) / "deepquartet";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(dir.string() + ": cannot create the folder (" + ec.message() + ")");
  for (const PluginFile& file : musescore_plugin_files()) {
    util::write_file_atomically((dir / file.name).string(), file.text);
  }
  std::cout << "Installed the deepquartet plugin in " << dir.string() << "\n"
            << "In MuseScore 3: Plugins > Plugin Manager..., tick \"deepquartet\", OK; then Plugins > deepquartet.\n"
            << "The plugin talks to a running server: deepquartet serve   (http://127.0.0.1:8080)\n";
  return 0;
}

}  // namespace

void add_musescore(CLI::App& app, Runner& run) {
  CLI::App* cmd = app.add_subcommand("musescore", "The MuseScore 3 plugin: regenerate a selection, harmonize a melody");
  cmd->require_subcommand(1);
  auto o = std::make_shared<MusescoreOptions>();
  CLI::App* install = cmd->add_subcommand("install", "Copy the plugin where MuseScore 3 finds it");
  install->add_option("--dir", o->dir, "MuseScore's plugin folder (default ~/Documents/MuseScore3/Plugins)");
  install->callback([o, &run] { run = [o] { return run_install(*o); }; });
}

}  // namespace dq::cli
