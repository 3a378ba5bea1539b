"""Re-score saved probe results under the current knowledge base, in seconds.

Running the probes dominates a benchmark run (live passes, tens of seconds under load); the
reasoning on top of them takes milliseconds. ``--record`` runs every available probe once per
run folder and saves the session (findings included) under ``bench/out/replay/``; the default
mode reloads those sessions with the knowledge base on disk and prints the ranking of each, the
top-1/top-3 figures, false alarms and wrong established faults. Use it while tuning on the
tuning part only; report held-out figures from full runs.

    python -m bench.replay --record [--runs DIR] [--jobs N]
    python -m bench.replay [--runs DIR] [--only ID,ID] [--checkpoint-log-only]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from dldoctor.engine.cover import REPORT_THRESHOLD

OUT = Path(__file__).resolve().parent / "out" / "replay"  # --out changes it


def _inputs(run: Path, truth: dict[str, Any], live: bool = True) -> Any:
    from dldoctor.probes.base import Inputs

    files = truth["files"]
    return Inputs(checkpoint=run / files["checkpoint"], logs=(run / files["log"],),
                  model=f"{run / 'model.py'}:build" if live else None,
                  batch=run / files["batch"] if live else None, device="cpu")


def record(run: Path, out: Path | None = None) -> str:
    """Run every available probe on ``run`` and save the session."""
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.probes.registry import available
    from dldoctor.session import Session

    truth = json.loads((run / "truth.json").read_text("utf-8"))
    session = Session(load_knowledge(), _inputs(run, truth))
    for info in available(session.inputs):
        session.run_probe(info.id)
    folder = out or OUT
    folder.mkdir(parents=True, exist_ok=True)
    session.save(folder / f"{truth['id']}.json")
    return truth["id"]


def refresh(run: Path, probes: tuple[str, ...], out: Path | None = None) -> str:
    """Re-run only ``probes`` on a recorded run (after a probe learnt a new fact)."""
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import Session

    truth = json.loads((run / "truth.json").read_text("utf-8"))
    folder = out or OUT
    path = folder / f"{truth['id']}.json"
    session = Session(load_knowledge(), _inputs(run, truth))
    saved = json.loads(path.read_text("utf-8"))
    for probe in probes:
        session.run_probe(probe)
    fresh = {r["probe"]: r for r in session.to_json()["probe_runs"]}
    saved["probe_runs"] = [fresh.get(r["probe"], r) for r in saved["probe_runs"]]
    path.write_text(json.dumps(saved), "utf-8")
    return truth["id"]


#: Facts the checkpoint's probes read off the batch file when there is one: a run scored on
#: its checkpoint and log alone has no batch, so they go with the live probes.
BATCH_FACTS = frozenset({"optimizer.head_bias_labels_share", "batch.unseen_token_share"})


def score(run: Path, kb: Any, live: bool = True, complaint: bool = True) -> dict[str, Any]:
    """Rebuild the run's session from its saved probes and rank the causes."""
    from dldoctor.session import Session

    truth = json.loads((run / "truth.json").read_text("utf-8"))
    data = json.loads((OUT / f"{truth['id']}.json").read_text("utf-8"))
    if not live:
        data["probe_runs"] = [{**r, "findings": [f for f in r["findings"]
                                                 if f["fact"] not in BATCH_FACTS]}
                              for r in data["probe_runs"] if not r["probe"].startswith("live")]
        data["inputs"] = {**data["inputs"], "model": None, "batch": None}
    session = Session.from_json(kb, data)
    if complaint:
        session.complain(truth["complaint"])
    report = session.report()
    got = [(d.cause, round(d.confidence, 2)) for d in report.diagnoses]
    return {"id": truth["id"], "expected": truth["causes"], "got": got}


