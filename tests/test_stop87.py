"""Stop 87: readings from sets 407–409 and the misses before them, each test seen failing on
the code before its change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
from torch import nn

from dldoctor.engine import UNKNOWN
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import curve_findings, probe_curves
from dldoctor.probes.logs import read_logs
from dldoctor.probes.source_scan import eval_augmentation_findings
from dldoctor.probes.static_probes import probe_optimizer
from dldoctor.session import Session
from tests.support.stepruns import save_step_run
from tests.support.writers import write_csv_log


def _report(checkpoint: Path, log: Path) -> dict[str, Any]:
    """The JSON report of checkpoint and log alone."""
    session = Session(load_knowledge(), Inputs(checkpoint=checkpoint, logs=(log,)))
    session.run_probes()
    return session.report().to_json()


def _fit_epochs(model: nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor,
                y: torch.Tensor, split: tuple[int, int, int], g: torch.Generator,
                names: tuple[str, str]) -> dict[str, list[float]]:
    """Train with MSE for ``epochs`` on the first ``train`` rows in shuffled batches of
    ``batch`` (``split`` = (train, batch, epochs)), scoring the rest in eval mode after each
    epoch; the per-epoch log columns, named ``names`` (training, validation)."""
    train, batch, epochs = split
    columns: dict[str, list[float]] = {"epoch": [], names[0]: [], names[1]: []}
    for epoch in range(epochs):
        total = 0.0
        for rows in torch.randperm(train, generator=g).split(batch):
            loss = nn.functional.mse_loss(model(x[rows]), y[rows])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
        model.eval()
        with torch.no_grad():
            columns[names[1]].append(nn.functional.mse_loss(model(x[train:]), y[train:]).item())
        model.train()
        columns["epoch"].append(epoch)
        columns[names[0]].append(total / (train // batch))
    return columns


def _bn_regressor_run(folder: Path, decay_norms: bool) -> dict[str, float]:
    """Set 395's patten CNN, made small: a 1-D CNN whose convolutions feed BatchNorm,
    regressing a target far off zero under SGD with L2 decay 0.05, on every parameter or on
    the kernels and head only; checkpoint and per-epoch log."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(480, 4, 16, generator=g)
    y = 0.44 + 0.2 * x[:, 1].mean(1, keepdim=True)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv1d(4, 16, 3, bias=False), nn.BatchNorm1d(16), nn.ReLU(),
                          nn.Conv1d(16, 16, 3, bias=False), nn.BatchNorm1d(16), nn.ReLU(),
                          nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(16, 1))
    flat = [p for p in model.parameters() if p.dim() == 1]
    kernels = [p for p in model.parameters() if p.dim() > 1]
    groups = [{"params": list(model.parameters()), "weight_decay": 0.05}] if decay_norms else \
        [{"params": kernels, "weight_decay": 0.05}, {"params": flat, "weight_decay": 0.0}]
    opt = torch.optim.SGD(groups, lr=0.05, momentum=0.9)
    columns = _fit_epochs(model, opt, x, y, (400, 40, 30), g, ("train_loss", "val_loss"))
    report = _report(*save_step_run(folder, model, opt, columns))
    gains = next(f["value"] for f in report["findings"] if f["fact"] == "weights.bn_gain_median")
    return {"gains": gains, **{d["cause"]: d["confidence"] for d in report["diagnoses"]}}


@pytest.mark.parametrize("decay_norms", [True, False])
def test_batchnorm_gains_shut_by_decay_read_as_decay_on_the_norms(
        tmp_path: Path, decay_norms: bool) -> None:
    """Set 395's patten CNN put SGD's L2 0.05 on every parameter: every BatchNorm gain sat at
    1e-8, the model predicted the mean, and it read as too much regularisation 0.70 before
    the decay on the norm parameters (0.28). Decay on the kernels alone leaves the gains
    near 1 and the fit through."""
    found = _bn_regressor_run(tmp_path, decay_norms)
    assert (found["gains"] < 0.05) is decay_norms
    on_norms = found.get("weight_decay_on_bias", 0.0)
    assert (on_norms >= 0.5) is decay_norms
    assert found.get("over_regularization", 0.0) < max(on_norms, 0.5)


class _Factoriser(nn.Module):
    """Set 407's willow-yield model: bed and cultivar factors, a bias table per bed and per
    cultivar (``nn.Embedding(n, 1)``) and a global offset."""

    def __init__(self) -> None:
        super().__init__()
        self.offset = nn.Parameter(torch.zeros(1))
        self.bed, self.cult = nn.Embedding(30, 4), nn.Embedding(12, 4)
        self.bed_bias, self.cult_bias = nn.Embedding(30, 1), nn.Embedding(12, 1)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        bed, cult = ids[:, 0], ids[:, 1]
        return self.offset + (self.bed(bed) * self.cult(cult)).sum(1) + \
            self.bed_bias(bed).squeeze(1) + self.cult_bias(cult).squeeze(1)


