"""A logged gradient norm that is a running sum: gradients never cleared between steps.

Per-batch gradient norms jitter from batch to batch (healthy runs here: a median 5–15 %
between consecutive steps) and fall or level off as the model fits. When ``.grad`` is never
cleared, each backward adds to the sum of every gradient before it: the norm grows step
after step and, once the sum dwarfs one batch's gradient, barely moves between steps. Both
``zero_grad()`` missing and parameters that get gradients but sit in no optimizer (nobody
clears them) do this; the optimizer state tells the two apart.
"""

from __future__ import annotations

import numpy as np

from .base import Finding
from .evidence import Pct, Times, say
from .logs import Series

__all__ = ["accumulation_finding"]

#: At least this many finite logged norms, one per step or a few steps apart.
MIN_POINTS = 20
#: The last five norms at least this multiple of the first five …
MIN_GROWTH = 10.0
#: … rising (or within 1 % of the previous one) at this share of consecutive logs …
MIN_RISING_SHARE = 0.8
#: … and moving by at most this median fraction per log over the second half.
MAX_STEP_CHANGE = 0.02


def accumulation_finding(grad: Series, per_epoch: bool) -> Finding | None:
    """``grad.norm_accumulates``, or ``None`` when the log cannot tell (too few norms, or one
    per epoch: an epoch's mean is smooth whatever the steps did)."""
    values = grad.values[np.isfinite(grad.values)]
    if per_epoch or values.size < MIN_POINTS:
        return None
    first, last = float(np.mean(values[:5])), float(np.mean(values[-5:]))
    growth = last / first if first > 0 else float("inf")
    rising = float(np.mean(np.diff(values) >= -0.01 * np.abs(values[:-1])))
    half = values[values.size // 2:]
    change = float(np.median(np.abs(np.diff(half)) / np.maximum(np.abs(half[:-1]), 1e-12)))
    verdict = growth >= MIN_GROWTH and rising >= MIN_RISING_SHARE and change <= MAX_STEP_CHANGE
    return Finding("grad.norm_accumulates", verdict,
                   say("grad.accumulates" if verdict else "grad.not_accumulating",
                       growth=Times(growth), rising=Pct(rising), change=Pct(change),
                       column=grad.column))
