"""Stop 84: a Huber regressor whose ``(N, 1)`` targets broadcast against its ``(N,)`` output
ends at what a constant costs under Huber, about half the targets' variance — a broadcast, not
a squeeze the script does itself."""

from __future__ import annotations

import runpy
from pathlib import Path

import torch

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs
from dldoctor.session import Session
from tests.support.stepruns import save_step_run

_HUBER_REGRESSOR = '''
import torch
import torch.nn.functional as F
from torch import nn


class Shrink(nn.Module):
    """Two readings to one shrinkage per piece."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 1))

    def forward(self, x):
        return self.body(x).squeeze(-1)  # one value per piece


def build():
    torch.manual_seed(0)
    return Shrink()


def fit(model, x, y, epochs=30):
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(epochs):
        total = 0.0
        for i in range(0, len(x), 32):
            loss = F.smooth_l1_loss(model(x[i:i + 32]), y[i:i + 32])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(x[i:i + 32])
        losses.append(total / len(x))
    return opt, losses
'''


def _huber_run(folder: Path, column: bool) -> dict[str, float]:
    """Train the Huber regressor with targets as a ``(N, 1)`` column (``column``) or as
    ``(N,)``; diagnose checkpoint, log, model file and a saved batch of column targets."""
    folder.mkdir(parents=True)
    source = folder / "shrink.py"
    source.write_text(_HUBER_REGRESSOR, "utf-8")
    spec = runpy.run_path(str(source))
    torch.manual_seed(1)
    x = torch.randn(512, 4)
    y = 0.6 * x[:, 0] - 0.4 * x[:, 1] * x[:, 2]  # std about 0.7, like set 365's targets
    model = spec["build"]()
    opt, losses = spec["fit"](model, x, y.unsqueeze(1) if column else y)
    checkpoint, log = save_step_run(folder, model, opt,
                                    {"epoch": list(range(len(losses))), "loss": losses})
    torch.save((x[:64], y[:64].unsqueeze(1)), folder / "batch.pt")
    inputs = Inputs(model=f"{source}:build", batch=folder / "batch.pt", checkpoint=checkpoint,
                    logs=(log,), device="cpu")
    session = Session(load_knowledge(), inputs)
    session.run_probes()
    return {d["cause"]: d["confidence"] for d in session.report().to_json()["diagnoses"]}


def test_a_huber_loss_that_ends_at_a_constant_s_cost_is_a_broadcast(tmp_path: Path) -> None:
    """Set 365's GRU regressor, made small: Huber against a target column sits at 0.25 (the
    cost of the median under Huber) while the targets' variance is 0.5; the floor read as
    the variance had said the script squeezes its targets itself, and labels_wrong came
    first."""
    found = _huber_run(tmp_path / "column", column=True)
    assert found.get("shape_or_dtype_bug", 0.0) >= 0.5
    assert max(found, key=lambda c: found[c]) == "shape_or_dtype_bug"
    assert found.get("labels_wrong", 0.0) < 0.5


def test_a_huber_regressor_that_squeezes_its_targets_itself_is_no_broadcast(
        tmp_path: Path) -> None:
    """The same model trained on ``(N,)`` targets: its loss falls far under what a constant
    costs, so the saved column of targets is the script's layout, not a broadcast."""
    found = _huber_run(tmp_path / "aligned", column=False)
    assert found.get("shape_or_dtype_bug", 0.0) < 0.5
