"""Readings the ninety-fourth and ninety-fifth hand sets asked for at stop 52, each on real
files: a loss summed over the batch (``MSELoss(reduction="sum")``) at a rate tuned for a mean
blew up with nothing to say why — the log's first gradient norm, taken before any update, is
hundreds of times what the same freshly built model gets from a mean loss; and a sigmoid left
before ``BCEWithLogitsLoss`` on soft targets (a pitch tracker's blurred bins) went unread,
because only 0/1 targets were compared."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.loss_match import loss_match_findings
from dldoctor.probes.loss_scale import (
    fresh_gradient_norm,
    logged_first_gradient,
    loss_scale_finding,
)
from tests.support import check_findings, values_of, write_csv_log
from tests.support.forkcli import run

_FACTORY = '''
import torch
from torch import nn


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(),
                         nn.Linear(32, 1))
'''


def _data(n: int = 2048) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 6, generator=g)
    return x, x[:, :1] * 0.5 + torch.sin(x[:, 1:2])


def _train(folder: Path, reduction: str, steps: int = 40) -> dict[str, Path]:
    """A power-curve-like regressor trained with SGD 0.05 + momentum on batches of 256, its
    MSE averaged or summed; the log keeps the per-row loss and the total gradient norm."""
    factory = folder / "model.py"
    factory.write_text(_FACTORY)
    namespace: dict[str, object] = {}
    exec(compile(_FACTORY, str(factory), "exec"), namespace)
    model: nn.Module = namespace["build"]()  # type: ignore[operator]
    x, y = _data()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    criterion = nn.MSELoss(reduction=reduction)
    g = torch.Generator().manual_seed(1)
    rows = []
    for step in range(1, steps + 1):
        index = torch.randint(0, len(x), (256,), generator=g)
        loss = criterion(model(x[index]), y[index])
        optimizer.zero_grad()
        loss.backward()
        norm = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in model.parameters()))
        optimizer.step()
        per_row = float(loss.detach()) / (256 if reduction == "sum" else 1)
        rows.append({"step": step, "loss_per_row": per_row, "grad_norm": norm})
    log = folder / "train.csv"
    with log.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["step", "loss_per_row", "grad_norm"])
        writer.writeheader()
        writer.writerows(rows)
    checkpoint = folder / "ckpt.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, checkpoint)
    batch = folder / "batch.pt"
    torch.save((x[:256].clone(), y[:256].clone()), batch)
    return {"checkpoint": checkpoint, "log": log, "model": factory, "batch": batch}


def _diagnose(files: dict[str, Path]) -> tuple[int, dict]:
    done = run(["dldoctor", "diagnose", "--no-input", "--format", "json",
                "--checkpoint", str(files["checkpoint"]), "--log", str(files["log"]),
                "--model", f"{files['model']}:build", "--batch", str(files["batch"])],
               capture_output=True, text=True)
    return done.returncode, json.loads(done.stdout)


def test_a_loss_summed_over_the_batch_reads_as_steps_too_large(tmp_path: Path) -> None:
    code, report = _diagnose(_train(tmp_path, "sum"))
    faults = [d for d in report["diagnoses"] if d.get("kind") != "note"]
    assert code == 1 and faults[0]["cause"] == "lr_too_high"
    assert faults[0]["confidence"] >= 0.5
    scale = next(f for f in report["findings"] if f["fact"] == "grad.first_over_fresh")
    assert scale["value"] >= 100  # a sum over 256 rows: about 256 times a mean's gradient
    assert all(d["confidence"] < 0.5 for d in faults
               if d["cause"] in ("bad_weight_init", "input_not_normalized"))
    fixes = " ".join(faults[0]["fixes"])
    assert "reduction='mean'" in fixes


def test_a_mean_loss_first_gradient_matches_the_fresh_models(tmp_path: Path) -> None:
    files = _train(tmp_path, "mean", steps=12)
    inputs = Inputs(checkpoint=files["checkpoint"], logs=(files["log"],))
    logged = logged_first_gradient(inputs, ProbeContext())
    assert logged is not None
    namespace: dict[str, object] = {}
    exec(compile(_FACTORY, "model.py", "exec"), namespace)
    x, y = _data()
    fresh = fresh_gradient_norm(namespace["build"](),  # type: ignore[operator]
                                lambda m: F.mse_loss(m(x[:256]), y[:256]))
    found = values_of(check_findings(loss_scale_finding(logged, fresh)))
    assert 0.3 <= found["grad.first_over_fresh"] <= 3


def test_a_log_without_a_first_gradient_leaves_the_scale_unknown(tmp_path: Path) -> None:
    log = write_csv_log(tmp_path / "log.csv", {"step": [10, 20, 30], "loss": [1.0, 0.8, 0.7],
                                               "grad_norm": [3.0, 2.0, 1.5]})
    assert logged_first_gradient(Inputs(logs=(log,)), ProbeContext()) is None
    found = check_findings(loss_scale_finding(None, 1.0))
    assert [f.fact for f in found] == ["grad.first_over_fresh"]
    assert values_of(found)["grad.first_over_fresh"] != 1.0


def _pitch_batch() -> tuple[torch.Tensor, torch.Tensor]:
    """48 pitch bins per frame with Gaussian-blurred targets (soft labels in [0, 1]) and the
    near-zero probabilities a collapsed sigmoid head gives."""
    g = torch.Generator().manual_seed(0)
    centre = torch.randint(4, 44, (64,), generator=g).float()
    bins = torch.arange(48).float()
    targets = torch.exp(-0.5 * ((bins[None] - centre[:, None]) / 1.25) ** 2)
    probabilities = 0.002 + 0.0005 * torch.rand(64, 48, generator=g)
    return probabilities, targets


@pytest.mark.parametrize("scored_as", ["logits", "probabilities"])
def test_soft_targets_tell_a_second_sigmoid_from_a_plain_bce(tmp_path: Path,
                                                             scored_as: str) -> None:
    probabilities, targets = _pitch_batch()
    level = F.binary_cross_entropy_with_logits(probabilities, targets) \
        if scored_as == "logits" else F.binary_cross_entropy(probabilities, targets)
    log = write_csv_log(tmp_path / "pitch.csv", {
        "epoch": [1, 2, 3, 4, 5, 6], "bce": [float(level) * 1.05] + [float(level)] * 5})
    found = values_of(check_findings(loss_match_findings(
        probabilities, targets, Inputs(logs=(log,)), ProbeContext(), from_sigmoid=True)))
    assert found == {"loss.logged_as_logits_of_probabilities": scored_as == "logits"}


class _WatchModel(nn.Module):
    """The ninety-seventh set's YouTube-DNN: a watched-video table (400, 32) and an age-bucket
    table (5, 8) — fewer rows than columns — side by side into a tower of 40 inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.video, self.age = nn.Embedding(400, 32), nn.Embedding(5, 8)
        self.tower = nn.Sequential(nn.Linear(40, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU())
        self.out = nn.Linear(64, 400)

    def forward(self, history: torch.Tensor, age: torch.Tensor) -> torch.Tensor:
        return self.out(self.tower(torch.cat([self.video(history).mean(1), self.age(age)], 1)))


def _static(path: Path) -> dict[str, object]:
    from dldoctor.probes.static_probes import probe_weights

    return values_of(check_findings(probe_weights(Inputs(checkpoint=path), ProbeContext())))


def test_tables_concatenated_into_the_next_layer_are_lookups(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = _WatchModel()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    history, age = torch.randint(0, 400, (64, 10)), torch.randint(0, 5, (64,))
    nxt = torch.randint(0, 400, (64,))
    for _ in range(3):
        loss = F.cross_entropy(model(history, age), nxt)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    path = tmp_path / "watch.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    weights = _static(path)
    assert weights["weights.missing_bias"] is False and weights["weights.has_embedding"] is True
    # bias-free layers in a chain, each taking the rows of the one before, stay layers
    chain = nn.Sequential(nn.Linear(8, 32, bias=False), nn.Linear(32, 8, bias=False),
                          nn.Linear(40, 2))
    torch.save(chain.state_dict(), tmp_path / "chain.pt")
    assert _static(tmp_path / "chain.pt")["weights.missing_bias"] is True


class _Forecaster(nn.Module):
    """A per-sensor forecaster whose head's (B, N, 1) output is squeezed to (B, N)."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Linear(12, 16)
        self.head = nn.Linear(16, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(torch.relu(self.body(x))).squeeze(-1)


def test_a_squeezed_last_layer_is_no_sigmoid_however_its_values_fall() -> None:
    from dldoctor.probes.live_forward import run_forward
    from dldoctor.probes.live_output import range_findings
    from dldoctor.probes.models import Batch

    torch.manual_seed(0)
    model = _Forecaster()
    with torch.no_grad():  # a collapsed forecaster: every output near the targets' mean
        model.head.weight.mul_(0.01)
        model.head.bias.fill_(0.48)
    x, y = torch.randn(64, 8, 12), 0.5 + 0.7 * torch.randn(64, 8)
    batch = Batch(inputs=x, targets=y, source=Path("batch.pt"))
    run = run_forward(model, batch, torch.device("cpu"))
    assert run.output_is_last_leaf
    record = run.layers[-1]
    found = values_of(range_findings(run.output, (record.name, record.module), batch,
                                     raw=run.output_is_last_leaf))
    assert found == {"output.range_excludes_targets": False}


def test_a_total_far_above_its_logged_parts_is_an_unlogged_term(tmp_path: Path) -> None:
    """The ninety-sixth set's BiFPN: an L2 sum times 0.5 added to the loss by hand; the log
    keeps the total and the two task losses, which make up under 1 % of it."""
    from dldoctor.probes.log_probes import probe_curves

    epochs = [1, 2, 3, 4, 5, 6]
    cls = [0.74, 0.23, 0.19, 0.18, 0.18, 0.18]
    box = [0.153, 0.140, 0.152, 0.150, 0.151, 0.151]
    penalised = write_csv_log(tmp_path / "det.csv", {
        "epoch": epochs, "loss_total": [80.5, 56.2, 47.1, 40.2, 34.6, 29.5],
        "loss_cls": cls, "loss_box": box})
    found = values_of(check_findings(probe_curves(Inputs(logs=(penalised,)), ProbeContext()),
                                     "log.curves"))
    assert found["loss.parts_share"] < 0.02
    whole = write_csv_log(tmp_path / "ok.csv", {
        "epoch": epochs, "loss_total": [c + b for c, b in zip(cls, box, strict=True)],
        "loss_cls": cls, "loss_box": box})
    found = values_of(check_findings(probe_curves(Inputs(logs=(whole,)), ProbeContext()),
                                     "log.curves"))
    assert 0.9 <= found["loss.parts_share"] <= 1.1
