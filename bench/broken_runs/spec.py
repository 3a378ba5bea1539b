"""A broken (or healthy) training run, described as data: model, data, loss, optimizer, bug."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import ModelSpec

__all__ = ["Scenario"]


@dataclass(frozen=True)
class Scenario:
    """One training run with at most one injected bug.

    ``causes`` are the contract's cause ids the bug belongs to (empty for a healthy run);
    ``person`` holds what the user would truthfully answer about what they see and did,
    beyond what is derived from the configuration (see :mod:`.truth`).
    """

    id: str
    causes: tuple[str, ...]
    model: ModelSpec
    complaint: str
    bug: str  # one line: what was injected
    task: str = "blobs"
    task_kwargs: dict[str, Any] = field(default_factory=dict)
    n_train: int = 1024
    n_val: int = 256
    data_bug: str | None = None
    order: str = "shuffle"  # shuffle, sorted, single_class
    loss: str = "ce"  # ce, nll, neg_ce, log_probs_no_eps, kl, kl_probs, mse, mse_broadcast
    optimizer: str = "adam"  # adam, adamw, sgd
    lr: float = 1e-3
    momentum: float = 0.0
    weight_decay: float = 0.0
    decay_bias: bool = True  # weight decay also on biases / norm parameters
    train_only: str | None = None  # "head": the optimizer gets only the head's parameters
    schedule: str | None = None  # cosine, step
    epochs: int = 4
    batch_size: int = 32
    clip: float | None = None
    loss_scale: float = 1.0  # static loss scaling (fp16 runs), with no overflow check
    log_format: str = "csv"  # csv or jsonl
    eval_every: int | None = None  # steps; default: twice per epoch
    ckpt_key: str = "model"  # "model" or "state_dict" (Lightning style)
    person: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    max_nan_steps: int = 15  # a person stops the run soon after the loss turns NaN

    @property
    def healthy(self) -> bool:
        return not self.causes
