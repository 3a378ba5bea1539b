"""Readings asked for at stop 58: a value a person says they watch is no complaint about it,
and a validation loss that fell by half says the run learnt the task, however far a batch
lies above the memorised training loss."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.engine.symptoms import match_symptoms
from dldoctor.engine.values import UNKNOWN
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return load_knowledge()


def _named(kb, text: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {m.symptom for m in match_symptoms(kb, text, limit=20)}


@pytest.mark.parametrize("text", ["I log gradient norms", "we track the gradient norm",
                                  "我记录了梯度范数"])
def test_a_value_watched_is_no_complaint_about_it(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "grad_exploding" not in _named(kb, text)


@pytest.mark.parametrize("text", ["I log gradient norms and they are huge",
                                  "the gradient norm I log explodes to 1e6"])
def test_a_value_watched_and_said_wrong_is_still_read(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "grad_exploding" in _named(kb, text)


def _memorising_run(folder: Path, learnable: bool, columns: tuple[str, str] = (
        "train_mse", "val_mse")) -> Path:
    """A wide MLP fitted to 48 samples until it memorises them, logging the training MSE and
    the validation MSE (or MAE, for a ``val_mae`` column) each epoch; with ``learnable``
    false the targets are noise, so nothing it learns holds on the validation samples."""
    torch.manual_seed(0)
    x, x_val = torch.randn(48, 6), torch.randn(48, 6)

    def target(inputs: torch.Tensor) -> torch.Tensor:
        return inputs[:, :1] * 2.0 - inputs[:, 1:2] if learnable else torch.randn(len(inputs), 1)

    y, y_val = target(x), target(x_val)
    model = nn.Sequential(nn.Linear(6, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                          nn.Linear(256, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    folder.mkdir()
    with (folder / "metrics.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["epoch", *columns])
        measure = nn.functional.l1_loss if columns[1].endswith("mae") else \
            nn.functional.mse_loss
        for epoch in range(60):
            optimizer.zero_grad()
            loss = nn.functional.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                val = measure(model(x_val), y_val).item()
            writer.writerow([epoch, loss.item(), val])
    return folder / "metrics.csv"


def test_the_validation_fall_tells_what_a_run_learnt_on_held_out_data(tmp_path: Path) -> None:
    """A run that learns the task lowers its validation loss by far more than 30 % however
    much it then memorises; a run fitted to noise does not."""
    def fell(log: Path) -> float:
        found = check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()), "log.curves")
        return values_of(found)["val.fell_from_first"]

    assert fell(_memorising_run(tmp_path / "task", True)) >= 0.5
    assert fell(_memorising_run(tmp_path / "noise", False)) < 0.3


_RATIO_FEATURE = '''
import torch


def features(raw):
    energy, strokes, rate = raw.unbind(1)
    return torch.stack([{ratio}, rate / 30], 1)


def build():
    return torch.nn.Linear(2, 1)
'''


@pytest.mark.parametrize(("ratio", "flagged"), [
    ("energy / strokes", True),
    ("energy / strokes.clamp(min=1)", False),
    ("energy / (strokes + 1e-6)", False),
    ("energy / 500", False),
])
def test_a_ratio_by_a_column_of_the_data_is_read(tmp_path: Path, ratio: str,
                                                 flagged: bool) -> None:
    from dldoctor.probes.source_scan import column_division_findings

    source = tmp_path / "model.py"
    source.write_text(_RATIO_FEATURE.replace("{ratio}", ratio))
    found = column_division_findings(f"{source}:build")
    assert bool(found) == flagged
    if flagged:
        assert found[0].value is True and "energy / strokes" in str(found[0].evidence)


def test_a_column_guarded_after_it_is_cut_is_not_read(tmp_path: Path) -> None:
    from dldoctor.probes.source_scan import column_division_findings

    source = tmp_path / "model.py"
    source.write_text(_RATIO_FEATURE.replace("energy, strokes, rate = raw.unbind(1)",
                                             "energy, strokes, rate = raw.unbind(1)\n"
                                             "    strokes = strokes.clamp(min=1)")
                      .replace("{ratio}", "energy / strokes"))
    assert column_division_findings(f"{source}:build") == []


def _tagged_sets(masked: bool) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, float]:
    """A GRU tagging every second of feature sequences right-padded with zero vectors (tag 0
    on the padding, tags 1–3 on the real seconds), trained with a cross-entropy over every
    position or with ``ignore_index=0``: (inputs, tags, trained outputs, last loss)."""
    torch.manual_seed(0)
    n, steps, features = 64, 40, 4
    prototypes = torch.randn(4, features)
    tags = torch.randint(1, 4, (n, steps))
    x = prototypes[tags] + 0.5 * torch.randn(n, steps, features)
    lengths = torch.randint(6, 14, (n,))
    pad = torch.arange(steps)[None, :] >= lengths[:, None]
    x[pad], tags[pad] = 0.0, 0
    gru, head = nn.GRU(features, 16, batch_first=True), nn.Linear(16, 4)
    optimizer = torch.optim.Adam([*gru.parameters(), *head.parameters()], lr=1e-2)
    loss = torch.tensor(0.0)
    for _ in range(60):
        optimizer.zero_grad()
        out = head(gru(x)[0])
        loss = nn.functional.cross_entropy(out.reshape(-1, 4), tags.reshape(-1),
                                           ignore_index=0 if masked else -100)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        out = head(gru(x)[0])
    return x, tags, out, loss.item()


@pytest.mark.parametrize("masked", [False, True])
def test_padded_feature_sequences_tell_whether_the_loss_counted_the_padding(masked: bool
                                                                              ) -> None:
    """Feature vectors padded with zeros read as padded ids: the padding's own tag 0, and the
    logged loss matches the average over every position (unmasked) or over the real seconds
    (``ignore_index=0``)."""
    from dldoctor.probes.padding import padding_findings

    x, tags, out, logged = _tagged_sets(masked)
    found = {f.fact: f.value for f in padding_findings(x, tags, output=out,
                                                        logged_train=logged)}
    assert found["labels.padding_value"] == 0
    assert found["loss.counts_padding"] is (not masked)


def test_a_squared_training_loss_is_not_compared_with_a_validation_mae(tmp_path: Path) -> None:
    """An MSE of 0.0009 and an MAE of 0.03 are one error of 0.03: the gap between a squared
    training loss and a validation column in the target's units is not measured (a healthy
    regressor had read as a shift from the first evaluation, 15x); the same measure on both
    sides is."""
    def facts(columns: tuple[str, str]) -> dict[str, object]:
        log = _memorising_run(tmp_path / "_".join(columns), True, columns)
        return values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                        "log.curves"))

    other = facts(("train_mse", "val_mae"))
    same = facts(("train_mse", "val_mse"))
    assert other["train_val.gap_ratio"] is UNKNOWN
    assert other["val.gap_at_first_eval"] is UNKNOWN
    assert isinstance(same["train_val.gap_ratio"], float)


class _CharLM(nn.Module):
    """A character GRU language model in PyTorch's default layout: (positions, batch)."""

    def __init__(self) -> None:
        super().__init__()
        self.emb, self.gru, self.head = nn.Embedding(30, 8), nn.GRU(8, 16), nn.Linear(16, 30)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        out, hidden = self.gru(self.emb(x))
        return self.head(out), hidden


