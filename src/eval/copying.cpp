#include "eval/copying.h"

#include <algorithm>

namespace dq::eval {

namespace {

// One voice as the copying check sees it.
struct Melody {
  std::vector<int> interval;  // from the previous note (0 for the first)
  std::vector<int> length;    // ticks
  std::vector<int> start;     // tick
};

Melody melody_of(const music::Score& score, int voice) {
  Melody m;
  std::vector<music::Note> notes = music::voice_notes(score, voice);
  for (size_t i = 0; i < notes.size(); ++i) {
    m.interval.push_back(i > 0 ? notes[i].pitch - notes[i - 1].pitch : 0);
    m.length.push_back(notes[i].length);
    m.start.push_back(notes[i].start);
  }
  return m;
}

// run[i][j] = notes ending at a[i] and b[j] that match, kept one row at a time.
CopyMatch longest_run(const Melody& a, const Melody& b) {
  CopyMatch best;
  const size_t m = b.length.size();
  std::vector<int> previous(m, 0), current(m, 0);
  for (size_t i = 0; i < a.length.size(); ++i) {
    for (size_t j = 0; j < m; ++j) {
      int run = 0;
      if (a.length[i] == b.length[j]) {
        bool extends = i > 0 && j > 0 && a.interval[i] == b.interval[j];
        run = extends ? previous[j - 1] + 1 : 1;
      }
      current[j] = run;
      if (run > best.length) {
        best.length = run;
        best.start_tick = a.start[i + 1 - run];
        best.other_start_tick = b.start[j + 1 - run];
      }
    }
    std::swap(previous, current);
  }
  return best;
}

}  // namespace

CopyMatch longest_shared_run(const music::Score& a, const music::Score& b, int voice) {
  return longest_run(melody_of(a, voice), melody_of(b, voice));
}

std::vector<VoiceCopies> find_copies(const std::vector<music::Score>& pieces,
                                     const std::vector<music::Score>& training) {
  std::vector<std::array<Melody, music::kNumVoices>> known;
  for (const music::Score& score : training) {
    known.emplace_back();
    for (int v = 0; v < music::kNumVoices; ++v) known.back()[v] = melody_of(score, v);
  }
  std::vector<VoiceCopies> result;
  for (const music::Score& score : pieces) {
    VoiceCopies copies;
    for (int v = 0; v < music::kNumVoices; ++v) {
      Melody melody = melody_of(score, v);
      for (size_t k = 0; k < known.size(); ++k) {
        CopyMatch match = longest_run(melody, known[k][v]);
        if (match.length > copies[v].length) {
          copies[v] = match;
          copies[v].other_piece = static_cast<int>(k);
        }
      }
    }
    result.push_back(copies);
  }
  return result;
}

}  // namespace dq::eval
