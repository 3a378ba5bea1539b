"""Readings added at stop 70 from the unseen sets 254–256: logs split over two files, targets
a training step rescales, a pointer head's classes, micro-batch BatchNorm in the log, padded
regression steps, a binary cross-entropy below zero, and values a complaint gives."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from dldoctor.engine.symptoms import match_symptoms, symptoms_named
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.adam_inputs import column_shift_findings
from dldoctor.probes.base import Finding, Inputs, ProbeContext
from dldoctor.probes.input_rescaled import rescaled_input_finding
from dldoctor.probes.live_modes import micro_batch_log_finding
from dldoctor.probes.live_probes import classify_overfit
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_logs
from dldoctor.probes.losses import affine_target_map
from dldoctor.probes.models import Batch
from dldoctor.probes.padding import padded_steps_findings
from dldoctor.probes.source_scan import sliced_batch_findings
from dldoctor.probes.task_info import classes_for
from tests.support import values_of


def _write(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


# ------------------------------------------------------------- a validation log of its own


def test_a_validation_log_beside_the_training_log_is_read(tmp_path: Path) -> None:
    """Set 256's bocce transformer wrote its steps to steps.csv and its evaluations to
    val_epochs.csv; given the first alone, the second is read beside it, and said so."""
    steps = _write(tmp_path / "steps.csv", "step,epoch,loss",
                   [f"{i},{i // 10},{2.1 - 0.01 * i:.4f}" for i in range(60)])
    _write(tmp_path / "val_epochs.csv", "epoch,val_loss,val_acc",
           [f"{e},{2.1 + 0.02 * e:.4f},0.06" for e in range(6)])
    metrics = read_logs([steps])
    assert metrics.get("val_loss").column == "val_loss"
    assert metrics.get("val_acc") is not None
    assert any("val_epochs.csv" in str(note) for note in metrics.unused)


def test_no_validation_log_is_guessed_among_several_or_over_the_logs_own(
        tmp_path: Path) -> None:
    """Two files that could be the validation log: neither is read; a training log with a
    validation column of its own keeps it."""
    steps = _write(tmp_path / "steps.csv", "step,loss",
                   [f"{i},{1 - 0.01 * i:.3f}" for i in range(30)])
    for name in ("val.csv", "eval.csv"):
        _write(tmp_path / name, "epoch,val_loss", [f"{e},{0.5 + e:.2f}" for e in range(3)])
    assert read_logs([steps]).get("val_loss") is None
    (tmp_path / "own").mkdir()
    own = _write(tmp_path / "own" / "train.csv", "step,loss,val_loss",
                 [f"{i},{1 - 0.01 * i:.3f},0.9" for i in range(30)])
    _write(tmp_path / "own" / "val.csv", "epoch,val_loss", ["0,5.0", "1,5.0", "2,5.0"])
    assert float(read_logs([own]).get("val_loss").values[-1]) == pytest.approx(0.9)


def test_a_loss_named_like_its_validation_logs_loss_is_the_training_loss(
        tmp_path: Path) -> None:
    """Set 254's windsurf transformer logged ``epoch,iter,ce`` and, in valid.csv,
    ``val_ce``: the pair names the training loss the first file alone does not."""
    steps = _write(tmp_path / "steps.csv", "epoch,iter,ce",
                   [f"{i // 20},{i},{1.4 + 0.3 * (i % 3):.3f}" for i in range(80)])
    _write(tmp_path / "valid.csv", "epoch,val_ce,val_acc",
           [f"{e},1.39,0.25" for e in range(4)])
    metrics = read_logs([steps])
    assert metrics.get("loss").column == "ce" and metrics.get("val_loss").column == "val_ce"


# ------------------------------------------------------------------ readings of the curves


def test_a_training_loss_logged_as_zero_has_a_gap_at_least_its_floor(tmp_path: Path) -> None:
    """Set 255's triathlon MLP memorised 64 athletes: train_mse printed as 0.0 from epoch 20,
    val_mse 0.96 — the gap is at least val over the smallest positive value logged."""
    train = [0.88, 0.33, 0.27, 0.1, 0.01, 0.001, 0.0001, 0.00001] + [0.0] * 12
    log = tmp_path / "train.jsonl"
    log.write_text("".join(json.dumps({"ep": i + 1, "train_mse": t, "val_mse": 0.96})
                           + "\n" for i, t in enumerate(train)))
    facts = values_of(curve_findings(read_logs([log])))
    assert facts["train_val.gap_ratio"] == pytest.approx(0.96 / 1e-5)


@pytest.mark.parametrize(("values", "expected"), [
    ([0.70, 0.67, 0.64, 0.4, 0.1, -0.3, -2.0, -9.0, -39.0], True),   # labels 1/2: goes below
    ([-0.69, -0.8, -1.2, -3.0, -7.0, -12.0], False),                  # a flipped sign
])
def test_a_binary_cross_entropy_below_zero(tmp_path: Path, values: list[float],
                                           expected: bool) -> None:
    """Set 255's pole-vault tagger trained BCE on fault tallies (targets of 2): its ``bce``
    column starts at 0.70 and ends at −39, which no output gives targets in [0, 1]."""
    log = _write(tmp_path / "steps.csv", "step,bce",
                 [f"{i},{v}" for i, v in enumerate(values)])
    assert values_of(curve_findings(read_logs([log])))["loss.bce_named_negative"] is expected


# ------------------------------------------------------------------------ live measurements


def test_targets_the_training_step_standardises_are_mapped_to_the_models_scale() -> None:
    """Two Lightning regressors of sets 254 and 255 standardise their targets inside
    ``training_step`` and save raw ones in the batch: the trained output is their affine
    image, and the live checks score it on that scale."""
    torch.manual_seed(0)
    y = 11.3 + 1.1 * torch.randn(64)
    output = (y - 11.3) / 1.1 + 0.1 * torch.randn(64)
    scale, shift = affine_target_map(output, y) or (torch.zeros(1), torch.zeros(1))
    assert float(scale) == pytest.approx(1.1, rel=0.05)
    assert float(shift) == pytest.approx(11.3, abs=0.1)
    assert affine_target_map(y + 0.1 * torch.randn(64), y) is None  # trained on raw targets
    assert affine_target_map(torch.randn(64), y) is None  # fits neither way


def test_a_one_output_head_scoring_each_item_has_as_many_classes_as_items(
        tmp_path: Path) -> None:
    """Set 256's bocce reader scores each of 8 ball tokens with one output and picks the
    closest: a width-1 head with class indices 0–7 has 8 classes, not a binary logit's 2."""
    torch.save({"encoder": nn.Sequential(nn.Linear(6, 32), nn.Linear(32, 1)).state_dict()},
               tmp_path / "ckpt.pt")
    torch.save((torch.randn(64, 8, 6), torch.arange(64) % 8), tmp_path / "batch.pt")
    inputs = Inputs(checkpoint=tmp_path / "ckpt.pt", batch=tmp_path / "batch.pt")
    assert classes_for(inputs, ProbeContext()) == 8


