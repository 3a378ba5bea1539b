"""Whether the gradient the optimizer remembers points along the weights themselves.

A data gradient has no reason to point along the weight it updates: over a healthy run the
cosine between a weight matrix and Adam's first moment (or SGD's momentum buffer) stays near
0 (generated healthy runs: −0.35 to 0.12, median over their matrices). An L2 penalty ``λ·w``
added to the loss, or a coupled ``weight_decay`` (Adam's, SGD's), adds a pull along ``w`` to
every gradient; when it outweighs the data's, the memory lines up with the weights (cosine
near 1) and every step mostly shrinks them. AdamW's decoupled decay never enters the moments,
so this reads only a penalty that goes through the gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import Finding
from .evidence import say
from .moments import MIN_STEPS, adam_step, float_array
from .optimizer_state import OptimizerInfo, map_params, trainable_candidates
from .running_copies import cosine
from .weight_scan import TensorStats

__all__ = ["penalty_pull_findings"]

#: The memory each optimizer keeps of past gradients (a running mean or sum).
_MEMORY = {"adam": "exp_avg", "sgd": "momentum_buffer"}


def penalty_pull_findings(info: OptimizerInfo, stats: list[TensorStats], store: Any
                          ) -> list[Finding]:
    """``optimizer.memory_along_weights``: the median, over the weight matrices (two or more
    dimensions) the optimizer holds, of the cosine between a matrix and its gradient memory;
    nothing for other optimizers, fewer than two matrices, or Adam before :data:`MIN_STEPS`."""
    key = _MEMORY.get(info.kind)
    if key is None:
        return []
    mapping, _ = map_params(info, trainable_candidates(stats))
    cosines: list[tuple[float, str]] = []
    for index, name in sorted(mapping.items()):
        entry = info.entries[index]
        if entry.shape is None or len(entry.shape) < 2:
            continue
        if info.kind == "adam" and adam_step(entry.state) < MIN_STEPS:
            return []
        memory = float_array(entry.state.get(key))
        weights = float_array(store.get(name))
        if memory is None or weights is None or memory.size != weights.size:
            continue
        flat_memory, flat_weights = memory.reshape(-1), weights.reshape(-1)
        if np.isfinite(flat_memory).all() and np.isfinite(flat_weights).all() and \
                flat_memory.any() and flat_weights.any():  # a direction on both sides
            cosines.append((cosine(flat_memory, flat_weights), name))
    if len(cosines) < 2:
        return []
    median = float(np.median([c for c, _ in cosines]))
    high = max(cosines)
    return [Finding("optimizer.memory_along_weights", median,
                    say("optimizer.memory_along_weights", median=median, n=len(cosines),
                        top=high[0], name=high[1], kind=info.kind))]
