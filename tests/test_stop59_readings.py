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


class _Branched(nn.Module):
    """An encoder, a pretraining decoder the classification task does not use, and a head —
    registered in that order, as a model kept from pretraining is; with ``cut`` the encoder's
    output is detached before the head (the classic cut graph)."""

    def __init__(self, cut: bool) -> None:
        super().__init__()
        self.cut = cut
        self.encoder = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU())
        self.decoder = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 12))
        self.head = nn.Linear(32, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.encoder(x)
        return self.head(z.detach() if self.cut else z)


def _branched_checkpoint(folder: Path, cut: bool) -> Path:
    torch.manual_seed(0)
    x = torch.randn(256, 12)
    y = (x[:, :3]).argmax(1)
    model = _Branched(cut)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(60):
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    folder.mkdir()
    path = folder / "ckpt.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    return path


def _optimizer_facts(checkpoint: Path) -> dict[str, object]:
    from dldoctor.probes.registry import get_probe, load_runner

    run_probe = load_runner(get_probe("checkpoint.optimizer"))
    return values_of(check_findings(run_probe(Inputs(checkpoint=checkpoint), ProbeContext()),
                                    "checkpoint.optimizer"))


def test_an_unused_branch_between_stepped_layers_is_no_cut_graph(tmp_path: Path) -> None:
    """The decoder never got a gradient, but the encoder before it and the head after it did:
    nothing cut the path from the loss to the input. A detached encoder starves the start of
    the model instead."""
    unused = _optimizer_facts(_branched_checkpoint(tmp_path / "unused", cut=False))
    assert unused["optimizer.never_stepped_share"] == 4 / 10
    assert unused["optimizer.never_stepped_inside"] is True
    cut = _optimizer_facts(_branched_checkpoint(tmp_path / "cut", cut=True))
    assert cut["optimizer.never_stepped_inside"] is False
    done = run(["dldoctor", "diagnose", "--no-input", "--format", "json",
                "--checkpoint", str(tmp_path / "unused" / "ckpt.pt")],
               capture_output=True, text=True)
    gnf = [d for d in json.loads(done.stdout)["diagnoses"]
           if d["cause"] == "gradient_not_flowing"]
    assert all(d["confidence"] < 0.5 for d in gnf)
    done = run(["dldoctor", "diagnose", "--no-input", "--format", "json",
                "--checkpoint", str(tmp_path / "cut" / "ckpt.pt")],
               capture_output=True, text=True)
    gnf = [d for d in json.loads(done.stdout)["diagnoses"]
           if d["cause"] == "gradient_not_flowing"]
    assert gnf and gnf[0]["confidence"] > max(
        (d["confidence"] for d in json.loads(done.stdout)["diagnoses"]
         if d["cause"] != "gradient_not_flowing"), default=0.0)


def _bn_net(batch_size: int) -> tuple[nn.Module, torch.Tensor, torch.Tensor]:
    """A small BatchNorm CNN trained on 12×12 two-channel tiles whose class is which channel
    is brighter, with tile brightness varying widely (the leather-hide run's spread), at the
    given batch size; and a held-out batch."""
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)

    def tiles(n: int) -> tuple[torch.Tensor, torch.Tensor]:
        y = torch.randint(0, 2, (n,), generator=g)
        tone = 0.2 + 4.0 * torch.rand(n, 1, 1, 1, generator=g)
        x = torch.rand(n, 2, 12, 12, generator=g) * tone
        x[torch.arange(n), y] += 0.5 * tone[:, 0]
        return x, y

    x, y = tiles(256)
    model = nn.Sequential(nn.Conv2d(2, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                          nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(2):
        order = torch.randperm(256, generator=g)
        for start in range(0, 256, batch_size):
            rows = order[start:start + batch_size]
            optimizer.zero_grad()
            F.cross_entropy(model(x[rows]), y[rows]).backward()
            optimizer.step()
    held_x, held_y = tiles(32)
    return model, held_x, held_y


def test_a_model_trained_on_single_samples_works_only_on_their_statistics() -> None:
    """Trained one tile at a time, the network is far better fed one tile at a time in train
    mode than in eval mode; trained on batches of 32 it is not."""
    from dldoctor.probes.live_modes import mode_gap_findings
    from dldoctor.probes.models import Batch

    def fit(batch_size: int) -> object:
        model, x, y = _bn_net(batch_size)
        found = mode_gap_findings(model, Batch(inputs=x, targets=y, source=Path("b.pt")),
                                  torch.device("cpu"))
        return values_of(check_findings(found, "live.forward"))[
            "metric.tiny_batch_statistics_fit"]

    assert fit(1) is True
    assert fit(32) is False


def test_an_accuracy_that_falls_after_the_loss_went_nan_is_not_read_against_the_loss(
        tmp_path: Path) -> None:
    """A run that learns for four epochs, then blows up to NaN at a rate raised by mistake:
    its validation accuracy falls to a guess after the NaN, which says nothing about what
    the loss rewarded — no 'accuracy falls as the loss falls' (the flipped sign's mark)."""
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    w = torch.randn(16, 3, generator=g)
    x, x_val = torch.randn(512, 16, generator=g), torch.randn(256, 16, generator=g)
    y, y_val = (x @ w).argmax(1), (x_val @ w).argmax(1)
    model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    log = tmp_path / "train.jsonl"
    step = 0
    with log.open("w") as handle:  # the loss at every step, validation accuracy per epoch
        for epoch in range(10):
            for group in optimizer.param_groups:
                group["lr"] = 1e6 if epoch >= 4 else 0.05
            for start in range(0, 512, 32):
                optimizer.zero_grad()
                loss = F.cross_entropy(model(x[start:start + 32]), y[start:start + 32])
                loss.backward()
                optimizer.step()
                step += 1
                handle.write(json.dumps({"step": step, "loss": loss.item()}) + "\n")
            with torch.no_grad():
                acc = (model(x_val).argmax(1) == y_val).float().mean().item()
            handle.write(json.dumps({"step": step, "val_acc": acc}) + "\n")
    found = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert found["loss.non_finite"] is True
    assert found.get("metric.acc_falls_while_loss_falls") is not True
