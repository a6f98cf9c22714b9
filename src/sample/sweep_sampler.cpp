#include "sample/sweep_sampler.h"

#include <algorithm>
#include <array>
#include <deque>

#include "corpus/encoding.h"
#include "model/fast_net_stepper.h"
#include "sample/melodic_tilt.h"
#include "sample/voice_leading.h"

namespace dq::sample {

using model::FastNetStepper;
using music::kNumVoices;

namespace {

// zone[b * L + t]: tick t of piece b is under a fermata or within a quarter
// before one. There the sweeps redraw the rhythm too (keep_rhythm), so that
// cadences can form.
std::vector<bool> cadence_zones(const SamplingState& s) {
  const int64_t B = s.tokens.size(0), L = s.tokens.size(2);
  constexpr int64_t kFermataValue = 2;  // corpus::encode_meta: 1 + fermata
  const torch::Tensor fermata_channel = s.meta.select(1, corpus::kFermata).contiguous();
  auto fermata = fermata_channel.accessor<int64_t, 2>();
  std::vector<bool> zone(B * L, false);
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t t = 0; t < L; ++t) {
      for (int64_t u = t; u < std::min(L, t + music::kTicksPerQuarter + 1); ++u) {
        if (fermata[b][u] == kFermataValue) zone[b * L + t] = true;
      }
    }
  }
  return zone;
}

// The network run tick by tick over the pieces under one set of metadata,
// and what each sweep leaves for the next: the forward LSTM's state left of
// the region, the backward one's right of it, and for every region tick the
// forward and the backward outputs before it, as the last sweep left them.
struct Track {
  Track(model::FastNetImpl& net, const SamplingState& s, const torch::Tensor& meta)
      : net(net, s.tokens, meta, s.first, s.last - s.first + 1) {
    const int64_t B = s.tokens.size(0), n = s.last - s.first + 1;
    past_record = torch::empty({B, n, this->net.hidden_size()});
    future_record = torch::empty({B, n, this->net.hidden_size()});
    travel_share = torch::empty({B, kNumVoices * net.config().linear_hidden});
    for (int v = 0; v < kNumVoices; ++v) logits[v] = torch::empty({B, net.config().vocab[v].size()});
  }

  FastNetStepper net;
  model::LstmState before, after;
  torch::Tensor past_record, future_record;
  torch::Tensor travel_share;  // this tick's share of the direction travelled
  torch::Tensor other_share;   // every region tick's share of the other direction
  std::array<torch::Tensor, kNumVoices> logits;
};

// The sweeps over one batch of pieces. With style guidance, a second track
// reads the same tokens under the reference style, and each draw uses the
// guided logits (SampleOptions::style_guidance).
class Sweeps {
 public:
  Sweeps(model::FastNetImpl& net, SamplingState& s, const SampleOptions& o, std::mt19937_64& rng)
      : s_(s),
        o_(o),
        rng_(rng),
        prior_(net.config().vocab, static_cast<float>(o.voice_leading_penalty)),
        B_(s.tokens.size(0)),
        L_(s.tokens.size(2)),
        n_(s.last - s.first + 1),
        cadence_zone_(o.keep_rhythm ? cadence_zones(s) : std::vector<bool>(B_ * L_, false)),
        vocab_(net.config().vocab) {
    tracks_.emplace_back(net, s, s.meta);
    if (s.reference_meta.defined()) tracks_.emplace_back(net, s, s.reference_meta);
    for (Track& track : tracks_) run_outside_the_region(track);
  }

  // Sweep `index` of `total`: even ones left to right, odd ones right to left.
  void sweep(int index, int total) {
    const double temperature = temperature_at(o_, index, total);
    const bool rightward = index % 2 == 0;
    const bool rhythm_kept = o_.keep_rhythm && index > 0;
    const FastNetStepper::Direction travel = rightward ? FastNetStepper::kForward : FastNetStepper::kBackward;
    const FastNetStepper::Direction other = rightward ? FastNetStepper::kBackward : FastNetStepper::kForward;
    for (Track& track : tracks_) {
      // The other side of every head, from the outputs the last sweep recorded.
      track.other_share = track.net.share(other, rightward ? track.future_record : track.past_record);
      track.net.restore(travel, rightward ? track.before : track.after);
    }
    for (int64_t step = 0; step < n_; ++step) {
      const int64_t k = rightward ? step : n_ - 1 - step, t = s_.first + k;
      for (Track& track : tracks_) {
        record_output(track, travel, rightward ? track.past_record : track.future_record, k);
        track.net.share_into(travel, track.net.output(travel), track.travel_share);
      }
      if (index > 0 || o_.pass_order != PassOrder::kScore) std::shuffle(order_.begin(), order_.end(), rng_);
      for (int v : order_) {
        if (!any_free(v, t)) continue;
        for (Track& track : tracks_) {
          const torch::Tensor fixed = track.other_share.select(1, k);
          track.net.logits(v, k, rightward ? track.travel_share : fixed, rightward ? fixed : track.travel_share,
                           track.logits[v]);
        }
        draw(v, t, guided_logits(v), temperature, rhythm_kept, tilted_ && (index > 0 || total == 1));
      }
      for (Track& track : tracks_) track.net.step(travel, t);
    }
  }

