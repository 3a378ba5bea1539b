"""Readings added at stop 72, each on the kind of run an examiner's set showed it on: a
regression batch scored by the error measure nearest its log's, a validation-only log read
with the training log beside it, a cross-entropy part named ``ce``, a short validation loss
still falling, padding at the targets' mean, a class share read from 64 samples, a negative
loss below any KL's floor, an R² pinned at 0, a time-major batch relabelled with view, and a
validation loss said to be NaN."""

from __future__ import annotations

import json
from pathlib import Path

import torch

from dldoctor.engine.symptoms import match_symptoms, symptoms_named
from dldoctor.engine.values import UNKNOWN
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_output import shape_findings
from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_logs
from dldoctor.probes.loss_match import batch_loss_findings
from dldoctor.probes.models import Batch
from dldoctor.probes.padding import padded_steps_findings
from dldoctor.probes.sequence_order import relabelled_batch_first_finding
from tests.support import check_findings, values_of, write_csv_log


def _batch_reading(tmp_path: Path, logged: float) -> tuple[float, str]:
    """Outputs off by 3 everywhere: MSE 9, L1 3, Huber 2.5, against a log ending at
    ``logged``; (the ratio, its wording)."""
    targets = torch.linspace(40.0, 60.0, 64)
    log = write_csv_log(tmp_path / f"r{logged}.csv", {"epoch": list(range(8)),
                                                      "loss": [logged] * 8})
    found = {f.fact: f for f in check_findings(batch_loss_findings(
        (targets + 3.0).unsqueeze(1), targets.unsqueeze(1), Inputs(logs=(log,)),
        ProbeContext()))}
    reading = found["loss.batch_over_logged"]
    return float(reading.value), reading.evidence


def test_a_regression_batch_is_scored_by_the_measure_nearest_its_log(tmp_path: Path) -> None:
    """An MSE log at 9 reads 1.0 (the MSE's), not 0.28 (the Huber's); a log far below every
    measure keeps the least of them, so ten times the log is ten times by each."""
    ratio, said = _batch_reading(tmp_path, 9.0)
    assert ratio == 1.0 and "MSE" in said
    ratio, said = _batch_reading(tmp_path, 0.1)
    assert ratio == 25.0 and "Huber" in said