def converse(run: Path, kb: Any) -> dict[str, Any]:
    """The simulated user of bench/simulated_user.py on saved probes: answer from the truth
    sheet ("don't know" otherwise) until the session is done; count the questions."""
    from dldoctor.engine import ProbeRequest, Question, ValueProblem
    from dldoctor.probes.base import Finding
    from dldoctor.session import ProbeRun, Session

    truth = json.loads((run / "truth.json").read_text("utf-8"))
    saved = json.loads((OUT / f"{truth['id']}.json").read_text("utf-8"))
    recorded = {r["probe"]: ProbeRun.from_json(r) for r in saved["probe_runs"]}
    session = Session(kb, _inputs(run, truth))
    session.complain(truth["complaint"])
    asked: list[str] = []
    while True:
        step = session.next_step()
        if isinstance(step, ProbeRequest):
            found = recorded.get(step.probe)
            findings: list[Finding] = found.findings if found else []
            session.run_probe(step.probe, runner=lambda inputs, ctx, f=findings: f)
        elif isinstance(step, Question):
            value = truth["facts"].get(step.fact, "?")
            try:
                session.answer(step.fact, value)
            except (ValueError, ValueProblem):
                session.answer(step.fact, "?")
            asked.append(step.fact)
        else:
            break
    got = [(d.cause, round(d.confidence, 2)) for d in session.report().diagnoses]
    return {"id": truth["id"], "expected": truth["causes"], "got": got, "asked": asked,
            "done": step.reason}


def reliability(rows: list[dict[str, Any]]) -> tuple[float, list[tuple[float, int, float, float]]]:
    """ECE and bins (low edge, runs, mean confidence, accuracy) of the first cause's confidence.

    A broken run counts when it has a diagnosis (right when the first is an injected cause); a
    healthy run counts when its first cause reaches the conclusion threshold 0.2 (always wrong).
    """
    points = []
    for r in rows:
        if not r["got"]:
            continue
        cause, confidence = r["got"][0]
        if r["expected"]:
            points.append((confidence, cause in r["expected"]))
        elif confidence >= 0.2:
            points.append((confidence, False))
    bins: dict[int, list[tuple[float, bool]]] = {}
    for confidence, right in points:
        bins.setdefault(min(int(confidence * 10), 9), []).append((confidence, right))
    table = [(b / 10, len(v), sum(c for c, _ in v) / len(v), sum(o for _, o in v) / len(v))
             for b, v in sorted(bins.items())]
    ece = sum(n / len(points) * abs(mean - acc) for _, n, mean, acc in table) if points else 0.0
    return ece, table


def _print_reliability(rows: list[dict[str, Any]]) -> None:
    ece, table = reliability(rows)
    for low, n, mean, acc in table:
        print(f"reliability {low:.1f}-{low + 0.1:.1f}: {n:3} runs, mean confidence {mean:.2f}, "
              f"accuracy {acc:.2f}")
    print(f"ECE {ece:.3f}")


def _recorded(runs: list[Path]) -> list[Path]:
    """The runs that have a recorded session in :data:`OUT`."""
    return [r for r in runs
            if (OUT / f"{json.loads((r / 'truth.json').read_text())['id']}.json").is_file()]


