"""Readings the thirtieth hand set asked for. A healthy PPO run was a fault: its policy head
started at gain 0.01 on purpose (read as a too-small initialisation) and its surrogate loss sat
near 0 and below it (read as a sign error) while the episode return rose from 22 to 191. A KAN's
spline knot grids, buffers repeating one row, read as parameters the optimizer left out. A
Gaussian NLL that crosses 0 had its scatter measured against a level of about 0."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_structure import init_findings, output_heads
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, values_of, write_csv_log


class _ActorCritic(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.actor = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                                   nn.Linear(64, 2))
        self.critic = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 1))
        for layer in (*self.actor, *self.critic):
            if isinstance(layer, nn.Linear):
                nn.init.orthogonal_(layer.weight, 2 ** 0.5)
        nn.init.orthogonal_(self.actor[4].weight, 0.01)  # a near-uniform first policy
        nn.init.orthogonal_(self.critic[2].weight, 1.0)


def test_a_policy_head_started_small_is_no_small_initialisation() -> None:
    model = _ActorCritic()
    assert output_heads(model) == {"actor.4.weight", "critic.2.weight"}
    found = values_of(init_findings(model))
    assert found["init.scale_ratio_min"] > 0.1  # the body: orthogonal at gain √2
    body = nn.Sequential(nn.Linear(4, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                         nn.Linear(64, 2))
    nn.init.normal_(body[2].weight, std=1e-4)  # a hidden layer started tiny is still one
    assert values_of(init_findings(body))["init.scale_ratio_min"] < 0.01


def _curves(tmp_path: Path, **columns: list[float]) -> dict[str, object]:
    n = len(next(iter(columns.values())))
    path = write_csv_log(tmp_path / "log.csv", {"step": [float(i) for i in range(n)], **columns})
    return values_of(check_findings(probe_curves(Inputs(logs=(path,)), ProbeContext()),
                                    "log.curves"))


def test_a_return_that_rises_says_the_policy_learnt(tmp_path: Path) -> None:
    steps = np.arange(40)
    found = _curves(tmp_path, policy_loss=list(-0.01 + 0.002 * np.sin(steps)),
                    episode_return=list(22 + 170 * (1 - np.exp(-steps / 10.0))))
    assert found["metric.reward_rises"] is True and found["metric.reward_falls"] is False


def test_a_loss_that_crosses_zero_has_its_scatter_measured_against_its_range(
        tmp_path: Path) -> None:
    steps = np.arange(300)
    wiggle = 0.03 * np.where(steps % 2 == 0, 1.0, -1.0)  # ±0.03 around a fall from 0.6 to 0
    found = _curves(tmp_path, nll=list(0.6 * np.exp(-steps / 60.0) - 0.01 + wiggle))
    assert found["loss.oscillating"] is False


def test_a_knot_grid_repeated_in_every_row_is_a_buffer_not_a_frozen_weight(
        tmp_path: Path) -> None:
    torch.manual_seed(0)
    layer = nn.Linear(4, 8)
    optimizer = torch.optim.Adam(layer.parameters(), lr=1e-3)
    layer(torch.randn(16, 4)).pow(2).mean().backward()
    optimizer.step()
    state = dict(layer.state_dict())
    state["knots"] = torch.linspace(-1.75, 1.75, 15).repeat(4, 1)  # registered buffer
    torch.save({"model": state, "optimizer": optimizer.state_dict()}, tmp_path / "kan.pt")
    found = values_of(check_findings(probe_optimizer(Inputs(checkpoint=tmp_path / "kan.pt"),
                                                     ProbeContext()), "checkpoint.optimizer"))
    assert found["optimizer.frozen_params"] is False
    state["frozen"] = torch.randn(4, 15)  # a weight the optimizer does not hold
    torch.save({"model": state, "optimizer": optimizer.state_dict()}, tmp_path / "kan.pt")
    found = values_of(check_findings(probe_optimizer(Inputs(checkpoint=tmp_path / "kan.pt"),
                                                     ProbeContext()), "checkpoint.optimizer"))
    assert found["optimizer.frozen_params"] is not False


def _store_run(tmp_path: Path, shuffle: bool) -> Path:
    """A store-demand regressor (a store table beside one numeric feature) trained by Adam on
    windows sorted by store, with or without shuffling."""
    gen = torch.Generator().manual_seed(0)
    stores = torch.arange(30).repeat_interleave(32)
    level = torch.randn(30, generator=gen)[stores]
    x = torch.randn(stores.numel(), 1, generator=gen)
    y = level + 0.5 * x[:, 0]

    class Demand(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.store = nn.Embedding(30, 4)
            self.mlp = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))

        def forward(self, s: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
            return self.mlp(torch.cat([self.store(s), v], 1))[:, 0]

    torch.manual_seed(0)
    model = Demand()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(3):
        order = torch.randperm(stores.numel(), generator=gen) if shuffle \
            else torch.arange(stores.numel())
        for idx in order.split(16):
            loss = (model(stores[idx], x[idx]) - y[idx]).pow(2).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    path = tmp_path / f"demand_{shuffle}.pt"
    torch.save({"net": model.state_dict(), "adam": optimizer.state_dict()}, path)
    return path


def test_a_table_walked_in_index_order_leaves_its_order_in_the_optimizer(
        tmp_path: Path) -> None:
    """The thirtieth set's DeepAR, loader sorted by store: Adam's first moment of the store
    table rose with the store id (rank 0.95, 894×); shuffled, it follows no order."""
    found = {}
    for shuffle in (False, True):
        inputs = Inputs(checkpoint=_store_run(tmp_path, shuffle))
        found[shuffle] = values_of(check_findings(probe_optimizer(inputs, ProbeContext()),
                                                  "checkpoint.optimizer"))
    assert found[False]["data.entity_order_in_memory"] is True
    assert found[True]["data.entity_order_in_memory"] is False


def test_the_padding_question_asks_the_training_loss_first() -> None:
    """The thirty-first set's SASRec counted its padding in the training loss (0.78, the
    every-position average 0.81) while its validation loop did not (5.35, the real tokens'
    5.04): the validation loss had answered "padding skipped"."""
    from dldoctor.probes.padding import padding_findings

    gen = torch.Generator().manual_seed(0)
    tokens = torch.randint(1, 30, (32, 20), generator=gen)
    tokens[:, :16] = 0  # left padding, labelled 0 like the item it pads
    targets = tokens.clone()
    logits = torch.zeros(32, 20, 30)
    logits[..., 0] = 6.0  # the model learnt to predict the padding …
    logits[:, 16:] = 0.0  # … and little of the real items
    per = torch.nn.functional.cross_entropy(logits.reshape(-1, 30), targets.reshape(-1),
                                            reduction="none").reshape(32, 20)
    every, real = float(per.mean()), float(per[:, 16:].mean())
    found = values_of(padding_findings(tokens, targets, False, logits, logged=real,
                                       logged_train=every))
    assert found["loss.counts_padding"] is True, (every, real)
    found = values_of(padding_findings(tokens, targets, False, logits, logged=real))
    assert found["loss.counts_padding"] is False  # the validation loss alone: skipped
