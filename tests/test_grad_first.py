"""The first batch's gradient norm, before any update: of order 1 for a fresh network at a
standard initialisation, hundreds for weights at the wrong scale. Two tiny real runs."""

from __future__ import annotations

import math
from pathlib import Path

import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of
from tests.support.stepruns import beliefs, save_step_run


def _train(folder: Path, init_gain: float) -> tuple[Path, Path]:
    """A regression MLP under SGD 0.02 (a usual rate), weights multiplied by ``init_gain``."""
    torch.manual_seed(0)
    x = torch.randn(256, 8)
    y = x[:, :2].sum(1, keepdim=True)
    model = torch.nn.Sequential(torch.nn.Linear(8, 64), torch.nn.ReLU(), torch.nn.Linear(64, 1))
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(init_gain)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.02)
    steps: list[float | None] = []
    losses: list[float | None] = []
    norms: list[float | None] = []
    for step in range(60):
        i = torch.randint(0, 256, (32,))
        loss = torch.nn.functional.mse_loss(model(x[i]), y[i])
        optimizer.zero_grad()
        loss.backward()
        norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf"))))
        optimizer.step()
        steps.append(step)
        losses.append(float(loss.detach()))
        if not math.isfinite(losses[-1]):
            break
    return save_step_run(folder, model, optimizer, 
                         {"step": steps, "loss": losses, "grad_norm": norms})


def _first_norm(log: Path) -> float:
    facts = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    return float(facts["grad.norm_first"])


def test_a_fresh_network_starts_with_a_gradient_of_order_one(tmp_path: Path) -> None:
    _, log = _train(tmp_path, 1.0)
    assert _first_norm(log) < 10


def test_a_huge_first_gradient_at_a_usual_rate_is_the_start_not_the_rate(
        tmp_path: Path) -> None:
    checkpoint, log = _train(tmp_path, 8.0)
    assert _first_norm(log) >= 100
    belief = beliefs(checkpoint, log)
    assert max(belief, key=lambda c: belief[c]) == "bad_weight_init"
    assert belief.get("lr_too_high", 0.0) < belief["bad_weight_init"]


def test_the_largest_jump_quotes_the_norms_own_peak_when_that_is_far_higher(
        tmp_path: Path) -> None:
    """The bundled example's gradient norm falls to ~1e-8 as the batch is fitted, jumps to
    about 2 (the largest jump over its trend) and only later runs to ~1e18 before NaN; the
    sixteenth new user read "largest spike 2.18" as hiding the blow-up. Both are quoted."""
    import csv

    from dldoctor.example import ensure_example

    example = ensure_example(tmp_path)
    found = check_findings(probe_curves(Inputs(logs=(example.log,)), ProbeContext()),
                           "log.curves")
    words = next(f.evidence for f in found if f.fact == "grad.norm_spike_max_ratio")
    with example.log.open() as f:
        norms = [float(r["grad_norm"]) for r in csv.DictReader(f) if r.get("grad_norm")]
    peak = max(n for n in norms if math.isfinite(n))
    assert "itself peaks at" in words and f"{peak:.3g}".split("e")[0][:3] in words, words
