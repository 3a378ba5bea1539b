"""A logged gradient norm that is a running sum (``.grad`` never cleared) against one that is
each batch's own. Three tiny real runs, logged per step with the norm over model.parameters()
as most loops clip and log it."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of
from tests.support.stepruns import beliefs, save_step_run


def _train(folder: Path, bug: str) -> tuple[Path, Path]:
    """An MLP classifier under SGD + momentum 0.01; ``bug``: "none", "no_zero_grad" (the
    call is missing) or "body_not_optimized" (the first layer is left out of the optimizer,
    still requiring grad)."""
    torch.manual_seed(0)
    x = torch.randn(512, 10)
    y = (x[:, :3].sum(1) > 0).long() + (x[:, 3] > 1).long()
    model = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.ReLU(), torch.nn.Linear(32, 3))
    params = model[2].parameters() if bug == "body_not_optimized" else model.parameters()
    optimizer = torch.optim.SGD(params, lr=0.01, momentum=0.9)
    steps: list[float | None] = []
    losses: list[float | None] = []
    norms: list[float | None] = []
    for step in range(120):
        i = torch.randint(0, 512, (32,))
        loss = torch.nn.functional.cross_entropy(model(x[i]), y[i])
        if bug != "no_zero_grad":
            optimizer.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf"))
        optimizer.step()
        steps.append(step)
        losses.append(float(loss.detach()))
        norms.append(float(norm))
    return save_step_run(folder, model, optimizer, 
                         {"step": steps, "loss": losses, "grad_norm": norms})



@pytest.mark.parametrize(("bug", "accumulates"), [
    ("none", False), ("no_zero_grad", True), ("body_not_optimized", True)])
def test_the_norm_of_a_running_sum_is_told_from_a_batchs(tmp_path: Path, bug: str,
                                                          accumulates: bool) -> None:
    _, log = _train(tmp_path, bug)
    facts = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert facts["grad.norm_accumulates"] is accumulates


def test_gradients_never_cleared_are_named(tmp_path: Path) -> None:
    belief = beliefs(*_train(tmp_path, "no_zero_grad"))
    assert max(belief, key=lambda c: belief[c]) == "missing_zero_grad"
    assert belief["missing_zero_grad"] >= 0.5


def test_a_sum_from_parameters_outside_the_optimizer_is_not_a_missing_zero_grad(
        tmp_path: Path) -> None:
    belief = beliefs(*_train(tmp_path, "body_not_optimized"))
    assert belief.get("missing_zero_grad", 0.0) < 0.2