@pytest.mark.parametrize("tables_decayed", [True, False])
def test_per_id_bias_tables_in_the_decayed_group_are_decay_on_biases(
        tmp_path: Path, tables_decayed: bool) -> None:
    """Set 407's willow-yield model picked its no-decay group by ``p.ndim < 2``, so its
    (n, 1) bias tables were decayed with the factors; read as "biases sit in groups without
    weight decay" (decay on biases −0.8)."""
    torch.manual_seed(0)
    model = _Factoriser()
    spared = [p for p in model.parameters()
              if p.ndim < 2 or (not tables_decayed and p.shape[-1] == 1)]
    decayed = [p for p in model.parameters() if all(p is not q for q in spared)]
    opt = torch.optim.SGD([{"params": decayed, "weight_decay": 1e-2},
                           {"params": spared, "weight_decay": 0.0}], lr=0.1, momentum=0.9)
    ids = torch.stack([torch.randint(0, 30, (64,)), torch.randint(0, 12, (64,))], 1)
    for _ in range(3):
        loss = (model(ids) - 1.0).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    torch.save({"state": model.state_dict(), "sgd": opt.state_dict()}, tmp_path / "mf.pth")
    found = {f.fact: f for f in probe_optimizer(Inputs(checkpoint=tmp_path / "mf.pth"),
                                                ProbeContext())}
    assert found["optimizer.decay_on_bias"].value is tables_decayed
    assert ("bed_bias.weight" in found["optimizer.decay_on_bias"].evidence) is tables_decayed


@pytest.mark.parametrize(("train", "compared"), [("train_loss", False), ("train_mae_mm", True)])
def test_a_validation_error_in_real_units_is_not_compared_with_a_unitless_loss(
        tmp_path: Path, train: str, compared: bool) -> None:
    """Set 410's carbonation GRU logged its MSE on depth / 10 as ``train_loss`` beside the
    validation MAE in mm: "validation 30× the training loss from the first evaluation" read
    as a distribution shift 0.67. A training error named in the same unit is compared."""
    epochs = list(range(12))
    columns = {"epoch": epochs, train: [0.05 * 0.8 ** e for e in epochs],
               "val_mae_mm": [1.6 * 0.9 ** e for e in epochs]}
    found = {f.fact: f.value for f in curve_findings(read_logs(
        [write_csv_log(tmp_path / "front_log.csv", columns)]))}
    assert (found["val.gap_at_first_eval"] is not UNKNOWN) is compared
    assert (found["train_val.gap_ratio"] is not UNKNOWN) is compared


def test_a_negative_loss_that_settles_beside_a_positive_validation_is_a_kl_fed_probabilities(
        tmp_path: Path) -> None:
    """Set 411's parchment GRU fed probabilities to ``F.kl_div``: the training loss sat
    between -0.88 and -0.67 from its first logged step while the validation KL climbed and
    the model called every skin one grade. From checkpoint and log it read as a flipped sign
    0.90: a maximised loss runs off below zero, this one settled."""
    steps = list(range(10, 760, 10))
    wobble = [0.04 * ((i * 7) % 5 - 2) / 2 for i in range(len(steps))]
    loss = [-0.77 - 0.1 * min(i, 6) / 6 + 0.06 * max(0, i - 6) / 69 + w
            for i, w in enumerate(wobble)]
    every = 3
    columns: dict[str, list[float | None]] = {
        "step": [float(x) for x in steps], "loss": [round(v, 4) for v in loss],
        "val_kl": [4.7 + 0.17 * (i // every) if i % every == every - 1 else None
                   for i in range(len(steps))],
        "val_top_acc": [0.4139 if i % every == every - 1 else None for i in range(len(steps))],
        "val_grade_mae": [1.0069 if i % every == every - 1 else None
                          for i in range(len(steps))]}
    log = write_csv_log(tmp_path / "herse_log.csv", columns)
    found = {f.fact: f.value for f in curve_findings(read_logs([log]))}
    assert found["loss.unbounded_below"] is False
    session = Session(load_knowledge(), Inputs(logs=(log,)))
    session.run_probes()
    beliefs = {d["cause"]: d["confidence"] for d in session.report().to_json()["diagnoses"]}
    assert max(beliefs, key=beliefs.__getitem__) == "kl_div_wrong_inputs"
    assert beliefs.get("loss_sign_error", 0.0) < 0.5


@pytest.mark.parametrize("decay", [1e-2, 1e-5])
def test_coupled_decay_that_shrank_every_layer_is_too_much_decay_not_the_bias_part(
        tmp_path: Path, decay: float) -> None:
    """Set 415's kiln-firing autoencoder: Adam with an L2 weight_decay of 1e-2 on every
    parameter held every weight matrix far under its starting scale and the reconstruction
    at the mean curve; it read as the decay on the biases 0.77, too much decay 0.30."""
    g = torch.Generator().manual_seed(0)
    t = torch.linspace(0, 1, 48)
    phase, freq = torch.rand(400, 1, generator=g), 2 + torch.rand(400, 1, generator=g)
    # in small units, as the kiln's °C / 1000: the data's gradient is small beside the decay
    x = 0.1 * torch.sin(6.28 * (freq * t + phase)) + 0.002 * torch.randn(400, 48, generator=g)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(48, 32), nn.ReLU(), nn.Linear(32, 4), nn.ReLU(),
                          nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 48))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=decay)
    columns = _fit_epochs(model, opt, x, x, (320, 8, 25), g, ("train_mse", "val_mse"))
    report = _report(*save_step_run(tmp_path, model, opt, columns))
    beliefs = {d["cause"]: d["confidence"] for d in report["diagnoses"]}
    too_much = decay > 1e-3
    assert (beliefs.get("over_regularization", 0.0) >= 0.5) is too_much
    assert beliefs.get("weight_decay_on_bias", 0.0) < 0.5


