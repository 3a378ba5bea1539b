"""A recall of 0 at a low loss bounds the missed class's share: each missed sample pays at
least ln 2, so a detector's background-drowned positives read as imbalance from its log."""

from __future__ import annotations

from pathlib import Path

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of, write_csv_log


def _facts(tmp_path: Path, val_loss: list[float], recall: list[float]) -> dict[str, object]:
    n = len(val_loss)
    path = write_csv_log(tmp_path / "log.csv", {
        "epoch": [float(i) for i in range(n)], "loss": [0.2 * 0.8 ** i for i in range(n)],
        "val_loss": val_loss, "val_recall": recall})
    found = probe_curves(Inputs(logs=(path,)), ProbeContext())
    return values_of(check_findings(found, "log.curves"))


def test_zero_recall_at_a_low_loss_bounds_the_class_share(tmp_path: Path) -> None:
    drowned = _facts(tmp_path, [0.037, 0.027, 0.022, 0.019, 0.016, 0.012, 0.01, 0.009],
                     [0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 0.45, 0.57])
    assert drowned["val.recall_zero_at_low_loss"] is True  # 0.016 / ln 2: at most 2.3 %
    # a balanced task whose recall starts at 0: the loss then is near ln 2, no bound
    balanced = _facts(tmp_path, [0.69, 0.6, 0.45, 0.3, 0.2, 0.15, 0.12, 0.1],
                      [0.0, 0.0, 0.4, 0.7, 0.8, 0.85, 0.88, 0.9])
    assert balanced["val.recall_zero_at_low_loss"] is False
    # never about 0: nothing to bound
    fine = _facts(tmp_path, [0.03, 0.02, 0.015, 0.012, 0.01, 0.009, 0.008, 0.008],
                  [0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.8, 0.82])
    assert "val.recall_zero_at_low_loss" not in fine
