"""Train one copy of the model per learning rate on the batch, all at once where possible.

The copies' parameters are stacked (``[L, ...]``) and the model is run over them with
``torch.func.functional_call`` under ``vmap``; the L losses are summed and one ordinary
``backward`` gives every copy its own gradient (the copies share nothing). Models that vmap
cannot run (data-dependent control flow, in-place updates it refuses, unusual outputs) are
trained one copy after another instead. ``torch.func.grad`` is not used: it imports
``torch._dynamo``.

Measured on one CPU thread (bench/README.md), the stacked copies win only while Python's
per-step overhead dominates (a few thousand parameters); for a 270k-parameter MLP or a small
CNN the batched matrix products are 10–15 % slower than the copies one by one. So on the CPU
the copies are trained together only below :data:`VECTORISE_CPU_PARAMS`; on CUDA, where each
step's kernel launches dominate, always.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
from torch import nn

from .live_optim import PlainOptimizer
from .live_runtime import Clock, OptimizerChoice, first_tensor, loss_for, make_optimizer
from .models import Batch

__all__ = ["sweep_losses", "train_steps", "feed", "VECTORISE_CPU_PARAMS", "worth_vectorising"]

#: On the CPU, models below this many parameters train their lr copies together.
VECTORISE_CPU_PARAMS = 100_000

LossFn = Callable[[nn.Module], torch.Tensor]
#: Errors that send the sweep from the vectorised path to the sequential one.
_VMAP_ERRORS = (RuntimeError, ValueError, TypeError, NotImplementedError, AttributeError)


def feed(batch: Batch, device: torch.device) -> torch.Tensor:
    """The batch's inputs on ``device``, as float unless they are token ids."""
    x = batch.inputs.to(device)
    return x if x.is_floating_point() or x.dtype == torch.long else x.float()


def train_steps(loss_of: LossFn, model: nn.Module, optimizer: PlainOptimizer, steps: int,
                clock: Clock, settled: Callable[[list[float]], bool] = lambda losses: False,
                dropout: bool = True, clip: float | None = None) -> list[float]:
    """The loss before each of ``steps`` updates; stops at NaN/inf or once ``settled``.
    ``dropout=False`` keeps dropout layers off (the rest in training mode); ``clip`` clips
    the gradients' total norm to that value before each update."""
    model.train()
    if not dropout:
        for module in model.modules():
            if isinstance(module, nn.modules.dropout._DropoutNd):
                module.eval()
    losses: list[float] = []
    for _ in range(steps):
        clock.tick()
        optimizer.zero_grad()
        loss = loss_of(model)
        losses.append(float(loss.detach()))
        if not math.isfinite(losses[-1]) or settled(losses):
            break
        loss.backward()
        if clip is not None:
            nn.utils.clip_grad_norm_([p for p in model.parameters() if p.grad is not None], clip)
        optimizer.step()
    return losses


def worth_vectorising(model: nn.Module, device: torch.device) -> bool:
    """Whether stacking the lr copies is expected to be faster than training them in turn."""
    return device.type == "cuda" or \
        sum(p.numel() for p in model.parameters()) < VECTORISE_CPU_PARAMS


def _vectorised(model: nn.Module, batch: Batch, device: torch.device, choice: OptimizerChoice,
                lrs: Sequence[float], steps: int, clock: Clock) -> list[list[float]]:
    from torch.func import functional_call, vmap

    count = len(lrs)
    model = model.to(device).train()

    def stack(t: torch.Tensor) -> torch.Tensor:
        return t.detach().unsqueeze(0).expand(count, *t.shape).clone()

    params = {n: stack(p).requires_grad_(True) for n, p in model.named_parameters()
              if p.requires_grad}
    buffers = {n: stack(b) for n, b in model.named_buffers()}
    x = feed(batch, device)

    def forward(p: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> torch.Tensor:
        out = first_tensor(functional_call(model, {**p, **b}, (x,)), batch.targets)
        if out is None:
            raise ValueError("the model returned no tensor")
        return out

    run = vmap(forward, randomness="different")
    optimizer = make_optimizer(choice, params.values(), torch.tensor(list(lrs)))
    losses: list[list[float]] = [[] for _ in lrs]
    live = [True] * count
    for _ in range(steps):
        clock.tick()
        optimizer.zero_grad()
        outputs = run(params, buffers)
        total: torch.Tensor | None = None
        for i in range(count):
            if not live[i]:
                continue
            loss, _ = loss_for(outputs[i], batch.targets, batch.soft_logits,
                               batch.classes_last, batch.regression_loss)
            losses[i].append(float(loss.detach()))
            if not math.isfinite(losses[i][-1]):
                live[i] = False
                continue
            total = loss if total is None else total + loss
        if total is None:
            break
        total.backward()
        optimizer.step()
    return losses


def _sequential(copies: Callable[[], nn.Module], loss_of: LossFn, choice: OptimizerChoice,
                lrs: Sequence[float], steps: int, clock: Clock) -> list[list[float]]:
    out = []
    for lr in lrs:
        model = copies()
        optimizer = make_optimizer(choice, [p for p in model.parameters() if p.requires_grad],
                                   lr)
        out.append(train_steps(loss_of, model, optimizer, steps, clock))
    return out


def sweep_losses(copies: Callable[[], nn.Module], batch: Batch, device: torch.device,
                 choice: OptimizerChoice, lrs: Sequence[float], steps: int, clock: Clock,
                 loss_of: LossFn, vectorise: bool = True) -> tuple[list[list[float]], bool]:
    """The loss curve of each lr and whether the copies were trained at once.

    ``copies()`` returns a fresh, seeded copy of the model on ``device``.
    """
    first = copies()
    if vectorise and worth_vectorising(first, device):
        try:
            return _vectorised(first, batch, device, choice, lrs, steps, clock), True
        except _VMAP_ERRORS:
            pass  # the model does not run under vmap: train the copies one after another
    return _sequential(copies, loss_of, choice, lrs, steps, clock), False
