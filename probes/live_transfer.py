"""Does what is learnt on half the batch carry over to the other half?

Random labels can be memorised but never generalise (Zhang et al. 2017): a model fitted on
half the batch predicts the other half no better than the label frequencies of the first half
do. Labels that depend on the inputs let it do better. The check trains the model as the
factory builds it on a seeded half of the batch, at the run's own optimizer settings, and
measures the other half's loss after every step against the best constant predictor that
uses no input: a mix of the first half's label frequencies and the uninformed prediction (or
the model as built, if that does better).

The result is a share: how much lower than the constant predictor's loss the other half's
lowest loss went (0.3: 30 % lower; 0 or below: no transfer). It is unknown when the batch is
too small to split, has no targets, uses a loss without a constant predictor here, or when the
first half did not fit (a rate too low or too high says nothing about the labels).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from .live_optim import PlainOptimizer
from .live_runtime import Clock, first_tensor, loss_for
from .live_sweep import feed
from .models import Batch

__all__ = ["Transfer", "measure_transfer", "split_batch", "constant_loss", "TRANSFER_STEPS",
           "MIN_TRANSFER_BATCH"]

#: Steps of training on the first half.
TRANSFER_STEPS = 60
#: Smallest batch the check splits (two halves of 12).
MIN_TRANSFER_BATCH = 24
#: The first half must fit at least this well (its loss at most this share of its start).
FIT_SHARE = 0.5


@dataclass(frozen=True)
class Transfer:
    """The other half's lowest loss against the constant predictor's, and the curves."""

    share: float  # (constant − lowest) / constant
    constant: float
    lowest: float
    fitted: list[float]
    other: list[float]
    size: int


def split_batch(batch: Batch) -> tuple[Batch, Batch]:
    """Two halves of a seeded permutation (a batch sorted by class splits evenly too)."""
    assert batch.targets is not None
    n = batch.inputs.shape[0]
    order = torch.randperm(n, generator=torch.Generator().manual_seed(0))
    first, second = order[: n // 2], order[n // 2:]
    return (Batch(batch.inputs[first], batch.targets[first], batch.source,
                  soft_logits=batch.soft_logits, classes_last=batch.classes_last),
            Batch(batch.inputs[second], batch.targets[second], batch.source,
                  soft_logits=batch.soft_logits, classes_last=batch.classes_last))


def _frequencies(targets: torch.Tensor, classes: int) -> torch.Tensor:
    counts = torch.bincount(targets.reshape(-1).long().clamp(0, classes - 1),
                            minlength=classes).float()
    return (counts + 1) / (counts.sum() + classes)  # add-one: unseen classes stay finite


def _column_mean(targets: torch.Tensor, shape: torch.Size) -> torch.Tensor:
    """The first half's target mean per output column, broadcast to ``shape``."""
    flat = targets.float().reshape(targets.shape[0], -1)
    if flat.shape[1] * targets.shape[0] != math.prod(shape):
        return flat.mean().expand(shape)
    return flat.mean(0).reshape(1, *shape[1:]).expand(shape)


#: Mixtures of the first half's constant prediction with the uninformed one that are tried.
_MIX = tuple(k / 10 for k in range(11))


