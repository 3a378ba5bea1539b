"""The number of classes of the task, from the checkpoint's output layer and the batch's
targets, for probes that need chance level but do not run the model.

Torch is imported only when there is a checkpoint or a batch to look at: a bare CSV log is
read without it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .base import Inputs, ProbeContext

if TYPE_CHECKING:
    import torch

__all__ = ["batch_targets", "classes_for", "multi_hot", "head_width", "majority_share",
           "majority_floor", "single_label", "MAX_CLASSES", "MIN_PRIOR_SAMPLES"]

#: Beyond this many outputs (a language model's vocabulary) chance level means nothing.
MAX_CLASSES = 1000
#: A batch needs this many integer targets to estimate the class prior.
MIN_PRIOR_SAMPLES = 64


def head_width(inputs: Inputs, ctx: ProbeContext) -> int | None:
    """Rows of the last weight matrix in the checkpoint (the output layer, by convention; a
    1×1 convolution counts, the per-position head of a tagger or a segmenter), or the labels
    a Hugging Face classifier's ``config.json`` declares when a matrix has that many rows."""
    if inputs.checkpoint is None:
        return None
    from .checkpoints import load_checkpoint
    from .layers import RECURRENT_WEIGHT
    from .model_config import config_data, labels_declared, span_head
    from .weight_facts import parallel_heads

    store = load_checkpoint(inputs.checkpoint, inputs.trust, ctx).store
    matrices = [m for m in store.metas() if m.dtype.is_floating_point and
                (len(m.shape) == 2 or _pointwise_conv(m.name, m.shape))]
    config = config_data(inputs.checkpoint) or {}  # read once for both questions
    labels = labels_declared(config)
    if labels is not None and any(int(m.shape[0]) == labels for m in matrices):
        return labels  # safetensors keys are sorted: "classifier" comes before "pre_classifier"
    if span_head(config) or \
            (matrices and matrices[-1].name.endswith("qa_outputs.weight")):
        # a start and an end score per token, each a softmax over the sequence's positions
        # (set 351's Megatron-BERT span model): its two rows are no two classes
        return None
    if len(matrices) >= 2 and len(matrices[-2].shape) == len(matrices[-1].shape) and \
            not RECURRENT_WEIGHT.search(matrices[-2].name) and parallel_heads(
            (int(matrices[-2].shape[1]), int(matrices[-2].shape[0])),
            (int(matrices[-1].shape[1]), int(matrices[-1].shape[0]))):
        return None  # two heads on one trunk: which one the loss reads cannot be told
    return int(matrices[-1].shape[0]) if matrices else None


def _pointwise_conv(name: str, shape: tuple[int, ...]) -> bool:
    """A convolution weight whose kernel is 1 wide in every dimension (``out, in, 1[, 1]``)."""
    return name.endswith("weight") and 3 <= len(shape) <= 5 and all(k == 1 for k in shape[2:])


def _tied_table_rows(inputs: Inputs, ctx: ProbeContext, width: int, seen: int) -> int | None:
    """Rows of the one table whose columns match the output layer's width and whose rows
    cover every target: the output is ``h @ table.T`` (scores against the item or token
    embeddings a recommender or a tied language model reuses), so each row is a class; None
    when no table or several fit."""
    if inputs.checkpoint is None:
        return None
    from .checkpoints import load_checkpoint

    store = load_checkpoint(inputs.checkpoint, inputs.trust, ctx).store
    tables = [int(m.shape[0]) for m in store.metas() if len(m.shape) == 2
              and m.dtype.is_floating_point and int(m.shape[1]) == width
              and int(m.shape[0]) >= seen]
    return tables[0] if len(tables) == 1 else None


def batch_targets(inputs: Inputs, ctx: ProbeContext) -> torch.Tensor | None:
    """The batch's targets (None without a batch, or a batch without targets)."""
    if inputs.batch is None:
        return None
    from .models import batch_for

    return batch_for(inputs, ctx).targets


def _target_classes(inputs: Inputs, ctx: ProbeContext) -> int | None:
    targets = batch_targets(inputs, ctx)
    if targets is None or targets.numel() == 0:
        return None
    from .losses import is_binary  # (torch only once there is a batch)

    if targets.is_floating_point():
        if targets.dim() == 2 and targets.shape[1] > 1 and is_binary(targets):
            return int(targets.shape[1])  # one-hot
        return 2 if is_binary(targets) else None
    return int(targets.max()) + 1


def _pointer_targets(inputs: Inputs, ctx: ProbeContext, width: int) -> bool:
    """Integer targets of one or two columns beside a head of one or two outputs: a span
    extractor's start and end (a score per position from one head each, or two from one), or
    one index per sample beside a head of one output (a score per item of a set or sequence,
    the item to pick) — the classes are the positions, as many as the largest labelled one + 1
    at least, not the head's width."""
    targets = batch_targets(inputs, ctx)
    if targets is None or targets.is_floating_point():
        return False
    if targets.dim() == 1:
        return width == 1
    return targets.dim() == 2 and int(targets.shape[1]) <= 2 and width <= 2


