"""Regression targets far from unit scale (prices in dollars) are measured on the batch, and
make the slow descent the targets' fault rather than the learning rate's."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import torch
import torch.nn.functional as F

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_forward
from tests.support import check_findings, forkcli, values_of, write_csv_log

_FACTORY = """
import torch
from torch import nn

def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
"""


def _run(folder: Path, scale: float) -> list[str]:
    """Train on y·scale for 60 Adam steps; write checkpoint, log, factory and batch; return
    the diagnose arguments."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.py").write_text(_FACTORY)
    namespace: dict[str, object] = {}
    exec(_FACTORY, namespace)  # the factory the user names on the command line
    model = namespace["build"]()  # type: ignore[operator]
    torch.manual_seed(1)
    x = torch.randn(256, 4)
    y = (x @ torch.tensor([1.0, -2.0, 0.5, 0.3]) + 3.0).unsqueeze(1) * scale
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses: list[float | None] = []
    for step in range(60):
        index = torch.arange(32) + (32 * step) % 224
        loss = F.mse_loss(model(x[index]), y[index])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               folder / "checkpoint.pt")
    torch.save((x[:64].clone(), y[:64].clone()), folder / "batch.pt")
    log = write_csv_log(folder / "log.csv", {"step": list(range(60)), "loss": losses})
    return ["--checkpoint", str(folder / "checkpoint.pt"), "--log", str(log),
            "--model", f"{folder / 'model.py'}:build", "--batch", str(folder / "batch.pt")]


def _target_fact(args: list[str]) -> object:
    inputs = Inputs(checkpoint=Path(args[1]), logs=(Path(args[3]),), model=args[5],
                    batch=Path(args[7]), device="cpu")
    found = check_findings(probe_forward(inputs, ProbeContext()), "live.forward")
    return values_of(found)["target.not_normalized"]


def test_dollar_targets_are_the_scale_not_the_rate(tmp_path: Path) -> None:
    dollars = _run(tmp_path / "dollars", 1e5)
    assert _target_fact(dollars) is True
    assert _target_fact(_run(tmp_path / "unit", 1.0)) is False
    exe = shutil.which("diagnose") or "diagnose"
    out = forkcli.run([exe, *dollars, "--format", "json", "--no-input", "--device", "cpu"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    ranked = [(d["cause"], d["confidence"]) for d in json.loads(out.stdout)["diagnoses"]]
    assert ranked[0][0] == "input_not_normalized"
    assert all(c < 0.5 for cause, c in ranked if cause == "lr_too_low")
