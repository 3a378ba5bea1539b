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

from dldoctor.engine.values import UNKNOWN
from dldoctor.errors import ProbeError
from dldoctor.numbers import num

from . import curves
from .base import Finding, Inputs, ProbeContext
from .evidence import Pct, Said, Times, say
from .live_forward import (
    ForwardRun,
    activation_findings,
    input_findings,
    label_findings,
    run_forward,
)
from .live_gradients import GradientReport, gradient_findings, measure_gradients
from .live_output import output_findings, shape_findings, spread_findings
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
from .live_structure import dropout_findings, init_findings
from .models import Batch, batch_for, fresh_model, has_trained_weights, model_for

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


#: Errors a user's model or an unusual batch can raise inside a live check; the check then
#: reports its facts as unknown instead of failing.
_RUN_ERRORS = (ProbeError, RuntimeError, ValueError, IndexError, TypeError)


def _cannot_run(facts: tuple[str, ...], what: str, exc: BaseException, ctx: ProbeContext
                ) -> list[Finding]:
    """Every fact of a check that could not run, as UNKNOWN, with the reason in the notes."""
    reason = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    reason = " ".join(str(reason).split())[:200]
    ctx.notes.append(f"{what} could not run: {reason}")
    return [Finding(fact, UNKNOWN, f"{what} could not run: {reason}") for fact in facts]


def _output_facts(run: ForwardRun, batch: Batch) -> list[Finding]:
    last = run.layers[-1] if run.layers else None
    return [*output_findings(run.output, (last.name, last.module) if last else None,
                             batch.targets),
            *shape_findings(run.output, batch)]


def probe_forward(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Inputs, labels, per-layer activations, the output, module structure and fresh init."""
    model, batch, device = _prepare(inputs, ctx)
    ctx.progress(0.1, "forward pass with hooks")
    model.train()
    found = [*input_findings(batch), *init_findings(fresh_model(inputs, ctx))]
    try:
        run = with_oom_fallback(run_forward, model, batch, device, ctx, "forward probe")
    except _RUN_ERRORS as exc:
        return found + label_findings(batch) + _cannot_run(
            ("output.activation_after_logits", "forward.non_finite"), "the forward pass", exc,
            ctx)
    if run.fed_as_float:
        ctx.notes.append("the model rejected the raw integer inputs; the forward probe fed "
                         "them as float")
    ctx.progress(1.0, "forward pass done")
    modules = [(r.name, r.module) for r in run.layers]
    trained = spread_findings(run.output, batch) if has_trained_weights(inputs, ctx) else []
    return [*found, *label_findings(batch, run.output), *activation_findings(run),
            *_output_facts(run, batch), *trained, *dropout_findings(modules)]


_BACKWARD_FACTS = ("grad.none_params", "grad.zero_params", "grad.first_last_ratio")


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
    """Gradients per layer; parameters without, with a zero or with a frozen gradient; one
    step's update ratio; for recurrent models the gradient across time steps."""
    model, batch, device = _prepare(inputs, ctx)
    choice = optimizer_choice(inputs, ctx)
    ctx.progress(0.1, "backward pass")

    def run(m: nn.Module, b: Batch, d: torch.device
            ) -> tuple[GradientReport, dict[str, float]]:
        report = measure_gradients(m, lambda net: _forward_loss(net, b, d))
        return report, _update_ratio(m, choice)

    try:
        report, ratios = with_oom_fallback(run, model, batch, device, ctx, "backward probe")
    except _RUN_ERRORS as exc:
        return _cannot_run(_BACKWARD_FACTS, "the backward pass", exc, ctx)
    found = gradient_findings(report)
    if ratios:
        median = statistics.median(ratios.values())
        found.append(Finding("update.ratio", median,
                             say("update.ratio", choice=choice.describe(), median=median,
                                 n=len(ratios)), {"per_layer": ratios}))
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


def classify_overfit(losses: list[float]) -> tuple[str, Said]:
    """Map a single-batch training curve to one of overfit.outcome's choices, with words."""
    values = np.array(losses, dtype=float)
    start = values[0]
    if not math.isfinite(start):
        return "explodes", say("overfit.nan_at_start")
    bad = curves.first_non_finite(values)
    if bad is not None:
        return "explodes", say("overfit.nan_at", step=bad)
    peak, end = float(values.max()), float(np.median(values[-3:]))
    scale = max(abs(start), 1e-12)
    if peak > OVERFIT_EXPLODED * scale:
        return "explodes", say("overfit.grew", a=float(start), b=peak)
    if end < OVERFIT_REACHED * scale or abs(end) < curves.NEAR_ZERO:
        return "reaches_zero", say("overfit.fell", a=float(start), b=end)
    shape = curves.classify_shape(values)
    if shape is not None and shape.oscillating:
        return "oscillates", say("overfit.jumps", share=Pct(shape.noise), b=end)
    if end > start + curves.RISE_FRACTION * scale:
        return "goes_up", say("overfit.rose", a=float(start), b=end)
    if (start - end) / scale < curves.PLATEAU_DROP:
        return "plateaus", say("overfit.stays", a=float(start), b=end)
    return "decreases_slowly", say("overfit.fell_slowly", a=float(start), b=end)


def probe_overfit(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Train a copy of the model on the single batch and classify what the loss does."""
    model, batch, device = _prepare(inputs, ctx)
    choice = optimizer_choice(inputs, ctx)
    deadline = time.monotonic() + ctx.max_seconds
    ctx.progress(0.0, f"overfitting one batch with {choice.describe()}")

    def run(m: nn.Module, b: Batch, d: torch.device) -> list[float]:
        return _train(m, b, d, choice, choice.lr, OVERFIT_STEPS, deadline, ctx)

    try:
        losses = with_oom_fallback(run, model, batch, device, ctx, "overfit probe")
    except _RUN_ERRORS as exc:
        return _cannot_run(("overfit.outcome",), "the single-batch overfit test", exc, ctx)
    outcome, words = classify_overfit(losses)
    ctx.progress(1.0, f"overfit test: {outcome}")
    return [Finding("overfit.outcome", outcome,
                    say("overfit.outcome", words=words, n=len(losses),
                        size=int(batch.inputs.shape[0]), choice=choice.describe()),
                    {"losses": losses})]


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

        try:
            losses = with_oom_fallback(run, model, batch, device, ctx, "lr sweep")
        except _RUN_ERRORS as exc:
            return _cannot_run(("lr_sweep.best_over_current",), "the lr sweep", exc, ctx)
        tail = losses[-3:]
        results[lr] = float(np.median(tail)) if all(math.isfinite(v) for v in tail) and \
            len(losses) > 1 else math.inf
    best = min(results, key=results.__getitem__)
    if not math.isfinite(results[best]):
        ctx.notes.append("lr sweep: every learning rate gave NaN/inf; no best lr")
        return []
    ratio = best / choice.lr if choice.lr > 0 else math.inf
    table = ", ".join(f"{num(lr)}→{num(loss)}" for lr, loss in results.items())
    ctx.progress(1.0, f"best lr {best:g}")
    return [Finding("lr_sweep.best_over_current", ratio,
                    say("lr_sweep.best", steps=SWEEP_STEPS, best=best, ratio=Times(ratio),
                        choice=choice.describe(), table=table),
                    {"losses": results, "best": best, "current": choice.lr})]
