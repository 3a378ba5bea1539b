"""Readings of checkpoint + log that hand-written runs asked for.

- A training accuracy below chance on the very batches the model trains on, at an epoch where
  validation beats chance, is class-sorted data (the model keeps predicting the class the
  previous batches held), not a model that learnt nothing.
- Adam at 3e-2 or more in a run that never beat a guess is the rate's doing, even when the
  update-to-weight ratio read from the end of the run looks healthy: Adam's nominal step is
  the rate itself, so a small ratio there means the moments cancel.
- A loss that repeats a small pattern every epoch at the level of a uniform guess, in a run
  that never beat a guess, is labels kept in their order while the inputs are shuffled (a
  new user's ``yb = ytr[i:i+64]`` beside ``xb = Xtr[perm[i:i+64]]``), not unshuffled data.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
import torch.nn.functional as F

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, train_tiny, values_of, write_csv_log
from tests.support.forkcli import run


def _dips(tmp_path: Path, train_acc: list[float], val_acc: list[float]) -> object:
    run_ = train_tiny(tmp_path / "run", None, steps=12)  # 3 classes: chance 1/3
    log = write_csv_log(tmp_path / "log.csv", {
        "epoch": list(range(1, 9)), "train_loss": [1.1, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5],
        "train_acc": train_acc, "val_acc": val_acc})
    inputs = Inputs(checkpoint=run_.checkpoint, logs=(log,))
    return values_of(check_findings(probe_curves(inputs, ProbeContext()), "log.curves"))[
        "train.acc_dips_below_chance"]


def test_below_chance_on_its_own_batches_while_validation_beats_it(tmp_path: Path) -> None:
    val = [0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.72]
    assert _dips(tmp_path / "a", [0.35, 0.15, 0.30, 0.40, 0.50, 0.60, 0.65, 0.70], val) is True
    # a model that trails validation (dropout, augmentation) but stays near chance is not it
    assert _dips(tmp_path / "b", [0.30, 0.28, 0.35, 0.40, 0.50, 0.60, 0.65, 0.70], val) is False
    # nor is a model below chance while validation is at chance too: it learnt nothing
    assert _dips(tmp_path / "c", [0.20] * 8, [0.33] * 8) is False


def _adam_run(tmp_path: Path, lr: float) -> dict:
    """A real Adam checkpoint at ``lr`` whose moments have died out (150 steps on 96 samples:
    the update-to-weight ratio read from it is near 1e-3) and a log that never beats a guess
    over 6 classes, as a run that collapsed to the class prior writes it."""
    tmp_path.mkdir(parents=True)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(12, 32), torch.nn.LayerNorm(32),
                                torch.nn.ReLU(), torch.nn.Linear(32, 6))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(0)
    x, y = torch.randn(96, 12, generator=gen), torch.randint(0, 6, (96,), generator=gen)
    for step in range(150):
        idx = torch.arange(step * 16, step * 16 + 16) % 96
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict()},
               tmp_path / "ckpt.pt")
    log = write_csv_log(tmp_path / "history.csv", {
        "epoch": list(range(1, 9)), "train_loss": [1.81, 1.80, 1.80, 1.80, 1.79, 1.80, 1.80, 1.80],
        "val_loss": [1.80, 1.79, 1.80, 1.80, 1.80, 1.79, 1.80, 1.80],
        "val_acc": [0.17, 0.16, 0.17, 0.17, 0.16, 0.17, 0.17, 0.16]})
    out = run(["dldoctor", "diagnose", "--checkpoint", tmp_path / "ckpt.pt", "--log", log,
               "--format", "json", "--no-input"], capture_output=True, text=True)
    assert out.returncode in (0, 1), out.stderr
    return {d["cause"]: d["confidence"] for d in json.loads(out.stdout)["diagnoses"]}


def test_adam_far_above_its_default_in_a_run_that_never_beat_a_guess(tmp_path: Path) -> None:
    high = _adam_run(tmp_path / "high", 0.05)
    assert max(high, key=high.__getitem__) == "lr_too_high" and high["lr_too_high"] >= 0.5
    usual = _adam_run(tmp_path / "usual", 1e-3)
    assert usual.get("lr_too_high", 0.0) < 0.5


def _misaligned_run(tmp_path: Path, aligned: bool) -> dict:
    """Eight epochs of 28 batches; the inputs are drawn through a new permutation each epoch,
    the labels by position (the bug) or through the same permutation (the control)."""
    tmp_path.mkdir(parents=True)
    gen = torch.Generator().manual_seed(0)
    w = torch.randn(20, 5, generator=gen)
    x = torch.randn(2048, 20, generator=gen)
    y = (x @ w + 0.3 * torch.randn(2048, 5, generator=gen)).argmax(1)
    xt, yt, xv, yv = x[:1792], y[:1792], x[1792:], y[1792:]
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(20, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64),
                                torch.nn.ReLU(), torch.nn.Linear(64, 5))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows: dict[str, list] = {"step": [], "epoch": [], "loss": [], "val_loss": [], "val_acc": []}
    step = 0
    for epoch in range(8):
        perm = torch.randperm(1792)
        for i in range(0, 1792, 64):
            labels = yt[perm[i:i + 64]] if aligned else yt[i:i + 64]
            loss = F.cross_entropy(model(xt[perm[i:i + 64]]), labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
            val_loss = val_acc = None
            if step % 28 == 0:
                with torch.no_grad():
                    out = model(xv)
                val_loss = float(F.cross_entropy(out, yv))
                val_acc = float((out.argmax(1) == yv).float().mean())
            for key, value in (("step", step), ("epoch", epoch), ("loss", float(loss.detach())),
                               ("val_loss", val_loss), ("val_acc", val_acc)):
                rows[key].append(value)
            step += 1
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()},
               tmp_path / "checkpoint.pt")
    log = write_csv_log(tmp_path / "train_log.csv", rows)
    out = run(["dldoctor", "diagnose", "--checkpoint", tmp_path / "checkpoint.pt", "--log", log,
               "--format", "json", "--no-input"], capture_output=True, text=True)
    assert out.returncode in (0, 1), out.stderr
    return {d["cause"]: d["confidence"] for d in json.loads(out.stdout)["diagnoses"]}


def test_labels_in_their_order_under_shuffled_inputs_are_wrong_labels(tmp_path: Path) -> None:
    broken = _misaligned_run(tmp_path / "broken", aligned=False)
    assert max(broken, key=broken.__getitem__) == "labels_wrong", broken
    assert broken["labels_wrong"] >= 0.5 and broken.get("data_not_shuffled", 0.0) < 0.5
    control = _misaligned_run(tmp_path / "control", aligned=True)
    assert control.get("labels_wrong", 0.0) < 0.5 and control.get("data_not_shuffled", 0.0) < 0.5
