"""Readings added at stop 66 from three unseen hand sets (215–217): a gradient clip handed one
layer of a model the optimizer steps whole, an input batch that is NaN throughout, and one
class's recall at 0 in every evaluation of a run that learns the others."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from dldoctor.engine import load_kb
from dldoctor.engine.symptoms import match_symptoms
from dldoctor.engine.values import UNKNOWN
from dldoctor.kb import BUILTIN_KB
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_forward import input_findings
from dldoctor.probes.live_structure import init_findings
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.models import Batch
from dldoctor.probes.source_scan import (
    grad_clipping_findings,
    leaf_loss_findings,
    sliced_batch_findings,
)
from tests.support import check_findings, values_of

_LOOP = """import torch
from torch import nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(5, 16, nonlinearity="relu", batch_first=True)
        self.out = nn.Linear(16, 1)

def build():
    return Net()

def train(model, batches):
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    for x, y in batches:
        loss = nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_({handed}, 1.0)
        opt.step()
"""


@pytest.mark.parametrize(("handed", "clips"), [
    ("model.out.parameters()", False),  # set 217's nomad herd RNN: the head only
    ("model.out.weight", False),
    ("model.parameters()", True),
])
def test_a_clip_handed_one_layer_bounds_the_rest_of_nothing(tmp_path: Path, handed: str,
                                                            clips: bool) -> None:
    source = tmp_path / "train.py"
    source.write_text(_LOOP.format(handed=handed))
    found = {f.fact: f for f in grad_clipping_findings(f"{source}:build")}
    assert found["setup.grad_clipping"].value is clips
    if clips:
        assert "src.clip_misplaced" not in found
    else:
        assert found["src.clip_misplaced"].value is True
        assert "only model.out" in found["src.clip_misplaced"].evidence


def test_a_part_model_optimizer_clipping_its_own_part_clips(tmp_path: Path) -> None:
    """A fine-tune that steps the head only and clips the head clips every update it makes."""
    source = tmp_path / "train.py"
    source.write_text(_LOOP.format(handed="model.out.parameters()").replace(
        "torch.optim.SGD(model.parameters()", "torch.optim.SGD(model.out.parameters()"))
    found = {f.fact: f for f in grad_clipping_findings(f"{source}:build")}
    assert found["setup.grad_clipping"].value is True
    assert "src.clip_misplaced" not in found


def _made(x: torch.Tensor) -> object:
    found = {f.fact: f for f in input_findings(Batch(x, None, Path("b.pt")))}
    return found["input.non_finite_made"].value


def test_an_input_nan_throughout_says_nothing_of_where_it_came_from() -> None:
    """Set 215's rice-terrace GRU: gaps filled with a mean taken over data holding NaN made
    every standardised value NaN — no 0/0 on a constant feature, which a NaN at the same
    positions of every sample would otherwise read as."""
    assert _made(torch.full((8, 12, 5), float("nan"))) is UNKNOWN
    x = torch.randn(8, 12, 5)
    x[:, :, 2] = float("nan")  # one feature NaN in every sample: a constant feature's 0/0
    assert _made(x) is True
    y = torch.randn(8, 12, 5)
    y[3, 4, 1] = float("nan")  # scattered: missing values
    assert _made(y) is False


def _blobs(n: int, shares: list[float], g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Four overlapping Gaussian classes in 8 dimensions, drawn in the given shares."""
    y = torch.multinomial(torch.tensor(shares), n, replacement=True, generator=g)
    centres = torch.randn(4, 8, generator=torch.Generator().manual_seed(1)) * 1.2
    return centres[y] + torch.randn(n, 8, generator=g), y


def _landcover_log(tmp_path: Path, rare_share: float) -> Path:
    """A log like set 216's oasis CNN: an MLP trained with a plain cross-entropy on data whose
    class 0 has ``rare_share`` of the training samples, validated on a set where it has an
    eighth; per epoch the validation accuracy and class 0's recall."""
    g = torch.Generator().manual_seed(0)
    rest = (1 - rare_share) / 3
    x, y = _blobs(2000, [rare_share, rest, rest, rest], g)
    vx, vy = _blobs(400, [0.125, 0.875 / 3, 0.875 / 3, 0.875 / 3], g)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 4))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rows = ["ep\tloss\tval_loss\tval_acc\tval_rare_recall"]
    for epoch in range(1, 11):
        for i in range(0, 2000, 64):
            loss = torch.nn.functional.cross_entropy(model(x[i:i + 64]), y[i:i + 64])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            out = model(vx)
            pred = out.argmax(1)
            recall = float((pred[vy == 0] == 0).float().mean())
            rows.append(f"{epoch}\t{loss.item():.4f}\t"
                        f"{torch.nn.functional.cross_entropy(out, vy).item():.4f}\t"
                        f"{(pred == vy).float().mean().item():.4f}\t{recall:.4f}")
    log = tmp_path / f"landcover_{rare_share}.tsv"
    log.write_text("\n".join(rows) + "\n")
    return log


