"""``loss.one_class_batch_levels``: a binary classifier's per-step training loss that jumps
between two levels, one for each class, in a shuffled order — the trace of batches that each
held one class.

A model that predicts about the same probability ``p`` for every sample pays ``-ln p`` on a
batch of positives and ``-ln(1 - p)`` on a batch of negatives. Fed one-class batches, its
logged loss takes those two values and nothing between, so the two levels' probabilities
``exp(-level)`` add up to 1. Mixed batches give one level with a little noise around it
(each batch's class share varies by a few per cent): no gap, no two clusters. Read on the
later half of the log, split into the two clusters that leave the least spread (1-D
two-means on ``exp(-loss)``).
"""

from __future__ import annotations

import math

import numpy as np

from .base import Finding
from .evidence import say
from .logs import Series

__all__ = ["one_class_levels"]

#: Logged steps needed in the later half of the log.
MIN_POINTS = 24
#: Each level holds at least this share of those steps.
MIN_SHARE = 0.15
#: Separation of the two clusters (Ashman's D on exp(-loss)): a single noisy level split in
#: two scores about 2.7, clusters apart by their spread about 4 and more.
MIN_SEPARATION = 4.0
#: The two levels lie at least this far apart (nats): a predictor near 0.5 on both classes
#: pays nearly the same on either batch.
MIN_GAP = 0.2
#: |exp(-low) + exp(-high) - 1| at most this: the levels are one p's two costs.
SUM_TOLERANCE = 0.08
#: Level switches at least this share of what a random order of the two levels gives: the
#: one-class batches come shuffled (a class-sorted dataset switches once or twice an epoch).
MIN_SWITCH_SHARE = 0.5


def _two_means(values: np.ndarray) -> int:
    """The split index of sorted ``values`` into two clusters with the least summed squared
    spread (each at least :data:`MIN_SHARE` of them)."""
    n = values.size
    low = max(2, math.ceil(MIN_SHARE * n))
    total, squares = np.cumsum(values), np.cumsum(values * values)
    best_k, best = low, math.inf
    for k in range(low, n - low + 1):
        left = squares[k - 1] - total[k - 1] ** 2 / k
        right = (squares[-1] - squares[k - 1]) - (total[-1] - total[k - 1]) ** 2 / (n - k)
        if left + right < best:
            best_k, best = k, float(left + right)
    return best_k


def one_class_levels(loss: Series, per_epoch: bool, classes: int | None,
                     regression: bool) -> Finding | None:
    """``loss.one_class_batch_levels`` for a per-step binary cross-entropy (``classes`` 2);
    None for a per-epoch log, another kind of loss, or too few steps."""
    if per_epoch or regression or classes != 2:
        return None
    finite = loss.values[np.isfinite(loss.values)]
    tail = finite[finite.size // 2:]
    if tail.size < MIN_POINTS or bool((tail <= 0).any()):
        return None
    chance = np.exp(-tail)
    if not bool((chance > 0).all()):  # losses past what a probability's log can reach
        return None
    order = np.argsort(chance, kind="stable")
    ranked = chance[order]
    k = _two_means(ranked)
    lows, highs = ranked[:k], ranked[k:]
    spread = math.sqrt(float(lows.var() + highs.var()))
    gap_p = float(highs.mean() - lows.mean())
    separation = math.sqrt(2) * gap_p / spread if spread > 0 else math.inf
    high_level, low_level = -math.log(float(lows.mean())), -math.log(float(highs.mean()))
    total = float(lows.mean() + highs.mean())
    side = np.zeros(tail.size, dtype=bool)
    side[order[k:]] = True
    switches = int(np.count_nonzero(side[1:] != side[:-1]))
    share = highs.size / tail.size
    expected = 2 * share * (1 - share) * (tail.size - 1)
    two = separation >= MIN_SEPARATION and high_level - low_level >= MIN_GAP and \
        abs(total - 1) <= SUM_TOLERANCE
    shuffled = switches >= MIN_SWITCH_SHARE * expected
    words = say("loss.one_class_levels", n=int(tail.size), low=low_level, high=high_level,
                total=total, separation=separation, switches=switches,
                expected=expected) if two else \
        say("loss.one_level", n=int(tail.size), separation=separation, total=total)
    return Finding("loss.one_class_batch_levels", two and shuffled, words)
