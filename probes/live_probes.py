"""Live probes: run the user's model on their batch (forward, backward, overfit, lr sweep).

Every probe works on a deep copy of the model, seeded, on CUDA when available (else CPU),
and the two active checks stop at ``ctx.max_seconds``.
"""

from __future__ import annotations

import math
import statistics
import time

import numpy as np
import torch
from torch import nn

from dldoctor.errors import ProbeError

from . import curves
from .base import Finding, Inputs, ProbeContext
from .live_forward import (
    activation_findings,
    input_findings,
    label_findings,
    output_findings,
    run_forward,
)
from .live_runtime import (
    OptimizerChoice,
    first_tensor,
    loss_for,
    make_optimizer,
    optimizer_choice,
    pick_device,
    seed,
    with_oom_fallback,
)
from .models import Batch, batch_for, model_for

__all__ = ["probe_forward", "probe_backward", "probe_overfit", "probe_lr_sweep",
           "classify_overfit", "LR_GRID", "OVERFIT_STEPS", "SWEEP_STEPS"]

#: Steps of the single-batch overfit test (fewer if the time budget runs out).
OVERFIT_STEPS = 200
#: Loss below this share of its start counts as overfit ("reaches zero").
OVERFIT_REACHED = 0.05
#: Loss above this multiple of its start, or non-finite, counts as exploded.
OVERFIT_EXPLODED = 10.0
#: The learning rates tried by the sweep.
LR_GRID = (1.0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5)
#: Steps per learning rate in the sweep.
SWEEP_STEPS = 25


def _prepare(inputs: Inputs, ctx: ProbeContext) -> tuple[nn.Module, Batch, torch.device]:
    seed()
    model, batch = model_for(inputs, ctx), batch_for(inputs, ctx)
    return model, batch, pick_device(inputs)


def _feed(batch: Batch, device: torch.device) -> torch.Tensor:
    x = batch.inputs.to(device)
    return x if x.is_floating_point() or x.dtype == torch.long else x.float()


def _forward_loss(model: nn.Module, batch: Batch, device: torch.device
                  ) -> tuple[torch.Tensor, str]:
    output = first_tensor(model(_feed(batch, device)))
    if output is None:
        raise ProbeError("the model returned no tensor")
    try:
        return loss_for(output, batch.targets)
    except ValueError as exc:
        raise ProbeError(f"cannot compute a loss: {exc}") from None


