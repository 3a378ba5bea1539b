"""What the seventeenth new user's distillation student showed: ``F.kl_div`` given the
student's probabilities logs a ``kd_loss`` below zero at every step, and the total loss falls
because that term does — read as over-fitting 72 % beside a falling training loss, with the
KL cause second. And a validation curve "bottoming at 1.89 (epoch 0)" whose lowest point was
1.72 at epoch 1. A tiny real distillation, bug and control."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes import curves
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of
from tests.support.writers import write_csv_log


def _distil(folder: Path, log_probs: bool) -> Path:
    torch.manual_seed(0)
    x = torch.randn(512, 12)
    y = (x[:, :4].sum(1) > 0).long() + 2 * (x[:, 4] > 0).long()
    teacher = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 4))
    t_opt = torch.optim.Adam(teacher.parameters(), lr=1e-2)
    for _ in range(60):
        loss = F.cross_entropy(teacher(x), y)
        t_opt.zero_grad()
        loss.backward()
        t_opt.step()
    student = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 4))
    opt = torch.optim.Adam(student.parameters(), lr=1e-3)
    rows: dict[str, list[float | None]] = {"step": [], "loss": [], "kd_loss": [], "ce_loss": []}
    for step in range(60):
        i = (step * 64) % 512
        with torch.no_grad():
            soft = F.softmax(teacher(x[i:i + 64]) / 4, 1)
        logits = student(x[i:i + 64])
        given = F.log_softmax(logits / 4, 1) if log_probs else F.softmax(logits / 4, 1)
        kd = F.kl_div(given, soft, reduction="batchmean") * 16
        ce = F.cross_entropy(logits, y[i:i + 64])
        loss = 0.9 * kd + 0.1 * ce
        opt.zero_grad()
        loss.backward()
        opt.step()
        for key, value in zip(rows, (step, loss, kd, ce), strict=True):
            rows[key].append(float(value.detach()) if torch.is_tensor(value) else value)
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv_log(folder / "kd_log.csv", rows)


def test_a_kd_loss_below_zero_is_a_kl_fed_probabilities(tmp_path: Path) -> None:
    bug = values_of(check_findings(probe_curves(
        Inputs(logs=(_distil(tmp_path / "bug", False),)), ProbeContext()), "log.curves"))
    assert bug["loss.kl_part_negative"] is True
    control = values_of(check_findings(probe_curves(
        Inputs(logs=(_distil(tmp_path / "ok", True),)), ProbeContext()), "log.curves"))
    assert control["loss.kl_part_negative"] is False


def test_a_curve_turning_up_names_its_own_lowest_point() -> None:
    values = np.array([1.89, 1.72, 2.55, 2.93, 3.02, 3.07, 2.96, 2.94, 2.97, 3.01])
    low = curves.turn_up(values)
    assert low is not None and curves.lowest_near(values, low) == 1
