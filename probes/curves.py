"""Classify training curves with robust statistics. Pure NumPy: arrays in, numbers out.

Every threshold is a named constant below. The statistics are medians and median absolute
deviations over smoothed curves, so mini-batch noise does not trip them, and a healthy
fast-then-flattening curve classifies as nothing at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Shape", "classify_shape", "first_non_finite", "spikes", "epoch_periodicity",
    "turn_up", "smooth", "level", "chance_classes", "as_fractions",
    "DIVERGE_FACTOR", "RISE_FRACTION", "PLATEAU_DROP", "LINEAR_HALF_RATIO", "LINEAR_R2",
    "LINEAR_MAX_DROP",
    "OSCILLATION_NOISE", "SPIKE_Z", "SPIKE_JUMP", "PERIODIC_CORRELATION", "TURN_UP_FRACTION",
    "NEAR_ZERO", "CHANCE_TOLERANCE", "MIN_POINTS", "SETTLE_FRACTION", "PLATEAU_TOTAL_DROP",
    "PERIODIC_MIN_EPOCHS", "periodic_limit", "epoch_ripple", "PERIODIC_FEW_MIN_RIPPLE",
    "epoch_ramp", "PERIODIC_LOOSE", "PERIODIC_RAMP",
    "PERIODIC_EXACT", "spike_heights", "MINIBATCH_NOISE",
    "STRUCTURE_AUTOCORR",
    "SPIKE_MIN_OF_START", "lag1_autocorrelation", "decimate",
    "Climb", "climb_and_return", "CLIMB_FACTOR", "RETURN_FACTOR",
]

#: Loss above this multiple of its initial level counts as diverged.
DIVERGE_FACTOR = 3.0
#: End level above the start level by this fraction (of the start) counts as rising.
RISE_FRACTION = 0.10
#: … and the points climb in rank order: Mann-Kendall's statistic over the curve at least
#: this many standard deviations above no trend (one-sided 5 %). Medians of a few minibatch
#: losses scatter: a flat per-step loss, ±15 % from batch to batch, read 3.01 at its start
#: and 3.53 at its end (z 1.2; a new user's broadcast MSE, logged every 5 steps), while the
#: loss of a run that blows up climbs in rank (z 2.1-6.1 on the hand runs that did).
RISE_Z = 1.645
#: … or the end level sits this many standard errors above the start level, the error from
#: the curve's own step-to-step scatter (a smooth climb that rose early and stayed up has no
#: rank trend over the whole curve, but no scatter to hide its rise in either).
RISE_SIGMAS = 3.0
#: Points of a curve the rank test reads (evenly spaced), which bounds its cost.
RANK_POINTS = 400
#: A total fall smaller than this fraction of the start level counts as a plateau.
PLATEAU_DROP = 0.05
#: The share of the first steps a plateau may ignore: after an early blow-up or a short
#: initial drop the loss can sit flat for the rest of the run.
SETTLE_FRACTION = 0.10
#: A curve flat after the first steps is a plateau when its total fall is below this
#: fraction of the start level (or when those first steps were a blow-up).
PLATEAU_TOTAL_DROP = 0.15
#: Linear decline: the first half of training drops less than this multiple of the second
#: half (a healthy curve drops several times more early on) …
LINEAR_HALF_RATIO = 2.0
#: … and a straight line explains at least this share of the smoothed curve's variance …
LINEAR_R2 = 0.90
#: … and the loss lost less than this share of its start: a line that falls 90 % of the way
#: to zero has fit (set 258's healthy Lightning GRU, 18 epochs from 0.93 to 0.024, R² 0.97).
LINEAR_MAX_DROP = 0.90
#: Still falling at the end: the last fifth of the steps lowers the loss by at least this
#: share of its whole fall (converged curves: under 0.13 on the tuning runs; a straight
#: line: 0.18-0.22).
FALLING_AT_END_SHARE = 0.15
#: Oscillation: the robust noise std estimated from step-to-step differences exceeds this
#: fraction of the loss level (median of the trend over the second half).
OSCILLATION_NOISE = 0.25
#: White (unstructured) step-to-step scatter up to this fraction of the level is what a
#: per-step minibatch loss shows: 34-38 % measured for batches of 16-32, and 50-64 % on
#: healthy tuning runs near convergence, where a few hard samples dominate a small mean. A
#: rate that overshoots leaves structure (swings, zig-zags) or scatter beyond the level.
MINIBATCH_NOISE = 1.0
#: Scatter whose lag-1 autocorrelation (around the trend) is beyond ±this has structure (a
#: zig-zag or swings), which sampling noise of independent minibatches does not have.
STRUCTURE_AUTOCORR = 0.3
#: A spike must also rise above the trend by this fraction of the run's starting level: a
#: blip at a loss level near 0 is no sudden spike.
SPIKE_MIN_OF_START = 0.1
#: A spike stands this many robust standard deviations above the local trend …
SPIKE_Z = 8.0
#: … and at least this fraction above it.
SPIKE_JUMP = 0.5
#: Each epoch's de-trended loss correlating above this (median over epochs) with the mean
#: shape of the other epochs means the pattern repeats each epoch (the sign of data served
#: in the same order every epoch). Shuffled runs stay below 0.25.
PERIODIC_CORRELATION = 0.4
#: Epochs needed (after dropping the first, transient one) to call a pattern periodic.
PERIODIC_MIN_EPOCHS = 3
#: … and at least this many logged points per epoch: the correlation of two 5-point shapes is
#: above 0.4 by chance too often (a healthy Lightning run logging 5 points an epoch did).
PERIODIC_MIN_POINTS = 8
#: Fewer points an epoch (down to :data:`PERIODIC_FEW_POINTS`) are read when the shapes
#: repeat almost exactly: two noise shapes of 5-7 points correlate above 0.9 (median over the
#: epochs) in under 0.3 % of simulated healthy logs, against 13-20 % above 0.4; a class-sorted
#: loader logged 6 times an epoch repeats at 0.998.
PERIODIC_FEW_POINTS = 5
PERIODIC_FEW_CORRELATION = 0.9
#: … or above 0.7 over eight epochs or more: the median over that many epochs is far steadier
#: (simulated noisy decaying curves, AR(1) scatter: above 0.7 in 1.0 % at 5 points an epoch
#: and 8 epochs, 0.3 % at 6 points, none in 4000 at 12 epochs; a class-sorted Siamese run
#: logged 6 times an epoch for 12 epochs repeats at 0.88).
PERIODIC_MANY_EPOCHS = 8
PERIODIC_MANY_CORRELATION = 0.7
#: … and, at those few points, only when the repeating shape spans this share of the loss's
#: level or more. Each point then averages a fifth of an epoch or more, so a loader in a fixed
#: (class-sorted) order still swings by a large share (a sorted Siamese run: 18× its median
#: level); a shuffled loader leaves a small steady ripple that repeats too — a model that
#: memorises fits the samples it saw most recently best, and early in an epoch those are
#: the ones seen half an epoch ago, late in it an epoch and a half (a Lightning ComplEx run:
#: 6 % of its level, correlating 0.90 at 5 points an epoch). A shape that repeats almost
#: exactly (:data:`PERIODIC_EXACT`) is read whatever its size: a class-sorted loader logged six
#: times an epoch repeated at 0.998 with a ripple of 8 %.
PERIODIC_FEW_MIN_RIPPLE = 0.15
PERIODIC_EXACT = 0.95
#: A shape that repeats only loosely (correlation under :data:`PERIODIC_LOOSE`) and is a steady
#: rise through the epoch (its correlation with the position in the epoch at least
#: :data:`PERIODIC_RAMP`) is the recency of a model memorising a *shuffled* set: a sample met
#: at position k was last seen on average half an epoch plus k steps ago, so the loss climbs
#: through each epoch and drops when the next begins. A loader in a fixed order serves the same
#: samples at the same positions and repeats far more exactly (generated class-sorted runs:
#: 0.88-0.99 at 12-24 points an epoch; healthy shuffled memorisers: 0.40-0.63 with a rise
#: correlating 0.78-0.91).
PERIODIC_LOOSE = 0.8
PERIODIC_RAMP = 0.75
#: Validation loss ends this fraction above its minimum (with points after it) to count as
#: turned up …
TURN_UP_FRACTION = 0.10
#: … and clearly, through its own epoch-to-epoch scatter: the end this many standard errors
#: above the minimum (:data:`RISE_SIGMAS`), or the points after the minimum climbing in rank
#: (:data:`RISE_Z`). The lowest of twenty scattered evaluations sits about two of their
#: standard deviations under their level: set 369's bouncing validation MSE (0.026 to 0.07
#: and back) "bottomed at 0.027 and ended at 0.045" with no rise at all.
TURN_UP_SIGMAS = 3.0
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


#: A rolling median is exact while points × window stays below this; beyond it (logs of
#: tens of thousands of points) it is taken over block medians, in linear time.
EXACT_MEDIAN_CELLS = 20_000_000
#: Blocks per window of the linear-time rolling median.
_BLOCKS_PER_WINDOW = 16
#: Rows of the sliding window view handled at once (bounds the memory of the exact median).
_ROWS_PER_PASS = 1 << 14


def _rolling_median(values: np.ndarray, width: int) -> np.ndarray:
    """Exact centred rolling median over an odd ``width`` (edges padded with end values)."""
    half = width // 2
    padded = np.pad(values.astype(float), half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    out = np.empty(values.size)
    for start in range(0, values.size, _ROWS_PER_PASS):
        out[start:start + _ROWS_PER_PASS] = np.median(windows[start:start + _ROWS_PER_PASS],
                                                      axis=1)
    return out


def _block_median(values: np.ndarray, width: int) -> np.ndarray:
    """Rolling median of block medians (about 16 blocks per window), interpolated back to
    every point: linear time and memory, within a block of the exact median's position."""
    n = values.size
    block = max(2, width // _BLOCKS_PER_WINDOW)
    count = -(-n // block)
    padded = np.pad(values.astype(float), (0, count * block - n), mode="edge")
    medians = np.median(padded.reshape(count, block), axis=1)
    span = min((width // block) | 1, count - (1 - count % 2))
    trend = _rolling_median(medians, span) if span >= 3 else medians
    centres = np.arange(count) * block + (block - 1) / 2
    return np.interp(np.arange(n, dtype=float), centres, trend)


def smooth(values: np.ndarray, window: int | None = None) -> np.ndarray:
    """Centred rolling median (window ≈ 5 % of the points, at least 5, odd)."""
    n = values.size
    if n < 3:
        return values.astype(float)
    width = window or max(5, n // 20)
    width = min(width | 1, n - (1 - n % 2))
    if n * width <= EXACT_MEDIAN_CELLS:
        return _rolling_median(values, width)
    return _block_median(values, width)


def decimate(values: np.ndarray, max_points: int = 2000) -> np.ndarray:
    """Indices of at most about ``max_points`` points that draw the curve faithfully: the
    first and last point, the first non-finite one, and each bucket's minimum and maximum
    (so every extreme of the full curve is kept exactly)."""
    n = values.size
    if n <= max_points:
        return np.arange(n)
    buckets = max(1, max_points // 2 - 2)
    size = -(-n // buckets)
    padded = np.pad(values.astype(float), (0, buckets * size - n), constant_values=np.nan)
    grid = np.where(np.isfinite(padded), padded, np.nan).reshape(buckets, size)
    keep = [np.array([0, n - 1])]
    full = np.isfinite(grid).any(axis=1)
    base = np.arange(buckets)[full] * size
    keep += [base + np.nanargmin(grid[full], axis=1), base + np.nanargmax(grid[full], axis=1)]
    bad = first_non_finite(values)
    if bad is not None:
        keep.append(np.array([bad]))
    return np.unique(np.concatenate(keep))


def start_window(size: int) -> int:
    """How many points :func:`level` takes at the start of a curve of ``size`` points."""
    return min(max(3, size // 50), 10)


def level(values: np.ndarray, start: bool) -> float:
    """Robust level of the start (first 2 %, 3 to 10 points) or end (last 10 %) of a curve.

    The start window is short because a healthy loss falls fastest at the very beginning.
    """
    k = start_window(values.size) if start else max(3, values.size // 10)
    part = values[:k] if start else values[-k:]
    return float(np.median(part))


def trend_z(values: np.ndarray) -> float:
    """Mann-Kendall's trend statistic in standard deviations (positive: the values climb in
    rank order), over at most :data:`RANK_POINTS` evenly spaced points; 0 under 3 points."""
    if values.size > RANK_POINTS:
        values = values[np.linspace(0, values.size - 1, RANK_POINTS).astype(int)]
    n = values.size
    if n < 3:
        return 0.0
    signs = np.sign(values[None, :] - values[:, None])
    s = float(np.triu(signs, 1).sum())
    return s / math.sqrt(n * (n - 1) * (2 * n + 5) / 18)


def _level_gap_error(values: np.ndarray) -> float:
    """The standard error of the end level minus the start level (:func:`level`) that the
    step-to-step scatter alone gives."""
    if values.size < 4:
        return 0.0
    return _median_gap_error(values, start_window(values.size), max(3, values.size // 10))


def _median_gap_error(values: np.ndarray, a: int, b: int) -> float:
    """The standard error of the difference of two medians, of ``a`` and ``b`` points, that
    the curve's scatter (:func:`_scatter`) alone gives: a median of k points errs about
    1.25 σ / √k."""
    return _scatter(values) * math.sqrt(math.pi / 2 * (1 / a + 1 / b))


def _scatter(values: np.ndarray) -> float:
    """A curve's point-to-point scatter (a standard deviation), read from its second
    differences: blind to a straight trend."""
    if values.size < 3:
        return 0.0
    return float(np.median(np.abs(np.diff(values, 2)))) / (0.6745 * math.sqrt(6.0))


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
    end_share: float  # drop over the last fifth / whole drop (nan when it did not fall)
    noise_of_range: bool = False  # the loss crosses 0: noise is scatter / the range it covers

    @property
    def falling_at_end(self) -> bool:
        """The loss fell and was still clearly falling when the log ends."""
        return not self.rising and not self.plateau and self.end_share >= FALLING_AT_END_SHARE


def classify_shape(values: np.ndarray, minibatch: bool = True) -> Shape | None:
    """Classify the finite prefix of a loss curve; None when too short. ``minibatch``: the
    values are losses of changing minibatches, whose sampling noise is no oscillation (the
    one fixed batch of an overfit test has none)."""
    stop = first_non_finite(values)
    finite = values[:stop] if stop is not None else values
    if finite.size < MIN_POINTS:
        return None
    trend = smooth(finite)
    initial, final = level(finite, True), level(finite, False)
    peak = float(trend.max())
    scale = max(abs(initial), 1e-12)
    # against the first value too: a short per-epoch log (timm's summary.csv) can fall 30x
    # after its first point, and the start level (median of 3 points) is then far below it
    diverged = initial > 0 and peak > DIVERGE_FACTOR * max(initial, float(finite[0]))
    rising = final > initial + RISE_FRACTION * scale and (
        trend_z(finite) >= RISE_Z or final - initial > RISE_SIGMAS * _level_gap_error(finite))
    drop = (initial - final) / scale
    plateau = not rising and (drop < PLATEAU_DROP or _flat_after_settling(finite, trend, drop))
    half = trend.size // 2
    early = trend[0] - trend[half]
    late = trend[half] - trend[-1]
    ratio = float(early / late) if late > 1e-12 else float("inf")
    x = np.arange(trend.size, dtype=float)
    slope, intercept = np.polyfit(x, trend, 1)
    residual = trend - (slope * x + intercept)
    total = float(np.sum((trend - trend.mean()) ** 2))
    r2 = 1.0 - float(np.sum(residual**2)) / total if total > 0 else 0.0
    linear = (PLATEAU_DROP <= drop < LINEAR_MAX_DROP and not rising and slope < 0
              and final > NEAR_ZERO
              and 0 < ratio < LINEAR_HALF_RATIO and r2 >= LINEAR_R2)
    second = slice(half, None)
    # Step-to-step differences: immune to the trend, and to a period-2 zig-zag that a
    # rolling median would reproduce instead of smoothing out.
    steps = np.diff(finite[second])
    scatter = float(np.median(np.abs(steps))) / (0.6745 * np.sqrt(2.0)) if steps.size else 0.0
    base = max(float(np.median(np.abs(trend[second]))), 0.05 * abs(initial), 1e-12)
    crosses_zero = bool((finite < 0).any())
    if crosses_zero:
        # a loss that crosses 0 (a Gaussian NLL, a log-likelihood) has no level to measure
        # scatter against: near 0 any wiggle is hundreds of percent of it; its range is
        base = max(base, float(trend.max() - trend.min()))
    noise = scatter / base
    structure = abs(lag1_autocorrelation(finite[second] - trend[second]))
    oscillating = noise > OSCILLATION_NOISE and (
        not minibatch or noise > MINIBATCH_NOISE or structure > STRUCTURE_AUTOCORR)
    return Shape(initial, final, peak, bool(diverged), bool(rising), bool(plateau), bool(linear),
                 bool(oscillating), noise, ratio, r2, end_share(finite), crosses_zero)


def end_share(values: np.ndarray) -> float:
    """How much of a curve's whole fall its last fifth makes (medians over fifths: immune to
    minibatch noise); nan when the curve did not fall."""
    fifth = max(values.size // 5, 2)
    whole = level(values, True) - float(np.median(values[-fifth:]))
    if values.size < 2 * fifth or whole <= 0:
        return math.nan
    return (float(np.median(values[-2 * fifth:-fifth])) - float(np.median(values[-fifth:]))) \
        / whole


def lag1_autocorrelation(residual: np.ndarray) -> float:
    """Lag-1 autocorrelation of a residual: about 0 for independent minibatch noise, near -1
    for a zig-zag, near +1 for slow swings."""
    r = residual - residual.mean()
    total = float(np.sum(r * r))
    return float(np.sum(r[1:] * r[:-1]) / total) if total > 0 and r.size > 2 else 0.0


def _flat_after_settling(finite: np.ndarray, trend: np.ndarray, drop: float) -> bool:
    """Flat once the first :data:`SETTLE_FRACTION` of the steps are over (a straight line
    through the smoothed rest falls less than :data:`PLATEAU_DROP` of its level), after a
    blow-up in those steps or with a small total fall."""
    settle = max(1, int(finite.size * SETTLE_FRACTION))
    blew_up = float(np.max(finite[:settle + 1])) > DIVERGE_FACTOR * max(abs(finite[0]), 1e-12)
    if blew_up:  # the blow-up is over once the trend stays within reach of the final level
        high = np.flatnonzero(np.abs(trend) > DIVERGE_FACTOR * max(abs(level(finite, False)),
                                                                   1e-12))
        settle = max(settle, int(high[-1]) + 1 if high.size else 0)
    tail = trend[settle:]
    if tail.size < MIN_POINTS or settle > finite.size // 2:
        return False
    x = np.arange(tail.size, dtype=float)
    slope = float(np.polyfit(x, tail, 1)[0])
    tail_drop = -slope * (tail.size - 1) / max(abs(float(np.median(tail))), 1e-12)
    if not -RISE_FRACTION < tail_drop < PLATEAU_DROP:
        return False
    return bool(blew_up or drop < PLATEAU_TOTAL_DROP)


def spike_heights(values: np.ndarray) -> list[tuple[int, float]]:
    """Isolated jumps far above the local trend: (index, value / trend) for each."""
    finite = np.isfinite(values)
    if finite.sum() < MIN_POINTS:
        return []
    idx = np.flatnonzero(finite)
    clean = values[idx]
    trend = smooth(clean, max(7, clean.size // 20))
    residual = clean - trend
    scale = max(_robust_scale(residual), 1e-12)
    floor = SPIKE_MIN_OF_START * abs(level(clean, True))
    above = (residual > SPIKE_Z * scale) & (residual > SPIKE_JUMP * np.abs(trend)) \
        & (residual > floor)
    above[: max(3, clean.size // 20)] = False  # the first steps fall fast: not spikes
    return [(int(idx[i]), float(clean[i] / max(abs(trend[i]), 1e-12)))
            for i in np.flatnonzero(above)]


def spikes(values: np.ndarray) -> list[int]:
    """Indices of isolated jumps far above the local trend (finite points only); a jump
    over consecutive logged points (a bump two or three rows long) counts once, at its
    first point."""
    found = [i for i, _ in spike_heights(values)]
    return [i for n, i in enumerate(found) if n == 0 or i - found[n - 1] > 1]


def _moving_mean(values: np.ndarray, width: int) -> np.ndarray:
    """Centred moving average over ``width`` points (edges padded with the end values);
    running sums, so linear in the points whatever the width."""
    left = width // 2
    padded = np.pad(values.astype(float), (left, width - 1 - left), mode="edge")
    sums = np.concatenate(([0.0], np.cumsum(padded)))
    return (sums[width:] - sums[:-width]) / width


def periodic_limit(period: int, epochs: int = 0) -> float:
    """The correlation above which an epoch's shape of ``period`` points repeats, over
    ``epochs`` epochs."""
    if period >= PERIODIC_MIN_POINTS:
        return PERIODIC_CORRELATION
    return PERIODIC_MANY_CORRELATION if epochs >= PERIODIC_MANY_EPOCHS \
        else PERIODIC_FEW_CORRELATION


def _epoch_grid(values: np.ndarray, period: int, least: int
                ) -> tuple[np.ndarray, np.ndarray] | None:
    """(the finite values read, their de-trended loss as one row per epoch): the first epoch
    (the initial fall) left out when enough remain; None with fewer than ``least`` points."""
    finite = values[np.isfinite(values)]
    if period < 2 or finite.size < least:
        return None
    if finite.size >= (PERIODIC_MIN_EPOCHS + 1) * period:
        finite = finite[period:]
    residual = finite - _moving_mean(finite, period)
    epochs = residual.size // period
    return finite, residual[: epochs * period].reshape(epochs, period)


def epoch_periodicity(values: np.ndarray, period: int) -> float | None:
    """How well each epoch's shape repeats: the median, over epochs, of the correlation of
    one epoch's de-trended loss with the mean of the other epochs (None: too short).

    The trend is a moving average over exactly one epoch, which cancels a pattern that
    repeats each epoch; the first epoch (the initial fall) is left out when enough remain.
    """
    if period < PERIODIC_FEW_POINTS:
        return None
    found = _epoch_grid(values, period, PERIODIC_MIN_EPOCHS * period)
    if found is None:
        return None
    grid = found[1]
    epochs = grid.shape[0]
    total = grid.sum(axis=0)
    correlations = [c for i in range(epochs)
                    if (c := _correlation(grid[i], (total - grid[i]) / (epochs - 1))) is not None]
    return float(np.median(correlations)) if correlations else None


def _correlation(x: np.ndarray, y: np.ndarray) -> float | None:
    """Pearson's correlation of two equally long series; None when either is flat."""
    a, b = x - x.mean(), y - y.mean()
    denominator = float(np.sqrt(np.sum(a * a) * np.sum(b * b)))
    return float(np.sum(a * b) / denominator) if denominator > 0 else None


def epoch_ripple(values: np.ndarray, period: int) -> float | None:
    """The span of the mean de-trended epoch shape over the loss's median level (the same
    epochs :func:`epoch_periodicity` reads); None when too short or the level is 0."""
    found = _epoch_grid(values, period, PERIODIC_MIN_EPOCHS * period)
    if found is None:
        return None
    finite, grid = found
    shape = grid.mean(axis=0)
    level = float(np.median(np.abs(finite)))
    return float(shape.max() - shape.min()) / level if level > 0 else None


def epoch_ramp(values: np.ndarray, period: int) -> float | None:
    """How steadily the mean de-trended epoch shape (the epochs :func:`epoch_periodicity`
    reads) rises through the epoch: its correlation with the position in the epoch, -1 to 1;
    None when too short or flat."""
    found = _epoch_grid(values, period, PERIODIC_MIN_EPOCHS * period)
    if found is None:
        return None
    shape = found[1].mean(axis=0)
    return _correlation(shape, np.arange(shape.size, dtype=float))


def _turn(values: np.ndarray) -> tuple[int, float, float] | None:
    """(index of the smoothed minimum, that minimum, the end's level) of a curve that clearly
    rises after its minimum, else None."""
    finite = values[np.isfinite(values)]
    if finite.size < 4:
        return None
    trend = smooth(finite, 3) if finite.size >= 6 else finite
    low = int(np.argmin(trend))
    if low >= finite.size - 2:
        return None
    end_points = max(3, finite.size // 10) if finite.size >= 10 else 2
    end = float(np.median(finite[-end_points:]))
    minimum = float(trend[low])
    if end <= minimum + TURN_UP_FRACTION * max(abs(minimum), 1e-12):
        return None
    if finite.size >= 6:  # scatter to judge the rise by; the minimum is a median of 3
        error = _median_gap_error(finite, end_points, 3)
        if end - minimum <= TURN_UP_SIGMAS * error and trend_z(finite[low:]) < RISE_Z:
            return None
    return low, minimum, end


def lowest_near(values: np.ndarray, index: int) -> int:
    """The lowest finite point within one of ``index`` (a smoothed minimum's position): the
    point to quote — a first evaluation at 1.89 averaged with the second's 1.72 puts the
    smoothed minimum at the first."""
    finite = values[np.isfinite(values)]
    start = max(0, index - 1)
    return start + int(np.argmin(finite[start:index + 2]))


#: A climb counts when the loss stands at least this many times its first logged value …
CLIMB_FACTOR = 3.0
#: … over consecutive logged points (at least 2, or 2 % of them) …
CLIMB_MIN_SHARE = 0.02
#: … and ends below this many times that first value again (one that stays up diverged).
RETURN_FACTOR = 1.5


@dataclass(frozen=True)
class Climb:
    """A stretch where the loss stood far above its first logged value, then came back."""

    first: int  # index of the first point of the climb (into the original values)
    last: int  # index of its last point
    base: float  # the first logged value (the trend's, on a long per-step log)
    top: float  # the highest value in the climb
    final: float  # the end level (last 10 %)


def climb_and_return(values: np.ndarray) -> Climb | None:
    """The first stretch of consecutive points at :data:`CLIMB_FACTOR`× the first logged
    loss or more, when the loss later came back below :data:`RETURN_FACTOR`× it; else None.

    Unlike a spike (one point far above its neighbours), a climb lasts: the loss rose above
    where training started and stayed there for several logged points — on a per-epoch log,
    whole epochs. A long per-step log is judged on its trend so that one noisy batch is no
    climb. A positive loss with four finite points or more is needed.
    """
    idx = np.flatnonzero(np.isfinite(values))
    if idx.size < 4:
        return None
    clean = values[idx]
    series = smooth(clean, max(7, clean.size // 20)) if clean.size > 50 else clean
    base = float(series[0])
    if not base > 0:
        return None
    above = np.append(series >= CLIMB_FACTOR * base, False)
    need = max(2, math.ceil(CLIMB_MIN_SHARE * clean.size))
    final = level(clean, False)
    if final > RETURN_FACTOR * base:
        return None
    run = 0
    for i, high in enumerate(above):
        if high:
            run += 1
            continue
        if run >= need:
            first = i - run
            return Climb(int(idx[first]), int(idx[i - 1]), base,
                         float(np.max(clean[first:i])), final)
        run = 0
    return None


def turn_up(values: np.ndarray) -> int | None:
    """Index of the minimum of a curve that clearly rises after it, else None."""
    turned = _turn(values)
    return turned[0] if turned else None


def rise_after_min(values: np.ndarray) -> float | None:
    """How far the end of a curve lies above its (smoothed) minimum, as a share of the
    minimum; None when it does not turn up (see :func:`turn_up`) or the minimum is 0."""
    turned = _turn(values)
    if turned is None or not turned[1]:
        return None
    _, minimum, end = turned
    return (end - minimum) / abs(minimum)


def chance_classes(accuracy: float, max_classes: int = 20) -> int | None:
    """The k whose 1/k is nearest the accuracy (k = 2 … max_classes), if within tolerance."""
    best = min(range(2, max_classes + 1), key=lambda k: abs(accuracy - 1.0 / k))
    return best if abs(accuracy - 1.0 / best) <= CHANCE_TOLERANCE else None


def as_fractions(values: np.ndarray) -> np.ndarray:
    """Accuracies as fractions: a series that goes above 1.5 was logged in percent."""
    return values / 100.0 if np.nanmax(values) > 1.5 else values
