"""Readings asked for at stop 59: a loss that climbs far above where training started and
stays there for epochs is an observed failure, even when the run later finds its way back."""

from __future__ import annotations

import json
from pathlib import Path
from subprocess import run

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of


def _train(folder: Path, kicked: bool) -> dict[str, Path]:
    """A small MLP trained with SGD (momentum 0.9) for ten epochs at lr 0.05 on a learnable
    3-class task; with ``kicked`` a schedule bug sets the rate to 0.6 for epochs 3–5, so the
    loss is thrown far up and then falls back once the rate returns. One row per epoch."""
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    w = torch.randn(16, 3, generator=g)
    x = torch.randn(512, 16, generator=g)
    y = (x @ w).argmax(1)
    model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    folder.mkdir()
    log = folder / "train.jsonl"
    with log.open("w") as handle:
        for epoch in range(10):
            for group in optimizer.param_groups:
                group["lr"] = 0.6 if kicked and epoch in (3, 4, 5) else 0.05
            order, total = torch.randperm(512, generator=g), 0.0
            for start in range(0, 512, 32):
                rows = order[start:start + 32]
                optimizer.zero_grad()
                loss = F.cross_entropy(model(x[rows]), y[rows])
                loss.backward()
                optimizer.step()
                total += loss.item() * len(rows)
            handle.write(json.dumps({"epoch": epoch, "loss": total / 512}) + "\n")
    checkpoint = folder / "ckpt.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, checkpoint)
    return {"checkpoint": checkpoint, "log": log}


def _climb(log: Path) -> tuple[object, str]:
    found = check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()), "log.curves")
    text = next(f.evidence for f in found if f.fact == "loss.climbed_and_came_back")
    return values_of(found)["loss.climbed_and_came_back"], text


def test_a_loss_thrown_far_up_for_epochs_is_a_climb_not_a_spike(tmp_path: Path) -> None:
    kicked, text = _climb(_train(tmp_path / "kicked", kicked=True)["log"])
    assert kicked is True
    assert "row" in text and "train.jsonl" in text  # where the climb was, to check by hand
    calm, _ = _climb(_train(tmp_path / "calm", kicked=False)["log"])
    assert calm is False


def test_a_climb_that_came_back_is_observed_from_checkpoint_and_log(tmp_path: Path) -> None:
    """From the checkpoint and the log alone, the climb is a failure the step-size causes
    explain: they are listed, with the climb as their evidence, instead of "no problem"."""
    files = _train(tmp_path / "kicked", kicked=True)
    done = run(["dldoctor", "diagnose", "--no-input", "--format", "json",
                "--checkpoint", str(files["checkpoint"]), "--log", str(files["log"])],
               capture_output=True, text=True)
    report = json.loads(done.stdout)
    causes = {d["cause"]: d for d in report["diagnoses"]}
    assert "lr_too_high" in causes or "exploding_gradients" in causes
    listed = causes.get("lr_too_high") or causes["exploding_gradients"]
    assert any("loss.climbed_and_came_back" in json.dumps(item)
               for item in listed["evidence_items"])
