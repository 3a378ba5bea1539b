"""Print a one-line summary of each generated run's curves (to check a bug shows).

    python -m bench.broken_runs.inspect [--out DIR] [ID ...]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
from pathlib import Path
from typing import Any

from .generate import DEFAULT_OUT

__all__ = ["read_rows", "summary"]


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The log's rows with numbers parsed (CSV or JSON-lines)."""
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    with path.open(encoding="utf-8") as f:
        return [{k: float(v) for k, v in r.items() if v != ""} for r in csv.DictReader(f)]


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.3g}"


def summary(run: Path) -> str:
    """Start, end and extremes of the loss, validation and gradient-norm curves."""
    truth = json.loads((run / "truth.json").read_text("utf-8"))
    rows = read_rows(run / truth["files"]["log"])
    loss = [r["loss"] for r in rows]
    fin = [v for v in loss if math.isfinite(v)]
    k = max(1, len(loss) // 10)
    head, tail = fin[:k] or [math.nan], fin[-k:] or [math.nan]
    val = [r["val_loss"] for r in rows if "val_loss" in r]
    acc = [r["val_acc"] for r in rows if "val_acc" in r]
    gn = [r["grad_norm"] for r in rows if math.isfinite(r["grad_norm"])]
    cv = statistics.pstdev(tail) / abs(statistics.fmean(tail)) if len(tail) > 1 else 0.0
    nan = truth["facts"].get("loss.non_finite_step")
    return (f"{truth['id']:32} loss {_fmt(statistics.fmean(head))}→{_fmt(statistics.fmean(tail))}"
            f" min {_fmt(min(fin) if fin else None)} max {_fmt(max(fin) if fin else None)}"
            f" cv {cv:.2f} nan@{nan if nan is not None else '-'} | val "
            f"{_fmt(val[0] if val else None)}→{_fmt(min(val) if val else None)}→"
            f"{_fmt(val[-1] if val else None)} acc {_fmt(acc[0] if acc else None)}→"
            f"{_fmt(acc[-1] if acc else None)} | gn {_fmt(gn[0] if gn else None)} "
            f"max {_fmt(max(gn) if gn else None)} end {_fmt(gn[-1] if gn else None)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("ids", nargs="*")
    args = parser.parse_args(argv)
    runs = [args.out / i for i in args.ids] or sorted(p for p in args.out.iterdir() if p.is_dir())
    for run in runs:
        print(summary(run))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
