"""What the fifteenth hand set showed (stop 31): an FT-Transformer's feature tokenizer starts
its 2-D per-feature bias at zero — the usual init of an added offset, not a zero-initialised
weight matrix; and a training loss logged as `train_kl` is a KL divergence, which cannot go
below zero between proper distributions."""

from __future__ import annotations

from pathlib import Path

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
    nn.init.zeros_(zeroed[2].weight)  # the output head alone at 0: a recipe (stop 54)
    assert values_of(init_findings(zeroed))["init.all_zero"] is False
    deeper = nn.Sequential(Tokenizer(), nn.Flatten(), nn.Linear(256, 16), nn.ReLU(),
                           nn.Linear(16, 1))
    for layer in (deeper[2], deeper[4]):  # the head and the layer feeding it: a fault
        nn.init.zeros_(layer.weight)
    assert values_of(init_findings(deeper))["init.all_zero"] is True


def test_a_training_loss_named_kl_says_the_loss_is_a_kl_divergence(tmp_path: Path) -> None:
    from dldoctor.probes.base import Inputs, ProbeContext
    from dldoctor.probes.log_probes import probe_curves
    from tests.support import write_csv_log

    def facts(columns: dict[str, list[float]]) -> dict[str, object]:
        path = write_csv_log(tmp_path / "log.csv",
                             {"epoch": [float(i) for i in range(8)], **columns})
        return values_of(probe_curves(Inputs(logs=(path,)), ProbeContext()))

    # the age model: KLDivLoss given probabilities, the loss column train_kl near -2.5
    assert facts({"train_kl": [-2.53, -2.55, -2.56, -2.57, -2.57, -2.57, -2.57, -2.57]}
                 )["setup.loss_kind"] == "kl"
    # a VAE logs its KL term beside the whole loss: the loss is no KL divergence
    vae = facts({"loss": [3.0, 2.0, 1.5, 1.2, 1.1, 1.0, 0.95, 0.9],
                 "kl": [0.1, 0.3, 0.4, 0.45, 0.5, 0.5, 0.5, 0.5]})
    assert "setup.loss_kind" not in vae
