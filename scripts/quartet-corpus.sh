#!/bin/sh
# Prints the files of the quartet model's corpus, one per line, sorted: the
# Bach chorales (MusicXML) and the string quartets: Haydn, Mozart and
# Beethoven from the kern editions (the music21 MusicXML copies of the same
# works are left out, and so are Mozart's flute and oboe quartets K. 285, 298
# and 370), every other composer from OpenScore. Styles come from the folders:
# bach, haydn, mozart, beethoven, quartet (everyone else). Used by
# scripts/train-models.sh and the quartet evaluation:
#   build/deepquartet eval --model models/quartet.dqm --corpus $(scripts/quartet-corpus.sh)
# Paths are relative to the repository root, where the commands run.
set -eu
cd "$(dirname "$0")/.."
CORPUS=${DQ_CORPUS:-../shared/corpus}
{
  find "$CORPUS/bach-chorales/musicxml" -type f
  find "$CORPUS/quartets/haydn/kern" "$CORPUS/quartets/haydn/kern-op20-napulen" \
       "$CORPUS/quartets/beethoven/kern" -type f -name '*.krn'
  find "$CORPUS/quartets/mozart/kern" -name '*.krn' | grep -v -E 'k285|k298|k370'
  find "$CORPUS"/quartets/*/musicxml-openscore -name '*.mxl'
} | sort
