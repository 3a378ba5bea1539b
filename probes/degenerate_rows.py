"""Whether the model's own forward breaks on a sample with no spread
(``forward.flat_sample_non_finite``).

A model that divides by a statistic of each sample — ``x / x.std()``, ``(x - mean) / std``
over a window, ``x / x.norm()`` — with no epsilon returns NaN for a sample whose values are all
one number: a flat sensor window, a blank image, a padded row. Training then goes NaN at the
first batch that holds one, from a loss that was falling fine. The check feeds the model as the
factory builds it (the trained weights may already be NaN) a few samples of the batch, first
as saved, then with the first one set to a constant (its own mean) and to zeros, in eval mode:
outputs finite as saved but NaN/inf for the flat sample are the hole.
"""

from __future__ import annotations

import torch
from torch import nn

from .base import Finding
from .evidence import say
from .live_runtime import first_tensor
from .models import Batch

__all__ = ["flat_sample_findings"]

#: Samples fed (the first is made flat).
SAMPLES = 4


def _finite(model: nn.Module, x: torch.Tensor) -> bool | None:
    """Whether every output value is finite; None when the model cannot run on ``x``."""
    try:
        with torch.no_grad():
            out = first_tensor(model(x))
    except Exception:  # noqa: BLE001 - the person's code may raise anything
        return None
    if out is None or not out.is_floating_point():
        return None
    return bool(torch.isfinite(out).all())


def flat_sample_findings(model: nn.Module, batch: Batch, device: torch.device
                         ) -> list[Finding]:
    """``forward.flat_sample_non_finite`` for float inputs of two or more dimensions per
    batch; nothing when the inputs are token ids, too few, or the model cannot run on them."""
    x = batch.inputs
    if not x.is_floating_point() or x.dim() < 2 or x.shape[0] < 2 or \
            not bool(torch.isfinite(x).all()) or x[0].numel() < 2:
        return []
    x = x[:SAMPLES].to(device)
    was_training = model.training
    model.eval()
    try:
        if _finite(model, x) is not True:
            return []
        broke = []
        for name, value in (("constant", float(x[0].mean())), ("zero", 0.0)):
            flat = x.clone()
            flat[0] = value
            if _finite(model, flat) is False:
                broke.append(name)
    finally:
        model.train(was_training)
    if broke:
        return [Finding("forward.flat_sample_non_finite", True,
                        say("forward.flat_sample_breaks",
                            kinds=say("forward.flat_kinds_" + "_".join(broke))))]
    return [Finding("forward.flat_sample_non_finite", False, say("forward.flat_sample_holds"))]
