"""The layer silent in the trained model is compared with the same layer in the freshly built
one (the forty-third set's slot model: mlp_in silent after training at Adam 2e-2, while
another layer, mlp, was the one half silent at init)."""

from __future__ import annotations

from pathlib import Path

import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_forward
from tests.support import check_findings

_NET = '''import torch
from torch import nn

def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                         nn.Linear(32, 3))
'''


def test_a_layer_killed_after_init_is_measured_against_itself(tmp_path: Path) -> None:
    (tmp_path / "net.py").write_text(_NET)
    namespace: dict[str, object] = {}
    exec(compile(_NET, "net.py", "exec"), namespace)  # noqa: S102 - the test's own model
    model = namespace["make"]()  # type: ignore[operator]
    with torch.no_grad():  # what large steps leave behind: every unit of layer 2 below zero
        model[2].bias.fill_(-50.0)
    torch.save({"model": model.state_dict()}, tmp_path / "run.pt")
    torch.save((torch.randn(64, 8), torch.randint(0, 3, (64,))), tmp_path / "batch.pt")
    found = {f.fact: f for f in check_findings(probe_forward(Inputs(
        checkpoint=tmp_path / "run.pt", model=f"{tmp_path / 'net.py'}:make",
        batch=tmp_path / "batch.pt", device="cpu"), ProbeContext()), "live.forward")}
    assert found["act.dead_relu_fraction"].value == 1.0
    assert found["act.dead_layer_at_init"].value < 0.5
    assert "after layer 3" in found["act.dead_layer_at_init"].evidence  # nn.Sequential index 3
