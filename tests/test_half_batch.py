"""A batch saved in half precision (from a run trained with ``.half()``) feeds the float32
model its factory builds: the live probes run, and a note says so."""

from __future__ import annotations

from pathlib import Path

import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_forward
from tests.support import check_findings, train_tiny


def test_a_half_precision_batch_runs_on_the_float32_factory(tmp_path: Path) -> None:
    run = train_tiny(tmp_path, None, steps=12)
    x, y = torch.load(run.batch)
    half = tmp_path / "batch_half.pt"
    torch.save((x.half(), y), half)
    inputs = Inputs(checkpoint=run.checkpoint, logs=(run.log,), model=run.model_spec,
                    batch=half, device="cpu")
    ctx = ProbeContext()
    found = check_findings(probe_forward(inputs, ctx), "live.forward")
    assert any(f.fact == "forward.non_finite" and f.value is False for f in found)
    assert any("float16" in str(note) for note in ctx.notes)
