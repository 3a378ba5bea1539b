"""Train mode against eval mode on the user's batch: ``metric.eval_mode_much_worse``,
``metric.batch_statistics_much_worse``, ``metric.tiny_batch_statistics_fit`` and
``metric.one_class_batch_statistics_fit``.

Only BatchNorm (and dropout) behave differently in the two modes. In train mode BatchNorm
normalises with the batch's own statistics; in eval mode with the running statistics it
gathered in training. A trained model that is much worse in eval mode on the same batch has
running statistics that do not describe the data: batches too small to estimate them,
statistics updated by something other than training batches, or a batch unlike the training
data. Measured on the checkpoint's weights, never on the factory's.

The other way round, a model far *worse* on a mixed batch's own statistics than on its
running ones learnt to work on the running statistics: its updates ran with BatchNorm
frozen — the loop left the model in eval mode after a validation pass.

A model trained on batches of one or two samples learnt to work on *those* statistics: fed
the same samples in train mode one (or two) at a time, it is far better than in eval mode,
while a model trained on usual batches is no better on a lone sample's statistics (which
wash out what tells the samples apart).
"""

from __future__ import annotations

import dataclasses
import math

import torch
from torch import nn

from .base import Finding
from .evidence import say
from .live_runtime import first_tensor
from .live_sweep import feed
from .losses import loss_for
from .models import Batch

__all__ = ["mode_gap_findings", "has_batchnorm", "micro_batch_log_finding",
           "micro_batch_log_findings"]

#: Eval mode is "much worse" when its loss is this many times the train-mode loss …
MUCH_WORSE_RATIO = 2.0
#: … and above it by at least this much (nats, or squared units): two tiny losses differ
#: by large ratios without meaning anything.
MUCH_WORSE_MARGIN = 0.25
#: Train-mode BatchNorm on fewer samples than this measures the batch, not the data.
MIN_SAMPLES = 8
#: The micro-batch sizes a model trained on tiny batches is fed in train mode.
TINY_BATCHES = (1, 2)
#: At most this many samples are fed one by one (the batch's first ones).
TINY_SAMPLES = 64
#: The log's training loss reads as micro-batch BatchNorm's when it lies within this factor
#: of the micro-batch loss (either way) …
LOGGED_AS_MICRO = 1.5
#: … and at least this many times the eval-mode loss on the same samples.
LOGGED_OVER_EVAL = 2.0
#: The log's training loss *matches* micro-batch BatchNorm's when it lies within this factor
#: of it (either way) …
MATCHES_MICRO = 1.1
#: … and both are at least this many times the eval-mode loss: a closer match carries a
#: smaller gap.
MATCH_OVER_EVAL = 1.3
#: … and where accuracy is measured, the micro-batches score at least this much above eval
#: mode: a lone sample's statistics must do far better, not a little (an over-confident model
#: loses loss in eval mode for reasons of its own).
TINY_ACCURACY_GAIN = 0.2


def has_batchnorm(model: nn.Module) -> bool:
    """Whether any module of the model is a BatchNorm layer."""
    return any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules())


def _loss(model: nn.Module, batch: Batch, device: torch.device) -> tuple[float, float | None]:
    """The loss on the batch, and the accuracy where the targets are class indices."""
    with torch.no_grad():
        output = first_tensor(model(feed(batch, device)), batch.targets)
        if output is None:
            raise ValueError("the model returned no tensor")
        return _score(output, batch)


def _tiny_batch_loss(model: nn.Module, batch: Batch, device: torch.device, size: int
                    ) -> tuple[float, float | None, int]:
    """The loss (and accuracy) over the batch fed in train mode ``size`` samples at a time:
    BatchNorm on each micro-batch's own statistics, as a run with that batch size trained;
    and the width of the output (the number of classes where accuracy is measured)."""
    n = min(len(batch.inputs), TINY_SAMPLES) // size * size
    inputs, targets = batch.inputs[:n], batch.targets[:n] if batch.targets is not None else None
    output = _fed_in_parts(model, batch, device, list(torch.arange(n).split(size)))
    loss, accuracy = _score(output, dataclasses.replace(batch, inputs=inputs, targets=targets))
    return loss, accuracy, int(output.shape[-1]) if output.dim() >= 2 else 1


def _fed_in_parts(model: nn.Module, batch: Batch, device: torch.device,
                  parts: list[torch.Tensor]) -> torch.Tensor:
    """The model's outputs on the batch's inputs fed one part (a tensor of row indices) at a
    time, in the model's current mode, joined in the parts' order."""
    outputs = []
    with torch.no_grad():
        for rows in parts:
            part = dataclasses.replace(batch, inputs=batch.inputs[rows], targets=None)
            output = first_tensor(model(feed(part, device)))
            if output is None:
                raise ValueError("the model returned no tensor")
            outputs.append(output)
    return torch.cat(outputs)


