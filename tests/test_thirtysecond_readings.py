"""A reading the thirty-second hand set asked for: a captioner whose decoder is fed its target
tokens unshifted (the batch's ``captions`` equal its ``targets`` at every position) read as
wrong labels; the batch itself says that the model is handed what it must predict."""

from __future__ import annotations

import torch

from dldoctor.probes.label_leak import batch_leak_findings
from tests.support import values_of


def test_a_decoder_fed_its_targets_unshifted_holds_the_answer() -> None:
    gen = torch.Generator().manual_seed(0)
    images = torch.randn(64, 3, 8, 8, generator=gen)
    targets = torch.randint(1, 20, (64, 10), generator=gen)
    targets[:, -2:] = -100  # padding the loss ignores
    unshifted = targets.clamp_min(0)
    found = values_of(batch_leak_findings(images, targets, {"captions": unshifted}))
    assert found["data.label_in_inputs"] is True
    shifted = torch.cat([torch.zeros(64, 1, dtype=torch.long), unshifted[:, :-1]], 1)
    assert "data.label_in_inputs" not in values_of(
        batch_leak_findings(images, targets, {"captions": shifted}))