@pytest.mark.parametrize(("rare_share", "never"), [(0.005, True), (0.25, False)])
def test_one_class_never_predicted_while_the_rest_are_learnt(tmp_path: Path,
                                                             rare_share: float,
                                                             never: bool) -> None:
    log = _landcover_log(tmp_path, rare_share)
    found = check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()), "log.curves")
    assert values_of(found)["val.recall_zero_while_learning"] is never
    if never:
        words = next(f.evidence for f in found if f.fact == "val.recall_zero_while_learning")
        assert "the other classes are learnt, this one never" in words


def test_a_recall_of_zero_said_is_a_class_never_predicted() -> None:
    kb = load_kb([BUILTIN_KB])
    said = ("validation accuracy is 0.87 and the loss looks fine, but it has not labelled a "
            "single validation patch as oasis in 12 epochs, recall 0.00 on exactly the class "
            "we care about")
    found = [m.symptom for m in match_symptoms(kb, said)]
    assert found[0] == "class_never_predicted" and "loss_zero_fast" not in found


def _three_class_log(tmp_path: Path, n_train: int, epochs: int, lr: float) -> Path:
    """A 3-class MLP (two hidden layers of 256) on noisy linear data; the validation loss and
    accuracy on 500 held-out samples before training and after every epoch."""
    g = torch.Generator().manual_seed(0)
    w = torch.randn(10, 3, generator=g)

    def data(n: int) -> tuple[torch.Tensor, torch.Tensor]:
        x = torch.randn(n, 10, generator=g)
        return x, (x @ w + torch.randn(n, 3, generator=g)).argmax(1)

    x, y = data(n_train)
    vx, vy = data(500)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(10, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 3))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    ce = torch.nn.functional.cross_entropy

    def row(epoch: int, loss: float) -> str:
        with torch.no_grad():
            out = model(vx)
        return f"{epoch},{loss:.4f},{ce(out, vy).item():.4f}," \
               f"{(out.argmax(1) == vy).float().mean().item():.4f}"

    with torch.no_grad():
        rows = ["epoch,loss,val_loss,val_acc", row(-1, ce(model(x), y).item())]
    for epoch in range(epochs):
        for i in range(0, n_train, 32):
            loss = ce(model(x[i:i + 32]), y[i:i + 32])
            opt.zero_grad()
            loss.backward()
            opt.step()
        rows.append(row(epoch, loss.item()))
    log = tmp_path / f"run_{n_train}.csv"
    log.write_text("\n".join(rows) + "\n")
    return log


@pytest.mark.parametrize(("n_train", "epochs", "lr", "after"), [
    (500, 60, 1e-4, True),   # learns for 40 % of the run, then drifts up, accuracy held
    (48, 40, 3e-3, False),   # 48 samples: the validation loss climbs from the first epochs
])
def test_a_validation_loss_that_turns_up_after_generalising(tmp_path: Path, n_train: int,
                                                            epochs: int, lr: float,
                                                            after: bool) -> None:
    """Healthy runs trained past their best (the generator's held-out LSTMs and separable
    CNNs, set 194's incubator) read as over-fitting 0.6–0.84; a model that cannot generalise
    from its training set turns up before its validation loss has improved much."""
    log = _three_class_log(tmp_path, n_train, epochs, lr)
    found = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert found["val.rising_while_train_falls"] is True
    assert found["val.turned_up_after_generalising"] is after


class _Adapted(torch.nn.Module):
    """A frozen layer with a LoRA pair beside it: ``lora_B`` starts at zero by design."""

    def __init__(self) -> None:
        super().__init__()
        self.base = torch.nn.Linear(16, 16)
        self.lora_A = torch.nn.Parameter(torch.randn(2, 16) * 0.1)
        self.lora_B = torch.nn.Parameter(torch.zeros(16, 2))
        self.head = torch.nn.Linear(16, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.base(x) + x @ self.lora_A.T @ self.lora_B.T)


def _designed(trained: torch.nn.Module) -> object:
    torch.manual_seed(0)
    found = {f.fact: f.value for f in init_findings(_Adapted(), trained)}
    return found.get("weights.constant_by_design")


