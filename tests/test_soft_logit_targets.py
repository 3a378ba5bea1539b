"""An autoencoder trained with binary cross-entropy on logits against [0, 1] targets (pixel
intensities) is scored that way by the live checks, not with MSE on its logits: MSE on logits
of ±10 is a loss in the tens and gradients in the hundreds, read as exploding gradients on a
healthy run (the fifth hand set's Lightning sketch autoencoder)."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_backward
from dldoctor.probes.losses import loss_for, sigmoid_fits
from dldoctor.probes.models import batch_for
from tests.support import check_findings

_FACTORY = '''import torch
from torch import nn

def make():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 16))
'''


def _pictures(n: int) -> torch.Tensor:
    """Soft 16-pixel pictures in [0, 1]: a bright band whose place varies, saturated ends."""
    gen = torch.Generator().manual_seed(0)
    centre = torch.randint(0, 16, (n, 1), generator=gen).float()
    return torch.exp(-((torch.arange(16).float() - centre) ** 2) / 4.0)


def _trained(tmp_path: Path, name: str, loss: str) -> Inputs:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "net.py").write_text(_FACTORY)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(16, 8), torch.nn.Tanh(), torch.nn.Linear(8, 16))
    x = _pictures(256)
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(400):
        out = model(x)
        value = F.binary_cross_entropy_with_logits(out, x) if loss == "bce" else \
            F.mse_loss(out, x)
        opt.zero_grad()
        value.backward()
        opt.step()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, folder / "ae.pt")
    torch.save((x[:64], x[:64]), folder / "batch.pt")
    return Inputs(checkpoint=folder / "ae.pt", model=f"{folder / 'net.py'}:make",
                  batch=folder / "batch.pt", device="cpu")


def test_logits_of_soft_targets_are_scored_as_bce_on_logits(tmp_path: Path) -> None:
    ctx = ProbeContext()
    inputs = _trained(tmp_path, "bce", "bce")
    batch = batch_for(inputs, ctx)
    assert batch.soft_logits
    backward = check_findings(probe_backward(inputs, ctx), "live.backward")
    assert any("soft targets" in f.evidence for f in backward)
    assert any("binary cross-entropy on logits" in str(note) for note in ctx.notes)
    output = torch.zeros(64, 16)
    assert loss_for(output, batch.targets, batch.soft_logits)[1].endswith("(soft targets)")
    assert loss_for(output, batch.targets)[1] == "MSE"


def test_a_model_trained_with_mse_keeps_mse(tmp_path: Path) -> None:
    ctx = ProbeContext()
    inputs = _trained(tmp_path, "mse", "mse")
    assert not batch_for(inputs, ctx).soft_logits
    backward = check_findings(probe_backward(inputs, ctx), "live.backward")
    assert any("MSE" in str(f.evidence) for f in backward)


def test_outputs_that_blew_up_are_not_read_as_logits() -> None:
    targets = _pictures(64)
    wild = torch.randn(64, 16, generator=torch.Generator().manual_seed(1)) * 50
    assert not sigmoid_fits(wild, targets)
    assert sigmoid_fits(torch.logit(targets.clamp(1e-3, 1 - 1e-3)), targets)
    assert not sigmoid_fits(targets, targets)  # already in [0, 1]: a plain regression
