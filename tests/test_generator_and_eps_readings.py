"""What the twenty-third hand set showed (bench/hand/twentythird): a pix2pix log's
``loss_G_L1`` column was no training loss (nothing read at all), and an L1 of 28 at raw 0–255
targets said nothing; ``Adam(eps=1.0)`` made each step lr·m̂/eps — a "tiny update" read as
dead units and the rate as fine. Tiny real runs of each, bug and control."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, values_of
from tests.support.writers import write_csv_log


def _generator_run(folder: Path, scale: float) -> Path:
    """A small conv generator with a tanh output, L1 to targets in [0, 1] × ``scale``."""
    torch.manual_seed(0)
    x = torch.rand(64, 1, 8, 8)
    y = (x.flip(-1) > 0.5).float() * scale
    net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 3, padding=1),
                        nn.Tanh())
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    rows: dict[str, list[float | None]] = {"epoch": [], "iters": [], "loss_G_L1": [],
                                           "val_L1": []}
    for epoch in range(8):
        total = 0.0
        for i in range(0, 48, 8):
            loss = (net(x[i:i + 8]) - y[i:i + 8]).abs().mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) / 6
        with torch.no_grad():
            val = float((net(x[48:]) - y[48:]).abs().mean())
        for key, value in zip(rows, (epoch, (epoch + 1) * 6, total, val), strict=True):
            rows[key].append(value)
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv_log(folder / "p2p_log.csv", rows)


def test_a_pix2pix_l1_column_is_the_training_loss_and_raw_targets_show(tmp_path: Path) -> None:
    raw = values_of(check_findings(probe_curves(
        Inputs(logs=(_generator_run(tmp_path / "raw", 255.0),)), ProbeContext()), "log.curves"))
    assert raw["loss.regression_level_high"] is True
    assert raw["loss.plateau"] is True  # a tanh output cannot reach 255: the loss stays put
    unit = values_of(check_findings(probe_curves(
        Inputs(logs=(_generator_run(tmp_path / "unit", 1.0),)), ProbeContext()), "log.curves"))
    assert unit["loss.regression_level_high"] is False


def _eps_run(folder: Path, eps: float) -> Path:
    torch.manual_seed(0)
    x = torch.randn(512, 6)
    y = (x[:, :1] * 0.5 + x[:, 1:2] ** 2) * 0.3
    net = nn.Sequential(nn.Linear(6, 32), nn.Tanh(), nn.Linear(32, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=eps)
    for step in range(120):
        i = (step * 32) % 512
        loss = nn.functional.mse_loss(net(x[i:i + 32]), y[i:i + 32])
        opt.zero_grad()
        loss.backward()
        opt.step()
    folder.mkdir(parents=True, exist_ok=True)
    torch.save({"model": net.state_dict(), "optimizer": opt.state_dict()}, folder / "ck.pt")
    return folder / "ck.pt"


def test_an_adam_eps_far_above_the_gradients_scale_is_measured(tmp_path: Path) -> None:
    big = values_of(check_findings(probe_optimizer(
        Inputs(checkpoint=_eps_run(tmp_path / "big", 1.0)), ProbeContext()),
        "checkpoint.optimizer"))
    assert big["optimizer.eps"] == 1.0 and big["optimizer.eps_over_root_v"] >= 10
    default = values_of(check_findings(probe_optimizer(
        Inputs(checkpoint=_eps_run(tmp_path / "default", 1e-8)), ProbeContext()),
        "checkpoint.optimizer"))
    assert default["optimizer.eps_over_root_v"] < 1e-3
