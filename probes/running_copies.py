"""Weights left out of the optimizer that are a running copy of trained ones.

An EMA teacher (DINO, mean teacher), a momentum key encoder (MoCo, BYOL) or an averaged model
kept inside the model is updated by copying the trained weights, never by a gradient: the
optimizer rightly leaves it out. Its matrices then point the way their trained twins point
(cosine similarity near 1), which a part forgotten by the optimizer, still at its random
initialisation, never does."""

from __future__ import annotations

from typing import Any

import numpy as np

from dldoctor.engine.values import UNKNOWN

from .base import Finding
from .evidence import Pct, say
from .tensor_store import TensorStore, as_torch
from .weight_scan import TensorStats

#: A left-out matrix this aligned with a held one of its shape is a copy of it.
COPY_COSINE = 0.9
#: The fewest values a matrix needs for the comparison to mean something.
MIN_VALUES = 64
#: The most matrices compared (each against the held ones of its shape named most alike).
MAX_COMPARED = 64
TWINS_COMPARED = 3


def _flat(store: TensorStore, name: str) -> np.ndarray | None:
    try:
        value: Any = as_torch(store.get(name))
        array = value.detach().double().cpu().numpy().ravel() if hasattr(value, "detach") \
            else np.asarray(value, dtype=np.float64).ravel()
    except Exception:  # noqa: BLE001 - a tensor the reader cannot give as numbers
        return None
    return array if np.isfinite(array).all() else None


def _shared_suffix(a: str, b: str) -> int:
    """How many trailing dotted parts two parameter names share."""
    n = 0
    for x, y in zip(reversed(a.split(".")), reversed(b.split(".")), strict=False):
        if x != y:
            break
        n += 1
    return n


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """The cosine between two flat vectors; 0 when either is all zero."""
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norm if norm > 0 else 0.0


def copy_findings(frozen: Finding | None, stats: list[TensorStats], store: TensorStore
                  ) -> list[Finding]:
    """``optimizer.frozen_are_copies``: most weight matrices the optimizer leaves out have a
    held matrix of their shape that points the same way (cosine ≥ 0.9) — a running copy of
    the trained weights; nothing without left-out matrices to compare."""
    if frozen is None or frozen.value is not True:
        return []
    missing = set(frozen.details.get("missing", ()))
    matrices = [s for s in stats if s.floating and len(s.shape) >= 2 and s.numel >= MIN_VALUES
                and not s.non_finite]
    left = [s for s in matrices if s.name in missing][:MAX_COMPARED]
    held = [s for s in matrices if s.name not in missing]
    pairs = [(s, [h for h in held if h.shape == s.shape]) for s in left]
    pairs = [(s, twins) for s, twins in pairs if twins]
    if not pairs:
        return [Finding("optimizer.frozen_are_copies", UNKNOWN if left else False,
                        say("copies.none_to_compare" if left else "copies.no_matrices"))]
    loaded: dict[str, np.ndarray | None] = {}

    def flat(name: str) -> np.ndarray | None:  # each tensor read once, however many compare
        if name not in loaded:
            loaded[name] = _flat(store, name)
        return loaded[name]

    copies: list[tuple[str, str, float]] = []
    for stat, twins in pairs:
        mine = flat(stat.name)
        if mine is None:
            continue
        # a copy keeps its original's layer names (teacher.blocks.3.fc ~ student.blocks.3.fc):
        # the twins named most alike are compared, not every matrix of the shape
        near = sorted(twins, key=lambda t: (-_shared_suffix(stat.name, t.name), t.name))
        best = max(((t.name, cosine(mine, theirs)) for t in near[:TWINS_COMPARED]
                    if (theirs := flat(t.name)) is not None),
                   key=lambda pair: pair[1], default=None)
        if best is not None and best[1] >= COPY_COSINE:
            copies.append((stat.name, best[0], best[1]))
    share = len(copies) / len(pairs)
    if copies and share >= 0.5:
        name, twin, alike = copies[0]
        return [Finding("optimizer.frozen_are_copies", True,
                        say("copies.found", k=len(copies), n=len(pairs), name=name, twin=twin,
                            cosine=alike), {"copies": [c[0] for c in copies]})]
    return [Finding("optimizer.frozen_are_copies", False,
                    say("copies.not_found", n=len(pairs), share=Pct(share)))]
