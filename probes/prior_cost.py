"""What predicting the class shares costs, and a validation loss that never beat it.

A classifier that has learnt nothing from its inputs can still learn how often each class
occurs: its output bias alone gives every sample the class shares, and its cross-entropy is
then the shares' entropy, −Σ p·ln p — below a uniform guess's ln C when the classes are
imbalanced. A validation cross-entropy that never goes below that cost has learnt nothing
about the held-out samples beyond their frequencies, however its accuracy compares with 1/C
(set 415's board grader: grades shuffled apart from their boards, validation loss 1.25-1.27
against the batch shares' 1.26, accuracy 0.41 against a chance of 0.25 over four grades).
"""

from __future__ import annotations

import numpy as np

from .base import Finding
from .evidence import say
from .logs import Series

__all__ = ["MIN_SAMPLES", "AT_PRIOR", "shares_entropy", "val_at_prior_finding"]

#: Fewer class-index targets than this leave the shares too rough to price.
MIN_SAMPLES = 64
#: The validation loss stayed at the shares' cost when its lowest is at least this share of
#: it (a model that reads its inputs ends far below: 0.2-0.5 of it on hand runs).
AT_PRIOR = 0.9


def shares_entropy(targets: object, classes: int | None) -> float | None:
    """The entropy (in nats) of the class shares among a batch's class-index targets; None
    for other targets, under :data:`MIN_SAMPLES` of them, or a single class present."""
    import torch

    if not isinstance(targets, torch.Tensor) or targets.is_floating_point() or \
            targets.dim() != 1 or targets.numel() < MIN_SAMPLES or not classes or classes < 2:
        return None
    counts = targets.long().clamp(min=0).bincount(minlength=classes).double()
    shares = counts[counts > 0] / counts.sum()
    if shares.numel() < 2:
        return None
    return float(-(shares * shares.log()).sum())


def val_at_prior_finding(val: Series | None, entropy: float | None) -> Finding | None:
    """``val.loss_at_the_shares``: whether a validation cross-entropy never went below
    :data:`AT_PRIOR` of what predicting the batch's class shares costs, over three or more
    evaluations; None without both, or for a loss below 0."""
    if val is None or entropy is None or entropy <= 0:
        return None
    finite = val.values[np.isfinite(val.values)]
    if finite.size < 3 or (finite < 0).any():
        return None
    lowest = float(finite.min())
    stayed = lowest >= AT_PRIOR * entropy
    return Finding("val.loss_at_the_shares", stayed,
                   say("val.at_the_shares" if stayed else "val.below_the_shares",
                       name=val.column, lowest=lowest, cost=entropy, n=int(finite.size)))
