// The JSON form of a Score that the web API sends (see docs/api.md, "Score
// JSON"): tokens per voice, the notes, bars, beats, fermatas, which positions
// the user locked, and the MusicXML the page renders with Verovio. The server
// never reads a Score back from JSON: clients change a piece through the
// edit endpoints, so the Score on the server stays the one truth.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "music/score.h"
#include "sample/sampler.h"

namespace dq::server {

// {"fifths": 2, "mode": "major", "name": "D major"}
nlohmann::json key_json(music::KeySignature key);

// The Score JSON of `score` with the positions of `locked` (of the score's
// length). `with_musicxml` adds the "musicxml" member (the slow part: a few
// milliseconds per 16 bars). Throws dq::Error if the score is invalid.
nlohmann::json score_json(const music::Score& score, const sample::FixedMask& locked, bool with_musicxml);

}  // namespace dq::server
