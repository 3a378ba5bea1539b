"""The loss the run logged, matched against the trained model's probabilities on the batch: a
sigmoid model trained with BCEWithLogitsLoss logs what its probabilities cost under a second
sigmoid (a two-tower click model and a U-Net had read nothing, or a one-class batch)."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.loss_match import loss_match_findings
from tests.support import write_csv_log


def _run(tmp_path: Path, with_logits: bool) -> object:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(512, 6, generator=gen)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).float()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for step in range(150):
        idx = torch.arange(step * 64, step * 64 + 64) % 512
        p = model(x[idx]).squeeze(1)
        loss = F.binary_cross_entropy_with_logits(p, y[idx]) if with_logits else \
            F.binary_cross_entropy(p, y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    log = write_csv_log(tmp_path / f"log{with_logits}.csv",
                        {"step": list(range(150)), "loss": losses})
    with torch.no_grad():
        out = model(x[:256]).squeeze(1)
    found = loss_match_findings(out, y[:256], Inputs(logs=(log,)), ProbeContext())
    return found[0].value if found else None


def test_probabilities_fed_to_bce_with_logits_are_recognised(tmp_path: Path) -> None:
    assert _run(tmp_path, with_logits=True) is True


def test_probabilities_scored_with_bce_are_not(tmp_path: Path) -> None:
    assert _run(tmp_path, with_logits=False) is False
