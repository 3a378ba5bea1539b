"""Pick the loss a live probe trains with from the output's and the targets' shapes and values.

The user's own loss is unknown, so the probe chooses the standard loss the shapes imply:
cross-entropy for class indices, binary cross-entropy for {0, 1} targets (on probabilities
when the outputs already lie in [0, 1], on logits otherwise), soft cross-entropy for
probability-vector targets, mean squared error for other float targets — unless a trained
model's output reads as logits of targets in [0, 1] (:func:`sigmoid_fits`), then binary
cross-entropy on logits.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

__all__ = ["loss_for", "sigmoid_fits", "affine_target_map", "is_binary", "in_unit_interval",
           "class_count", "class_scores", "channels_last", "PROB_EPS", "IGNORE_INDEX"]

#: Probabilities are clamped to [ε, 1-ε] before BCE so that the probe's own loss stays finite.
PROB_EPS = 1e-7


def is_binary(values: torch.Tensor) -> bool:
    """Every value is exactly 0 or 1."""
    return values.numel() > 0 and bool(((values == 0) | (values == 1)).all())


def is_multi_hot(targets: torch.Tensor) -> bool:
    """Multi-label targets: rows of 0/1, some holding more than one 1."""
    return targets.dim() == 2 and targets.shape[1] > 1 and is_binary(targets) \
        and bool((targets.sum(1) > 1).any())


def in_unit_interval(values: torch.Tensor) -> bool:
    """Every value is finite and within [0, 1]."""
    v = values.detach().float()
    return v.numel() > 0 and bool((torch.isfinite(v) & (v >= 0) & (v <= 1)).all())


def _rows_sum_to_one(values: torch.Tensor) -> bool:
    return values.dim() == 2 and values.shape[1] > 1 and \
        bool(((values.sum(-1) - 1).abs() < 1e-4).all())


def class_count(output: torch.Tensor | None, targets: torch.Tensor | None) -> int | None:
    """Number of classes: the output width for class-index targets, else the targets' width."""
    if targets is None:
        return output.shape[1] if output is not None and output.dim() == 2 else None
    if not targets.is_floating_point():
        if output is not None and channels_last(output, targets):
            return int(output.shape[-1])
        width = output.shape[1] if output is not None and output.dim() >= 2 else 1
        if width > 1:
            return width
        return 2 if is_binary(targets) else int(targets.max()) + 1 if targets.numel() else None
    if _rows_sum_to_one(targets) and is_binary(targets):
        return targets.shape[1]
    if is_binary(targets):
        return 2
    return None


def _binary(output: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, str]:
    out, tgt = output.float().reshape(-1), targets.float().reshape(-1)
    if in_unit_interval(out):
        return F.binary_cross_entropy(out.clamp(PROB_EPS, 1 - PROB_EPS), tgt), \
            "binary cross-entropy on probabilities"
    return F.binary_cross_entropy_with_logits(out, tgt), "binary cross-entropy with logits"


#: The target value ``nn.CrossEntropyLoss`` skips by default (padding, unlabelled tokens).
IGNORE_INDEX = -100


#: Share of the targets' variance a sigmoid of the trained model's output must explain for its
#: output to read as logits (a reconstruction in [0, 1] trained with BCE on logits).
SIGMOID_FIT_R2 = 0.75


def _r2(prediction: torch.Tensor, targets: torch.Tensor) -> float:
    spread = float(targets.var(unbiased=False))
    if spread <= 0:
        return -math.inf
    return 1.0 - float((prediction - targets).pow(2).mean()) / spread


def sigmoid_fits(output: torch.Tensor, targets: torch.Tensor | None) -> bool:
    """Whether a trained model's output reads as logits of soft targets in [0, 1]: the output
    leaves [0, 1], its sigmoid explains most of the targets' variance (R² ≥ 0.75) and the raw
    output explains none of it. A model trained with MSE would fit raw; one whose output blew
    up fits neither way."""
    if targets is None or not targets.is_floating_point() or is_binary(targets) or \
            output.numel() != targets.numel() or not in_unit_interval(targets):
        return False
    out = output.detach().float().reshape(-1)
    tgt = targets.detach().float().reshape(-1).to(out.device)
    if not bool(torch.isfinite(out).all()) or in_unit_interval(out):
        return False
    return _r2(torch.sigmoid(out), tgt) >= SIGMOID_FIT_R2 and _r2(out, tgt) < 0


