"""The hidden layers' activation is read off the model's modules (arch.hidden_activation), so
the chat does not ask what the model it was given shows."""

from __future__ import annotations

from pathlib import Path

from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_forward
from dldoctor.probes.live_structure import activation_finding
from tests.support import check_findings, train_tiny, values_of


def test_the_forward_probe_names_the_hidden_activation(tmp_path: Path) -> None:
    run = train_tiny(tmp_path, None, steps=6)  # fc1 → nn.ReLU → fc2
    inputs = Inputs(checkpoint=run.checkpoint, model=run.model_spec, batch=run.batch,
                    device="cpu")
    found = values_of(check_findings(probe_forward(inputs, ProbeContext()), "live.forward"))
    assert found["arch.hidden_activation"] == "relu"


def test_an_output_activation_is_not_a_hidden_one() -> None:
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 8), nn.GELU(),
                          nn.Linear(8, 8), nn.GELU(), nn.Linear(8, 1), nn.Sigmoid())
    finding = activation_finding(list(model.named_children()))
    assert finding is not None and finding.value == "relu_variant"  # two GELU, one tanh
    assert activation_finding(list(nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())
                                    .named_children())) is None

