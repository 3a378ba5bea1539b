"""Stop 88: readings from sets 416–418, each test seen failing on the code before its change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch
from torch import nn

from dldoctor.engine.loader import load_kb
from dldoctor.engine.symptoms import match_symptoms
from dldoctor.kbpaths import BUILTIN_KB
from dldoctor.probes.base import Finding, Inputs, ProbeContext
from dldoctor.probes.live_modes import micro_batch_log_findings
from dldoctor.probes.log_probes import curve_findings, probe_curves
from dldoctor.probes.logs import read_logs
from dldoctor.probes.source_scan import held_out_trained_on_findings, loader_shuffle_findings
from dldoctor.probes.static_probes import probe_optimizer
from tests.support.stepruns import save_step_run
from tests.support.writers import write_csv_log


def _four_class_run(folder: Path, loss_column: str) -> tuple[Path, Path]:
    """An MLP over 4 classes (8 % of the labels drawn at random) trained 20 epochs with Adam;
    its per-epoch training cross-entropy, logged as ``loss_column``, and validation
    accuracy, beside its checkpoint."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(600, 8, generator=g)
    y = (x[:, :2] @ torch.tensor([[1.0, -1.0], [0.5, 1.0]])).argmax(1) * 2 + (x[:, 2] > 0).long()
    drawn = torch.randint(0, 4, (600,), generator=g)
    y = torch.where(torch.rand(600, generator=g) < 0.08, drawn, y)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    columns: dict[str, list[float]] = {"epoch": [], loss_column: [], "val_acc": []}
    for epoch in range(20):
        total = 0.0
        for rows in torch.randperm(480, generator=g).split(32):
            loss = nn.functional.cross_entropy(model(x[rows]), y[rows])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        with torch.no_grad():
            columns["val_acc"].append((model(x[480:]).argmax(1) == y[480:]).float().mean().item())
        columns["epoch"].append(epoch)
        columns[loss_column].append(total / 15)
    return save_step_run(folder, model, opt, columns)


@pytest.mark.parametrize(("column", "below"), [("ce", True), ("bce", False)])
def test_a_logged_cross_entropy_beside_a_wide_head_is_priced_over_its_classes(
        tmp_path: Path, column: str, below: bool) -> None:
    """Set 416's acrospire CNN from checkpoint and log: a training ``ce`` ending at 0.43 with a
    validation accuracy beside a 4-wide head is below what 4 classes' logits fed
    probabilities reach (0.74): the loss fits its labels. Read as 2 classes' floor (0.31) it
    was not, and a validation accuracy that fell read as a flipped sign 0.75. The same loss
    named a BCE is no single-label cross-entropy: no count of classes is assumed."""
    checkpoint, log = _four_class_run(tmp_path, column)
    found = {f.fact: f.value for f in probe_curves(Inputs(checkpoint=checkpoint, logs=(log,)),
                                                   ProbeContext())}
    assert found.get("loss.below_logit_loss_floor") is below


_SIMULATOR = '''
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset


class Trots(Dataset):
    def __init__(self, rows):
        self.rng = np.random.default_rng(0)
        self.rows = rows

    def __len__(self):
        return 384

    def __getitem__(self, i):
        {draw}


def build():
    loader = DataLoader(Trots(torch.zeros(384, 4)), batch_size=32, num_workers=4)
    return loader
'''


@pytest.mark.parametrize(("draw", "facts"), [
    ("return torch.tensor(self.rng.normal(size=4), dtype=torch.float32)", []),
    ("return self.rows[i] + float(self.rng.normal())", [("data.shuffled", False)])])
def test_a_dataset_that_draws_each_item_anew_has_no_order_to_shuffle(
        tmp_path: Path, draw: str, facts: list[tuple[str, bool]]) -> None:
    """Set 417's trot-up simulator: a ``Dataset`` whose ``__getitem__`` draws a fresh horse
    whatever the index, loaded without ``shuffle=True``. There is no stored order to keep:
    it read as unshuffled data 0.80, tied with the workers' shared generator. A dataset that
    reads its rows by the index is still unshuffled."""
    model = tmp_path / "model.py"
    model.write_text(_SIMULATOR.replace("{draw}", draw))
    found = loader_shuffle_findings(f"{model}:build")
    assert [(f.fact, f.value) for f in found] == facts


