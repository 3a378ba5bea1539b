"""Half-batch transfer: a model fitted on half the batch predicts the other half better than
the label frequencies when the labels depend on the inputs, and never when they are shuffled
(probes/live_transfer.py, the rule data.labels_carry_signal)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_probes import probe_overfit
from dldoctor.probes.live_transfer import constant_loss
from tests.support import check_findings, train_tiny
from tests.support.artefacts import make_data


def _transfer(run_dir: Path, labels: torch.Tensor | None = None) -> float | None:
    run = train_tiny(run_dir, None, steps=12)
    batch = run.batch
    if labels is not None:
        x, _ = make_data()
        batch = run_dir / "batch_relabelled.pt"
        torch.save((x[:64].clone(), labels), batch)
    else:
        x, y = make_data()
        batch = run_dir / "batch64.pt"
        torch.save((x[:64].clone(), y[:64].clone()), batch)
    inputs = Inputs(checkpoint=run.checkpoint, logs=(run.log,), model=run.model_spec,
                    batch=batch, device="cpu")
    found = check_findings(probe_overfit(inputs, ProbeContext()), "live.overfit_batch")
    values = [f.value for f in found if f.fact == "batch.transfer"]
    return values[0] if values else None


def test_labels_that_depend_on_the_inputs_transfer(tmp_path: Path) -> None:
    share = _transfer(tmp_path)
    assert share is not None and share >= 0.3


def test_shuffled_labels_do_not_transfer(tmp_path: Path) -> None:
    _, y = make_data()
    shuffled = y[:64][torch.randperm(64, generator=torch.Generator().manual_seed(3))]
    share = _transfer(tmp_path, shuffled)
    assert share is not None and share < 0.1


def test_the_constant_predictor_is_the_best_mix_of_frequencies_and_uniform() -> None:
    fit = torch.tensor([0, 0, 0, 1])
    output = torch.zeros(2, 2)
    # the other half matches the first half's frequencies: the frequencies themselves win
    other = torch.tensor([0, 0, 0, 1])
    p0, p1 = 4 / 6, 2 / 6  # add-one smoothing over two classes
    expected = -(3 * math.log(p0) + math.log(p1)) / 4
    assert constant_loss(fit, torch.zeros(4, 2), other) == pytest.approx(expected, rel=1e-5)
    # the other half is the reverse: a uniform guess beats the first half's frequencies
    assert constant_loss(fit, output, torch.tensor([1, 1])) == pytest.approx(math.log(2))
    targets = torch.tensor([[1.0], [3.0]])
    assert constant_loss(torch.tensor([[2.0], [2.0]]), torch.zeros(2, 1), targets) == \
        pytest.approx(1.0)  # MSE of the first half's mean
