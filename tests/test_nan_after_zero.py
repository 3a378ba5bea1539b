"""A hand-written BCE on sigmoid outputs, without a clamp: the loss is near 0 one step and
NaN the next (0 · log 0 once a probability saturates). Measured from a tiny real run: the
NaN is the log's, not a too-high rate's."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.log_probes import probe_curves
from tests.support import check_findings, forkcli, values_of, write_csv_log


def _run(folder: Path) -> tuple[Path, Path]:
    """Logistic regression on one unscaled, telling feature; Adam at 1e-2; the log holds one
    row per epoch of 7 steps (the epoch's mean loss), as many notebooks write it."""
    torch.manual_seed(0)
    x = torch.randn(256, 4) * 0.1
    y = (torch.arange(256) % 2).float()
    x[:, 0] = (2 * y - 1) * 200.0  # one very telling, unscaled feature
    model = torch.nn.Sequential(torch.nn.Linear(4, 1), torch.nn.Sigmoid())
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)  # Adam's usual rate
    epochs: list[float | None] = []
    means: list[float | None] = []
    for epoch in range(8):
        losses = []
        for _ in range(7):
            p = model(x).squeeze(1)
            loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(float(loss.detach()))
        epochs.append(epoch)
        means.append(sum(losses) / len(losses))
        if not math.isfinite(means[-1]):
            break
    assert not math.isfinite(means[-1]) and means[-2] < 1e-3  # ~1e-7, then NaN
    folder.mkdir(parents=True, exist_ok=True)
    checkpoint = folder / "checkpoint.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, checkpoint)
    log = write_csv_log(folder / "log.csv", {"epoch": epochs, "loss": means})
    return checkpoint, log


def test_a_loss_near_zero_that_turns_nan_is_a_log_of_zero(tmp_path: Path) -> None:
    checkpoint, log = _run(tmp_path)
    facts = values_of(check_findings(probe_curves(Inputs(logs=(log,)), ProbeContext()),
                                     "log.curves"))
    assert facts["loss.non_finite"] is True and facts["loss.near_zero"] is True
    exe = shutil.which("diagnose") or "diagnose"
    out = forkcli.run([exe, "--checkpoint", str(checkpoint), "--log", str(log),
                       "--format", "json", "--no-input"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    belief = {d["cause"]: d["confidence"] for d in json.loads(out.stdout)["diagnoses"]}
    assert belief["numerical_log_or_div_zero"] >= 0.5  # established
    assert belief.get("lr_too_high", 0.0) < 0.2  # Adam at 1e-2 is not blamed for it
