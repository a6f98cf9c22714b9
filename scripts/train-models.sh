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

# The chorales and string quartets of scripts/quartet-corpus.sh.
train_quartet() {
  list=$(mktemp)
  DQ_CORPUS=$CORPUS scripts/quartet-corpus.sh > "$list"
  # shellcheck disable=SC2046
  build/deepquartet train --corpus $(cat "$list") -o runs/quartet.dqm --half --interval-bias 12 \
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
