"""What the tenth hand set (bench/hand/tenth, scored before anything here) found misread: a
GRU forecaster over one input feature was "initialised at the wrong scale" (0.07× Kaiming)
with PyTorch's own recurrent init, in the broken run (0.71) and its healthy twin (0.45)."""

from __future__ import annotations

import torch
from torch import nn

from dldoctor.probes.live_structure import init_findings
from tests.support import values_of


class Forecaster(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.gru = nn.GRU(1, 64, batch_first=True)
        self.head = nn.Linear(64, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.gru(x)[0][:, -1])


def test_a_recurrent_layer_is_judged_against_pytorchs_own_recurrent_init() -> None:
    torch.manual_seed(0)
    facts = values_of(init_findings(Forecaster()))
    # the smallest is the Linear head at PyTorch's default (0.41 × Kaiming), not the GRU (0.07)
    assert facts["init.scale_ratio_min"] > 0.3, facts["init.scale_ratio_min"]
    small = Forecaster()
    with torch.no_grad():
        small.gru.weight_hh_l0.mul_(0.01)  # a recurrent matrix a hundred times too small
    assert values_of(init_findings(small))["init.scale_ratio_min"] < 0.05
