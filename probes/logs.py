"""Read metrics logs (CSV, JSON-lines, TensorBoard) into named series.

Column names vary between tools (``loss``, ``train_loss``, ``train/loss``, ``train_loss_step``
…). :data:`ALIASES` maps each canonical metric to the names it goes by, most preferred first;
add a spelling there and every reader understands it.
"""

from __future__ import annotations

import csv
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dldoctor.errors import InputError

from . import run_folders
from .base import ProbeContext
from .metric_names import canonical_name, load_aliases, normalise, unused_note

__all__ = ["ALIASES", "Series", "Metrics", "read_logs", "read_log", "canonical_name"]

#: Canonical metric → accepted column/tag names, most preferred first (from the documented
#: table ``metric_aliases.yaml``; names are compared after :func:`normalise`).
ALIASES: dict[str, tuple[str, ...]] = load_aliases()
_normalise = normalise


@dataclass
class Series:
    """One metric over training: x positions (steps), values, and where they came from."""

    name: str
    column: str
    source: Path
    steps: np.ndarray
    values: np.ndarray
    rows: np.ndarray | None = None  # 1-based data rows of a text log
    epochs: np.ndarray | None = None

    def where(self, index: int) -> str:
        """Human words for the index-th point: 'step 37 (row 38 of train.csv)'."""
        text = f"step {self.steps[index]:g}"
        if self.rows is not None:
            text += f" (row {int(self.rows[index])} of {self.source.name})"
        return text


@dataclass
class Metrics:
    """Every recognised series of one or more logs."""

    series: dict[str, Series] = field(default_factory=dict)
    sources: list[Path] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # one report note per log

    def get(self, name: str) -> Series | None:
        return self.series.get(name)


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}.get(text)
    return None


def _from_records(path: Path, records: list[dict[str, Any]]) -> Metrics:
    """Build series from row records (CSV or JSON-lines)."""
    columns: dict[str, tuple[str, int]] = {}
    for record in records:
        for column in record:
            if column not in columns and (found := canonical_name(str(column))):
                columns[column] = found
    best: dict[str, tuple[int, str]] = {}
    for column, (canon, rank) in columns.items():
        if canon not in best or rank < best[canon][0]:
            best[canon] = (rank, column)
    step_column = best.get("step", (0, None))[1]
    epoch_column = best.get("epoch", (0, None))[1]
    metrics = Metrics(sources=[path])
    chosen = {column for _, column in best.values()}
    skipped = [str(c) for c in dict.fromkeys(c for r in records for c in r) if c not in chosen]
    if skipped:
        metrics.unused.append(unused_note(path, skipped))
    for canon, (_, column) in best.items():
        if canon in ("step", "epoch"):
            continue
        steps, values, rows, epochs = [], [], [], []
        for row, record in enumerate(records, start=1):
            value = _float(record.get(column))
            if value is None:
                continue
            step = _float(record.get(step_column)) if step_column else None
            epoch = _float(record.get(epoch_column)) if epoch_column else None
            steps.append(step if step is not None else float(row - 1))
            values.append(value)
            rows.append(row)
            epochs.append(epoch if epoch is not None else math.nan)
        if values:
            epoch_array = np.array(epochs, dtype=float)
            metrics.series[canon] = Series(
                canon, column, path, np.array(steps, dtype=float), np.array(values, dtype=float),
                np.array(rows), None if np.isnan(epoch_array).all() else epoch_array)
    return metrics


def _read_csv(path: Path) -> Metrics:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            sample = f.read(4096)
            f.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            records = list(csv.DictReader(f, dialect=dialect))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: unreadable CSV log ({exc})") from None
    return _from_records(path, records)


