"""A classifier whose log-softmax runs over the batch axis gets most samples right, yet its
NLL loss stays above ln C, what a uniform guess pays: the log and the checkpoint's output
width alone tell it (the generator's softmax_wrong_dim runs, read from checkpoint + log)."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, values_of, write_csv_log


def _run(tmp_path: Path, dim: int) -> dict[str, object]:
    gen = torch.Generator().manual_seed(0)
    centres = torch.randn(4, 8, generator=gen) * 3
    y = torch.randint(0, 4, (512,), generator=gen)
    x = centres[y] + 0.5 * torch.randn(512, 8, generator=gen)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 4))
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses, accs = [], []
    for step in range(200):
        idx = torch.arange(step * 32, step * 32 + 32) % 512
        out = model(x[idx])
        loss = F.nll_loss(F.log_softmax(out, dim=dim), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
        accs.append(float((out.argmax(-1) == y[idx]).float().mean()))
    torch.save(model.state_dict(), tmp_path / "model.pt")
    log = write_csv_log(tmp_path / "log.csv", {"step": list(range(200)), "loss": losses,
                                              "acc": accs})
    inputs = Inputs(logs=(log,), checkpoint=tmp_path / "model.pt")
    return values_of(check_findings(probe_curves(inputs, ProbeContext()), "log.curves"))


def test_a_log_softmax_over_the_batch_keeps_the_loss_above_a_guess(tmp_path: Path) -> None:
    facts = _run(tmp_path, dim=0)
    assert float(facts["train.acc_end"]) >= 0.7  # type: ignore[arg-type]
    assert facts["loss.high_while_accurate"] is True


def test_over_the_classes_it_falls_below(tmp_path: Path) -> None:
    assert _run(tmp_path, dim=1)["loss.high_while_accurate"] is False
