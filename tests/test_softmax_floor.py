"""A classifier that ends in a softmax and is trained with cross-entropy (which applies its
own) gets every sample right, yet its loss comes to rest on ln(1 + (C − 1)/e): the log and
the checkpoint's output width alone tell it (the fifth hand set's Lightning signs CNN)."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of, write_csv_log


def _run(tmp_path: Path, softmax: bool, epochs: int = 0) -> dict[str, object]:
    """300 full-batch steps, logged per step or (``epochs``) as that many epoch means."""
    gen = torch.Generator().manual_seed(0)
    centres = torch.randn(4, 8, generator=gen) * 3
    y = torch.randint(0, 4, (256,), generator=gen)
    x = centres[y] + 0.3 * torch.randn(256, 8, generator=gen)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 4))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses, accs = [], []
    for _ in range(300):
        out = model(x)
        out = out.softmax(-1) if softmax else out
        loss = F.cross_entropy(out, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
        accs.append(float((out.argmax(-1) == y).float().mean()))
    torch.save(model.state_dict(), tmp_path / "model.pt")
    if epochs:
        size = 300 // epochs
        losses = [sum(losses[i:i + size]) / size for i in range(0, 300, size)]
        accs = [sum(accs[i:i + size]) / size for i in range(0, 300, size)]
    log = write_csv_log(tmp_path / "log.csv", {"epoch" if epochs else "step":
                                              list(range(len(losses))), "loss": losses,
                                              "acc": accs})
    inputs = Inputs(logs=(log,), checkpoint=tmp_path / "model.pt")
    return values_of(check_findings(probe_curves(inputs, ProbeContext()), "log.curves"))


def test_softmax_into_cross_entropy_rests_on_the_floor(tmp_path: Path) -> None:
    assert _run(tmp_path, softmax=True)["loss.rests_on_softmax_floor"] is True


def test_logits_into_cross_entropy_go_below_it(tmp_path: Path) -> None:
    assert _run(tmp_path, softmax=False)["loss.rests_on_softmax_floor"] is False


def test_six_epoch_means_are_enough_to_tell(tmp_path: Path) -> None:
    """The eighth hand set's transformer logged six epochs: the floor is read from them too."""
    (tmp_path / "soft").mkdir()
    (tmp_path / "logits").mkdir()
    assert _run(tmp_path / "soft", softmax=True, epochs=6)["loss.rests_on_softmax_floor"] is True
    assert _run(tmp_path / "logits", softmax=False, epochs=6)[
        "loss.rests_on_softmax_floor"] is False


def _dropout_run(tmp_path: Path, softmax: bool) -> dict[str, object]:
    """A softmax head under dropout 0.8, 12 epochs: the training loss (dropout on) stays
    above the floor, the validation loss (eval mode) rests on it — the seventy-second hand
    set's EEGNet."""
    gen = torch.Generator().manual_seed(0)
    centres = torch.randn(4, 8, generator=gen) * 3
    y = torch.randint(0, 4, (256,), generator=gen)
    x = centres[y] + 0.3 * torch.randn(256, 8, generator=gen)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Dropout(0.8),
                                torch.nn.Linear(32, 4))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    rows: dict[str, list[float]] = {"epoch": [], "loss": [], "val_loss": [], "val_acc": []}
    for epoch in range(12):
        model.train()
        total = 0.0
        for _ in range(25):
            out = model(x)
            loss = F.cross_entropy(out.softmax(-1) if softmax else out, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) / 25
        model.eval()
        with torch.no_grad():
            out = model(x)
            out = out.softmax(-1) if softmax else out
            rows["val_loss"].append(float(F.cross_entropy(out, y)))
            rows["val_acc"].append(float((out.argmax(-1) == y).float().mean()))
        rows["epoch"].append(float(epoch))
        rows["loss"].append(total)
    torch.save(model.state_dict(), tmp_path / "model.pt")
    log = write_csv_log(tmp_path / "log.csv", rows)
    inputs = Inputs(logs=(log,), checkpoint=tmp_path / "model.pt")
    return values_of(check_findings(probe_curves(inputs, ProbeContext()), "log.curves"))


def test_the_validation_loss_rests_on_the_floor_when_dropout_lifts_the_training_loss(
        tmp_path: Path) -> None:
    (tmp_path / "soft").mkdir()
    (tmp_path / "logits").mkdir()
    assert _dropout_run(tmp_path / "soft", softmax=True)["loss.rests_on_softmax_floor"] is True
    assert _dropout_run(tmp_path / "logits", softmax=False)[
        "loss.rests_on_softmax_floor"] is False
