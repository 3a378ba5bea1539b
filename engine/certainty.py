"""Certainty factors, combined as in MYCIN/EMYCIN.

A certainty factor (CF) lies in [-1, 1]: 1 is certain, -1 certainly not, 0 no evidence.
Two pieces of evidence for the same cause combine so that

- both for:      a + b(1 - a)
- both against:  a + b(1 + a)
- mixed:         (a + b) / (1 - min(|a|, |b|))

The combination is commutative and associative for evidence of one sign, never leaves
[-1, 1], and 0 is its identity. A cause whose combined CF stays under
:data:`CONCLUDE_THRESHOLD` counts as not concluded (MYCIN's 0.2 cut-off).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce

__all__ = ["combine", "combine_all", "CONCLUDE_THRESHOLD", "rule_strength"]

CONCLUDE_THRESHOLD = 0.2


def combine(a: float, b: float) -> float:
    """Combine two certainty factors for the same hypothesis."""
    if a >= 0 and b >= 0:
        return a + b * (1 - a)
    if a <= 0 and b <= 0:
        return a + b * (1 + a)
    denominator = 1 - min(abs(a), abs(b))
    if denominator < 1e-9:  # (near) +1 against (near) -1: contradictory certainties cancel
        return 0.0
    return max(-1.0, min(1.0, (a + b) / denominator))


def combine_all(cfs: Iterable[float]) -> float:
    """Combine many certainty factors: positives and negatives first, then each other.

    Grouping by sign makes the result independent of the order the evidence arrived in.
    """
    values = sorted(cfs)  # a fixed order makes the floating-point result order-free too
    positive = reduce(combine, (c for c in values if c > 0), 0.0)
    negative = reduce(combine, (c for c in values if c < 0), 0.0)
    return combine(positive, negative)


def rule_strength(rule_cf: float, premise_certainty: float) -> float:
    """A rule's contribution: its CF scaled by how certain its premise is (in [0, 1])."""
    return rule_cf * max(0.0, min(1.0, premise_certainty))
