#!/bin/sh
# Sampler quality: DeepBach's parallel pseudo-Gibbs sampler (a model of preset
# "deepbach", at DeepBach's density of about 62 updates per position) against
# the sweep sampler (a model of the default preset "fast", 40 sweeps), each
# graded by `deepquartet eval` on the same number of generated chorales, with
# the voice-leading prior (6 nats, the default) and without it (the raw
# model and sampler). Prints one table row per run (rules per note, pooled
# Wasserstein distances to the Bach test chorales); the reports stay in the
# run folder. The deepbach runs take about 10 minutes each on one thread.
#   bench/sampler_quality.sh DEEPBACH_MODEL [FAST_MODEL] [PIECES] [BARS]
# Environment: DQ_RUNS (default runs/sampler-quality), DQ_CORPUS (default ../shared/corpus).
set -eu
cd "$(dirname "$0")/.."
DEEPBACH=${1:?usage: bench/sampler_quality.sh DEEPBACH_MODEL [FAST_MODEL] [PIECES] [BARS]}
FAST=${2:-models/bach.dqm}
PIECES=${3:-4}
BARS=${4:-8}
RUNS=${DQ_RUNS:-runs/sampler-quality}
CORPUS=${DQ_CORPUS:-../shared/corpus}/bach-chorales/musicxml
mkdir -p "$RUNS"

for prior in 6 0; do
  for run in "deepbach $DEEPBACH" "fast $FAST"; do
    set -- $run
    report="$RUNS/$1-prior$prior/report.md"
    [ -f "${report%.md}.json" ] || build/deepquartet eval --model "$2" --corpus "$CORPUS" --generated "$PIECES" \
      --bars "$BARS" --reharmonized 0 --conditions generated-on --voice-leading "$prior" --threads 1 \
      -o "$report"
  done
done

python3 - "$RUNS" <<'PY'
import json, sys, os
runs = sys.argv[1]
rules = ["parallel_fifths", "parallel_octaves", "hidden_fifths_octaves", "voice_crossing", "large_leap"]
dists = ["pitch_class", "chord_quality", "note_length"]
print("| sampler | model | prior | s per chorale | mean grade | " + " | ".join(r.replace("_", " ") for r in rules) +
      " | " + " | ".join("W " + d.replace("_", " ") for d in dists) + " |")
print("|---" * (5 + len(rules) + len(dists)) + "|")
for name in sorted(os.listdir(runs)):
    path = os.path.join(runs, name, "report.json")
    if not os.path.exists(path):
        continue
    j = json.load(open(path))
    facts = dict(j["facts"]) if isinstance(j["facts"], list) else j["facts"]
    total = j["generated"]["total"]["rules"]
    grade = j["generated"].get("grade", {}).get("mean", float("nan"))
    seconds = facts.get("generation time", "?").split(" ")[0]
    sampler = "parallel" if facts["preset"] == "deepbach" else "sweep"
    model = os.path.basename(facts["model"])
    cells = ["%.4f" % total[r]["per_note"] if r in total else "-" for r in rules]
    pooled = j["generated"]["distance_to_bach"]["pooled"]
    cells += ["%.3f" % pooled[d] for d in dists]
    print("| %s | %s | %s | %s | %.1f | %s |" % (sampler, model, name.split("prior")[1], seconds, grade, " | ".join(cells)))
PY