#: Share of the targets' variance the trained model's output must explain through one affine
#: map per target column for the training step to read as rescaling its targets (a model
#: that learned its task only in part, BatchNorm over two samples a step: 0.57) …
AFFINE_FIT_R2 = 0.5
#: … onto a scale a standardisation gives: the mapped targets' mean within this of 0 and
#: their std within these bounds.
MAPPED_MEAN_MAX, MAPPED_STD = 0.5, (0.5, 2.0)


def affine_target_map(output: torch.Tensor, targets: torch.Tensor | None
                      ) -> tuple[torch.Tensor, torch.Tensor] | None:
    """``(scale, shift)`` per target column with ``targets ≈ scale · output + shift`` when a
    trained model's output reads as its float targets on another scale: the raw output
    explains none of their variance (R² < 0) and its affine image, rising, at least
    :data:`AFFINE_FIT_R2`, onto targets of about zero mean and unit spread — a loop that
    standardises its targets inside the training step
    (``mse(model(x), (y - mean) / std)``) while the batch keeps them in their units. None
    otherwise: labels, a model trained on the raw scale, one that fits neither way."""
    if targets is None or not targets.is_floating_point() or is_binary(targets) or \
            output.numel() != targets.numel() or targets.numel() < 8:
        return None
    tgt = targets.detach().float().reshape(targets.shape[0], -1)
    out = output.detach().float().reshape(tgt.shape).to(tgt.device)
    if not bool(torch.isfinite(out).all() & torch.isfinite(tgt).all()) or \
            _r2(out.reshape(-1), tgt.reshape(-1)) >= 0:
        return None
    centred_out, centred_tgt = out - out.mean(0), tgt - tgt.mean(0)
    spread = centred_out.pow(2).mean(0)
    if bool((spread <= 0).any()):
        return None  # a constant output column maps onto nothing
    scale = (centred_out * centred_tgt).mean(0) / spread
    if bool((scale <= 0).any()):
        return None
    shift = tgt.mean(0) - scale * out.mean(0)
    if _r2((scale * out + shift).reshape(-1), tgt.reshape(-1)) < AFFINE_FIT_R2:
        return None
    mapped = (tgt - shift) / scale
    if float(mapped.mean().abs()) > MAPPED_MEAN_MAX or \
            not MAPPED_STD[0] <= float(mapped.std()) <= MAPPED_STD[1]:
        return None
    return scale, shift


def channels_last(output: torch.Tensor, targets: torch.Tensor,
                  prefer_last: bool = False) -> bool:
    """A per-position output laid out (batch, positions…, classes) against (batch,
    positions…) class ids — a language model's or tagger's logits — rather than PyTorch's
    (batch, classes, positions…); the PyTorch layout wins when both would fit, unless
    ``prefer_last`` (the trained model was seen to score along its last axis)."""
    if output.dim() < 3 or output.dim() != targets.dim() + 1:
        return False
    first = output.shape[:1] + output.shape[2:] == targets.shape
    return tuple(output.shape[:-1]) == tuple(targets.shape) and (prefer_last or not first)


def class_scores(output: torch.Tensor, targets: torch.Tensor,
                 prefer_last: bool = False) -> torch.Tensor:
    """The output with its class scores on dimension 1, where cross-entropy reads them."""
    return output.movedim(-1, 1) if channels_last(output, targets, prefer_last) else output


#: Along its last axis a trained model's cross-entropy must be below this share of the one
#: along dimension 1 for the last axis to be read as its classes when both fit.
CLASSES_LAST_SHARE = 0.5


def scores_classes_last(output: torch.Tensor, targets: torch.Tensor | None) -> bool:
    """Whether a trained model's (batch, N, N) output, which fits its (batch, N) class ids
    both ways, scores them along its last axis: its cross-entropy there is less than half the
    one along dimension 1 (a pointer network's per-step scores over the input positions,
    trained with ``cross_entropy(out.reshape(-1, N), y.reshape(-1))``)."""
    if targets is None or targets.is_floating_point() or output.dim() < 3 or \
            output.dim() != targets.dim() + 1:
        return False
    first = output.shape[:1] + output.shape[2:] == targets.shape
    if not first or tuple(output.shape[:-1]) != tuple(targets.shape):
        return False  # only one layout fits: nothing to choose
    try:
        along_first = float(_class_indices(output, targets)[0])
        along_last = float(_class_indices(output, targets, prefer_last=True)[0])
    except ValueError:
        return False
    return math.isfinite(along_last) and \
        (not math.isfinite(along_first) or along_last < CLASSES_LAST_SHARE * along_first)


