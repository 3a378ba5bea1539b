"""A trial run: the user's training step on one batch, under the watcher, then again with
the fix the diagnosis proposes, so the fix is checked before anyone edits their code.

The runs are counted in steps and seeded, so the same inputs give the same curves. A fix is
applied from outside the user's step function (a zero_grad or train() before each step, a
changed optimizer setting, gradient clipping in an optimizer hook), never by editing it.
"""

from __future__ import annotations

import math
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import nn

from dldoctor.error_texts import err
from dldoctor.errors import InputError
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.probes.live_runtime import optimizer_choice, pick_device, seed
from dldoctor.probes.losses import loss_for
from dldoctor.probes.models import first_argument, import_factory, load_batch, model_for

from .recorder import Watcher
from .summaries import first_tensor

__all__ = ["TrialSpec", "Fix", "run_steps", "final_loss", "verdict", "pick_fix"]

StepFn = Callable[[nn.Module, torch.optim.Optimizer, torch.Tensor, Any], Any]
#: A fixed run must end at most this share of the broken run's final loss to count as
#: verified (a 10 % improvement at least).
VERIFY_RATIO = 0.9


def standard_step(model: nn.Module, optimizer: torch.optim.Optimizer, inputs: torch.Tensor,
                  targets: Any) -> torch.Tensor:
    """zero_grad, forward, the loss the live probes use, backward, step."""
    optimizer.zero_grad()
    output = first_tensor(model(inputs))
    if output is None:
        raise InputError(err("live.no_tensor"))
    loss, _ = loss_for(output, targets)
    loss.backward()
    optimizer.step()
    return loss.detach()


@dataclass(frozen=True)
class Fix:
    """A change applied around the user's step, for one cause."""

    cause: str
    text: str
    zero_grad: bool = False
    train_mode: bool = False
    lr: float | None = None
    clip: float | None = None
    momentum: float | None = None
    all_params: bool = False


@dataclass
class TrialSpec:
    """What a trial runs: the model, the batch, the step and optimizer, the seed."""

    inputs: Inputs
    step: StepFn = standard_step
    make_optimizer: Callable[[nn.Module], torch.optim.Optimizer] | None = None
    seed: int = 0
    ctx: ProbeContext = field(default_factory=ProbeContext)

    @classmethod
    def load(cls, inputs: Inputs, step: str | None, seed_value: int = 0) -> TrialSpec:
        """Resolve ``--step FILE.py:FUNC``; a ``make_optimizer(model)`` beside the step (or
        else beside the model factory) builds the optimizer."""
        spec = cls(inputs, seed=seed_value)
        homes = []
        if step is not None:
            func = import_factory(step)
            if not callable(func):
                raise InputError(err("trial.not_function", step=step, func=func))
            spec.step = func
            homes.append(func)
        if inputs.model is not None:
            homes.append(import_factory(inputs.model))
        for home in homes:
            module = sys.modules.get(getattr(home, "__module__", "") or "")
            maker = getattr(module, "make_optimizer", None)
            if callable(maker):
                spec.make_optimizer = maker
                break
        return spec

    def optimizer(self, model: nn.Module) -> torch.optim.Optimizer:
        if self.make_optimizer is not None:
            return self.make_optimizer(model)
        return torch_optimizer(optimizer_choice(self.inputs, self.ctx), model)


def torch_optimizer(choice: Any, model: nn.Module) -> torch.optim.Optimizer:
    """A real ``torch.optim`` optimizer with the checkpoint's settings (or Adam at 1e-3): a
    user's step may use ``param_groups``, ``zero_grad`` and hooks, which the live probes'
    plain update rule does not have (importing ``torch.optim`` costs a second; a trial runs
    hundreds of steps anyway)."""
    import torch.optim

    kinds: dict[str, Any] = {  # each takes lr and its own settings
        "adam": torch.optim.Adam, "sgd": torch.optim.SGD, "rmsprop": torch.optim.RMSprop,
        "adagrad": torch.optim.Adagrad}
    params = [p for p in model.parameters() if p.requires_grad]
    return kinds[choice.kind](params, lr=choice.lr, **choice.settings)


