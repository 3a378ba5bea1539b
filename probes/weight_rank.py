"""How many independent directions the weight matrices of a trained model use.

A layer whose units all start equal (zeros, one constant) gets equal gradients, so its rows
stay copies of each other: only biases and noise tell them apart, and the trained matrix keeps
an effective rank of a few directions. A randomly initialised layer uses most of its
dimensions, before and after training. The effective rank here is the participation ratio of
the singular values, (Σσ)² / Σσ², as a share of the matrix's smaller side.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from typing import Any

import numpy as np

from .moments import float_array

__all__ = ["MAX_SIDE", "MIN_SIDE", "rank_ratio", "median_rank_ratio", "stuck_negative_bias"]

MIN_SIDE = 4  # a matrix this narrow says nothing about symmetry
MAX_SIDE = 256  # larger matrices are read through evenly spaced rows and columns


def _spaced(n: int) -> np.ndarray:
    return np.linspace(0, n - 1, MAX_SIDE).round().astype(int) if n > MAX_SIDE else np.arange(n)


def rank_ratio(weight: Any) -> float | None:
    """The effective rank of ``weight`` (rows: output units) over its smaller side; a large
    matrix is read through evenly spaced rows and columns before it is converted."""
    shape = tuple(int(d) for d in getattr(weight, "shape", ()))
    if len(shape) < 2:
        return None
    rows, cols = shape[0], int(np.prod(shape[1:]))
    if min(rows, cols) < MIN_SIDE:
        return None
    flat = weight.reshape(rows, cols)
    picked_rows, picked_cols = _spaced(rows), _spaced(cols)
    if hasattr(flat, "detach"):  # a torch tensor: index with its own kind of index
        import torch

        flat = flat[torch.as_tensor(picked_rows)][:, torch.as_tensor(picked_cols)]
    else:
        flat = flat[picked_rows][:, picked_cols]
    matrix = float_array(flat)
    if matrix is None or not np.isfinite(matrix).all():
        return None
    sigma = np.linalg.svd(matrix, compute_uv=False)
    total = float(sigma.sum())
    if total <= 0:
        return 0.0  # an all-zero matrix uses no direction at all
    return total * total / float((sigma * sigma).sum()) / min(matrix.shape)


def median_rank_ratio(weights: Iterable[tuple[str, Any]]) -> tuple[float, int, str] | None:
    """(median ratio, matrices measured, the lowest one's name), or None below two."""
    ratios = [(r, name) for name, w in weights if (r := rank_ratio(w)) is not None]
    if len(ratios) < 2:
        return None
    return statistics.median(r for r, _ in ratios), len(ratios), min(ratios)[1]


def stuck_negative_bias(biases: Iterable[tuple[str, Any]], min_units: int = 8
                        ) -> tuple[float, str, float] | None:
    """The largest share of a bias vector's units that still hold one identical negative value
    (share, tensor, value), or None without such a vector. Units that never fire get no
    gradient, so their bias stays exactly where it was initialised; trained biases are all
    different."""
    best: tuple[float, str, float] | None = None
    for name, bias in biases:
        vector = float_array(bias)
        if vector is None:
            continue
        vector = vector.ravel()
        if vector.size < min_units or not np.isfinite(vector).all():
            continue
        values, counts = np.unique(vector, return_counts=True)
        k = int(np.argmax(counts))
        share, value = float(counts[k]) / vector.size, float(values[k])
        if value < 0 and counts[k] > 1 and (best is None or share > best[0]):
            best = (share, name, value)
    return best
