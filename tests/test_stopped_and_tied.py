"""A run stopped while its loss still falls, and learning rates that fit a batch equally well.

- ``loss.falling_at_end``: the last fifth of a real training log still makes a large share of
  the loss's fall when training was cut short, and almost none once it has converged.
- The LR sweep: rates whose final losses lie within 2 % of the starting loss of the lowest one
  tie, and the best rate is the tied one nearest the current rate; a sweep where no rate
  lowers the loss by 10 % ranks nothing.
"""

from __future__ import annotations

import math
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import SWEEP_MOVED, SWEEP_TIE, probe_lr_sweep
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, train_tiny, values_of, write_csv_log


def _train_log(folder: Path, lr: float, steps: int) -> Path:
    """Plain SGD on a separable 3-class problem; one CSV row per step."""
    torch.manual_seed(0)
    x = torch.randn(256, 8)
    y = torch.arange(256) % 3
    x[:, :3] += 2.0 * F.one_hot(y, 3).float()
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses: list[float | None] = []
    for step in range(steps):
        index = torch.arange(32) + (32 * step) % 224
        loss = F.cross_entropy(model(x[index]), y[index])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv_log(folder / "log.csv", {"step": list(range(steps)), "loss": losses})


def _falling_at_end(log: Path) -> object:
    found = check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()), "log.curves")
    return values_of(found)["loss.falling_at_end"]


def test_a_run_cut_short_is_still_falling_and_a_converged_one_is_not(tmp_path: Path) -> None:
    assert _falling_at_end(_train_log(tmp_path / "short", lr=0.02, steps=80)) is True
    assert _falling_at_end(_train_log(tmp_path / "long", lr=0.5, steps=400)) is False


def test_rates_that_fit_the_batch_equally_well_tie(tmp_path: Path) -> None:
    run = train_tiny(tmp_path, None, steps=60)
    found = {f.fact: f for f in probe_lr_sweep(run.inputs(), ProbeContext())}
    sweep = found["lr_sweep.best_over_current"]
    detail = sweep.details
    losses, start, current = detail["losses"], detail["start"], detail["current"]
    lowest = min(losses.values())
    assert start - lowest >= SWEEP_MOVED * start  # this sweep ranks the rates
    tied = [lr for lr, loss in losses.items() if loss <= lowest + SWEEP_TIE * start]
    assert detail["tied"] == tied
    nearest = min(tied, key=lambda lr: abs(math.log(lr / current)))
    assert found["lr_sweep.best_lr"].value == nearest
    assert math.isclose(sweep.value, nearest / current)


def test_a_sweep_that_lowers_no_loss_ranks_nothing(tmp_path: Path) -> None:
    """Every hidden ReLU dead (bias -20) on balanced classes: only the output bias learns, and
    it is already at the class prior, so no rate lowers the loss and the sweep says it cannot
    rank them rather than naming a best rate."""
    run = train_tiny(tmp_path, "dead_relu", steps=30)
    found = {f.fact: f for f in probe_lr_sweep(run.inputs(checkpoint=False), ProbeContext())}
    sweep = found["lr_sweep.best_over_current"]
    assert sweep.value == UNKNOWN
    assert found["lr_sweep.best_lr"].value == UNKNOWN
    start = sweep.details["start"]
    assert start - min(sweep.details["losses"].values()) < SWEEP_MOVED * start


_DROPOUT_NET = '''
import torch
from torch import nn


def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 3))
'''


def test_the_one_batch_test_runs_without_dropout_noise(tmp_path: Path) -> None:
    """Half the units dropped at random keeps a fixed batch's loss from settling (with dropout
    on, this batch only "decreases slowly"); the test asks whether the model can fit the batch
    at all, so dropout is off and the loss reaches 0."""
    from dldoctor.probes.live_probes import probe_overfit

    (tmp_path / "net.py").write_text(_DROPOUT_NET)
    torch.manual_seed(1)
    x = torch.randn(64, 8)
    y = torch.arange(64) % 3
    x[:, :3] += 2.0 * F.one_hot(y, 3).float()
    torch.save((x, y), tmp_path / "batch.pt")
    inputs = Inputs(model=f"{tmp_path / 'net.py'}:make", batch=tmp_path / "batch.pt",
                    device="cpu")
    found = check_findings(probe_overfit(inputs, ProbeContext()), "live.overfit_batch")
    assert values_of(found)["overfit.outcome"] == "reaches_zero"