def _rebuilt(optimizer: torch.optim.Optimizer, model: nn.Module) -> torch.optim.Optimizer:
    """The same kind of optimizer, with the same settings, over every parameter."""
    settings = {k: v for k, v in optimizer.param_groups[0].items() if k != "params"}
    return type(optimizer)([p for p in model.parameters() if p.requires_grad], **settings)


def _clipper(optimizer: torch.optim.Optimizer, max_norm: float) -> Callable[..., None]:
    """An optimizer pre-step hook that clips the gradient norm of every parameter."""
    params = [p for g in optimizer.param_groups for p in g["params"]]

    def clip(*_: Any) -> None:
        torch.nn.utils.clip_grad_norm_(params, max_norm)

    return clip


def run_steps(spec: TrialSpec, steps: int, trace: Path, fix: Fix | None = None,
              every: int = 10) -> list[float]:
    """Run ``steps`` steps of the user's step on the batch under the watcher; the losses."""
    device = pick_device(spec.inputs)
    seed(spec.seed)
    model = model_for(spec.inputs, spec.ctx).to(device)
    batch = load_batch(Path(spec.inputs.batch or ""), first=first_argument(model))
    optimizer = spec.optimizer(model)
    if fix is not None and fix.all_params:
        optimizer = _rebuilt(optimizer, model)
    for group in optimizer.param_groups:
        if fix is not None and fix.lr is not None:
            group["lr"] = fix.lr
        if fix is not None and fix.momentum is not None and "momentum" in group:
            group["momentum"] = fix.momentum
    if fix is not None and fix.clip is not None:
        optimizer.register_step_pre_hook(_clipper(optimizer, fix.clip))
    x = batch.inputs.to(device)
    x = x if x.is_floating_point() or x.dtype == torch.long else x.float()
    y = batch.targets.to(device) if batch.targets is not None else None
    losses: list[float] = []
    with Watcher(model, optimizer, trace, every=every) as watcher:
        for _ in range(steps):
            if fix is not None and fix.zero_grad:
                optimizer.zero_grad()
            if fix is not None and fix.train_mode:
                model.train()
            loss = spec.step(model, optimizer, x, y)
            value = float(loss.detach()) if isinstance(loss, torch.Tensor) else float(loss)
            losses.append(value)
            watcher.log(loss=value, **({"targets": y} if y is not None else {}))
    return losses


def final_loss(losses: list[float]) -> float:
    """The median of the last tenth of the curve (NaN when it went non-finite)."""
    tail = losses[-max(1, len(losses) // 10):]
    if not tail or not all(math.isfinite(v) for v in tail):
        return math.nan
    return statistics.median(tail)


def verdict(before: list[float], after: list[float]) -> tuple[bool, float, float]:
    """Did the fixed run end clearly lower (or finite where the broken one was not)?"""
    x, y = final_loss(before), final_loss(after)
    if math.isnan(y):
        return False, x, y
    return (math.isnan(x) or y <= VERIFY_RATIO * x), x, y


def _sweep_best(session: Any) -> float | None:
    run = session.probe_runs.get("live.lr_sweep")
    for finding in run.findings if run else []:
        if finding.fact == "lr_sweep.best_over_current":
            best = finding.details.get("best")
            return float(best) if isinstance(best, int | float) else None
    return None


def pick_fix(cause: str, session: Any, current_lr: float) -> Fix | None:
    """The concrete fix for ``cause`` that a trial can apply, or None."""
    best = _sweep_best(session)
    if cause == "missing_zero_grad":
        return Fix(cause, "call optimizer.zero_grad() before every step", zero_grad=True)
    if cause == "train_in_eval_mode":
        return Fix(cause, "call model.train() before every step", train_mode=True)
    if cause == "lr_too_high":
        lr = best if best is not None and best < current_lr else current_lr / 10
        return Fix(cause, f"learning rate {current_lr:g} → {lr:g}", lr=lr)
    if cause == "lr_too_low":
        lr = best if best is not None and best > current_lr else current_lr * 10
        return Fix(cause, f"learning rate {current_lr:g} → {lr:g}", lr=lr)
    if cause == "exploding_gradients":
        return Fix(cause, "clip the gradient norm to 1.0 before each step", clip=1.0)
    if cause == "params_not_in_optimizer":
        return Fix(cause, "build the optimizer over every parameter", all_params=True)
    if cause == "sgd_without_momentum":
        return Fix(cause, "SGD momentum 0.9", momentum=0.9)
    return None
