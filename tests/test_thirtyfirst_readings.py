"""Readings the thirty-first hand set asked for. A spatial transformer's localisation head
starts at weight 0 with the identity transform in its bias (the recipe), read as a zero
initialisation; a TabNet's bias-free ``shared.fc`` (64, 12) before its ``BatchNorm1d(64)`` was
read as a lookup table, so the BatchNorm's running std of thousands (inputs in dollars) said
nothing from the checkpoint alone."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.layers import group_layers, lookup_tables
from dldoctor.probes.live_structure import init_findings
from dldoctor.probes.static_probes import probe_weights
from dldoctor.probes.weight_scan import summarise
from tests.support import check_findings, values_of


class _Localised(nn.Module):
    """A classifier behind a spatial transformer started at the identity."""

    def __init__(self) -> None:
        super().__init__()
        self.loc = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 6))
        nn.init.zeros_(self.loc[2].weight)
        with torch.no_grad():
            self.loc[2].bias.copy_(torch.tensor([1.0, 0, 0, 0, 1, 0]))
        self.head = nn.Linear(64, 10)


def test_a_zero_weight_beside_a_distinct_bias_is_no_symmetric_start() -> None:
    found = values_of(init_findings(_Localised()))
    assert found["init.all_zero"] is False and found["init.symmetric_rows"] is False
    plain = _Localised()
    nn.init.zeros_(plain.loc[0].weight)  # a hidden layer at 0, its bias uniform: symmetric
    nn.init.zeros_(plain.loc[0].bias)
    found = values_of(init_findings(plain))
    assert found["init.all_zero"] is True and found["init.symmetric_rows"] is True


class _Shared(nn.Module):
    """TabNet's shared block: a bias-free linear layer, its BatchNorm, a GLU."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(12, 64, bias=False)
        self.bn = nn.BatchNorm1d(64)
        self.specific = nn.Linear(32, 64, bias=False)
        self.bn2 = nn.BatchNorm1d(64)
        self.head = nn.Linear(32, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = nn.functional.glu(self.bn(self.fc(x)))
        return self.head(nn.functional.glu(self.bn2(self.specific(h))))


def _trained(scale: float) -> nn.Module:
    torch.manual_seed(0)
    model = _Shared()
    x = torch.randn(512, 12) * scale
    y = (x[:, 0] > 0).long()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(40):
        rows = slice(step % 8 * 64, step % 8 * 64 + 64)
        loss = nn.functional.cross_entropy(model(x[rows]), y[rows])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def test_a_bias_free_linear_before_its_batchnorm_is_no_lookup_table(tmp_path: Path) -> None:
    model = _trained(1.0)
    stats = [summarise(name, t) for name, t in model.state_dict().items()]
    kinds = {x.prefix: x.kind for x in group_layers(stats)}
    assert kinds["fc"] == "linear" and kinds["specific"] == "linear"
    assert lookup_tables(stats) == set()
    raw = tmp_path / "raw.pt"
    torch.save(_trained(5000.0).state_dict(), raw)
    found = values_of(check_findings(probe_weights(Inputs(checkpoint=raw), ProbeContext()),
                                     "checkpoint.weights"))
    assert found["weights.first_input_scale"] > 100


def test_a_table_before_a_norm_over_its_width_stays_a_table() -> None:
    torch.manual_seed(0)
    words = nn.ModuleDict({"tok": nn.Embedding(50, 16), "norm": nn.LayerNorm(16),
                           "out": nn.Linear(16, 50)})
    stats = [summarise(name, t) for name, t in words.state_dict().items()]
    assert {x.prefix: x.kind for x in group_layers(stats)}["tok"] == "embedding"
