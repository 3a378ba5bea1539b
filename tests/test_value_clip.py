"""clip_grad_value_ seen in SGD's momentum buffers (the twenty-eighth hand set's char CNN): no
buffer entry passes c / (1 − momentum), and a cap far below the gradient's entries leaves the
largest entries of several tensors at exactly that bound with the typical entry close under
it. An unclipped run, or a cap the gradient never reaches, leaves no such ceiling."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.clip_value import round_number
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, values_of


def _run(tmp_path: Path, clip: float | None, momentum: float = 0.9) -> Inputs:
    """A small classifier trained 150 steps by SGD, its gradients clipped by value."""
    torch.manual_seed(0)
    x = torch.randn(512, 16)
    y = (x[:, :4].sum(1) > 0).long() + (x[:, 4] > 1).long()
    model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(),
                          nn.Linear(32, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=momentum)
    for step in range(150):
        i = (step * 64) % 512
        loss = F.cross_entropy(model(x[i:i + 64]), y[i:i + 64])
        optimizer.zero_grad()
        loss.backward()
        if clip is not None:
            torch.nn.utils.clip_grad_value_(model.parameters(), clip)
        optimizer.step()
    checkpoint = tmp_path / f"clip_{clip}_{momentum}.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, checkpoint)
    return Inputs(checkpoint=checkpoint)


def _found(tmp_path: Path, clip: float | None, momentum: float = 0.9) -> dict:
    return values_of(check_findings(probe_optimizer(_run(tmp_path, clip, momentum),
                                                    ProbeContext()), "checkpoint.optimizer"))


@pytest.mark.parametrize("clip", [1e-4, 2e-3])
def test_a_tiny_value_clip_leaves_a_ceiling_that_names_it(tmp_path: Path, clip: float) -> None:
    found = _found(tmp_path, clip)
    assert found["optimizer.grad_value_clip"] == pytest.approx(clip, rel=3e-3)
    assert found["optimizer.value_clip_binds"] is True


@pytest.mark.parametrize("clip", [None, 100.0])
def test_no_clip_or_one_never_reached_leaves_no_ceiling(tmp_path: Path,
                                                        clip: float | None) -> None:
    found = _found(tmp_path, clip)
    assert "optimizer.grad_value_clip" not in found
    assert "optimizer.value_clip_binds" not in found


def test_plain_sgd_has_no_buffer_to_read(tmp_path: Path) -> None:
    assert "optimizer.grad_value_clip" not in _found(tmp_path, 1e-4, momentum=0.0)


def test_round_numbers_are_the_ones_people_choose() -> None:
    assert all(map(round_number, (1e-4, 0.5, 2.5e-3, 3.0, 10.0, 0.99999e-4)))
    assert not any(map(round_number, (7e-4, 1.37, 0.0, -1.0, float("nan"))))
