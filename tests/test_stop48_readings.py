"""Readings added in stop 48, on real artefacts: a model that memorised its few training
samples scores an unseen batch at the validation loss's level, far above the training loss
it logged — a generalisation gap, not a loss given the wrong tensors; a tagger whose 1×1
convolution head gives the classes, its log_softmax taken over the positions: the
validation loss never beats a guess while the tags are mostly right; tensors saved twice (a
module registered under two names, a tied weight) are no parameters left out of the
optimizer; units silent inside a squeeze-and-excitation gate are no dead ReLUs; a training
set fitted perfectly while validation never beats chance is labels unrelated to inputs; a
schedule that multiplies the optimizer's rate up shows as the logged peak over initial_lr; a
training loader built without shuffling is read from the model file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.nn import functional

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_forward
from dldoctor.probes.source_scan import loader_shuffle_findings
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, curve_facts, forkcli, values_of

_FACTORY = '''import torch
from torch import nn


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))
'''


def _fit_with_accuracy(folder: Path, model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                       train: int, epochs: int, batch: int, gen: torch.Generator) -> None:
    """Adam 3e-3 on the first ``train`` samples in shuffled batches of ``batch``; each epoch
    logs the training and validation (the rest) loss and accuracy to ``history.csv``; the
    weights and the optimizer go to ``last.pt``."""
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    rows = []
    for epoch in range(epochs):
        order = torch.randperm(train, generator=gen)
        for start in range(0, train, batch):
            pick = order[start:start + batch]
            loss = nn.functional.cross_entropy(model(x[pick]), y[pick])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            scores = [(nn.functional.cross_entropy(out, t).item(),
                       (out.argmax(1) == t).float().mean().item())
                      for out, t in ((model(x[:train]), y[:train]),
                                     (model(x[train:]), y[train:]))]
        rows.append([epoch, *scores[0], *scores[1]])
    with (folder / "history.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        writer.writerows(rows)
    torch.save({"net": model.state_dict(), "opt": optimizer.state_dict()}, folder / "last.pt")


@pytest.fixture(scope="module")
def memorised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 4-class MLP trained by Adam for 60 epochs on 40 noisy samples: training accuracy 1,
    validation accuracy about 0.5; the batch is 64 validation samples."""
    folder = tmp_path_factory.mktemp("memorised")
    (folder / "net.py").write_text(_FACTORY)
    namespace: dict[str, object] = {}
    exec(_FACTORY, namespace)  # noqa: S102 - the test's own factory
    model = namespace["build"]()  # type: ignore[operator]
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(600, 20, generator=gen)
    y = (x @ torch.randn(20, 4, generator=gen) + 1.5 * torch.randn(600, 4, generator=gen)).argmax(1)
    _fit_with_accuracy(folder, model, x, y, train=40, epochs=60, batch=8, gen=gen)
    torch.save((x[40:104], y[40:104]), folder / "batch.pt")
    return folder


def test_an_unseen_batch_of_a_memorising_model_is_over_fitting(memorised: Path) -> None:
    run = memorised
    out = forkcli.run(["dldoctor", "diagnose", "-c", str(run / "last.pt"), "-l",
                       str(run / "history.csv"), "-m", f"{run / 'net.py'}:build", "-b",
                       str(run / "batch.pt"), "--no-input", "--json"],
                      capture_output=True, text=True, timeout=300)
    report = json.loads(out.stdout)
    found = {f["fact"]: f["value"] for f in report["findings"]}
    # the premise of a loss on the wrong tensors holds: the batch costs far more than the log
    assert found["loss.batch_over_logged"] >= 10 and found["train_val.gap_ratio"] >= 3
    assert found["train.acc_end"] == 1.0
    faults = [d["cause"] for d in report["diagnoses"] if d["established"]]
    assert faults[0] == "overfitting" and "loss_input_wrong" not in faults, faults


def test_a_log_without_training_accuracy_leaves_its_end_unknown(tmp_path: Path) -> None:
    facts = curve_facts(tmp_path, {"train_loss": [1.3, 0.9, 0.7, 0.6, 0.55],
                                   "val_loss": [1.3, 1.0, 0.8, 0.75, 0.7]})
    assert facts["train.acc_end"] is UNKNOWN
    with_accuracy = curve_facts(tmp_path, {"train_loss": [1.3, 0.9, 0.7, 0.6, 0.55],
                                           "train_acc": [0.3, 0.5, 0.6, 0.7, 0.72]},
                                "acc.csv")
    assert with_accuracy["train.acc_end"] == pytest.approx(0.7)