def _read_jsonl(path: Path) -> Metrics:
    records: list[dict[str, Any]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: unreadable JSON-lines log ({exc})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if isinstance(record, dict):
            records.append(record)
    return _from_records(path, records)


def _read_tensorboard(path: Path) -> Metrics:
    try:
        from tensorboard.backend.event_processing import event_accumulator
    except ImportError:
        raise InputError(f"{path}: reading TensorBoard logs needs the tensorboard package: "
                         "pip install 'dldoctor[tensorboard]'") from None
    metrics = Metrics(sources=[path])
    runs = [path] if path.is_file() else sorted(
        {p.parent for p in path.rglob("*tfevents*")}, key=lambda p: (len(p.parts), str(p)))
    if not runs:
        raise InputError(f"{path}: no TensorBoard event files (*tfevents*) here")
    ranks: dict[str, int] = {}
    seen_tags: dict[str, None] = {}
    chosen: dict[str, str] = {}  # canonical metric -> the tag (prefixed by its run) read
    for run in runs:
        accumulator = event_accumulator.EventAccumulator(
            str(run), size_guidance={event_accumulator.SCALARS: 0})
        try:
            accumulator.Reload()
        except Exception as exc:  # corrupt event files raise many kinds of errors
            raise InputError(f"{run}: unreadable TensorBoard events ({exc})") from None
        prefix = "" if run == path or path.is_file() else _normalise(str(run.relative_to(path)))
        for tag in accumulator.Tags().get("scalars", []):
            shown = f"{prefix}/{tag}" if prefix else tag
            seen_tags[shown] = None
            found = canonical_name(tag) or canonical_name(f"{prefix}_{tag}")
            if found is None or found[0] in ("step", "epoch"):
                if found is not None:  # a position, not a metric: known, so not noted
                    chosen[f"position:{shown}"] = shown
                continue
            canon, rank = found
            if canon in ranks and ranks[canon] <= rank:
                continue
            events = accumulator.Scalars(tag)
            ranks[canon] = rank
            chosen[canon] = shown
            metrics.series[canon] = Series(
                canon, tag, run, np.array([e.step for e in events], dtype=float),
                np.array([e.value for e in events], dtype=float))
    skipped = [t for t in seen_tags if t not in chosen.values()]
    if skipped:
        metrics.unused.append(unused_note(path, skipped, "tags"))
    return metrics


def read_log(path: Path) -> Metrics:
    """Read one log, choosing the reader by name and content."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        files = run_folders.log_files(path)
        if files != [path]:
            return _merge([read_log(f) for f in files])
        return _read_tensorboard(path)
    if "tfevents" in path.name:
        return _read_tensorboard(path)
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the log is empty")
    with path.open("rb") as f:
        head = f.read(4096).lstrip()
    if run_folders.is_trainer_state(path, head):
        metrics = _from_records(path, run_folders.trainer_state_records(path))
    elif path.suffix in (".jsonl", ".ndjson", ".json") or head.startswith(b"{"):
        metrics = _read_jsonl(path)
    else:
        metrics = _read_csv(path)
    if not metrics.series:
        raise InputError(f"{path}: no known metric columns (looked for loss, val_loss, acc, "
                         "val_acc, lr, grad_norm and their usual spellings)")
    return metrics


def _merge(parts: list[Metrics]) -> Metrics:
    """One Metrics of several logs; the first log providing a metric wins."""
    merged = Metrics()
    for metrics in parts:
        merged.sources.extend(metrics.sources)
        merged.unused.extend(metrics.unused)
        for name, series in metrics.series.items():
            merged.series.setdefault(name, series)
    return merged


def read_logs(paths: tuple[Path, ...] | list[Path], ctx: ProbeContext | None = None) -> Metrics:
    """Read and merge several logs; the first log providing a metric wins. Cached per session."""
    key = "logs:" + "|".join(str(Path(p).resolve()) for p in paths)
    if ctx is not None and key in ctx.cache:
        cached: Metrics = ctx.cache[key]
        return cached
    merged = _merge([read_log(Path(path)) for path in paths])
    if ctx is not None:
        ctx.cache[key] = merged
    return merged
