"""The Markdown section "Trust benchmark (held-out)" of ``bench/README.md``."""

from __future__ import annotations

import datetime
import os
from typing import Any

from bench.broken_runs.readme import table

__all__ = ["HEADING", "markdown"]

HEADING = "## Trust benchmark (held-out)"
_MODE_NAMES = {"all": "all inputs", "ckpt_log": "checkpoint + log"}
_GOALS = {("held_out", "all"): {"top1": "≥ 90 %", "top3": "≥ 98 %"},
          ("held_out", "ckpt_log"): {"top1": "≥ 70 %"}}


def _kb_size() -> str:
    try:
        from dldoctor.kbpaths import load_knowledge

        kb = load_knowledge()
        return f"{len(kb.causes)} causes, {len(kb.rules)} rules, {len(kb.facts)} facts"
    except Exception as exc:  # the numbers still say which KB state they come from
        return f"not loadable ({type(exc).__name__})"


def _fmt(value: Any, unit: str = "") -> str:
    return "—" if value is None else f"{value}{unit}"


def _metric_rows(cols: list[tuple[str, str]], s: dict[tuple[str, str], dict[str, Any]]
                 ) -> list[list[str]]:
    def row(name: str, key: str, unit: str = "", goal: str = "") -> list[str]:
        return [name, *(_fmt(s[c][key], unit) for c in cols), goal]

    return [
        ["runs (broken / healthy)",
         *(f"{s[c]['broken']} / {s[c]['healthy']}" for c in cols), ""],
        row("top-1 (injected cause is the first fault)", "top1", " %",
            "≥ 90 % (all), ≥ 70 % (ckpt+log)"),
        row("top-3", "top3", " %", "≥ 98 % (all)"),
        row("detected (any fault ≥ 0.5) on broken runs", "detected", " %"),
        ["false alarms on healthy runs (fault ≥ 0.5 or exit 1)",
         *(f"{s[c]['false_alarms']} / {s[c]['healthy']}" for c in cols), "0"],
        ["healthy runs with exit 1", *(f"{s[c]['healthy_exit_1']} / {s[c]['healthy']}"
                                       for c in cols), "0"],
        row("wrong faults ≥ 0.5 per broken run", "wrong_faults_per_broken", "", "≤ 0.2"),
        row("ECE of the top fault's confidence", "ece", "", "≤ 0.10"),
        row("runs with an error / no report", "errors", "", "0"),
        row("seconds per diagnosis (mean)", "mean_seconds", " s"),
    ]


def _generation(gen: dict[str, Any]) -> str:
    fresh = gen.get("fresh")
    if fresh:
        return (f"{fresh['runs']} runs generated from scratch in {fresh['wall_seconds']} s wall "
                f"with {fresh['jobs']} jobs on 2 cores at load average {fresh['load_average']:.0f} "
                f"({fresh['train_cpu_seconds']} s CPU in the training loops, {fresh['date']}). ")
    return (f"{gen['runs']} runs ({gen['trained_now']} trained now, {gen['wall_seconds']} s "
            f"wall; {gen['train_cpu_seconds']} s CPU in the training loops). ")


def markdown(result: dict[str, Any]) -> str:
    """The section body from the JSON result of :func:`bench.trust.cli.main`."""
    summaries = {(p, m): v for p, modes in result["summary"].items() for m, v in modes.items()}
    cols = sorted(summaries, key=lambda pm: (pm[0] != "held_out", pm[1] != "all"))
    head = [f"{p.replace('_', '-')}: {_MODE_NAMES[m]}" for p, m in cols]
    gen = result["generation"]
    text = (
        f"Measured {datetime.date.today()} on {os.cpu_count()} CPU cores shared with other jobs "
        f"(times are pessimistic), knowledge base: {_kb_size()}.\n\n"
        "Runs: `python -m bench.generator.generate` (real tiny training runs: 16 architecture "
        "families, 29 injectable bugs at 3 severities, optimizer / schedule / batch size / "
        "epochs / file formats drawn per seed; cached in `bench/out/gen`). "
        + _generation(gen) +
        "Split (`bench/generator/split.py`): held out = the families GRU, LSTM, autoencoder, "
        "residual CNN, 1-D CNN and pre-norm residual MLP (added at stop 32), dilated causal "
        "TCN and MLP-Mixer on image patches (added at stop 33), depthwise-separable CNN and "
        "bidirectional GRU with attention pooling (added at stop 34), and seeds ≥ 20 of every "
        "family; tuning = the other families at seeds 0–19. Only the tuning part may be used to "
        "choose certainty factors and thresholds.\n\n"
        f"Scored: `python -m bench.trust --write-readme` ({result['command']}); "
        "`diagnose --format json --no-input` in two modes, no complaint text. A fault is a "
        "diagnosis not marked `\"kind\": \"note\"`. A column with fewer runs is a sample "
        "balanced over families and seeds (`--every K`: one run in K).\n\n"
        + table(["metric", *head, "goal (held-out)"], _metric_rows(cols, summaries))
    )
    for p, m in cols:
        if p != "held_out":
            continue
        rel = summaries[(p, m)]["reliability"]
        text += (f"\n\nReliability, held-out, {_MODE_NAMES[m]} (top fault's confidence vs. "
                 "whether it is the injected cause; healthy runs' top faults count as wrong):\n\n")
        text += table(["confidence bin", "runs", "mean confidence", "accuracy"],
                      [[r["bin"], str(r["n"]), f"{r['confidence']:.2f}",
                        f"{r['accuracy']:.2f}"] for r in rel])
    for p, m in cols:
        if p != "held_out":
            continue
        conf = result["confusion"][p][m]
        text += (f"\n\nHeld-out top-1 misses, {_MODE_NAMES[m]} (injected cause: what came "
                 "first):\n\n")
        text += table(["injected cause", "misses", "first fault instead (count)"],
                      [[cause, str(sum(got.values())),
                        ", ".join(f"{g} {n}" for g, n in sorted(got.items(), key=lambda x: -x[1]))]
                       for cause, got in conf.items()])
    fam = result.get("families", {}).get("held_out", {}).get("all")
    if fam:
        text += "\n\nHeld-out, all inputs, per family:\n\n"
        text += table(["family", "broken", "top-1", "top-3", "healthy", "false alarms"],
                      [[f, str(v["broken"]), _fmt(v["top1"], " %"), _fmt(v["top3"], " %"),
                        str(v["healthy"]), str(v["false_alarms"])] for f, v in fam.items()])
    return text + "\n"
