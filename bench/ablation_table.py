#!/usr/bin/env python3
"""Prints the README's ablation table from the reports of bench/musicianship_ablation.sh.

Usage: bench/ablation_table.py RUN_DIR [RUN_DIR ...]   (each holding report.json)
"""
import json
import sys


def row(path):
    d = json.load(open(path + "/report.json"))
    cond = {c["id"]: c for c in d["measure"]["conditions"]}

    def acc(cid):
        c = cond.get(cid)
        return "-" if c is None else "%.2f / %.2f" % (c["logistic"]["mean"], c["mlp"]["mean"])

    def tonal(cid, key, percent=True, digits=0):
        c = cond.get(cid)
        if c is None:
            return "-"
        v = c["tonal"][key]
        return ("%.*f%%" % (digits, 100 * v)) if percent else ("%.4f" % v)

    agree = d.get("reharmonization", {}).get("note_agreement", [0, 0, 0, 0])
    seconds = [v for k, v in d["facts"].items() if k == "generated, prior on"]
    speed = seconds[0].rsplit("; ", 1)[-1].replace(" per piece", "") if seconds else "-"
    return [
        path.rstrip("/").split("/")[-1],
        acc("generated-on"), acc("generated-off"), acc("reharmonized-on"),
        tonal("generated-on", "final_on_tonic") + " / " + tonal("generated-off", "final_on_tonic"),
        tonal("generated-on", "short_notes") + " / " + tonal("generated-off", "short_notes"),
        tonal("generated-on", "falling_fifths"),
        tonal("generated-off", "parallels_per_note", percent=False),
        "%.1f / %.1f / %.1f%%" % tuple(100 * a for a in agree[1:4]),
        speed,
    ]


header = ["run", "classifier, generated, prior on (logistic / MLP)", "prior off", "reharmonized, prior on",
          "final chord on the tonic (on / off)", "eighths or shorter (on / off)", "root falls a fifth (on)",
          "parallels per note (off)", "reharm. agreement A / T / B", "s per chorale"]
print("| " + " | ".join(header) + " |")
print("|" + "---|" * len(header))
for p in sys.argv[1:]:
    print("| " + " | ".join(row(p)) + " |")
