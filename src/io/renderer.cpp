#include "io/renderer.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "io/musicxml_writer.h"
#include "util/error.h"
#include "util/file_util.h"
#include "util/text.h"

extern char** environ;

namespace dq::io {

namespace {

namespace fs = std::filesystem;

constexpr const char* kMuseScore = "mscore3";

// A private temporary folder, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "deepquartet-render-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw Error(std::string("cannot create a temporary folder: ") + std::strerror(errno));
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The environment of this process with `overrides` ("NAME=value") replacing
// the variables of the same names.
std::vector<std::string> child_environment(const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry = *e;
    std::string name = entry.substr(0, entry.find('='));
    bool replaced = std::any_of(overrides.begin(), overrides.end(),
                                [&](const std::string& o) { return o.compare(0, name.size() + 1, name + "=") == 0; });
    if (!replaced) env.push_back(entry);
  }
  env.insert(env.end(), overrides.begin(), overrides.end());
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Runs `argv` (found on the PATH) with `env`, stdin from /dev/null and
// stdout/stderr into `log_path`, and waits at most `timeout_seconds`, then
// kills its process group. Returns the exit status; throws dq::Error if it
// cannot start or times out.
int run_program(std::vector<std::string> argv, std::vector<std::string> env, const std::string& log_path,
                int timeout_seconds) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);  // its own group, so a timeout kills its children too

  std::vector<char*> c_argv = c_strings(argv);
  std::vector<char*> c_env = c_strings(env);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, c_argv[0], &actions, &attr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    throw Error(argv[0] + " could not be started (" + std::strerror(rc) + ")" +
                (rc == ENOENT ? "; install the musescore3 package" : ""));
  }

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int status = 0;
  while (true) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) throw Error(argv[0] + ": lost track of the process");
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      throw Error(argv[0] + " did not finish within " + std::to_string(timeout_seconds) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The last lines of MuseScore's log, for error messages.
std::string log_tail(const std::string& log_path) {
  std::string log;
  try {
    log = util::read_file_bytes(log_path);
  } catch (const Error&) {
    return "";
  }
  constexpr size_t kTail = 400;
  if (log.size() > kTail) log = "..." + log.substr(log.size() - kTail);
  return log;
}

// Page number of a file MuseScore wrote: "out.pdf" is 1, "out-3.png" and
// "out-03.png" are 3; 0 if the name is not an output page.
int page_number(const std::string& name, const std::string& ext) {
  if (name == "out" + ext) return 1;
  if (name.size() <= 4 + ext.size() || name.compare(0, 4, "out-") != 0 ||
      name.compare(name.size() - ext.size(), ext.size(), ext) != 0) {
    return 0;
  }
  std::string digits = name.substr(4, name.size() - 4 - ext.size());
  bool numeric = !digits.empty() && digits.size() <= 6 &&
                 std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!numeric) return 0;
  return std::stoi(digits);
}

// Where page `page` (1-based) of a render to `path` goes.
std::string page_path(const std::string& path, int page) {
  if (page == 1) return path;
  fs::path p(path);
  return (p.parent_path() / (p.stem().string() + "-" + std::to_string(page) + p.extension().string())).string();
}

}  // namespace

bool renderer_available() {
  const char* path_env = std::getenv("PATH");
  std::string dirs = path_env ? path_env : "";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    if (!dir.empty() && access((dir + "/" + kMuseScore).c_str(), X_OK) == 0) return true;
    start = end + 1;
  }
  return false;
}

void render_score(const music::Score& score, const std::string& path) {
  const std::string ext = util::extension_of(path);
  if (ext != ".png" && ext != ".pdf" && ext != ".svg") {
    throw Error(path + ": cannot render to '" + ext + "' (use .png, .pdf or .svg)");
  }
  try {
    TempDir dir;
    const std::string input = dir.path() + "/score.musicxml";
    const std::string output = dir.path() + "/out" + ext;
    const std::string runtime = dir.path() + "/xdg";
    const std::string log = dir.path() + "/mscore.log";
    util::write_file_atomically(input, to_musicxml(score));
    if (mkdir(runtime.c_str(), 0700) != 0) throw Error("cannot create " + runtime);

    std::vector<std::string> argv = {kMuseScore, "-T", "10", "-r", "150", "-o", output, input};
    std::vector<std::string> env = child_environment({"QT_QPA_PLATFORM=offscreen", "XDG_RUNTIME_DIR=" + runtime});
    int status = run_program(argv, env, log, kRenderTimeoutSeconds);
    if (status != 0) {
      throw Error(std::string(kMuseScore) + " failed (exit status " + std::to_string(status) + "): " + log_tail(log));
    }

    std::vector<std::pair<int, std::string>> pages;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir.path())) {
      std::string name = entry.path().filename().string();
      int page = page_number(name, ext);
      if (page > 0) pages.emplace_back(page, entry.path().string());
    }
    if (pages.empty()) throw Error(std::string(kMuseScore) + " wrote nothing: " + log_tail(log));
    std::sort(pages.begin(), pages.end());

    for (size_t i = 0; i < pages.size(); ++i) {
      util::write_file_atomically(page_path(path, static_cast<int>(i) + 1), util::read_file_bytes(pages[i].second));
    }
  } catch (const fs::filesystem_error& e) {
    throw Error(path + ": " + e.what());
  } catch (const Error& e) {
    std::string message = e.what();
    if (message.compare(0, path.size(), path) == 0) throw;
    throw Error(path + ": " + message);
  }
}

}  // namespace dq::io