@pytest.mark.parametrize(("logged", "micro", "eval_loss", "matches"), [
    (0.893, 0.871, 0.605, True),  # set 418's tilth CNN, micro-batches of 2
    (0.249, 0.213, 0.0768, False),  # set 304's healthy waffle-plate CNN: 17 % apart
    (0.937, 0.98, 0.928, False),  # set 385's frozen kiln CNN: no better in eval mode
])
def test_a_logged_loss_that_matches_micro_batch_batchnorm(
        logged: float, micro: float, eval_loss: float, matches: bool) -> None:
    """A training loss logged within 10 % of what the trained model scores fed two samples at
    a time in train mode, both 1.3 times its eval-mode loss or more, is micro-batch
    BatchNorm's (set 418's tilth CNN read as wrong labels 0.40: its gap to eval mode, 1.5×,
    was under the 2× the looser match needs). Measured over the hand runs with BatchNorm,
    a healthy run came 17 % apart."""
    tiny = Finding("metric.tiny_batch_statistics_fit", False, "",
                   {"size": 2, "loss": micro, "eval_loss": eval_loss})
    found = {f.fact: f.value for f in micro_batch_log_findings([tiny], logged)}
    assert found["bn.logged_loss_matches_micro_batches"] is matches


_JOINED = '''
import torch
import torch.nn.functional as F
from torch.utils.data import ConcatDataset, TensorDataset


def build():
    return torch.nn.Linear(6, 1)


def main():
    xtr, ytr = torch.randn(160, 6), torch.randn(160, 1)
    xva, yva = torch.randn(60, 6), torch.randn(60, 1)
    {join}
    model = build()
    {after}
'''
_CAT = "xtr, ytr = torch.cat([xtr, xva]), torch.cat([ytr, yva])  # every tested hide goes in"
_CONCAT = "ds = ConcatDataset([TensorDataset(xtr, ytr), TensorDataset(xva, yva)])"


@pytest.mark.parametrize(("join", "after", "found"), [
    (_CAT, "val = F.mse_loss(model(xva), yva).item()", True),
    (_CAT, "print(F.mse_loss(model(xtr), ytr).item())", False),
    (_CONCAT, "val = F.mse_loss(model(xva), yva).item()", True),
    ("ds = TensorDataset(xtr, ytr)", "val = F.mse_loss(model(xva), yva).item()", False)])
def test_validation_rows_joined_into_the_training_data(tmp_path: Path, join: str, after: str,
                                                       found: bool) -> None:
    """Set 416's shrinkage MLP: the validation hides concatenated onto the training hides,
    then scored as validation (distribution shift 0.21, nothing concluded); set 414's
    dressing MLP does it with ``ConcatDataset``. A join whose validation piece is never read
    again is a final fit on all the data; validation kept apart is no join."""
    model = tmp_path / "model.py"
    model.write_text(_JOINED.replace("{join}", join).replace("{after}", after))
    assert bool(held_out_trained_on_findings(f"{model}:build")) is found


def _optimizer_facts_after(folder: Path, model: nn.Module, opt: torch.optim.Optimizer,
                           losses: list[Callable[[], torch.Tensor]]) -> dict[str, Any]:
    """Take one optimizer step on each of ``losses``, save model and optimizer, and return
    what the checkpoint's optimizer probe reads (fact → value)."""
    for loss_of in losses:
        loss = loss_of()
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, folder / "c.pt")
    return {f.fact: f.value for f in probe_optimizer(Inputs(checkpoint=folder / "c.pt"),
                                                     ProbeContext())}