def _class_indices(output: torch.Tensor, targets: torch.Tensor, prefer_last: bool = False
                   ) -> tuple[torch.Tensor, str]:
    output = class_scores(output, targets, prefer_last)
    classes = output.shape[1] if output.dim() >= 2 else 1
    if classes == 1 or output.dim() == targets.dim():
        if output.numel() == targets.numel() and is_binary(targets):
            return _binary(output, targets)
        raise ValueError(f"integer targets {tuple(targets.shape)} do not fit output "
                         f"{tuple(output.shape)}")
    if targets.dim() != output.dim() - 1 or targets.shape[0] != output.shape[0] or \
            output.shape[:1] + output.shape[2:] != targets.shape:
        raise ValueError(f"class targets {tuple(targets.shape)} do not fit output "
                         f"{tuple(output.shape)}")
    ignore = _padding_code(targets)
    labelled = targets[targets != ignore]
    if not labelled.numel():
        raise ValueError(f"every target is {ignore} (ignored): nothing to score")
    low, high = int(labelled.min()), int(labelled.max())
    if low < 0 or high >= classes:
        raise ValueError(f"class targets range over [{low}, {high}] but the output has "
                         f"{classes} classes")
    return F.cross_entropy(output.float(), targets.long(), ignore_index=ignore), \
        "cross-entropy"


def _padding_code(targets: torch.Tensor) -> int:
    """The target value a class loss skips: -100 (``nn.CrossEntropyLoss``'s default), or
    the one negative value the targets hold when it is another (``ignore_index=-1``, the
    common code for "no label")."""
    negative = targets[(targets < 0) & (targets != IGNORE_INDEX)].unique()
    return int(negative[0]) if negative.numel() == 1 and not bool((targets == IGNORE_INDEX).any()) \
        else IGNORE_INDEX


#: Robust regression losses a model file may train with, by the name :func:`loss_for` takes
#: (at PyTorch's default delta/beta of 1): their gradient is bounded where MSE's grows with
#: the error, so a rate that trains under them can blow MSE up.
ROBUST_REGRESSION = {"huber": (lambda z, y: F.huber_loss(z, y, delta=1.0), "Huber"),
                     "l1": (F.l1_loss, "L1")}


def _regression(output: torch.Tensor, targets: torch.Tensor, regression: str, aligned: str
                ) -> tuple[torch.Tensor, str]:
    """MSE of float targets, or the robust loss named by ``regression``."""
    if regression in ROBUST_REGRESSION:
        loss, name = ROBUST_REGRESSION[regression]
        return loss(output, targets), f"{name}{aligned} (the model file's loss)"
    return F.mse_loss(output, targets), f"MSE{aligned}"


def loss_for(output: torch.Tensor, targets: torch.Tensor | None, soft_logits: bool = False,
             classes_last: bool = False, regression: str = "mse") -> tuple[torch.Tensor, str]:
    """A loss that fits the shapes and values; raises ValueError when none does.

    ``soft_logits``: targets in [0, 1] that the model's logits were trained against (see
    :func:`sigmoid_fits`) are scored with binary cross-entropy on logits, not MSE.
    ``classes_last``: class scores on the last axis where dimension 1 would fit too (see
    :func:`scores_classes_last`). ``regression``: the loss of float targets — ``mse``, or
    the model file's own robust loss (``huber``, ``l1``: :data:`ROBUST_REGRESSION`)."""
    if targets is None:
        return output.float().pow(2).mean(), "mean squared output (no targets)"
    targets = targets.to(output.device)
    if not targets.is_floating_point():
        return _class_indices(output, targets, classes_last)
    if soft_logits and output.numel() == targets.numel():
        return F.binary_cross_entropy_with_logits(output.float().reshape(-1),
                                                  targets.float().reshape(-1)), \
            "binary cross-entropy with logits (soft targets)"
    if output.shape == targets.shape and _rows_sum_to_one(targets):
        return F.cross_entropy(output.float(), targets.float()), "cross-entropy (soft labels)"
    if output.numel() == targets.numel() and is_binary(targets) and \
            (output.dim() <= 2 or output.shape == targets.shape):
        return _binary(output, targets)
    if output.shape == targets.shape:
        return _regression(output.float(), targets.float(), regression, "")
    if output.numel() == targets.numel():
        return _regression(output.float().reshape(-1), targets.float().reshape(-1),
                           regression, " (shapes aligned)")
    raise ValueError(f"cannot pair output {tuple(output.shape)} with targets "
                     f"{tuple(targets.shape)}")
