"""Whether the answer sits among the inputs (``data.label_in_inputs``).

A table encoded column by column, with the label column still in it, hands the model its
target: one input column equals the target (or, one-hot encoded, the indicator of one of its
classes, or for a regression target a rescaled copy of it). Such a model reaches 100 % on
validation after an epoch and is useless on real data. Only flat (samples, features) inputs
are read; a batch of fewer than :data:`MIN_ROWS` samples says nothing either way.
"""

from __future__ import annotations

import torch

from .base import Finding
from .evidence import say

__all__ = ["label_leak_findings", "MIN_ROWS", "MAX_CLASSES"]

#: Below this many samples a column could match a few labels by chance.
MIN_ROWS = 24
#: Integer targets with more distinct values than this are read as a regression target.
MAX_CLASSES = 50
#: A rescaled copy of a regression target correlates with it this closely.
COPY_CORRELATION = 0.99999


def _copies(columns: torch.Tensor, target: torch.Tensor) -> list[int]:
    """The columns equal to ``target`` or an affine copy of it (``target`` not constant)."""
    t = target - target.mean()
    if float(t.norm()) == 0:
        return []
    c = columns - columns.mean(dim=0, keepdim=True)
    norms = c.norm(dim=0) * t.norm()
    corr = (c * t[:, None]).sum(dim=0) / norms.clamp_min(1e-30)
    return [int(i) for i in torch.nonzero((corr.abs() >= COPY_CORRELATION) & (norms > 0))]


def _column(index: int) -> Finding:
    return Finding("data.label_column", index, say("leak.column", column=index))


def label_leak_findings(inputs: torch.Tensor, targets: torch.Tensor | None) -> list[Finding]:
    """``data.label_in_inputs`` for flat inputs with one target per sample; nothing for
    images, sequences or a batch too small to tell."""
    if targets is None or inputs.dim() != 2 or inputs.shape[0] < MIN_ROWS or \
            targets.shape[0] != inputs.shape[0] or targets.numel() != inputs.shape[0]:
        return []
    x = inputs.double()
    if not bool(torch.isfinite(x).all()):
        return []
    y = targets.reshape(-1).double()
    if not bool(torch.isfinite(y).all()):
        return []
    n = int(x.shape[0])
    values = torch.unique(y)
    fact = "data.label_in_inputs"
    found = _copies(x, y)
    if found:
        return [Finding(fact, True, say("leak.copy", column=found[0], n=n)),
                _column(found[0])]
    if not targets.is_floating_point() and 2 < values.numel() <= MAX_CLASSES:
        for value in values:  # one-hot: a column that is one class's indicator
            indicator = (y == value).double()
            same = _copies(x, indicator)
            if same:
                return [Finding(fact, True, say("leak.one_hot", column=same[0],
                                                value=int(value), n=n)), _column(same[0])]
    return [Finding(fact, False, say("leak.none", n=n, columns=int(x.shape[1])))]
