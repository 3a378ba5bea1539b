"""A log of a few epochs is too short for the loss curve's shape (plateau, oscillation,
over-fitting need eight points), but a loss that only fell did not diverge or climb,
whatever the length: the tenth hand set's six-epoch ResNet, whose validation loss ends well
below its training loss, had that reading pending for want of "not diverged"."""

from __future__ import annotations

from pathlib import Path

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, train_tiny, values_of, write_csv_log


def _facts(tmp_path: Path, train_loss: list[float]) -> dict:
    run_ = train_tiny(tmp_path / "run", None, steps=12)
    n = len(train_loss)
    log = write_csv_log(tmp_path / "log.csv", {
        "epoch": list(range(n)), "train_loss": train_loss,
        "val_loss": [v * 0.8 for v in train_loss]})
    inputs = Inputs(checkpoint=run_.checkpoint, logs=(log,))
    return values_of(check_findings(probe_curves(inputs, ProbeContext()), "log.curves"))


def test_a_short_log_that_only_falls_did_not_diverge(tmp_path: Path) -> None:
    facts = _facts(tmp_path / "falls", [2.19, 2.07, 1.98, 1.91, 1.88, 1.85])
    assert facts["loss.diverged"] is False and facts["loss.rising"] is False
    assert "loss.plateau" not in facts  # the shape itself still needs a longer log


def test_a_short_log_that_rises_anywhere_is_left_unjudged(tmp_path: Path) -> None:
    facts = _facts(tmp_path / "bumps", [2.19, 2.4, 1.98, 1.91, 1.88, 1.85])
    assert "loss.diverged" not in facts and "loss.rising" not in facts
