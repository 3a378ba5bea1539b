"""Tiny training loops, healthy or with one planted loop bug, run under ``dldoctor.watch``.

``run_loop(path, bug)`` trains for a few dozen steps (well under a second on a CPU), writes the
trace to ``path`` and returns the model. Each bug is written the way people write it.
"""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

import dldoctor

__all__ = ["LOOP_BUGS", "ARCHS", "run_loop", "make_model", "make_data"]

LOOP_BUGS: dict[str | None, str] = {
    None: "healthy: Adam lr=1e-3, zero_grad every step, train mode, labels 0..K-1",
    "missing_zero_grad": "optimizer.zero_grad() is never called",
    "train_in_eval_mode": "model.eval() left on from a validation pass",
    "scheduler_step_per_batch": "StepLR(step_size=5, gamma=0.1) stepped every batch",
    "grad_accum_unscaled": "4 backward passes per step, loss not divided by 4",
    "params_not_in_optimizer": "the optimizer was built before a new head was attached",
    "label_out_of_range": "labels 1..K for a K-way head (the loss raises at the label K)",
    "labels_from_one": "labels 1..K and a head widened to K+1 so that the loss accepts them",
    "rnn_state_not_detached": "the LSTM state is carried across batches without detach()",
    "loss_ignores_padding": "padded token targets (pad=0) counted by the loss",
    "nan_in_model": "a layer takes the log of a negative number",
}

_K = 4  # classes


class _MLP(nn.Module):
    def __init__(self, bug: str | None) -> None:
        super().__init__()
        self.bug = bug
        self.body = nn.Sequential(nn.Linear(8, 32), nn.BatchNorm1d(32), nn.ReLU(),
                                  nn.Dropout(0.1))
        self.head = nn.Linear(32, _K + 1 if bug == "labels_from_one" else _K)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.body(x)
        if self.bug == "nan_in_model":
            h = torch.log(h - 1.0)
        return self.head(h)


class _CNN(_MLP):
    """The same bugs in a small conv net: 8 inputs seen as a 1×2×4 image."""

    def __init__(self, bug: str | None) -> None:
        super().__init__(bug)
        self.body = nn.Sequential(nn.Unflatten(1, (1, 2, 4)), nn.Conv2d(1, 16, 3, padding=1),
                                  nn.BatchNorm2d(16), nn.ReLU(), nn.Dropout2d(0.1),
                                  nn.Flatten(), nn.Linear(16 * 8, 32), nn.ReLU())


class _Seq(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Embedding(12, 16)
        self.rnn = nn.LSTM(16, 16, batch_first=True)
        self.out = nn.Linear(16, 12)

    def forward(self, x: torch.Tensor, state: tuple[torch.Tensor, torch.Tensor] | None = None
                ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        h, state = self.rnn(self.embed(x), state)
        return self.out(h), state


ARCHS = ("mlp", "cnn")


def make_model(bug: str | None = None, arch: str = "mlp") -> nn.Module:
    """The sequence model for sequence bugs; else the MLP or the CNN."""
    torch.manual_seed(0)
    if bug in ("rnn_state_not_detached", "loss_ignores_padding"):
        return _Seq()
    return _CNN(bug) if arch == "cnn" else _MLP(bug)


def make_data(n: int = 64) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(1)
    x = torch.randn(n, 8, generator=g)
    y = (x[:, :_K].argmax(dim=1))
    return x, y


def _sequences(n: int = 16, length: int = 10) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(2)
    tokens = torch.randint(1, 12, (n, length + 1), generator=g)
    lengths = torch.randint(3, 6, (n,), generator=g)
    pad = torch.arange(length + 1)[None, :] >= lengths[:, None]
    tokens[pad] = 0  # most of each row is padding
    return tokens[:, :-1], tokens[:, 1:]


def run_loop(path: Path, bug: str | None = None, steps: int = 30, every: int = 5,
             arch: str = "mlp") -> nn.Module:
    """Train under the watcher with ``bug`` planted; the trace goes to ``path``."""
    if bug not in LOOP_BUGS:
        raise ValueError(f"unknown loop bug {bug!r}")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny tensors: threads only contend on a busy machine
    try:
        return _run(path, bug, steps, every, arch)
    finally:
        torch.set_num_threads(threads)


def _run(path: Path, bug: str | None, steps: int, every: int, arch: str) -> nn.Module:
    model = make_model(bug, arch)
    if bug in ("rnn_state_not_detached", "loss_ignores_padding"):
        _run_sequence(model, path, bug, steps, every)
        return model
    if bug == "params_not_in_optimizer":
        optimizer = torch.optim.Adam(model.body.parameters(), lr=1e-3)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 5, 0.1) \
        if bug == "scheduler_step_per_batch" else None
    x, y = make_data()
    if bug in ("label_out_of_range", "labels_from_one"):
        y = y + 1
    accum = 4 if bug == "grad_accum_unscaled" else 1
    model.train()
    if bug == "train_in_eval_mode":
        model.eval()
    with dldoctor.watch(model, optimizer, path=path, every=every) as w:
        for _ in range(steps):
            if bug != "missing_zero_grad":
                optimizer.zero_grad()
            for chunk in range(accum):
                xb, yb = x[chunk::accum], y[chunk::accum]
                logits = model(xb)
                w.log(targets=yb)
                try:
                    loss = F.cross_entropy(logits, yb)
                except IndexError:
                    return model  # what the user sees: the loss raises on the label K
                loss.backward()
                w.log(loss=loss.item())
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
    return model


def _run_sequence(model: nn.Module, path: Path, bug: str, steps: int, every: int) -> None:
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    x, y = _sequences()
    state = None
    with dldoctor.watch(model, optimizer, path=path, every=every) as w:
        for _ in range(steps):
            optimizer.zero_grad()
            if bug != "rnn_state_not_detached":
                state = None
            logits, state = model(x, state)
            w.log(targets=y)
            if bug == "loss_ignores_padding":
                loss = F.cross_entropy(logits.reshape(-1, 12), y.reshape(-1))
            else:
                loss = F.cross_entropy(logits.reshape(-1, 12), y.reshape(-1), ignore_index=0)
            try:
                loss.backward(retain_graph=bug == "rnn_state_not_detached")
            except RuntimeError:
                return  # what the user sees: backward through an old, modified graph fails
            optimizer.step()
            w.log(loss=loss.item())
