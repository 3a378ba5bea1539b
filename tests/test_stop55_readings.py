"""Readings the hundred-fourth to hundred-twelfth hand sets asked for at stop 55, each on real
tensors and files: a per-epoch log frozen at ln 24 beside six classes, a training loss that
rests on the entropy of the batch's labels, a BCE batch's class prior, a channels-last
picture viewed channels-first whose rows stay alike, and a complaint that says "did not call"
about something other than model.train()."""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch
import torch.nn.functional as F

from dldoctor.engine.symptoms import match_symptoms
from dldoctor.engine.values import UNKNOWN
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_log
from dldoctor.probes.loss_match import batch_loss_findings
from dldoctor.probes.pixel_order import pixel_order_finding
from dldoctor.probes.task_info import majority_share
from tests.support import check_findings, values_of, write_csv_log


def test_a_per_epoch_log_frozen_at_ln_24_beside_six_classes_is_a_guess_over_24(
        tmp_path: Path) -> None:
    """log_softmax over one speaker's 24 tokens (dim 0): eight epoch rows at 3.1781 each."""
    epochs = [float(i) for i in range(1, 9)]

    def reading(loss: list[float]) -> object:
        path = write_csv_log(tmp_path / "l.csv", {"ep": epochs, "nll": loss, "val_nll": loss,
                                                 "val_acc": [0.56 - 0.05 * i for i in range(8)]})
        found = check_findings(curve_findings(read_log(path), classes=6))
        return values_of(found).get("loss.uniform_over_n")

    assert reading([round(math.log(24), 4)] * 8) == 24.0
    assert reading([math.log(24) * (1 - 0.004 * i) for i in range(8)]) is None  # it moves
    assert reading([round(math.log(6), 4)] * 8) is None  # a guess over the classes: no count
    assert reading([round(math.log(24), 4)] * 4) is None  # four rows are too few


def _label_entropy_reading(tmp_path: Path, targets: torch.Tensor, logged: float) -> object:
    log = write_csv_log(tmp_path / "e.csv", {"epoch": list(range(8)), "loss": [logged] * 8})
    logits = torch.randn(targets.numel(), 3, generator=torch.Generator().manual_seed(0))
    found = check_findings(batch_loss_findings(logits, targets, Inputs(logs=(log,)),
                                               ProbeContext()))
    return values_of(found)["loss.logged_over_label_entropy"]


def test_a_loss_resting_on_the_label_shares_reads_near_one(tmp_path: Path) -> None:
    """Verdicts joined one row off: 60 / 20 / 20 % labels, the loss flat at their entropy."""
    skewed = torch.tensor([0] * 77 + [1] * 26 + [2] * 25)
    shares = torch.tensor([77, 26, 25]) / 128
    entropy = float(-(shares * shares.log()).sum())
    assert abs(_label_entropy_reading(tmp_path, skewed, entropy) - 1.0) < 1e-3
    assert _label_entropy_reading(tmp_path, skewed, 0.2) < 0.3  # a model that learnt
    even = torch.tensor([0, 1, 2] * 40)  # too even: its entropy is ln 3's
    assert _label_entropy_reading(tmp_path, even, math.log(3)) is UNKNOWN


def test_one_float_target_per_sample_gives_the_class_prior(tmp_path: Path) -> None:
    """A BCE classifier's 0/1 float targets, 78 % negatives: chance is 0.78, not 0.5."""
    targets = torch.zeros(64)
    targets[:14] = 1.0
    path = tmp_path / "bce.pt"
    torch.save((torch.randn(64, 8), targets), path)
    share = majority_share(Inputs(batch=path, device="cpu"), ProbeContext(), 2)
    assert share is not None and abs(share - 50 / 64) < 1e-6
    soft = tmp_path / "soft.pt"  # soft targets are no labels
    torch.save((torch.randn(64, 8), torch.rand(64)), soft)
    assert majority_share(Inputs(batch=soft, device="cpu"), ProbeContext(), 2) is None


def test_a_channels_last_picture_whose_rows_stay_alike_reads_as_interleaved() -> None:
    """Viewed (N, H, W, C) → (N, C, H, W): the view's rows stay alike (0.44) and side-by-side
    values somewhat (0.31), but values three apart — one pixel's channels later — correlate
    0.99: interleaved, where alike-both-ways once read as in order."""
    g = torch.Generator().manual_seed(0)

    def smooth() -> torch.Tensor:
        return F.interpolate(torch.randn(32, 1, 2, 2, generator=g), size=(24, 24),
                             mode="bilinear", align_corners=False)

    picture = smooth()
    rgb = torch.cat([picture, 0.5 * picture + 0.5 * smooth(), 0.3 * picture + smooth()], 1)
    nhwc = rgb.permute(0, 2, 3, 1).contiguous()
    viewed = pixel_order_finding(nhwc.view(32, 3, 24, 24))
    assert viewed is not None and viewed.value is True
    check_findings([viewed])
    moved = pixel_order_finding(nhwc.permute(0, 3, 1, 2))
    assert moved is not None and moved.value is False


