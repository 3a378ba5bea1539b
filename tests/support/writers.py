"""Write metrics logs in the formats dldoctor reads."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path


def _rows(columns: Mapping[str, Sequence[float | None]]) -> list[dict[str, float | None]]:
    length = max(len(v) for v in columns.values())
    return [{k: (v[i] if i < len(v) else None) for k, v in columns.items()} for i in range(length)]


def write_csv_log(path: Path, columns: Mapping[str, Sequence[float | None]]) -> Path:
    """One column per metric; None leaves a cell empty (e.g. validation between epochs)."""
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(list(columns))
        for row in _rows(columns):
            writer.writerow(["" if v is None else v for v in row.values()])
    return path


def write_jsonl_log(path: Path, columns: Mapping[str, Sequence[float | None]]) -> Path:
    """One JSON object per row; missing values are left out of the row."""
    with path.open("w") as f:
        for row in _rows(columns):
            record = {k: v for k, v in row.items() if v is not None}
            f.write(json.dumps(record, allow_nan=True) + "\n")
    return path


def write_tensorboard_log(folder: Path, columns: Mapping[str, Sequence[float | None]],
                          step_column: str = "step") -> Path:
    """Scalars under their column names as tags, at the step column's steps."""
    from torch.utils.tensorboard import SummaryWriter

    writer = SummaryWriter(str(folder))
    steps = columns.get(step_column) or range(max(len(v) for v in columns.values()))
    for tag, values in columns.items():
        if tag == step_column:
            continue
        for step, value in zip(steps, values, strict=False):
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                writer.add_scalar(tag, value, int(step))
    writer.close()
    return folder
