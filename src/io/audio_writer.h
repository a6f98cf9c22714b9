// Rendering a Score to audio: a 16-bit stereo 44.1 kHz PCM WAV file, played
// in-process by libfluidsynth with a General MIDI soundfont:
// $DEEPQUARTET_SOUNDFONT, else Debian's TimGM6mb (the compile definition
// DQ_SOUNDFONT).
//
// The voices use the programs and the tempo of the MIDI writer (choir: Choir
// Aahs at quarter = 80; quartet: violins, viola, cello at quarter = 100).
// Ticks under a fermata last kFermataStretch times as long, so held chords
// breathe. The audio ends one second after the score's last tick, whatever
// the soundfont's release. FluidSynth prints nothing.
//
// Safe to call from several threads at once (each call has its own synth).
#pragma once

#include <string>

#include "music/score.h"

namespace dq::io {

constexpr int kWavSampleRate = 44100;
constexpr double kFermataStretch = 1.75;
// Longest audio rendered; a longer score is an error (about 200 MB of WAV).
constexpr double kMaxAudioSeconds = 20 * 60;

// Length in seconds of the music of `score` as rendered (without the final
// second of release).
double audio_seconds(const music::Score& score);

// The bytes of the WAV file. Throws dq::Error if the soundfont is missing,
// FluidSynth fails, the score is invalid or longer than kMaxAudioSeconds.
std::string to_wav(const music::Score& score);

// Writes to_wav(score) to `path` atomically. Throws dq::Error on failure.
void write_wav(const music::Score& score, const std::string& path);

}  // namespace dq::io