def test_a_statement_needs_the_thing_it_names() -> None:
    """"did not call a single board 'clear'" shares "not call" with "model.train() never
    called" but names no model.train(): no statement that the model trained in eval mode."""
    kb = load_knowledge()

    def said(text: str) -> set[str]:
        return {m.symptom for m in match_symptoms(kb, text, limit=20)}

    assert "said_trained_in_eval_mode" not in said(
        "in the last epoch it did not call a single board 'clear'")
    assert "said_trained_in_eval_mode" in said("I forgot model.train() after validation")
    assert "said_trained_in_eval_mode" in said("忘了调用 model.train()")


def test_a_later_step_is_no_start() -> None:
    """"inf at step 10" looks like "nan at step 0" letter by letter, but step 10 is not the
    first step: no NaN-from-the-start (an unscaled accumulation read as a log of zero)."""
    kb = load_knowledge()

    def said(text: str) -> set[str]:
        return {m.symptom for m in match_symptoms(kb, text, limit=20)}

    assert "loss_nan_at_start" not in said("inf at step 10")
    assert "loss_nan_at_start" in said("the loss is nan at step 0")
    assert "loss_nan_at_start" in said("nan right from the first step")


def test_a_signal_padded_with_a_constant_counts_its_padding_label() -> None:
    """A tide-gauge tagger's (N, T, 1) records padded with 0.0 to one length, the padded steps
    labelled 2 (<pad>, a label no real sample has): the trained model's loss over every step
    matches the log, so the loss counted the padding, as for padded token ids."""
    from dldoctor.probes.padding import padding_findings

    gen = torch.Generator().manual_seed(0)
    signal = torch.randn(32, 40, 1, generator=gen) + 3.0
    signal[:, 10:] = 0.0  # 75 % padding
    tags = torch.randint(0, 2, (32, 40), generator=gen)
    tags[:, 10:] = 2
    logits = torch.zeros(32, 40, 3)
    logits[:, 10:, 2] = 8.0  # the padding learnt; the real steps stay a guess
    per = F.cross_entropy(logits.reshape(-1, 3), tags.reshape(-1), reduction="none")
    every = float(per.mean())
    found = values_of(check_findings(padding_findings(signal, tags, output=logits,
                                                      logged=every, logged_train=every)))
    assert found["loss.counts_padding"] is True and found["labels.padding_value"] == 2
    assert padding_findings(torch.randn(32, 40, 1, generator=gen), tags) == []  # no padding


def test_a_history_saved_as_one_json_document_is_read(tmp_path: Path) -> None:
    """json.dump(history, f, indent=1) of per-epoch records, the same on one line, and Keras'
    history.history (lists by metric): each is the log it holds, not an error."""
    from dldoctor.probes.logs import read_log

    rows = [{"epoch": i, "train_nll": 3.6 - 0.1 * i, "valid_acc": 0.8 + 0.01 * i}
            for i in range(6)]
    keras = {"loss": [r["train_nll"] for r in rows], "val_acc": [r["valid_acc"] for r in rows]}
    for name, text in (("pretty.json", json.dumps(rows, indent=1)),
                       ("line.json", json.dumps(rows)),
                       ("keras.json", json.dumps(keras))):
        path = tmp_path / name
        path.write_text(text + "\n")
        metrics = read_log(path)
        loss = metrics.series["loss"]
        assert len(loss.values) == 6 and abs(float(loss.values[-1]) - 3.1) < 1e-9, name


class _Tagger(torch.nn.Module):
    """A yarn-break LSTM: batch_first as given, fed (batch, time, channels)."""

    def __init__(self, batch_first: bool) -> None:
        super().__init__()
        self.lstm = torch.nn.LSTM(2, 16, batch_first=batch_first)
        self.head = torch.nn.Linear(16, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def test_an_lstm_reading_the_batch_as_time_mixes_its_later_samples() -> None:
    """With batch_first=False the recurrence runs across the samples: the first half never
    sees the second (its outputs fed alone are the same), the second half does."""
    from dldoctor.probes.batch_mixing import mixing_findings
    from dldoctor.probes.models import Batch

    torch.manual_seed(0)
    x = torch.randn(32, 20, 2)
    batch = Batch(x, torch.randint(0, 2, (32,)), Path("batch.pt"))
    for batch_first, mixed in ((False, True), (True, False)):
        found = check_findings(mixing_findings(_Tagger(batch_first), batch, torch.device("cpu")))
        assert values_of(found)["batch.outputs_mixed"] is mixed, batch_first
