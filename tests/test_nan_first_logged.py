"""A loss logged every 8 steps that is NaN at its first row may have been a number for 7
steps: "NaN from the very first step" (a formula that is NaN for any weights) is unknown,
not true (a new user's SGD lr=10 run read as a missing eps, ahead of the rate)."""

from __future__ import annotations

import math
from pathlib import Path

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of, write_csv_log


def _facts(tmp_path: Path, first_step: int) -> dict[str, object]:
    steps = list(range(first_step, first_step + 8 * 20, 8))
    log = write_csv_log(tmp_path / f"log{first_step}.csv",
                        {"step": steps, "loss": [math.nan] * len(steps)})
    return values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                    "log.curves"))


def test_nan_at_a_later_first_row_is_not_nan_from_the_start(tmp_path: Path) -> None:
    assert _facts(tmp_path, 8)["loss.non_finite_at_start"] is UNKNOWN


def test_nan_at_step_zero_is(tmp_path: Path) -> None:
    assert _facts(tmp_path, 0)["loss.non_finite_at_start"] is True


def _epoch_facts(tmp_path: Path, columns: dict[str, list[float]]) -> dict[str, object]:
    log = write_csv_log(tmp_path / "epochs.csv", columns)
    return values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                    "log.curves"))


def test_nan_in_the_second_epoch_row_is_no_update_count(tmp_path: Path) -> None:
    """One row per epoch and no step column: "step 1" is the second epoch, hundreds of updates
    in, not the second update (a ResNet trained in eval mode read as NaN within 100 updates,
    lr_too_high 0.62)."""
    facts = _epoch_facts(tmp_path, {"epoch": [0, 1, 2, 3, 4, 5],
                                    "train_loss": [0.34] + [math.nan] * 5})
    assert facts["loss.non_finite"] is True
    assert facts["loss.non_finite_step"] is UNKNOWN


def test_a_per_epoch_row_with_the_global_step_keeps_it(tmp_path: Path) -> None:
    """Lightning writes the global step beside the epoch: that is an update count."""
    facts = _epoch_facts(tmp_path, {"epoch": [0, 1, 2, 3, 4, 5],
                                    "step": [23, 47, 71, 95, 119, 143],
                                    "train_loss": [0.34] + [math.nan] * 5})
    assert facts["loss.non_finite_step"] == 47
