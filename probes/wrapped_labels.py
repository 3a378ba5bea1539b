"""Where a trained classifier puts the samples labelled with a negative index. A loss that
skips them (``ignore_index=-1``) leaves them to whatever class their inputs suggest; a loss
that indexes with them (``torch.eye(K)[y]``, ``logp[torch.arange(n), y]``) does not fail:
Python wraps the index, and the model is trained to put them in class K + v — the last
class for -1. When those samples are a share of every class rather than a group of their own
the model cannot single them out: it learns to give that share of probability to the last
class on every sample, which a loss that skipped them never teaches."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .base import Finding
from .evidence import Pct, Times, say

__all__ = ["WRAPPED_ABOVE", "WRAPPED_MASS", "WRAPPED_MASS_OVER", "WRAPPED_MIN", "WRAPPED_SHARE",
           "wrapped_label_findings"]

#: Samples labelled with a negative index needed for a reading.
WRAPPED_MIN = 8
#: This share of them predicted in the class their index wraps to, and this much above the
#: share of the properly labelled samples predicted there, is a loss that indexed with them.
WRAPPED_SHARE = 0.8
WRAPPED_ABOVE = 0.3
#: Under this share of them there, the loss skipped them.
SKIPPED_SHARE = 0.5
#: The properly labelled samples of the other classes given this mean probability of the
#: wrapped-to class, and this many times what they give each other wrong class, is a loss
#: that trained the negative labels as that class although their inputs do not set them
#: apart (a third of every class labelled -1 puts about a third on the last class; a loss
#: that skipped them leaves the last class no likelier than any wrong class: ratio near 1).
WRAPPED_MASS = 0.1
WRAPPED_MASS_OVER = 5.0
#: Under this ratio, the mass says the loss skipped them.
SKIPPED_MASS_OVER = 2.0


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
    label = int(torch.mode(y[negative]).values)
    mass, over = _wrapped_mass(output, y, k + label, k)
    words = dict(n=n, total=int(y.numel()), label=label, cls=k + label, share=Pct(share),
                 base=Pct(base), mass=Pct(mass), over=Times(over))
    numbers = {"share": share, "base": base, "count": n, "mass": mass, "mass_over": over}
    if share >= WRAPPED_SHARE and share >= base + WRAPPED_ABOVE:
        return [Finding("batch.negative_labels_as_classes", True,
                        say("batch.negative_labels_wrapped", **words), numbers)]
    if mass >= WRAPPED_MASS and over >= WRAPPED_MASS_OVER:
        return [Finding("batch.negative_labels_as_classes", True,
                        say("batch.negative_labels_wrapped_spread", **words), numbers)]
    if share >= SKIPPED_SHARE or over >= SKIPPED_MASS_OVER:
        return []  # between the two: no reading
    return [Finding("batch.negative_labels_as_classes", False,
                    say("batch.negative_labels_skipped", **words), numbers)]


def _wrapped_mass(output: torch.Tensor, y: torch.Tensor, wrapped_to: int, k: int
                  ) -> tuple[float, float]:
    """The mean probability the model gives class ``wrapped_to`` on the samples labelled with
    another class, and how many times the mean probability of each of their other wrong
    classes that is (0, 0 with under three classes or too few such samples)."""
    others = (y >= 0) & (y != wrapped_to)
    if k < 3 or int(others.sum()) < WRAPPED_MIN:
        return 0.0, 0.0
    p = F.softmax(output.detach().float(), 1)[others]
    own = p.gather(1, y[others].unsqueeze(1)).squeeze(1)
    mass = float(p[:, wrapped_to].mean())
    wrong = float(((1 - own - p[:, wrapped_to]) / (k - 2)).mean())
    return mass, mass / max(wrong, 1e-6)
