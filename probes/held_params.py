"""Which of the model's parameters the run's optimizer trains.

A fine-tune that freezes its body hands the optimizer only the head; the live checks must
train what the run trained, or a pretrained body at the head's learning rate makes the
one-batch test climb on a healthy run. The optimizer's state is matched to the checkpoint's
tensor names (:func:`.optimizer_state.map_params`); only an exact match is used.
"""

from __future__ import annotations

import copy
from typing import Any

from torch import nn

from dldoctor.errors import DldoctorError

from .base import Inputs, ProbeContext
from .checkpoints import load_checkpoint
from .models import WRAPPER_PREFIXES, fresh_model, has_trained_weights, load_model
from .moments import received_gradient
from .optimizer_state import OptimizerInfo, map_params, read_optimizer, trainable_candidates
from .weight_scan import scan_checkpoint_store

__all__ = ["held_parameters", "start_model", "train_only_held"]


def _one_optimizer(inputs: Inputs, ctx: ProbeContext) -> tuple[Any, OptimizerInfo] | None:
    """The checkpoint and the state of its one optimizer; None without a checkpoint, when it
    cannot be read, or when it holds no optimizer or several."""
    if inputs.checkpoint is None:
        return None
    try:
        checkpoint = load_checkpoint(inputs.checkpoint, inputs.trust, ctx)
    except DldoctorError:
        return None
    if checkpoint.optimizer is None or int(checkpoint.meta.get("optimizer_count", 1)) > 1:
        return None
    return checkpoint, read_optimizer(checkpoint.optimizer)


def held_parameters(model: nn.Module, inputs: Inputs, ctx: ProbeContext
                    ) -> frozenset[str] | None:
    """Names (the model's own) of the parameters the checkpoint's optimizer holds, when it
    holds fewer than the model has and they can be named exactly; None otherwise."""
    read = _one_optimizer(inputs, ctx)
    if read is None:
        return None
    checkpoint, info = read
    key = f"{checkpoint.path.resolve()}:{inputs.trust}"
    buffers = {name for name, _ in model.named_buffers()}
    candidates = [s for s in trainable_candidates(scan_checkpoint_store(key, checkpoint.store,
                                                                        ctx))
                  if not any(s.name == b or s.name.endswith("." + b) for b in buffers)]
    own = {name for name, p in model.named_parameters() if p.requires_grad}
    if not info.entries or len(info.entries) >= len(own):
        return None
    mapping, how = map_params(info, candidates)
    if len(mapping) != len(info.entries) or "approximate" in how:
        return None
    for prefix in ("", *WRAPPER_PREFIXES):
        names = {n[len(prefix):] for n in mapping.values() if n.startswith(prefix)}
        if len(names) == len(mapping) and names <= own:
            return frozenset(names)
    return None


def all_stepped(inputs: Inputs, ctx: ProbeContext, n_params: int) -> bool:
    """Whether the checkpoint's one optimizer holds ``n_params`` tensors and every one has
    state: each received a gradient from the run's own objective."""
    read = _one_optimizer(inputs, ctx)
    if read is None:
        return False
    entries = read[1].entries
    return len(entries) == n_params and \
        all(received_gradient(read[1].kind, e.state) for e in entries)


def train_only_held(model: nn.Module, held: frozenset[str] | None) -> nn.Module:
    """Freeze (in place, on a private copy) every parameter the run's optimizer did not hold."""
    if held is not None:
        for name, param in model.named_parameters():
            if name not in held:
                param.requires_grad_(False)
    return model


def start_model(inputs: Inputs, ctx: ProbeContext, held: frozenset[str] | None) -> nn.Module:
    """A private copy of the model as the run's training started: the factory's weights, and,
    when the optimizer held only some parameters, the checkpoint's values for the rest (and for
    every buffer outside the held modules): what the optimizer never touched is as it began.
    A frozen pretrained body is then measured pretrained, not as the factory's random one."""
    model = copy.deepcopy(fresh_model(inputs, ctx))
    if held is None or not has_trained_weights(inputs, ctx):
        return train_only_held(model, held)
    trained = load_model(inputs, ctx).state_dict()
    owners = {name.rsplit(".", 1)[0] for name in held}
    kept = {name: value for name, value in trained.items()
            if name not in held and name.rsplit(".", 1)[0] not in owners}
    model.load_state_dict(kept, strict=False)
    return train_only_held(model, held)
