"""A flat ceiling in SGD's momentum buffers: the mark ``clip_grad_value_`` leaves.

``clip_grad_value_(params, c)`` caps every gradient entry at ``±c`` before the optimizer sees
it. SGD's momentum buffer sums what reached it, ``b ← μ·b + (1 − dampening)·g``, so no entry
of any buffer can pass ``c·(1 − dampening)/(1 − μ)``, and an entry whose gradient was cut with
the same sign for a few dozen steps sits right at that bound. Untouched gradients leave each
tensor's largest entry wherever its scale puts it — maxima of different layers differ by
factors, not by parts in a thousand. So the largest entries of two or more tensors agreeing to
0.1 % on a value whose implied clip is a round number (1e-4, 0.5, 5 …) is the ceiling; how far
the typical entry sits below it says how much of the gradient the cap took: a median at a
tenth of the ceiling or more means most entries were cut on most steps, and every step of the
run was that much shorter than the learning rate makes it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .base import Finding
from .evidence import Pct, say
from .moments import float_array
from .optimizer_state import OptimizerInfo
from .tensor_store import is_tensor_like

__all__ = ["value_clip_findings", "CEILING_AGREEMENT", "ROUND_TOLERANCE", "BINDING_MEDIAN",
           "round_number"]

#: Two tensors' largest buffer entries within this fraction of each other share a ceiling.
CEILING_AGREEMENT = 1e-3
#: The implied clip value within this fraction of 1, 2, 2.5, 3 or 5 × 10^k is a chosen one.
ROUND_TOLERANCE = 3e-3
#: The median entry at this fraction of the ceiling or more: the cap cut most of the gradient.
BINDING_MEDIAN = 0.1
#: Entries read for the median (a deterministic stride over larger models).
MEDIAN_SAMPLE = 1_000_000
_ROUND_MANTISSAS = (1.0, 2.0, 2.5, 3.0, 5.0, 10.0)


def round_number(value: float, tolerance: float = ROUND_TOLERANCE) -> bool:
    """Whether a positive value is 1, 2, 2.5, 3 or 5 times a power of ten, to ``tolerance``."""
    if not value > 0 or not math.isfinite(value):
        return False
    mantissa = value / 10.0 ** math.floor(math.log10(value))
    return any(abs(mantissa / m - 1) <= tolerance for m in _ROUND_MANTISSAS)


def _abs_buffer(state: dict[str, Any]) -> np.ndarray | None:
    buffer = state.get("momentum_buffer")
    array = float_array(buffer) if is_tensor_like(buffer) else None
    if array is None:
        return None
    flat = np.abs(array.reshape(-1))
    return flat if np.isfinite(flat).all() else None


def value_clip_findings(info: OptimizerInfo) -> list[Finding]:
    """``optimizer.grad_value_clip`` (the clip value the buffers' ceiling implies) and
    ``optimizer.value_clip_binds`` (whether the cap took most of the gradient), for SGD with
    one momentum; nothing when no ceiling shows."""
    momenta = {float(g.get("momentum", 0) or 0) for g in info.groups}
    dampenings = {float(g.get("dampening", 0) or 0) for g in info.groups}
    if info.kind != "sgd" or len(momenta) != 1 or len(dampenings) != 1:
        return []
    momentum, dampening = momenta.pop(), dampenings.pop()
    if not 0 < momentum < 1 or dampening >= 1:
        return []
    buffers = [b for b in (_abs_buffer(e.state) for e in info.entries) if b is not None]
    maxima = sorted((float(b.max()) for b in buffers), reverse=True)
    if len(maxima) < 3 or not maxima[0] > 0:
        return []
    ceiling = maxima[0]
    sharing = sum(1 for m in maxima if m >= ceiling * (1 - CEILING_AGREEMENT))
    clip = ceiling * (1 - momentum) / (1 - dampening)
    if sharing < 2 or not round_number(clip):
        return []
    total = sum(b.size for b in buffers)
    stride = max(1, math.ceil(total / MEDIAN_SAMPLE))
    sample = np.concatenate(buffers)[::stride]
    share = float(np.median(sample)) / ceiling
    binds = share >= BINDING_MEDIAN
    return [Finding("optimizer.grad_value_clip", clip,
                    say("optimizer.value_ceiling", ceiling=ceiling, tensors=sharing,
                        held=len(maxima), momentum=momentum, clip=clip)),
            Finding("optimizer.value_clip_binds", binds,
                    say("optimizer.value_clip_binds" if binds else "optimizer.value_clip_trims",
                        share=Pct(share), clip=clip))]