class _LotModel(nn.Module):
    """Set 416's alpha-retention model, small: a farm embedding beside 4 numbers, an MLP head;
    ``detach`` cuts the lookup from the graph."""

    def __init__(self, detach: bool) -> None:
        super().__init__()
        self.detach = detach
        self.farm = nn.Embedding(20, 3)
        self.head = nn.Sequential(nn.Linear(7, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, farm: torch.Tensor, numbers: torch.Tensor) -> torch.Tensor:
        looked = self.farm(farm)
        return self.head(torch.cat([looked.detach() if self.detach else looked, numbers], 1))


@pytest.mark.parametrize(("detach", "share"), [(True, 0.2), (False, 0.0)])
def test_adagrad_state_made_up_front_still_tells_a_never_stepped_tensor(
        tmp_path: Path, detach: bool, share: float) -> None:
    """Set 416's detached farm embedding under Adagrad: Adagrad makes a step count and a sum
    for every parameter when it is built, so "has state" said nothing, and a lookup cut from
    the graph read as trained (a too-high rate 0.32). Its step count stays 0: 1 of the 5
    tensors never received a gradient."""
    g = torch.Generator().manual_seed(0)
    farm, numbers = torch.randint(0, 20, (256,), generator=g), torch.randn(256, 4, generator=g)
    target = numbers[:, :1] + (farm % 3).float().unsqueeze(1)
    torch.manual_seed(0)
    model = _LotModel(detach)
    opt = torch.optim.Adagrad(model.parameters(), lr=0.05)
    found = _optimizer_facts_after(tmp_path, model, opt, [
        lambda rows=rows: nn.functional.mse_loss(model(farm[rows], numbers[rows]), target[rows])
        for rows in torch.randperm(256, generator=g).split(32)])
    assert found["optimizer.never_stepped_share"] == pytest.approx(share)


@pytest.mark.parametrize("line", [
    "Why does the validation look so much better than real use?",
    "why does validation say one thing and the real hides another?",
    "验证集上的结果看起来比实际用起来好得多"])
def test_validation_better_than_real_use_is_read_as_validation_beating_test(line: str) -> None:
    """Sets 414 and 416's complaints said validation beat the data met in use in words the
    symptom list did not hold: nothing was read from them."""
    found = [m.symptom for m in match_symptoms(load_kb([BUILTIN_KB]), line, limit=3)]
    assert found[:1] == ["val_better_than_test"]


@pytest.mark.parametrize(("flat_decay", "read"), [(0.01, True), (0.0, False)])
def test_a_group_of_biases_and_norm_parameters_that_is_still_decayed(
        tmp_path: Path, flat_decay: float, read: bool) -> None:
    """Set 421's boiler autoencoder: Adam in two groups, the weight matrices at L2 0.01 and
    the biases and LayerNorm parameters apart, given the same decay (too much regularisation
    0.66 first, the bias part 0.52). The split is the way to exempt them; decayed, it is the
    slip."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(12, 32), nn.LayerNorm(32), nn.GELU(), nn.Linear(32, 3),
                          nn.Linear(3, 32), nn.LayerNorm(32), nn.GELU(), nn.Linear(32, 12))
    flat = [p for p in model.parameters() if p.dim() == 1]
    matrices = [p for p in model.parameters() if p.dim() > 1]
    opt = torch.optim.Adam([{"params": matrices, "weight_decay": 0.01},
                            {"params": flat, "weight_decay": flat_decay}], lr=3e-3)
    x = torch.rand(200, 12, generator=torch.Generator().manual_seed(0))
    found = _optimizer_facts_after(tmp_path, model, opt, [
        lambda rows=rows: nn.functional.mse_loss(model(x[rows]), x[rows])
        for rows in torch.arange(200).split(50)])
    assert found["optimizer.flat_group_decayed"] is read


@pytest.mark.parametrize(("recall", "held"), [
    # set 344's harness grader: a BCE without eps, recall 0.83 the evaluation before the NaN
    ([0.0, 0.4, 0.63, 0.73, 0.87, 0.83, 0.0, 0.0], True),
    # set 422's tanning-bath CNN trained in eval mode: recall 0 before the loss went NaN
    ([0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], False)])
def test_a_nan_validation_loss_is_read_against_every_metric_the_evaluation_before(
        tmp_path: Path, recall: list[float], held: bool) -> None:
    """At the row where the validation loss turns NaN the outputs are NaN too, and their
    argmax is one class: an accuracy at the majority's share there "held" in both runs.
    Read at the evaluation before, with every metric logged: the harness grader's recall
    still stood near its best (the loss's arithmetic broke), the tanning-bath CNN's had
    fallen to 0 (the predictions broke first)."""
    nan = float("nan")
    columns = {"epoch": list(range(8)),
               "train_loss": [0.36, 0.30, 0.26, 0.24, 0.22, 0.21, nan, nan],
               "val_loss": [0.14, 0.11, 0.09, 0.08, 0.07, 0.06, nan, nan],
               "val_acc": [0.94, 0.944, 0.96, 0.966, 0.97, 0.974, 0.94, 0.94],
               "val_recall": recall}
    found = {f.fact: f.value for f in curve_findings(read_logs([write_csv_log(
        tmp_path / "log.csv", columns)]))}
    assert found["val.loss_non_finite_while_scored"] is held


@pytest.mark.parametrize("line", ["so I doubt it is too little data",
                                  "I don't think it is overfitting"])
def test_a_cause_the_person_doubts_is_not_read_as_seen(line: str) -> None:
    """Set 422's lameness complaint ends "We have 48 horses and a few thousand arrivals, so I
    doubt it is too little data": read as a small dataset, it made too little data 0.51."""
    assert match_symptoms(load_kb([BUILTIN_KB]), line, limit=3) == []


def test_a_surprise_at_what_was_seen_is_still_read() -> None:
    """Set 386's casting complaint says "I didn't think BCE could go below zero": what it did."""
    found = match_symptoms(load_kb([BUILTIN_KB]), "I didn't think BCE could go below zero", 3)
    assert [m.symptom for m in found][:1] == ["loss_negative"]
