#!/bin/sh
# Training speed of a process group against threads, side by side on this
# machine: the default preset "fast" on the Bach chorales with the default
# global batch of 16 crops, as one process with 1 and 2 threads and as 2
# processes of 1 thread each on loopback (and 2 x 2, which oversubscribes a
# 2-core machine). Each configuration trains SHORT and then LONG steps; the
# difference of the two wall times is the time of LONG - SHORT steps, free of
# start-up and of the one validation at the end. Prints samples (crops) per
# second, ROUNDS times each. Run it on an otherwise idle machine.
#   bench/distributed.sh [ROUNDS] [SHORT] [LONG]
# Environment: DQ_RUNS (default runs/distributed), DQ_CORPUS (default ../shared/corpus).
set -eu
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}
SHORT=${2:-20}
LONG=${3:-80}
RUNS=${DQ_RUNS:-runs/distributed}
CORPUS=${DQ_CORPUS:-../shared/corpus}/bach-chorales/musicxml
BATCH=16
PORT=29571
mkdir -p "$RUNS"
# Build the dataset cache once, outside the measurements.
build/deepquartet train --corpus "$CORPUS" -o "$RUNS/warm.dqm" --steps 1 --cache-dir "$RUNS/cache" >/dev/null 2>&1

now() { date +%s.%N; }

train() {  # processes threads steps: wall seconds of the run
  start=$(now)
  rank=1
  while [ "$rank" -lt "$1" ]; do
    RANK=$rank WORLD_SIZE=$1 MASTER_ADDR=127.0.0.1 MASTER_PORT=$PORT build/deepquartet train --corpus "$CORPUS" \
      -o "$RUNS/p$1t$2.dqm" --threads "$2" --steps "$3" --eval-every 100000 --cache-dir "$RUNS/cache" \
      >/dev/null 2>&1 &
    rank=$((rank + 1))
  done
  RANK=0 WORLD_SIZE=$1 MASTER_ADDR=127.0.0.1 MASTER_PORT=$PORT build/deepquartet train --corpus "$CORPUS" \
    -o "$RUNS/p$1t$2.dqm" --threads "$2" --steps "$3" --eval-every 100000 --cache-dir "$RUNS/cache" >/dev/null 2>&1
  wait
  PORT=$((PORT + 1))
  awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }'
}

echo "configuration | round | samples per second"
for round in $(seq "$ROUNDS"); do
  for config in "1 1" "1 2" "2 1" "2 2"; do
    set -- $config
    short=$(train "$1" "$2" "$SHORT")
    long=$(train "$1" "$2" "$LONG")
    rate=$(awk -v n=$((LONG - SHORT)) -v b=$BATCH -v l="$long" -v s="$short" 'BEGIN { print n * b / (l - s) }')
    printf '%s process(es) x %s thread(s) | %s | %.1f\n' "$1" "$2" "$round" "$rate"
  done
done
