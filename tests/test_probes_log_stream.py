"""Huge logs stream: bulk reading agrees with the row-by-row reader, exact first NaN and
extremes, bounded memory, no torch; long curves smooth in linear time."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from dldoctor.probes import curves, log_columns
from dldoctor.probes.log_columns import read_csv_columns
from dldoctor.probes.logs import canonical_name, read_log

_MESSY = (
    "step;loss;val_loss;note;lr\n"
    "0;2.5;;start;0.1\n"
    "\n"
    "1;NaN;;;0.1\n"
    "2; 2.0 ;1.9;x;\n"
    ";inf;;;0.1\n"
    "4;-Infinity;2.2;;0.05\n"
    "5;word;;;0.05\n"
)


def _known(column: str) -> bool:
    return canonical_name(column) is not None


def _as_lists(path: Path, slow: bool) -> dict[str, tuple[list[int], list[float]]]:
    """Every column through the bulk reader or the row-by-row one."""
    if slow:
        dialect, header = log_columns._header(path, path.read_text())
        keep = [i for i, name in enumerate(header) if _known(name)]
        cols = log_columns._slow_csv(path, dialect, keep, [header[i] for i in keep])
    else:
        cols = read_csv_columns(path, _known)
    out = {}
    for name, (rows, values) in cols.data.items():
        rows = np.arange(1, cols.rows + 1) if rows is None else rows
        out[name] = (rows.tolist(), [repr(v) for v in values.tolist()])
    return out


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_bulk_reader_agrees_with_row_by_row(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "messy.csv"
    path.write_bytes(_MESSY.replace("\n", newline).encode())
    fast, slow = _as_lists(path, False), _as_lists(path, True)
    assert fast == slow
    assert fast["loss"][0] == [1, 2, 3, 4, 5]  # blank line skipped, "word" missing
    assert fast["loss"][1] == ["2.5", "nan", "2.0", "inf", "-inf"]
    series = read_log(path).series["loss"]
    assert series.steps.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]  # no step in row 4: row - 1


def _big_log(path: Path, n: int, bad: int) -> Path:
    rng = np.random.default_rng(0)
    loss = 2 * np.exp(-np.arange(n) / (n / 5)) + 0.05 * rng.standard_normal(n) + 0.1
    loss[n // 3] = 40.0  # the one extreme
    text = ["step,epoch,loss,lr,val_loss"]
    for i in range(n):
        val = f"{loss[i] + 0.1:.5g}" if i % 1000 == 0 else ""
        text.append(f"{i},{i // 5000},{'nan' if i == bad else f'{loss[i]:.6g}'},0.001,{val}")
    path.write_text("\n".join(text) + "\n")
    return path


def test_big_log_exact_nan_and_extremes_in_bounded_memory(tmp_path: Path) -> None:
    n, bad = 120_000, 87_654
    path = _big_log(tmp_path / "big.csv", n, bad)
    tracemalloc.start()
    metrics = read_log(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    loss = metrics.series["loss"]
    assert peak < 300 * n  # bytes per row: a few float columns, no Python object per cell
    assert loss.values.size == n and curves.first_non_finite(loss.values) == bad
    assert loss.steps[bad] == bad and int(loss.rows[bad]) == bad + 1
    assert metrics.series["val_loss"].values.size == n // 1000
    thin = loss.thinned(1000)
    assert thin.values.size <= 1000
    assert np.nanmax(thin.values) == 40.0 and np.nanmin(thin.values) == np.nanmin(loss.values)
    assert curves.first_non_finite(thin.values) is not None and bad in thin.steps


def test_log_probe_reads_a_csv_without_torch(tmp_path: Path) -> None:
    path = _big_log(tmp_path / "big.csv", 50_000, 40_000)
    code = ("import sys, json\nfrom pathlib import Path\n"
            "from dldoctor.probes.base import Inputs, ProbeContext\n"
            "from dldoctor.probes.log_probes import probe_curves\n"
            f"found = probe_curves(Inputs(logs=(Path({str(path)!r}),)), ProbeContext())\n"
            "step = [f.value for f in found if f.fact == 'loss.non_finite_step']\n"
            "print(json.dumps([step, 'torch' in sys.modules]))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300, check=True)
    assert json.loads(out.stdout) == [[40000.0], False]


def test_long_curves_smooth_in_linear_time_close_to_the_exact_median() -> None:
    rng = np.random.default_rng(1)
    n = 40_000
    curve = np.exp(-np.arange(n) / 8000) + 0.1 * rng.standard_normal(n)
    width = n // 20 + 1
    assert n * width > curves.EXACT_MEDIAN_CELLS  # the block path
    approx, exact = curves.smooth(curve), curves._rolling_median(curve, width)
    inner = slice(width, n - width)  # the exact one repeats the end values at the edges
    assert np.max(np.abs(approx[inner] - exact[inner])) < 0.03
    tracemalloc.start()
    curves.smooth(np.tile(curve, 25))  # a million points
    assert tracemalloc.get_traced_memory()[1] < 100 * 1_000_000
    tracemalloc.stop()


def test_epoch_periodicity_unchanged_by_running_sums() -> None:
    rng = np.random.default_rng(2)
    pattern = np.sin(np.linspace(0, 6, 50))
    values = np.tile(pattern, 8) + 0.05 * rng.standard_normal(400) + np.linspace(3, 1, 400)
    period = 50
    reference = np.convolve(np.pad(values, (25, 24), mode="edge"), np.ones(50) / 50, "valid")
    assert np.allclose(curves._moving_mean(values, period), reference)
    assert curves.epoch_periodicity(values, period) > curves.PERIODIC_CORRELATION
