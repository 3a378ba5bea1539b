"""Readings the fifty-fourth to fifty-seventh hand sets and new user 25 called for (stop 42):
a loss that keeps crossing zero (a difference of two terms, no floor at 0), a loss that ends
"high" while an accuracy says the model fits, an accuracy named for what it scores, a
learning rate that collapses after the first epoch but within its first thousand steps,
channels-last images viewed as channels-first, and a pair's constant target."""

from __future__ import annotations

import math
from pathlib import Path

import torch

from dldoctor.engine.values import UNKNOWN
from dldoctor.probes.live_forward import label_findings
from dldoctor.probes.logs import read_log
from dldoctor.probes.models import Batch
from dldoctor.probes.pixel_order import pixel_order_finding
from tests.support import curve_facts, values_of, write_csv_log

_facts = curve_facts


def test_a_loss_that_keeps_crossing_zero_is_told_from_one_that_runs_off(
        tmp_path: Path) -> None:
    steps = [float(20 * i) for i in range(1, 41)]
    # contrastive divergence: energy of the data minus that of the samples, either side of 0
    cd = [-0.03 * math.cos(1.7 * i) + 0.002 * math.sin(0.3 * i) for i in range(40)]
    facts = _facts(tmp_path, {"step": steps, "loss": cd})
    assert facts["loss.negative"] is True and facts["loss.changes_sign"] is True
    flipped = [0.5 - 0.4 * i for i in range(40)]  # a flipped sign keeps falling
    assert _facts(tmp_path, {"step": steps, "loss": flipped})["loss.changes_sign"] is False


def test_a_loss_resting_on_its_floor_beside_an_accurate_model_is_not_high(
        tmp_path: Path) -> None:
    epochs = [float(i) for i in range(12)]
    train = [4.16, 3.47, 2.9, 2.5, 2.2, 2.05, 1.98, 1.94, 1.92, 1.90, 1.88, 1.87]
    val = [4.13, 2.79, 2.4, 2.2, 2.1, 2.0, 1.97, 1.95, 1.94, 1.93, 1.93, 1.92]
    accurate = [0.1, 0.3, 0.6, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.99, 0.99, 0.99]
    facts = _facts(tmp_path, {"epoch": epochs, "ns_loss": train, "val_ns_loss": val,
                              "knn_topic_acc": accurate})
    assert facts["train_val.close_and_high"] is False
    poor = [0.1, 0.2, 0.3, 0.35, 0.4, 0.4, 0.41, 0.42, 0.42, 0.43, 0.43, 0.43]
    facts = _facts(tmp_path, {"epoch": epochs, "ns_loss": train, "val_ns_loss": val,
                              "knn_topic_acc": poor})
    assert facts["train_val.close_and_high"] is True


def test_an_accuracy_named_for_what_it_scores_is_read_beside_its_validation_twin(
        tmp_path: Path) -> None:
    path = write_csv_log(tmp_path / "log.csv", {
        "epoch": [0.0, 1.0, 2.0, 3.0], "hinge": [0.2, 0.1, 0.05, 0.03],
        "val_hinge": [0.2, 0.12, 0.07, 0.05], "pair_acc": [0.21, 0.1, 0.05, 0.03],
        "val_pair_acc": [0.04, 0.03, 0.03, 0.03]})
    metrics = read_log(path)
    assert metrics.series["acc"].column == "pair_acc"
    assert metrics.series["val_acc"].column == "val_pair_acc"