def test_a_logged_training_loss_that_micro_batch_batchnorm_gives() -> None:
    """Set 255's hammer-throw CNN trained two throws a step: its log ends at 0.52, what the
    trained model scores fed two at a time in train mode (0.61), six times its eval loss."""
    tiny = Finding("metric.tiny_batch_statistics_fit", False, "",
                   {"size": 2, "loss": 0.611, "eval_loss": 0.0942})
    assert micro_batch_log_finding([tiny], 0.516).value is True  # type: ignore[union-attr]
    assert micro_batch_log_finding([tiny], 0.1).value is False  # type: ignore[union-attr]
    assert micro_batch_log_finding([], 0.516) is None


def test_padded_regression_steps_the_model_was_taught_to_predict() -> None:
    """Set 254's sailboat LSTM padded its legs with target 0 kn beside a mask and averaged
    the loss over every step: at the padding it predicts 1.8 kn against 5.4 on real steps."""
    torch.manual_seed(0)
    real = torch.arange(48).expand(64, 48) < torch.randint(12, 49, (64, 1))
    targets = torch.where(real, 4 + 2 * torch.rand(64, 48), torch.zeros(64, 48))
    fitted = torch.where(real, targets, torch.full((64, 48), 0.6))
    left = torch.where(real, targets, torch.full((64, 48), 4.8))
    assert values_of(padded_steps_findings(targets, fitted, (real,)))[
        "loss.padded_steps_fitted"] is True
    assert values_of(padded_steps_findings(targets, left, (real,)))[
        "loss.padded_steps_fitted"] is False
    assert padded_steps_findings(targets, fitted, ()) == []  # no mask: nothing to tell by


