"""Questions to a diagnosis: a simulated user drives a :class:`Session` on each run.

The user gives the run's artefacts and complaint, runs every probe the engine proposes, and
answers each question truthfully from the run's ``truth.json`` ("don't know" for facts not
on the sheet). We count the questions asked until the true cause ranks first (concluded, at
or above the engine's threshold) and compare with a baseline that runs every probe and then
asks the same askable facts in knowledge-base (file) order.

    python -m bench.simulated_user [--only ID,ID] [--jobs N] [--json FILE] [--write-readme]
"""

from __future__ import annotations

import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.broken_runs import SCENARIOS
from bench.broken_runs.generate import generate
from bench.broken_runs.readme import bench_arguments, kb_line, table, update_section

__all__ = ["Drive", "drive", "baseline", "simulate", "main"]

HEADING = "## Questions to a diagnosis (bench/simulated_user.py)"
ALARM = 0.5


@dataclass
class Drive:
    """One conversation: questions asked, when the true cause first ranked first, the end."""

    questions: int = 0
    to_top1: int | None = None  # questions after which the true cause ranks first for good
    first_top1: int | None = None  # questions asked when the true cause first ranked first
    tops: list[tuple[int, str | None]] = field(default_factory=list)  # (questions, top cause)
    final: list[tuple[str, float]] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    probes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _inputs(run: Path, truth: dict[str, Any]) -> Any:
    from dldoctor.probes.base import Inputs

    files = truth["files"]
    return Inputs(run / files["checkpoint"], (run / files["log"],),
                  f"{run / 'model.py'}:build", run / files["batch"], "cpu")


def _ranking(session: Any) -> list[tuple[str, float]]:
    from dldoctor.engine import CONCLUDE_THRESHOLD

    return [(s.cause, round(s.cf, 3)) for s in session.engine.scores()
            if s.cf >= CONCLUDE_THRESHOLD]


def _answer(session: Any, fact: str, truth: dict[str, Any], record: Drive) -> None:
    """Answer from the sheet; a value the fact cannot take becomes "don't know"."""
    from dldoctor.engine.values import ValueProblem

    value = truth["facts"].get(fact, "?")
    try:
        session.answer(fact, value)
    except (ValueProblem, ValueError) as exc:
        record.errors.append(f"{fact}={value!r}: {exc}")
        session.answer(fact, "?")
    record.asked.append(fact)
    record.questions += 1


def _check(session: Any, causes: list[str], record: Drive) -> None:
    """Note the leading cause after a step; keep when the true one first and last took over."""
    ranking = _ranking(session)
    top = ranking[0][0] if ranking else None
    record.tops.append((record.questions, top))
    if top in causes:
        if record.first_top1 is None:
            record.first_top1 = record.questions
        if record.to_top1 is None:
            record.to_top1 = record.questions
    else:
        record.to_top1 = None  # lost the lead again: it does not count until regained


def _session(kb: Any, run: Path, truth: dict[str, Any]) -> Any:
    from dldoctor.session import Session

    session = Session(kb, _inputs(run, truth))
    session.complain(truth["complaint"])
    return session


def drive(kb: Any, run: Path, truth: dict[str, Any]) -> Drive:
    """The engine's own order: probes and questions as :meth:`Session.next_step` proposes."""
    from dldoctor.engine import ProbeRequest, Question

    start = time.perf_counter()
    record = Drive()
    session = _session(kb, run, truth)
    causes = truth["causes"]
    _check(session, causes, record)
    while True:
        step = session.next_step()
        if isinstance(step, ProbeRequest):
            result = session.run_probe(step.probe)
            record.probes.append(step.probe)
            if result.error:
                record.errors.append(f"probe {step.probe}: {result.error}")
        elif isinstance(step, Question):
            _answer(session, step.fact, truth, record)
        else:
            break
        _check(session, causes, record)
    record.final = _ranking(session)
    record.seconds = time.perf_counter() - start
    return record


def baseline(kb: Any, run: Path, truth: dict[str, Any]) -> Drive:
    """Every probe first, then every askable fact not yet known, in knowledge-base order."""
    from dldoctor.probes.registry import available

    start = time.perf_counter()
    record = Drive()
    session = _session(kb, run, truth)
    causes = truth["causes"]
    for info in available(session.inputs):
        session.run_probe(info.id)
        record.probes.append(info.id)
    _check(session, causes, record)
    for fact in kb.facts.values():
        if not fact.askable or fact.question is None or session.engine.memory.get(fact.id):
            continue
        _answer(session, fact.id, truth, record)
        _check(session, causes, record)
    record.final = _ranking(session)
    record.seconds = time.perf_counter() - start
    return record


