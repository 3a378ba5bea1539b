"""The loss the run logged, matched against the trained model's probabilities on the batch: a
sigmoid model trained with BCEWithLogitsLoss logs what its probabilities cost under a second
sigmoid (a two-tower click model and a U-Net had read nothing, or a one-class batch)."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.loss_match import batch_loss_findings, loss_match_findings
from tests.support import write_csv_log


def _run(tmp_path: Path, with_logits: bool) -> object:
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(512, 6, generator=gen)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).float()
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for step in range(150):
        idx = torch.arange(step * 64, step * 64 + 64) % 512
        p = model(x[idx]).squeeze(1)
        loss = F.binary_cross_entropy_with_logits(p, y[idx]) if with_logits else \
            F.binary_cross_entropy(p, y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    log = write_csv_log(tmp_path / f"log{with_logits}.csv",
                        {"step": list(range(150)), "loss": losses})
    with torch.no_grad():
        out = model(x[:256]).squeeze(1)
    found = loss_match_findings(out, y[:256], Inputs(logs=(log,)), ProbeContext())
    return found[0].value if found else None


def test_probabilities_fed_to_bce_with_logits_are_recognised(tmp_path: Path) -> None:
    assert _run(tmp_path, with_logits=True) is True


def test_probabilities_scored_with_bce_are_not(tmp_path: Path) -> None:
    assert _run(tmp_path, with_logits=False) is False


def _forecaster(tmp_path: Path, against_inputs: bool) -> float | None:
    """A small forecaster trained either on its targets or, by the bug, on the inputs' tail
    (an easy copy): the task's loss on a training batch against the log's training loss."""
    gen = torch.Generator().manual_seed(1)
    t = torch.arange(40, dtype=torch.float32)
    phase = torch.rand(512, 1, generator=gen) * 6.28
    series = torch.sin(0.3 * t + phase) + 0.05 * torch.randn(512, 40, generator=gen)
    x, y = series[:, :32], series[:, 32:]
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 8))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    losses = []
    for step in range(300):
        idx = torch.arange(step * 64, step * 64 + 64) % 512
        out = model(x[idx])
        loss = F.mse_loss(out, x[idx][:, -8:] if against_inputs else y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    log = write_csv_log(tmp_path / f"fc{against_inputs}.csv",
                        {"step": list(range(300)), "loss": losses})
    with torch.no_grad():
        out = model(x[:64])
    found = batch_loss_findings(out, y[:64], Inputs(logs=(log,)), ProbeContext())
    return found[0].value if found else None


def test_a_loss_on_the_wrong_tensors_logs_far_below_the_tasks(tmp_path: Path) -> None:
    wrong = _forecaster(tmp_path, against_inputs=True)
    right = _forecaster(tmp_path, against_inputs=False)
    assert wrong is not None and wrong >= 10
    assert right is not None and right < 3


def test_class_probabilities_are_scored_by_their_logs(tmp_path: Path) -> None:
    """A model ending in a softmax, trained with NLL on the log: its task loss is read from the
    probabilities' logs, so the log matches (no wrong-input reading)."""
    log = write_csv_log(tmp_path / "cls.csv", {"step": list(range(10)), "loss": [0.3] * 10})
    probs = torch.tensor([[0.8, 0.1, 0.1], [0.1, 0.7, 0.2]] * 8)
    found = batch_loss_findings(probs, torch.tensor([0, 1] * 8), Inputs(logs=(log,)),
                                ProbeContext())
    assert found and 0.5 < found[0].value < 1.5


def test_ctc_outputs_beside_label_sequences_are_no_class_pair(tmp_path: Path) -> None:
    """A CTC model's (N, T, C) frame scores beside (N, S) label sequences: no axis of the
    outputs lines up with the targets, so no task loss is read (it once raised IndexError
    and cost the whole forward probe)."""
    log = write_csv_log(tmp_path / "ctc.csv", {"step": list(range(10)), "loss": [2.0] * 10})
    frames = torch.randn(64, 32, 9).log_softmax(-1)
    labels = torch.randint(1, 9, (64, 5))
    assert batch_loss_findings(frames, labels, Inputs(logs=(log,)), ProbeContext()) == []
