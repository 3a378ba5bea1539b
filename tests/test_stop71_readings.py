"""Readings added at stop 71, each on the kind of run an examiner's set showed it on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from dldoctor.engine.symptoms import match_symptoms, split_questions, symptoms_named
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.live_forward import label_findings
from dldoctor.probes.live_output import spread_findings
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_logs
from dldoctor.probes.models import Batch
from tests.support import values_of


def _named(text: str) -> list[str]:
    return [m.symptom for m in symptoms_named(match_symptoms(load_knowledge(), text, limit=20))]


def test_an_epoch_logs_gap_is_measured_against_the_first_epoch(tmp_path: Path) -> None:
    """Set 255's triathlon MLP: one row per epoch, the first (0.88) averages an epoch that
    began untrained; the next rows had already fallen to 0.3. The gap (val 0.96, train 0)
    is 109 % of the first epoch — memorised — not 290 % of the fallen level."""
    train = [0.88, 0.33, 0.27, 0.1, 0.01, 0.001, 0.0001, 0.00001] + [0.0] * 12
    log = tmp_path / "train.jsonl"
    log.write_text("".join(json.dumps({"ep": i + 1, "train_mse": t, "val_mse": 0.96})
                           + "\n" for i, t in enumerate(train)))
    facts = values_of(curve_findings(read_logs([log])))
    assert facts["train_val.gap_over_initial"] == pytest.approx(0.96 / 0.88)


def test_a_step_logs_gap_keeps_its_robust_start(tmp_path: Path) -> None:
    """Per-step rows: a single high first step is noise, the start level stays the median."""
    train = [0.88, 0.33, 0.30] + [0.3 - 0.01 * i for i in range(27)] + [0.0] * 30
    log = tmp_path / "steps.csv"
    log.write_text("step,loss,val_loss\n" + "".join(
        f"{i * 10},{t},{'0.96' if i % 10 == 9 else ''}\n" for i, t in enumerate(train)))
    facts = values_of(curve_findings(read_logs([log])))
    assert facts["train_val.gap_over_initial"] > 2.0


# ------------------------------------------------------------- complaints


@pytest.mark.parametrize(("text", "named"), [
    # what goes as it should is context: it names nothing, beside a problem or alone
    ("the training loss keeps going down", []),
    ("训练 loss 一直在降，验证 loss 却在涨", ["val_loss_rising"]),
    # ... but a fall said with a problem of its own is that problem, and the whole complaint
    # is still read with it
    ("the loss is going down but painfully slowly", ["loss_linear"]),
    ("loss 一直在下降，可是评估指标没有任何提升", ["metric_flat_loss_falls"]),
    # a phrase that denies what the piece asserts ("降不到 0.5 以下" against "降到 0.001 以下")
    ("训练损失从0.50一直降到0.001以下", []),
    # "nondeterministic" is "not reproducible"
    ("runs are nondeterministic", ["runs_not_reproducible"]),
    # a number below zero is a negative loss (set 249's treehouse beams)
    ("The training loss is -4.7 after the first epoch and keeps falling, -641534 by epoch 10",
     ["loss_negative_unbounded"]),
])
def test_what_a_complaint_names(text: str, named: list[str]) -> None:
    assert _named(text) == named


def test_a_loss_said_to_move_is_not_one_said_to_stay() -> None:
    """"loss 一直在降" is one character from "loss 一直不变" (set 265's icing MLP)."""
    assert "loss_flat" not in _named("loss 一直在降")
    assert "loss_flat" in _named("loss 一直不变")


def test_an_accuracy_said_below_a_symptoms_share_is_not_that_symptom() -> None:
    """Set 265's icing MLP: validation accuracy falling from 0.75 to 0.66 after the first
    epoch is no accuracy suspiciously high (min_share 0.9)."""
    fell = "可是验证集准确率从第一个 epoch 的 0.75 往下掉到 0.66"
    assert "too_good_to_be_true" not in _named(fell)
    assert "too_good_to_be_true" in _named("验证准确率第一个 epoch 就到了 100%")


@pytest.mark.parametrize(("text", "kept", "guess"), [
    ("我以为是过拟合，可是 3000 多条数据的网络不算大", "可是 3000 多条数据的网络不算大",
     "我以为是过拟合"),
    ("I thought it was overfitting, but the val loss climbs from epoch 2.",
     "but the val loss climbs from epoch 2.", "I thought it was overfitting"),
    ("I think the loss is stuck at 2.3", "I think the loss is stuck at 2.3", None),
])
def test_a_guess_told_as_a_belief_is_no_observation(text: str, kept: str,
                                                    guess: str | None) -> None:
    told, asked = split_questions(text)
    assert told == kept
    assert asked == ([guess] if guess else [])


# ------------------------------------------------------------- a training log beside


def test_a_validation_log_given_alone_is_read_with_the_training_log_beside(
        tmp_path: Path) -> None:
    """Set 264's walnut-huller CNN wrote train_log.csv and valid_log.csv; given the
    validation log alone, the training log beside it is read too (and noted)."""
    (tmp_path / "train_log.csv").write_text(
        "epoch,train_ce,train_acc\n" + "".join(f"{i},{1 / (i + 1):.4f},0.9\n" for i in range(8)))
    given = tmp_path / "valid_log.csv"
    given.write_text("epoch,loss,acc\n"
                     + "".join(f"{i},{1.2 / (i + 1):.4f},0.8\n" for i in range(8)))
    metrics = read_logs([given])
    assert {"loss", "val_loss", "val_acc"} <= set(metrics.series)
    assert metrics.series["val_loss"].values[0] == pytest.approx(1.2)
    assert any("train_log.csv" in str(note) for note in metrics.unused)


# ------------------------------------------------------------- the batch against the model


def test_multi_hot_labels_say_how_rare_their_rarest_value_is() -> None:
    """Set 267's croquet LSTM: three fault flags, the rarest on 13 of 64 strokes."""
    y = torch.zeros(64, 3)
    y[:19, 0], y[:17, 1], y[:13, 2] = 1, 1, 1
    facts = values_of(label_findings(Batch(torch.zeros(64, 5), y, Path("b.pt")),
                                     torch.zeros(64, 3)))
    assert facts["batch.label_imbalance_ratio"] == pytest.approx(51 / 13)
    one_hot = torch.eye(3)[torch.arange(64) % 3]
    facts = values_of(label_findings(Batch(torch.zeros(64, 5), one_hot, Path("b.pt")),
                                     torch.zeros(64, 3)))
    assert "batch.label_imbalance_ratio" not in facts


def test_predictions_that_miss_the_targets_mean_are_measured() -> None:
    """Set 268's bias-free seagrass MLP: predictions spread like the targets, 43 below them."""
    gen = torch.Generator().manual_seed(0)
    y = 43 + 33 * torch.randn(64, generator=gen)
    out = (y - 43 + 3 * torch.randn(64, generator=gen)).unsqueeze(1)
    facts = values_of(spread_findings(out, Batch(torch.zeros(64, 6), y, Path("b.pt"))))
    assert facts["output.offset_over_target_std"] > 1.0
    assert facts["output.target_std_ratio"] > 0.8
