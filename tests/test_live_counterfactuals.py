"""Live checks that answer "what if": a NaN made between the modules before any update (no
learning rate made it), the same one-batch fit without weight decay (the decay is what holds
it back), and a run whose weights blew up at a rate above the usual range."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_forward, probe_overfit
from tests.support import check_findings, values_of

_TWO_TOWER = '''import torch
from torch import nn

class TwoTower(nn.Module):
    """Ratings from a cosine of user and item vectors, written by hand; item 0 is padding."""
    def __init__(self):
        super().__init__()
        self.users = nn.Embedding(20, 8)
        self.items = nn.Embedding(30, 8, padding_idx=0)
        self.scale = nn.Parameter(torch.tensor(2.0))

    def forward(self, x):
        u, m = self.users(x[:, 0]), self.items(x[:, 1])
        cosine = (u * m).sum(-1) / (u.norm(dim=-1) * m.norm(dim=-1))
        return self.scale * cosine + 3.0

def make():
    torch.manual_seed(0)
    return TwoTower()
'''

_MLP = '''import torch
from torch import nn

def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 4))
'''


def _write(tmp_path: Path, source: str, x: torch.Tensor, y: torch.Tensor) -> Inputs:
    (tmp_path / "net.py").write_text(source)
    torch.save((x, y), tmp_path / "batch.pt")
    return Inputs(model=f"{tmp_path / 'net.py'}:make", batch=tmp_path / "batch.pt",
                  device="cpu")


def test_a_nan_made_between_modules_before_any_update(tmp_path: Path, cli: Any) -> None:
    gen = torch.Generator().manual_seed(0)
    x = torch.stack([torch.randint(0, 20, (64,), generator=gen),
                     torch.randint(0, 30, (64,), generator=gen)], 1)
    x[::8, 1] = 0  # unseen items mapped to the all-zero padding row: 0/0 in the cosine
    y = torch.randint(1, 6, (64,), generator=gen).float()
    inputs = _write(tmp_path, _TWO_TOWER, x, y)
    facts = values_of(check_findings(probe_forward(inputs, ProbeContext()), "live.forward"))
    assert facts["forward.nan_outside_modules"] is True and facts["forward.non_finite"] is True
    assert facts["forward.on_factory_weights"] is True and facts["input.non_finite"] is False
    out = cli.run(["diagnose", "--model", inputs.model, "--batch", "batch.pt", "--no-input",
                   "--format", "json"], cwd=tmp_path)
    report = json.loads(out.stdout)
    faults = [d for d in report["diagnoses"] if d["kind"] == "fault"]
    assert out.returncode == 1 and faults[0]["cause"] == "numerical_log_or_div_zero"
    assert all(d["cause"] != "lr_too_high" or d["confidence"] < 0.5 for d in faults)


def test_clean_modules_and_a_clean_output_say_so(tmp_path: Path) -> None:
    gen = torch.Generator().manual_seed(0)
    x = torch.stack([torch.randint(0, 20, (64,), generator=gen),
                     torch.randint(1, 30, (64,), generator=gen)], 1)  # no padding item
    inputs = _write(tmp_path, _TWO_TOWER, x, torch.rand(64, generator=gen) * 4 + 1)
    facts = values_of(check_findings(probe_forward(inputs, ProbeContext()), "live.forward"))
    assert facts["forward.nan_outside_modules"] is False and facts["forward.non_finite"] is False


def _decayed_run(tmp_path: Path, decay: float) -> Inputs:
    """An MLP trained a little with RMSprop at the given coupled weight decay; its
    checkpoint carries the optimizer, so the live checks train with the run's settings."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(64, 10, generator=gen)
    y = torch.randint(0, 4, (64,), generator=gen)
    tmp_path.mkdir(exist_ok=True)
    inputs = _write(tmp_path, _MLP, x, y)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(10, 32), torch.nn.ReLU(),
                                torch.nn.Linear(32, 4))
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-2, weight_decay=decay)
    for _ in range(20):
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()},
               tmp_path / "run.pt")
    return Inputs(checkpoint=tmp_path / "run.pt", model=inputs.model, batch=inputs.batch,
                  device="cpu")


def test_the_one_batch_fit_without_weight_decay(tmp_path: Path) -> None:
    strong = _decayed_run(tmp_path, 5.0)
    facts = values_of(check_findings(probe_overfit(strong, ProbeContext()),
                                     "live.overfit_batch"))
    assert facts["overfit.outcome"] in ("goes_up", "plateaus", "decreases_slowly")
    assert facts["overfit.without_decay"] == "reaches_zero"


def test_no_strong_decay_no_second_fit(tmp_path: Path) -> None:
    """Without decay, or with one too weak to matter (a second fit would differ from the
    first by the noise of training, not by the decay), the check is not run."""
    for decay in (0.0, 0.005):
        run = _decayed_run(tmp_path / str(decay), decay)
        facts = values_of(check_findings(probe_overfit(run, ProbeContext()),
                                         "live.overfit_batch"))
        assert "overfit.without_decay" not in facts
