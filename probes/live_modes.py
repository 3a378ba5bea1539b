"""Train mode against eval mode on the user's batch: ``metric.eval_mode_much_worse``.

Only BatchNorm (and dropout) behave differently in the two modes. In train mode BatchNorm
normalises with the batch's own statistics; in eval mode with the running statistics it
gathered in training. A trained model that is much worse in eval mode on the same batch has
running statistics that do not describe the data: batches too small to estimate them,
statistics updated by something other than training batches, or a batch unlike the training
data. Measured on the checkpoint's weights, never on the factory's.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from .base import Finding
from .evidence import say
from .live_runtime import first_tensor
from .live_sweep import feed
from .losses import loss_for
from .models import Batch

__all__ = ["mode_gap_findings", "has_batchnorm"]

#: Eval mode is "much worse" when its loss is this many times the train-mode loss …
MUCH_WORSE_RATIO = 2.0
#: … and above it by at least this much (nats, or squared units): two tiny losses differ
#: by large ratios without meaning anything.
MUCH_WORSE_MARGIN = 0.25
#: Train-mode BatchNorm on fewer samples than this measures the batch, not the data.
MIN_SAMPLES = 8


def has_batchnorm(model: nn.Module) -> bool:
    """Whether any module of the model is a BatchNorm layer."""
    return any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules())


def _loss(model: nn.Module, batch: Batch, device: torch.device) -> tuple[float, float | None]:
    """The loss on the batch, and the accuracy where the targets are class indices."""
    with torch.no_grad():
        output = first_tensor(model(feed(batch, device)))
        if output is None:
            raise ValueError("the model returned no tensor")
        loss, _ = loss_for(output, batch.targets, batch.soft_logits, batch.classes_last)
    targets = batch.targets
    accuracy = None
    if targets is not None and not targets.is_floating_point() and output.dim() == 2 and \
            output.shape[0] == targets.shape[0] and output.shape[1] > 1:
        accuracy = float((output.argmax(1).cpu() == targets.cpu()).float().mean())
    return float(loss), accuracy


def mode_gap_findings(model: nn.Module, batch: Batch, device: torch.device) -> list[Finding]:
    """``metric.eval_mode_much_worse`` for a trained model with BatchNorm: its loss on the batch
    in eval mode against train mode (the running statistics put back as saved afterwards).
    Nothing for a model without BatchNorm or a batch too small to judge."""
    if not has_batchnorm(model) or batch.targets is None or len(batch.inputs) < MIN_SAMPLES:
        return []
    was_training = model.training
    # a train-mode pass folds the batch into BatchNorm's running statistics: keep them as saved
    saved = {name: buf.clone() for name, buf in model.named_buffers()}
    try:
        model.eval()
        eval_loss, eval_acc = _loss(model, batch, device)
        model.train()
        train_loss, train_acc = _loss(model, batch, device)
    finally:
        with torch.no_grad():
            for name, buf in model.named_buffers():
                buf.copy_(saved[name])
        model.train(was_training)
    if not (math.isfinite(eval_loss) and math.isfinite(train_loss)):
        return []
    worse = eval_loss > MUCH_WORSE_RATIO * train_loss and \
        eval_loss - train_loss > MUCH_WORSE_MARGIN
    words = say("mode.gap", eval=eval_loss, train=train_loss, n=len(batch.inputs)) \
        if eval_acc is None or train_acc is None else \
        say("mode.gap_acc", eval=eval_loss, train=train_loss, eval_acc=eval_acc,
            train_acc=train_acc, n=len(batch.inputs))
    return [Finding("metric.eval_mode_much_worse", worse, words,
                    {"eval_loss": eval_loss, "train_loss": train_loss})]
