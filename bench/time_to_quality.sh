#!/bin/sh
# Time to quality: trains preset "deepbach" for 60 minutes (both cores: its
# four voice models two at a time) and then the default preset "fast" for 15
# minutes (both cores: each batch split between two copies of the network) on
# the Bach chorales, one after the other on the same machine, and prints the
# validation accuracy (mean and per voice) each had reached, when "fast" first
# reached the accuracy "deepbach" ended with, and both curves on one chart
# ($RUNS/curves.png). A preset whose log is already in the run folder is not
# trained again. Takes 75 minutes; run it on an otherwise idle machine.
#   bench/time_to_quality.sh [DEEPBACH_MINUTES] [FAST_MINUTES]
# Environment: DQ_RUNS (default runs/time-to-quality), DQ_CORPUS (default ../shared/corpus).
set -eu
cd "$(dirname "$0")/.."
DEEPBACH_MINUTES=${1:-60}
FAST_MINUTES=${2:-15}
RUNS=${DQ_RUNS:-runs/time-to-quality}
CORPUS=${DQ_CORPUS:-../shared/corpus}/bach-chorales/musicxml
mkdir -p "$RUNS"

train() {  # preset minutes threads
  [ -f "$RUNS/$1.dqm.csv" ] && return
  build/deepquartet train --corpus "$CORPUS" --preset "$1" -o "$RUNS/$1.dqm" \
    --minutes "$2" --threads "$3" --patience 0
}
train deepbach "$DEEPBACH_MINUTES" 2
train fast "$FAST_MINUTES" 2

# The best validation of a log within its budget (plus 1% for the run's final
# validation, which starts at the budget): minutes, steps, mean, per voice.
best_row() {  # csv minutes
  awk -F, -v limit="$2" 'NR > 1 && $2 <= limit * 60 * 1.01 && $6 > best {best = $6
      row = sprintf("| %.1f | %d | %.4f | %.4f | %.4f | %.4f | %.4f |", $2 / 60, $1, $6, $7, $8, $9, $10)}
    END {print row}' "$1"
}
echo "| preset | minutes | steps | best mean valid accuracy | soprano | alto | tenor | bass |"
echo "|---|---|---|---|---|---|---|---|"
echo "| deepbach $(best_row "$RUNS/deepbach.dqm.csv" "$DEEPBACH_MINUTES")"
echo "| fast $(best_row "$RUNS/fast.dqm.csv" "$FAST_MINUTES")"
target=$(awk -F, -v limit="$DEEPBACH_MINUTES" 'NR > 1 && $2 <= limit * 60 * 1.01 && $6 > a {a = $6} END {print a}' "$RUNS/deepbach.dqm.csv")
awk -F, -v target="$target" -v budget="$FAST_MINUTES" 'NR > 1 && $6 >= target && !done {
    printf "fast reached deepbach'"'"'s best %d-minute accuracy %.4f after %.1f minutes, step %d (goal: %d minutes or less)\n", '"$DEEPBACH_MINUTES"', target, $2 / 60, $1, budget; done = 1}
  END {if (!done) printf "fast did not reach deepbach'"'"'s accuracy %.4f within its log\n", target}' "$RUNS/fast.dqm.csv"
build/bench/plot_curves "$RUNS/curves.png" "deepbach=$RUNS/deepbach.dqm.csv" "fast=$RUNS/fast.dqm.csv"
echo "curves of both: $RUNS/curves.png (each: $RUNS/deepbach.dqm.curve.png, $RUNS/fast.dqm.curve.png)"
