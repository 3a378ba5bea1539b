"""The gradient norm an untrained model gets on its first batch, before any update.

With a standard initialisation and inputs and targets near unit scale, a fresh network's
gradient norm is of order 1 (the benchmark's healthy and rate-bug runs: 0.01 to 10). Hundreds
or more before the first update come from the starting point itself — weights at the wrong
scale, inputs or targets in raw units, a loss summed over many elements — since the rate has
not acted yet.
"""

from __future__ import annotations

import numpy as np

from .base import Finding
from .evidence import at, say
from .logs import Series

__all__ = ["first_norm", "first_norm_finding", "FIRST_STEP"]

#: A gradient norm logged at this step or before was taken before any update took effect.
FIRST_STEP = 1


def first_norm(grad: Series) -> float | None:
    """The first logged gradient norm, when logged at the first step and finite; ``None``
    otherwise (a later first row may already include a blow-up)."""
    if not grad.values.size or float(grad.steps[0]) > FIRST_STEP:
        return None
    first = float(grad.values[0])
    return first if np.isfinite(first) else None


def first_norm_finding(grad: Series) -> Finding | None:
    """``grad.norm_first``: :func:`first_norm` as a finding."""
    if (first := first_norm(grad)) is None:
        return None
    return Finding("grad.norm_first", first,
                   say("grad.first_norm", value=first, column=grad.column, at=at(grad, 0)))
