"""What the twenty-second hand set's DeepFM click models showed (bench/hand/twentysecond):
a factorisation machine's first-order table ``first`` (110, 1) beside its factor table ``emb``
(110, 8) was read as two bias-free linear layers (``missing_bias`` 0.82 on a healthy run); its
first-order ``Linear(3, 1)``, whose output is added into the logit, was "the narrowest hidden
layer, 1 wide" (``underfitting`` 0.72); a table parameter ``dense_emb`` at std 0.01 and the
zero-started first-order embedding were "weights 0.02x Kaiming" and "activations collapsed"
(``bad_weight_init`` 0.64). And with raw counts fed in, a log whose first row (epoch 0's mean
BCE) is 100x ln 2 said nothing, as it was no first step's loss. Tiny real runs of each."""

from __future__ import annotations

import math
from pathlib import Path

import torch
import torch.nn as nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of
from tests.support.stepruns import beliefs, save_step_run

FIELDS = [20, 30, 25]


class DeepFM(nn.Module):
    """First-order weights + FM over field vectors + an MLP, summed into one logit."""

    def __init__(self) -> None:
        super().__init__()
        self.offsets = torch.tensor([0, *FIELDS[:-1]]).cumsum(0)
        self.first = nn.Embedding(sum(FIELDS), 1)
        self.emb = nn.Embedding(sum(FIELDS), 8)
        self.dense_first = nn.Linear(2, 1)
        self.dense_emb = nn.Parameter(0.01 * torch.randn(2, 8))
        self.mlp = nn.Sequential(nn.Linear(5 * 8, 32), nn.ReLU(), nn.Linear(32, 1))
        nn.init.normal_(self.emb.weight, std=0.01)
        nn.init.zeros_(self.first.weight)

    def forward(self, cats: torch.Tensor, dense: torch.Tensor) -> torch.Tensor:
        idx = cats + self.offsets
        vecs = torch.cat([self.emb(idx), dense[:, :, None] * self.dense_emb], 1)
        fm = 0.5 * (vecs.sum(1).pow(2) - vecs.pow(2).sum(1)).sum(1)
        first = self.first(idx).sum((1, 2)) + self.dense_first(dense).squeeze(1)
        return first + fm + self.mlp(vecs.flatten(1)).squeeze(1)


def _clicks(n: int, scale: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    cats = torch.stack([torch.randint(0, m, (n,), generator=g) for m in FIELDS], 1)
    dense = torch.randn(n, 2, generator=g)
    logit = -1.0 + 0.8 * dense[:, 0] + 0.3 * (cats[:, 0] % 3 == 0).float()
    y = torch.bernoulli(torch.sigmoid(logit), generator=g)
    return cats, dense * scale + (scale if scale > 1 else 0.0), y


def _train(folder: Path, scale: float, per_epoch: bool) -> tuple[Path, Path]:
    torch.manual_seed(0)
    model = DeepFM()
    cats, dense, y = _clicks(2048, scale)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    rows: dict[str, list[float | None]] = {"epoch": [], "step": [], "train_logloss": []}
    step = 0
    for epoch in range(6):
        total = []
        for i in range(0, 2048, 128):
            loss = nn.functional.binary_cross_entropy_with_logits(
                model(cats[i:i + 128], dense[i:i + 128]), y[i:i + 128])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            total.append(float(loss.detach()))
            if not per_epoch:
                rows["epoch"].append(epoch)
                rows["step"].append(step)
                rows["train_logloss"].append(total[-1])
        if per_epoch:
            rows["epoch"].append(epoch)
            rows["step"].append(step)
            rows["train_logloss"].append(sum(total) / len(total))
    return save_step_run(folder, model, optimizer, rows)


def test_a_healthy_factorisation_machine_has_tables_and_no_narrow_hidden_layer(
        tmp_path: Path) -> None:
    checkpoint, log = _train(tmp_path, 1.0, per_epoch=False)
    belief = beliefs(checkpoint, log)
    assert belief.get("missing_bias", 0.0) < 0.5, belief
    assert belief.get("underfitting", 0.0) < 0.5, belief
    from dldoctor.probes.static_probes import probe_weights

    found = values_of(check_findings(probe_weights(Inputs(checkpoint=checkpoint),
                                                   ProbeContext()), "checkpoint.weights"))
    assert found.get("weights.narrowest_hidden", 32.0) >= 32, found.get("weights.narrowest_hidden")
    assert found.get("weights.has_embedding") is True


def test_a_first_epoch_mean_far_above_ln2_says_the_logits_started_huge(tmp_path: Path) -> None:
    checkpoint, log = _train(tmp_path, 1000.0, per_epoch=True)
    facts = values_of(check_findings(probe_curves(Inputs(checkpoint=checkpoint, logs=(log,)),
                                                  ProbeContext()), "log.curves"))
    first = float(log.read_text().splitlines()[1].split(",")[-1])
    assert first > 10 * math.log(2), first  # the bug shows: epoch 0's mean is far above ln 2
    assert facts["loss.initial_too_high"] is True
    assert facts["loss.initial_over_chance"] >= 10


def test_a_first_epoch_mean_near_ln2_stays_unknown(tmp_path: Path) -> None:
    checkpoint, log = _train(tmp_path, 1.0, per_epoch=True)
    facts = values_of(check_findings(probe_curves(Inputs(checkpoint=checkpoint, logs=(log,)),
                                                  ProbeContext()), "log.curves"))
    assert facts["loss.initial_too_high"] is UNKNOWN  # an epoch's mean: the start is not in it
