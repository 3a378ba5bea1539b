"""Curve facts added for the benchmark's misses: a sawtooth that repeats each epoch, a
plateau after a blow-up, accuracy below chance, spike counts, a validation gap from the
first evaluation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from dldoctor.probes import curves
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of, write_csv_log

RNG = np.random.default_rng(1)
PER_EPOCH = 32
EPOCHS = 6
T = np.arange(PER_EPOCH * EPOCHS)


def _facts(tmp_path: Path, train: np.ndarray, batch: Path | None = None,
           **extra: list[float | None]) -> dict[str, object]:
    columns: dict[str, list[float | None]] = {
        "step": [float(t) for t in T[: train.size]],
        "epoch": [float(t // PER_EPOCH) for t in T[: train.size]],
        "loss": [float(v) for v in train], **extra}
    path = write_csv_log(tmp_path / "log.csv", columns)
    inputs = Inputs(logs=(path,), batch=batch)
    return values_of(check_findings(probe_curves(inputs, ProbeContext()), "log.curves"))


def _per_epoch(values: list[float]) -> list[float | None]:
    return [values[i // PER_EPOCH] if (i + 1) % PER_EPOCH == 0 else None for i in T]


def test_sorted_data_sawtooth_repeats_each_epoch(tmp_path: Path) -> None:
    # five class blocks per epoch: the loss jumps at each new class, then falls
    block = PER_EPOCH / 5
    sawtooth = 2.5 - 0.15 * (T % block) + RNG.normal(0, 0.08, T.size)
    assert _facts(tmp_path, sawtooth)["loss.oscillation_periodic"] is True
    shuffled = 1.5 * np.exp(-T / 60) + 0.6 + RNG.normal(0, 0.25, T.size)
    assert _facts(tmp_path, shuffled)["loss.oscillation_periodic"] is False


def test_plateau_after_an_early_blow_up(tmp_path: Path) -> None:
    blow_up = 1.61 + RNG.normal(0, 0.01, T.size)
    blow_up[1:4] = [8e3, 1e6, 2e4]
    facts = _facts(tmp_path, blow_up)
    assert facts["loss.plateau"] is True
    healthy = 2.3 * np.exp(-T / 15) + 0.1 + RNG.normal(0, 0.01, T.size)
    assert _facts(tmp_path, healthy)["loss.plateau"] is False
    slow = 1.45 - 0.07 * (1 - np.exp(-T / 8)) + RNG.normal(0, 0.02, T.size)
    assert _facts(tmp_path, slow)["loss.plateau"] is True
    steady = 1.43 - 0.0007 * T + RNG.normal(0, 0.005, T.size)
    assert _facts(tmp_path, steady)["loss.plateau"] is False


@pytest.mark.parametrize(("final", "at_chance"), [(0.16, True), (0.22, True), (0.6, False)])
def test_accuracy_below_chance_with_classes_from_batch(tmp_path: Path, final: float,
                                                       at_chance: bool) -> None:
    batch = tmp_path / "batch.pt"
    torch.save((torch.randn(20, 4), torch.arange(20) % 5), batch)
    acc = [0.2 + (final - 0.2) * i / 5 for i in range(EPOCHS)]
    facts = _facts(tmp_path, 1.6 + RNG.normal(0, 0.01, T.size), batch,
                   val_acc=_per_epoch(acc))
    assert facts["val.acc_at_chance"] is at_chance


def test_spike_count_and_size(tmp_path: Path) -> None:
    train = 1.5 * np.exp(-T / 60) + 0.5 + RNG.normal(0, 0.01, T.size)
    grad = 0.4 + RNG.normal(0, 0.02, T.size)
    grad[100] = 150.0
    grad[150] = 3.0
    facts = _facts(tmp_path, train, grad_norm=list(grad))
    assert facts["grad.norm_spike_count"] == 2
    assert facts["grad.norm_spike_max_ratio"] > 100
    assert facts["loss.spike_count"] == 0


def test_validation_gap_from_the_first_evaluation(tmp_path: Path) -> None:
    train = 1.5 * np.exp(-T / 60) + 0.3 + RNG.normal(0, 0.01, T.size)
    shifted = [2.6, 2.3, 2.1, 2.0, 1.9, 1.9]
    assert _facts(tmp_path, train, val_loss=_per_epoch(shifted))["val.gap_at_first_eval"] is True
    overfit = [1.2, 0.8, 0.7, 0.8, 0.9, 1.0]
    facts = _facts(tmp_path, train, val_loss=_per_epoch(overfit))
    assert facts["val.gap_at_first_eval"] is False
    assert facts["train_val.gap_ratio"] == pytest.approx(0.9 / 0.36, rel=0.1)


def test_a_few_points_an_epoch_repeat_only_when_nearly_exact() -> None:
    # a class-sorted loader logged six times an epoch: each epoch ends fitted to the last class
    # and the next epoch's first class pays for it, in the same shape every epoch
    shape = np.array([1.44, 1.39, 1.38, 1.33, 1.43, 1.42])
    sorted_log = np.concatenate([[0.47, 3.64, 1.19, 1.42, 1.5, 1.42]] +
                                [shape + RNG.normal(0, 0.003, 6) for _ in range(5)])
    assert curves.epoch_periodicity(sorted_log, 6) > curves.periodic_limit(6)
    # healthy noisy logs of 5-7 points an epoch: their shapes correlate by chance, not 0.9
    rng = np.random.default_rng(7)
    for period in (5, 6, 7):
        for _ in range(40):
            t = np.arange(6 * period)
            healthy = np.exp(-t / 20) + rng.normal(0, 0.1, t.size)
            assert curves.epoch_periodicity(healthy, period) <= curves.periodic_limit(period)
    assert curves.epoch_periodicity(sorted_log[:24], 4) is None  # four points: not read


def test_over_many_epochs_a_few_points_an_epoch_repeat_at_a_lower_correlation() -> None:
    """Twelve epochs of six points: a median correlation of 0.7 is no chance any more (the
    sixteenth set's class-sorted Siamese run repeats at 0.88), while healthy noisy logs of as
    many epochs stay below it."""
    rng = np.random.default_rng(11)
    shape = np.array([1.0, 0.1, 0.05, 0.9, 0.1, 0.02])
    sorted_log = np.concatenate([shape * (1 + rng.normal(0, 1.5, 6)) for _ in range(12)])
    correlation = curves.epoch_periodicity(sorted_log, 6)
    assert curves.periodic_limit(6, 12) < correlation < curves.periodic_limit(6, 4)
    for period in (5, 6, 7):
        for _ in range(40):
            t = np.arange(12 * period)
            healthy = np.exp(-t / 30) + rng.normal(0, 0.1, t.size)
            assert curves.epoch_periodicity(healthy, period) <= curves.periodic_limit(period, 12)


def test_a_small_loose_ripple_at_a_few_points_an_epoch_is_no_fixed_order(tmp_path: Path) -> None:
    """The twenty-eighth set's healthy ComplEx (shuffled, 5 points an epoch for 11 epochs): a
    rise of 6 % of the loss within each epoch that repeats at 0.90 is a memorising model's
    recency ripple; the same shape at a third of the loss is a fixed order's swing."""
    rng = np.random.default_rng(3)

    def log(span: float) -> np.ndarray:
        trend = np.repeat(3.2 - 0.05 * np.arange(11), 5)
        ripple = np.tile(np.linspace(-span / 2, span / 2, 5), 11) * 3.0
        return trend + ripple + rng.normal(0, 0.25 * span * 3.0, trend.size)

    def periodic(values: np.ndarray) -> object:
        path = write_csv_log(tmp_path / "ripple.csv", {
            "step": [float(t) for t in range(values.size)],
            "epoch": [float(t // 5) for t in range(values.size)],
            "loss": [float(v) for v in values]})
        found = check_findings(probe_curves(Inputs(logs=(path,)), ProbeContext()), "log.curves")
        return values_of(found)["loss.oscillation_periodic"]

    small, large = log(0.06), log(0.35)
    assert curves.periodic_limit(5, 11) < curves.epoch_periodicity(small, 5) < curves.PERIODIC_EXACT
    assert curves.epoch_ripple(small, 5) < curves.PERIODIC_FEW_MIN_RIPPLE
    assert periodic(small) is False
    assert curves.epoch_ripple(large, 5) > curves.PERIODIC_FEW_MIN_RIPPLE
    assert periodic(large) is True


def _memorise(seed: int) -> tuple[np.ndarray, int]:
    """The per-step loss of a small MLP memorising random labels from a loader reshuffled
    each epoch (12 epochs of 12 steps), and the steps an epoch."""
    torch.manual_seed(seed)
    n, width, batch = 384, 32, 32
    x, y = torch.randn(n, width), torch.randint(0, 4, (n,))
    model = torch.nn.Sequential(torch.nn.Linear(width, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 4))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    order = torch.Generator().manual_seed(seed + 1)
    losses = []
    for _ in range(12):
        for chunk in torch.randperm(n, generator=order).split(batch):
            loss = torch.nn.functional.cross_entropy(model(x[chunk]), y[chunk])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return np.array(losses), n // batch


@pytest.mark.parametrize("seed", [0, 2])
def test_a_memorising_model_on_a_shuffled_loader_is_no_fixed_order(
        tmp_path: Path, seed: int) -> None:
    # the recency of memorisation: a sample met late in an epoch was seen longer ago, so the
    # loss climbs through each epoch and the shape repeats — loosely, as a fixed order never does
    losses, period = _memorise(seed)
    correlation = curves.epoch_periodicity(losses, period)
    assert correlation is not None
    assert curves.periodic_limit(period) < correlation < curves.PERIODIC_LOOSE
    ramp = curves.epoch_ramp(losses, period)
    assert ramp is not None and ramp >= curves.PERIODIC_RAMP
    steps = np.arange(losses.size)
    path = write_csv_log(tmp_path / "log.csv", {
        "step": [float(s) for s in steps], "epoch": [float(s // period) for s in steps],
        "loss": [float(v) for v in losses]})
    found = check_findings(probe_curves(Inputs(logs=(path,)), ProbeContext()), "log.curves")
    periodic = next(f for f in found if f.fact == "loss.oscillation_periodic")
    assert periodic.value is False
    assert "steady rise through the epoch" in str(periodic.evidence)
