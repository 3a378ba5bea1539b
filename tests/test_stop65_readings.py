"""Stop 65: one answer predicted for everything scores that answer's share of the data, a
guess's accuracy whatever 1/C of the head's width is — a multi-label head's per-label
accuracy held at the positives' share is at chance, not above a five-class 0.2."""

from __future__ import annotations

import csv
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of


def _tagger_run(tmp_path: Path, dead: bool) -> tuple[Path, list[float]]:
    """A five-label tagger trained 60 Adam steps on labels drawn from its inputs, its
    per-label validation accuracy logged every 6 steps. ``dead``: the hidden ReLUs start
    with a bias of -50, so the output is the head's bias alone — one answer for every
    sample."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(640, 8, generator=gen)
    y = (x[:, :5] > 0.2).float()  # each label from one input: ~42 % positives
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 5))
    with torch.no_grad():
        if dead:
            model[0].bias.fill_(-50.0)
            model[2].bias.fill_(1.0)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2 if not dead else 1e-3)
    rows, accs = [], []
    for step in range(60):
        xb, yb = x[(step % 8) * 64:(step % 8 + 1) * 64], y[(step % 8) * 64:(step % 8 + 1) * 64]
        loss = F.binary_cross_entropy_with_logits(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 6 == 5:
            with torch.no_grad():
                acc = float(((model(x[512:]) > 0).float() == y[512:]).float().mean())
            rows.append((step, loss.item(), acc))
            accs.append(acc)
    with (tmp_path / "log.csv").open("w", newline="") as f:
        csv.writer(f).writerows([("step", "loss", "val_label_acc"), *rows])
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, tmp_path / "run.pt")
    return tmp_path, accs


def _at_chance(run: Path) -> tuple[object, str]:
    found = check_findings(probe_curves(Inputs(checkpoint=run / "run.pt",
                                               logs=(run / "log.csv",)), ProbeContext()),
                           "log.curves")
    evidence = next(f.evidence for f in found if f.fact == "val.acc_at_chance")
    return values_of(found)["val.acc_at_chance"], evidence


def test_one_answer_for_everything_is_at_chance_above_one_over_the_width(tmp_path: Path
                                                                          ) -> None:
    run, accs = _tagger_run(tmp_path, dead=True)
    assert len(set(accs)) == 1 and accs[0] > 0.35  # the positives' share, not 1/5
    value, evidence = _at_chance(run)
    assert value is True
    assert "no better than a guess" in evidence and "1/5" in evidence


def test_a_tagger_that_learns_stays_above_chance(tmp_path: Path) -> None:
    run, accs = _tagger_run(tmp_path, dead=False)
    assert len(set(accs)) > 1 and accs[-1] > 0.8
    value, _ = _at_chance(run)
    assert value is False
