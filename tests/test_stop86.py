"""Stop 86: readings from sets 395–400, each test seen failing on the code before its change."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.engine.loader import load_kb
from dldoctor.engine.symptoms import match_symptoms
from dldoctor.kb import BUILTIN_KB
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.library_init import library_finding
from dldoctor.probes.source_scan import eval_augmentation_findings, worker_rng_findings
from dldoctor.probes.static_probes import probe_optimizer
from dldoctor.session import Session
from tests.support.stepruns import save_step_run


def _tap_test_run(folder: Path, one_class_batches: bool) -> dict[str, object]:
    """Set 397's tap-tone CNN, made small: a binary classifier with BatchNorm trained on
    batches of 25 that each hold one class (drawn in a shuffled order), or on shuffled
    mixed batches; its per-step loss logged, diagnosed from checkpoint and log alone."""
    g = torch.Generator().manual_seed(0)
    y = (torch.rand(600, generator=g) < 0.4).float()
    x = torch.randn(600, 6, generator=g) + y[:, None] * torch.tensor([1.5, -1.0, 0, 0, 0.5, 0])
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
    steps, losses = [], []
    for _ in range(30):
        if one_class_batches:
            batches = [part for c in (0, 1)
                       for part in torch.nonzero(y == c).flatten().split(25)]
            order = torch.randperm(len(batches), generator=g).tolist()
            batches = [batches[i] for i in order]
        else:
            batches = list(torch.randperm(600, generator=g).split(25))
        for rows in batches:
            loss = nn.functional.binary_cross_entropy_with_logits(
                model(x[rows]).squeeze(1), y[rows])
            opt.zero_grad()
            loss.backward()
            opt.step()
            steps.append(len(steps))
            losses.append(loss.item())
    checkpoint, log = save_step_run(folder, model, opt, {"step": steps, "loss": losses})
    session = Session(load_knowledge(), Inputs(checkpoint=checkpoint, logs=(log,)))
    session.run_probes()
    report = session.report().to_json()
    levels = next(f["value"] for f in report["findings"]
                  if f["fact"] == "loss.one_class_batch_levels")
    return {"levels": levels,
            **{d["cause"]: d["confidence"] for d in report["diagnoses"]}}


@pytest.mark.parametrize("one_class_batches", [True, False])
def test_a_loss_at_one_probability_s_two_costs_reads_as_one_class_batches(
        tmp_path: Path, one_class_batches: bool) -> None:
    """Set 397's tap-tone CNN drew each batch from one folder: its logged loss sat at 0.52
    and 0.89, whose probabilities add up to 1, and it read as wrong labels 0.70 (class
    imbalance from checkpoint and log). Shuffled mixed batches give one noisy level."""
    found = _tap_test_run(tmp_path, one_class_batches)
    assert found["levels"] is one_class_batches
    assert (float(found.get("batch_single_class", 0.0)) >= 0.5) is one_class_batches


@pytest.mark.parametrize(("text", "symptom", "not_symptom"), [
    ("Tried more epochs, the check error does not move.", "val_loss_rising",
     "training_unfinished"),
    ("We tried more epochs and it does not move.", "loss_flat", "training_unfinished"),
])
def test_a_check_set_is_validation_and_more_epochs_tried_is_no_unfinished_run(
        text: str, symptom: str, not_symptom: str) -> None:
    """Set 393's dye-fixation complaint: "the check error does not move" had read as a
    training loss on a plateau, and "tried more epochs" as a run stopped too early."""
    found = {m.symptom for m in match_symptoms(load_kb([BUILTIN_KB]), text, limit=20)}
    assert symptom in found
    assert not_symptom not in found


_COIL_FILE = '''
import torch
from torch import nn
from torch.utils.data import Dataset


def traces(n, g):
    return torch.randn(n, 1, 32, generator=g), torch.randint(0, 4, (n,), generator=g)


def jitter(x):
    x = torch.roll(x, int(torch.randint(0, 32, (1,))), dims=-1)
    return x * (0.6 + 0.8 * torch.rand(1))


class Coils(Dataset):
    def __init__(self, x, y, transform=None):
        self.x, self.y, self.transform = x, y, transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i]
        return (self.transform(x) if self.transform else x), self.y[i]


def build():
    return nn.Sequential(nn.Conv1d(1, 4, 3), nn.Flatten(), nn.LazyLinear(4))


def main():
    g = torch.Generator().manual_seed(0)
    xtr, ytr = traces(256, g)
    xva, yva = traces(64, g)
    xva = jitter(xva)  # one fixed perturbation of the held-out set: data, not augmentation
    train_ds = Coils(xtr, ytr, transform=jitter)
    val_ds = Coils(xva, yva, transform=__VAL__)
'''


@pytest.mark.parametrize(("val_transform", "augmented"), [("jitter", True), ("None", False)])
def test_a_hand_written_random_transform_given_to_the_validation_set_is_augmentation(
        tmp_path: Path, val_transform: str, augmented: bool) -> None:
    """Set 397's eddy-current CNN built ``val_ds = CoilTraces(xva, yva, transform=jitter)``
    with ``jitter`` a function of its own that rolls, flips and rescales with torch.rand:
    only library transforms (RandomCrop …) had counted, and the run read as under-fitting
    0.45. A data generator's draws, or the function called once on the held-out data, are
    no augmentation."""
    model = tmp_path / "model.py"
    model.write_text(_COIL_FILE.replace("__VAL__", val_transform))
    found = eval_augmentation_findings(f"{model}:build")
    assert bool(found) is augmented
    if augmented:
        assert "transform=jitter" in found[0].evidence


def test_a_model_library_s_class_throughout_is_told_from_one_holding_user_code() -> None:
    """Set 398's JetMoE routers get exactly 0 from the task loss by the library's design;
    only a model that is the library's class throughout, with no user module inside, is
    read so (a user's head on a library body is code the library did not write)."""
    body = type("LibraryBody", (nn.Module,), {"__module__": "transformers.models.fake"})
    library = type("LibraryModel", (nn.Module,), {"__module__": "transformers.models.fake"})

    def made(cls: type, head: nn.Module) -> nn.Module:
        model = cls()
        model.body = body()
        model.body.proj = nn.Linear(4, 4)
        model.head = head
        return model

    assert library_finding(made(library, nn.Linear(4, 2))).value is True
    assert library_finding(made(library, nn.Sequential(_UserHead()))).value is False
    assert library_finding(_UserHead()).value is False


class _UserHead(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.out = nn.Linear(4, 2)


_GAUGE_FILE = '''
import torch
from torch import nn
from torch.utils.data import DataLoader, IterableDataset, get_worker_info


class Scans(IterableDataset):
    def __init__(self, per_epoch, seed):
        self.per_epoch, self.seed = per_epoch, seed

    def __iter__(self):
        info = get_worker_info()
        count = self.per_epoch // (info.num_workers if info else 1)
        g = torch.Generator().manual_seed(__SEED__)
        for _ in range(count):
            yield torch.randn(8, generator=g), torch.randn(1, generator=g)


def build():
    return nn.Linear(8, 1)


def main():
    dl = DataLoader(Scans(2048, seed=0), batch_size=32, num_workers=4)
'''


@pytest.mark.parametrize(("seed", "shared"), [("self.seed", True),
                                              ("torch.initial_seed()", False),
                                              ("self.seed + info.id", False)])
def test_an_iterable_dataset_reseeded_alike_in_every_worker_draws_one_stream(
        tmp_path: Path, seed: str, shared: bool) -> None:
    """Set 403's runout gauge simulated its scans in ``__iter__`` from
    ``torch.Generator().manual_seed(self.seed)`` with four workers: every worker drew the
    same 512 scans each epoch, and only a generator built in ``__init__`` had been read so
    (data not shuffled 0.36, exit 0). A seed that names the worker or torch's per-worker
    seed draws apart."""
    model = tmp_path / "model.py"
    model.write_text(_GAUGE_FILE.replace("__SEED__", seed))
    found = worker_rng_findings(f"{model}:build")
    assert bool(found) is shared


_MAP_PRICER = f"{__name__}:_MapPricer"


class _MapPricer(nn.Module):
    """Set 403's map pricer, made small: tables named for what they look up, read with
    ids the batch saves under those names."""

    def __init__(self) -> None:
        super().__init__()
        self.house = nn.Embedding(12, 4)
        self.region = nn.Embedding(6, 2)
        self.out = nn.Linear(8, 1)

    def forward(self, house: torch.Tensor, region: torch.Tensor,
                num: torch.Tensor) -> torch.Tensor:
        return self.out(torch.cat([self.house(house), self.region(region), num], 1))


def test_a_table_read_with_a_batch_key_of_its_own_name_counts_unseen_ids(
        tmp_path: Path) -> None:
    """Set 403's map pricer was validated on the latest maps, by houses its date-sorted
    training never held: their rows of ``house.weight`` had no Adam state, but only tables
    named as an embedding and read with the batch's first input had been looked at (over-
    fitting 0.72 first)."""
    torch.manual_seed(0)
    model = _MapPricer()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    house, region = torch.randint(0, 8, (64,)), torch.randint(0, 6, (64,))
    num, target = torch.randn(64, 2), torch.randn(64, 1)
    for _ in range(5):
        optimizer.zero_grad()
        nn.functional.mse_loss(model(house, region, num), target).backward()
        optimizer.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               tmp_path / "ckpt.pt")
    later = {"house": torch.tensor([8, 9, 10, 11, 2, 3, 4, 5]), "region": region[:8],
             "num": num[:8], "targets": target[:8]}
    torch.save(later, tmp_path / "later.pt")
    found = probe_optimizer(Inputs(checkpoint=tmp_path / "ckpt.pt", model=_MAP_PRICER,
                                   batch=tmp_path / "later.pt"), ProbeContext())
    share = next(f for f in found if f.fact == "batch.unseen_token_share")
    assert share.value == 0.5
    assert "house.weight" in share.evidence
