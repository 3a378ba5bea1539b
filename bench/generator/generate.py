"""Generate the trust benchmark's runs into a cache folder (default ``bench/out/gen``).

    python -m bench.generator.generate [--seeds 0-29] [--families mlp,gru] [--jobs N] [--force]

Each run is a real tiny training run (about a second of CPU). A run folder is reused when
its ``truth.json`` records the same fingerprint (configuration + generator code).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .bugs import BUGS
from .config import FAMILIES, RunConfig
from .plan import CONTROL_SEEDS, plan
from .split import part

__all__ = ["DEFAULT_OUT", "generate", "fingerprint", "complaint", "parse_seeds", "main"]

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "out" / "gen"
_CODE = ("bugs.py", "config.py", "data.py", "models.py", "train.py")  # what shapes a run


def fingerprint(c: RunConfig) -> str:
    """A hash of the configuration and of the generator's code."""
    h = hashlib.sha256(repr(c).encode())
    here = Path(__file__).parent
    for name in _CODE:
        h.update((here / name).read_bytes())
    h.update((here.parent / "broken_runs" / "data.py").read_bytes())
    return h.hexdigest()[:16]


def complaint(seen: dict[str, Any]) -> str:
    """What the user would say, from what the log shows (never from the injected bug)."""
    if seen["non_finite"]:
        return "the loss became NaN during training"
    first, last = seen["first_loss"], seen["last_loss"]
    if last < 0:
        return "the loss went negative"
    if last > 0.9 * first:
        return "the loss does not go down"
    return "can you check whether this training run is healthy?"


def _one(args: tuple[dict[str, Any], str, bool]) -> dict[str, Any]:
    cfg, out, force = args
    c = RunConfig(**cfg)
    root = Path(out) / c.id
    fp = fingerprint(c)
    truth_path = root / "truth.json"
    if not force and truth_path.is_file():
        truth = json.loads(truth_path.read_text("utf-8"))
        if truth.get("fingerprint") == fp:
            return {**truth, "cached": True}
    from .train import train_run

    start = time.process_time()
    seen = train_run(c, root)
    cpu = time.process_time() - start
    bug = BUGS[c.bug] if c.bug else None
    truth = {
        "id": c.id, "part": part(c), "family": c.family, "seed": c.seed,
        "causes": list(bug.causes) if bug else [], "healthy": bug is None,
        "bug": c.bug, "severity": c.severity, "what": bug.what if bug else "none",
        "complaint": complaint(seen),
        "files": {"checkpoint": "checkpoint.pt", "log": seen["log"],
                  "model": "model.py:build", "batch": "batch.pt"},
        "seen": {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                 for k, v in seen.items()},
        "config": asdict(c), "train_cpu_seconds": round(cpu, 2), "fingerprint": fp,
    }
    truth_path.write_text(json.dumps(truth, indent=1) + "\n", "utf-8")
    return {**truth, "cached": False}


def generate(configs: list[RunConfig], out: Path = DEFAULT_OUT, jobs: int | None = None,
             force: bool = False) -> list[dict[str, Any]]:
    """Train (or reuse) ``configs`` under ``out``; return their truth records in order."""
    out.mkdir(parents=True, exist_ok=True)
    work = [(asdict(c), str(out), force) for c in configs]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(work) <= 1:
        return [_one(w) for w in work]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(_one, work, chunksize=4))


def parse_seeds(text: str) -> list[int]:
    """``"0-29"`` or ``"1,5,7"`` or ``"0-4,20"``."""
    seeds: list[int] = []
    for chunk in filter(None, text.split(",")):
        lo, _, hi = chunk.partition("-")
        seeds += list(range(int(lo), int(hi or lo) + 1))
    return seeds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seeds", default=f"0-{CONTROL_SEEDS[-1]}")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--jobs", "-j", type=int, default=None)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    families = tuple(f for f in args.families.split(",") if f)
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        parser.error(f"unknown family {unknown[0]!r}; one of {', '.join(FAMILIES)}")
    start = time.perf_counter()
    truths = generate(plan(parse_seeds(args.seeds), families), args.out, args.jobs, args.force)
    fresh = [t for t in truths if not t["cached"]]
    for t in truths:
        flag = "cached" if t["cached"] else f"{t['train_cpu_seconds']:5.2f}s cpu"
        print(f"{t['id']:42} {t['part']:9} {','.join(t['causes']) or 'healthy':40} "
              f"{t['seen']['steps']:5d} steps  {flag}")
    cpu = sum(t["train_cpu_seconds"] for t in fresh)
    wall = time.perf_counter() - start
    print(f"{len(truths)} runs in {args.out}: {len(fresh)} trained ({cpu:.0f} s CPU in the "
          f"training loops), wall {wall:.1f} s")
    if len(fresh) == len(truths):  # a full fresh generation: the timing the README quotes
        record = {"runs": len(truths), "wall_seconds": round(wall, 1),
                  "train_cpu_seconds": round(cpu, 1), "jobs": args.jobs or os.cpu_count(),
                  "load_average": os.getloadavg()[0], "date": time.strftime("%Y-%m-%d")}
        (args.out / "generation.json").write_text(json.dumps(record) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