def _constants(fit: torch.Tensor, output: torch.Tensor, kind: str) -> list[torch.Tensor] | None:
    """Constant predictions from the targets ``fit`` alone, as outputs shaped like ``output``:
    the first half's label frequencies (or mean) mixed in every proportion of :data:`_MIX` with
    the uninformed prediction (uniform classes, p = 0.5, or the output's own mean) — a model
    that learns nothing from the inputs moves along this path from its start."""
    if kind == "cross-entropy" or kind == "cross-entropy (soft labels)":
        classes = output.shape[1]
        freq = _frequencies(fit, classes) if kind == "cross-entropy" else \
            fit.float().mean(0).clamp_min(1e-6)
        shape = [1, classes] + [1] * (output.dim() - 2)
        uniform = torch.full_like(freq, 1 / classes)
        return [(m * freq + (1 - m) * uniform).log().reshape(shape).expand(output.shape)
                for m in _MIX]
    if kind.startswith("binary cross-entropy"):
        mean = _column_mean(fit, output.shape).clamp(1e-3, 1 - 1e-3)
        mixes = [m * mean + (1 - m) * 0.5 for m in _MIX]
        return mixes if "probabilities" in kind else [torch.logit(p) for p in mixes]
    if kind.startswith("MSE"):
        mean = _column_mean(fit, output.shape) if kind == "MSE" else \
            fit.float().mean().expand(output.shape)
        start = output.detach().float().mean()
        return [m * mean + (1 - m) * start for m in _MIX]
    return None


def constant_loss(fit: torch.Tensor, output: torch.Tensor, targets: torch.Tensor,
                  soft_logits: bool = False, classes_last: bool = False) -> float | None:
    """The loss on (``output``'s shape, ``targets``) of the best constant prediction that
    learns nothing from the inputs (see :func:`_constants`); None for a loss that has no
    constant predictor here."""
    _, kind = loss_for(output, targets, soft_logits, classes_last)
    constants = _constants(fit.to(output.device), output, kind)
    if constants is None:
        return None
    return min(float(loss_for(c.to(output.device).contiguous(), targets, soft_logits,
                                    classes_last)[0])
               for c in constants)


def measure_transfer(model: nn.Module, batch: Batch, device: torch.device,
                     make_optimizer: Callable[[list[torch.Tensor]], PlainOptimizer],
                     clock: Clock) -> Transfer | None:
    """Train ``model`` (a fresh copy, on ``device``) on one half of ``batch`` for
    :data:`TRANSFER_STEPS` steps, dropout off; None when the check says nothing."""
    if batch.targets is None or batch.inputs.shape[0] < MIN_TRANSFER_BATCH:
        return None
    fit_half, other_half = split_batch(batch)
    x_fit, x_other = feed(fit_half, device), feed(other_half, device)
    y_fit = fit_half.targets.to(device)  # type: ignore[union-attr]
    y_other = other_half.targets.to(device)  # type: ignore[union-attr]
    model.train()
    for module in model.modules():
        if isinstance(module, nn.modules.dropout._DropoutNd):
            module.eval()
    optimizer = make_optimizer([p for p in model.parameters() if p.requires_grad])
    fitted: list[float] = []
    other: list[float] = []
    constant: float | None = None
    for step in range(TRANSFER_STEPS + 1):
        clock.tick()
        with torch.no_grad():
            out_other = first_tensor(model(x_other), y_other)
            if out_other is None:
                return None
            other.append(float(loss_for(out_other, y_other, batch.soft_logits,
                                                batch.classes_last)[0]))
            if step == 0:  # the model as built is a constant predictor too
                constant = constant_loss(y_fit, out_other, y_other, batch.soft_logits,
                                         batch.classes_last)
                if constant is None or not math.isfinite(constant) or constant <= 0:
                    return None
                constant = min(constant, other[0]) if math.isfinite(other[0]) else constant
        if step == TRANSFER_STEPS:
            break
        optimizer.zero_grad()
        out_fit = first_tensor(model(x_fit), y_fit)
        if out_fit is None:
            return None
        loss = loss_for(out_fit, y_fit, batch.soft_logits, batch.classes_last)[0]
        fitted.append(float(loss.detach()))
        if not (math.isfinite(fitted[-1]) and math.isfinite(other[-1])):
            return None
        loss.backward()
        optimizer.step()
    assert constant is not None
    if min(fitted) > FIT_SHARE * fitted[0]:
        return None
    lowest = min(other[1:])
    return Transfer((constant - lowest) / constant, constant, lowest, fitted, other,
                    int(batch.inputs.shape[0]))
