#!/bin/sh
# Trains the two shipped models from ../shared/corpus, as they were trained
# (1 thread each, so that the other core stays free; DQ_TRAIN_FLAGS=--resume
# continues a run that was stopped). Writes runs/bach.dqm and runs/quartet.dqm with
# their logs, curves and checkpoints; copy a model to models/ to ship it.
#   scripts/train-models.sh [bach|quartet]...
set -eu
cd "$(dirname "$0")/.."
CORPUS=${DQ_CORPUS:-../shared/corpus}
mkdir -p runs

train_bach() {
  build/deepquartet train --corpus "$CORPUS/bach-chorales/musicxml" -o runs/bach.dqm --half \
    --minutes 80 --threads 1 --patience 10 ${DQ_TRAIN_FLAGS:-}
}

# The Bach chorales (MusicXML) and the string quartets: Haydn, Mozart and
# Beethoven from the kern editions (the music21 MusicXML copies of the same
# works are left out, and so are Mozart's flute and oboe quartets K. 285, 298
# and 370), every other composer from OpenScore. Styles come from the folders:
# bach, haydn, mozart, beethoven, quartet (everyone else).
train_quartet() {
  list=$(mktemp)
  {
    find "$CORPUS/bach-chorales/musicxml" -type f
    find "$CORPUS/quartets/haydn/kern" "$CORPUS/quartets/haydn/kern-op20-napulen" \
         "$CORPUS/quartets/beethoven/kern" -type f -name '*.krn'
    find "$CORPUS/quartets/mozart/kern" -name '*.krn' | grep -v -E 'k285|k298|k370'
    find "$CORPUS"/quartets/*/musicxml-openscore -name '*.mxl'
  } | sort > "$list"
  # shellcheck disable=SC2046
  build/deepquartet train --corpus $(cat "$list") -o runs/quartet.dqm --half \
    --minutes 80 --threads 1 --patience 10 ${DQ_TRAIN_FLAGS:-}
  rm -f "$list"
}

[ $# -eq 0 ] && set -- bach quartet
for model in "$@"; do
  case "$model" in
    bach) train_bach ;;
    quartet) train_quartet ;;
    *) echo "unknown model: $model (bach or quartet)" >&2; exit 2 ;;
  esac
done