def test_a_validation_loss_that_zigzags_after_its_first_fall_oscillates(tmp_path: Path
                                                                          ) -> None:
    train = [5.2, 1.75, 1.52, 1.29, 1.18, 1.11, 1.01, 0.96]
    zigzag = curve_facts(tmp_path, {"train_loss": train,
                                    "val_loss": [21.3, 2.27, 1.62, 1.36, 1.16, 1.88, 1.0, 1.63]})
    assert zigzag["val.oscillating"] is True
    steady = curve_facts(tmp_path, {"train_loss": train,
                                    "val_loss": [21.3, 2.27, 1.62, 1.36, 1.2, 1.12, 1.08, 1.05]},
                         "steady.csv")
    assert steady["val.oscillating"] is False


def _tagger(folder: Path, dim: int) -> Path:
    """A per-token tagger (embedding, a width-3 conv, a 1×1 conv head of 4 tags; three in four
    tokens carry tag 0) trained by Adam for 8 epochs, its log_softmax over ``dim`` of the
    (batch, positions, tags) scores; a JSON-lines log per epoch."""
    folder.mkdir()
    torch.manual_seed(0)
    model = nn.ModuleDict({"embed": nn.Embedding(30, 24), "conv": nn.Conv1d(24, 24, 3, padding=1),
                           "tagger": nn.Conv1d(24, 4, 1)})
    gen = torch.Generator().manual_seed(1)
    tokens = torch.randint(0, 30, (1200, 12), generator=gen)
    tags = torch.where(tokens < 23, 0, tokens % 3 + 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)

    def log_probs(batch: torch.Tensor) -> torch.Tensor:
        hidden = torch.relu(model["conv"](model["embed"](batch).transpose(1, 2)))
        return functional.log_softmax(model["tagger"](hidden).transpose(1, 2), dim=dim)

    lines = []
    for epoch in range(8):
        for start in range(0, 1000, 50):
            loss = functional.nll_loss(log_probs(tokens[start:start + 50]).reshape(-1, 4),
                                       tags[start:start + 50].reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            scores = log_probs(tokens[1000:])
            val = functional.nll_loss(scores.reshape(-1, 4), tags[1000:].reshape(-1)).item()
            acc = (scores.argmax(-1) == tags[1000:]).float().mean().item()
        lines.append(json.dumps({"epoch": epoch, "train_nll": loss.item(), "val_nll": val,
                                 "val_tag_acc": acc}) + "\n")
    (folder / "log.jsonl").write_text("".join(lines))
    torch.save({"model": model.state_dict(), "opt": optimizer.state_dict()}, folder / "tagger.pt")
    return folder


@pytest.mark.parametrize(("dim", "expected"), [(1, "softmax_wrong_dim"), (-1, None)])
def test_a_tagger_normalised_over_its_positions_is_a_softmax_on_the_wrong_axis(
        tmp_path: Path, dim: int, expected: str | None) -> None:
    run = _tagger(tmp_path / "run", dim)
    out = forkcli.run(["dldoctor", "diagnose", "-c", str(run / "tagger.pt"), "-l",
                       str(run / "log.jsonl"), "--no-input", "--json"],
                      capture_output=True, text=True, timeout=300)
    report = json.loads(out.stdout)
    faults = [d["cause"] for d in report["diagnoses"] if d["established"]]
    assert (faults[:1] or [None])[0] == expected, report["diagnoses"]
    assert out.returncode == (1 if expected else 0)


_TWICE = '''import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Linear(8, 16), nn.LayerNorm(16), nn.ReLU())
        self.body = nn.Sequential(self.stem, nn.Linear(16, 16), nn.ReLU())  # stem listed twice
        self.se = nn.Sequential(nn.Linear(16, 4), nn.ReLU(), nn.Linear(4, 16), nn.Sigmoid())
        self.head = nn.Linear(16, 3)

    def forward(self, x):
        h = self.body(x)
        return self.head(h * self.se(h))


def build():
    torch.manual_seed(0)
    return Net()
'''


@pytest.fixture(scope="module")
def twice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A net whose stem is registered under two names, trained by Adam for 30 steps; its
    squeeze-and-excitation gate's hidden units are then switched off (bias −50)."""
    folder = tmp_path_factory.mktemp("twice")
    (folder / "net.py").write_text(_TWICE)
    namespace: dict[str, object] = {}
    exec(_TWICE, namespace)  # noqa: S102 - the test's own factory
    model = namespace["build"]()  # type: ignore[operator]
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(256, 8, generator=gen)
    y = (x[:, :3]).argmax(1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for step in range(30):
        pick = slice(step % 8 * 32, step % 8 * 32 + 32)
        loss = nn.functional.cross_entropy(model(x[pick]), y[pick])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        model.se[0].bias.fill_(-50.0)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               folder / "last.pt")
    torch.save((x[:64], y[:64]), folder / "batch.pt")
    return folder


def test_a_module_saved_under_two_names_is_no_parameter_left_out(twice: Path) -> None:
    found = check_findings(probe_optimizer(Inputs(checkpoint=twice / "last.pt"),
                                           ProbeContext()), "checkpoint.optimizer")
    frozen = next(f for f in found if f.fact == "optimizer.frozen_params")
    assert frozen.value is False, frozen.evidence


def test_silent_units_inside_a_gate_are_no_dead_relus(twice: Path) -> None:
    inputs = Inputs(checkpoint=twice / "last.pt", model=f"{twice / 'net.py'}:build",
                    batch=twice / "batch.pt", device="cpu")
    found = values_of(check_findings(probe_forward(inputs, ProbeContext()), "live.forward"))
    # the gate's four units never fire; the stem's and the body's do
    assert found["act.dead_relu_fraction"] < 0.9


@pytest.fixture(scope="module")
def random_labels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An MLP fitted for 30 epochs to 200 samples whose 4 labels are drawn apart from their
    inputs (train accuracy 1.0); validation stays at chance."""
    folder = tmp_path_factory.mktemp("random_labels")
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                          nn.Linear(128, 4))
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(456, 20, generator=gen)
    y = torch.randint(0, 4, (456,), generator=gen)
    _fit_with_accuracy(folder, model, x, y, train=200, epochs=30, batch=20, gen=gen)
    return folder


def test_memorised_labels_that_never_carry_over_are_labels_unrelated_to_inputs(
        random_labels: Path) -> None:
    out = forkcli.run(["dldoctor", "diagnose", "-c", str(random_labels / "last.pt"), "-l",
                       str(random_labels / "history.csv"), "--no-input", "--json"],
                      capture_output=True, text=True, timeout=300)
    report = json.loads(out.stdout)
    causes = [d["cause"] for d in report["diagnoses"]]
    assert causes[0] == "labels_wrong", report["diagnoses"]
    assert "overfitting" not in [d["cause"] for d in report["diagnoses"] if d["established"]]


def _scheduled(folder: Path, one_cycle: bool) -> Path:
    """An Adam MLP built with lr 3e-3 for 40 steps under a LambdaLR warm-up that forgot to
    divide the step by its length (factors up to 10, the rate up to 0.03) — or under
    OneCycleLR to the same peak — logging the rate each step."""
    folder.mkdir()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.03, total_steps=40) \
        if one_cycle else torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda step: float(min(step + 1, 10)))
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(400, 6, generator=gen)
    y = x[:, :3].argmax(1)
    rows = []
    for step in range(40):
        pick = slice(step % 10 * 40, step % 10 * 40 + 40)
        loss = nn.functional.cross_entropy(model(x[pick]), y[pick])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        rows.append([step, loss.item(), optimizer.param_groups[0]["lr"]])
        schedule.step()
    with (folder / "log.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["step", "loss", "lr"])
        writer.writerows(rows)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               folder / "last.pt")
    return folder


def test_a_schedule_that_multiplies_the_rate_up_is_measured(tmp_path: Path) -> None:
    run = _scheduled(tmp_path / "lambda", one_cycle=False)
    found = values_of(check_findings(probe_optimizer(
        Inputs(checkpoint=run / "last.pt", logs=(run / "log.csv",)), ProbeContext()),
        "checkpoint.optimizer"))
    assert found["lr.peak_over_initial"] == pytest.approx(10.0, rel=0.01)
    cycle = _scheduled(tmp_path / "cycle", one_cycle=True)
    found = values_of(probe_optimizer(
        Inputs(checkpoint=cycle / "last.pt", logs=(cycle / "log.csv",)), ProbeContext()))
    assert "lr.peak_over_initial" not in found  # a one-cycle schedule climbs to its max_lr


@pytest.mark.parametrize(("code", "expected"), [
    ("train_loader = DataLoader(train_set, batch_size=32, shuffle=False)", False),
    ("loader = torch.utils.data.DataLoader(train, batch_size=32)", False),
    ("train_dl = DataLoader(ds, batch_size=8, shuffle=True)", True),
    ("val_loader = DataLoader(val_set, batch_size=64, shuffle=False)", None),
    ("train_loader = DataLoader(train_set, batch_size=32, sampler=sampler)", None),
    ("train_loader = DataLoader(train_set, shuffle=args.shuffle)", None),
], ids=["named-train", "train-dataset", "shuffled", "validation-only", "sampler", "variable"])
def test_the_training_loader_s_order_is_read_from_the_model_file(
        tmp_path: Path, code: str, expected: bool | None) -> None:
    model = tmp_path / "net.py"
    model.write_text("import torch\nfrom torch.utils.data import DataLoader\n\n\n"
                     f"def loaders(train_set, val_set, train, ds, sampler, args):\n    {code}\n")
    found = values_of(loader_shuffle_findings(f"{model}:build"))
    assert found.get("data.shuffled") is expected
