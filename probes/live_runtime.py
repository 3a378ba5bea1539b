"""What every live probe shares: device choice, seeding, the loss, the optimizer, OOM fallback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import torch
from torch import nn

from .base import Inputs, ProbeContext
from .checkpoints import load_checkpoint
from .evidence import say
from .losses import loss_for
from .models import Batch
from .optimizer_state import read_optimizer

__all__ = ["pick_device", "seed", "first_tensor", "loss_for", "OptimizerChoice",
           "optimizer_choice", "make_optimizer", "with_oom_fallback", "DEFAULT_LR"]

DEFAULT_LR = 1e-3
T = TypeVar("T")


def pick_device(inputs: Inputs) -> torch.device:
    if inputs.device == "cuda" or (inputs.device == "auto" and torch.cuda.is_available()):
        return torch.device("cuda")
    return torch.device("cpu")


def seed(value: int = 0) -> None:
    torch.manual_seed(value)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(value)


def first_tensor(output: Any) -> torch.Tensor | None:
    """The logits of a model's output: the tensor itself, ``output.logits``, or the first one."""
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
        return next((o for o in output if isinstance(o, torch.Tensor)), None)
    return None


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
                 "choice.initial" if "before the schedule" in self.source else "choice.ckpt")
        return say(where, kind=self.kind, lr=self.lr)


def optimizer_choice(inputs: Inputs, ctx: ProbeContext) -> OptimizerChoice:
    """The checkpoint's optimizer settings when it has them, else Adam lr=1e-3."""
    if inputs.checkpoint is not None:
        checkpoint = load_checkpoint(inputs.checkpoint, inputs.trust, ctx)
        if checkpoint.optimizer is not None:
            info = read_optimizer(checkpoint.optimizer)
            group = info.groups[0] if info.groups else {}
            if info.kind in ("adam", "sgd", "rmsprop", "adagrad") and "lr" in group:
                keep = {"adam": ("betas", "eps", "weight_decay"),
                        "sgd": ("momentum", "weight_decay", "nesterov", "dampening"),
                        "rmsprop": ("alpha", "eps", "momentum", "weight_decay", "centered"),
                        "adagrad": ("eps", "weight_decay", "lr_decay")}[info.kind]
                settings = {k: group[k] for k in keep if k in group}
                lr = float(group.get("initial_lr") or group["lr"])
                if lr > 0:
                    source = "the checkpoint's optimizer settings" + \
                        (", lr before the schedule" if "initial_lr" in group else "")
                    return OptimizerChoice(info.kind, lr, settings, source)
    return OptimizerChoice("adam", DEFAULT_LR, {}, "default Adam lr=1e-3, no optimizer state")


def make_optimizer(choice: OptimizerChoice, params: Any, lr: float | None = None
                   ) -> torch.optim.Optimizer:
    classes: dict[str, Callable[..., torch.optim.Optimizer]] = {
        "adam": torch.optim.AdamW if choice.settings.get("weight_decay") else torch.optim.Adam,
        "sgd": torch.optim.SGD, "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad,
    }
    return classes[choice.kind](params, lr=choice.lr if lr is None else lr, **choice.settings)


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
        ctx.notes.append(f"{what}: CUDA ran out of memory; used half the batch "
                         f"({half.inputs.shape[0]} samples)")
        return result
    except RuntimeError as exc:
        if not _is_oom(exc):
            raise
    torch.cuda.empty_cache()
    ctx.notes.append(f"{what}: CUDA ran out of memory even with half the batch; ran on the CPU")
    cpu = torch.device("cpu")
    return run(model.to(cpu), batch, cpu)
