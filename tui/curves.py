"""The loss curves of the attached logs, thinned for drawing.

The reading is the probes' (through the session): one log reader, which knows every format
and column spelling the diagnosis knows; this module only cuts the curves to a drawable size.
"""

from __future__ import annotations

import math
from pathlib import Path

from dldoctor.session import loss_axis, loss_curves

__all__ = ["Curve", "load_curves", "loss_axis", "MAX_POINTS"]

MAX_POINTS = 2000

Curve = tuple[list[float], list[float]]  # (steps, values)


def _thin(curve: Curve) -> Curve:
    xs, ys = curve
    if len(xs) <= MAX_POINTS:
        return curve
    stride = math.ceil(len(xs) / MAX_POINTS)
    return xs[::stride], ys[::stride]


def load_curves(paths: list[Path]) -> dict[str, Curve]:
    """The loss curves of ``paths`` (empty when none can be read: the plot is optional)."""
    return {name: _thin(curve) for name, curve in loss_curves(paths).items()}
