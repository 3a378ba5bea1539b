"""Whether the answer sits among the inputs (``data.label_in_inputs``).

A table encoded column by column, with the label column still in it, hands the model its
target: one input column equals the target (or, one-hot encoded, the indicator of one of its
classes, or for a regression target a rescaled copy of it). Such a model reaches 100 % on
validation after an epoch and is useless on real data. Only flat (samples, features) inputs
are read; a batch of fewer than :data:`MIN_ROWS` samples says nothing either way.
"""

from __future__ import annotations

import torch

from .base import Finding
from .evidence import say

__all__ = ["label_leak_findings", "batch_leak_findings", "MIN_ROWS", "MAX_CLASSES"]

#: Below this many samples a column could match a few labels by chance.
MIN_ROWS = 24
#: A class is matched against the columns only when it holds this many of the batch's
#: samples and leaves as many out: an indicator of one or two rows matches by chance.
MIN_CLASS_ROWS = 3
#: Integer targets with more distinct values than this are read as a regression target.
MAX_CLASSES = 50
#: A rescaled copy of a regression target correlates with it this closely.
COPY_CORRELATION = 0.99999


#: Columns are compared with the target this many values at a time (a wide bag-of-words
#: batch is not copied whole into float64).
CHUNK_VALUES = 1 << 22


def _copies(columns: torch.Tensor, targets: torch.Tensor) -> list[tuple[int, int]]:
    """(column, k) for each input column equal to ``targets[:, k]`` or an affine copy of it
    (constant targets never match), a chunk of columns at a time."""
    t = targets.double() - targets.double().mean(dim=0, keepdim=True)
    t_norm = t.norm(dim=0)
    found: list[tuple[int, int]] = []
    width = max(1, CHUNK_VALUES // max(1, columns.shape[0]))
    for start in range(0, columns.shape[1], width):
        c = columns[:, start:start + width].double()
        c = c - c.mean(dim=0, keepdim=True)
        norms = c.norm(dim=0)[:, None] * t_norm[None, :]
        corr = (c.T @ t) / norms.clamp_min(1e-30)
        hits = torch.nonzero((corr.abs() >= COPY_CORRELATION) & (norms > 0))
        found += [(start + int(i), int(k)) for i, k in hits]
    return found


def _column(index: int) -> Finding:
    return Finding("data.label_column", index, say("leak.column", column=index))


def label_leak_findings(inputs: torch.Tensor, targets: torch.Tensor | None) -> list[Finding]:
    """``data.label_in_inputs`` for flat inputs with one target per sample; nothing for
    images, sequences or a batch too small to tell."""
    if targets is None or inputs.dim() != 2 or inputs.shape[0] < MIN_ROWS or \
            targets.shape[0] != inputs.shape[0] or targets.numel() != inputs.shape[0]:
        return []
    x = inputs
    if x.is_floating_point() and not bool(torch.isfinite(x).all()):
        return []
    y = targets.reshape(-1).double()
    if not bool(torch.isfinite(y).all()):
        return []
    n = int(x.shape[0])
    fact = "data.label_in_inputs"
    found = _copies(x, y[:, None])
    if found:
        return [Finding(fact, True, say("leak.copy", column=found[0][0], n=n)),
                _column(found[0][0])]
    values, counts = torch.unique(y, return_counts=True)
    if not targets.is_floating_point() and 2 < values.numel() <= MAX_CLASSES:
        # a class held by a sample or two is matched by any column that only those rows
        # fill (the one clip long enough to reach a padded waveform's last columns)
        shown = values[(counts >= MIN_CLASS_ROWS) & (counts <= n - MIN_CLASS_ROWS)]
        one_hot = (y[:, None] == shown[None, :]).double()  # one column per class
        hits = _copies(x, one_hot) if shown.numel() else []
        if hits:
            column, k = hits[0]
            return [Finding(fact, True, say("leak.one_hot", column=column,
                                            value=int(shown[k]), n=n)), _column(column)]
    return [Finding(fact, False, say("leak.none", n=n, columns=int(x.shape[1]))),
            *_cut_findings(x, targets)]


def _cut_findings(x: torch.Tensor, targets: torch.Tensor) -> list[Finding]:
    """``data.label_cut_from_column``: whether one input column, sorted, puts the batch's C
    classes in C unbroken runs — the label is that column cut at thresholds (a column the
    label was computed from, or a task one threshold solves). Only for class targets with
    every class held by :data:`MIN_CLASS_ROWS` samples or more, and for columns of more
    distinct values than classes (an indicator column is :func:`_copies`' to find)."""
    if x.dim() != 2 or not x.is_floating_point() or targets.dim() != 1:
        return []
    y = targets
    if y.is_floating_point():
        if y.unique().numel() > 2:
            return []  # a regression target
        y = y.round()
    y = y.long()
    values, counts = torch.unique(y, return_counts=True)
    if not 2 <= values.numel() <= MAX_CLASSES or int(counts.min()) < MIN_CLASS_ROWS:
        return []
    classes = int(values.numel())
    for column in range(x.shape[1]):
        col = x[:, column]
        if col.unique().numel() <= classes:
            continue
        ordered, order = torch.sort(col, stable=True)
        changes = y[order][1:] != y[order][:-1]
        if int(changes.sum()) == classes - 1:
            cuts = ordered[1:][changes].tolist()
            return [Finding("data.label_cut_from_column", True,
                            say("leak.cut", column=column, k=classes, n=int(x.shape[0]),
                                cuts=", ".join(f"{c:.3g}" for c in cuts))),
                    Finding("data.label_cut_column", column,
                            say("leak.cut_column", column=column))]
    return [Finding("data.label_cut_from_column", False,
                    say("leak.no_cut", k=classes, n=int(x.shape[0]),
                        columns=int(x.shape[1])))]


def batch_leak_findings(inputs: torch.Tensor, targets: torch.Tensor | None,
                        named: dict[str, torch.Tensor]) -> list[Finding]:
    """:func:`label_leak_findings` over the batch's main input, then over its other named
    flat inputs (a wide-and-deep model's ``wide`` features beside its ``inputs`` ids): the
    first that holds the answer, named. (A token sequence equal to the targets is no proof:
    a pointer net's or a seq2seq's forward may shift it inside.)"""
    def leaks(found: list[Finding]) -> bool:
        return any(f.fact == "data.label_in_inputs" and f.value is True for f in found)

    found = label_leak_findings(inputs, targets)
    if leaks(found):
        return found
    for name, part in named.items():
        if not isinstance(part, torch.Tensor) or part is targets or part.dim() != 2:
            continue
        more = label_leak_findings(part, targets)
        if leaks(more):
            column = next(f.value for f in more if f.fact == "data.label_column")
            return [Finding("data.label_in_inputs", True,
                            say("leak.in_part", part=name, column=column,
                                n=int(part.shape[0])))]
    return found

