"""A Sigmoid at the end of a model is the bug only for targets it cannot be meant for: with
class indices (CrossEntropyLoss applies its own softmax) it is; with float targets in [0, 1]
(a denoising autoencoder's pixels under MSE, clicks under BCELoss) the forward pass cannot
tell (seventh hand set: a healthy DAE read as activation_before_softmax 0.85)."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.live_output import output_findings


def _activation(targets: torch.Tensor) -> object:
    model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 16), nn.Sigmoid())
    out = model(torch.randn(8, 16))
    found = {f.fact: f.value for f in output_findings(out, ("3", model[3]), targets)}
    return found["output.activation_after_logits"]


@pytest.mark.parametrize("targets", [torch.rand(8, 16), (torch.rand(8, 16) > 0.5).float()])
def test_a_sigmoid_over_float_targets_is_for_the_loss_to_say(targets: torch.Tensor) -> None:
    assert _activation(targets) is UNKNOWN


def test_a_sigmoid_before_class_indices_is_the_bug() -> None:
    assert _activation(torch.randint(0, 16, (8,))) is True