def probe_forward(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Inputs, labels, per-layer activations and the output of one forward pass."""
    model, batch, device = _prepare(inputs, ctx)
    ctx.progress(0.1, "forward pass with hooks")
    model.train()
    run = with_oom_fallback(run_forward, model, batch, device, ctx, "forward probe")
    if run.fed_as_float:
        ctx.notes.append("the model rejected the raw integer inputs; the forward probe fed "
                         "them as float")
    ctx.progress(1.0, "forward pass done")
    return [*input_findings(batch), *label_findings(batch), *activation_findings(run),
            *output_findings(run)]


def _backward(model: nn.Module, batch: Batch, device: torch.device
              ) -> tuple[float, str, dict[str, float], list[str], list[str]]:
    model.train()
    model.zero_grad(set_to_none=True)
    loss, kind = _forward_loss(model, batch, device)
    loss.backward()
    norms: dict[str, float] = {}
    none: list[str] = []
    zero: list[str] = []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        if param.grad is None:
            none.append(name)
            continue
        norm = float(param.grad.detach().float().norm())
        norm = norm if not math.isnan(norm) else math.inf
        if norm == 0.0:
            zero.append(name)
        if param.dim() >= 2:
            norms[name] = norm
    return float(loss.detach()), kind, norms, none, zero


def _update_ratio(model: nn.Module, choice: OptimizerChoice) -> dict[str, float]:
    """||Δw|| / ||w|| per weight matrix after one optimizer step on the current gradients."""
    before = {n: p.detach().clone() for n, p in model.named_parameters() if p.dim() >= 2}
    optimizer = make_optimizer(choice, [p for p in model.parameters() if p.requires_grad])
    optimizer.step()
    ratios = {}
    for name, param in model.named_parameters():
        if name in before and float(before[name].norm()) > 0:
            ratios[name] = float((param.detach() - before[name]).norm() / before[name].norm())
    return ratios


def probe_backward(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Gradient norms per layer, parameters without gradient, and one step's update ratio."""
    model, batch, device = _prepare(inputs, ctx)
    choice = optimizer_choice(inputs, ctx)
    ctx.progress(0.1, "backward pass")

    def run(m: nn.Module, b: Batch, d: torch.device
            ) -> tuple[tuple[float, str, dict[str, float], list[str], list[str]], dict[str, float]]:
        measured = _backward(m, b, d)
        return measured, _update_ratio(m, choice)

    (loss, kind, norms, none, zero), ratios = with_oom_fallback(run, model, batch, device, ctx,
                                                                "backward probe")
    missing = none + zero
    found = [Finding("grad.none_params", bool(missing),
                     f"{len(none)} parameters get no gradient and {len(zero)} a zero one: "
                     f"{', '.join(missing[:4])}" if missing else
                     "every trainable parameter gets a non-zero gradient",
                     {"none": none, "zero": zero, "loss": kind})]
    finite = {n: v for n, v in norms.items() if math.isfinite(v)}
    if len(finite) >= 2:
        names = list(finite)
        first, last = finite[names[0]], finite[names[-1]]
        ratio = first / last if last > 0 else math.inf
        found.append(Finding("grad.first_last_ratio", ratio,
                             f"gradient norm {first:.3g} at {names[0]} vs {last:.3g} at "
                             f"{names[-1]} ({kind} loss {loss:.4g})", {"per_layer": norms}))
    if norms:
        top = max(norms, key=norms.__getitem__)
        found.append(Finding("grad.norm_max", norms[top],
                             f"largest gradient norm {norms[top]:.3g} at {top}"))
    if ratios:
        median = statistics.median(ratios.values())
        found.append(Finding("update.ratio", median,
                             f"one {choice.describe()} step changes the weights by a median "
                             f"{median:.2g} of their norm over {len(ratios)} layers "
                             "(about 1e-3 is healthy)", {"per_layer": ratios}))
    return found


def _train(model: nn.Module, batch: Batch, device: torch.device, choice: OptimizerChoice,
           lr: float, steps: int, deadline: float, ctx: ProbeContext) -> list[float]:
    """Train on the one batch; return the loss per step (stops early at NaN or the deadline)."""
    model.train()
    optimizer = make_optimizer(choice, [p for p in model.parameters() if p.requires_grad], lr)
    losses: list[float] = []
    for _ in range(steps):
        ctx.check()
        optimizer.zero_grad(set_to_none=True)
        loss, _ = _forward_loss(model, batch, device)
        losses.append(float(loss.detach()))
        if not math.isfinite(losses[-1]) or time.monotonic() > deadline:
            break
        loss.backward()
        optimizer.step()
    return losses


def classify_overfit(losses: list[float]) -> tuple[str, str]:
    """Map a single-batch training curve to one of overfit.outcome's choices, with words."""
    values = np.array(losses, dtype=float)
    start = values[0]
    if not math.isfinite(start):
        return "explodes", "the loss is NaN/inf from the first step"
    bad = curves.first_non_finite(values)
    if bad is not None:
        return "explodes", f"the loss became NaN/inf at step {bad}"
    peak, end = float(values.max()), float(np.median(values[-3:]))
    scale = max(abs(start), 1e-12)
    if peak > OVERFIT_EXPLODED * scale:
        return "explodes", f"the loss grew from {start:.4g} to {peak:.4g}"
    if end < OVERFIT_REACHED * scale or abs(end) < curves.NEAR_ZERO:
        return "reaches_zero", f"the loss fell from {start:.4g} to {end:.4g}"
    shape = curves.classify_shape(values)
    if shape is not None and shape.oscillating:
        return "oscillates", f"the loss jumps around ({shape.noise:.0%} scatter), ends {end:.4g}"
    if end > start + curves.RISE_FRACTION * scale:
        return "goes_up", f"the loss rose from {start:.4g} to {end:.4g}"
    if (start - end) / scale < curves.PLATEAU_DROP:
        return "plateaus", f"the loss stays near {start:.4g} (ends {end:.4g})"
    return "decreases_slowly", f"the loss fell from {start:.4g} to only {end:.4g}"


def probe_overfit(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Train a copy of the model on the single batch and classify what the loss does."""
    model, batch, device = _prepare(inputs, ctx)
    choice = optimizer_choice(inputs, ctx)
    deadline = time.monotonic() + ctx.max_seconds
    ctx.progress(0.0, f"overfitting one batch with {choice.describe()}")

    def run(m: nn.Module, b: Batch, d: torch.device) -> list[float]:
        return _train(m, b, d, choice, choice.lr, OVERFIT_STEPS, deadline, ctx)

    losses = with_oom_fallback(run, model, batch, device, ctx, "overfit probe")
    outcome, words = classify_overfit(losses)
    ctx.progress(1.0, f"overfit test: {outcome}")
    return [Finding("overfit.outcome", outcome,
                    f"{words} in {len(losses)} steps on one batch of {batch.inputs.shape[0]} "
                    f"with {choice.describe()}", {"losses": losses})]


def probe_lr_sweep(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Train fresh copies on the batch for each lr of :data:`LR_GRID`; compare with the current."""
    _, batch, device = _prepare(inputs, ctx)
    choice = optimizer_choice(inputs, ctx)
    per_lr = ctx.max_seconds / len(LR_GRID)
    results: dict[float, float] = {}
    for index, lr in enumerate(LR_GRID):
        ctx.progress(index / len(LR_GRID), f"lr sweep: {lr:g}")
        seed()
        model = model_for(inputs, ctx)
        deadline = time.monotonic() + per_lr

        def run(m: nn.Module, b: Batch, d: torch.device, lr: float = lr,
                deadline: float = deadline) -> list[float]:
            return _train(m, b, d, choice, lr, SWEEP_STEPS, deadline, ctx)

        losses = with_oom_fallback(run, model, batch, device, ctx, "lr sweep")
        tail = losses[-3:]
        results[lr] = float(np.median(tail)) if all(math.isfinite(v) for v in tail) and \
            len(losses) > 1 else math.inf
    best = min(results, key=results.__getitem__)
    if not math.isfinite(results[best]):
        ctx.notes.append("lr sweep: every learning rate gave NaN/inf; no best lr")
        return []
    ratio = best / choice.lr
    table = ", ".join(f"{lr:g}→{loss:.3g}" for lr, loss in results.items())
    ctx.progress(1.0, f"best lr {best:g}")
    return [Finding("lr_sweep.best_over_current", ratio,
                    f"after {SWEEP_STEPS} steps on the batch the best lr is {best:g}, "
                    f"{ratio:g}× the current {choice.describe()}; final losses: {table}",
                    {"losses": results, "best": best, "current": choice.lr})]
