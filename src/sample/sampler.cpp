#include "sample/sampler.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "sample/melodic_tilt.h"
#include "sample/schedule.h"
#include "sample/sweep_sampler.h"
#include "sample/voice_leading.h"
#include "util/error.h"

namespace dq::sample {

using corpus::kEndIndex;
using corpus::kStartIndex;
using music::kNumVoices;

bool starts_chronologically(const model::Model& m, const SampleOptions& o) {
  const bool chronological = o.start != Start::kNoise && m.trained_with_masks();
  if (o.start == Start::kChronological && !chronological) {
    throw Error("a chronological start needs a model trained with masks (train --masking)");
  }
  return chronological;
}

bool is_chorale_style(const model::Model& m, int style) {
  const auto& styles = m.config.styles;
  return styles.empty() || styles.at(static_cast<size_t>(style)) == "bach";
}

double default_voice_leading(const model::Model& m, int style) {
  return is_chorale_style(m, style) ? kChoralePriorNats : 0.0;
}

int default_sweeps(const model::Model& m, int style, bool chronological) {
  return chronological && !is_chorale_style(m, style) ? 1 : 40;
}

namespace {

// The index of the reference style among m's styles, or -1.
int reference_style(const model::Model& m) {
  const auto& styles = m.config.styles;
  const auto it = std::find(styles.begin(), styles.end(), kReferenceStyle);
  return it == styles.end() ? -1 : static_cast<int>(it - styles.begin());
}

// Whether style guidance can apply to `style`: a composer's quartet style of
// a "fast" model that has the reference style.
bool takes_style_guidance(const model::Model& m, int style) {
  const int reference = reference_style(m);
  return m.fast && reference >= 0 && style != reference && !is_chorale_style(m, style);
}

}  // namespace

double default_style_guidance(const model::Model& m, int style) {
  if (!takes_style_guidance(m, style)) return 0.0;
  return m.config.styles[style] == "mozart" ? 0.75 : 1.0;
}

PassOrder default_pass_order(const model::Model& m, int style) {
  return is_chorale_style(m, style) ? PassOrder::kRandom : PassOrder::kScore;
}

FixedMask no_fixed(int length) {
  FixedMask mask;
  for (auto& v : mask) v.assign(length, false);
  return mask;
}

namespace {

// The index of a fixed token as the network reads it: a pitch outside the
// voice's range is moved by octaves into it, or to the range's nearest end
// when the range is narrower than an octave (decode_state writes the pitch as
// it was).
int64_t input_index(const corpus::VoiceVocabulary& vocab, music::Token token) {
  if (music::is_pitch(token)) {
    while (token < vocab.low && token + 12 <= vocab.high) token += 12;
    while (token > vocab.high && token - 12 >= vocab.low) token -= 12;
    token = std::clamp<music::Token>(token, vocab.low, vocab.high);
  }
  return vocab.index_of(token);
}

SamplingState encode_state(const model::Model& m, const std::vector<music::Score>& scores,
                           const std::vector<FixedMask>& fixed, int style, const SampleOptions& o,
                           std::mt19937_64& rng) {
  const bool chronological = starts_chronologically(m, o);
  const int64_t B = static_cast<int64_t>(scores.size());
  const int64_t T = scores[0].length(), L = T + 2;
  SamplingState s;
  s.tokens = torch::empty({B, kNumVoices, L}, torch::kInt64);
  s.meta = torch::zeros({B, corpus::kNumMetaChannels, L}, torch::kInt64);
  s.free = torch::zeros({B, kNumVoices, L}, torch::kBool);
  auto tok = s.tokens.accessor<int64_t, 3>();
  auto met = s.meta.accessor<int64_t, 3>();
  auto fre = s.free.accessor<bool, 3>();
  s.cadences.resize(B * L);
  s.first = L;
  for (int64_t b = 0; b < B; ++b) {
    const music::Score& score = scores[b];
    if (score.length() != T) throw Error("all pieces sampled together must have the same length");
    for (int v = 0; v < kNumVoices; ++v) {
      const corpus::VoiceVocabulary& vocab = m.config.vocab[v];
      std::uniform_int_distribution<int> random_pitch(corpus::kFirstPitchIndex, vocab.size() - 1);
      tok[b][v][0] = kStartIndex;
      tok[b][v][L - 1] = kEndIndex;
      for (int64_t t = 0; t < T; ++t) {
        bool is_free = !fixed[b][v][t];
        if (is_free) {
          tok[b][v][t + 1] = chronological ? corpus::kMaskIndex : random_pitch(rng);
          fre[b][v][t + 1] = true;
          s.first = std::min(s.first, t + 1);
          s.last = std::max(s.last, t + 1);
        } else {
          tok[b][v][t + 1] = input_index(vocab, score.voices[v][t]);
        }
      }
    }
    const std::vector<int16_t> cadences = VoiceLeadingPrior::cadences_of(score, o.final_tonic, o.opening_tonic);
    std::copy(cadences.begin(), cadences.end(), s.cadences.begin() + b * L);
    const auto values = corpus::encode_score_meta(score, style);
    for (int64_t t = 0; t < T; ++t) {
      for (int c = 0; c < corpus::kNumMetaChannels; ++c) met[b][c][t + 1] = values[t][c];
    }
  }
  return s;
}

// Scores back from the index tensors; fixed positions keep the tokens they
// came with.
std::vector<music::Score> decode_state(const model::Model& m, const SamplingState& s,
                                       const std::vector<FixedMask>& fixed, std::vector<music::Score> scores) {
  auto tok = s.tokens.accessor<int64_t, 3>();
  for (size_t b = 0; b < scores.size(); ++b) {
    music::Score& score = scores[b];
    for (int v = 0; v < kNumVoices; ++v) {
      for (int t = 0; t < score.length(); ++t) {
        if (fixed[b][v][t]) continue;
        music::Token token = m.config.vocab[v].token_of(static_cast<int>(tok[b][v][t + 1]));
        // A hold can only follow a note.
        if (token == music::kHold && (t == 0 || score.voices[v][t - 1] == music::kRest)) token = music::kRest;
        score.voices[v][t] = token;
        if (!score.letters[v].empty()) score.letters[v][t] = music::kUnspelled;  // spelled when written
      }
    }
    std::string problem = music::validate(score);
    if (!problem.empty()) throw Error("internal error: sampled an invalid score (" + problem + ")");
  }
  return scores;
}

// `meta` with the style channel set to the style that style guidance guides
// away from; throws dq::Error where guidance cannot apply.
torch::Tensor reference_meta(const model::Model& m, const torch::Tensor& meta, int style) {
  if (!takes_style_guidance(m, style)) {
    throw Error(std::string("style guidance applies to a composer's quartet style of a fast model with a \"") +
                kReferenceStyle + "\" style");
  }
  torch::Tensor out = meta.clone();
  const auto values = corpus::encode_meta(music::TickMeta{}, reference_style(m), 0);
  out.select(1, corpus::kStyle).narrow(1, 1, out.size(2) - 2).fill_(values[corpus::kStyle]);  // not START, END
  return out;
}

// DeepBach's parallel pseudo-Gibbs sampler for the "deepbach" preset.
void parallel_sample(model::DeepBachNetImpl& net, SamplingState& s, const SampleOptions& o, std::mt19937_64& rng) {
  const VoiceLeadingPrior prior(net.config().vocab, static_cast<float>(o.voice_leading_penalty));
  const int64_t B = s.tokens.size(0), L = s.tokens.size(2);
  const int parallel = std::max(1, o.parallel);
  // Free positions per (piece, voice).
  std::vector<std::vector<int64_t>> free_ticks(B * kNumVoices);
  auto fre = s.free.accessor<bool, 3>();
  int64_t most_free = 0;
  for (int64_t b = 0; b < B; ++b)
    for (int v = 0; v < kNumVoices; ++v) {
      auto& list = free_ticks[b * kNumVoices + v];
      for (int64_t t = 0; t < L; ++t)
        if (fre[b][v][t]) list.push_back(t);
      most_free = std::max<int64_t>(most_free, static_cast<int64_t>(list.size()));
    }
  // DeepBach's density: 500 iterations x 8 updates for 64 ticks = 62.5 updates per position.
  const int iterations =
      o.iterations > 0 ? o.iterations : static_cast<int>(std::ceil(62.5 * static_cast<double>(most_free) / parallel));
  SamplingProgress progress(o, iterations);
  // Concatenated layout for cut_windows: piece b occupies columns [b*L, (b+1)*L).
  torch::Tensor starts_of_piece = torch::arange(B, torch::kInt64) * L;
  for (int it = 0; it < iterations; ++it) {
    const double temperature = temperature_at(o, it, iterations);
    torch::Tensor flat_tokens = s.tokens.permute({1, 0, 2}).reshape({kNumVoices, B * L});
    torch::Tensor flat_meta = s.meta.permute({1, 0, 2}).reshape({corpus::kNumMetaChannels, B * L});
    std::vector<std::tuple<int64_t, int, int64_t, int64_t>> updates;  // piece, voice, tick, index
    for (int v = 0; v < kNumVoices; ++v) {
      std::vector<int64_t> piece, tick;
      for (int64_t b = 0; b < B; ++b) {
        const auto& list = free_ticks[b * kNumVoices + v];
        if (list.empty()) continue;
        std::uniform_int_distribution<size_t> pick(0, list.size() - 1);
        // Never two neighbouring ticks of a voice at once: each draw's rule for holds
        // and rests reads its neighbours, which must not change under it.
        std::vector<int64_t> chosen;
        for (int k = 0; k < parallel; ++k) {
          const int64_t t = list[pick(rng)];
          const bool next_to_chosen =
              std::any_of(chosen.begin(), chosen.end(), [t](int64_t c) { return std::abs(c - t) <= 1; });
          if (next_to_chosen) continue;
          chosen.push_back(t);
          piece.push_back(b);
          tick.push_back(t);
        }
      }
      if (piece.empty()) continue;
      torch::Tensor p = torch::tensor(piece), t = torch::tensor(tick);
      model::Windows w =
          model::cut_windows(flat_tokens, flat_meta, p * L, torch::full_like(p, L), t, net.config().window);
      torch::Tensor logits = net.voice(v)->forward(w);
      logits = logits.contiguous();
      const int64_t V = logits.size(1);
      for (size_t i = 0; i < piece.size(); ++i) {
        int64_t drawn = draw_token(logits.data_ptr<float>() + i * V, V, temperature, prior,
                                   s.tokens.data_ptr<int64_t>() + piece[i] * kNumVoices * L,
                                   s.cadences.data() + piece[i] * L, L, v, tick[i], rng);
        updates.emplace_back(piece[i], v, tick[i], drawn);
      }
    }
    // Parallel update: every prediction above saw the same state (and no two are neighbours).
    auto tok = s.tokens.accessor<int64_t, 3>();
    for (const auto& [b, v, t, index] : updates) tok[b][v][t] = index;
    if ((it + 1) % 10 == 0 || it + 1 == iterations) progress.update(it + 1);
  }
  progress.finish();
}

}  // namespace

std::vector<music::Score> sample(model::Model& model, std::vector<music::Score> scores,
                                 const std::vector<FixedMask>& fixed, int style, const SampleOptions& options) {
  if (scores.empty()) return scores;
  if (fixed.size() != scores.size()) throw Error("one fixed mask per piece is required");
  if (scores[0].length() < 1) throw Error("cannot sample an empty piece");
  if (options.temperature <= 0 || options.start_temperature <= 0) throw Error("temperatures must be positive");
  if (style < 0 || style >= std::max<int>(1, static_cast<int>(model.config.styles.size()))) {
    throw Error("style index out of range");
  }
  torch::NoGradGuard no_grad;
  at::set_num_threads(std::max(1, options.threads));
  model.module().eval();
  std::mt19937_64 rng(options.seed);
  SamplingState state = encode_state(model, scores, fixed, style, options, rng);
  SampleOptions resolved = options;
  if (resolved.voice_leading_penalty < 0) resolved.voice_leading_penalty = default_voice_leading(model, style);
  if (resolved.style_guidance < 0) resolved.style_guidance = default_style_guidance(model, style);
  if (resolved.style_guidance != 0) state.reference_meta = reference_meta(model, state.meta, style);
  const bool chronological = starts_chronologically(model, options);
  if (model.fast && resolved.iterations <= 0) resolved.iterations = default_sweeps(model, style, chronological);
  resolved.keep_rhythm = options.keep_rhythm && chronological;
  if (!resolved.melodic_tilt) resolved.melodic_tilt = default_melodic_tilt(model, style);
  if (resolved.pass_order == PassOrder::kAuto) resolved.pass_order = default_pass_order(model, style);
  if (!chronological) resolved.pass_order = PassOrder::kRandom;  // no pass to order
  if (state.last >= state.first) {
    if (model.fast) {
      sweep_sample(*model.fast, state, resolved, rng);
    } else {
      parallel_sample(*model.deepbach, state, resolved, rng);
    }
  }
  return decode_state(model, state, fixed, std::move(scores));
}

}  // namespace dq::sample
