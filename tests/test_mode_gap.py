"""``metric.eval_mode_much_worse`` is measured, not asked: the trained model's loss on the
batch in eval mode against train mode, on a copy so the saved running statistics stay."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.live_modes import mode_gap_findings
from dldoctor.probes.models import Batch


def _trained() -> tuple[nn.Module, Batch]:
    gen = torch.Generator().manual_seed(0)
    centres = torch.randn(3, 8, generator=gen) * 2
    y = torch.randint(0, 3, (256,), generator=gen)
    x = centres[y] + 0.5 * torch.randn(256, 8, generator=gen)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for step in range(120):
        idx = torch.arange(step * 32, step * 32 + 32) % 256
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, Batch(x[:64], y[:64], Path("batch.pt"))


def _value(model: nn.Module, batch: Batch) -> object:
    (finding,) = [f for f in mode_gap_findings(model, batch, torch.device("cpu"))
                  if f.fact == "metric.eval_mode_much_worse"]
    return finding.value


def test_a_healthy_batchnorm_model_is_as_good_in_eval_mode() -> None:
    model, batch = _trained()
    before = model[1].running_mean.clone()
    assert _value(model, batch) is False
    assert torch.equal(model[1].running_mean, before)  # the probe left the statistics alone


def test_running_statistics_spoilt_by_single_samples_of_other_data_are_much_worse() -> None:
    """Validation run one sample at a time in train mode, on data at another scale, moves the
    running statistics away from what the training batches look like."""
    model, batch = _trained()
    model.train()
    with torch.no_grad():
        for _ in range(60):
            model(torch.randn(2, 8) * 10 + 5)
    assert _value(model, batch) is True


def test_no_batchnorm_no_finding() -> None:
    model = nn.Sequential(nn.Linear(8, 3))
    assert mode_gap_findings(model, Batch(torch.randn(16, 8), torch.arange(16) % 3,
                                          Path("b.pt")), torch.device("cpu")) == []
