"""How large the output layer's bias gradients were, from Adam's second moment.

For a softmax or sigmoid head trained with cross-entropy, the gradient of the output bias is
the batch's mean of p − y: a batch that mixes its classes gives a few hundredths (the class
shares of a batch of 32 sway by √(p(1−p)/32)), while a batch that holds one class pushes that
class's bias by up to 1 − p and every other one by its p. Adam's √v̂ is that gradient's RMS over
the run, and it does not depend on the learning rate; the last parameter the optimizer holds is
the head's bias when the model registers its head last (``model.parameters()`` order).

A softmax head is recognised by its first moment: each batch's bias gradient, mean(p − y), sums
to zero over the classes (both p and y sum to one), so Adam's m̂ — a weighted sum of those
gradients — sums to zero too, whatever the layer's shape. A sigmoid or regression head has no
such identity. For that head the one-class ratio measures how many labels a batch mixed: a batch
drawn at random from the data gives RMS² = (1 − Σπ²)/(K·B), batches of c labels each
(1 − Σπ²)/(K·c), so (√(K−1)/K ÷ RMS)² is the batch's effective count of labels — the batch size
when the data are shuffled, a handful when the loader walks data grouped by label.
"""

from __future__ import annotations

import math

import numpy as np

from dldoctor.engine.values import UNKNOWN

from .base import Finding, Inputs, ProbeContext
from .evidence import say, whole
from .moments import MIN_STEPS, float_array, moment_arrays
from .optimizer_state import OptimizerInfo, ParamEntry, map_params, trainable_candidates
from .weight_scan import TensorStats

__all__ = ["head_bias_findings", "labels_share_finding", "bias_over_loss_bound"]

#: A head with more outputs than this is a vocabulary or a dense map, not a class count.
MAX_OUTPUTS = 1000
#: |Σ m̂| over Σ |m̂| at or under this: the bias's gradients summed to zero over the classes
#: (float rounding leaves ~1e-7; a sigmoid head's K per-class means leave about 1/√K).
SOFTMAX_SUM = 1e-3


def head_bias_findings(info: OptimizerInfo, stats: list[TensorStats]) -> list[Finding]:
    """:func:`_head_bias_findings`, with ``optimizer.head_bias_over_one_step`` unknown where
    no softmax head's bias was read (rules that weigh it read its absence as "not beyond")."""
    found = _head_bias_findings(info, stats) if info.kind == "adam" else \
        _momentum_over_one_step(info) if info.kind == "sgd" else []
    if not any(f.fact == "optimizer.head_bias_over_one_step" for f in found):
        found.append(Finding("optimizer.head_bias_over_one_step", UNKNOWN,
                             say("optimizer.head_bias_no_bound")))
    return found


def _head_pair(info: OptimizerInfo) -> tuple[ParamEntry, ParamEntry, int, int] | None:
    """The optimizer's last two parameters as a head's (n, k) weight and n-vector bias (in
    one param group): (weight, bias, n, k); None for any other ending."""
    if len(info.entries) < 2:
        return None
    weight, bias = info.entries[-2], info.entries[-1]
    if weight.group != bias.group or bias.shape is None or len(bias.shape) != 1 or \
            weight.shape is None or len(weight.shape) != 2:
        return None
    outputs, width = weight.shape
    if bias.shape[0] != outputs or outputs > MAX_OUTPUTS:
        return None
    return weight, bias, outputs, width


def _momentum_over_one_step(info: OptimizerInfo) -> list[Finding]:
    """``optimizer.head_bias_over_one_step`` from SGD's momentum buffer: the buffer is
    Σ μʲ (1 − dampening) g, so one mean-reduced cross-entropy gradient a step bounds its RMS by
    (1 − dampening) √(2/K) / (1 − μ). Only for a softmax head (the buffer sums to zero over the
    classes), momentum above 0 and no weight decay on the head (which adds λ·b to each
    gradient); nothing otherwise."""
    pair = _head_pair(info)
    if pair is None:
        return []
    _, bias, outputs, _ = pair
    group = info.groups[bias.group] if bias.group < len(info.groups) else {}
    momentum, damping = group.get("momentum", 0), group.get("dampening", 0)
    if not all(isinstance(v, int | float) and not isinstance(v, bool)
               for v in (momentum, damping)) or not 0 < momentum < 1 or \
            group.get("weight_decay", 0) or outputs < 2:
        return []
    buffer = float_array(bias.state.get("momentum_buffer"))
    share = _sum_share(buffer)
    if buffer is None or share is None or share > SOFTMAX_SUM or damping >= 1:
        return []
    rms = float(np.sqrt(np.mean(buffer ** 2))) * (1 - momentum) / (1 - damping)
    return [_over_one_step(rms, outputs, share, momentum)]


