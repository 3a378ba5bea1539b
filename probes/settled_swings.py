"""A validation accuracy that swings while the training accuracy has settled at the top.

Once a model gets (nearly) every training example right, its training loss is close to 0 and
its weights move little from one epoch to the next, so its score on a fixed validation set
moves little too — over-fitting makes it drift, not jump. A validation accuracy that still
jumps by a tenth or more between evaluations is moved by something that changes between
evaluations while the weights do not: BatchNorm's running statistics, refreshed by every
training batch (batches of one class, or of a few samples, pull them around), or random
transforms or dropout left on at evaluation (set 411's hide-part CNN, trained on one-part
batches: training accuracy 1.0 from epoch 4, validation between 0.16 and 0.57).
"""

from __future__ import annotations

import numpy as np

from .base import Finding
from .curves import as_fractions
from .evidence import say
from .logs import Series

__all__ = ["SETTLED", "SWING", "MIN_EVALUATIONS", "swings_once_fitted"]

#: The training accuracy counts as settled at the top from the first point at or above this.
SETTLED = 0.99
#: The median jump between consecutive validation accuracies that counts as swinging.
SWING = 0.1
#: Evaluations after the training accuracy settled needed to read the jumps.
MIN_EVALUATIONS = 6


def swings_once_fitted(acc: Series | None, val_acc: Series | None) -> Finding | None:
    """``val.acc_swings_once_fitted``: whether the validation accuracy's median jump between
    consecutive evaluations, over those after the training accuracy first reached
    :data:`SETTLED` (by step), is at least :data:`SWING`; None without both accuracies, a
    training accuracy that never settled, or fewer than :data:`MIN_EVALUATIONS` evaluations
    after it."""
    if acc is None or val_acc is None:
        return None
    train = as_fractions(acc.values.astype(float))
    val = as_fractions(val_acc.values.astype(float))
    finite = np.isfinite(train)
    settled = np.nonzero(finite & (train >= SETTLED))[0]
    if settled.size == 0 or not (train[finite][-3:] >= SETTLED).all():
        return None
    since = float(acc.steps[settled[0]])
    later = np.isfinite(val) & (val_acc.steps >= since)
    scores = val[later]
    if scores.size < MIN_EVALUATIONS:
        return None
    jump = float(np.median(np.abs(np.diff(scores))))
    return Finding("val.acc_swings_once_fitted", jump >= SWING,
                   say("val.acc_swings" if jump >= SWING else "val.acc_steady",
                       jump=jump, n=int(scores.size), low=float(scores.min()),
                       high=float(scores.max()), name=val_acc.column))
