"""Whether a batch of sequences was cut across its samples: a time-major array relabelled.

A ``(T, N, F)`` stack (one array per time slice) turned into the batch-first ``(N, T, F)`` a
``batch_first`` RNN wants with ``reshape``/``view`` instead of ``permute`` keeps the memory
order: read one after another, the batch's rows walk through all N samples at one time
step, then all N at the next. So a row and the row N further on are the same sample one
step later — alike, as a signal is to itself a step on — while the rows inside one
"sequence" are different samples. In order, the rows alike are the time neighbours (lag 1)
and the same step of other samples (multiples of T). Overlapping windows repeat exactly, at
lags below T; those are no sign. On the one such hand-written run (a tokamak GRU, 400
validation shots) rows 400 apart differed by 0.08 of the typical lag's distance, time
neighbours by 0.97.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from .base import Finding
from .evidence import say

__all__ = ["interleaved_sequences_finding", "relabelled_batch_first_finding"]

#: Sequences shorter than this, or fewer samples, are not read.
MIN_STEPS, MIN_SAMPLES = 8, 4
#: The rows read (whole samples), and the features (a seeded projection beyond).
MAX_ROWS, MAX_FEATURES = 16384, 32
#: Rows ``lag`` apart count as alike at this share of the median lag's distance or less …
ALIKE = 0.25
#: … and far more alike than time neighbours: at most this share of lag 1's distance …
OVER_NEIGHBOURS = 0.3
#: … but not copies (overlapping windows, duplicated samples): above this share.
COPIES = 1e-3
#: Twice the lag must be alike too, at this share of the median or less.
REPEAT = 0.5


def _distances(rows: np.ndarray) -> np.ndarray:
    """Mean squared distance between rows ``lag`` apart, for lag = 1 … n // 2 (index 0 is
    lag 1), through an FFT autocorrelation."""
    n = rows.shape[0]
    half = n // 2
    spectrum = np.fft.rfft(rows, 2 * n, axis=0)
    cross = np.fft.irfft(np.abs(spectrum) ** 2, 2 * n, axis=0).sum(axis=1)[1:half + 1]
    square = (rows ** 2).sum(axis=1)
    lags = np.arange(1, half + 1)
    head = np.cumsum(square)[n - 1 - lags]  # rows 0 … n−lag−1
    tail = square.sum() - np.cumsum(square)[lags - 1]  # rows lag … n−1
    return np.maximum(head + tail - 2 * cross, 0.0) / (n - lags)


def _rows(x: torch.Tensor) -> np.ndarray | None:
    keep = max(MIN_SAMPLES, MAX_ROWS // x.shape[1])
    rows = x[:keep].reshape(-1, x.shape[2]).double().numpy()
    if not np.isfinite(rows).all():
        return None
    rows = rows - rows.mean(axis=0)
    spread = rows.std(axis=0)
    rows = rows[:, spread > 0] / spread[spread > 0]
    if rows.shape[1] == 0:
        return None
    if rows.shape[1] > MAX_FEATURES:
        projection = np.random.default_rng(0).standard_normal((rows.shape[1], MAX_FEATURES))
        rows = rows @ projection / math.sqrt(MAX_FEATURES)
    return rows


def interleaved_sequences_finding(x: torch.Tensor) -> Finding | None:
    """``input.sequences_interleaved`` true, with the lag, when a batch of ``(N, T, F)``
    sequences reads as a time-major array relabelled batch-first; None otherwise (a
    shuffled batch hides it: no reading either way)."""
    if not x.is_floating_point() or x.dim() != 3 or x.shape[1] < MIN_STEPS or \
            x.shape[0] < MIN_SAMPLES:
        return None
    rows = _rows(x.detach().cpu())
    if rows is None or rows.shape[0] < 4 * x.shape[1]:
        return None
    steps = int(x.shape[1])
    distance = _distances(rows)
    lags = np.arange(1, distance.size + 1)
    other = (lags >= 2) & (lags % steps != 0)
    if not other.any():
        return None
    typical = float(np.median(distance[other]))
    if typical <= 0:
        return None
    alike = other & (distance <= ALIKE * typical)
    if not alike.any():
        return None
    lag = int(lags[np.argmax(alike)])  # the first: overlapping windows repeat below T
    near = float(distance[lag - 1])
    twice = float(distance[2 * lag - 1]) if 2 * lag <= distance.size else near
    if lag <= steps or near <= COPIES * typical or near > OVER_NEIGHBOURS * distance[0] \
            or twice > REPEAT * typical:
        return None
    return Finding("input.sequences_interleaved", True,
                   say("input.sequences_interleaved", lag=lag, steps=steps,
                       near=near / typical, first=float(distance[0]) / typical),
                   {"lag": lag})


#: A time-major batch whose neighbours across the batch axis are this much closer than its
#: neighbours along time (and than two entries drawn at random) was relabelled, not moved.
ACROSS_OVER_ALONG = 0.3


def relabelled_batch_first_finding(x: torch.Tensor) -> Finding | None:
    """``input.layout_via_view`` true for the ``(T, N, F)`` batch a sequence-first model
    reads when its entries are alike across the batch axis and unalike along time: a
    batch-first ``(N, T, F)`` array relabelled with ``view``/``reshape`` instead of moved
    with ``transpose`` keeps its memory order, so a "time step" jumps N frames on and the
    "samples" side by side are one sample's consecutive frames (set 274's occultation GRU:
    each sequence a run of frames from two or three events). None otherwise: a correct
    batch is alike along time or alike nowhere."""
    if not x.is_floating_point() or x.dim() != 3 or x.shape[0] < MIN_STEPS or \
            x.shape[1] < MIN_SAMPLES:
        return None
    v = x.detach().cpu().double()
    v = (v - v.mean(dim=(0, 1))) / v.std(dim=(0, 1)).clamp_min(1e-12)
    if not bool(torch.isfinite(v).all()):
        return None
    along = float((v[1:] - v[:-1]).pow(2).sum(-1).mean())
    across = float((v[:, 1:] - v[:, :-1]).pow(2).sum(-1).mean())
    flat = v.reshape(-1, v.shape[-1])
    order = torch.randperm(flat.shape[0], generator=torch.Generator().manual_seed(0))
    drawn = float((flat - flat[order]).pow(2).sum(-1).mean())
    if not across < ACROSS_OVER_ALONG * min(along, drawn):
        return None
    return Finding("input.layout_via_view", True,
                   say("input.time_major_relabelled", t=int(x.shape[0]), n=int(x.shape[1]),
                       across=across / drawn, along=along / drawn))