@pytest.mark.parametrize("learnt", [False, True])
def test_a_validation_loss_at_the_class_shares_cost_learnt_nothing_of_the_samples(
        tmp_path: Path, learnt: bool) -> None:
    """Set 415's board grader, its grades shuffled apart from the boards: validation
    cross-entropy 1.25-1.27 against the 1.26 that predicting the batch's grade shares costs,
    accuracy 0.41 above a 0.25 chance over four grades; nothing was concluded. A grader that
    learnt its boards ends far below that cost."""
    g = torch.Generator().manual_seed(0)
    targets = torch.multinomial(torch.tensor([0.11, 0.41, 0.33, 0.15]), 64, replacement=True,
                                generator=g)
    torch.save({"inputs": torch.randn(64, 7, generator=g), "targets": targets},
               tmp_path / "batch.pt")
    epochs = list(range(20))
    val = [0.22 + 1.0 * 0.8 ** e for e in epochs] if learnt else \
        [1.25 + 0.001 * e for e in epochs]
    log = write_csv_log(tmp_path / "grade_fit.csv",
                        {"epoch": epochs, "train_ce": [1.26 - 0.005 * e for e in epochs],
                         "val_ce": val, "val_acc": [0.41] * 20})
    found = {f.fact: f for f in probe_curves(Inputs(logs=(log,), batch=tmp_path / "batch.pt"),
                                             ProbeContext())}
    assert found["val.loss_at_the_shares"].value is not learnt


_JITTER_FILE = """
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def light_table_jitter(samples):
    x = torch.stack([s[0] for s in samples])
    y = torch.stack([s[1] for s in samples])
    if torch.rand(1) < 0.5:
        x = x.flip(2)
    return x * (0.85 + 0.3 * torch.rand(len(x), 1, 1)), y


def build():
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 4))


def main(xtr, ytr, xva, yva):
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True,
                    collate_fn=light_table_jitter)
    val_dl = DataLoader(TensorDataset(xva, yva), batch_size=240{val_collate})
    return dl, val_dl
"""


@pytest.mark.parametrize("val_collate", [", collate_fn=light_table_jitter", ""])
def test_a_random_collate_handed_to_the_validation_loader_is_eval_augmentation(
        tmp_path: Path, val_collate: str) -> None:
    """Set 415's vellum CNN copied its training loader for validation, with the light-table
    jitter as its ``collate_fn``: nothing was concluded. The training loader's own jitter
    is augmentation as it should be."""
    model = tmp_path / "vellum.py"
    model.write_text(_JITTER_FILE.replace("{val_collate}", val_collate))
    found = eval_augmentation_findings(f"{model}:build")
    assert bool(found) is bool(val_collate)
    if found:
        assert "collate_fn=light_table_jitter" in found[0].evidence


@pytest.mark.parametrize("swinging", [True, False])
def test_a_validation_accuracy_that_jumps_once_training_is_perfect_is_no_over_fitting(
        tmp_path: Path, swinging: bool) -> None:
    """Set 411's hide-part CNN trained on one-part batches: training accuracy 1.0 from epoch
    4, validation jumping between 0.16 and 0.57; from checkpoint and log it read as
    over-fitting 0.88. An over-fitted model's validation score drifts, it does not jump."""
    epochs = list(range(20))
    jumps = [0.24, 0.33, 0.31, 0.30, 0.28, 0.53, 0.16, 0.57, 0.38, 0.54, 0.46, 0.32, 0.53,
             0.18, 0.20, 0.30]
    val_acc = [0.33, 0.29, 0.32, 0.35] + (jumps if swinging else
                                          [0.80 - 0.004 * i for i in range(16)])
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv1d(1, 8, 5), nn.BatchNorm1d(8), nn.ReLU(),
                          nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(8, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
    x, y = torch.randn(32, 1, 64), torch.arange(32) % 3
    for _ in range(3):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    columns = {"epoch": epochs, "train_acc": [0.42, 0.66, 0.88] + [1.0] * 17,
               "train_ce": [1.13, 0.87, 0.43] + [0.01] * 17,
               "val_ce": [3.0, 1.5, 1.1] + [1.3 + 0.02 * i for i in range(17)],
               "val_acc": val_acc}
    checkpoint, log = save_step_run(tmp_path, model, opt, columns)
    found = {f.fact: f.value for f in curve_findings(read_logs([log]))}
    assert found["val.acc_swings_once_fitted"] is swinging
    beliefs = {d["cause"]: d["confidence"] for d in _report(checkpoint, log)["diagnoses"]}
    assert (beliefs.get("overfitting", 0.0) < 0.5) is swinging
