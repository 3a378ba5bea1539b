"""Readings added for the seventy-seventh to seventy-ninth hand sets, on real artefacts: a
penalty in the loss seen in Adam's memory, one small std in every layer, a saved scheduler
under a key of its own, the accuracy gap, validation that once beat chance, one predicted
minority class, a total logged beside one of its parts."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.static_probes import probe_optimizer, probe_weights
from tests.support import values_of, write_csv_log


def _clicks(folder: Path, penalty: float) -> Path:
    """A click model trained by Adam (no weight decay) on noise labels, with ``penalty`` ×
    the summed squared weights added to its loss by hand (the seventy-seventh set's DIN)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                          nn.Linear(32, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
    x, y = torch.randn(512, 16), (torch.rand(512) < 0.3).float()
    for step in range(120):
        idx = torch.arange(step * 32, step * 32 + 32) % 512
        loss = nn.functional.binary_cross_entropy_with_logits(model(x[idx]).squeeze(1), y[idx])
        loss = loss + penalty * sum((p ** 2).sum() for p in model.parameters())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    path = folder / f"clicks{penalty}.pt"
    torch.save({"model": model.state_dict(), "optim": optimizer.state_dict()}, path)
    return path


def test_a_penalty_in_the_loss_lines_adams_memory_up_with_the_weights(tmp_path: Path) -> None:
    heavy = values_of(probe_optimizer(Inputs(checkpoint=_clicks(tmp_path, 0.05)),
                                      ProbeContext()))
    plain = values_of(probe_optimizer(Inputs(checkpoint=_clicks(tmp_path, 0.0)),
                                      ProbeContext()))
    assert heavy["optimizer.weight_decay"] == 0
    assert heavy["optimizer.memory_along_weights"] >= 0.5
    assert plain["optimizer.memory_along_weights"] < 0.3  # a data gradient: near 0 or below


def test_one_small_std_in_every_layer_is_read_and_kaiming_is_not(tmp_path: Path) -> None:
    model = nn.Sequential(nn.Conv3d(1, 8, 3), nn.ReLU(), nn.Conv3d(8, 16, 3), nn.ReLU(),
                          nn.Flatten(), nn.Linear(16 * 8, 64), nn.ReLU(), nn.Linear(64, 4))
    torch.save(model.state_dict(), tmp_path / "default.pt")
    default = values_of(probe_weights(Inputs(checkpoint=tmp_path / "default.pt"),
                                      ProbeContext()))
    assert "weights.one_std_under_kaiming" not in default
    for module in model.modules():
        if isinstance(module, nn.Conv3d | nn.Linear):
            nn.init.normal_(module.weight, std=0.01)  # the VoxNet of the seventy-seventh set
    torch.save(model.state_dict(), tmp_path / "small.pt")
    small = values_of(probe_weights(Inputs(checkpoint=tmp_path / "small.pt"), ProbeContext()))
    assert 0 < small["weights.one_std_under_kaiming"] <= 0.3


def test_a_scheduler_saved_under_a_key_of_its_own_is_found(tmp_path: Path) -> None:
    model = nn.Linear(4, 2)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
    for _ in range(240):  # 24 batches an epoch for 10 epochs, the scheduler in the batch loop
        optimizer.zero_grad()
        model(torch.randn(8, 4)).sum().backward()
        optimizer.step()
        scheduler.step()
    torch.save({"demucs": model.state_dict(), "optim": optimizer.state_dict(),
                "lr_sched": scheduler.state_dict(), "epoch": 10}, tmp_path / "ckpt.pt")
    found = values_of(probe_optimizer(Inputs(checkpoint=tmp_path / "ckpt.pt"), ProbeContext()))
    assert found["loop.scheduler_in_batch_loop"] is True


def _log_facts(tmp_path: Path, columns: dict[str, list[float]]) -> dict[str, object]:
    log = write_csv_log(tmp_path / "log.csv", {"epoch": [float(e) for e in range(8)],
                                               **columns})
    return values_of(probe_curves(Inputs(logs=(log,)), ProbeContext()))


def test_the_accuracy_gap_is_measured_and_unknown_without_training_accuracy(
        tmp_path: Path) -> None:
    losses = {"train_loss": [2.3, 1.9, 1.4, 1.0, 0.7, 0.5, 0.3, 0.2],
              "val_loss": [2.3, 2.1, 1.9, 1.85, 1.9, 2.0, 2.1, 2.2]}
    apart = _log_facts(tmp_path, {**losses, "train_acc": [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95,
                                                         0.96],
                                  "val_acc": [0.1, 0.2, 0.3, 0.35, 0.4, 0.4, 0.41, 0.4]})
    assert apart["train_val.acc_gap"] == pytest.approx(0.55)
    alone = _log_facts(tmp_path, {**losses, "val_acc": [0.1, 0.2, 0.3, 0.35, 0.4, 0.4, 0.41,
                                                        0.4]})
    assert "train_val.acc_gap" in alone and alone["train_val.acc_gap"] != 0.55


@pytest.mark.parametrize(("accuracy", "beat"), [
    ([0.26, 0.475, 0.49, 0.31, 0.25, 0.22, 0.23, 0.22], True),  # the MelGAN without zero_grad
    ([0.26, 0.46, 0.24, 0.27, 0.25, 0.22, 0.23, 0.22], False),  # one lucky evaluation
])
def test_validation_that_beat_chance_twice_in_a_row_is_read(
        tmp_path: Path, accuracy: list[float], beat: bool) -> None:
    torch.save(nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4)).state_dict(),
               tmp_path / "model.pt")
    log = write_csv_log(tmp_path / "log.csv", {
        "epoch": [float(e) for e in range(8)],
        "train_loss": [1.39, 1.2, 1.25, 1.33, 1.36, 1.38, 1.38, 1.38],
        "val_loss": [1.39, 1.2, 1.22, 1.33, 1.37, 1.39, 1.4, 1.4], "val_acc": accuracy})
    found = values_of(probe_curves(Inputs(logs=(log,), checkpoint=tmp_path / "model.pt"),
                                   ProbeContext()))
    assert found["val.acc_beat_chance_once"] is beat


@pytest.mark.parametrize(("share", "minority"), [(0.198, True), (0.25, False)])
def test_one_predicted_class_under_an_even_share_is_a_minority(
        tmp_path: Path, share: float, minority: bool) -> None:
    torch.save(nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4)).state_dict(),
               tmp_path / "model.pt")
    log = write_csv_log(tmp_path / "log.csv", {
        "epoch": [float(e) for e in range(8)], "train_loss": [1.386] * 8,
        "val_loss": [1.39] * 8, "val_acc": [share] * 8})
    found = values_of(probe_curves(Inputs(logs=(log,), checkpoint=tmp_path / "model.pt"),
                                   ProbeContext()))
    assert found["val.acc_at_majority"] is True
    assert found["val.one_class_is_a_minority"] is minority


def test_a_total_beside_one_of_its_parts_is_no_second_task(tmp_path: Path) -> None:
    """The DIN's train_loss (log-loss + an unlogged L2 penalty, 203 → 34) beside its
    train_logloss (0.69): one task and a penalty, not two tasks 70× apart."""
    logloss = [0.693, 0.689, 0.686, 0.685, 0.684, 0.684, 0.684, 0.684]
    total = [a + 203 * 0.7 ** i for i, a in enumerate(logloss)]
    found = _log_facts(tmp_path, {"train_loss": total, "train_logloss": logloss})
    assert "loss.multi_task" not in found
