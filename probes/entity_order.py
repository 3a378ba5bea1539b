"""The order the data came in, read from an embedding table's optimizer memory.

A lookup table's row gets a gradient only in the steps whose batch holds its index, and the
optimizer's running gradient for it (Adam's first moment, SGD's momentum buffer) then decays
by β₁ (or μ) every step until the index comes again. With a shuffled loader every row is
touched now and then all through an epoch: the rows' memories differ by a few times, in no
order of the index. A loader that walks the data sorted by the entity (all of store 0's
windows, then store 1's …) touches the last indices last: their memory is fresh, the first
ones' decayed for most of an epoch, so the memory grows with the index by hundreds of times.
An ascending order is what sorting by id gives; ids ranked by frequency (0 the most common)
make the memory *fall* with the index in a healthy run, which is not read.

Frequency can rise with the index too (a tiny vocabulary whose special tokens come first):
then Adam's long memory of the squared gradient (β₂) rises with it as much as the first
moment does. Recency is the first moment *over* that long memory, so under Adam the order is
read on |m| / √v, row by row.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .base import Finding
from .evidence import Times, say
from .layers import lookup_tables
from .moments import float_array
from .optimizer_state import OptimizerInfo, map_params, trainable_candidates
from .tensor_store import is_tensor_like
from .weight_scan import TensorStats

__all__ = ["entity_order_findings", "ORDER_RANK", "ORDER_SPREAD", "MIN_ROWS"]

#: Rows the index order is read over: over fewer a rank correlation of 0.8 comes by chance
#: too often (8 rows: p ≈ 0.01 — an e3nn radial net's 8-row weight in a healthy SevenNet
#: potential read so); over 16 it takes p < 1e-4.
MIN_ROWS = 16
#: Spearman correlation of row index with the row's memory norm at least this …
ORDER_RANK = 0.8
#: … and the freshest row's memory this many times the stalest's.
ORDER_SPREAD = 100.0
_MEMORY = ("exp_avg", "momentum_buffer")


def _row_norms(state: dict[str, Any]) -> np.ndarray | None:
    """Each row's running-gradient norm; under Adam over its √v norm (recency, not how often
    the row comes: a frequent row has both large), rows never touched at 0."""
    memory = next((state[k] for k in _MEMORY if is_tensor_like(state.get(k))), None)
    array = float_array(memory)
    if array is None or array.ndim != 2 or array.shape[0] < MIN_ROWS or \
            not np.isfinite(array).all():
        return None
    norms = np.sqrt((array * array).sum(axis=1))
    second = float_array(state.get("exp_avg_sq")) if is_tensor_like(state.get("exp_avg_sq")) \
        else None
    if second is None or second.shape != array.shape or not np.isfinite(second).all():
        return norms
    long = np.sqrt(np.clip(second, 0.0, None).sum(axis=1))
    return np.divide(norms, long, out=np.zeros_like(norms), where=long > 0)


def _spearman(values: np.ndarray) -> float:
    ranks = values.argsort().argsort().astype(float)
    index = np.arange(values.size, dtype=float)
    a, b = ranks - ranks.mean(), index - index.mean()
    denominator = math.sqrt(float((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / denominator) if denominator > 0 else 0.0


def entity_order_findings(info: OptimizerInfo, stats: list[TensorStats]) -> list[Finding]:
    """``data.entity_order_in_memory``: an embedding table whose rows' optimizer memory rises
    with the row index (Spearman ≥ 0.8) by a hundred times or more; false for tables read
    that show no such order; nothing without an embedding table in the optimizer's state."""
    tables = lookup_tables(stats)
    if not tables:
        return []
    mapping, _ = map_params(info, trainable_candidates(stats))
    read: list[tuple[str, float, float, int]] = []
    for index, entry in enumerate(info.entries):
        name = mapping.get(index)
        if name not in tables:
            continue
        norms = _row_norms(entry.state)
        if norms is None or not (norms > 0).any():
            continue
        rank = _spearman(norms)
        floor = max(float(norms[norms > 0].min()), 1e-30)
        read.append((str(name), rank, float(norms.max()) / floor, int(norms.size)))
    if not read:
        return []
    name, rank, spread, rows = max(read, key=lambda r: (r[1], r[2]))
    ordered = rank >= ORDER_RANK and spread >= ORDER_SPREAD
    return [Finding("data.entity_order_in_memory", ordered,
                    say("order.entity_memory" if ordered else "order.entity_memory_mixed",
                        table=name, rows=rows, rank=rank, spread=Times(spread)),
                    {"rank": rank, "spread": spread})]
