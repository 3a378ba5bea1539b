"""Readings added at stop 69 from the unseen sets 242–244."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
from torch import nn

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.schedule_rebuild import rebuilt_rates, vanished_share
from dldoctor.probes.source_scan import eval_augmentation_findings, leaf_loss_findings
from dldoctor.probes.static_probes import probe_optimizer
from dldoctor.session import Session
from tests.support import check_findings, values_of


def _stepped(make: Any, steps: int) -> tuple[dict[str, Any], list[float]]:
    """A real scheduler stepped ``steps`` times over a one-parameter SGD at lr 0.1: its
    state dict and the rate over the start after every step (the start first)."""
    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1)
    scheduler = make(opt)
    rates = [1.0]
    for _ in range(steps):
        opt.step()
        scheduler.step()
        rates.append(opt.param_groups[0]["lr"] / 0.1)
    return scheduler.state_dict(), rates


@pytest.mark.parametrize(("name", "make"), [
    ("ExponentialLR", lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.5)),
    ("StepLR", lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=4, gamma=0.1)),
    ("MultiStepLR", lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [5, 12], gamma=0.2)),
    ("CosineAnnealingLR", lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=20)),
])
def test_a_saved_schedule_replays_the_rates_torch_stepped(name: str, make: Any) -> None:
    """Set 242's morris tempo regressor saved its ExponentialLR's state and no log of the
    rate: the settings replay every step's rate as torch computed it."""
    state, stepped = _stepped(make, 30)
    kind, rates = rebuilt_rates(state) or ("", [])
    assert kind == name
    assert rates == pytest.approx(stepped, rel=1e-6, abs=1e-12)


def test_a_schedule_its_settings_do_not_replay_is_not_read() -> None:
    """A lambda's rule is code, not data; a schedule whose saved end does not match its
    settings' replay (swapped or chained mid-run) is not guessed at."""
    lambda_state, _ = _stepped(
        lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda t: 0.9 ** t), 10)
    assert rebuilt_rates(lambda_state) is None
    state, _ = _stepped(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.5), 10)
    state["_last_lr"] = [state["_last_lr"][0] * 3]
    assert rebuilt_rates(state) is None


def test_the_share_of_steps_at_a_rate_that_no_longer_trains() -> None:
    """Halving every step puts the rate under 1e-4 of its start from step 14 on: 17 of the
    31 steps; a cosine over the run reaches that only at its last step."""
    state, _ = _stepped(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.5), 30)
    share, first = vanished_share(rebuilt_rates(state)[1], 1e-4)  # type: ignore[index]
    assert (first, share) == (14, pytest.approx(17 / 31))
    state, _ = _stepped(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=30), 30)
    share, first = vanished_share(rebuilt_rates(state)[1], 1e-4)  # type: ignore[index]
    assert first == 30 and share == pytest.approx(1 / 31)


