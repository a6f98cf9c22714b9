#!/usr/bin/env bash
# Installs the dependencies (Debian packages; the web page's Verovio from
# web/package-lock.json), builds deepquartet into build/, and runs the main
# job: a new chorale from the shipped model, written as MIDI, MusicXML, PNG and
# WAV into out/, and a harmonization of a bundled melody (Old Hundredth).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
(cd web && npm ci --omit=dev --no-audit --no-fund)  # Verovio, which engraves the score in the page
scripts/build.sh

mkdir -p out
build/deepquartet generate --bars 16 --key "D major" --seed 1 \
  -o out/chorale.mid -o out/chorale.musicxml -o out/chorale.png -o out/chorale.wav
build/deepquartet reharmonize examples/old-hundredth.musicxml --seed 1 \
  -o out/old-hundredth.mid -o out/old-hundredth.musicxml -o out/old-hundredth.png -o out/old-hundredth.wav
echo "Done: out/chorale.{mid,musicxml,png,wav} and out/old-hundredth.{mid,musicxml,png,wav}"