def _head_bias_findings(info: OptimizerInfo, stats: list[TensorStats]) -> list[Finding]:
    """``optimizer.head_bias_grad_rms`` (and its ratio to the one-class-batch value): Adam's √v̂
    averaged over the head's bias, when the last two parameters the optimizer holds are a (n, k)
    weight and an n-vector — with n < k (a layer narrowing to its outputs) or, for a wider
    layer, a bias whose m̂ sums to zero (a softmax head) — and the state has :data:`MIN_STEPS`
    steps; nothing otherwise. A softmax head adds ``optimizer.head_bias_labels_per_batch``
    and ``optimizer.head_bias_over_one_step``."""
    pair = _head_pair(info)
    if pair is None:
        return []
    _, bias, outputs, width = pair
    m_hat, v_hat, step = moment_arrays(bias, info.groups)
    if v_hat is None or step < MIN_STEPS or not np.isfinite(v_hat).all():
        return []
    share = _sum_share(m_hat)
    softmax = share is not None and share <= SOFTMAX_SUM
    if not (outputs < width or softmax):
        return []
    rms = float(np.sqrt(np.mean(v_hat)))
    mapping, _ = map_params(info, trainable_candidates(stats))
    name = mapping.get(len(info.entries) - 1, "the last parameter")
    found = [Finding("optimizer.head_bias_grad_rms", rms,
                     say("optimizer.head_bias_grad", rms=rms, name=name, n=outputs,
                         step=int(step))), _one_class_ratio(rms, outputs)]
    if softmax and share is not None and outputs >= 3 and rms > 0:
        found.append(_labels_per_batch(rms, outputs, share))
    if softmax and share is not None and outputs >= 2:
        found.append(_over_one_step(rms, outputs, share))
    return found


# A one-output head's bias gradient is bounded by the loss it comes from: the batch's mean of
# p − y under a sigmoid (|g| ≤ 1), of 2·(ŷ − y) under a squared error (|g| ≤ 2·√MSE, by
# Cauchy–Schwarz), of sign(ŷ − y) under L1 (|g| ≤ 1); Adam's √v̂, a weighted RMS of those
# gradients over the run, stays under max(1, 2·√L) for the largest training loss L the log
# records. The rules read three times over it as a sum of several gradients a step (sets 347
# and 358, zero_grad() once an epoch: 5.3 and 5.9; one-output heads of 137 other runs: 2.0 at
# most, a recurrent state carried between chunks).


def bias_over_loss_bound(info: OptimizerInfo, found: list[Finding],
                         peak: float | None) -> Finding:
    """``optimizer.head_bias_over_loss_bound``: a one-output head's bias gradient RMS (Adam's
    √v̂, from ``found``) over max(1, 2·√``peak``), ``peak`` the largest training loss the log
    records (positive: a loss that goes below 0 is neither an error nor a cross-entropy);
    unknown without both or for a head of more outputs (rules that weigh it read its absence
    as "not beyond")."""
    rms = next((f.value for f in found if f.fact == "optimizer.head_bias_grad_rms"), None)
    pair = _head_pair(info)
    if not isinstance(rms, float) or pair is None or pair[2] != 1 or peak is None or \
            not math.isfinite(peak) or peak <= 0:
        return Finding("optimizer.head_bias_over_loss_bound", UNKNOWN,
                       say("optimizer.head_bias_no_loss_bound"))
    bound = max(1.0, 2.0 * math.sqrt(peak))
    return Finding("optimizer.head_bias_over_loss_bound", rms / bound,
                   say("optimizer.head_bias_over_bound", rms=rms, bound=bound, peak=peak,
                       ratio=rms / bound))


