"""A training loss that only wobbles is not 'falling': validation accuracy that drifts down
beside it is no sign of a flipped loss (a frozen GRU of my own was read as loss_sign_error)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of, write_csv_log


def _facts(tmp_path: Path, loss: list[float], acc: list[float]) -> dict[str, object]:
    steps = list(range(len(loss)))
    val_acc: list[float | None] = [None] * len(loss)
    for i, a in zip(range(9, len(loss), 10), acc, strict=False):
        val_acc[i] = a
    log = write_csv_log(tmp_path / "log.csv", {"step": steps, "train_loss": loss,
                                              "val_acc": val_acc})
    return values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                    "log.curves"))


def test_a_flat_loss_beside_falling_accuracy_is_not_falling(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    flat = list(1.10 + 0.02 * rng.standard_normal(100))
    flat[50:] = [v - 0.005 for v in flat[50:]]  # the second half's median a hair lower
    acc = [0.40, 0.38, 0.36, 0.35, 0.34, 0.33, 0.32, 0.31, 0.30, 0.30]
    assert _facts(tmp_path, flat, acc)["metric.acc_falls_while_loss_falls"] is False


def test_a_falling_loss_beside_falling_accuracy_is(tmp_path: Path) -> None:
    falling = list(np.linspace(1.1, 0.3, 100))
    acc = [0.40, 0.38, 0.36, 0.35, 0.34, 0.33, 0.32, 0.31, 0.30, 0.30]
    assert _facts(tmp_path, falling, acc)["metric.acc_falls_while_loss_falls"] is True


def test_one_lucky_first_evaluation_is_no_fall(tmp_path: Path) -> None:
    """A run in eval mode by mistake (fifth hand set): its first validation accuracy, 0.56,
    was a fluke; the next ones sit near 0.25 and then climb to 0.42 as the loss falls. That
    read as a flipped loss at 0.75 when only the first value was compared with the end."""
    falling = list(np.linspace(1.4, 1.2, 100))
    acc = [0.56, 0.27, 0.24, 0.35, 0.27, 0.32, 0.41, 0.42, 0.42, 0.42]
    assert _facts(tmp_path, falling, acc)["metric.acc_falls_while_loss_falls"] is False


def test_accuracy_jittering_at_chance_is_no_fall(tmp_path: Path) -> None:
    """Gradient accumulation without dividing the loss (fresh hand set): the loss wobbles
    between 1.2 and 2.0 around ln 4, and validation accuracy jitters by about 0.03 between
    evaluations around chance (0.28 → 0.21). That read as a flipped loss at 0.75; a drop of
    2.3× the evaluations' own jitter is noise."""
    rng = np.random.default_rng(1)
    noisy = list(1.6 - 0.002 * np.arange(160) + 0.25 * rng.standard_normal(160))
    acc = [0.28, 0.277, 0.25, 0.28, 0.28, 0.37, 0.207, 0.237, 0.207, 0.277, 0.28, 0.277,
           0.28, 0.207, 0.237, 0.207]
    assert _facts(tmp_path, noisy, acc)["metric.acc_falls_while_loss_falls"] is False


def test_a_flat_loss_that_rises_a_hair_says_higher(tmp_path: Path) -> None:
    """'from 1.37 to 1.38 (-0.3% lower)' read wrong to a new user: a tiny rise says higher."""
    flat = [1.37] * 50 + [1.3741] * 50
    log = write_csv_log(tmp_path / "log.csv", {"step": list(range(100)), "train_loss": flat})
    found = check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()), "log.curves")
    plateau = next(f for f in found if f.fact == "loss.plateau")
    assert plateau.value is True
    assert "higher" in str(plateau.evidence) and "lower" not in str(plateau.evidence)
