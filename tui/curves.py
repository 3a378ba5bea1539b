"""Read loss curves from a CSV or JSON-lines metrics log, just enough to draw them.

The probes have their own, complete log readers; this one only feeds the plot, never a fact.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

__all__ = ["Curve", "read_curves", "load_curves", "MAX_POINTS"]

MAX_POINTS = 2000
_STEP_KEYS = ("step", "global_step", "iteration", "iter", "it", "batch", "epoch")

Curve = tuple[list[float], list[float]]  # (steps, values)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _rows(path: Path) -> list[dict[str, object]]:
    text = path.read_text("utf-8", errors="replace")
    if path.suffix.lower() in {".jsonl", ".json", ".ndjson"}:
        rows = []
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict):
                rows.append(row)
        return rows
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
    return list(csv.DictReader(text.splitlines(), dialect=dialect))


def _thin(curve: Curve) -> Curve:
    xs, ys = curve
    if len(xs) <= MAX_POINTS:
        return curve
    stride = math.ceil(len(xs) / MAX_POINTS)
    return xs[::stride], ys[::stride]


def read_curves(path: Path) -> dict[str, Curve]:
    """The columns whose name has "loss" in it, against the step column (or row number).

    Non-finite values are kept as NaN so the plot can show where a run blew up. An unreadable
    or unfamiliar file gives no curves rather than an error: the plot is optional.
    """
    if not path.is_file():
        return {}
    try:
        rows = _rows(path)
    except (OSError, csv.Error):
        return {}
    if not rows:
        return {}
    keys = list(dict.fromkeys(k for row in rows[:50] for k in row if k))
    step_key = next((k for k in keys if k.strip().lower() in _STEP_KEYS), None)
    loss_keys = [k for k in keys if "loss" in k.lower()]
    curves: dict[str, Curve] = {}
    for key in loss_keys:
        xs: list[float] = []
        ys: list[float] = []
        for i, row in enumerate(rows):
            y = _number(row.get(key))
            if y is None:
                continue
            x = _number(row.get(step_key)) if step_key else None
            xs.append(float(i) if x is None else x)
            ys.append(y)
        if ys:
            curves[key.strip()] = _thin((xs, ys))
    return curves


def _from_probe_reader(paths: list[Path]) -> dict[str, Curve] | None:
    """Use the probes' log reader (it knows TensorBoard and every column spelling)."""
    try:
        from dldoctor.probes.logs import read_logs
    except ImportError:
        return None
    try:
        metrics = read_logs(list(paths))
    except Exception:  # noqa: BLE001 - any failure: fall back to the simple reader
        return None
    curves: dict[str, Curve] = {}
    for name, series in metrics.series.items():
        if "loss" in name:
            xs = [float(x) for x in series.steps]
            ys = [float(y) for y in series.values]
            curves[name] = _thin((xs, ys))
    return curves


def load_curves(paths: list[Path]) -> dict[str, Curve]:
    """The loss curves of ``paths``: the probes' reader when it is there, else our own."""
    curves = _from_probe_reader(paths)
    if curves:
        return curves
    out: dict[str, Curve] = {}
    for path in paths:
        for name, curve in read_curves(path).items():
            out[name if len(paths) == 1 else f"{path.stem}:{name}"] = curve
    return out