 private:
  // Voice v's logits as drawn: the style's, or with guidance the style's +
  // g * (the style's - the reference style's).
  torch::Tensor& guided_logits(int v) {
    torch::Tensor& logits = tracks_[0].logits[v];
    if (tracks_.size() == 1) return logits;
    return logits.add_(logits - tracks_[1].logits[v], o_.style_guidance);
  }

  // The forward LSTM left of the region and the backward LSTM right of it
  // never change: run once, their states kept. The first sweep (left to
  // right) needs the future of every region tick: recorded here.
  void run_outside_the_region(Track& track) {
    FastNetStepper& net = track.net;
    for (int64_t t = 0; t < s_.first; ++t) net.step(FastNetStepper::kForward, t);
    for (int64_t t = L_ - 1; t > s_.last; --t) net.step(FastNetStepper::kBackward, t);
    track.before = net.state(FastNetStepper::kForward);
    track.after = net.state(FastNetStepper::kBackward);
    for (int64_t k = n_ - 1; k >= 0; --k) {
      record_output(track, FastNetStepper::kBackward, track.future_record, k);
      net.step(FastNetStepper::kBackward, s_.first + k);
    }
  }

  // record[:, k] = direction d's output now.
  void record_output(Track& track, FastNetStepper::Direction d, torch::Tensor& record, int64_t k) {
    const int H = track.net.hidden_size();
    const float* out = track.net.output(d).data_ptr<float>();
    for (int64_t b = 0; b < B_; ++b) std::copy_n(out + b * H, H, record.data_ptr<float>() + (b * n_ + k) * H);
  }

  bool is_free(int64_t b, int v, int64_t t) const { return s_.free.data_ptr<bool>()[(b * kNumVoices + v) * L_ + t]; }
  bool any_free(int v, int64_t t) const {
    for (int64_t b = 0; b < B_; ++b)
      if (is_free(b, v, t)) return true;
    return false;
  }

  // Draws voice v at tick t of every piece where it is free, within what may
  // be written there (the rhythm kept outside the cadences once rhythm_kept),
  // the melodic tilt added where `tilted`.
  void draw(int v, int64_t t, torch::Tensor& logits, double temperature, bool rhythm_kept, bool tilted) {
    const int64_t V = logits.size(1);
    int64_t* tokens = s_.tokens.data_ptr<int64_t>();
    float* lp = logits.data_ptr<float>();
    for (int64_t b = 0; b < B_; ++b) {
      if (!is_free(b, v, t)) continue;
      int64_t* piece = tokens + b * kNumVoices * L_;
      if (rhythm_kept && !cadence_zone_[b * L_ + t]) {
        const int64_t now = piece[v * L_ + t];
        if (now == corpus::kHoldIndex || now == corpus::kRestIndex) continue;
        lp[b * V + corpus::kHoldIndex] = lp[b * V + corpus::kRestIndex] = -1e30f;
      }
      if (tilted) apply_tilt(*o_.melodic_tilt, vocab_, piece, L_, v, t, lp + b * V);
      piece[v * L_ + t] =
          draw_token(lp + b * V, V, temperature, prior_, piece, s_.cadences.data() + b * L_, L_, v, t, rng_);
    }
  }

  SamplingState& s_;
  const SampleOptions& o_;
  std::mt19937_64& rng_;
  const VoiceLeadingPrior prior_;
  const int64_t B_, L_, n_;
  const std::vector<bool> cadence_zone_;
  const corpus::Vocabulary& vocab_;
  const bool tilted_ = o_.melodic_tilt && !is_zero(*o_.melodic_tilt);
  std::deque<Track> tracks_;                          // the style asked for, then (with guidance) the reference style
  std::array<int, kNumVoices> order_ = {0, 1, 2, 3};  // score order until the first shuffle
};

}  // namespace

void sweep_sample(model::FastNetImpl& net, SamplingState& s, const SampleOptions& o, std::mt19937_64& rng) {
  const int sweeps = o.iterations;  // resolved by sample()
  SamplingProgress progress(o, sweeps);
  Sweeps sweeper(net, s, o, rng);
  for (int i = 0; i < sweeps; ++i) {
    sweeper.sweep(i, sweeps);
    progress.update(i + 1);
  }
  progress.finish();
}

}  // namespace dq::sample
