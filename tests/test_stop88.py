"""Stop 88: readings from sets 416–418, each test seen failing on the code before its change."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support.stepruns import save_step_run


def _four_class_run(folder: Path, loss_column: str) -> tuple[Path, Path]:
    """An MLP over 4 classes (8 % of the labels drawn at random) trained 20 epochs with Adam;
    its per-epoch training cross-entropy, logged as ``loss_column``, and validation
    accuracy, beside its checkpoint."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(600, 8, generator=g)
    y = (x[:, :2] @ torch.tensor([[1.0, -1.0], [0.5, 1.0]])).argmax(1) * 2 + (x[:, 2] > 0).long()
    drawn = torch.randint(0, 4, (600,), generator=g)
    y = torch.where(torch.rand(600, generator=g) < 0.08, drawn, y)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    columns: dict[str, list[float]] = {"epoch": [], loss_column: [], "val_acc": []}
    for epoch in range(20):
        total = 0.0
        for rows in torch.randperm(480, generator=g).split(32):
            loss = nn.functional.cross_entropy(model(x[rows]), y[rows])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        with torch.no_grad():
            columns["val_acc"].append((model(x[480:]).argmax(1) == y[480:]).float().mean().item())
        columns["epoch"].append(epoch)
        columns[loss_column].append(total / 15)
    return save_step_run(folder, model, opt, columns)


@pytest.mark.parametrize(("column", "below"), [("ce", True), ("bce", False)])
def test_a_logged_cross_entropy_beside_a_wide_head_is_priced_over_its_classes(
        tmp_path: Path, column: str, below: bool) -> None:
    """Set 416's acrospire CNN from checkpoint and log: a training ``ce`` ending at 0.43 with a
    validation accuracy beside a 4-wide head is below what 4 classes' logits fed
    probabilities reach (0.74): the loss fits its labels. Read as 2 classes' floor (0.31) it
    was not, and a validation accuracy that fell read as a flipped sign 0.75. The same loss
    named a BCE is no single-label cross-entropy: no count of classes is assumed."""
    checkpoint, log = _four_class_run(tmp_path, column)
    found = {f.fact: f.value for f in probe_curves(Inputs(checkpoint=checkpoint, logs=(log,)),
                                                   ProbeContext())}
    assert found.get("loss.below_logit_loss_floor") is below