def _regression_targets(inputs: Inputs, ctx: ProbeContext) -> bool:
    """The batch's targets are floats that are no labels (not 0/1, not one-hot): a
    regression, a reconstruction or a noise to predict, whatever the output's width — no
    classes, so no guess's 1/C or ln C."""
    targets = batch_targets(inputs, ctx)
    if targets is None or not targets.is_floating_point() or targets.numel() == 0:
        return False
    from .losses import is_binary

    return not is_binary(targets)


def _one_binary_target(inputs: Inputs, ctx: ProbeContext) -> bool:
    """One float 0/1 target per sample: a binary task scored by one logit (BCE), whatever
    the width of the last matrix — a Siamese or two-tower model's embedding layer."""
    targets = batch_targets(inputs, ctx)
    if targets is None:
        return False
    from .losses import is_binary

    return targets.is_floating_point() \
        and targets.squeeze(-1).dim() == 1 and targets.numel() > 0 and is_binary(targets)


def multi_hot(inputs: Inputs, ctx: ProbeContext) -> bool:
    """The batch's targets are multi-label: rows of 0/1, some with more than one 1."""
    targets = batch_targets(inputs, ctx)
    if targets is None:
        return False
    from .losses import is_multi_hot

    return is_multi_hot(targets)


def classes_for(inputs: Inputs, ctx: ProbeContext) -> int | None:
    """Classes of the task: 2 for one float 0/1 target per sample; the output width, or 2 for
    one output and {0, 1} targets, or the largest class index in the batch + 1 when there is
    no checkpoint or the targets point at positions (span starts and ends); None when
    unknown or multi-label (a guess's accuracy and loss are no 1/C and ln C there)."""
    if _one_binary_target(inputs, ctx):
        return 2
    if multi_hot(inputs, ctx) or _regression_targets(inputs, ctx):
        return None
    width = head_width(inputs, ctx)
    seen = _target_classes(inputs, ctx)
    classes: int | None
    if width is not None and seen is not None and seen > max(width, 2) and \
            _pointer_targets(inputs, ctx, width):
        classes = seen  # each pointer picks one of (at least) `seen` places
    elif width is not None and seen is not None and seen > max(width, 2) and \
            (rows := _tied_table_rows(inputs, ctx, width, seen)) is not None:
        classes = rows  # the output scores every row of an embedding table
    elif width is not None and width > 1:
        classes = width if seen is None or seen <= width else None
    elif width == 1:
        classes = 2 if seen == 2 else None
    else:
        classes = seen
    return classes if classes is not None and 2 <= classes <= MAX_CLASSES else None


#: A largest class share within this many standard errors of 1/C is balanced classes.
IMBALANCE_SE = 3.0


def majority_share(inputs: Inputs, ctx: ProbeContext, classes: int) -> float | None:
    """Share of the most frequent class among the batch's integer targets: the accuracy of
    always predicting it, which is chance level when classes are imbalanced (one float 0/1
    target per sample counts as two classes; None: unknown,
    a batch of a single class, fewer than :data:`MIN_PRIOR_SAMPLES` targets — a 32-sample
    batch of a 90 % class misjudges its share by ±5 points — or a largest share within
    :data:`IMBALANCE_SE` standard errors of 1/C: balanced classes)."""
    targets = batch_targets(inputs, ctx)
    if targets is not None and classes == 2 and _one_binary_target(inputs, ctx):
        targets = targets.reshape(-1).round()  # one 0/1 target per sample: BCE's labels
    elif targets is None or targets.is_floating_point() or targets.dim() != 1:
        return None
    if targets.numel() < MIN_PRIOR_SAMPLES:
        return None
    counts = targets.long().clamp(min=0).bincount(minlength=classes)
    if int((counts > 0).sum()) < 2:
        return None  # a batch of one class (sorted data) tells nothing of the class balance
    share, even = float(counts.max()) / float(targets.numel()), 1.0 / max(classes, 2)
    # the largest of several balanced classes comes out above 1/C by sampling alone: a
    # 128-row batch of 4 balanced classes has one at 0.28 — no prior to read chance from
    if share <= even + IMBALANCE_SE * math.sqrt(even * (1.0 - even) / targets.numel()):
        return None
    return share


#: The held-out data's largest-class share is plausibly as low as the batch's less this many
#: standard errors of a share over the batch's samples.
PRIOR_SE = 2.0


def majority_floor(inputs: Inputs, ctx: ProbeContext, share: float | None) -> float | None:
    """The lowest the held-out data's largest-class share plausibly is, given the batch's
    ``share`` (:func:`majority_share`) less :data:`PRIOR_SE` standard errors of a share over
    that many samples: 58 of 64 (0.906) is a set of 0.83 drawn unevenly as readily as one of
    0.9. None where the share is None."""
    targets = batch_targets(inputs, ctx)
    if share is None or targets is None:
        return None
    return share - PRIOR_SE * math.sqrt(share * (1.0 - share) / targets.numel())


def single_label(inputs: Inputs, ctx: ProbeContext, classes: int | None) -> int | None:
    """``classes`` when the batch's targets are class indices (one class per sample, as
    CrossEntropyLoss takes them), 2 for one float 0/1 target per sample; None for multi-hot
    or other float targets, or without a batch."""
    if inputs.batch is None or not classes:
        return None
    if _one_binary_target(inputs, ctx):
        return 2
    targets = batch_targets(inputs, ctx)
    if targets is None or targets.is_floating_point() or targets.dim() != 1:
        return None
    return classes
