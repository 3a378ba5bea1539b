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

from dldoctor.engine.values import UNKNOWN
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


def _sparse_log(path: Path, values: list[float], every: int = 8) -> Path:
    path.write_text("iter,zip_nll\n" + "".join(f"{(i + 1) * every},{v}\n"
                                                for i, v in enumerate(values)))
    return path


def test_a_sparse_log_steady_up_to_its_nan_is_read_as_steady(tmp_path: Path) -> None:
    """The zero-inflated Poisson: flat 1.0–1.4 every 8 updates, then NaN (log(1 − π) of an
    exact 1); a rate too high climbs or swings first."""
    from dldoctor.probes.log_probes import curve_findings
    from dldoctor.probes.logs import read_log

    flat = [1.4, 1.3, 1.25, 1.2, 1.15, 1.2, 1.1, 1.12, 1.08, 1.1, 1.05]
    steady = {f.fact: f for f in curve_findings(read_log(_sparse_log(
        tmp_path / "steady.csv", [*flat, float("nan"), float("nan")])))}
    assert steady["loss.steady_before_non_finite"].value is True
    assert steady["loss.non_finite_without_blowup"].value is UNKNOWN  # rows 8 updates apart
    climbing = {f.fact: f for f in curve_findings(read_log(_sparse_log(
        tmp_path / "climb.csv", [*flat[:7], 1.6, 2.9, 5.5, 9.0, float("nan")])))}
    assert climbing["loss.steady_before_non_finite"].value is False
    dense = {f.fact for f in curve_findings(read_log(_sparse_log(
        tmp_path / "dense.csv", [*flat, float("nan")], every=1)))}
    assert "loss.steady_before_non_finite" not in dense  # the one-update reading decides
