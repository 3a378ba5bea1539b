"""What the fifteenth hand set showed (stop 31): an FT-Transformer's feature tokenizer starts
its 2-D per-feature bias at zero — the usual init of an added offset, not a zero-initialised
weight matrix."""

from __future__ import annotations

import torch
from torch import nn

from dldoctor.probes.live_structure import init_findings
from tests.support import values_of


class Tokenizer(nn.Module):
    def __init__(self, features: int = 8, dim: int = 32) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(features, dim) * 0.1)
        self.bias = nn.Parameter(torch.zeros(features, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.unsqueeze(-1) * self.weight + self.bias


def test_a_custom_module_s_zero_bias_is_no_zero_init() -> None:
    model = nn.Sequential(Tokenizer(), nn.Flatten(), nn.Linear(256, 1))
    assert values_of(init_findings(model))["init.all_zero"] is False
    zeroed = nn.Sequential(Tokenizer(), nn.Flatten(), nn.Linear(256, 1))
    nn.init.zeros_(zeroed[2].weight)
    assert values_of(init_findings(zeroed))["init.all_zero"] is True
