// Engraving a Score as sheet music (PNG, PDF or SVG) with MuseScore 3.
//
// The score is written as MusicXML (to_musicxml) into a private temporary
// folder and converted by `mscore3` run headless (QT_QPA_PLATFORM=offscreen,
// a private XDG_RUNTIME_DIR), without a shell, killed after
// kRenderTimeoutSeconds. PNG is rendered at 150 dpi and trimmed to the music
// with a 10-pixel margin.
//
// Pages: a PDF holds every page. For PNG and SVG, MuseScore writes one file
// per page: the first page goes to `path`, page k (k >= 2) to
// "<folder>/<stem>-<k><ext>" beside it (score.png, score-2.png, ...). Every
// file is written atomically; stale page files of an earlier, longer render
// are not removed.
#pragma once

#include <string>

#include "music/score.h"

namespace dq::io {

constexpr int kRenderTimeoutSeconds = 120;

// True if `mscore3` can be found on the PATH.
bool renderer_available();

// Renders `score` to `path` (.png, .pdf or .svg; further pages beside it, as
// above). Throws dq::Error naming `path` if the extension is not one of
// these, MuseScore is missing, fails, produces nothing or times out.
void render_score(const music::Score& score, const std::string& path);

}  // namespace dq::io