def _over_one_step(rms: float, outputs: int, share: float,
                   momentum: float | None = None) -> Finding:
    """``optimizer.head_bias_over_one_step``: the softmax head bias's gradient RMS over the
    most one backward pass of a mean-reduced cross-entropy can give it, √(2/K). Each sample's
    p − y lies between two points of the simplex, so Σₖ(pₖ − yₖ)² ≤ 2, and a batch's mean (class
    weights and label smoothing included) stays inside that bound; Adam's v̂ averages squares
    that each obey it (``momentum``: read from SGD's buffer instead). Above 1, the gradients
    were summed — over steps whose .grad was never cleared, micro-batches accumulated without
    dividing, or a loss summed or scaled up."""
    bound = math.sqrt(2 / outputs)
    key = "optimizer.head_bias_over_one_step" if momentum is None else \
        "optimizer.head_bias_momentum_over_one_step"
    return Finding("optimizer.head_bias_over_one_step", rms / bound,
                   say(key, rms=rms, k=outputs, bound=bound, ratio=rms / bound, share=share,
                       momentum=momentum))


def _sum_share(m_hat: np.ndarray | None) -> float | None:
    """|Σ m̂| / Σ |m̂| of a bias's Adam first moment (about 0 for a softmax head's, whose
    gradients sum to zero over the classes); None for a missing, non-finite or zero one."""
    if m_hat is None or not np.isfinite(m_hat).all():
        return None
    total = float(np.abs(m_hat).sum())
    return abs(float(m_hat.sum())) / total if total > 0 else None


def _labels_per_batch(rms: float, outputs: int, share: float) -> Finding:
    """``optimizer.head_bias_labels_per_batch``: (√(K−1)/K ÷ RMS)², the number of labels a
    batch drawn at random would have to hold to give the measured RMS — the batch size for
    shuffled data, a few for data grouped by label (``share``: the first moment's
    |Σ m̂| / Σ |m̂| that marks the head a softmax's)."""
    labels = (math.sqrt(outputs - 1) / outputs / rms) ** 2
    return Finding("optimizer.head_bias_labels_per_batch", labels,
                   say("optimizer.head_bias_labels", labels=labels, k=outputs, rms=rms,
                       share=share), {"classes": outputs})


#: A batch file this short says little about how many samples a training step took.
MIN_BATCH = 8


def labels_share_finding(found: list[Finding], inputs: Inputs, ctx: ProbeContext,
                         batch_size: float | None) -> Finding | None:
    """``optimizer.head_bias_labels_share``: the labels a training batch held (from the
    softmax head's bias) over the samples it held — about 1 when the data were shuffled, far
    under it when the loader walked them grouped by label. Only when the batch file's targets
    are one class index per sample (a sequence loss summing over positions has no such count);
    the batch size is the run's own where it was saved, else the batch file's length."""
    labels = next((f for f in found if f.fact == "optimizer.head_bias_labels_per_batch"), None)
    if labels is None or inputs.batch is None:
        return None
    from .models import batch_for

    targets = batch_for(inputs, ctx).targets
    classes = int(labels.details.get("classes", 0))
    if targets is None or targets.dim() != 1 or targets.is_floating_point() or \
            targets.numel() < MIN_BATCH or int(targets.min()) < 0 or \
            int(targets.max()) >= classes:
        return None
    size = float(batch_size) if batch_size else float(targets.numel())
    share = float(labels.value) / size
    return Finding("optimizer.head_bias_labels_share", share,
                   say("optimizer.head_bias_labels_share", labels=float(labels.value),
                       size=whole(size), share=share,
                       source=say("optimizer.batch_saved" if batch_size
                                  else "optimizer.batch_file")))


def _one_class_ratio(rms: float, outputs: int) -> Finding:
    """``optimizer.head_bias_one_class_ratio``: the bias gradient's RMS over the one a softmax
    head near a guess gets from batches of one class each, √(K−1)/K — the batch's class pushed
    by (K−1)/K one step in K, every other one by 1/K the rest of the time; unknown under three
    outputs (a sigmoid head's one or two bias values have no such value)."""
    if outputs < 3:
        return Finding("optimizer.head_bias_one_class_ratio", UNKNOWN,
                       say("optimizer.head_bias_few_outputs", n=outputs))
    one_class = math.sqrt(outputs - 1) / outputs
    return Finding("optimizer.head_bias_one_class_ratio", rms / one_class,
                   say("optimizer.head_bias_one_class", rms=rms, k=outputs, value=one_class,
                       ratio=rms / one_class))
