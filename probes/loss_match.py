"""Which loss did the run log? The trained model's probabilities on the batch, scored as the run
could have scored them, against the training loss the log ends on.

A model whose last step is a sigmoid gives values in (0, 1). Scored with ``BCELoss`` they cost
what they should; fed to ``BCEWithLogitsLoss`` (which applies its own sigmoid) every negative
costs at least ln 2 and every positive at least ln(1 + 1/e). When the log's training loss
matches the second and not the first, the run fed probabilities to a loss that wants logits.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from dldoctor.engine.values import UNKNOWN

from .base import Finding, Inputs, ProbeContext
from .evidence import Pct, say
from .log_probes import name_words, tail_level
from .logs import logged as logged_series
from .losses import is_binary, is_multi_hot

__all__ = ["batch_loss_findings", "loss_match_findings", "logged_end"]

#: The log "matches" a way of scoring when within this share of it (or this many nats: two
#: small losses of different batches differ by more than a tenth) …
MATCH = 0.1
MATCH_NATS = 0.02
#: … and "differs" from the other way by at least this share, and by this many times its
#: distance from the matching one (a multi-label tagger's logged 0.6869 against 0.6868 one
#: way and 0.554 the other: 19 % off, a thousand times further).
DIFFERS = 0.15
DIFFERS_RELATIVE = 3.0
#: Outputs that spread over less than this are one constant: which way the run read them
#: cannot be told from the loss (a near-zero constant costs about ln 2 either way).
CONSTANT_SPREAD = 0.05
#: Real-valued targets spread under this are one constant: no regression to score
BATCH_SPREAD_MIN = 1e-6


def logged_end(inputs: Inputs, ctx: ProbeContext, name: str = "loss",
               last: bool = False, mean: bool = False) -> float | None:
    """The loss the logs end on (median of the last tenth, at least 3 points): the training
    loss, or the series ``name``; ``last``: its last value (a per-epoch validation loss is
    the final model's, which the median of a short log's last three would lag behind);
    ``mean``: the mean of that tenth (a loss over few samples per step is skewed, its
    median low)."""
    loss = logged_series(inputs, ctx, name)
    if loss is None:
        return None
    finite = loss.values[np.isfinite(loss.values)]
    if finite.size < 3:
        return None
    if mean:
        return float(finite[-max(3, finite.size // 10):].mean())
    return float(finite[-1]) if last else tail_level(finite)


def loss_match_findings(output: torch.Tensor | None, targets: torch.Tensor | None,
                        inputs: Inputs, ctx: ProbeContext,
                        from_sigmoid: bool = False) -> list[Finding]:
    """``loss.logged_as_logits_of_probabilities``: the model's outputs on the batch are
    probabilities in (0, 1) against targets in [0, 1] (0/1 or soft), and the logged training
    loss matches them fed to a BCE that applies its own sigmoid, not BCE on them; nothing
    when unclear.
    ``from_sigmoid``: the model returns an ``nn.Sigmoid``'s output — probabilities by
    construction, however little they spread (a collapsed VAE's decoder)."""
    if output is None or targets is None or not output.is_floating_point() or \
            output.numel() != targets.numel() or not targets.numel():
        return []
    if (softmax := _softmax_over_multi_hot(output, targets, inputs, ctx)) is not None:
        return [softmax]
    p = output.detach().float().cpu().reshape(-1)
    y = targets.detach().float().cpu().reshape(-1)
    if not bool(torch.isfinite(p).all()) or p.min() < 0 or p.max() > 1 or \
            not _bce_targets(y):
        return []
    if float(p.max() - p.min()) < CONSTANT_SPREAD and not from_sigmoid:
        return []  # one value for every sample (an all-zero model): either reading costs ~ln 2
    # a reconstruction logged beside a KL is the part the outputs were scored by
    logged = _logged_loss(inputs, ctx, "recon") or _logged_loss(inputs, ctx)
    if logged is None:
        return []
    as_logits = float(F.binary_cross_entropy_with_logits(p, y))
    as_probs = float(F.binary_cross_entropy(p.clamp(1e-7, 1 - 1e-7), y))
    # a mean over every output, or a sum over each sample's outputs (reduction="sum" / B)
    per_sample = p.numel() // max(int(output.shape[0]), 1) if output.dim() else 1
    for scale in dict.fromkeys((1, per_sample)):
        value = _which(logged, as_logits * scale, as_probs * scale)
        if value is not None:
            return [Finding("loss.logged_as_logits_of_probabilities", value,
                            say("loss.match_logits" if value else "loss.match_probs",
                                logged=logged, as_logits=as_logits * scale,
                                as_probs=as_probs * scale, n=int(output.shape[0])))]
    return []


def _bce_targets(y: torch.Tensor) -> bool:
    """Targets a binary cross-entropy scores: 0/1, or soft labels in [0, 1] that are not all
    one value (a pitch tracker's Gaussian-blurred bins, smoothed labels)."""
    if is_binary(y):
        return True
    return bool(torch.isfinite(y).all()) and float(y.min()) >= 0 and float(y.max()) <= 1 and \
        float(y.max() - y.min()) > 0


def _softmax_over_multi_hot(output: torch.Tensor, targets: torch.Tensor, inputs: Inputs,
                            ctx: ProbeContext) -> Finding | None:
    """``loss.softmax_over_multi_hot``: multi-label targets (rows of 0/1, some with two 1s or
    more) and raw scores of their shape, where the logged training loss matches a softmax
    cross-entropy over the labels (``CrossEntropyLoss`` given the multi-hot rows) and not
    ``BCEWithLogitsLoss``; false for the reverse; None when the targets are not multi-hot,
    the outputs are probabilities, or the log matches neither."""
    y = targets.detach().float().cpu()
    if tuple(output.shape) != tuple(y.shape) or not is_multi_hot(y):
        return None
    z = output.detach().float().cpu()
    if not bool(torch.isfinite(z).all()) or (z.min() >= 0 and z.max() <= 1):
        return None
    logged = _logged_loss(inputs, ctx)
    if logged is None:
        return None
    softmax = float(-(y * F.log_softmax(z, 1)).sum(1).mean())
    per_label = float(F.binary_cross_entropy_with_logits(z, y))
    value = _which(logged, softmax, per_label)
    if value is None:
        return None
    return Finding("loss.softmax_over_multi_hot", value,
                   say("loss.match_softmax_multi_hot" if value else "loss.match_bce_multi_hot",
                       logged=logged, softmax=softmax, bce=per_label, k=int(y.shape[1]),
                       n=int(y.shape[0])))


def _logged_loss(inputs: Inputs, ctx: ProbeContext, name: str = "loss") -> float | None:
    """The training loss (or series ``name``) the log ends on, when it is a positive number."""
    logged = logged_end(inputs, ctx, name)
    return logged if logged is not None and math.isfinite(logged) and logged > 0 else None


def _which(logged: float, first: float, second: float) -> bool | None:
    """True when ``logged`` matches ``first`` and differs from ``second``, False for the
    reverse, None when it is unclear."""
    def matches(value: float) -> bool:
        return abs(logged - value) <= max(MATCH * value, MATCH_NATS)

    def differs(value: float, other: float) -> bool:
        gap = abs(logged - value)
        return gap >= DIFFERS * max(logged, value) and \
            gap >= DIFFERS_RELATIVE * abs(logged - other)

    if matches(first) and differs(second, first):
        return True
    if matches(second) and differs(first, second):
        return False
    return None


def batch_loss_findings(output: torch.Tensor | None, targets: torch.Tensor | None,
                        inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """``loss.batch_over_logged``: the task's own loss on the batch (cross-entropy against class
    indices; of MSE, L1 and Huber against real-valued targets the one nearest the log's), over
    the training loss the log ends on (the one its loss column names, when it names one).
    Far above 1 the log scored something easier than the
    task (the inputs against themselves, a detached copy, another head); nothing when the pair
    is not one of those two kinds or the log has no positive training loss. The log's side is the
    mean of its last tenth: a loss over few samples per step is skewed, its median low.
    ``loss.batch_over_val``: the same loss over the validation loss the log ends on — near 1,
    the batch scores like held-out data (a batch the model never trained on). With
    real-valued targets, last, ``loss.batch_unexplained_share`` (1 − R², log or not)."""
    if output is None or targets is None or not output.is_floating_point():
        return []
    z, y = output.detach().float().cpu(), targets.detach().cpu()
    spread = _unexplained_share(z, y)
    logged = logged_end(inputs, ctx, mean=True)
    if logged is None or logged <= 0:
        return [spread] if spread else []
    task = _task_loss(z, y, logged, _named_regression(inputs, ctx))
    if task is None:
        return [spread] if spread else []
    kind, value, classes = task
    n = int(output.shape[0]) if output.dim() else 1
    found = [Finding("loss.batch_over_logged", round(value / logged, 3),
                     say("loss.batch_over_logged", task=value, logged=logged, kind=kind, n=n),
                     {"task": value, "logged": logged, "kind": kind})]
    val = logged_end(inputs, ctx, "val_loss")
    found.append(Finding("loss.batch_over_val", round(value / val, 3),
                         say("loss.batch_over_val", task=value, val=val, kind=kind, n=n))
                 if val is not None and val > 0 else
                 Finding("loss.batch_over_val", UNKNOWN, say("val.no_loss")))
    if classes:
        guess = math.log(classes)
        found.append(Finding("loss.batch_task_over_guess", round(value / guess, 3),
                             say("loss.batch_task_over_guess", task=value, guess=guess,
                                 k=classes)))
        found.append(_over_label_entropy(targets, classes, logged))
    return found + ([spread] if spread else [])


#: Labels whose entropy is above this share of ln C are too even to tell what their shares
#: cost from what a uniform guess costs.
SHARES_DISTINCT = 0.95


def _over_label_entropy(targets: torch.Tensor, classes: int, logged: float) -> Finding:
    """``loss.logged_over_label_entropy``: the training loss the log ends on over the entropy
    of the batch's labels — what a model that learnt only the classes' shares (its output
    bias) pays. Near 1, the inputs told the model nothing about the labels; UNKNOWN when the
    labels are too even for their entropy to differ from ln C."""
    labels = targets.detach().cpu().reshape(-1).long()
    labels = labels[(labels >= 0) & (labels < classes)]
    counts = torch.bincount(labels, minlength=classes).double()
    shares = counts[counts > 0] / counts.sum()
    entropy = float(-(shares * shares.log()).sum())
    if entropy <= 0 or entropy > SHARES_DISTINCT * math.log(classes):
        return Finding("loss.logged_over_label_entropy", UNKNOWN,
                       say("loss.labels_too_even", k=classes))
    return Finding("loss.logged_over_label_entropy", round(logged / entropy, 3),
                   say("loss.logged_over_label_entropy", logged=logged, h=entropy,
                       top=Pct(float(shares.max())), k=classes, guess=math.log(classes)))


def _real_valued_pair(z: torch.Tensor, y: torch.Tensor) -> bool:
    """Outputs that line up one-to-one with real-valued, non-binary targets that vary."""
    return y.is_floating_point() and z.numel() == y.numel() and not is_binary(y) and \
        not float(y.std()) < BATCH_SPREAD_MIN


def _unexplained_share(z: torch.Tensor, y: torch.Tensor) -> Finding | None:
    """``loss.batch_unexplained_share``: the trained model's mean squared error on the batch's
    real-valued targets over their variance (1 − R²: 0 predicts them exactly, 1 no better
    than their mean), whatever their scale; None for class labels, binary or constant
    targets, or outputs that do not line up with them."""
    if y.numel() < 2 or not _real_valued_pair(z, y) or not bool(torch.isfinite(z).all()) or \
            not bool(torch.isfinite(y).all()):
        return None
    z, y = z.reshape(-1).double(), y.double().reshape(-1)
    variance = float(y.var(unbiased=False))
    if variance <= 0:
        return None
    share = float(F.mse_loss(z, y)) / variance
    return Finding("loss.batch_unexplained_share", round(share, 4),
                   say("loss.batch_unexplained_share", share=share, r2=1.0 - share,
                       n=int(y.numel())))


#: The regression losses a log's column can name (Huber first: ``smooth_l1`` holds ``l1``).
_NAMED_REGRESSION = (("Huber", name_words(r"huber|smooth_?l1")),
                     ("MSE", name_words(r"mse|l2|squared_?error")),
                     ("L1", name_words(r"mae|l1|abs_?error")))


def _named_regression(inputs: Inputs, ctx: ProbeContext) -> str | None:
    """The regression loss the log's training (else validation) loss column names, if any."""
    for name in ("loss", "val_loss"):
        series = logged_series(inputs, ctx, name)
        if series is None:
            continue
        column = series.column.lower()
        for kind, pattern in _NAMED_REGRESSION:
            if pattern.search(column):
                return kind
    return None


def _task_loss(z: torch.Tensor, y: torch.Tensor, logged: float, named: str | None = None
               ) -> tuple[str, float, int] | None:
    """(the loss's name, the loss of outputs ``z`` against targets ``y``, the classes over
    the class axis — 0 for a regression), or None when they are no class-index or
    real-valued pair or the outputs are not finite. Class indices are scored by a
    cross-entropy; real-valued targets by the one of MSE, L1 and Huber the log ``named``,
    else by whichever lies nearest the ``logged`` training loss: the least of them when
    all three lie above it, so a batch ten times the log is ten times by every measure."""
    if not bool(torch.isfinite(z).all()) or not z.numel() or not y.numel():
        return None
    if not y.is_floating_point() and z.dim() == y.dim() + 1 and z.dim() >= 2:
        last = z.shape[:-1] == y.shape
        if not last and z.movedim(1, -1).shape[:-1] != y.shape:
            return None  # no class axis lines up with the targets (CTC's (N, T, C) and (N, S))
        k = int(z.shape[-1]) if last else int(z.shape[1])
        if k < 2:
            return None
        logits = z.reshape(-1, k) if last else z.movedim(1, -1).reshape(-1, k)
        labels = y.reshape(-1).long()
        keep = labels != -100
        if not bool(keep.any()) or int(labels[keep].min()) < 0 or int(labels[keep].max()) >= k:
            return None
        logits, labels = logits[keep], labels[keep]
        if bool((logits >= 0).all()) and bool(((logits.sum(1) - 1).abs() < 1e-3).all()):
            logits = logits.clamp_min(1e-12).log()  # probabilities: scored as their logs
        return "cross-entropy", float(F.cross_entropy(logits, labels)), k
    if not _real_valued_pair(z, y):
        return None
    z, y = z.reshape(-1), y.float().reshape(-1)
    scores = {"MSE": float(F.mse_loss(z, y)), "L1": float(F.l1_loss(z, y)),
              "Huber": float(F.smooth_l1_loss(z, y))}
    name = named if named in scores else \
        min(scores, key=lambda k: (abs(math.log(max(scores[k], 1e-30) / logged)), k))
    return name, scores[name], 0