def test_a_rate_stepped_per_batch_collapses_within_the_first_thousand_steps(
        tmp_path: Path) -> None:
    # StepLR(step_size=1, gamma=0.5) stepped every batch: 63 steps an epoch, 41 epochs
    steps = [float(s) for s in range(25, 41 * 63, 25)]
    epochs = [float(int(s // 63)) for s in steps]
    lr = [1e-3 * 0.5 ** (s / 25) for s in steps]
    loss = [0.5 - 0.1 * math.exp(-s / 200) for s in steps]
    facts = _facts(tmp_path, {"step": steps, "epoch": epochs, "loss": loss, "lr": lr})
    assert facts["loop.lr_collapsed_early"] is True
    steady = [1e-3 * 0.9 ** e for e in epochs]  # a per-epoch decay keeps most of the rate
    facts = _facts(tmp_path, {"step": steps, "epoch": epochs, "loss": loss, "lr": steady})
    assert facts["loop.lr_collapsed_early"] is False


def _smooth_pictures(n: int = 16, side: int = 32) -> torch.Tensor:
    """(n, side, side, 3) pictures: blobs of colour, alike between neighbours."""
    g = torch.Generator().manual_seed(0)
    coarse = torch.rand(n, 3, side // 8, side // 8, generator=g)
    return torch.nn.functional.interpolate(coarse, size=(side, side), mode="bilinear",
                                           align_corners=False).permute(0, 2, 3, 1)


def test_channels_last_pictures_viewed_as_channels_first_are_out_of_order() -> None:
    nhwc = _smooth_pictures().contiguous()
    viewed = nhwc.view(16, 3, 32, 32)  # the bug: view, not permute
    finding = pixel_order_finding(viewed)
    assert finding is not None and finding.value is True
    in_order = pixel_order_finding(nhwc.permute(0, 3, 1, 2).contiguous())
    assert in_order is not None and in_order.value is False
    noise = torch.rand(16, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    assert pixel_order_finding(noise) is None


def test_a_pairs_constant_target_is_no_single_class_batch() -> None:
    g = torch.Generator().manual_seed(0)
    pos, neg = torch.randn(64, 8, generator=g), torch.randn(64, 8, generator=g)
    ones = torch.ones(64)
    pair = Batch(pos, ones, Path("batch.pt"), named={"neg": neg})
    facts = values_of(label_findings(pair, torch.randn(64, 1)))
    assert facts["batch.single_class"] is UNKNOWN
    alone = Batch(pos, ones, Path("batch.pt"))
    assert values_of(label_findings(alone, torch.randn(64, 1)))["batch.single_class"] is True


def test_a_loss_said_to_fall_is_not_read_as_rising() -> None:
    from dldoctor.engine.symptoms import match_symptoms, symptoms_named
    from dldoctor.kbpaths import load_knowledge

    kb = load_knowledge()

    def named(text: str) -> set[str]:
        return {m.symptom for m in symptoms_named(match_symptoms(kb, text, limit=8))}

    assert "loss_rising" not in named("训练损失一直在降")  # one character from "一直在升"
    assert "loss_rising" in named("训练 loss 一直在上升")
    assert "loss_rising" in named("the loss goes down then up")
    assert "loss_spikes" in named("every now and then the loss jumps way up and comes back")


_ACCUMULATING = '''
import torch


def build():
    return torch.nn.Linear(4, 1)


def train(model, batches, accum=4):
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for k in range(0, len(batches), accum):
        opt.zero_grad()
        for x, y in batches[k:k + accum]:
            loss = torch.nn.functional.mse_loss(model(x).squeeze(1), y){scale}
            loss.backward()
        opt.step()
'''


def test_a_model_file_accumulating_an_undivided_loss_is_read(tmp_path: Path) -> None:
    from dldoctor.probes.source_scan import unscaled_accumulation_findings

    unscaled = tmp_path / "unscaled.py"
    unscaled.write_text(_ACCUMULATING.replace("{scale}", ""))
    found = unscaled_accumulation_findings(f"{unscaled}:build")
    assert [f.value for f in found if f.fact == "src.accumulation_unscaled"] == [True]
    scaled = tmp_path / "scaled.py"
    scaled.write_text(_ACCUMULATING.replace("{scale}", " / accum"))
    assert unscaled_accumulation_findings(f"{scaled}:build") == []


def test_the_question_that_settles_the_open_leader_is_asked() -> None:
    from dldoctor.engine.strategy import Planner
    from dldoctor.kbpaths import load_knowledge
    from dldoctor.session import Session

    session = Session(load_knowledge())
    session.add_symptom("regression_predicts_mean", "the regressor predicts one value")
    leader = session.engine.scores()[0]
    assert leader.cause == "shape_or_dtype_bug" and leader.cf < 0.5
    question = session._decisive_question(Planner(session.engine), set())
    # with no artefacts the strongest of the leader's rules asks first (a dtype crash); with
    # a checkpoint and a log that rule is read, and the shape question comes first
    assert question is not None and "shape_or_dtype_bug" in question.causes
    session.set_fact(question.fact, "yes")
    top = session.engine.scores()[0]
    assert top.cause == "shape_or_dtype_bug" and top.cf >= 0.5


def test_a_confidence_below_the_reporting_line_never_reads_as_on_it() -> None:
    from dldoctor.report import Diagnosis

    def shown(cf: float) -> str:
        return Diagnosis("no_lr_decay", "No LR decay", cf, "", [], [], [], []).percent

    assert (shown(0.4996), shown(0.5), shown(0.456), shown(0.93)) == ("49%", "50%", "46%", "93%")