def simulate(run: Path) -> dict[str, Any]:
    """Both conversations on one run folder."""
    from dldoctor.kbpaths import load_knowledge

    truth = json.loads((run / "truth.json").read_text("utf-8"))
    out: dict[str, Any] = {"id": truth["id"], "expected": truth["causes"]}
    try:
        kb = load_knowledge()
        out["engine"] = asdict(drive(kb, run, truth))
        out["baseline"] = asdict(baseline(kb, run, truth))
    except Exception as exc:  # a broken KB or session must not stop the benchmark
        out["error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
    return out


def _stats(values: list[int]) -> tuple[float, int]:
    return (round(sum(values) / len(values), 2) if values else float("nan"),
            max(values) if values else 0)


def summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Mean and maximum questions to the right cause, for the engine and the baseline."""
    broken = [r for r in results if r["expected"] and "error" not in r]
    healthy = [r for r in results if not r["expected"] and "error" not in r]
    out: dict[str, Any] = {"broken": len(broken), "healthy": len(healthy),
                           "errors": sum("error" in r for r in results)}
    for who in ("engine", "baseline"):
        solved = [r[who]["to_top1"] for r in broken if r[who]["to_top1"] is not None]
        mean, most = _stats(solved)
        first = [r[who]["first_top1"] for r in broken if r[who]["first_top1"] is not None]
        out[who] = {
            "solved": len(solved), "mean_questions": mean, "max_questions": most,
            "reached": len(first), "mean_questions_first": _stats(first)[0],
            "mean_questions_all": _stats([r[who]["questions"] for r in broken])[0],
            "final_top1": sum(bool(r[who]["final"]) and r[who]["final"][0][0] in r["expected"]
                              for r in broken),
            "healthy_false_alarms": sum(any(c >= ALARM for _, c in r[who]["final"])
                                        for r in healthy),
            "healthy_mean_questions": _stats([r[who]["questions"] for r in healthy])[0],
        }
    return out


def _cell(r: dict[str, Any], who: str) -> str:
    if "error" in r:
        return "error"
    d = r[who]
    if not r["expected"]:
        top = d["final"][0] if d["final"] else None
        return f"{d['questions']} asked, " + (f"top {top[0]} {top[1]:.2f}" if top else "no alarm")
    first = f" (first {d['first_top1']})" if d["first_top1"] is not None else ""
    if d["to_top1"] is not None:
        return f"{d['to_top1']}{first}"
    top = d["final"][0][0] if d["final"] else "nothing"
    return f"never: {top} first{first}"


def markdown(results: list[dict[str, Any]], s: dict[str, Any], wall: float) -> str:
    """The README section: summary and per-scenario table."""
    e, b = s["engine"], s["baseline"]
    head = (
        kb_line() +
        "A simulated user runs the probes the engine proposes and answers its questions "
        "truthfully from each run's `truth.json` (\"don't know\" otherwise). Counted: questions "
        "until the true cause ranks first *for good* (first after that question and at every "
        "later step, to the end of the conversation), and, in brackets, until it first ranks "
        "first. Baseline: all probes, then every askable fact in knowledge-base file order."
        "\n\n"
        + table(["", "engine", "baseline (KB order)", "goal"], [
            ["broken runs where the true cause ends at rank 1",
             f"{e['solved']} / {s['broken']}", f"{b['solved']} / {s['broken']}", "all"],
            ["mean questions to rank 1 for good (those runs)", str(e["mean_questions"]),
             str(b["mean_questions"]), "≤ 4"],
            ["runs where it reached rank 1 at some point (mean questions to that)",
             f"{e['reached']} ({e['mean_questions_first']})",
             f"{b['reached']} ({b['mean_questions_first']})", ""],
            ["max questions to rank 1", str(e["max_questions"]), str(b["max_questions"]), ""],
            ["mean questions asked in all (broken runs)", str(e["mean_questions_all"]),
             str(b["mean_questions_all"]), ""],
            ["healthy runs with an alarm (≥ 0.5) at the end",
             f"{e['healthy_false_alarms']} / {s['healthy']}",
             f"{b['healthy_false_alarms']} / {s['healthy']}", "0"],
            ["errors", str(s["errors"]), "", "0"],
            ["wall time", f"{wall:.0f} s", "", ""],
        ])
    )
    rows = [[r["id"], ", ".join(r["expected"]) or "(healthy)", _cell(r, "engine"),
             _cell(r, "baseline")] for r in results]
    return head + "\n\n" + table(
        ["scenario", "expected", "engine: questions to rank 1", "baseline"], rows)


def main(argv: list[str] | None = None) -> int:
    args = bench_arguments(__doc__, HEADING, argv)
    ids = [s for s in args.only.split(",") if s] or [s.id for s in SCENARIOS]
    start = time.perf_counter()
    generate(args.out, ids, args.jobs)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(simulate, [args.out / i for i in ids]))
    wall = time.perf_counter() - start
    summary = summarize(results)
    for r in results:
        print(f"{r['id']:34} {', '.join(r['expected']) or '(healthy)':28} "
              f"engine {_cell(r, 'engine'):28} baseline {_cell(r, 'baseline')}"
              f"{'  ERROR ' + r['error'] if 'error' in r else ''}")
    print(json.dumps(summary))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, "runs": results}, indent=1,
                                        default=str))
    if args.write_readme:
        update_section(HEADING, markdown(results, summary, wall))
    return 0


if __name__ == "__main__":
    sys.exit(main())
