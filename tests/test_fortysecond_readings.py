"""Readings the forty-second hand set prompted: an ensemble's checkpoint that keeps one
optimizer state per member in a list under a name of the run's own
(``member_optimizers``) was refused as unreadable (exit 2, KeyError
'member_optimizers[0]') — a healthy run the tool could not read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, values_of


def _ensemble_checkpoint(path: Path) -> Path:
    """Three small MLPs trained 20 Adam steps each, saved as one state dict and a list of
    their optimizers' states."""
    torch.manual_seed(0)
    x, y = torch.randn(64, 4), torch.randn(64, 1)
    members = nn.ModuleList(nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
                            for _ in range(3))
    optimizers = [torch.optim.Adam(m.parameters(), lr=1e-3) for m in members]
    for _ in range(20):
        for member, optimizer in zip(members, optimizers, strict=True):
            optimizer.zero_grad()
            F.mse_loss(member(x), y).backward()
            optimizer.step()
    torch.save({"ensemble": members.state_dict(),
                "member_optimizers": [o.state_dict() for o in optimizers], "ep": 19}, path)
    return path


def test_a_list_of_member_optimizers_is_read(tmp_path: Path, cli: Any) -> None:
    path = _ensemble_checkpoint(tmp_path / "ensemble.pt")
    facts = values_of(check_findings(probe_optimizer(Inputs(checkpoint=path), ProbeContext()),
                                     "checkpoint.optimizer"))
    assert facts["optimizer.kind"] == "adam" and facts["optimizer.lr"] == 1e-3
    out = cli.run(["diagnose", "--checkpoint", str(path), "--no-input", "--format", "json"],
                  cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    assert json.loads(out.stdout)["inputs"]["checkpoint"].endswith("ensemble.pt")
