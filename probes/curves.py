"""Classify training curves with robust statistics. Pure NumPy: arrays in, numbers out.

Every threshold is a named constant below. The statistics are medians and median absolute
deviations over smoothed curves, so mini-batch noise does not trip them, and a healthy
fast-then-flattening curve classifies as nothing at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "Shape", "classify_shape", "first_non_finite", "spikes", "epoch_periodicity",
    "turn_up", "smooth", "level", "chance_classes",
    "DIVERGE_FACTOR", "RISE_FRACTION", "PLATEAU_DROP", "LINEAR_HALF_RATIO", "LINEAR_R2",
    "OSCILLATION_NOISE", "SPIKE_Z", "SPIKE_JUMP", "PERIODIC_CORRELATION", "TURN_UP_FRACTION",
    "NEAR_ZERO", "CHANCE_TOLERANCE", "MIN_POINTS",
]

#: Loss above this multiple of its initial level counts as diverged.
DIVERGE_FACTOR = 3.0
#: End level above the start level by this fraction (of the start) counts as rising.
RISE_FRACTION = 0.10
#: A total fall smaller than this fraction of the start level counts as a plateau.
PLATEAU_DROP = 0.05
#: Linear decline: the first half of training drops less than this multiple of the second
#: half (a healthy curve drops several times more early on) …
LINEAR_HALF_RATIO = 2.0
#: … and a straight line explains at least this share of the smoothed curve's variance.
LINEAR_R2 = 0.90
#: Oscillation: the robust noise std estimated from step-to-step differences exceeds this
#: fraction of the loss level (median of the trend over the second half).
OSCILLATION_NOISE = 0.25
#: A spike stands this many robust standard deviations above the local trend …
SPIKE_Z = 8.0
#: … and at least this fraction above it.
SPIKE_JUMP = 0.5
#: Autocorrelation of the de-trended loss at a lag of one epoch above this means the
#: pattern repeats each epoch (the sign of data served in the same order every epoch).
PERIODIC_CORRELATION = 0.5
#: Validation loss ends this fraction above its minimum (with points after it) to count as
#: turned up.
TURN_UP_FRACTION = 0.10
#: A loss below this is "about 0".
NEAR_ZERO = 1e-3
#: Accuracy within this distance of 1/k counts as chance level for k classes.
CHANCE_TOLERANCE = 0.01
#: Fewer points than this: too short to classify a shape.
MIN_POINTS = 8

_MAD_TO_STD = 1.4826


def first_non_finite(values: np.ndarray) -> int | None:
    """Index of the first NaN/inf value, or None."""
    bad = np.flatnonzero(~np.isfinite(values))
    return int(bad[0]) if bad.size else None


def smooth(values: np.ndarray, window: int | None = None) -> np.ndarray:
    """Centred rolling median (window ≈ 5 % of the points, at least 5, odd)."""
    n = values.size
    if n < 3:
        return values.astype(float)
    width = window or max(5, n // 20)
    width = min(width | 1, n - (1 - n % 2))
    half = width // 2
    padded = np.pad(values.astype(float), half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    return np.median(windows, axis=1)


def level(values: np.ndarray, start: bool) -> float:
    """Robust level of the start (first 2 %, 3 to 10 points) or end (last 10 %) of a curve.

    The start window is short because a healthy loss falls fastest at the very beginning.
    """
    k = min(max(3, values.size // 50), 10) if start else max(3, values.size // 10)
    part = values[:k] if start else values[-k:]
    return float(np.median(part))


def _robust_scale(values: np.ndarray) -> float:
    return float(np.median(np.abs(values - np.median(values))) * _MAD_TO_STD)


@dataclass(frozen=True)
class Shape:
    """What a (finite part of a) loss curve does."""

    initial: float
    final: float
    peak: float
    diverged: bool
    rising: bool
    plateau: bool
    linear: bool
    oscillating: bool
    noise: float  # robust scatter / level
    early_late_ratio: float  # drop in the first half / drop in the second half
    r2: float


def classify_shape(values: np.ndarray) -> Shape | None:
    """Classify the finite prefix of a loss curve; None when too short."""
    stop = first_non_finite(values)
    finite = values[:stop] if stop is not None else values
    if finite.size < MIN_POINTS:
        return None
    trend = smooth(finite)
    initial, final = level(finite, True), level(finite, False)
    peak = float(trend.max())
    scale = max(abs(initial), 1e-12)
    diverged = initial > 0 and peak > DIVERGE_FACTOR * initial
    rising = final > initial + RISE_FRACTION * scale
    drop = (initial - final) / scale
    plateau = not rising and drop < PLATEAU_DROP
    half = trend.size // 2
    early = trend[0] - trend[half]
    late = trend[half] - trend[-1]
    ratio = float(early / late) if late > 1e-12 else float("inf")
    x = np.arange(trend.size, dtype=float)
    slope, intercept = np.polyfit(x, trend, 1)
    residual = trend - (slope * x + intercept)
    total = float(np.sum((trend - trend.mean()) ** 2))
    r2 = 1.0 - float(np.sum(residual**2)) / total if total > 0 else 0.0
    linear = (drop >= PLATEAU_DROP and not rising and slope < 0 and final > NEAR_ZERO
              and 0 < ratio < LINEAR_HALF_RATIO and r2 >= LINEAR_R2)
    second = slice(half, None)
    # Step-to-step differences: immune to the trend, and to a period-2 zig-zag that a
    # rolling median would reproduce instead of smoothing out.
    steps = np.diff(finite[second])
    scatter = float(np.median(np.abs(steps))) / (0.6745 * np.sqrt(2.0)) if steps.size else 0.0
    base = max(float(np.median(np.abs(trend[second]))), 0.05 * abs(initial), 1e-12)
    noise = scatter / base
    return Shape(initial, final, peak, bool(diverged), bool(rising), bool(plateau), bool(linear),
                 bool(noise > OSCILLATION_NOISE), noise, ratio, r2)


def spikes(values: np.ndarray) -> list[int]:
    """Indices of isolated jumps far above the local trend (finite points only)."""
    finite = np.isfinite(values)
    if finite.sum() < MIN_POINTS:
        return []
    idx = np.flatnonzero(finite)
    clean = values[idx]
    trend = smooth(clean, max(7, clean.size // 20))
    residual = clean - trend
    scale = max(_robust_scale(residual), 1e-12)
    above = (residual > SPIKE_Z * scale) & (residual > SPIKE_JUMP * np.abs(trend))
    above[: max(3, clean.size // 20)] = False  # the first steps fall fast: not spikes
    return [int(i) for i in idx[above]]


def epoch_periodicity(values: np.ndarray, period: int) -> float | None:
    """Autocorrelation of the de-trended curve at a lag of one epoch (None: too short)."""
    finite = values[np.isfinite(values)]
    if period < 2 or finite.size < 2 * period + 2:
        return None
    residual = finite - smooth(finite, max(5, 2 * period + 1))
    residual = residual - residual.mean()
    a, b = residual[:-period], residual[period:]
    denominator = float(np.sqrt(np.sum(a * a) * np.sum(b * b)))
    return float(np.sum(a * b) / denominator) if denominator > 0 else None


def turn_up(values: np.ndarray) -> int | None:
    """Index of the minimum of a curve that clearly rises after it, else None."""
    finite = values[np.isfinite(values)]
    if finite.size < 4:
        return None
    trend = smooth(finite, 3) if finite.size >= 6 else finite
    low = int(np.argmin(trend))
    if low >= finite.size - 2:
        return None
    end = level(finite, False) if finite.size >= 10 else float(np.median(finite[-2:]))
    minimum = float(trend[low])
    if end > minimum + TURN_UP_FRACTION * max(abs(minimum), 1e-12):
        return low
    return None


def chance_classes(accuracy: float, max_classes: int = 20) -> int | None:
    """The k whose 1/k is nearest the accuracy (k = 2 … max_classes), if within tolerance."""
    best = min(range(2, max_classes + 1), key=lambda k: abs(accuracy - 1.0 / k))
    return best if abs(accuracy - 1.0 / best) <= CHANCE_TOLERANCE else None
