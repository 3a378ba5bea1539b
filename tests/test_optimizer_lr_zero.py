"""A checkpoint saved when a hand-written schedule has reached lr 0: the rate the run trained
at is not in the file, and a healthy run is not "a learning rate too low" for it."""

from __future__ import annotations

from pathlib import Path

import torch

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, values_of


def _checkpoint(tmp_path: Path, final_lr: float) -> Path:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    x, y = torch.randn(32, 4), torch.randint(0, 2, (32,))
    for step in range(20):  # cosine by hand, as nanoGPT-style loops write it
        for group in opt.param_groups:
            group["lr"] = 3e-3 * 0.5 * (1 + torch.cos(torch.tensor(step / 19 * 3.14159)).item())
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    for group in opt.param_groups:
        group["lr"] = final_lr
    path = tmp_path / "ckpt.pt"
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, path)
    return path


def test_an_lr_of_zero_in_every_group_is_no_training_rate(tmp_path: Path) -> None:
    facts = values_of(check_findings(probe_optimizer(
        Inputs(checkpoint=_checkpoint(tmp_path, 0.0)), ProbeContext()), "checkpoint.optimizer"))
    assert facts["optimizer.lr"] is UNKNOWN and facts["optimizer.kind"] == "adam"
    small = values_of(check_findings(probe_optimizer(
        Inputs(checkpoint=_checkpoint(tmp_path, 1e-5)), ProbeContext()), "checkpoint.optimizer"))
    assert small["optimizer.lr"] == 1e-5  # a rate, however small, is read as it is
