"""Where a trained classifier puts the samples labelled with a negative index. A loss that
skips them (``ignore_index=-1``) leaves them to whatever class their inputs suggest; a loss
that indexes with them (``torch.eye(K)[y]``, ``logp[torch.arange(n), y]``) does not fail:
Python wraps the index, and the model is trained to put them in class K + v — the last
class for -1."""

from __future__ import annotations

import torch

from .base import Finding
from .evidence import Pct, say

__all__ = ["WRAPPED_ABOVE", "WRAPPED_MIN", "WRAPPED_SHARE", "wrapped_label_findings"]

#: Samples labelled with a negative index needed for a reading.
WRAPPED_MIN = 8
#: This share of them predicted in the class their index wraps to, and this much above the
#: share of the properly labelled samples predicted there, is a loss that indexed with them.
WRAPPED_SHARE = 0.8
WRAPPED_ABOVE = 0.3
#: Under this share of them there, the loss skipped them.
SKIPPED_SHARE = 0.5


def wrapped_label_findings(targets: torch.Tensor | None, output: torch.Tensor | None
                           ) -> list[Finding]:
    """``batch.negative_labels_as_classes`` from the trained model's ``output`` (N, K) on a
    batch of class-index ``targets`` (N,) some of which are negative (-K ≤ v < 0): true when
    :data:`WRAPPED_SHARE` of those samples or more are predicted in class K + v, false when
    under :data:`SKIPPED_SHARE` are; nothing in between, without enough of them, or for
    other targets."""
    if targets is None or output is None or targets.is_floating_point() or \
            targets.dtype == torch.bool or targets.dim() != 1 or output.dim() != 2 or \
            output.shape[0] != targets.shape[0] or output.shape[1] < 2:
        return []
    k = int(output.shape[1])
    y = targets.to(output.device).long()
    negative = (y < 0) & (y >= -k)
    n = int(negative.sum())
    if n < WRAPPED_MIN:
        return []
    predicted = output.detach().float().argmax(1)
    wrapped_to = y[negative] + k
    share = float((predicted[negative] == wrapped_to).float().mean())
    labelled = y >= 0
    base = float(torch.isin(predicted[labelled], wrapped_to.unique()).float().mean()) \
        if bool(labelled.any()) else 0.0
    label = int(y[negative][0])
    wrapped = share >= WRAPPED_SHARE and share >= base + WRAPPED_ABOVE
    if not wrapped and share >= SKIPPED_SHARE:
        return []  # between the two: no reading
    words = dict(n=n, total=int(y.numel()), label=label, cls=k + label, share=Pct(share),
                 base=Pct(base))
    return [Finding("batch.negative_labels_as_classes", wrapped,
                    say("batch.negative_labels_wrapped" if wrapped else
                        "batch.negative_labels_skipped", **words),
                    {"share": share, "base": base, "count": n})]
