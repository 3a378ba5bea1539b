"""The loss at the first step against ln C, on tiny runs the tests train.

An untrained C-class classifier outputs near-uniform probabilities: its first loss is about
ln C. Far above that, the logits started out huge; whether the weights or the inputs made
them so, the checkpoint's weight scale tells when it still sits at PyTorch's default. A loss
summed over the batch (a power of two times ln C) and a log whose first row is a later step
say nothing about the start.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, forkcli, train_tiny, values_of, write_csv_log
from tests.support.artefacts import make_data


def _facts(inputs: Inputs) -> dict[str, object]:
    return values_of(check_findings(probe_curves(inputs, ProbeContext()), "log.curves"))


def _said(inputs: Inputs, fact: str) -> str:
    found = {f.fact: f for f in probe_curves(inputs, ProbeContext())}
    return found[fact].evidence


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, object]:
    root = tmp_path_factory.mktemp("initial")
    return {bug: train_tiny(root / str(bug), bug, steps=60)
            for bug in (None, "init_large", "unnormalized_input")}


def _diagnose(run) -> tuple[int, list[tuple[str, float]]]:  # noqa: ANN001 - Artefacts
    exe = shutil.which("diagnose") or "diagnose"
    out = forkcli.run([exe, "--checkpoint", str(run.checkpoint), "--log", str(run.log),
                       "--format", "json", "--no-input"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    report = json.loads(out.stdout)
    return out.returncode, [(d["cause"], d["confidence"]) for d in report["diagnoses"]]


def test_a_healthy_start_is_near_ln_c_and_a_huge_one_is_not(runs) -> None:  # noqa: ANN001
    healthy = _facts(runs[None].inputs(live=False))
    assert healthy["loss.initial_too_high"] is False
    assert 0.8 < healthy["loss.initial_over_chance"] < 1.3
    for bug in ("init_large", "unnormalized_input"):
        facts = _facts(runs[bug].inputs(live=False))
        assert facts["loss.initial_too_high"] is True, bug
        assert facts["loss.initial_over_chance"] >= 10, bug


def test_raw_inputs_under_default_weights_are_not_called_an_initialisation(runs) -> None:  # noqa: ANN001
    """Checkpoint + log only: raw 0–255 inputs, weights at PyTorch's default scale."""
    rc, ranked = _diagnose(runs["unnormalized_input"])
    assert rc == 1
    assert ranked[0][0] == "input_not_normalized" and ranked[0][1] >= 0.5
    assert all(c < 0.5 for cause, c in ranked if cause == "bad_weight_init")


def test_large_weights_rank_the_initialisation_first(runs) -> None:  # noqa: ANN001
    _, ranked = _diagnose(runs["init_large"])
    assert ranked and ranked[0][0] == "bad_weight_init"


def _summed_run(folder: Path, first_step: int = 0) -> Inputs:
    """Adam on the tiny problem with ``reduction="sum"`` over batches of 32: its log, and a
    batch that tells the number of classes."""
    torch.manual_seed(0)
    x, y = make_data()
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses: list[float | None] = []
    for step in range(40):
        index = torch.arange(32) + (32 * step) % 64
        out = model(x[index])
        loss = F.cross_entropy(out, y[index], reduction="sum")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    acc = [None] * 39 + [float((model(x).argmax(1) == y).float().mean())]
    folder.mkdir(parents=True, exist_ok=True)
    torch.save((x[:32].clone(), y[:32].clone()), folder / "batch.pt")
    log = write_csv_log(folder / "log.csv", {"step": list(range(first_step, first_step + 40)),
                                              "loss": losses, "val_acc": acc})
    return Inputs(logs=(log,), batch=folder / "batch.pt")


def test_a_loss_summed_over_the_batch_says_nothing_about_the_start(tmp_path: Path) -> None:
    run = _summed_run(tmp_path)
    assert _facts(run)["loss.initial_too_high"] is UNKNOWN  # 32 × ln 3: a sum, not huge logits
    assert "summed over 32 samples" in _said(run, "loss.initial_too_high")


def test_needs_the_first_step_and_a_classifier(tmp_path: Path, runs) -> None:  # noqa: ANN001
    later = _summed_run(tmp_path / "later", first_step=50)
    assert _facts(later)["loss.initial_too_high"] is UNKNOWN
    assert "is not the first step's" in _said(later, "loss.initial_too_high")
    run = runs["init_large"]
    rows = [line.split(",") for line in run.log.read_text().splitlines()]
    keep = [i for i, name in enumerate(rows[0]) if name != "val_acc"]
    unscored = tmp_path / "no_accuracy.csv"
    unscored.write_text("\n".join(",".join(r[i] for i in keep) for r in rows) + "\n")
    facts = _facts(Inputs(checkpoint=run.checkpoint, logs=(unscored,)))
    assert "loss.initial_too_high" not in facts  # no accuracy: maybe a regression