def main(argv: list[str] | None = None) -> int:
    global OUT
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=Path,
                        default=Path(__file__).resolve().parent / "out" / "runs")
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--refresh", default="",
                        help="re-run only these probes (comma-separated) on recorded runs")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", default="")
    parser.add_argument("--checkpoint-log-only", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="where recorded sessions live")
    parser.add_argument("--part", default="", help="only runs of this part (tuning, held_out)")
    parser.add_argument("--no-complaint", action="store_true")
    parser.add_argument("--questions", action="store_true",
                        help="simulate the conversation: count the questions asked")
    args = parser.parse_args(argv)
    runs = sorted(p for p in args.runs.iterdir() if (p / "truth.json").is_file())
    OUT = args.out or OUT
    if args.only:
        runs = [r for r in runs if r.name in args.only.split(",")]
    if args.part:
        runs = [r for r in runs
                if json.loads((r / "truth.json").read_text()).get("part") == args.part]
    if args.record:
        with ProcessPoolExecutor(args.jobs) as pool:
            for name in pool.map(record, runs, [OUT] * len(runs)):
                print("recorded", name, file=sys.stderr)
        return 0
    if args.refresh:
        probes = tuple(args.refresh.split(","))
        done = _recorded(runs)
        with ProcessPoolExecutor(args.jobs) as pool:
            for name in pool.map(refresh, done, [probes] * len(done), [OUT] * len(done)):
                print("refreshed", name, file=sys.stderr)
        return 0
    from dldoctor.kbpaths import load_knowledge

    kb = load_knowledge()
    recorded = _recorded(runs)
    if args.questions:
        talks = [converse(r, kb) for r in recorded]
        for t in talks:
            print(f"{t['id']:34} {len(t['asked']):2} asked: {', '.join(t['asked'])}")
        broken = [len(t["asked"]) for t in talks if t["expected"]]
        healthy = [len(t["asked"]) for t in talks if not t["expected"]]
        top1 = sum(bool(t["got"]) and t["got"][0][0] in t["expected"]
                   for t in talks if t["expected"])
        print(f"questions: broken mean {sum(broken) / max(len(broken), 1):.2f} max "
              f"{max(broken, default=0)}; healthy mean {sum(healthy) / max(len(healthy), 1):.2f}"
              f" max {max(healthy, default=0)}; final top-1 {top1}/{len(broken)}")
        return 0
    rows = [score(r, kb, live=not args.checkpoint_log_only, complaint=not args.no_complaint)
            for r in recorded]
    broken = [r for r in rows if r["expected"]]
    healthy = [r for r in rows if not r["expected"]]
    top1 = sum(bool(r["got"]) and r["got"][0][0] in r["expected"] for r in broken)
    top3 = sum(any(c in r["expected"] for c, _ in r["got"][:3]) for r in broken)
    wrong = sum(sum(1 for c, v in r["got"] if v >= REPORT_THRESHOLD and c not in r["expected"])
                for r in broken)
    alarms = sum(any(v >= REPORT_THRESHOLD for _, v in r["got"]) for r in healthy)
    for r in rows:
        ok = "ok " if (not r["expected"] and not any(v >= REPORT_THRESHOLD for _, v in r["got"])) \
            or (r["got"] and r["got"][0][0] in r["expected"]) else "MISS"
        print(f"{ok} {r['id']:34} {','.join(r['expected']) or '(healthy)':28} "
              + ", ".join(f"{c} {v:.2f}" for c, v in r["got"][:4]))
    _print_reliability(rows)
    by_cause = Counter(c for r in healthy for c, v in r["got"] if v >= REPORT_THRESHOLD)
    if by_cause:
        print("false alarms by cause: " + ", ".join(f"{c} {k}" for c, k in
                                                    sorted(by_cause.items())))
    misses = Counter(r["expected"][0] for r in broken
                     if not (r["got"] and r["got"][0][0] in r["expected"]))
    if misses:  # counts only: where the held-out part goes wrong, without its runs
        runs_of = Counter(r["expected"][0] for r in broken)
        print("top-1 misses by cause: " + ", ".join(
            f"{c} {k}/{runs_of[c]}" for c, k in sorted(misses.items())))
    wrongs = Counter(c for r in broken for c, v in r["got"]
                     if v >= REPORT_THRESHOLD and c not in r["expected"])
    if wrongs:
        print("wrong established faults by cause: " + ", ".join(
            f"{c} {k}" for c, k in sorted(wrongs.items())))
    n = max(len(broken), 1)
    print(f"broken {len(broken)}: top-1 {top1 / n:.1%}, top-3 {top3 / n:.1%}, "
          f"wrong established faults per run {wrong / n:.2f}; "
          f"healthy {len(healthy)}: false alarms {alarms}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
