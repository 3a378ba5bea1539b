"""The scale of the data a network's first layer reads, from the BatchNorm right after it (the
twenty-seventh hand set's CRNN fed raw spectrogram power, 10 to 1e9: from checkpoint + log
it read as vanishing gradients). The running std over the first layer's row norm is about 1
for standardised inputs whatever the weights' own scale, and far above it for raw ones."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_weights
from tests.support import check_findings, values_of


def _train(scale: float, first_gain: float = 1.0) -> nn.Module:
    """A conv + BatchNorm classifier trained 60 steps on signals of the given scale."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv1d(2, 8, 5), nn.BatchNorm1d(8), nn.ReLU(),
                          nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(8, 3))
    with torch.no_grad():
        model[0].weight.mul_(first_gain)
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(256, 2, 32, generator=gen)
    y = (x[:, 0].mean(1) > 0).long() + (x[:, 1].mean(1) > 0.3).long()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(60):
        idx = torch.arange(step * 32, step * 32 + 32) % 256
        loss = nn.functional.cross_entropy(model(x[idx] * scale), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def _scale(model: nn.Module, path: Path) -> float | None:
    torch.save(model.state_dict(), path)
    found = check_findings(probe_weights(Inputs(checkpoint=path), ProbeContext()),
                           "checkpoint.weights")
    return values_of(found).get("weights.first_input_scale")


@pytest.mark.parametrize(("scale", "gain", "low", "high"), [
    (1.0, 1.0, 0.3, 3.0), (1.0, 40.0, 0.3, 3.0),  # large first weights cancel out
    (300.0, 1.0, 60.0, 2000.0)])
def test_the_first_layers_input_scale_is_read_from_its_batchnorm(
        tmp_path: Path, scale: float, gain: float, low: float, high: float) -> None:
    value = _scale(_train(scale, gain), tmp_path / "net.pt")
    assert value is not None and low <= value <= high, value


def test_no_reading_without_a_batchnorm_right_after_the_first_layer(tmp_path: Path) -> None:
    torch.manual_seed(0)
    plain = nn.Sequential(nn.Conv1d(2, 8, 5), nn.ReLU(), nn.Conv1d(8, 8, 3), nn.BatchNorm1d(8))
    assert _scale(plain, tmp_path / "plain.pt") is None
