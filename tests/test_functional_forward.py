"""A model kept in an ``nn.ModuleDict`` and run by the file's own ``forward(model, x)``
function (stop 66, set 215's abacus run was refused with "ModuleDict is missing the required
forward"): the live checks call that function, as the script does."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import torch

from dldoctor.probes.models import build_model
from tests.support import forkcli

MODEL = """
import torch
from torch import nn


def build(n_classes=6):
    torch.manual_seed(0)
    return nn.ModuleDict({"body": nn.Sequential(nn.Linear(8, 16), nn.ReLU()),
                          "head": nn.Linear(16, n_classes)})


def forward(model, x):
    return model["head"](model["body"](x))
"""

NO_FORWARD = """
from torch import nn


def build():
    return nn.ModuleDict({"head": nn.Linear(8, 3)})


def helper(x):
    return x
"""


def test_the_files_forward_function_runs_the_container(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(MODEL)
    model = build_model(f"{tmp_path / 'model.py'}:build")
    x = torch.randn(4, 8)
    assert model(x).shape == (4, 6)
    assert torch.equal(model(x), model["head"](model["body"](x)))
    assert type(model).__name__ == "ModuleDict" and isinstance(model, torch.nn.ModuleDict)
    assert sorted(model.state_dict()) == ["body.0.bias", "body.0.weight", "head.bias",
                                          "head.weight"]
    twin = copy.deepcopy(model)
    assert torch.equal(twin(x), model(x))


def test_a_container_without_a_forward_function_is_still_refused(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(NO_FORWARD)
    exe = shutil.which("diagnose") or "diagnose"
    torch.save((torch.randn(4, 8), torch.tensor([0, 1, 2, 0])), tmp_path / "b.pt")
    out = forkcli.run([exe, "--model", f"{tmp_path / 'model.py'}:build", "--batch",
                       str(tmp_path / "b.pt"), "--no-input"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode == 2
    assert "forward" in out.stderr and "Traceback" not in out.stderr
    with pytest.raises(NotImplementedError):  # nothing bound: the container as PyTorch made it
        build_model(f"{tmp_path / 'model.py'}:build")(torch.randn(2, 8))


def test_labels_past_the_head_are_read_through_the_forward_function(tmp_path: Path) -> None:
    (tmp_path / "model.py").write_text(MODEL)
    model = build_model(f"{tmp_path / 'model.py'}:build")
    g = torch.Generator().manual_seed(0)
    x = torch.randn(256, 8, generator=g)
    y = (x[:, :3].sum(1) * 1.5 + 3).round().clamp(0, 5).long()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(60):
        loss = torch.nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.save({"model": model.state_dict()}, tmp_path / "ck.pt")
    labels = y[:32].clone()
    labels[:3] = 6  # this term's register has a class the 6-output head cannot score
    torch.save((x[:32], labels), tmp_path / "b.pt")
    exe = shutil.which("diagnose") or "diagnose"
    out = forkcli.run([exe, "--model", f"{tmp_path / 'model.py'}:build", "--batch",
                       str(tmp_path / "b.pt"), "--checkpoint", str(tmp_path / "ck.pt"),
                       "--no-input", "--format", "json"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    top = report["diagnoses"][0]
    assert top["cause"] == "label_out_of_range" and top["confidence"] >= 0.5
    assert any("3 of the batch's 32 labels" in e for e in top["evidence"])
