"""Logs that name their loss after its kind or the model part it trains (train_mse, val_mse,
kd_loss, student_val_acc) are read, from tiny runs the tests train."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import ProbeContext
from dldoctor.probes.logs import read_logs
from tests.support import write_csv_log


def _regression_log(path: Path) -> Path:
    """An MLP regression logged per epoch as train_mse, val_mse, val_r2 (a notebook's names)."""
    torch.manual_seed(0)
    x = torch.randn(256, 4)
    y = x @ torch.tensor([1.0, -2.0, 0.5, 0.0]) + 0.1 * torch.randn(256)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    log: dict[str, list[float | None]] = {"epoch": [], "train_mse": [], "val_mse": [],
                                          "val_r2": []}
    for epoch in range(6):
        for i in range(0, 192, 32):
            loss = F.mse_loss(model(x[i:i + 32]).squeeze(1), y[i:i + 32])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            train = F.mse_loss(model(x[:192]).squeeze(1), y[:192])
            val = F.mse_loss(model(x[192:]).squeeze(1), y[192:])
        log["epoch"].append(epoch)
        log["train_mse"].append(float(train))
        log["val_mse"].append(float(val))
        log["val_r2"].append(float(1 - val / y[192:].var()))
    return write_csv_log(path, log)


def test_a_loss_named_after_its_kind_is_read(tmp_path: Path) -> None:
    metrics = read_logs((_regression_log(tmp_path / "history.csv"),), ProbeContext())
    assert metrics.get("loss").column == "train_mse"
    assert metrics.get("val_loss").column == "val_mse"
    assert metrics.get("loss").values[-1] < metrics.get("loss").values[0]


def test_a_distillation_log_reads_the_student(tmp_path: Path) -> None:
    """kd_loss is the training loss; of two validation accuracies the first column is read."""
    torch.manual_seed(0)
    x, y = torch.randn(128, 6), torch.randint(0, 3, (128,))
    teacher, student = nn.Linear(6, 3), nn.Linear(6, 3)
    optimizer = torch.optim.SGD(student.parameters(), lr=0.1)
    log: dict[str, list[float | None]] = {"step": [], "kd_loss": [], "student_val_acc": [],
                                          "teacher_val_acc": []}
    for step in range(20):
        with torch.no_grad():
            soft = F.softmax(teacher(x), 1)
        loss = F.kl_div(F.log_softmax(student(x), 1), soft, reduction="batchmean")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            log["student_val_acc"].append(float((student(x).argmax(1) == y).float().mean()))
            log["teacher_val_acc"].append(float((teacher(x).argmax(1) == y).float().mean()))
        log["step"].append(step)
        log["kd_loss"].append(float(loss.detach()))
    metrics = read_logs((write_csv_log(tmp_path / "distill.csv", log),), ProbeContext())
    assert metrics.get("loss").column == "kd_loss"
    assert metrics.get("val_acc").column == "student_val_acc"
    assert metrics.get("loss").values[-1] < metrics.get("loss").values[0]


def test_the_kind_may_come_before_the_split(tmp_path: Path) -> None:
    """mse_train, mse_val (a new user's names): the same run's columns, renamed, are read."""
    log = _regression_log(tmp_path / "history.csv")
    text = log.read_text().replace("train_mse", "mse_train").replace("val_mse", "mse_val")
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(text)
    metrics = read_logs((renamed,), ProbeContext())
    assert metrics.get("loss").column == "mse_train"
    assert metrics.get("val_loss").column == "mse_val"


def test_an_autoencoders_reconstruction_loss_is_its_loss(tmp_path: Path) -> None:
    """recon_loss / val_recon_loss with no KL beside them: an autoencoder's only loss."""
    log = _regression_log(tmp_path / "history.csv")
    text = log.read_text().replace("train_mse", "recon_loss").replace("val_mse",
                                                                      "val_recon_loss")
    renamed = tmp_path / "ae.csv"
    renamed.write_text(text)
    metrics = read_logs((renamed,), ProbeContext())
    assert metrics.get("loss").column == "recon_loss"
    assert metrics.get("val_loss").column == "val_recon_loss"
