"""How unequal the first linear layer's input columns have grown: features of unequal scale.

Every initialisation draws a layer's weights independently of the input column they read, so
the columns of a fresh first layer have about one norm. Training moves column ``j`` by steps
proportional to feature ``j`` (the gradient of ``W`` is ``δ xᵀ``): under SGD a feature in
pascals or counts (10⁵) pushes its column millions of times harder than a feature near unit
scale, and a run that blew up leaves those columns orders of magnitude apart. Adam's
per-parameter step hides the scale (its columns stay alike); standardised features keep the
columns within a few times of each other. Measured on the hand-written runs (stop 57): the
first-layer column norms of 110 readable runs lie within 85× of each other except the two
raw-unit SGD runs that blew up (8.8e3× and 1e10×).
"""

from __future__ import annotations

import numpy as np

from .base import Finding
from .evidence import Times, say
from .moments import float_array
from .optimizer_state import trainable_candidates
from .tensor_store import TensorStore
from .weight_scan import TensorStats

#: A first layer reading fewer columns says little; one reading more is an embedding-like
#: table (bag of words, one-hot ids) whose rare columns rightly stay small.
MIN_COLUMNS, MAX_COLUMNS = 3, 512


def column_spread_finding(store: TensorStore, stats: list[TensorStats]) -> Finding | None:
    """``weights.first_layer_column_spread``: the largest input-column norm of the first linear
    layer over its smallest; None when the first parameter is no such layer's weight, or a
    column is all zero (a constant feature, or a layer that never trained) or not finite."""
    first = next(iter(trainable_candidates(stats)), None)
    if first is None or not first.name.endswith("weight") or len(first.shape) != 2 or \
            "emb" in first.name.lower() or not MIN_COLUMNS <= first.shape[1] <= MAX_COLUMNS:
        return None
    weight = float_array(store.get(first.name))
    if weight is None or weight.ndim != 2 or not np.isfinite(weight).all():
        return None
    norms = np.linalg.norm(weight, axis=0)
    if float(norms.min()) <= 0.0:
        return None
    spread = float(norms.max() / norms.min())
    return Finding("weights.first_layer_column_spread", spread,
                   say("weights.first_layer_column_spread", layer=first.name, spread=Times(spread),
                       high=int(norms.argmax()), low=int(norms.argmin()), n=int(norms.size)))
