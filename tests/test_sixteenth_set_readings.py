"""What the sixteenth hand set showed (stop 32), on a class-sorted Siamese run: a dict batch
whose second input is named otherwise than ``forward``'s argument, a binary task whose last
weight matrix is a 32-wide embedding, and a log that starts after the model had learnt."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.task_info import classes_for, single_label
from tests.support import values_of, write_csv_log

SIAMESE = '''
import torch
from torch import nn


class Siamese(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 32))

    def forward(self, x1, x2):
        return (self.encoder(x1) * self.encoder(x2)).sum(-1)


def build():
    torch.manual_seed(0)
    return Siamese()
'''


def _siamese(tmp_path: Path) -> Inputs:
    (tmp_path / "model.py").write_text(SIAMESE)
    g = torch.Generator().manual_seed(0)
    batch = {"inputs": torch.randn(40, 12, generator=g),
             "inputs_b": torch.randn(40, 12, generator=g),
             "targets": (torch.arange(40) % 2).float()}
    torch.save(batch, tmp_path / "batch.pt")
    model = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 32))
    torch.save({"state_dict": {f"encoder.{k}": v for k, v in model.state_dict().items()}},
               tmp_path / "last.ckpt")
    return Inputs(checkpoint=tmp_path / "last.ckpt", model=f"{tmp_path / 'model.py'}:build",
                  batch=tmp_path / "batch.pt")


def test_a_second_input_under_another_name_is_fed_in_the_order_it_was_saved(tmp_path):
    from dldoctor.probes.live_probes import probe_forward

    facts = values_of(probe_forward(_siamese(tmp_path), ProbeContext()))
    assert facts["batch.size"] == 40
    assert facts["batch.shape_mismatch"] is False  # one score per pair, one target per pair


def test_one_float_0_1_target_per_sample_is_two_classes_whatever_the_last_matrix(tmp_path):
    inputs = _siamese(tmp_path)
    ctx = ProbeContext()
    assert classes_for(inputs, ctx) == 2  # not the embedding's 32
    assert single_label(inputs, ctx, 2) == 2


def test_a_log_that_starts_low_measures_the_gap_against_a_guess(tmp_path):
    """The per-step loss is 0.04 at its first row (step 9, the batches hold one class); the
    validation loss ends at 1.5: 1.2 above training is 1.7 guesses' losses (ln 2), not 30
    times the first logged loss."""
    inputs = _siamese(tmp_path)
    train = [0.04, 0.03, 0.05, 0.2, 0.3, 0.25, 0.3, 0.35, 0.3, 0.3]
    path = write_csv_log(tmp_path / "log.csv", {
        "step": [float(10 * i + 9) for i in range(10)], "loss": train,
        "val_loss": [1.4, 1.5, 1.6, 1.5, 1.4, 1.5, 1.6, 1.5, 1.5, 1.5]})
    facts = values_of(probe_curves(Inputs(logs=(path,), checkpoint=inputs.checkpoint,
                                          batch=inputs.batch), ProbeContext()))
    assert 1.5 < facts["train_val.gap_over_initial"] < 2.0
    alone = values_of(probe_curves(Inputs(logs=(path,)), ProbeContext()))
    assert alone["train_val.gap_over_initial"] > 20  # no task known: the first rows it is


def test_a_log_that_starts_at_a_guess_s_loss_is_measured_against_its_start(tmp_path):
    """0.687 against ln 2 = 0.693: the first row is the untrained model's (not "after the
    model had learnt")."""
    inputs = _siamese(tmp_path)
    path = write_csv_log(tmp_path / "log.csv", {
        "step": [float(i) for i in range(10)],
        "loss": [0.687, 0.687, 0.685, 0.6, 0.4, 0.3, 0.2, 0.15, 0.12, 0.12],
        "val_loss": [0.6, 0.5, 0.5, 0.5, 0.55, 0.58, 0.6, 0.62, 0.62, 0.62]})
    findings = probe_curves(Inputs(logs=(path,), checkpoint=inputs.checkpoint,
                                   batch=inputs.batch), ProbeContext())
    gap = next(f for f in findings if f.fact == "train_val.gap_over_initial")
    assert "of the loss at the start" in str(gap.evidence)
