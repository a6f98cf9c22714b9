#!/usr/bin/env bash
# Remakes the test fixtures written by other programs (tests/io/tool_import_test.cpp):
#
#   tests/fixtures/tool_source_satb.musicxml   hand-written source (input)
#   tests/fixtures/tool_source_satb.ly         hand-written source, the same music (input)
#   tests/fixtures/tool_verovio_satb.krn       Verovio: MusicXML -> Humdrum **kern
#   tests/fixtures/tool_verovio_satb.mid       Verovio: MusicXML -> MIDI
#   tests/fixtures/tool_lilypond_satb.mid      LilyPond: .ly (four staves) -> MIDI
#   tests/fixtures/tool_lilypond_satb_2staves.mid
#                                              LilyPond: .ly (two staves, a track per voice) -> MIDI
#
# Not run by CI: the outputs are committed. Needs node and web/node_modules/verovio
# (`npm ci` in web/), and lilypond (Debian: apt-get install lilypond). Made with
# Verovio 6.3.0 (npm) and LilyPond 2.24.1 (Debian 12). Another version may write
# different bytes; the tests check the music, so they should still pass.
#
# Verovio: the MusicXML is loaded twice. For **kern, with inputFrom=musicxml-hum
# (humlib's musicxml2hum converter, in the Humdrum build of the toolkit), because
# getHumdrum() after Verovio's own MusicXML import converts through MEI and gives
# broken kern (negative durations, "ZZZ" tokens) in 6.3.0. For MIDI, with Verovio's
# own MusicXML import: renderToMIDI() after the musicxml-hum import drops the key
# signature's flats in 6.3.0 (B4 for B-flat 4).
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=tests/fixtures
verovio=web/node_modules/verovio/dist

command -v node > /dev/null || { echo "node not found" >&2; exit 1; }
command -v lilypond > /dev/null || { echo "lilypond not found" >&2; exit 1; }
[ -d "$verovio" ] || { echo "$verovio not found: run npm ci in web/" >&2; exit 1; }

# --- Verovio ---
node --input-type=module - "$PWD/$verovio" "$fixtures/tool_source_satb.musicxml" \
  "$fixtures/tool_verovio_satb.krn" "$fixtures/tool_verovio_satb.mid" <<'EOF'
import fs from 'node:fs';
const [dist, source, krnOut, midOut] = process.argv.slice(2);
const { default: createVerovioModule } = await import(`${dist}/verovio-module-hum.mjs`);
const { VerovioToolkit } = await import(`${dist}/verovio.mjs`);
const module = await createVerovioModule();
const xml = fs.readFileSync(source, 'utf8');

const humdrum = new VerovioToolkit(module);
humdrum.setOptions({ inputFrom: 'musicxml-hum' });
if (!humdrum.loadData(xml)) throw new Error(`Verovio could not load ${source}`);
fs.writeFileSync(krnOut, humdrum.getHumdrum());

const midi = new VerovioToolkit(module);
if (!midi.loadData(xml)) throw new Error(`Verovio could not load ${source}`);
fs.writeFileSync(midOut, Buffer.from(midi.renderToMIDI(), 'base64'));
console.log(`Verovio ${midi.getVersion()}: wrote ${krnOut} and ${midOut}`);
EOF

# --- LilyPond (writes <name>.midi for the first \score, <name>-1.midi for the second) ---
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lilypond -s -o "$tmp/satb" "$fixtures/tool_source_satb.ly"
mv "$tmp/satb.midi" "$fixtures/tool_lilypond_satb.mid"
mv "$tmp/satb-1.midi" "$fixtures/tool_lilypond_satb_2staves.mid"
echo "$(lilypond --version | head -1): wrote $fixtures/tool_lilypond_satb.mid and" \
  "$fixtures/tool_lilypond_satb_2staves.mid"

ls -l "$fixtures"/tool_*