def test_a_sequence_first_language_model_is_not_read_as_mixing_samples() -> None:
    """Fed (positions, batch) tokens with a target per position, a sequence-first GRU's later
    positions read its earlier ones: halves of the file's first axis are halves of every
    sequence, not of the batch (a call-number LM had read as a softmax over the batch, 0.55)."""
    from dldoctor.probes.batch_mixing import mixing_findings
    from dldoctor.probes.models import Batch

    torch.manual_seed(0)
    tokens = torch.randint(0, 30, (21, 8))
    batch = Batch(tokens[:-1], tokens[1:], Path("batch.pt"))
    found = check_findings(mixing_findings(_CharLM(), batch, torch.device("cpu")))
    assert values_of(found)["batch.outputs_mixed"] is UNKNOWN
    assert "sequence-first" in str(found[0].evidence)


def test_unpadded_measurement_sequences_hold_no_padding() -> None:
    """Sequences of real measurements to the last second (a gearbox's speed and torque,
    tagged per step) end on no shared vector: nothing is read as padding (a shift tagger
    had read as 99.99 % padding with id 1, `loss_ignores_padding` 0.85 wrong)."""
    from dldoctor.probes.padding import padding_findings

    torch.manual_seed(0)
    x = torch.rand(64, 50, 2)
    tags = torch.randint(0, 4, (64, 50)).sort(dim=1).values
    assert padding_findings(x, tags) == []


@pytest.mark.parametrize("shape", [(0, 5, 3), (4, 0, 3), (4, 5, 0), (0, 6)])
def test_an_empty_batch_holds_no_padding(shape: tuple[int, ...]) -> None:
    from dldoctor.probes.padding import padding_findings

    inputs = torch.zeros(shape)
    assert padding_findings(inputs, torch.zeros(shape[:2], dtype=torch.long)) == []


def _stepped_checkpoint(folder: Path, bug: str) -> Path:
    """An MLP trained a few Adam steps with one bug: a head replaced after the optimizer was
    built (``head_after_optimizer``) or the body's output detached (``detached``)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(),
                          nn.Linear(16, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    if bug == "head_after_optimizer":
        model[4] = nn.Linear(16, 3)  # a new head: the optimizer still holds the old one
    x, y = torch.randn(64, 6), torch.randint(0, 3, (64,))
    for _ in range(5):
        optimizer.zero_grad()
        hidden = model[:4](x)
        out = model[4](hidden.detach() if bug == "detached" else hidden)
        nn.functional.cross_entropy(out, y).backward()
        optimizer.step()
    folder.mkdir()
    path = folder / "ckpt.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    return path


@pytest.mark.parametrize(("bug", "at_the_end"), [("head_after_optimizer", True),
                                                 ("detached", False)])
def test_which_tensors_never_stepped_tells_a_head_left_out_from_a_cut_graph(
        tmp_path: Path, bug: str, at_the_end: bool) -> None:
    """Built from model.parameters(), the optimizer lists the head last: a head replaced after
    it leaves the last tensors without state; a detached body leaves the first ones."""
    from dldoctor.probes.static_probes import probe_optimizer

    found = values_of(check_findings(probe_optimizer(
        Inputs(checkpoint=_stepped_checkpoint(tmp_path / bug, bug)), ProbeContext()),
        "checkpoint.optimizer"))
    assert 0 < found["optimizer.never_stepped_share"] < 1
    assert found["optimizer.never_stepped_at_the_end"] is at_the_end
