"""How the loss reached its first NaN: in one update from its usual level (the loss formula on
one batch) or after a climb (the rate). Two tiny real runs, logged per step with the gradient
norm, as most loops log them."""

from __future__ import annotations

import math
from pathlib import Path

import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of
from tests.support.stepruns import beliefs, save_step_run


def _train(folder: Path, *, unsafe_log: bool) -> tuple[Path, Path]:
    """A small MLP on noisy binary labels. ``unsafe_log``: a hand-written BCE on sigmoid
    outputs without a clamp, under Adam's 0.05 (NaN once one probability saturates);
    otherwise an MSE on targets 0/10 under plain SGD at lr 0.3 (the loss climbs for a
    few steps, then overflows)."""
    torch.manual_seed(0)
    x = torch.randn(256, 8)
    y = (x[:, 0] > 0).float()
    flip = torch.rand(256) < 0.15
    y[flip] = 1 - y[flip]
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05) if unsafe_log else \
        torch.optim.SGD(model.parameters(), lr=0.3)
    steps: list[float | None] = []
    losses: list[float | None] = []
    norms: list[float | None] = []
    for step in range(400):
        i = torch.randint(0, 256, (32,))
        logits = model(x[i]).squeeze(1)
        if unsafe_log:
            p = torch.sigmoid(logits)
            loss = -(y[i] * torch.log(p) + (1 - y[i]) * torch.log(1 - p)).mean()
        else:
            loss = torch.nn.functional.mse_loss(logits, y[i] * 10)
        optimizer.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf"))
        optimizer.step()
        steps.append(step)
        losses.append(float(loss.detach()))
        norms.append(float(norm))
        if not math.isfinite(losses[-1]):
            break
    assert not math.isfinite(losses[-1])
    return save_step_run(folder, model, optimizer, 
                         {"step": steps, "loss": losses, "grad_norm": norms})



def test_a_nan_from_the_usual_level_is_the_loss_formula(tmp_path: Path) -> None:
    checkpoint, log = _train(tmp_path, unsafe_log=True)
    facts = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert facts["loss.non_finite_without_blowup"] is True
    assert facts["loss.near_zero"] is False  # not the "fell to 0, then NaN" pattern
    belief = beliefs(checkpoint, log)
    assert belief["numerical_log_or_div_zero"] >= 0.5
    assert belief.get("lr_too_high", 0.0) < belief["numerical_log_or_div_zero"]


def test_a_nan_after_a_climb_is_not(tmp_path: Path) -> None:
    checkpoint, log = _train(tmp_path / "sgd", unsafe_log=False)
    facts = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert facts["loss.non_finite_without_blowup"] is False
    belief = beliefs(checkpoint, log)
    assert max(belief, key=lambda c: belief[c]) != "numerical_log_or_div_zero"
