#include "corpus/dataset.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "music/transpose.h"
#include "util/error.h"
#include "util/file_util.h"

namespace dq::corpus {

namespace fs = std::filesystem;

namespace {

// Bump when the encoding or the dataset layout changes: old caches are ignored.
constexpr int kDatasetFormat = 2;

uint64_t fnv1a(const std::string& bytes, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string hex(uint64_t v) {
  std::ostringstream s;
  s << std::hex << v;
  return s.str();
}

// Appends one encoded piece to growing column buffers.
struct SplitBuilder {
  std::array<std::vector<int16_t>, music::kNumVoices> tokens;
  std::array<std::vector<int16_t>, kNumMetaChannels> meta;
  SplitTensors out;

  void add(const EncodedPiece& e, int piece, int shift) {
    out.starts.push_back(static_cast<int64_t>(tokens[0].size()));
    out.lengths.push_back(e.length());
    out.piece.push_back(piece);
    out.shift.push_back(shift);
    for (int v = 0; v < music::kNumVoices; ++v)
      tokens[v].insert(tokens[v].end(), e.tokens[v].begin(), e.tokens[v].end());
    for (int c = 0; c < kNumMetaChannels; ++c) meta[c].insert(meta[c].end(), e.meta[c].begin(), e.meta[c].end());
  }

  SplitTensors finish() {
    int64_t n = static_cast<int64_t>(tokens[0].size());
    out.tokens = torch::empty({music::kNumVoices, n}, torch::kInt16);
    out.meta = torch::empty({kNumMetaChannels, n}, torch::kInt16);
    for (int v = 0; v < music::kNumVoices; ++v)
      std::copy(tokens[v].begin(), tokens[v].end(), out.tokens[v].data_ptr<int16_t>());
    for (int c = 0; c < kNumMetaChannels; ++c)
      std::copy(meta[c].begin(), meta[c].end(), out.meta[c].data_ptr<int16_t>());
    return std::move(out);
  }
};

torch::Tensor vector_tensor(const std::vector<int64_t>& v) {
  return torch::tensor(std::vector<int64_t>(v.begin(), v.end()), torch::kInt64);
}
std::vector<int64_t> tensor_vector(const torch::Tensor& t) {
  auto c = t.contiguous();
  return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

void save_split(torch::serialize::OutputArchive& a, const std::string& name, const SplitTensors& s) {
  a.write(name + ".tokens", s.tokens);
  a.write(name + ".meta", s.meta);
  a.write(name + ".starts", vector_tensor(s.starts));
  a.write(name + ".lengths", vector_tensor(s.lengths));
  a.write(name + ".piece", vector_tensor(std::vector<int64_t>(s.piece.begin(), s.piece.end())));
  a.write(name + ".shift", vector_tensor(std::vector<int64_t>(s.shift.begin(), s.shift.end())));
}

void load_split(torch::serialize::InputArchive& a, const std::string& name, SplitTensors& s) {
  torch::Tensor t;
  a.read(name + ".tokens", s.tokens);
  a.read(name + ".meta", s.meta);
  a.read(name + ".starts", t);
  s.starts = tensor_vector(t);
  a.read(name + ".lengths", t);
  s.lengths = tensor_vector(t);
  a.read(name + ".piece", t);
  for (int64_t v : tensor_vector(t)) s.piece.push_back(static_cast<int>(v));
  a.read(name + ".shift", t);
  for (int64_t v : tensor_vector(t)) s.shift.push_back(static_cast<int>(v));
}

// The header of a cache: everything but the tensors, as text lines.
std::string describe(const Dataset& d) {
  std::ostringstream s;
  for (const auto& v : d.vocab) s << v.low << ' ' << v.high << '\n';
  s << d.styles.size() << '\n';
  for (const auto& st : d.styles) s << st << '\n';
  s << d.pieces.size() << ' ' << d.rejected << '\n';
  for (const auto& p : d.pieces) s << static_cast<int>(p.split) << '\t' << p.style << '\t' << p.path << '\n';
  return s.str();
}

void parse_description(const std::string& text, Dataset& d) {
  std::istringstream s(text);
  for (auto& v : d.vocab) s >> v.low >> v.high;
  size_t styles = 0, pieces = 0;
  s >> styles;
  d.styles.resize(styles);
  for (auto& st : d.styles) s >> st;
  s >> pieces >> d.rejected;
  std::string line;
  std::getline(s, line);
  for (size_t i = 0; i < pieces && std::getline(s, line); ++i) {
    PieceInfo p;
    size_t a = line.find('\t'), b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) throw Error("corrupt dataset cache");
    p.split = static_cast<Split>(std::stoi(line.substr(0, a)));
    p.style = line.substr(a + 1, b - a - 1);
    p.path = line.substr(b + 1);
    d.pieces.push_back(p);
  }
}

std::string cache_key_of(const DatasetOptions& options) {
  uint64_t h = fnv1a("dataset format " + std::to_string(kDatasetFormat));
  h = fnv1a(options.augment ? (options.balanced ? "augment balanced" : "augment") : "plain", h);
  h = fnv1a(std::to_string(options.max_shift), h);
  // The content of every file, and where it lives: its path decides its
  // work, its style and (with splits.tsv) its split.
  for (const std::string& file : list_score_files(options.roots)) {
    h = fnv1a(fs::weakly_canonical(fs::absolute(file)).string(), h);
    h = fnv1a(split_name(split_of(file, work_of(file))), h);
    h = fnv1a(util::read_file_bytes(file), h);
  }
  return hex(h);
}

}  // namespace

int style_index(const std::vector<std::string>& styles, const std::string& style) {
  for (size_t i = 0; i < styles.size(); ++i)
    if (styles[i] == style) return static_cast<int>(i);
  return -1;
}

SplitTensors encode_split(const std::vector<const CorpusPiece*>& pieces, const Vocabulary& vocab,
                          const std::vector<std::string>& styles, const std::vector<int>& shifts, bool balanced,
                          std::vector<int>* piece_index) {
  SplitBuilder builder;
  music::VoiceRanges ranges = vocabulary_ranges(vocab);
  for (size_t i = 0; i < pieces.size(); ++i) {
    const CorpusPiece& p = *pieces[i];
    int style = std::max(0, style_index(styles, p.style));
    std::vector<int> allowed = shifts;
    if (shifts.empty()) {
      allowed = {0};
    } else {
      // The given shifts that keep every voice inside the vocabulary.
      int widest = 0;
      for (int shift : shifts) widest = std::max(widest, std::abs(shift));
      std::vector<int> fits = music::transpositions_within(music::score_ranges(p.score), ranges, widest);
      if (balanced) fits = music::balanced_transpositions(fits);
      allowed.clear();
      for (int shift : shifts)
        if (std::find(fits.begin(), fits.end(), shift) != fits.end()) allowed.push_back(shift);
    }
    for (int shift : allowed) {
      EncodedPiece e;
      if (!encode_piece(music::transpose(p.score, shift), vocab, style, &e)) continue;
      builder.add(e, piece_index ? (*piece_index)[i] : static_cast<int>(i), shift);
    }
  }
  return builder.finish();
}

Dataset build_dataset(const DatasetOptions& options) {
  auto start = std::chrono::steady_clock::now();
  Dataset d;
  d.cache_key = cache_key_of(options);
  fs::path cache = fs::path(options.cache_dir) / ("dataset-" + d.cache_key + ".pt");
  std::error_code ec;
  if (fs::exists(cache, ec)) {
    try {
      torch::serialize::InputArchive a;
      a.load_from(cache.string());
      torch::Tensor header;
      a.read("header", header);
      parse_description(std::string(reinterpret_cast<const char*>(header.data_ptr<uint8_t>()), header.numel()), d);
      load_split(a, "train", d.train);
      load_split(a, "valid", d.valid);
      load_split(a, "test", d.test);
      d.from_cache = true;
      d.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      return d;
    } catch (const std::exception&) {
      d = Dataset();  // unreadable cache: rebuild it
      d.cache_key = cache_key_of(options);
    }
  }

  std::vector<CorpusPiece> corpus = load_corpus(options.roots, options.threads, options.progress);
  std::set<std::string> style_set;
  music::VoiceRanges ranges;
  std::vector<const CorpusPiece*> split_pieces[3];
  std::vector<int> split_index[3];
  for (const CorpusPiece& p : corpus) {
    if (!p.accepted) {
      ++d.rejected;
      continue;
    }
    style_set.insert(p.style);
    music::VoiceRanges r = music::score_ranges(p.score);
    for (int v = 0; v < music::kNumVoices; ++v) ranges[v].include(r[v]);
    int s = static_cast<int>(p.split);
    split_pieces[s].push_back(&p);
    split_index[s].push_back(static_cast<int>(d.pieces.size()));
    d.pieces.push_back({p.path, p.style, p.split});
  }
  if (d.pieces.empty()) throw Error("no usable score found in the corpus");
  d.styles.assign(style_set.begin(), style_set.end());
  for (int v = 0; v < music::kNumVoices; ++v) d.vocab[v] = {ranges[v].low, ranges[v].high};

  std::vector<int> all_shifts;
  for (int s = -options.max_shift; s <= options.max_shift; ++s) all_shifts.push_back(s);
  d.train = encode_split(split_pieces[0], d.vocab, d.styles, options.augment ? all_shifts : std::vector<int>{0},
                         options.balanced, &split_index[0]);
  d.valid = encode_split(split_pieces[1], d.vocab, d.styles, {0}, false, &split_index[1]);
  d.test = encode_split(split_pieces[2], d.vocab, d.styles, {0}, false, &split_index[2]);

  fs::create_directories(options.cache_dir, ec);
  if (!ec) {
    torch::serialize::OutputArchive a;
    std::string header = describe(d);
    a.write("header", torch::from_blob(header.data(), {static_cast<int64_t>(header.size())}, torch::kUInt8).clone());
    save_split(a, "train", d.train);
    save_split(a, "valid", d.valid);
    save_split(a, "test", d.test);
    std::string tmp = util::temp_path_beside(cache.string());
    try {
      a.save_to(tmp);
      util::commit_temp_file(tmp, cache.string());
    } catch (const std::exception&) {
      fs::remove(tmp, ec);  // a cache that cannot be written is not an error
    }
  }
  d.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return d;
}

}  // namespace dq::corpus
