#include "sample/sweep_sampler.h"

#include <algorithm>
#include <array>

#include "corpus/encoding.h"
#include "model/fast_net_stepper.h"
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

// The sweeps over one batch of pieces: the network run tick by tick, and what
// each sweep leaves for the next.
class Sweeps {
 public:
  Sweeps(model::FastNetImpl& net, SamplingState& s, const SampleOptions& o, std::mt19937_64& rng)
      : s_(s),
        o_(o),
        rng_(rng),
        net_(net, s.tokens, s.meta, s.first, s.last - s.first + 1),
        prior_(net.config().vocab, static_cast<float>(o.voice_leading_penalty)),
        B_(s.tokens.size(0)),
        L_(s.tokens.size(2)),
        n_(s.last - s.first + 1),
        cadence_zone_(o.keep_rhythm ? cadence_zones(s) : std::vector<bool>(B_ * L_, false)) {
    const int H = net_.hidden_size(), LH = net.config().linear_hidden;
    past_record_ = torch::empty({B_, n_, H});
    future_record_ = torch::empty({B_, n_, H});
    travel_share_ = torch::empty({B_, kNumVoices * LH});
    for (int v = 0; v < kNumVoices; ++v) logits_[v] = torch::empty({B_, net_.vocabulary(v)});
    run_outside_the_region();
  }

  // Sweep `index` of `total`: even ones left to right, odd ones right to left.
  void sweep(int index, int total) {
    const double temperature = temperature_at(o_, index, total);
    const bool rightward = index % 2 == 0;
    const bool rhythm_kept = o_.keep_rhythm && index > 0;
    const FastNetStepper::Direction travel = rightward ? FastNetStepper::kForward : FastNetStepper::kBackward;
    const FastNetStepper::Direction other = rightward ? FastNetStepper::kBackward : FastNetStepper::kForward;
    // The other side of every head, from the outputs the last sweep recorded.
    const torch::Tensor other_share = net_.share(other, rightward ? future_record_ : past_record_);
    net_.restore(travel, rightward ? before_ : after_);
    torch::Tensor& record = rightward ? past_record_ : future_record_;
    for (int64_t step = 0; step < n_; ++step) {
      const int64_t k = rightward ? step : n_ - 1 - step, t = s_.first + k;
      record_output(travel, record, k);
      net_.share_into(travel, net_.output(travel), travel_share_);
      const torch::Tensor fixed = other_share.select(1, k);
      std::shuffle(order_.begin(), order_.end(), rng_);
      for (int v : order_) {
        if (!any_free(v, t)) continue;
        net_.logits(v, k, rightward ? travel_share_ : fixed, rightward ? fixed : travel_share_, logits_[v]);
        draw(v, t, logits_[v], temperature, rhythm_kept);
      }
      net_.step(travel, t);
    }
  }

 private:
  // The forward LSTM left of the region and the backward LSTM right of it
  // never change: run once, their states kept. The first sweep (left to
  // right) needs the future of every region tick: recorded here.
  void run_outside_the_region() {
    for (int64_t t = 0; t < s_.first; ++t) net_.step(FastNetStepper::kForward, t);
    for (int64_t t = L_ - 1; t > s_.last; --t) net_.step(FastNetStepper::kBackward, t);
    before_ = net_.state(FastNetStepper::kForward);
    after_ = net_.state(FastNetStepper::kBackward);
    for (int64_t k = n_ - 1; k >= 0; --k) {
      record_output(FastNetStepper::kBackward, future_record_, k);
      net_.step(FastNetStepper::kBackward, s_.first + k);
    }
  }

  // record[:, k] = direction d's output now.
  void record_output(FastNetStepper::Direction d, torch::Tensor& record, int64_t k) {
    const int H = net_.hidden_size();
    const float* out = net_.output(d).data_ptr<float>();
    for (int64_t b = 0; b < B_; ++b) std::copy_n(out + b * H, H, record.data_ptr<float>() + (b * n_ + k) * H);
  }

  bool is_free(int64_t b, int v, int64_t t) const { return s_.free.data_ptr<bool>()[(b * kNumVoices + v) * L_ + t]; }
  bool any_free(int v, int64_t t) const {
    for (int64_t b = 0; b < B_; ++b)
      if (is_free(b, v, t)) return true;
    return false;
  }

  // Draws voice v at tick t of every piece where it is free, within what may
  // be written there (the rhythm kept outside the cadences once rhythm_kept).
  void draw(int v, int64_t t, torch::Tensor& logits, double temperature, bool rhythm_kept) {
    const int64_t V = net_.vocabulary(v);
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
      piece[v * L_ + t] =
          draw_token(lp + b * V, V, temperature, prior_, piece, s_.cadences.data() + b * L_, L_, v, t, rng_);
    }
  }

  SamplingState& s_;
  const SampleOptions& o_;
  std::mt19937_64& rng_;
  FastNetStepper net_;
  const VoiceLeadingPrior prior_;
  const int64_t B_, L_, n_;
  const std::vector<bool> cadence_zone_;
  model::LstmState before_, after_;
  // For every region tick, the forward and the backward LSTM's outputs before it, as the last sweep left them.
  torch::Tensor past_record_, future_record_;
  torch::Tensor travel_share_;
  std::array<torch::Tensor, kNumVoices> logits_;
  std::array<int, kNumVoices> order_ = {0, 1, 2, 3};
};

}  // namespace

void sweep_sample(model::FastNetImpl& net, SamplingState& s, const SampleOptions& o, std::mt19937_64& rng) {
  const int sweeps = o.iterations > 0 ? o.iterations : 40;
  SamplingProgress progress(o, sweeps);
  Sweeps sweeper(net, s, o, rng);
  for (int i = 0; i < sweeps; ++i) {
    sweeper.sweep(i, sweeps);
    progress.update(i + 1);
  }
  progress.finish();
}

}  // namespace dq::sample