def test_zeros_the_factory_builds_on_purpose_are_no_zero_initialisation() -> None:
    """Set 220's healthy HF AFMoE read `zero_weight_init` 0.60 from its router's gate, zero in
    the library's own model and still zero in the checkpoint."""
    torch.manual_seed(0)
    trained = _Adapted()
    x, y = torch.randn(64, 16), torch.randint(0, 3, (64,))
    opt = torch.optim.Adam([trained.lora_A, *trained.head.parameters()], lr=1e-2)
    for _ in range(20):  # B stays frozen at zero: what is still zero was built so
        loss = torch.nn.functional.cross_entropy(trained(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert not bool(trained.lora_B.any())
    assert _designed(trained) is True
    with torch.no_grad():
        trained.head.weight.zero_()  # a layer the factory builds random, zero in the run
    assert _designed(trained) is False


_SLICED = """import torch
from torch import nn

BATCH = {batch}

def build():
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))

def train(model, x, y, opt):
    for i in range(0, len(x), {step}):
        loss = nn.functional.cross_entropy(model(x[i:i + {step}]), y[i:i + {step}])
        loss.backward()
        opt.step()
        opt.zero_grad()
    with torch.no_grad():
        for j in range(0, len(x), 256):
            model(x[j:j + 256])
"""


@pytest.mark.parametrize(("batch", "step", "size"), [
    ("2", "BATCH", 2.0),     # set 220's icebreaker radar CNN
    ("2", "64", 64.0),       # a literal step
    ("int(2)", "BATCH", None),  # nothing the file spells out plainly
])
def test_a_loop_that_cuts_its_batches_by_hand(tmp_path: Path, batch: str, step: str,
                                              size: float | None) -> None:
    source = tmp_path / "train.py"
    source.write_text(_SLICED.format(batch=batch, step=step))
    found = {f.fact: f.value for f in sliced_batch_findings(f"{source}:build")}
    # the training loop's, not the eval loop's 256; a file read that names none says "don't
    # know" (stop 85: the batch file's count may then stand in)
    assert found.get("src.batch_size") == (UNKNOWN if size is None else size)


def test_a_search_scored_on_twenty_samples_counts_them_over_every_trial(tmp_path: Path) -> None:
    """Set 219's bazaar search: 14 trials scored on 20 validation haggles; the best trial's
    own accuracies take four values, too few to count the set from — every trial's together
    say 1/20 steps."""
    g = torch.Generator().manual_seed(0)
    w = torch.randn(6, generator=g)
    x, vx = torch.randn(300, 6, generator=g), torch.randn(20, 6, generator=g)
    y, vy = (x @ w > 0).long(), (vx @ w > 0).long()
    rows = ["trial,epoch,lr,train_loss,val_loss,val_acc"]
    for trial, lr in enumerate([3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1]):
        torch.manual_seed(trial)
        model = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(),
                                    torch.nn.Linear(16, 2))
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        for epoch in range(1, 5):
            for i in range(0, 300, 30):
                loss = torch.nn.functional.cross_entropy(model(x[i:i + 30]), y[i:i + 30])
                opt.zero_grad()
                loss.backward()
                opt.step()
            with torch.no_grad():
                out = model(vx)
            rows.append(f"{trial},{epoch},{lr},{loss.item():.4f},"
                        f"{torch.nn.functional.cross_entropy(out, vy).item():.4f},"
                        f"{(out.argmax(1) == vy).float().mean().item():.4f}")
    log = tmp_path / "search_log.csv"
    log.write_text("\n".join(rows) + "\n")
    found = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert found["log.trials"] == 6.0
    assert found["val.size_from_accuracy"] == 20.0


@pytest.mark.parametrize(("said", "heard", "not_heard"), [
    # set 220's icebreaker: the remedy tried in vain is no loss still falling
    ("The speed model fits the training watches well but on the held-out watches it "
     "plateaus at 0.08 from epoch 5. More epochs do not help.", None, "training_unfinished"),
    # set 219's incense cones: "more epochs and a bigger lr" is one clause, both in vain
    ("Our cone burn-time model plateaus almost immediately. More epochs and a bigger lr did "
     "not help.", "loss_flat", "training_unfinished"),
    ("激酶活性预测的 MLP：训练 loss 也几乎不降。换了更大的网络也没用。", "loss_flat", None),
])
def test_a_remedy_tried_in_vain_is_not_a_symptom(said: str, heard: str | None,
                                                 not_heard: str | None) -> None:
    kb = load_kb([BUILTIN_KB])
    found = [m.symptom for m in match_symptoms(kb, said)]
    if heard:
        assert heard in found
    if not_heard:
        assert not_heard not in found


_LEAF = """import numpy as np
import torch
from torch import nn

def build():
    return nn.Linear(4, 1)

def train(model, x, y, opt):
    pred = model(x)
    err = pred.detach().numpy() - y.numpy()
    loss = {loss}
    opt.zero_grad()
    loss.backward()
    opt.step()
"""


@pytest.mark.parametrize(("loss", "leaf"), [
    # set 223's narwhal dive CNN: a NumPy log-cosh wrapped again
    ("torch.tensor(np.log(np.cosh(err)).mean(), requires_grad=True)", True),
    ("torch.log(torch.cosh(pred - y)).mean()", False),
])
def test_a_loss_rebuilt_as_a_new_leaf(tmp_path: Path, loss: str, leaf: bool) -> None:
    source = tmp_path / "train.py"
    source.write_text(_LEAF.format(loss=loss))
    found = {f.fact: f.value for f in leaf_loss_findings(f"{source}:build")}
    assert found.get("src.loss_rebuilt_as_leaf", False) is leaf


def test_a_long_tail_boat_is_no_long_tailed_distribution() -> None:
    kb = load_kb([BUILTIN_KB])
    boats = "船型分类的一维CNN（摇橹、长尾外挂机、柴油机三类）训练得很奇怪"
    assert "imbalanced_data" not in [m.symptom for m in match_symptoms(kb, boats)]
    assert "imbalanced_data" in [m.symptom for m in match_symptoms(kb, "我们的数据是长尾分布")]
