"""The gradient the log shows against the gradient SGD's momentum buffer took in.

``clip_grad_norm_`` runs between the logged norm (``grad_norm``, the value the call returns,
is the norm *before* clipping) and the optimizer. SGD's momentum buffer sums what reached the
optimizer, ``b ← μ·b + (1 − dampening)·g``, so ``|b|·(1 − μ)/(1 − dampening)`` is the size
of the recent steps' gradient: about the gradient's norm when it keeps its direction, a few
times less when it is noisy (a run's mini-batch gradients largely cancel). A buffer hundreds
of times smaller than the logged norm means the gradient was cut on its way: clipping at a
``max_norm`` far below the gradient's norm, so every step is that much shorter than the
learning rate makes it.
"""

from __future__ import annotations

import math

import numpy as np

from .base import Finding
from .evidence import Times, say
from .logs import Metrics
from .optimizer_state import OptimizerInfo, momentum_norm

__all__ = ["grad_shrink_findings", "SHRINK_WINDOW", "NOISE_MARGIN"]

#: The logged norm is the median over this last share of the log's rows (the buffer is recent).
SHRINK_WINDOW = 0.5
#: Gradients that flip sign every step leave the buffer ``(1 + μ)/(1 − μ)`` times under the
#: logged norm (19× at momentum 0.9; independent noise about √ of that): a shrink beyond this
#: many times that worst case was cut between the log and the optimizer.
NOISE_MARGIN = 2.0


def _buffer_norm(info: OptimizerInfo) -> tuple[float, float] | None:
    """The momentum buffers' total norm and the (one) momentum they were kept with."""
    momenta = {float(g["momentum"]) for g in info.groups if float(g.get("momentum", 0) or 0) > 0}
    if info.kind != "sgd" or len(momenta) != 1:
        return None
    norms = [n for n in map(momentum_norm, info.entries) if n is not None]
    total = math.sqrt(sum(n * n for n in norms))
    if not norms or not math.isfinite(total):
        return None
    return total, momenta.pop()


def grad_shrink_findings(info: OptimizerInfo, metrics: Metrics) -> list[Finding]:
    """``optimizer.grad_shrink``: the logged gradient norm (median of the last half) over the
    gradient the SGD momentum buffer holds, and ``optimizer.clip_cuts_steps``: whether that is
    beyond what noise in the gradient can do at the buffer's momentum; nothing without both,
    or with a zero buffer."""
    series = metrics.get("grad_norm")
    found = _buffer_norm(info)
    if series is None or found is None or series.values.size < 4:
        return []
    values = series.values[int(series.values.size * (1 - SHRINK_WINDOW)):]
    values = values[np.isfinite(values)]
    if values.size == 0:
        return []
    logged = float(np.median(values))
    norm, momentum = found
    dampening = float(info.groups[0].get("dampening", 0) or 0)
    taken = norm * (1 - momentum) / max(1 - dampening, 1e-12)
    if not taken > 0 or not logged > 0 or momentum >= 1:
        return []
    ratio = logged / taken
    noise = (1 + momentum) / (1 - momentum)
    cut = ratio >= NOISE_MARGIN * noise
    return [Finding("optimizer.grad_shrink", ratio,
                    say("optimizer.grad_shrink", logged=logged, file=series.source.name,
                        column=series.column, taken=taken, momentum=momentum,
                        ratio=Times(ratio))),
            Finding("optimizer.clip_cuts_steps", cut,
                    say("optimizer.clip_cuts" if cut else "optimizer.clip_noise",
                        ratio=Times(ratio), noise=Times(noise), momentum=momentum))]