def test_the_training_dataloaders_batch_size_is_read_from_the_model_file(
        tmp_path: Path) -> None:
    """The training loader shuffles; the saved batch (64 validation throws) says nothing of
    the size the run trained with."""
    source = tmp_path / "model.py"
    source.write_text(
        "import torch\n"
        "def build():\n    return torch.nn.Linear(2, 1)\n"
        "def main(ds, val):\n"
        "    loader = torch.utils.data.DataLoader(ds,\n"
        "                                         batch_size=2, shuffle=True)\n"
        "    val_loader = torch.utils.data.DataLoader(val, batch_size=192)\n")
    assert values_of(sliced_batch_findings(f"{source}:build"))["src.batch_size"] == 2.0


# ------------------------------------------------------------------------------- complaints


@pytest.mark.parametrize("text", [
    "training loss goes to zero but validation MSE stays high",
    "The training loss goes to practically zero within 20 epochs, but on the held-out "
    "athletes the MSE sits at 0.96 and the predictions are off by over 3 minutes",
])
def test_a_training_loss_at_zero_beside_a_high_held_out_loss_is_a_gap(text: str) -> None:
    """Set 255's triathlon complaint: a training loss gone to zero and a held-out loss that
    stays high is training good, test bad — not both losses close and high."""
    named = {m.symptom for m in symptoms_named(match_symptoms(load_knowledge(), text))}
    assert "train_good_test_bad" in named and "train_val_close_high" not in named


def test_a_held_out_column_far_from_the_training_inputs() -> None:
    """Set 258's taper moulds: the diameter column of the validation batch has RMS 5.8
    where the training inputs had 1.06 (by Adam's moments); the others agree."""
    rng = np.random.default_rng(0)
    train = np.ones(6)
    same = rng.standard_normal((64, 6))
    shifted = same.copy()
    shifted[:, 0] -= 6.0
    assert values_of(column_shift_findings(same, "net.0.weight", train))[
        "input.column_off_training"] < 1.5
    assert values_of(column_shift_findings(shifted, "net.0.weight", train))[
        "input.column_off_training"] > 4


class _Dinners(nn.Module):
    """Set 259's refuge model: codes looked up, sun hours rescaled beside them."""

    def __init__(self, scale: bool) -> None:
        super().__init__()
        self.scale = scale
        self.ref = nn.Embedding(40, 8)
        self.mlp = nn.Sequential(nn.Linear(9, 16), nn.ReLU(), nn.Linear(16, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        sun = x[:, 1:] / 5 - 1 if self.scale else x[:, 1:]
        return self.mlp(torch.cat([self.ref(x[:, 0].long()), sun], 1)).squeeze(-1)


def test_features_the_model_rescales_beside_its_embeddings(tmp_path: Path) -> None:
    """Sun hours 0-10 beside a refuge id: divided by 5 and centred before the MLP, the model
    rescales them itself; fed raw, it does not."""
    torch.manual_seed(0)
    x = torch.stack([torch.randint(0, 40, (64,)).float(), 10 * torch.rand(64)], 1)
    batch = Batch(x, torch.randn(64), tmp_path / "batch.pt")
    found = rescaled_input_finding(_Dinners(scale=True), batch, torch.device("cpu"))
    assert found is not None and found.value is False
    assert rescaled_input_finding(_Dinners(scale=False), batch, torch.device("cpu")) is None


def test_trained_weights_that_already_fit_the_batch() -> None:
    """Set 258's healthy Lightning GRU: from its trained weights the one-batch loss moves
    from 0.017 to 0.026 under a fresh RMSprop, against 1.14 for the freshly built model —
    it fits the batch already; it does not 'go up'."""
    losses = [0.0166 + 0.00005 * i for i in range(200)]
    assert classify_overfit(losses, untrained=1.14)[0] == "reaches_zero"
    assert classify_overfit(losses)[0] == "goes_up"