def _score(output: torch.Tensor, batch: Batch) -> tuple[float, float | None]:
    loss, _ = loss_for(output, batch.targets, batch.soft_logits, batch.classes_last)
    targets = batch.targets
    accuracy = None
    if targets is not None and not targets.is_floating_point() and output.dim() == 2 and \
            output.shape[0] == targets.shape[0] and output.shape[1] > 1:
        accuracy = float((output.argmax(1).cpu() == targets.cpu()).float().mean())
    return float(loss), accuracy


def _tiny_batch_finding(model: nn.Module, batch: Batch, device: torch.device,
                        eval_loss: float, eval_acc: float | None, train_loss: float
                        ) -> Finding | None:
    """``metric.tiny_batch_statistics_fit``: the model fed in train mode one or two samples at
    a time is much better than in eval mode (the same margin as the mode gap, and
    :data:`TINY_ACCURACY_GAIN` more accuracy where it is measured) and better than on the
    whole batch's statistics. Only for a plain (inputs, targets) batch; BatchNorm layers that
    refuse a micro-batch (a BatchNorm1d over one sample) skip that size."""
    if batch.parts is not None or batch.named:
        return None
    best: tuple[float, float | None, int, int] | None = None
    for size in TINY_BATCHES:
        try:
            loss, acc, classes = _tiny_batch_loss(model, batch, device, size)
        except (RuntimeError, ValueError):
            continue
        if math.isfinite(loss) and (best is None or loss < best[0]):
            best = (loss, acc, size, classes)
    if best is None:
        return None
    loss, acc, size, classes = best
    # a model trained on a sample or two at a time fits when fed so: its accuracy then is
    # well above a guess's, not just above an eval mode that is worse than guessing (a
    # model trained away from its labels, whose micro-batches normalise the input away)
    fits = eval_loss > MUCH_WORSE_RATIO * loss and eval_loss - loss > MUCH_WORSE_MARGIN and \
        loss < train_loss and \
        (acc is None or eval_acc is None or
         acc >= max(eval_acc, 1 / max(classes, 1)) + TINY_ACCURACY_GAIN)
    n = min(len(batch.inputs), TINY_SAMPLES)
    words = say("mode.tiny_batches", size=size, loss=loss, eval=eval_loss, n=n) \
        if acc is None or eval_acc is None else \
        say("mode.tiny_batches_acc", size=size, loss=loss, eval=eval_loss, acc=acc,
            eval_acc=eval_acc, n=n)
    return Finding("metric.tiny_batch_statistics_fit", fits, words,
                   {"size": size, "loss": loss, "eval_loss": eval_loss})


#: A class needs this many samples in the batch to be fed as a batch of its own …
ONE_CLASS_MIN = 4
#: … and at least this many classes must be so fed.
ONE_CLASS_MIN_CLASSES = 2


def _one_class_batch_finding(model: nn.Module, batch: Batch, device: torch.device,
                             eval_loss: float, eval_acc: float | None, train_loss: float
                             ) -> Finding | None:
    """``metric.one_class_batch_statistics_fit``: the trained model fed in train mode one
    class at a time (each class's samples of the batch as a batch of their own: BatchNorm on
    one class's statistics) is better than in eval mode and than on the mixed batch, by
    :data:`MUCH_WORSE_MARGIN` in loss and :data:`TINY_ACCURACY_GAIN` in accuracy —
    what a model trained on batches that each held one class learnt to use. A model trained on
    mixed batches gets worse so: one class's statistics normalise away what tells the classes
    apart. Only for class-index targets of a plain (inputs, targets) batch."""
    targets = batch.targets
    if batch.parts is not None or batch.named or targets is None or \
            targets.is_floating_point() or targets.dim() != 1 or eval_acc is None:
        return None
    classes = [c for c in torch.unique(targets).tolist()
               if int((targets == c).sum()) >= ONE_CLASS_MIN]
    if len(classes) < ONE_CLASS_MIN_CLASSES:
        return None
    parts = [torch.nonzero(targets == c).flatten() for c in classes]
    try:
        output = _fed_in_parts(model, batch, device, parts)
    except (RuntimeError, ValueError):
        return None
    if output.dim() != 2:
        return None
    index = torch.cat(parts)
    loss, acc = _score(output, dataclasses.replace(batch, inputs=batch.inputs[index],
                                                   targets=targets[index]))
    if acc is None or not math.isfinite(loss):
        return None
    fits = min(eval_loss, train_loss) - loss > MUCH_WORSE_MARGIN and \
        acc >= eval_acc + TINY_ACCURACY_GAIN
    return Finding("metric.one_class_batch_statistics_fit", fits,
                   say("mode.one_class_batches", k=len(classes), loss=loss, acc=acc,
                       eval=eval_loss, eval_acc=eval_acc, train=train_loss,
                       n=int(index.numel())))


def _bn_train_mode(model: nn.Module) -> None:
    """Eval mode but for the BatchNorm layers: their batch statistics alone, no dropout."""
    model.eval()
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.train()


def _mixed(batch: Batch) -> bool:
    """A batch whose class-index targets hold two classes or more (any other batch counts)."""
    targets = batch.targets
    if targets is None or targets.is_floating_point():
        return True
    return int(torch.unique(targets).numel()) >= 2


