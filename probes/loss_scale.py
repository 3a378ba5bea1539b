"""Was the loss the run differentiated scaled up? The gradient norm the log records before any
update, against the one the same freshly built model gets on the batch from a mean loss.

Before the first update the weights are the initialisation's, so the two measure the same model
on data of the same kind: they differ by the loss's own scale. A loss summed over the batch (or
over every element, or multiplied by a constant) makes every gradient — and so every step — that
many times what the learning rate suggests; an ``lr`` tuned for a mean then throws the weights
off. The per-layer gradients differ between batches and seeds by a factor of two or three at
most; summing a batch of 64 or more multiplies them by its size.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN

from .base import Finding, Inputs, ProbeContext
from .evidence import Times, at, say
from .grad_first import first_norm
from .logs import logged

__all__ = ["logged_first_gradient", "fresh_gradient_norm", "loss_scale_finding", "scaled_up",
           "SCALED_UP"]

#: A logged first gradient this many times the fresh model's from a mean loss comes from the
#: loss's own scale: batches and seeds move the ratio by a factor of two or three, and summing
#: a batch of 32 or more multiplies it by the batch's size (the knowledge base's rules use it).
SCALED_UP = 30.0


def logged_first_gradient(inputs: Inputs, ctx: ProbeContext) -> tuple[float, object] | None:
    """The gradient norm the logs record at the first step (before any update) and where;
    None without one, or when it is not a finite positive number."""
    grad = logged(inputs, ctx, "grad_norm")
    first = first_norm(grad) if grad is not None else None
    return (first, at(grad, 0)) if grad is not None and first is not None and first > 0 \
        else None


def fresh_gradient_norm(model: nn.Module, loss_of: Callable[[nn.Module], torch.Tensor]
                        ) -> float | None:
    """The total (L2) gradient norm one backward pass of ``loss_of`` gives ``model``, in train
    mode as the run's first step was; None when it is not finite or nothing got a gradient."""
    model.train()
    model.zero_grad(set_to_none=True)
    loss_of(model).backward()
    squares = [float(p.grad.detach().float().pow(2).sum()) for p in model.parameters()
               if p.grad is not None]
    model.zero_grad(set_to_none=True)
    total = math.sqrt(sum(squares)) if squares else math.nan
    return total if squares and np.isfinite(total) and total > 0 else None


def loss_scale_finding(logged: tuple[float, object] | None, fresh: float | None
                       ) -> list[Finding]:
    """``grad.first_over_fresh``: the logged first gradient norm over the fresh model's from a
    mean loss; unknown when either is missing."""
    if logged is None:
        return [Finding("grad.first_over_fresh", UNKNOWN, say("grad.no_first_norm"))]
    if fresh is None:
        return [Finding("grad.first_over_fresh", UNKNOWN, say("grad.no_fresh_norm"))]
    value, where = logged
    ratio = value / fresh
    return [Finding("grad.first_over_fresh", ratio,
                    say("grad.first_over_fresh", logged=value, at=where, fresh=fresh,
                        ratio=Times(ratio)),
                    {"logged": value, "fresh": fresh})]


def scaled_up(found: list[Finding]) -> bool:
    """Whether :func:`loss_scale_finding`'s result says the run's loss is scaled up."""
    return any(f.fact == "grad.first_over_fresh" and isinstance(f.value, float)
               and f.value >= SCALED_UP for f in found)