def _regressor_checkpoint(path: Path, gamma: float, extra: dict[str, Any]) -> None:
    """A small regressor trained 30 epochs under ExponentialLR(gamma), saved with its
    optimizer and scheduler the way a hand-written loop saves them."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=gamma)
    x = torch.randn(256, 6)
    y = x[:, :1] * 2 - x[:, 1:2]
    for _ in range(30):
        for i in range(0, 256, 64):
            loss = ((model(x[i:i + 64]) - y[i:i + 64]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        scheduler.step()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "scheduler": scheduler.state_dict(), "epoch": 30, **extra}, path)


@pytest.mark.parametrize(("gamma", "vanished"), [(0.5, True), (0.9, False)])
def test_a_checkpoint_tells_how_long_the_rate_was_gone(tmp_path: Path, gamma: float,
                                                      vanished: bool) -> None:
    """No log of the rate: the saved scheduler says the rate sat under 1e-4 of its start
    for over half the run when halved every epoch, and never when cut by a tenth."""
    _regressor_checkpoint(tmp_path / "c.pt", gamma, {})
    found = values_of(check_findings(probe_optimizer(Inputs(checkpoint=tmp_path / "c.pt"),
                                                     ProbeContext()), "checkpoint.optimizer"))
    assert (found["lr.vanished_share"] > 0.5) is vanished
    assert (found["lr.vanished_share"] == 0.0) is not vanished


def test_a_micro_batch_saved_beside_the_weights_is_the_batch_size(tmp_path: Path) -> None:
    """Set 242's tai chi CNN saved ``micro_batch: 2`` beside its accumulation: BatchNorm
    normalises by the micro-batch, so that is the batch size read."""
    _regressor_checkpoint(tmp_path / "c.pt", 0.9, {"micro_batch": 2, "accum_steps": 16})
    found = values_of(check_findings(probe_optimizer(Inputs(checkpoint=tmp_path / "c.pt"),
                                                     ProbeContext()), "checkpoint.optimizer"))
    assert found["setup.batch_size"] == 2


@pytest.mark.parametrize("beside", [True, False])
def test_an_empty_log_beside_a_checkpoint_is_a_run_that_logged_nothing(tmp_path: Path,
                                                                      beside: bool) -> None:
    """Set 243's bonspiel run crashed in its first validation before writing a log line:
    beside its checkpoint the diagnosis goes on, the empty log noted; alone, it is an input
    to fix."""
    (tmp_path / "log.jsonl").write_bytes(b"")
    if beside:
        _regressor_checkpoint(tmp_path / "c.pt", 0.9, {})
    inputs = Inputs(checkpoint=tmp_path / "c.pt" if beside else None,
                    logs=(tmp_path / "log.jsonl",))
    session = Session(load_knowledge(), inputs)
    runs = session.run_probes()
    failed = [run for run in runs if run.error]
    assert failed and all("the log is empty" in str(run.error) for run in failed)
    assert bool(session.unreadable_inputs()) is not beside
    if beside:
        assert any(run.findings for run in runs)


@pytest.mark.parametrize(("rows", "still"), [("1.3708\n1.1442", True), ("1.3708\n1.30", False)])
def test_a_two_epoch_log_still_falling_fast_is_a_run_stopped_early(tmp_path: Path, rows: str,
                                                                   still: bool) -> None:
    """Set 246's lavender bloom CNN, ``EPOCHS = 2``: too short for a curve's shape, yet its
    last point is 17 % below the first — the run stopped while the loss fell fast; 5 % is
    levelling off."""
    log = tmp_path / "bloom_log.csv"
    log.write_text("epoch,train_loss\n" + "\n".join(
        f"{i},{v}" for i, v in enumerate(rows.splitlines(), 1)) + "\n")
    found = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert found["loss.short_log_still_falling"] is still


@pytest.mark.parametrize("accumulated", [False, True])
def test_updates_per_epoch_from_the_saved_step_and_epoch(tmp_path: Path,
                                                         accumulated: bool) -> None:
    """Set 247's kite duels saved step 1500 and epoch 400: 3.75 updates a pass, a training set
    of a few batches; a run that saved an accumulation count updates once per several
    batches, so its updates say nothing of the data's size."""
    torch.manual_seed(0)
    model = nn.Linear(4, 1)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(3):
        opt.zero_grad()
        model(torch.randn(8, 4)).pow(2).mean().backward()
        opt.step()
    extra = {"accum_steps": 4} if accumulated else {}
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "step": 1500, "epoch": 400, **extra}, tmp_path / "c.pt")
    found = values_of(check_findings(probe_optimizer(Inputs(checkpoint=tmp_path / "c.pt"),
                                                     ProbeContext()), "checkpoint.optimizer"))
    assert found.get("train.updates_per_epoch") == (None if accumulated else 3.75)


_NO_GRAD_STEP = """\
import torch


def build():
    return torch.nn.Linear(4, 1)


def train(model, opt, x, y):
    {context}
        loss = ((model(x) - y) ** 2).mean()
    {switch}
    loss.backward()
    opt.step()
"""


