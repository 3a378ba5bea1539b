"""The one-batch fit of a recurrent model that blows up is run again with the gradient norm
clipped: a fit that clipping alone tames is gradients exploding through time, one that still
blows up is the step size (the thirty-ninth set's Elman RNN at SGD lr 0.3)."""

from __future__ import annotations

from pathlib import Path

import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_overfit
from tests.support import check_findings, values_of

_ELMAN = '''import torch
from torch import nn

class Elman(nn.Module):
    """Next value of a series from a plain tanh RNN."""
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, 48, batch_first=True)
        self.out = nn.Linear(48, 1)

    def forward(self, x):
        h, _ = self.rnn(x)
        return self.out(h)

def make():
    torch.manual_seed(0)
    return Elman()
'''

_MLP = '''import torch
from torch import nn

def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(60, 48), nn.Tanh(), nn.Linear(48, 60))
'''


def _logistic_series(rows: int = 64, steps: int = 60) -> tuple[torch.Tensor, torch.Tensor]:
    """Chaotic logistic-map series (r in [3.6, 4.0]), scaled to [-2, 2]: inputs and the next
    values."""
    gen = torch.Generator().manual_seed(0)
    r = 3.6 + 0.4 * torch.rand(rows, 1, generator=gen)
    v = torch.rand(rows, 1, generator=gen) * 0.8 + 0.1
    values = []
    for _ in range(steps + 1):
        values.append(v)
        v = r * v * (1 - v)
    series = torch.stack(values, 1) * 4 - 2
    return series[:, :-1], series[:, 1:]


def _run(tmp_path: Path, source: str, lr: float, flat_targets: bool = False) -> Inputs:
    """The model file, the batch, and a checkpoint of the fresh model with an SGD (momentum
    0.9) optimizer at ``lr``: the rate the live checks then train with."""
    (tmp_path / "net.py").write_text(source)
    x, y = _logistic_series()
    torch.save((x, y.flatten(1) if flat_targets else y), tmp_path / "batch.pt")
    namespace: dict[str, object] = {}
    exec(compile(source, "net.py", "exec"), namespace)  # noqa: S102 - the test's own model
    model = namespace["make"]()  # type: ignore[operator]
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    torch.save({"net": model.state_dict(), "opt": optimizer.state_dict()}, tmp_path / "run.pt")
    return Inputs(checkpoint=tmp_path / "run.pt", model=f"{tmp_path / 'net.py'}:make",
                  batch=tmp_path / "batch.pt", device="cpu")


def _overfit(inputs: Inputs) -> dict[str, object]:
    return values_of(check_findings(probe_overfit(inputs, ProbeContext()),
                                    "live.overfit_batch"))


def test_clipping_tames_a_recurrent_fit_that_blows_up(tmp_path: Path) -> None:
    facts = _overfit(_run(tmp_path, _ELMAN, 0.3))
    assert facts["overfit.outcome"] == "explodes"
    assert facts["overfit.clipped"] in ("reaches_zero", "decreases_slowly")


def test_a_rate_ten_times_higher_blows_up_clipped_too(tmp_path: Path) -> None:
    facts = _overfit(_run(tmp_path, _ELMAN, 3.0))
    assert facts["overfit.outcome"] == "explodes" and facts["overfit.clipped"] == "explodes"


def test_no_clipped_fit_for_a_recurrent_fit_that_trains(tmp_path: Path) -> None:
    facts = _overfit(_run(tmp_path, _ELMAN, 0.01))
    assert facts["overfit.outcome"] != "explodes" and "overfit.clipped" not in facts


def test_no_clipped_fit_for_a_feedforward_model(tmp_path: Path) -> None:
    """Clipping taming a feedforward net says nothing of gradients through time: not run."""
    facts = _overfit(_run(tmp_path, _MLP, 30.0, flat_targets=True))
    assert facts["overfit.outcome"] == "explodes" and "overfit.clipped" not in facts
