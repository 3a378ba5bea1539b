"""Two readings the thirteenth hand set asked for. A gradient clipped far below the norm the
log shows leaves SGD's momentum buffer hundreds of times under it (an unclipped run: a few
times, from noise). Dropout layers in a row multiply: five at 0.7 keep a unit's signal in
0.2 % of the passes, where three at 0.5 keep it in an eighth."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_structure import dropout_findings
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, values_of, write_csv_log


def _run(tmp_path: Path, max_norm: float) -> Inputs:
    torch.manual_seed(0)
    x = torch.randn(256, 8)
    y = x @ torch.randn(8, 1) + 0.1 * torch.randn(256, 1)
    model = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    steps, losses, norms = [], [], []
    for step in range(48):
        i = (step * 32) % 256
        loss = F.mse_loss(model(x[i:i + 32]), y[i:i + 32])
        optimizer.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)  # before clipping
        optimizer.step()
        steps.append(float(step))
        losses.append(loss.item())
        norms.append(float(norm))
    checkpoint = tmp_path / f"clip_{max_norm}.pt"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, checkpoint)
    log = write_csv_log(tmp_path / f"clip_{max_norm}.csv",
                        {"step": steps, "loss": losses, "grad_norm": norms})
    return Inputs(checkpoint=checkpoint, logs=(log,))


@pytest.mark.parametrize(("max_norm", "clipped"), [(1e-3, True), (0.1, True), (1e6, False)])
def test_a_tiny_max_norm_shows_between_the_log_and_the_momentum_buffer(
        tmp_path: Path, max_norm: float, clipped: bool) -> None:
    found = check_findings(probe_optimizer(_run(tmp_path, max_norm), ProbeContext()),
                           "checkpoint.optimizer")
    ratio = values_of(found)["optimizer.grad_shrink"]
    assert values_of(found)["optimizer.clip_cuts_steps"] is clipped and ratio > 0, ratio
    if not clipped:
        assert ratio < 30, ratio  # noise alone: a few times


def test_without_a_log_nothing_is_compared(tmp_path: Path) -> None:
    inputs = _run(tmp_path, 1e-3)
    found = probe_optimizer(Inputs(checkpoint=inputs.checkpoint), ProbeContext())
    assert "optimizer.grad_shrink" not in values_of(found)


def _keep(model: nn.Module) -> object:
    return values_of(dropout_findings(model.named_modules()))["arch.dropout_keep_product"]


def test_dropout_layers_in_a_row_multiply() -> None:
    def chain(p: float, n: int) -> nn.Module:
        return nn.Sequential(*[m for _ in range(n) for m in (nn.Linear(8, 8), nn.ReLU(),
                                                                nn.Dropout(p))])
    assert _keep(chain(0.7, 5)) == pytest.approx(0.3 ** 5)  # the denoiser: held back
    assert _keep(chain(0.5, 3)) == pytest.approx(0.125)  # a classic MLP recipe
    assert _keep(chain(0.1, 12)) == 1.0  # light dropout (a transformer's) is not counted


def test_an_l2_normalised_embedding_is_no_classifier_for_class_coverage() -> None:
    """The twelfth set's InfoNCE encoder: 32-d unit-norm embeddings, the batch's 8 machine ids
    as targets. Read as 32 classes, 8 present looked like a class-sorted loader."""
    from dldoctor.probes.live_forward import label_findings
    from dldoctor.probes.models import Batch

    torch.manual_seed(0)
    ids = torch.arange(64) % 8
    logits = torch.randn(64, 32)
    embedding = F.normalize(logits, dim=1)
    coverage = {name: values_of(label_findings(Batch(torch.randn(64, 4), ids, Path("b.pt")),
                                               out)).get("batch.class_coverage")
                for name, out in (("embedding", embedding), ("logits", logits))}
    assert coverage["embedding"] == pytest.approx(1.0, abs=1e-3)  # all 8 ids there
    assert coverage["logits"] is not None and coverage["logits"] < 0.35  # 8 of 32 classes
