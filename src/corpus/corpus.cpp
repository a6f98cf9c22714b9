#include "corpus/corpus.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include "io/score_file.h"
#include "util/error.h"
#include "util/progress.h"
#include "util/text.h"

namespace dq::corpus {

namespace fs = std::filesystem;

const char* split_name(Split split) {
  switch (split) {
    case Split::kTrain:
      return "train";
    case Split::kValid:
      return "valid";
    case Split::kTest:
      return "test";
  }
  return "train";
}

std::vector<std::string> list_score_files(const std::vector<std::string>& roots) {
  std::vector<std::string> files;
  for (const std::string& root : roots) {
    std::error_code ec;
    if (fs::is_regular_file(root, ec)) {
      files.push_back(root);
      continue;
    }
    if (!fs::is_directory(root, ec)) throw Error(root + ": no such file or folder");
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file(ec) && io::can_read(it->path().string())) files.push_back(it->path().string());
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

std::string style_of(const std::string& path, music::Ensemble ensemble) {
  const std::string p = util::to_lower(path);
  if (p.find("bach") != std::string::npos && p.find("quartet") == std::string::npos) return "bach";
  for (const char* composer : {"haydn", "mozart", "beethoven"}) {
    if (p.find(std::string("/") + composer + "/") != std::string::npos) return composer;
  }
  return ensemble == music::Ensemble::kStringQuartet ? "quartet" : "bach";
}

std::string work_of(const std::string& path) {
  fs::path p(path);
  std::string stem = p.stem().string();
  const std::string lower = util::to_lower(stem);
  std::string composer = p.parent_path().parent_path().filename().string();
  std::smatch m;
  // Beethoven's kern files are numbered by quartet: map them to opus numbers.
  static const std::regex kBeethovenNumber("^quartet0*([0-9]+)");
  if (composer == "beethoven" && std::regex_search(lower, m, kBeethovenNumber)) {
    static const char* kOpus[] = {"",       "op18n1", "op18n2", "op18n3", "op18n4", "op18n5",
                                  "op18n6", "op59n1", "op59n2", "op59n3", "op74",   "op95",
                                  "op127",  "op130",  "op131",  "op132",  "op135"};
    int n = std::stoi(m[1]);
    if (n >= 1 && n <= 16) return composer + ":" + kOpus[n];
  }
  static const std::regex kOpus("op(?:us)?[._]?0*([0-9]+)(?:[^0-9]{0,4}?(?:no?)[._]?0*([0-9]+))?");
  if (std::regex_search(lower, m, kOpus)) {
    std::string work = composer + ":op" + m[1].str();
    if (m[2].matched) work += "n" + m[2].str();
    return work;
  }
  static const std::regex kKoechel("(?:^|[^a-z])k[._]?0*([0-9]+)");
  if (std::regex_search(lower, m, kKoechel)) return composer + ":k" + m[1].str();
  // Chorales and others: the file name without movement or variant suffixes.
  static const std::regex kSuffix("([-_.](movement)?[0-9]+)$");
  return composer + ":" + std::regex_replace(lower, kSuffix, "");
}

namespace {

// splits.tsv rows (path relative to the corpus root -> split), loaded once per root.
const std::map<std::string, Split>& splits_table(const std::string& tsv_path) {
  static std::mutex mutex;
  static std::map<std::string, std::map<std::string, Split>> tables;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = tables.find(tsv_path);
  if (it != tables.end()) return it->second;
  std::map<std::string, Split>& table = tables[tsv_path];
  std::ifstream in(tsv_path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string file, work, split;
    if (!std::getline(fields, file, '\t') || !std::getline(fields, work, '\t') || !std::getline(fields, split, '\t')) {
      continue;
    }
    table[file] = split == "test" ? Split::kTest : split == "valid" ? Split::kValid : Split::kTrain;
  }
  return table;
}

}  // namespace

Split split_of(const std::string& path, const std::string& work) {
  // Look for splits.tsv in the folders above the file.
  fs::path absolute = fs::weakly_canonical(fs::absolute(path));
  for (fs::path dir = absolute.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    fs::path tsv = dir / "splits.tsv";
    std::error_code ec;
    if (!fs::exists(tsv, ec)) continue;
    const auto& table = splits_table(tsv.string());
    auto it = table.find(fs::relative(absolute, dir).string());
    if (it != table.end()) return it->second;
    break;
  }
  // FNV-1a of the work: stable across machines and runs.
  uint32_t h = 2166136261u;
  for (unsigned char c : work) h = (h ^ c) * 16777619u;
  int bucket = static_cast<int>(h % 10);
  return bucket == 0 ? Split::kTest : bucket == 1 ? Split::kValid : Split::kTrain;
}

std::vector<CorpusPiece> load_corpus(const std::vector<std::string>& roots, int threads, bool progress) {
  std::vector<std::string> files = list_score_files(roots);
  std::vector<CorpusPiece> pieces(files.size());
  std::atomic<size_t> next{0}, done{0};
  Progress bar("Reading scores", static_cast<long long>(files.size()), progress);
  std::mutex bar_mutex;
  auto worker = [&] {
    for (size_t i = next++; i < files.size(); i = next++) {
      CorpusPiece& piece = pieces[i];
      piece.path = files[i];
      try {
        piece.score = io::read_score(files[i]);
        int voices_with_notes = 0;
        for (int v = 0; v < music::kNumVoices; ++v) voices_with_notes += voice_notes(piece.score, v).empty() ? 0 : 1;
        if (voices_with_notes < music::kNumVoices) {
          piece.error = files[i] + ": only " + std::to_string(voices_with_notes) + " voices have notes";
        } else {
          piece.accepted = true;
        }
      } catch (const Error& e) {
        piece.error = e.what();
      } catch (const std::exception& e) {
        piece.error = files[i] + ": " + e.what();
      }
      piece.style = style_of(piece.path, piece.score.ensemble);
      piece.work = work_of(piece.path);
      piece.split = split_of(piece.path, piece.work);
      std::lock_guard<std::mutex> lock(bar_mutex);
      bar.update(static_cast<long long>(++done));
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, threads); ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  bar.finish();
  return pieces;
}

}  // namespace dq::corpus