def test_training_accuracy_below_half_of_chance_is_read_from_the_log(tmp_path: Path) -> None:
    """A 3-class model (classes read from the tiny run's checkpoint and batch) whose logged
    training accuracy ends at 0.02 is worse than guessing on its own batches; one that ends at
    0.31 is not."""
    run = train_tiny(tmp_path / "run", None, steps=12)

    def below(accuracy: float) -> object:
        log = write_csv_log(tmp_path / f"log_{accuracy}.csv", {
            "epoch": list(range(8)), "loss": [1.1] * 8,
            "train_acc": [0.3, 0.1, 0.05, accuracy, accuracy, accuracy, accuracy, accuracy]})
        inputs = Inputs(checkpoint=run.checkpoint, batch=run.batch, logs=(log,))
        found = check_findings(probe_curves(inputs, ProbeContext()), "log.curves")
        return values_of(found)["train.acc_below_chance"]

    assert below(0.02) is True
    assert below(0.31) is False


def test_coupled_weight_decay_counts_in_the_fresh_gradient() -> None:
    """SGD adds decay × weight to the gradient before its momentum buffer: a unit whose loss
    gradient is 0 (dead) still feeds decay × weight into the buffer, so the buffer is compared
    with that, not with a zero gradient (which made a healthy decay look like accumulation)."""
    from dldoctor.probes.live_probes import _fresh_step_gradient

    torch.manual_seed(0)
    layer = nn.Linear(8, 4)
    layer.weight.grad = torch.zeros_like(layer.weight)
    assert _fresh_step_gradient(layer.weight, 0.0) == 0.0
    expected = 0.3 * float(layer.weight.detach().norm())
    assert math.isclose(_fresh_step_gradient(layer.weight, 0.3), expected, rel_tol=1e-6)


def _scheduled_checkpoint(path: Path, per_batch: bool, exponential: bool = False) -> Path:
    """A real StepLR(step_size=4) (or ExponentialLR(gamma=0.9)) state after 10 epochs of 25
    batches, stepped per batch or per epoch, saved with its model, optimizer and epoch."""
    torch.manual_seed(0)
    model = nn.Linear(8, 3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9) if exponential \
        else torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)
    for _ in range(10):
        for _ in range(25):
            optimizer.step()
            if per_batch:
                scheduler.step()
        if not per_batch:
            scheduler.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "lr_scheduler": scheduler.state_dict(), "epoch": 9}, path)
    return path


def test_an_epoch_scheduler_stepped_every_batch_is_read_from_its_state(tmp_path: Path) -> None:
    from dldoctor.probes.static_probes import probe_optimizer

    def stepped_per_batch(per_batch: bool, exponential: bool = False) -> object:
        path = _scheduled_checkpoint(tmp_path / f"ckpt_{per_batch}_{exponential}.pt", per_batch,
                                     exponential)
        found = check_findings(probe_optimizer(Inputs(checkpoint=path), ProbeContext()),
                               "checkpoint.optimizer")
        return values_of(found).get("loop.scheduler_in_batch_loop")

    assert stepped_per_batch(True) is True
    assert stepped_per_batch(False) is False
    # ExponentialLR has no period of its own: the steps in which gamma divides the rate by 10
    assert stepped_per_batch(True, exponential=True) is True
    assert stepped_per_batch(False, exponential=True) is False


def _adam_checkpoint_without_epoch(path: Path, per_batch: bool) -> Path:
    """A real StepLR(step_size=30, gamma=0.1) after 20 epochs of 40 Adam updates, stepped per
    batch or per epoch, saved with no epoch (a new user's score-matching run, user 22): the
    optimizer's own update count is the clock."""
    torch.manual_seed(0)
    model = nn.Linear(8, 3)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
    x, y = torch.randn(16, 8), torch.randn(16, 3)
    for _ in range(20):
        for _ in range(40):
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
            if per_batch:
                scheduler.step()
        if not per_batch:
            scheduler.step()
    torch.save({"net": model.state_dict(), "optimizer_state": optimizer.state_dict(),
                "sched": scheduler.state_dict()}, path)
    return path


def test_with_no_epoch_saved_the_updates_count_the_scheduler_steps(tmp_path: Path) -> None:
    from dldoctor.probes.static_probes import probe_optimizer

    def read(per_batch: bool) -> dict[str, object]:
        path = _adam_checkpoint_without_epoch(tmp_path / f"ckpt_{per_batch}.pt", per_batch)
        return {f.fact: f for f in check_findings(
            probe_optimizer(Inputs(checkpoint=path), ProbeContext()), "checkpoint.optimizer")}

    per_batch = read(True)["loop.scheduler_in_batch_loop"]
    assert per_batch.value is True
    assert "800 times against the optimizer's 800 updates" in per_batch.evidence
    per_epoch = read(False)["loop.scheduler_in_batch_loop"]
    assert per_epoch.value is False and "20 times" in per_epoch.evidence
