#include "model/fast_net.h"

#include "model/layers.h"
#include "model/sequence_lstm.h"

namespace dq::model {

namespace nn = torch::nn;
using music::kNumVoices;

namespace {
nn::Sequential mlp(int in, int hidden, int out, double dropout) {
  nn::Sequential s(nn::Linear(in, hidden), nn::ReLU());
  if (dropout > 0) s->push_back(nn::Dropout(dropout));
  s->push_back(nn::Linear(hidden, out));
  return s;
}
}  // namespace

FastNetImpl::FastNetImpl(const ModelConfig& config) : config_(config) {
  const int H = config.lstm_hidden;
  note_embeddings_ = register_module("note_embeddings", note_embeddings(config));
  meta_embeddings_ = register_module("meta_embeddings", meta_embeddings(config));
  forward_lstm_ = register_module("forward_lstm", tick_lstm(config));
  backward_lstm_ = register_module("backward_lstm", tick_lstm(config));
  const int center_in = config.center_width();
  centers_ = register_module("centers", nn::ModuleList());
  heads_ = register_module("heads", nn::ModuleList());
  for (int v = 0; v < kNumVoices; ++v) {
    centers_->push_back(mlp(center_in, config.linear_hidden, config.linear_hidden, 0));
    heads_->push_back(
        mlp(2 * H + config.linear_hidden, config.linear_hidden, config.voice_vocab_size(v), config.input_dropout));
  }
  input_dropout_ = register_module("input_dropout", nn::Dropout(config.input_dropout));
  if (config.interval_range > 0) {
    interval_table_ = register_parameter("interval_bias", torch::zeros({kNumVoices, 2 * config.interval_range + 1}));
  }
}

torch::Tensor last_pitch_indices(const torch::Tensor& tokens) {
  const int64_t L = tokens.size(2);
  // Ticks that end the look-back: a pitch, or a position that is not a note, hold or rest.
  const torch::Tensor stops = (tokens >= corpus::kFirstPitchIndex) | (tokens < corpus::kRestIndex);
  const torch::Tensor ticks = torch::arange(L, tokens.options()).expand_as(tokens);
  const torch::Tensor last_stop = std::get<0>(torch::where(stops, ticks, -1).cummax(2));  // at or before t
  const torch::Tensor before =
      torch::cat({torch::full_like(last_stop.narrow(2, 0, 1), -1), last_stop.narrow(2, 0, L - 1)}, 2);  // before t
  const torch::Tensor token = tokens.gather(2, before.clamp_min(0));
  return torch::where((before >= 0) & (token >= corpus::kFirstPitchIndex), token, -1);
}

torch::Tensor interval_bias(const torch::Tensor& table, const torch::Tensor& last, int64_t vocabulary) {
  const int64_t R = (table.size(0) - 1) / 2;
  const torch::Tensor index = torch::arange(vocabulary, last.options()).unsqueeze(0);
  const torch::Tensor interval = index - last.unsqueeze(1);  // [N, V]
  const torch::Tensor applies = (index >= corpus::kFirstPitchIndex) & (last.unsqueeze(1) >= 0) & (interval.abs() <= R);
  const torch::Tensor bias = table.index_select(0, (interval.clamp(-R, R) + R).reshape({-1})).view(interval.sizes());
  return torch::where(applies, bias, torch::zeros({}, table.options()));
}

std::vector<VocabularyRows> FastNetImpl::vocabulary_rows() {
  std::vector<VocabularyRows> rows = embedding_vocabulary_rows(note_embeddings_, meta_embeddings_);
  for (int v = 0; v < kNumVoices; ++v) {
    auto& head = *heads_[v]->as<nn::Sequential>();
    auto* out = head[head.size() - 1]->as<nn::Linear>();
    rows.push_back({out->weight, v});
    rows.push_back({out->bias, v});
  }
  return rows;
}

torch::Tensor FastNetImpl::embed_meta(const torch::Tensor& meta) {
  std::vector<torch::Tensor> parts;
  for (int c = 0; c < config_.meta_channels; ++c)
    parts.push_back(meta_embeddings_[c]->as<nn::Embedding>()->forward(meta.select(-1, c)));
  return torch::cat(parts, -1);
}

torch::Tensor FastNetImpl::embed(const torch::Tensor& tokens, const torch::Tensor& meta) {
  std::vector<torch::Tensor> parts;
  for (int v = 0; v < kNumVoices; ++v)
    parts.push_back(note_embeddings_[v]->as<nn::Embedding>()->forward(tokens.select(1, v)));
  parts.push_back(embed_meta(meta.transpose(1, 2)));
  return input_dropout_->forward(torch::cat(parts, -1));
}

torch::Tensor FastNetImpl::past(const torch::Tensor& x) {
  const double dropout = forward_lstm_->options.dropout();
  // out[:, t] has read ticks 0..t
  torch::Tensor out = sequence_lstm(x, forward_lstm_->all_weights(), dropout, is_training());
  return torch::cat({torch::zeros_like(out.narrow(1, 0, 1)), out.narrow(1, 0, out.size(1) - 1)}, 1);
}

torch::Tensor FastNetImpl::future(const torch::Tensor& x) {
  const double dropout = backward_lstm_->options.dropout();
  // out[:, t] has read ticks L-1..t
  torch::Tensor out = sequence_lstm(x.flip(1), backward_lstm_->all_weights(), dropout, is_training()).flip(1);
  return torch::cat({out.narrow(1, 1, out.size(1) - 1), torch::zeros_like(out.narrow(1, 0, 1))}, 1);
}

torch::Tensor FastNetImpl::head(int voice, const torch::Tensor& past, const torch::Tensor& future,
                                const torch::Tensor& tokens, const torch::Tensor& meta) {
  std::vector<torch::Tensor> parts;
  for (int v = 0; v < kNumVoices; ++v) {
    if (v == voice) continue;
    parts.push_back(note_embeddings_[v]->as<nn::Embedding>()->forward(tokens.select(-1, v)));
  }
  parts.push_back(embed_meta(meta));
  torch::Tensor center = centers_[voice]->as<nn::Sequential>()->forward(torch::cat(parts, -1));
  return heads_[voice]->as<nn::Sequential>()->forward(torch::cat({past, future, torch::relu(center)}, -1));
}

std::array<torch::Tensor, 4> FastNetImpl::forward(const torch::Tensor& tokens, const torch::Tensor& meta) {
  torch::Tensor x = embed(tokens, meta);
  const int64_t B = tokens.size(0), L = tokens.size(2), H = config_.lstm_hidden;
  torch::Tensor p = past(x).reshape({B * L, H});
  torch::Tensor f = future(x).reshape({B * L, H});
  torch::Tensor tok = tokens.transpose(1, 2).reshape({B * L, kNumVoices});
  torch::Tensor met = meta.transpose(1, 2).reshape({B * L, meta.size(1)});
  const torch::Tensor last = interval_table_.defined() ? last_pitch_indices(tokens) : torch::Tensor();
  std::array<torch::Tensor, 4> logits;
  for (int v = 0; v < kNumVoices; ++v) {
    logits[v] = head(v, p, f, tok, met);
    if (last.defined()) logits[v] = with_interval_bias(v, logits[v], last);
  }
  return logits;
}

torch::Tensor FastNetImpl::with_interval_bias(int voice, const torch::Tensor& logits, const torch::Tensor& last) {
  return logits + interval_bias(interval_table_[voice], last.select(1, voice).reshape({-1}), logits.size(1));
}

std::array<torch::Tensor, 4> FastNetImpl::chronological(const torch::Tensor& tokens, const torch::Tensor& meta,
                                                        const torch::Tensor& known) {
  torch::Tensor hideable = tokens >= corpus::kRestIndex;
  if (known.defined()) hideable = hideable & ~known.unsqueeze(2);
  const torch::Tensor hidden = tokens.masked_fill(hideable, corpus::kMaskIndex);
  const int64_t B = tokens.size(0), L = tokens.size(2), H = config_.lstm_hidden;
  torch::Tensor p = past(embed(tokens, meta)).reshape({B * L, H});
  torch::Tensor f = future(embed(hidden, meta)).reshape({B * L, H});
  torch::Tensor met = meta.transpose(1, 2).reshape({B * L, meta.size(1)});
  const torch::Tensor last = interval_table_.defined() ? last_pitch_indices(tokens) : torch::Tensor();
  std::array<torch::Tensor, 4> logits;
  for (int v = 0; v < kNumVoices; ++v) {
    // Voices above v sound what they sound; v and the voices below it are hidden (unless known).
    torch::Tensor seen = torch::cat({tokens.narrow(1, 0, v), hidden.narrow(1, v, kNumVoices - v)}, 1);
    logits[v] = head(v, p, f, seen.transpose(1, 2).reshape({B * L, kNumVoices}), met);
    if (last.defined()) logits[v] = with_interval_bias(v, logits[v], last);
  }
  return logits;
}

}  // namespace dq::model
