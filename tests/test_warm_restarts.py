"""Cosine annealing with warm restarts (SGDR): validation jumps at every restart while
training improves. That is the schedule, not a rate too high (fifth hand set's healthy wafer
CNN raised lr_too_high 0.81 from it)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of, write_csv_log


def _log(tmp_path: Path, restarts: bool) -> Path:
    steps = list(range(0, 400, 10))
    period = 100 if restarts else 10_000
    lr = [0.0025 + 0.0475 * (1 + math.cos(math.pi * (s % period) / period)) / 2 for s in steps]
    train = [2.0 * math.exp(-s / 120) + 0.05 for s in steps]
    rng = np.random.default_rng(0)
    val: list[float | None] = []
    for s in steps:  # every 40 steps; jumps after each restart, down in between
        val.append(None if s % 40 else 1.2 * math.exp(-s / 200) + 0.3 * (s % 100 < 40)
                   + 0.05 * float(rng.standard_normal()))
    return write_csv_log(tmp_path / "metrics.csv", {"step": steps, "lr": lr,
                                                    "train_loss": train, "val_loss": val})


def _oscillating(log: Path) -> object:
    found = check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()), "log.curves")
    return values_of(found).get("val.oscillating")


def test_validation_jumps_at_warm_restarts_are_the_schedules(tmp_path: Path) -> None:
    assert _oscillating(_log(tmp_path, restarts=True)) is UNKNOWN


def test_the_same_jumps_without_restarts_still_count(tmp_path: Path) -> None:
    assert _oscillating(_log(tmp_path, restarts=False)) is True
