"""What every live probe shares: device choice, seeding, threads, the clock, the loss, the
optimizer, OOM fallback."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import torch
from torch import nn

from dldoctor.errors import ProbeError

from .base import Inputs, ProbeContext
from .checkpoints import load_checkpoint
from .evidence import say
from .live_optim import PlainOptimizer
from .losses import loss_for
from .models import Batch
from .optimizer_state import OptimizerInfo, read_optimizer

__all__ = ["pick_device", "seed", "first_tensor", "fits_targets", "loss_for", "OptimizerChoice",
           "optimizer_choice", "make_optimizer", "with_oom_fallback", "DEFAULT_LR",
           "OverBudget", "Clock", "steady", "SMALL_MODEL"]

DEFAULT_LR = 1e-3
#: Models with fewer parameters than this run their live checks on one CPU thread: faster
#: for small matrices, and the same float results whatever the number of cores.
SMALL_MODEL = 2_000_000
T = TypeVar("T")


class OverBudget(ProbeError):
    """A live check ran past ``--probe-budget``: its facts are not measured."""


class Clock:
    """The wall-time safety limit of one live check; it can only abort, never decide."""

    def __init__(self, ctx: ProbeContext, what: str) -> None:
        """``what`` names the check by its message key (``what.sweep`` …)."""
        self.ctx, self.what = ctx, what
        self.deadline = time.monotonic() + ctx.max_seconds

    def tick(self) -> None:
        """Raise :class:`Cancelled` on a cancel, :class:`OverBudget` past the limit."""
        self.ctx.check()
        if time.monotonic() > self.deadline:
            raise OverBudget(say("note.over_budget", what=say(self.what),
                                 seconds=float(self.ctx.max_seconds)))


@contextmanager
def steady(model: nn.Module, device: torch.device) -> Iterator[None]:
    """Seed torch and, for a small model on the CPU, use one thread while the check runs."""
    seed()
    small = device.type == "cpu" and sum(p.numel() for p in model.parameters()) < SMALL_MODEL
    threads = torch.get_num_threads()
    if small:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if small:
            torch.set_num_threads(threads)


def pick_device(inputs: Inputs) -> torch.device:
    if inputs.device == "cuda" or (inputs.device == "auto" and torch.cuda.is_available()):
        return torch.device("cuda")
    return torch.device("cpu")


def seed(value: int = 0) -> None:
    torch.manual_seed(value)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(value)


def first_tensor(output: Any, targets: torch.Tensor | None = None) -> torch.Tensor | None:
    """The logits of a model's output: the tensor itself, ``output.logits``, or the first one
    — of several (a multi-task model's ``(hour, season_logits)``), the first that fits
    ``targets`` when they are given (:func:`fits_targets`)."""
    if isinstance(output, torch.Tensor):
        return output
    if isinstance(output, dict):
        for key in ("logits", "output", "out", "y"):
            if isinstance(output.get(key), torch.Tensor):
                return output[key]
        output = list(output.values())
    logits = getattr(output, "logits", None)
    if isinstance(logits, torch.Tensor):
        return logits
    if isinstance(output, list | tuple):
        tensors = [o for o in output if isinstance(o, torch.Tensor)]
        if targets is not None:
            fitting = next((o for o in tensors if fits_targets(o, targets)), None)
            if fitting is not None:
                return fitting
        return tensors[0] if tensors else None
    return None


def fits_targets(output: torch.Tensor, targets: torch.Tensor) -> bool:
    """Whether ``output`` is what ``targets`` score, row for row whatever the number of rows
    (half a batch is scored against the whole batch's targets' layout): class scores
    (·, K ≥ 2) for class indices (·,), or the targets' own shape past the rows for anything
    else."""
    if not output.is_floating_point() or not output.dim() or not targets.dim():
        return False
    if not targets.is_floating_point() and targets.dim() == 1:
        return output.dim() == 2 and output.shape[1] >= 2
    return tuple(output.shape[1:]) == tuple(targets.shape[1:])


#: The source of a choice whose rate the check raised tenfold (see ``live_probes._transfer``).
SCALED = "scaled"


@dataclass(frozen=True)
class OptimizerChoice:
    """The optimizer settings a live check uses, and where they came from."""

    kind: str
    lr: float
    settings: dict[str, Any]
    source: str

    def describe(self) -> str:
        """``sgd lr=0.5 (the checkpoint's optimizer settings)``, sayable in Chinese."""
        where = ("choice.default" if self.source.startswith("default") else
                 "choice.scaled" if self.source == SCALED else
                 "choice.peak" if "peak lr" in self.source else
                 "choice.warmup" if "warm-up" in self.source else
                 "choice.initial" if "before the schedule" in self.source else "choice.ckpt")
        return say(where, kind=self.kind, lr=self.lr)


def _positive(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and \
        math.isfinite(value) and value > 0


def _warmup_unfinished(group: dict[str, Any], inputs: Inputs, ctx: ProbeContext) -> bool:
    """The schedule has the rate below its ``initial_lr`` and the log's learning rate climbs
    to its very end: the run never trained at the rate it warmed up to, only up to the one
    the checkpoint holds now."""
    current: Any = group.get("lr")
    initial: Any = group.get("initial_lr")
    if not (_positive(current) and _positive(initial)) or not inputs.logs or current >= initial:
        return False
    from .log_probes import logged_warmup_unfinished  # reads the log only when it can matter

    return logged_warmup_unfinished(inputs, ctx)


def optimizer_choice(inputs: Inputs, ctx: ProbeContext) -> OptimizerChoice:
    """The checkpoint's optimizer settings when it has them, else Adam lr=1e-3."""
    if inputs.checkpoint is not None:
        checkpoint = load_checkpoint(inputs.checkpoint, inputs.trust, ctx)
        if checkpoint.optimizer is not None:
            info = read_optimizer(checkpoint.optimizer)
            group = info.groups[0] if info.groups else {}
            if info.kind in ("adam", "sgd", "rmsprop", "adagrad") and "lr" in group:
                keep = {"adam": ("betas", "eps", "weight_decay", "decoupled_weight_decay"),
                        "sgd": ("momentum", "weight_decay", "nesterov", "dampening"),
                        "rmsprop": ("alpha", "eps", "momentum", "weight_decay", "centered"),
                        "adagrad": ("eps", "weight_decay", "lr_decay")}[info.kind]
                settings = {k: group[k] for k in keep if k in group}
                settings.update(_decays_by_dimension(info))
                # OneCycleLR keeps its peak as max_lr (its initial_lr is max_lr / 25): the
                # rate the run trained at, not the warm-up's first one
                peak = group.get("max_lr")
                if not (isinstance(peak, int | float) and not isinstance(peak, bool)
                        and math.isfinite(peak) and peak > 0):
                    peak = None
                lr = float(peak or group.get("initial_lr") or group["lr"])
                if not peak and _warmup_unfinished(group, inputs, ctx):
                    return OptimizerChoice(info.kind, float(group["lr"]), settings,
                                           "the checkpoint's optimizer settings, the rate its "
                                           "unfinished warm-up reached")
                if lr > 0:
                    source = "the checkpoint's optimizer settings" + \
                        (", the schedule's peak lr" if peak else
                         ", lr before the schedule" if "initial_lr" in group else "")
                    return OptimizerChoice(info.kind, lr, settings, source)
    return OptimizerChoice("adam", DEFAULT_LR, {}, "default Adam lr=1e-3, no optimizer state")


def _decays_by_dimension(info: OptimizerInfo) -> dict[str, float]:
    """The weight decays of a run that keeps one-dimensional parameters (biases, norm
    scales) in param groups of their own, read from the shapes in the optimizer state:
    ``weight_decay`` of the others and ``flat_weight_decay`` of those (the largest of their
    groups each); empty when every parameter shares one decay or the shapes are unknown."""
    if len(info.groups) < 2:
        return {}
    found: dict[bool, set[float]] = {True: set(), False: set()}
    for entry in info.entries:
        if entry.shape is None or not 0 <= entry.group < len(info.groups):
            continue
        decay = info.groups[entry.group].get("weight_decay") or 0.0
        if isinstance(decay, int | float) and not isinstance(decay, bool) and \
                math.isfinite(decay):
            found[len(entry.shape) <= 1].add(float(decay))
    if not found[True] or not found[False] or found[True] == found[False]:
        return {}
    return {"weight_decay": max(found[False]), "flat_weight_decay": max(found[True])}


def make_optimizer(choice: OptimizerChoice, params: Any,
                   lr: float | torch.Tensor | None = None) -> PlainOptimizer:
    """The choice's update rule on ``params`` (no ``torch.optim``: it imports ``_dynamo``)."""
    return PlainOptimizer(choice.kind, list(params), choice.lr if lr is None else lr,
                          choice.settings)


def _is_oom(exc: BaseException) -> bool:
    oom = getattr(torch.cuda, "OutOfMemoryError", None)
    return (oom is not None and isinstance(exc, oom)) or "out of memory" in str(exc).lower()


def with_oom_fallback(run: Callable[[nn.Module, Batch, torch.device], T], model: nn.Module,
                      batch: Batch, device: torch.device, ctx: ProbeContext, what: str) -> T:
    """Run on ``device``; after a CUDA out-of-memory retry with half the batch, then on CPU."""
    if device.type != "cuda":
        return run(model.to(device), batch, device)
    try:
        return run(model.to(device), batch, device)
    except RuntimeError as exc:
        if not _is_oom(exc):
            raise
    torch.cuda.empty_cache()
    half = batch.head(max(1, batch.inputs.shape[0] // 2))
    try:
        result = run(model.to(device), half, device)
        ctx.notes.append(say("note.oom_half", what=say(what), n=int(half.inputs.shape[0])))
        return result
    except RuntimeError as exc:
        if not _is_oom(exc):
            raise
    torch.cuda.empty_cache()
    ctx.notes.append(say("note.oom_cpu", what=say(what)))
    cpu = torch.device("cpu")
    return run(model.to(cpu), batch, cpu)
