"""Whether a sequence-labelling batch's labels depend on their tokens
(``batch.token_labels_independent``).

In tagging, secondary-structure prediction, named entities or per-frame classes, each
position's label belongs to the token at that position: which token stands there says a lot
about its label (a determiner is rarely a verb, proline rarely sits in a helix). A loader that
pairs each sequence with another sequence's labels (two lists sorted differently, a filter
applied to one of them) keeps every marginal — the tokens, the labels, their shares — and
destroys only that dependence. The network then learns the label shares and nothing else.

The check needs no model: the mutual information between the token id and the label at the
same position, over the batch's labelled positions, against the same measure after the labels
are shuffled among those positions (what a finite sample shows without any dependence). Only
integer (batch, positions) inputs with integer labels of the same shape are read; positions
labelled below 0 (an ignore index) are left out.
"""

from __future__ import annotations

import math

import torch

from .base import Finding
from .evidence import Pct, say

__all__ = ["token_label_findings"]

#: Labelled positions the batch needs for a reading.
MIN_POSITIONS = 512
#: Label values above this are no class ids.
MAX_CLASSES = 64
#: Shuffles of the labels whose mutual information stands for "no dependence".
SHUFFLES = 5
#: Dependence (excess mutual information over the label entropy) at most this share: none.
INDEPENDENT_SHARE = 0.02
#: ... at least this share: the labels follow the tokens.
DEPENDENT_SHARE = 0.05


def _mutual_information(tokens: torch.Tensor, labels: torch.Tensor, classes: int) -> float:
    """Mutual information (nats) between two aligned integer vectors."""
    _, token_index = torch.unique(tokens, return_inverse=True)
    n_tokens = int(token_index.max()) + 1
    joint = torch.zeros(n_tokens * classes, dtype=torch.float64)
    ones = torch.ones_like(labels, dtype=torch.float64)
    joint.index_add_(0, token_index * classes + labels, ones)
    joint = joint.reshape(n_tokens, classes) / labels.numel()
    outer = joint.sum(1, keepdim=True) * joint.sum(0, keepdim=True)
    seen = joint > 0
    return float((joint[seen] * (joint[seen] / outer[seen]).log()).sum())


def _entropy(labels: torch.Tensor, classes: int) -> float:
    p = torch.bincount(labels, minlength=classes).double() / labels.numel()
    p = p[p > 0]
    return float(-(p * p.log()).sum())


def token_label_findings(inputs: object, targets: object) -> list[Finding]:
    """``batch.token_labels_independent`` for a (batch, positions) token batch with a label
    per position; nothing for any other batch."""
    if not (isinstance(inputs, torch.Tensor) and isinstance(targets, torch.Tensor)):
        return []
    if inputs.dim() != 2 or inputs.shape != targets.shape or inputs.is_floating_point() \
            or targets.is_floating_point() or inputs.dtype == torch.bool:
        return []
    tokens, labels = inputs.reshape(-1).long(), targets.reshape(-1).long()
    kept = labels >= 0
    tokens, labels = tokens[kept], labels[kept]
    if labels.numel() < MIN_POSITIONS or int(labels.max()) >= MAX_CLASSES:
        return []
    classes = int(labels.max()) + 1
    entropy = _entropy(labels, classes)
    if entropy < 0.05 or torch.unique(tokens).numel() < 2:
        return []
    observed = _mutual_information(tokens, labels, classes)
    generator = torch.Generator().manual_seed(0)
    shuffled = sum(_mutual_information(tokens, labels[torch.randperm(labels.numel(),
                                                                    generator=generator)],
                                       classes) for _ in range(SHUFFLES)) / SHUFFLES
    share = max(observed - shuffled, 0.0) / entropy
    if INDEPENDENT_SHARE < share < DEPENDENT_SHARE:
        return []
    independent = share <= INDEPENDENT_SHARE
    return [Finding("batch.token_labels_independent", independent,
                    say("batch.token_labels_independent" if independent
                        else "batch.token_labels_follow",
                        n=int(labels.numel()), mi=observed, base=shuffled,
                        h=entropy, share=Pct(share), k=classes),
                    {"mutual_information": round(observed, 6),
                     "shuffled": round(shuffled, 6), "label_entropy": round(entropy, 6),
                     "bits": round(observed / math.log(2), 6)})]
