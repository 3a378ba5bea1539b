"""The fitting checks stand down when their cross-entropy is not the run's objective: the
trained model's output on the batch is a guess's against its targets while the run's own
logged loss fell far below ln K (the thirty-eighth set's DINO, a false alarm lr_too_low 0.75
from fitting its 48-prototype head to 6 probe labels)."""

from __future__ import annotations

import csv
from pathlib import Path

import torch
import torch.nn.functional as F

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_overfit
from tests.support import check_findings

_HEAD = '''import torch
from torch import nn

def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 16))
'''


def _run(tmp_path: Path, objective: str, lr: float = 1e-2) -> Inputs:
    """A 16-output head trained 150 Adam steps on ``objective`` — "shrink": its outputs to 0
    (a stand-in for an objective that is no cross-entropy on the saved labels), "classify":
    a cross-entropy on them — with its loss logged, and a batch of 6-class labels."""
    (tmp_path / "net.py").write_text(_HEAD)
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(96, 8, generator=gen)
    y = (x[:, 0] > 0).long() + 2 * (x[:, 1] > 0).long() + (x[:, 2] > 1).long()
    torch.save((x, y), tmp_path / "batch.pt")
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 16))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    rows = []
    for step in range(150):
        out = model(x)
        loss = out.pow(2).mean() if objective == "shrink" else F.cross_entropy(out, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        rows.append((step, float(loss.detach())))
    torch.save({"net": model.state_dict(), "opt": optimizer.state_dict()}, tmp_path / "run.pt")
    with open(tmp_path / "log.csv", "w", newline="") as f:
        csv.writer(f).writerows([("step", "loss"), *rows])
    return Inputs(checkpoint=tmp_path / "run.pt", logs=(tmp_path / "log.csv",),
                  model=f"{tmp_path / 'net.py'}:make", batch=tmp_path / "batch.pt",
                  device="cpu")


def test_a_run_that_optimised_another_objective_leaves_the_fit_unknown(tmp_path: Path) -> None:
    ctx = ProbeContext()
    found = {f.fact: f for f in check_findings(probe_overfit(_run(tmp_path, "shrink"), ctx),
                                               "live.overfit_batch")}
    assert found["overfit.outcome"].value is UNKNOWN
    assert "optimises another objective" in found["overfit.outcome"].evidence
    assert any("ln 16" in str(note) for note in ctx.notes)


def test_a_classifier_trained_on_these_labels_is_fitted_as_usual(tmp_path: Path) -> None:
    found = {f.fact: f for f in check_findings(
        probe_overfit(_run(tmp_path, "classify"), ProbeContext()), "live.overfit_batch")}
    assert found["overfit.outcome"].value in ("reaches_zero", "decreases_slowly")


def test_a_classifier_that_learnt_nothing_is_no_other_objective(tmp_path: Path) -> None:
    """At a rate that moves nothing its logged cross-entropy stays near ln 16 too: the
    checks' loss is the run's, and the fit is what tells the rate."""
    found = {f.fact: f for f in check_findings(
        probe_overfit(_run(tmp_path, "classify", lr=1e-7), ProbeContext()),
        "live.overfit_batch")}
    assert found["overfit.outcome"].value is not UNKNOWN
