"""Generate the benchmark's runs into a cache folder (default ``bench/out/runs``).

    python -m bench.broken_runs.generate [--out DIR] [--only ID,ID] [--jobs N] [--force]

A run folder is reused when its ``truth.json`` records the same scenario fingerprint, so a
second call is instant; ``--force`` retrains.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .scenarios import SCENARIOS, by_id
from .spec import Scenario

__all__ = ["DEFAULT_OUT", "generate", "fingerprint", "main"]

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "out" / "runs"
_CODE_FILES = ("data.py", "models.py", "spec.py", "train.py", "truth.py")


def fingerprint(scn: Scenario) -> str:
    """A hash of the scenario and of the generator's code: changes when either does."""
    h = hashlib.sha256(repr(scn).encode())
    here = Path(__file__).parent
    for name in _CODE_FILES:
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def _one(args: tuple[str, str, bool]) -> dict[str, Any]:
    scenario_id, out, force = args
    scn = by_id(scenario_id)
    root = Path(out) / scn.id
    fp = fingerprint(scn)
    truth_path = root / "truth.json"
    if not force and truth_path.is_file():
        truth = json.loads(truth_path.read_text("utf-8"))
        if truth.get("fingerprint") == fp:
            truth["cached"] = True
            return truth
    from .train import train_scenario

    truth = train_scenario(scn, root)
    truth["fingerprint"] = fp
    truth_path.write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", "utf-8")
    truth["cached"] = False
    return truth


def generate(out: Path = DEFAULT_OUT, only: list[str] | None = None, jobs: int | None = None,
             force: bool = False) -> list[dict[str, Any]]:
    """Train (or reuse) the selected scenarios under ``out``; return their truth records."""
    ids = only or [s.id for s in SCENARIOS]
    for scenario_id in ids:
        by_id(scenario_id)  # fail early on a typo
    out.mkdir(parents=True, exist_ok=True)
    work = [(i, str(out), force) for i in ids]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(work) == 1:
        return [_one(w) for w in work]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(_one, work))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--only", default="", help="comma-separated scenario ids")
    parser.add_argument("--jobs", "-j", type=int, default=None)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    only = [s for s in args.only.split(",") if s] or None
    start = time.perf_counter()
    truths = generate(args.out, only, args.jobs, args.force)
    for t in truths:
        flag = "cached" if t["cached"] else f"{t['train_seconds']:5.2f}s"
        causes = ",".join(t["causes"]) or "healthy"
        print(f"{t['id']:34} {causes:28} {t['steps']:5d} steps  {flag}")
    print(f"{len(truths)} runs in {args.out} ({time.perf_counter() - start:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