def _jsonl(path: Path, rows: list[dict[str, float]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def test_a_validation_only_log_is_read_with_the_training_log_beside_it(tmp_path: Path) -> None:
    """Set 271's handball transformer: ``val.jsonl`` given, ``steps.jsonl`` beside it (no
    word for training in its name); set 270's two-head CNN: ``epochs.tsv`` holds only
    validation columns, ``steps.tsv`` the total and its parts ``ce`` and ``snap_mse``."""
    _jsonl(tmp_path / "steps.jsonl", [{"step": 10 * i, "loss": 1.0 - 0.07 * i}
                                      for i in range(10)])
    given = _jsonl(tmp_path / "val.jsonl", [{"epoch": 1, "val_ce": 0.465, "val_acc": 0.76},
                                            {"epoch": 2, "val_ce": 0.330, "val_acc": 0.86}])
    metrics = read_logs([given])
    assert {"loss", "val_loss", "val_acc"} <= set(metrics.series)
    assert values_of(curve_findings(metrics))["val.short_still_falling"] is True

    two = tmp_path / "two"
    two.mkdir()
    (two / "steps.tsv").write_text("step\tloss\tce\tsnap_mse\n" + "".join(
        f"{8 * i}\t{30000 - 900 * i + 1.3}\t1.3\t{30000 - 900 * i}\n" for i in range(1, 13)))
    (two / "epochs.tsv").write_text("epoch\tval_ce\tval_acc\n" + "".join(
        f"{i}\t{1.2 + 0.01 * i}\t0.5\n" for i in range(1, 7)))
    facts = values_of(curve_findings(read_logs([two / "epochs.tsv"])))
    assert facts["loss.multi_task"] is True and facts["loss.task_loss_ratio"] > 1000


def test_a_short_validation_loss_counts_as_still_falling_only_when_it_fell_throughout(
        tmp_path: Path) -> None:
    """Two to five evaluations, each below the one before and the last 10 % or more down;
    a tiny batch's validation loss that went up on the way (1.35, 1.12, 1.16, 0.94) is no
    clean fall, and eight evaluations are a curve with a shape of its own."""
    def reading(val: list[float]) -> object:
        n = len(val)
        path = write_csv_log(tmp_path / f"v{n}{val[1]}.csv", {
            "epoch": list(range(n)), "loss": [1.0 - 0.05 * i for i in range(n)],
            "val_loss": val})
        return values_of(curve_findings(read_logs([path])))["val.short_still_falling"]

    assert reading([0.465, 0.33]) is True
    assert reading([1.35, 1.12, 1.16, 0.94]) is False
    assert reading([0.5, 0.45, 0.44]) is False  # 2 % at the end: levelling off
    assert reading([1.0 - 0.1 * i for i in range(8)]) is False


def test_padding_at_the_targets_mean_is_read_from_where_each_sequence_ends() -> None:
    """Set 270's smokehouse LSTM: standardised core temperatures padded with 0, their mean;
    a model the padding taught predicts ~0 there, one left alone carries its last reading
    on (the loss with the mask: 18 % of the way, the loss without: 68 %)."""
    steps = torch.arange(40, dtype=torch.float32)
    lengths = torch.tensor([24, 28, 32, 36] * 4)
    real = steps.expand(16, 40) < lengths[:, None]
    targets = torch.where(real, (steps / 20.0 - 1.0).expand(16, 40), torch.zeros(16, 40))
    last = targets.gather(1, (lengths - 1)[:, None]).expand(16, 40)
    carried = torch.where(real, targets, last)
    taught = torch.where(real, targets, 0.1 * last)
    mask = real.float()
    assert values_of(padded_steps_findings(targets, carried, (mask,))) == \
        {"loss.padded_steps_fitted": False}
    assert values_of(padded_steps_findings(targets, taught, (mask,))) == \
        {"loss.padded_steps_fitted": True}


def test_a_class_share_read_from_64_samples_is_a_range(tmp_path: Path) -> None:
    """Set 270's cheese grading: 58 of 64 in the batch (0.906), a validation set of 0.81:
    accuracy 0.867 lies below the batch's share but above the lowest the set's plausibly is
    (0.833), so chance level is unsure; 0.80 is below both."""
    def reading(acc: float) -> object:
        path = write_csv_log(tmp_path / f"a{acc}.csv", {
            "epoch": list(range(6)), "loss": [0.5 - 0.03 * i for i in range(6)],
            "val_acc": [acc - 0.04, acc - 0.02, acc, acc + 0.01, acc, acc]})
        return values_of(curve_findings(read_logs([path]), classes=2, majority=58 / 64,
                                        majority_floor=0.833))["val.acc_at_chance"]

    assert reading(0.867) is UNKNOWN
    assert reading(0.80) is True
    assert reading(0.95) is False


def test_a_negative_loss_settled_below_any_kl_floor_is_no_settled_kl(tmp_path: Path) -> None:
    """Set 272's spillway CNN: a log-likelihood without its minus, ``log(p + 1e-7)``, stops at
    0.42 × ln 1e-7 = −6.8 — a binary KL fed probabilities cannot go below −1.7."""
    def reading(end: float) -> object:
        loss = [-0.8] + [end * (1 - 0.5 ** i) for i in range(1, 16)]
        path = write_csv_log(tmp_path / f"n{end}.csv", {"epoch": list(range(16)),
                                                         "loss": loss})
        return values_of(curve_findings(read_logs([path]), classes=2)).get(
            "loss.unbounded_below")

    assert reading(-6.8) is UNKNOWN
    assert reading(-1.2) is False


def test_a_validation_r2_pinned_at_zero_may_dip_below_it(tmp_path: Path) -> None:
    """Set 270's pickling MLP, a (B, 1) output broadcast against (B,) targets: R² between
    −0.21 and 0.055 over its evaluations is the targets' mean; rising to 0.5 is not, nor
    is staying far below 0 (worse than the mean)."""
    def reading(r2: list[float]) -> object:
        path = write_csv_log(tmp_path / f"r{r2[1]}.csv", {
            "epoch": list(range(len(r2))), "loss": [0.06] * len(r2), "val_r2": r2})
        return values_of(curve_findings(read_logs([path])))["val.r2_at_zero"]

    assert reading([-0.0006, -0.047, -0.21, 0.02, -0.004, 0.055]) is True
    assert reading([0.1, 0.3, 0.5, 0.6]) is False
    assert reading([-0.5, -0.6, -0.4, -0.55]) is False


def test_a_batch_first_array_relabelled_time_major_is_read_as_view() -> None:
    """Set 274's occultation GRU: (events, frames, series) viewed as (frames, events, series)
    for a sequence-first GRU — side by side the 'samples' are one event's next frames."""
    g = torch.Generator().manual_seed(0)
    t = torch.linspace(0.0, 6.0, 80)[None, :, None]
    events = torch.sin(t * (1 + torch.rand(64, 1, 3, generator=g)) +
                       6 * torch.rand(64, 1, 3, generator=g))  # (64, 80, 3), smooth in time
    assert relabelled_batch_first_finding(events.view(80, 64, 3)) is not None
    assert relabelled_batch_first_finding(events.transpose(0, 1)) is None


def test_a_sequence_first_batch_pairs_on_its_second_dimension() -> None:
    """A (80, 64, 3) batch beside 64 targets and a (64, 4) output: a sequence-first model
    reads dimension 1 as its samples, so inputs and targets pair; a batch-first one does
    not."""
    batch = Batch(torch.zeros(80, 64, 3), torch.zeros(64, dtype=torch.long), Path("b.pt"),
                  unpaired=(80, 64))
    output = torch.zeros(64, 4)
    assert values_of(shape_findings(output, batch, time_major=True))[
        "batch.lengths_differ"] is False
    assert values_of(shape_findings(output, batch))["batch.lengths_differ"] is True


def test_a_validation_loss_said_to_be_nan_is_a_nan() -> None:
    """Set 274's accumulating autoencoder: "validation is NaN from the first epoch" is a NaN,
    not a validation set that is bad from the start."""
    for text in ("validation is NaN from the first epoch", "val loss is nan from the start"):
        named = symptoms_named(match_symptoms(load_knowledge(), text, limit=20))
        assert [m.symptom for m in named] == ["loss_nan"]


def test_tensors_stepped_with_zero_gradients_are_the_optimizers_own(tmp_path: Path) -> None:
    """Set 276's etching MLP: the prediction ``.round()``ed before the loss — Adam steps every
    tensor every step with a gradient of exactly 0; without the round it does not."""
    from torch import nn

    from dldoctor.probes.static_probes import probe_optimizer

    def share(rounded: bool) -> object:
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x, y = torch.randn(32, 4), torch.randn(32, 1)
        for _ in range(5):
            out = model(x)
            loss = ((out.round() if rounded else out) - y).pow(2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        path = tmp_path / f"r{rounded}.pt"
        torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, path)
        found = {f.fact: f.value for f in probe_optimizer(Inputs(checkpoint=path),
                                                          ProbeContext())}
        return found["optimizer.zero_gradient_share"]

    assert share(rounded=True) == 1.0
    assert share(rounded=False) == 0.0


def test_a_first_row_a_stretch_into_the_run_measures_the_gap(tmp_path: Path) -> None:
    """Set 277's drilling-fluid MLP on 96 rows, logged every 100 steps from step 100: 1.87,
    then 0.25 — the gap (validation 1.38, training 0.012) is 73 % of the first row, a
    memorised training set, not 545 % of the level already fallen to."""
    train = [1.87, 0.25, 0.06] + [0.05 * 0.8 ** i for i in range(21)]
    path = write_csv_log(tmp_path / "train.csv", {
        "step": [100 * (i + 1) for i in range(24)], "huber": train,
        "val_huber": [1.44, 1.40, 1.47] + [1.38] * 21})
    facts = values_of(curve_findings(read_logs([path])))
    assert 0.6 < facts["train_val.gap_over_initial"] < 0.8
    assert facts["val.gap_at_first_eval"] is False


def test_the_optimizer_stepping_every_batch_is_no_scheduler_stepped_every_batch() -> None:
    """Set 276's etching complaint says "the optimizer steps every batch" — as it should; a
    scheduler stepped in the batch loop is still read as one."""
    def named(text: str) -> list[str]:
        return [m.symptom for m in symptoms_named(match_symptoms(load_knowledge(), text,
                                                                 limit=20))]

    assert "said_scheduler_every_batch" not in named("the optimizer steps every batch")
    assert named("I call scheduler.step() inside the batch loop") == \
        ["said_scheduler_every_batch"]
