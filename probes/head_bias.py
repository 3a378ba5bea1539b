"""How large the output layer's bias gradients were, from Adam's second moment.

For a softmax or sigmoid head trained with cross-entropy, the gradient of the output bias is
the batch's mean of p − y: a batch that mixes its classes gives a few hundredths (the class
shares of a batch of 32 sway by √(p(1−p)/32)), while a batch that holds one class pushes that
class's bias by up to 1 − p and every other one by its p. Adam's √v̂ is that gradient's RMS over
the run, and it does not depend on the learning rate; the last parameter the optimizer holds is
the head's bias when the model registers its head last (``model.parameters()`` order).
"""

from __future__ import annotations

import math

import numpy as np

from dldoctor.engine.values import UNKNOWN

from .base import Finding
from .evidence import say
from .moments import MIN_STEPS, moment_arrays
from .optimizer_state import OptimizerInfo, map_params, trainable_candidates
from .weight_scan import TensorStats

__all__ = ["head_bias_findings"]

#: A head with more outputs than this is a vocabulary or a dense map, not a class count.
MAX_OUTPUTS = 1000


def head_bias_findings(info: OptimizerInfo, stats: list[TensorStats]) -> list[Finding]:
    """``optimizer.head_bias_grad_rms`` (and its ratio to the one-class-batch value): Adam's √v̂
    averaged over the head's bias, when the last
    two parameters the optimizer holds are a (n, k) weight and an n-vector with n < k (a layer
    narrowing to its outputs) and the state has :data:`MIN_STEPS` steps; nothing otherwise."""
    if info.kind != "adam" or len(info.entries) < 2:
        return []
    weight, bias = info.entries[-2], info.entries[-1]
    if weight.group != bias.group or bias.shape is None or len(bias.shape) != 1 or \
            weight.shape is None or len(weight.shape) != 2:
        return []
    outputs, width = weight.shape
    if bias.shape[0] != outputs or not outputs < width or outputs > MAX_OUTPUTS:
        return []
    _, v_hat, step = moment_arrays(bias, info.groups)
    if v_hat is None or step < MIN_STEPS or not np.isfinite(v_hat).all():
        return []
    rms = float(np.sqrt(np.mean(v_hat)))
    mapping, _ = map_params(info, trainable_candidates(stats))
    name = mapping.get(len(info.entries) - 1, "the last parameter")
    return [Finding("optimizer.head_bias_grad_rms", rms,
                    say("optimizer.head_bias_grad", rms=rms, name=name, n=outputs,
                        step=int(step))), _one_class_ratio(rms, outputs)]


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
