"""What the fourteenth hand set showed (stop 31): a mixture density network's negative
log-likelihood goes below zero where its density is above 1 — healthy when it settles, a log
underflow when it breaks to NaN from a value back above its low."""

from __future__ import annotations

from pathlib import Path

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of, write_csv_log


def _facts(tmp_path: Path, columns: dict[str, list[float]]) -> dict[str, object]:
    n = len(next(iter(columns.values())))
    path = write_csv_log(tmp_path / "log.csv", {"epoch": [float(i) for i in range(n)], **columns})
    return values_of(check_findings(probe_curves(Inputs(logs=(path,)), ProbeContext()),
                                    "log.curves"))


SETTLES = [-0.12, -0.55, -0.93, -0.75, -0.73, -0.71, -0.86, -0.87, -0.87, -0.87, -0.87, -0.87]


def test_a_negative_nll_without_accuracy_is_a_density(tmp_path: Path) -> None:
    facts = _facts(tmp_path, {"train_nll": SETTLES})
    assert facts["loss.density_nll"] is True and facts["loss.negative"] is True
    assert facts["loss.unbounded_below"] is False
    # an accuracy beside it says classifier: NLLLoss fed probabilities settles below 0 too
    scored = _facts(tmp_path, {"train_nll": SETTLES, "val_acc": [0.5] * len(SETTLES)})
    assert "loss.density_nll" not in scored
    assert "loss.density_nll" not in _facts(tmp_path, {"loss": SETTLES})


def test_a_nan_after_the_loss_came_back_up_is_no_run_off(tmp_path: Path) -> None:
    nan = float("nan")
    broke = _facts(tmp_path, {"train_nll": [-0.12, -0.55, -0.81, -0.75, -0.73, -0.71, -0.55,
                                            nan, nan, nan]})
    assert broke.get("loss.unbounded_below") is not True
    ran_off = _facts(tmp_path, {"loss": [-0.1, -1.0, -10.0, -100.0, -1e4, -1e6, nan, nan]})
    assert ran_off["loss.unbounded_below"] is True
