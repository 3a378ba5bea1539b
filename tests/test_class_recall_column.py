"""A class's own recall column (Lightning's ``self.log("val_pvc_recall", …)``) is read as the
validation recall: at 0 under an accuracy of 0.98 it is a rare class never predicted."""

from __future__ import annotations

from pathlib import Path

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of, write_csv_log


def test_a_named_class_recall_of_zero_beside_high_accuracy(tmp_path: Path) -> None:
    epochs = list(range(8))
    log = write_csv_log(tmp_path / "metrics.csv", {
        "epoch": epochs, "train_loss": [0.5 / (e + 1) for e in epochs],
        "val_loss": [0.2 - 0.01 * e for e in epochs], "val_acc": [0.98] * 8,
        "val_pvc_recall": [0.0] * 8})
    facts = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert facts["val.recall_zero"] is True
    assert facts["val.acc_end"] == 0.98


def test_a_validation_loss_that_never_beat_a_guess(tmp_path: Path) -> None:
    """The HF Trainer's eval_loss of a binary classifier stays above ln 2 = 0.693 at every
    evaluation: the model never did better than a guess on held-out data."""
    import torch

    torch.save({"classifier.weight": torch.randn(2, 8), "classifier.bias": torch.zeros(2)},
               tmp_path / "model.pt")
    steps = list(range(0, 48, 4))
    log = write_csv_log(tmp_path / "log.csv", {
        "step": steps, "loss": [4.9, 8.0, 6.7, 5.7, 2.6, 1.0, 1.5, 1.8, 1.4, 1.4, 1.1, 1.1],
        "eval_loss": [0.91, 0.91, 0.91, 0.91, 0.70, 0.70, 0.70, 0.70, 0.72, 0.72, 0.72, 0.72]})
    inputs = Inputs(logs=(log,), checkpoint=tmp_path / "model.pt")
    facts = values_of(check_findings(probe_curves(inputs, ProbeContext()), "log.curves"))
    assert facts["val.loss_at_chance"] is True
