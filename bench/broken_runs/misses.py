"""Explain the benchmark's misses: for each run whose cause is not first, what went wrong.

Runs every probe on the run in-process (no questions), then lists the probe findings that
contradict the run's answer sheet (a wrong or missing measurement), the rules about the
expected cause and why each did not fire, and the causes that outranked it. This is the raw
material of ``bench/MISSES.md``.

    python -m bench.broken_runs.misses [--out DIR] [ID ...]
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from .generate import DEFAULT_OUT
from .scenarios import SCENARIOS

__all__ = ["explain", "main"]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return abs(a - b) <= 0.05 * max(abs(a), abs(b), 1e-12)
    return a == b


def explain(run: Path, kb: Any) -> dict[str, Any]:
    """Probe findings against the truth sheet, and the rules about the expected cause."""
    from bench.simulated_user import _inputs
    from dldoctor.probes.registry import available
    from dldoctor.session import Session

    truth = json.loads((run / "truth.json").read_text("utf-8"))
    session = Session(kb, _inputs(run, truth))
    session.complain(truth["complaint"])
    symptoms = [a.key for a in session.answers if a.kind == "symptom"]
    disagree, errors = [], []
    for info in available(session.inputs):
        result = session.run_probe(info.id)
        if result.error:
            errors.append(f"{info.id}: {result.error}")
        for f in result.findings:
            want = truth["facts"].get(f.fact)
            if want is not None and not _same(f.value, want):
                disagree.append(f"{f.fact}: probe says {f.value!r}, truth {want!r}")
    ranking = [(s.cause, round(s.cf, 2)) for s in session.engine.scores()[:5]]
    rules = {c: [f"{v.rule} {v.state}: {v.detail}" for v in session.why_not(c)]
             for c in truth["causes"] if c in kb.causes}
    return {"id": truth["id"], "expected": truth["causes"], "symptoms": symptoms,
            "ranking": ranking, "disagree": disagree, "probe_errors": errors,
            "rules": rules, "unknown_causes": [c for c in truth["causes"]
                                               if c not in kb.causes]}


def main(argv: list[str] | None = None) -> int:
    from dldoctor.engine import load_kb
    from dldoctor.kb import BUILTIN_KB

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("ids", nargs="*")
    args = parser.parse_args(argv)
    kb = load_kb([BUILTIN_KB], strict=False)
    for scenario_id in args.ids or [s.id for s in SCENARIOS if not s.healthy]:
        e = explain(args.out / scenario_id, kb)
        print(f"== {e['id']}  expected {e['expected']}  symptoms {e['symptoms']}")
        print(f"   ranking {e['ranking']}")
        for line in e["disagree"] + e["probe_errors"]:
            print(f"   ! {line}")
        for cause, lines in e["rules"].items():
            for line in lines or [f"no rule concludes {cause}"]:
                print(f"   {cause}: {line}")
        for cause in e["unknown_causes"]:
            print(f"   {cause}: not a cause in the knowledge base")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
