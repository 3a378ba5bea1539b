"""What the seventeenth new user's U-Net at too low a rate showed: validation IoU 0.0 at all
32 evaluations (the model marks background everywhere) and "No problem found", exit 0 — the
log's score column was read, but only a score that *collapsed* from above said anything.
And the twenty-fourth hand set's fingerprint model, labels joined by row instead of by id:
a validation AUC at 0.50-0.52 for ten epochs said nothing. Tiny real runs, bug and control."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of
from tests.support.writers import write_csv_log


def _segment(folder: Path, lr: float) -> Path:
    """A 1-D conv segmenter marking short bumps (about a tenth of the positions)."""
    torch.manual_seed(0)
    x = torch.randn(256, 1, 64) * 0.3
    y = torch.zeros(256, 1, 64)
    for i in range(256):
        start = int(torch.randint(0, 56, (1,)))
        x[i, 0, start:start + 6] += 2.0
        y[i, 0, start:start + 6] = 1.0
    net = nn.Sequential(nn.Conv1d(1, 8, 5, padding=2), nn.ReLU(), nn.Conv1d(8, 1, 5, padding=2))
    with torch.no_grad():
        net[-1].bias.fill_(-2.0)  # a background prior, as segmentation heads start
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    rows: dict[str, list[float | None]] = {"step": [], "epoch": [], "train_loss": [],
                                           "val_loss": [], "val_iou": []}
    step = 0
    for epoch in range(6):
        for i in range(0, 192, 32):
            loss = F.binary_cross_entropy_with_logits(net(x[i:i + 32]), y[i:i + 32])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            for key, value in zip(rows, (step, epoch, float(loss.detach()), None, None),
                                  strict=True):
                rows[key].append(value)
        with torch.no_grad():
            out = net(x[192:])
            pred, true = out > 0, y[192:] > 0.5
            iou = float((pred & true).sum() / max(int((pred | true).sum()), 1))
            val = float(F.binary_cross_entropy_with_logits(out, y[192:]))
        for key, value in zip(rows, (step, epoch, None, val, iou), strict=True):
            rows[key].append(value)
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv_log(folder / "train_log.csv", rows)


def test_a_score_at_zero_at_every_evaluation_is_read(tmp_path: Path) -> None:
    slow = values_of(check_findings(probe_curves(
        Inputs(logs=(_segment(tmp_path / "slow", 1e-4),)), ProbeContext()), "log.curves"))
    assert slow["metric.score_never_above_zero"] is True
    right = values_of(check_findings(probe_curves(
        Inputs(logs=(_segment(tmp_path / "right", 3e-2),)), ProbeContext()), "log.curves"))
    assert right["metric.score_never_above_zero"] is False


def _auc(score: torch.Tensor, y: torch.Tensor) -> float:
    rank = score.argsort().argsort().double() + 1
    pos = y.bool()
    n1, n0 = int(pos.sum()), int((~pos).sum())
    return float((rank[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _classify(folder: Path, shuffled_labels: bool) -> Path:
    """A logistic MLP on 16 features; the bug joins the labels to other rows."""
    torch.manual_seed(0)
    x = torch.randn(1200, 16)
    y = (x[:, :3].sum(1) > 0.5).float()
    if shuffled_labels:
        y = y[torch.randperm(1200)]
    net = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    rows: dict[str, list[float | None]] = {"epoch": [], "train_loss": [], "val_loss": [],
                                           "val_auc": []}
    for epoch in range(6):
        for i in range(0, 1000, 100):
            loss = F.binary_cross_entropy_with_logits(net(x[i:i + 100]).squeeze(1),
                                                      y[i:i + 100])
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            out = net(x[1000:]).squeeze(1)
            val = float(F.binary_cross_entropy_with_logits(out, y[1000:]))
        for key, value in zip(rows, (epoch, float(loss.detach()), val, _auc(out, y[1000:])),
                              strict=True):
            rows[key].append(value)
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv_log(folder / "log.csv", rows)


def test_a_validation_auc_at_a_coin_is_read(tmp_path: Path) -> None:
    joined_wrong = values_of(check_findings(probe_curves(
        Inputs(logs=(_classify(tmp_path / "bug", True),)), ProbeContext()), "log.curves"))
    assert joined_wrong["metric.auc_at_chance"] is True
    right = values_of(check_findings(probe_curves(
        Inputs(logs=(_classify(tmp_path / "ok", False),)), ProbeContext()), "log.curves"))
    assert right["metric.auc_at_chance"] is False
