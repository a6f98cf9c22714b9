// A voice-leading prior for the samplers. Before a token is drawn for voice v
// at tick t, every candidate loses `penalty` nats of log-weight for each
// textbook fault it would make with the notes around it: parallel (or
// contrary) fifths and octaves with any other voice, hidden fifths and
// octaves between soprano and bass (soprano leaping), and melodic leaps wider
// than an octave; on the first tick of a fermata, a chord that is not a
// cadence (a major or minor triad on the tonic, the dominant or the relative
// key's tonic in the bass; on the last fermata, the tonic triad); and on the
// piece's first tick, a chord that is not the tonic triad. The faults are those of the evaluation's grader,
// counted on the two motions a token decides (into tick t, and out of the
// note it makes into the voice's next note) and on the chord at t. Sampling then draws from the model's
// conditional times exp(-penalty x faults): a product of experts that keeps
// the model's choices where they are clean. Penalty 0 samples the model alone.
#pragma once

#include <cstdint>
#include <vector>

#include "corpus/encoding.h"

namespace dq::sample {

class VoiceLeadingPrior {
 public:
  VoiceLeadingPrior(const corpus::Vocabulary& vocab, float penalty) : vocab_(vocab), penalty_(penalty) {}
  bool enabled() const { return penalty_ > 0; }

  // What a fermata asks of the chord at a tick: kNoCadence, or the key's
  // tonic pitch class, plus 12 in a minor key, plus kFinal on the piece's last
  // fermata and first tick, whose chord must be the tonic triad
  // (music::is_final_tonic_chord).
  static constexpr int16_t kNoCadence = -1;
  static constexpr int16_t kFinal = 24;
  static int16_t cadence_of(music::KeySignature key);
  // The cadence each tick of a score asks for, indexed like a row (START and
  // END around): on the first tick of every fermata, the key's cadence (a key
  // without a mode gets the one music::infer_mode reads from the score), the
  // last one marked kFinal when `final_tonic`; and the first tick, unless a
  // fermata's, marked kFinal when `opening_tonic`.
  static std::vector<int16_t> cadences_of(const music::Score& score, bool final_tonic = true,
                                          bool opening_tonic = true);

  // Lowers logits[i] (voice v's vocabulary indices) by the penalty times the
  // faults index i at tick t would make. `piece` holds one piece's rows of
  // indices, voice u's tick t at piece[u * length + t], START and END around;
  // `cadences` (or nullptr) the piece's cadence per tick, same indexing as a row.
  void apply(const int64_t* piece, const int16_t* cadences, int64_t length, int v, int64_t t, float* logits) const;

  // The number of faults token `index` at tick t of voice v would make.
  int faults(const int64_t* piece, const int16_t* cadences, int64_t length, int v, int64_t t, int index) const;
  // faults(..., index) of every index of voice v's vocabulary from the rest
  // on (the entries before corpus::kRestIndex are 0), the notes around (v, t)
  // read once.
  std::vector<int> faults_of_every_token(const int64_t* piece, const int16_t* cadences, int64_t length, int v,
                                         int64_t t) const;

 private:
  struct Motions;
  Motions motions_around(const int64_t* piece, const int16_t* cadences, int64_t length, int v, int64_t t) const;
  int faults_of(const Motions& m, int v, int index) const;
  int sounding(const int64_t* piece, int64_t length, int u, int64_t t) const;

  const corpus::Vocabulary& vocab_;
  float penalty_;
};

}  // namespace dq::sample
