// The MuseScore 3 plugin's files (musescore/deepquartet), compiled into the
// program by the build (musescore_plugin_files.cpp is generated from them),
// for `deepquartet musescore install`.
#pragma once

#include <vector>

namespace dq::cli {

struct PluginFile {
  const char* name;  // file name inside the plugin's folder
  const char* text;  // its contents
};

const std::vector<PluginFile>& musescore_plugin_files();

}  // namespace dq::cli