def _batch_statistics_finding(model: nn.Module, batch: Batch, device: torch.device,
                              eval_loss: float, eval_acc: float | None) -> Finding | None:
    """``metric.batch_statistics_much_worse``: with only its BatchNorm layers in train mode
    (dropout off), on a batch that mixes its classes, the trained model is much worse than
    in eval mode — by the margins of :data:`MUCH_WORSE_RATIO` and :data:`MUCH_WORSE_MARGIN`,
    and :data:`TINY_ACCURACY_GAIN` less accuracy where it is measured: its weights fit the
    running statistics and not a batch's own."""
    if not _mixed(batch):
        return None
    _bn_train_mode(model)
    loss, acc = _loss(model, batch, device)
    if not math.isfinite(loss):
        return None
    worse = loss > MUCH_WORSE_RATIO * eval_loss and loss - eval_loss > MUCH_WORSE_MARGIN and \
        (acc is None or eval_acc is None or acc <= eval_acc - TINY_ACCURACY_GAIN)
    words = say("mode.batch_stats", eval=eval_loss, train=loss, n=len(batch.inputs)) \
        if acc is None or eval_acc is None else \
        say("mode.batch_stats_acc", eval=eval_loss, train=loss, eval_acc=eval_acc,
            train_acc=acc, n=len(batch.inputs))
    return Finding("metric.batch_statistics_much_worse", worse, words,
                   {"eval_loss": eval_loss, "batch_stats_loss": loss})


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
        finite = math.isfinite(eval_loss) and math.isfinite(train_loss)
        tiny = _tiny_batch_finding(model, batch, device, eval_loss, eval_acc, train_loss) \
            if finite else None
        one_class = _one_class_batch_finding(model, batch, device, eval_loss, eval_acc,
                                             train_loss) if finite else None
        frozen = _batch_statistics_finding(model, batch, device, eval_loss, eval_acc) \
            if finite else None
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
                    {"eval_loss": eval_loss, "train_loss": train_loss}),
            *([tiny] if tiny is not None else []),
            *([one_class] if one_class is not None else []),
            *([frozen] if frozen is not None else [])]


def micro_batch_log_findings(found: list[Finding], logged: float | None) -> list[Finding]:
    """``bn.logged_loss_as_micro_batches`` (:func:`micro_batch_log_finding`) and
    ``bn.logged_loss_matches_micro_batches``: the log's training loss lies within
    :data:`MATCHES_MICRO` of what the trained model scores fed in train mode a sample or two at
    a time, both :data:`MATCH_OVER_EVAL` times its eval-mode loss or more — a model trained on
    usual batches is far worse fed so, and logs about its eval-mode loss (set 418's tilth CNN,
    micro-batches of 2: 0.893 logged, 0.871 fed two at a time, 0.605 in eval mode)."""
    micro = micro_batch_log_finding(found, logged)
    if micro is None or logged is None:
        return []
    tiny = next(f for f in found if f.fact == "metric.tiny_batch_statistics_fit")
    size, loss, eval_loss = (tiny.details[k] for k in ("size", "loss", "eval_loss"))
    matches = loss / MATCHES_MICRO <= logged <= loss * MATCHES_MICRO and \
        min(logged, loss) >= MATCH_OVER_EVAL * eval_loss
    return [micro, Finding("bn.logged_loss_matches_micro_batches", matches,
                           say("mode.logged_as_micro" if matches else "mode.logged_not_micro",
                               size=size, loss=loss, eval=eval_loss, logged=logged))]


def micro_batch_log_finding(found: list[Finding], logged: float | None) -> Finding | None:
    """``bn.logged_loss_as_micro_batches``: the training loss the log ends on is what the trained
    model scores fed in train mode a sample or two at a time (within :data:`LOGGED_AS_MICRO`)
    and :data:`LOGGED_OVER_EVAL` times what it scores in eval mode — the run trained on
    batches that small, and its training loss is BatchNorm's normalisation over them, not
    how well it fits (a model trained on usual batches logs about its eval-mode loss). None
    without the micro-batch measurement or a positive logged loss."""
    tiny = next((f for f in found if f.fact == "metric.tiny_batch_statistics_fit"), None)
    if tiny is None or logged is None or not math.isfinite(logged) or logged <= 0 or \
            not tiny.details:
        return None
    size, loss, eval_loss = (tiny.details[k] for k in ("size", "loss", "eval_loss"))
    if not (loss > 0 and eval_loss > 0):
        return None
    as_micro = loss / LOGGED_AS_MICRO <= logged <= loss * LOGGED_AS_MICRO and \
        logged >= LOGGED_OVER_EVAL * eval_loss and loss >= LOGGED_OVER_EVAL * eval_loss
    return Finding("bn.logged_loss_as_micro_batches", as_micro,
                   say("mode.logged_as_micro" if as_micro else "mode.logged_not_micro",
                       size=size, loss=loss, eval=eval_loss, logged=logged))
