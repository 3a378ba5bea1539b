"""A head whose output is detached after a layer shared with another head: autograd hands
that head's weights a gradient of exactly zero at every step, so Adam (and SGD's momentum)
keeps state for them that is exactly zero. The checkpoint alone says so; a bias before
BatchNorm, whose gradient is only tiny, does not read as cut."""

from __future__ import annotations

from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings


class TwoHeads(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU())
        self.cls, self.box = nn.Linear(16, 3), nn.Linear(16, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.body(x)
        return torch.cat([self.cls(f), self.box(f)], 1)


def _train(path: Path, detached: bool, optimizer_kind: str) -> Path:
    torch.manual_seed(0)
    x, y, boxes = torch.randn(128, 6), torch.randint(0, 3, (128,)), torch.randn(128, 2)
    model = TwoHeads()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2) if optimizer_kind == "adam" \
        else torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    for i in range(0, 128, 16):
        out = model(x[i:i + 16])
        box = out[:, 3:].detach() if detached else out[:, 3:]  # the decode shared with NMS
        loss = F.cross_entropy(out[:, :3], y[i:i + 16]) + F.mse_loss(box, boxes[i:i + 16])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, path)
    return path


def _never_stepped(path: Path) -> tuple[object, str]:
    found = check_findings(probe_optimizer(Inputs(checkpoint=path), ProbeContext()),
                           "checkpoint.optimizer")
    [share] = [f for f in found if f.fact == "optimizer.never_stepped_share"]
    return share.value, str(share.evidence)


def test_a_detached_head_reads_as_never_stepped_from_its_zero_state(tmp_path: Path) -> None:
    for kind in ("adam", "sgd"):
        value, words = _never_stepped(_train(tmp_path / f"cut_{kind}.pt", True, kind))
        assert value == 2 / 8, words  # box.weight and box.bias of 8 held tensors
        assert "box.weight, box.bias" in words and "exactly zero" in words
        value, words = _never_stepped(_train(tmp_path / f"whole_{kind}.pt", False, kind))
        assert value == 0, words  # body.0.bias feeds BatchNorm: a tiny gradient, not a cut
