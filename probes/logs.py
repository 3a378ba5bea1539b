"""Read metrics logs (CSV, JSON-lines, TensorBoard) into named series.

Column names vary between tools (``loss``, ``train_loss``, ``train/loss``, ``train_loss_step``
…). :data:`ALIASES` maps each canonical metric to the names it goes by, most preferred first;
add a spelling there and every reader understands it.
"""

from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dldoctor.errors import InputError

from .base import ProbeContext

__all__ = ["ALIASES", "Series", "Metrics", "read_logs", "read_log", "canonical_name"]

#: Canonical metric → accepted column/tag names (compared after lower-casing and turning
#: ``/``, ``-``, ``.`` and spaces into ``_``), most preferred first.
ALIASES: dict[str, tuple[str, ...]] = {
    "step": ("step", "global_step", "iteration", "iter", "it", "batch", "update", "steps"),
    "epoch": ("epoch", "epochs", "ep"),
    "loss": ("loss", "train_loss", "train_loss_step", "training_loss", "loss_train",
             "train", "trainloss", "train_loss_epoch", "losses_train", "tr_loss"),
    "val_loss": ("val_loss", "valid_loss", "validation_loss", "loss_val", "loss_valid",
                 "eval_loss", "test_loss", "val", "dev_loss", "val_loss_epoch",
                 "loss_validation", "valid", "validation"),
    "acc": ("acc", "train_acc", "accuracy", "train_accuracy", "acc_train", "train_acc_step",
            "train_acc_epoch"),
    "val_acc": ("val_acc", "val_accuracy", "valid_acc", "valid_accuracy", "validation_accuracy",
                "eval_accuracy", "eval_acc", "test_acc", "test_accuracy", "acc_val",
                "val_acc_epoch"),
    "lr": ("lr", "learning_rate", "lr_0", "lr_adam", "lr_sgd", "train_lr", "learning_rate_0"),
    "grad_norm": ("grad_norm", "gradient_norm", "grad_norm_total", "total_grad_norm",
                  "train_grad_norm", "grad_2_0_norm_total", "gnorm"),
}

_SEPARATORS = re.compile(r"[/\-.\s]+")


def _normalise(name: str) -> str:
    return _SEPARATORS.sub("_", name.strip().lower()).strip("_")


_LOOKUP: dict[str, tuple[str, int]] = {}
for _canon, _names in ALIASES.items():
    for _rank, _name in enumerate(_names):
        _LOOKUP.setdefault(_normalise(_name), (_canon, _rank))


def canonical_name(column: str) -> tuple[str, int] | None:
    """(canonical metric, preference rank) of a column name, or None when unknown."""
    return _LOOKUP.get(_normalise(column))


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
    for run in runs:
        accumulator = event_accumulator.EventAccumulator(
            str(run), size_guidance={event_accumulator.SCALARS: 0})
        try:
            accumulator.Reload()
        except Exception as exc:  # corrupt event files raise many kinds of errors
            raise InputError(f"{run}: unreadable TensorBoard events ({exc})") from None
        prefix = "" if run == path or path.is_file() else _normalise(str(run.relative_to(path)))
        for tag in accumulator.Tags().get("scalars", []):
            found = canonical_name(tag) or canonical_name(f"{prefix}_{tag}")
            if found is None or found[0] in ("step", "epoch"):
                continue
            canon, rank = found
            if canon in ranks and ranks[canon] <= rank:
                continue
            events = accumulator.Scalars(tag)
            ranks[canon] = rank
            metrics.series[canon] = Series(
                canon, tag, run, np.array([e.step for e in events], dtype=float),
                np.array([e.value for e in events], dtype=float))
    return metrics


def read_log(path: Path) -> Metrics:
    """Read one log, choosing the reader by name and content; any reader error is the
    user's file to fix (a one-line InputError), never a silent probe failure."""
    try:
        return _read_log(path)
    except InputError:
        raise
    except Exception as exc:  # csv, json, numpy and tensorboard raise many kinds
        first = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise InputError(f"{path}: unreadable log ({type(exc).__name__}: {first})") from None


def _read_log(path: Path) -> Metrics:
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir() or "tfevents" in path.name:
        from .quiet import quiet

        with quiet():  # tensorboard logs data-loss warnings of its own
            metrics = _read_tensorboard(path)
        if not metrics.series:  # a corrupt event file reads as no scalars at all
            raise InputError(f"{path}: no readable scalars in the TensorBoard events (corrupt "
                             "or truncated event file?)")
        return metrics
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the log is empty")
    with path.open("rb") as f:
        head = f.read(512).lstrip()
    if path.suffix in (".jsonl", ".ndjson", ".json") or head.startswith(b"{"):
        metrics = _read_jsonl(path)
    else:
        metrics = _read_csv(path)
    if not metrics.series:
        raise InputError(f"{path}: no known metric columns (looked for loss, val_loss, acc, "
                         "val_acc, lr, grad_norm and their usual spellings)")
    return metrics


def read_logs(paths: tuple[Path, ...] | list[Path], ctx: ProbeContext | None = None) -> Metrics:
    """Read and merge several logs; the first log providing a metric wins. Cached per session."""
    key = "logs:" + "|".join(str(Path(p).resolve()) for p in paths)
    if ctx is not None and key in ctx.cache:
        cached: Metrics = ctx.cache[key]
        return cached
    merged = Metrics()
    for path in paths:
        metrics = read_log(Path(path))
        merged.sources.extend(metrics.sources)
        for name, series in metrics.series.items():
            merged.series.setdefault(name, series)
    if ctx is not None:
        ctx.cache[key] = merged
    return merged
