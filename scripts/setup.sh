#!/usr/bin/env bash
# Installs the dependencies, builds deepquartet into build/, and runs the main
# job: a new chorale from the shipped model, written as MIDI, MusicXML, PNG and
# WAV into out/.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh

mkdir -p out
build/deepquartet generate --bars 16 --key "D major" --seed 1 \
  -o out/chorale.mid -o out/chorale.musicxml -o out/chorale.png -o out/chorale.wav
echo "Done: out/chorale.mid out/chorale.musicxml out/chorale.png out/chorale.wav"