@pytest.mark.parametrize(("context", "switch", "cut"), [
    ("with torch.no_grad():", "loss.requires_grad_(True)", True),
    ("with torch.no_grad():", "loss.requires_grad = True", True),
    ("if True:", "x.requires_grad_(True)", False),  # an input's gradient: no cut loss
])
def test_a_loss_switched_to_want_a_gradient_is_a_leaf(tmp_path: Path, context: str, switch: str,
                                                      cut: bool) -> None:
    """Set 245's bunraku GRU ran its training forward inside ``torch.no_grad()`` and silenced
    the error with ``loss.requires_grad_(True)``: backward stops at the loss."""
    path = tmp_path / "model.py"
    path.write_text(_NO_GRAD_STEP.format(context=context, switch=switch))
    found = values_of(leaf_loss_findings(f"{path}:build"))
    assert found.get("src.loss_rebuilt_as_leaf") is (True if cut else None)


_INLINE_AUGMENT = """\
import torch


def sheets(n, g, {flag}=False):
    x = torch.randn(n, 8, generator=g)
    if {flag}:
        x = x + torch.rand(n, 1, generator=g)
    return x


class Photos(torch.utils.data.Dataset):
    def __init__(self, x, {flag}):
        self.x, self.{flag} = x, {flag}

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i].clone()
        if self.{flag}:
            if torch.rand(1) < 0.5:
                x = x.flip(0)
            x = x + 0.3 * torch.randn(x.shape)
        return x


def build():
    return torch.nn.Linear(8, 2)


def main():
    g = torch.Generator().manual_seed(0)
    x = sheets(1000, g)
    train_ds = Photos(x[:800], {flag}=True)
    val_ds = Photos(x[800:], {flag}=True)
    test_x = sheets(200, g, {flag}=True)
"""


@pytest.mark.parametrize(("flag", "augmented"), [("train", True), ("faulty", False)])
def test_held_out_data_built_with_a_flag_that_draws_noise_inline(tmp_path: Path, flag: str,
                                                                 augmented: bool) -> None:
    """Set 246's salt-pan CNN: its Dataset flips, shifts and adds noise with inline random
    draws under ``if self.train:``, and the validation set is built ``train=True``. A data
    generator's own flag (``faulty=True``) that draws the samples is no augmentation."""
    path = tmp_path / "model.py"
    path.write_text(_INLINE_AUGMENT.format(flag=flag))
    found = values_of(eval_augmentation_findings(f"{path}:build"))
    assert found.get("data.eval_random_transforms") is (True if augmented else None)


@pytest.mark.parametrize(("lye", "lagging"), [
    ([1.0954, 1.0882, 1.02, 0.95, 0.90, 0.8686], True),   # set 248: 21 % against 89 %
    ([1.0954, 0.80, 0.50, 0.30, 0.20, 0.15], False),      # the light task learns anyway
])
def test_a_task_weighted_a_hundred_times_less_is_left_behind(tmp_path: Path, lye: list[float],
                                                             lagging: bool) -> None:
    """Set 248's pretzel net logs ``loss = bake_mse + 0.01 × lye_ce`` with both parts: the
    total is their weighted sum at every row, and the lye-bath loss, weighted 100× less,
    barely fell while the bake loss fell 89 %."""
    bake = [0.4335, 0.2997, 0.15, 0.09, 0.06, 0.0495]
    rows = [f"{i}\t{b + 0.01 * c:.6f}\t{b}\t{c}"
            for i, (b, c) in enumerate(zip(bake, lye, strict=True), 1)]
    log = tmp_path / "trays.tsv"
    log.write_text("epoch\tloss\tbake_mse\tlye_ce\n" + "\n".join(rows) + "\n")
    found = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert found["loss.light_task_lagging"] is lagging
