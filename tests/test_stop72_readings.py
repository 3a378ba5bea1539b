"""Readings asked for at stop 72, each on real tensors and files: a regression batch scored by
the error measure nearest the one its log minimised."""

from __future__ import annotations

from pathlib import Path

import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.loss_match import batch_loss_findings
from tests.support import check_findings, write_csv_log


def _batch_reading(tmp_path: Path, logged: float) -> tuple[float, str]:
    """Outputs off by 3 everywhere: MSE 9, L1 3, Huber 2.5, against a log ending at
    ``logged``; (the ratio, its wording)."""
    targets = torch.linspace(40.0, 60.0, 64)
    log = write_csv_log(tmp_path / f"r{logged}.csv", {"epoch": list(range(8)),
                                                      "loss": [logged] * 8})
    found = {f.fact: f for f in check_findings(batch_loss_findings(
        (targets + 3.0).unsqueeze(1), targets.unsqueeze(1), Inputs(logs=(log,)),
        ProbeContext()))}
    reading = found["loss.batch_over_logged"]
    return float(reading.value), reading.evidence


def test_a_regression_batch_is_scored_by_the_measure_nearest_its_log(tmp_path: Path) -> None:
    """An MSE log at 9 reads 1.0 (the MSE's), not 0.28 (the Huber's); a log far below every
    measure keeps the least of them, so ten times the log is ten times by each."""
    ratio, said = _batch_reading(tmp_path, 9.0)
    assert ratio == 1.0 and "MSE" in said
    ratio, said = _batch_reading(tmp_path, 0.1)
    assert ratio == 25.0 and "Huber" in said
