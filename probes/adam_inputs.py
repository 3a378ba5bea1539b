"""The scale of a model's inputs, read from Adam's second moments in a checkpoint.

For a first linear layer ``y = W x + b`` the gradient of ``W[o, j]`` is ``δ_o · x_j`` and that
of ``b[o]`` is ``δ_o``; Adam keeps the running mean of each gradient's square (``exp_avg_sq``,
RMSprop ``square_avg``). Their ratio, ``v(W[o, j]) / v(b[o])``, is about the mean of ``x_j²``
over the recent batches: the root of its median over the outputs is the RMS of input column
``j`` — the inputs' scale, without the batch. Only a linear first layer is read: a
convolution's images need zero-centring only, which an RMS cannot tell from scaling; nor are
embedding tables (token ids, no bias) or a first layer behind a normalisation layer (whose
scale is the norm's, not the data's)."""

from __future__ import annotations

import math
import re

import numpy as np

from dldoctor.engine.values import UNKNOWN

from .base import Finding
from .evidence import say
from .moments import adam_step, float_array
from .optimizer_state import OptimizerInfo, map_params, trainable_candidates
from .weight_scan import TensorStats

__all__ = ["input_scale_findings", "training_columns", "column_shift_findings"]

_MOMENT = {"adam": "exp_avg_sq", "rmsprop": "square_avg"}
#: Inputs whose RMS is beyond these bounds are far from unit scale (a standardised feature
#: has RMS 1; pixels in [0, 1] about 0.5; raw 0-255 pixels about 100).
RMS_LOW, RMS_HIGH = 0.03, 8.0
#: L2 decay in the gradient whose square is above this share of the bias's moment (the
#: gradient a unit-scale input would give the weight) blurs the ratio.
L2_SHARE = 0.01
#: A first layer whose bias gradient RMS is under this share of Adam's eps is not read: its
#: gradients fade below what the ratio can resolve (a listwise loss's bias gradients cancel).
TINY_GRADIENT = 0.01
#: The fewest optimizer steps whose moments are trusted (fewer: the first batches only).
MIN_STEPS = 20


#: Saved input statistics a model applies before its first layer (not parameters).
_STATISTIC = re.compile(r"(^|[._])(x_|in_|input_|feat_|feature_)?(mean|std|var|scale|shift|"
                        r"center|centre|offset|mu|sigma)s?$", re.IGNORECASE)


#: Input columns of its own a linear layer behind embedding tables must read beside theirs.
OWN_COLUMNS = 2


def _first_layer(stats: list[TensorStats]) -> tuple[str, str] | None:
    """The checkpoint's first linear layer with a bias, as (weight, bias) names: its first
    parameter, or the one right after embedding tables (2-D weights without a bias) whose
    inputs are wider than the tables' widths together — the tables' vectors concatenated with
    numeric columns of its own (set 344's pig-gain model: pen and sire tables, then a layer
    reading them beside raw grams and days). None for anything else first (a normalisation
    layer, a recurrent layer, tables that alone feed what follows: a token model)."""
    names = {s.name for s in stats}
    # a model that standardises its inputs itself keeps the statistics first (x_mean, x_std)
    candidates = [s for s in trainable_candidates(stats)
                  if not (len(s.shape) <= 1 and _STATISTIC.search(s.name))]
    tables = 0  # the widths of the embedding tables read so far
    for s in candidates:
        # a recurrent layer's weight_ih, a class token or a norm layer's scale first means
        # the inputs reach no plain linear map first
        if not s.name.endswith("weight") or len(s.shape) != 2:
            return None
        bias = s.name.removesuffix("weight") + "bias"
        if bias not in names:
            tables += s.shape[1]  # an embedding table: (entries, width)
            continue
        if "emb" in s.name.lower() or (tables and s.shape[1] < tables + OWN_COLUMNS):
            return None
        return s.name, bias
    return None


def input_scale_findings(info: OptimizerInfo, stats: list[TensorStats]) -> list[Finding]:
    """``input.rms_from_optimizer``: the inputs' RMS as the first layer's Adam moments give it
    (median over input columns); nothing for another optimizer, a first layer that cannot be
    read, or too few steps."""
    read = _training_columns(info, stats)
    if read is None or isinstance(read, Finding):
        return [read] if read is not None else []
    layer, columns = read
    rms = float(math.sqrt(float(np.mean(columns ** 2))))
    if not math.isfinite(rms):
        return []
    off = not RMS_LOW <= rms <= RMS_HIGH
    return [Finding("input.rms_from_optimizer", rms,
                    say("adam_input.off" if off else "adam_input.ok", rms=rms, layer=layer,
                        n=int(columns.size), low=float(columns.min()),
                        high=float(columns.max())),
                    {"columns": [float(c) for c in columns[:64]]})]


def training_columns(info: OptimizerInfo, stats: list[TensorStats]
                     ) -> tuple[str, np.ndarray] | None:
    """The first linear layer's name and the RMS of each of its input columns over the
    training batches, as Adam's moments give them; None when they cannot be read."""
    read = _training_columns(info, stats)
    return None if read is None or isinstance(read, Finding) else read


def _training_columns(info: OptimizerInfo, stats: list[TensorStats]
                      ) -> tuple[str, np.ndarray] | Finding | None:
    """(first layer, each input column's RMS); a finding saying why they cannot be read,
    or None when there is nothing to read (another optimizer, no plain first layer, too few
    steps)."""
    key = _MOMENT.get(info.kind)
    layer = _first_layer(stats)
    if key is None or layer is None:
        return None
    mapping, _ = map_params(info, trainable_candidates(stats))
    index = {name: i for i, name in mapping.items()}
    if layer[0] not in index or layer[1] not in index:
        return None
    weight, bias = (info.entries[index[n]] for n in layer)
    step = weight.state.get("step")
    if step is not None and float(step.item() if hasattr(step, "item") else step) < MIN_STEPS:
        return None
    v_w, v_b = float_array(weight.state.get(key)), float_array(bias.state.get(key))
    if v_w is None or v_b is None or v_w.ndim != 2 or v_b.ndim != 1 or \
            v_w.shape[0] != v_b.shape[0]:
        return None
    live = v_b > 0
    if int(live.sum()) < 1 or not np.isfinite(v_w).all() or not np.isfinite(v_b).all():
        return Finding("input.rms_from_optimizer", UNKNOWN, say("adam_input.unread"))
    group = info.groups[weight.group] if weight.group < len(info.groups) else {}
    eps = group.get("eps")
    step_count = adam_step(weight.state)
    beta2 = float((group.get("betas") or (0.9, 0.999))[1])
    correction = 1 - beta2 ** step_count if step_count > 0 and key == "exp_avg_sq" else 1.0
    if isinstance(eps, int | float) and eps > 0 and correction > 0 and \
            math.sqrt(float(np.median(v_b)) / correction) < TINY_GRADIENT * eps:
        # gradients this far under eps are rounding and cancellation, not the inputs' scale
        return Finding("input.rms_from_optimizer", UNKNOWN, say("adam_input.tiny", eps=eps))
    decay = float(group.get("weight_decay") or 0.0)
    if decay > 0 and not group.get("decoupled_weight_decay"):
        # L2 added to the gradient: v(W) holds (λ·W)² beside (δ·x)², the ratio is no scale
        std = next((s.std for s in stats if s.name == layer[0]), 0.0)
        if (decay * std) ** 2 > L2_SHARE * float(np.median(v_b)):
            return Finding("input.rms_from_optimizer", UNKNOWN, say("adam_input.l2"))
    per = v_w[live] / v_b[live][:, None]
    return layer[0], np.sqrt(np.median(per, axis=0))  # each input column's RMS


#: A batch column whose RMS, over the training inputs' RMS of that column, is this many times
#: the median column's ratio (or a this-many-th of it) lies where training data were not.
COLUMN_OFF = 3.0
#: The fewest batch rows the column RMS is read from.
MIN_ROWS = 16


def column_shift_findings(inputs: np.ndarray, layer: str, train: np.ndarray
                          ) -> list[Finding]:
    """``input.column_off_training``: how far the batch's most displaced input column lies
    from where the training inputs were — its RMS over that column's training RMS (from
    Adam's moments), relative to the median column's same ratio (a common factor, the
    moments' batch averaging, cancels), as a factor ≥ 1 either way. A held-out batch drawn
    from the training distribution stays near 1 in every column; a validation set from
    other ranges (taper moulds beside container candles) has one column many times off.
    Nothing for a batch that is not a (rows, columns) table of the first layer's width."""
    if inputs.ndim != 2 or inputs.shape[1] != train.size or inputs.shape[0] < MIN_ROWS or \
            train.size < 2 or not np.isfinite(inputs).all():
        return []
    batch = np.sqrt(np.mean(inputs.astype(float) ** 2, axis=0))
    usable = (train > 1e-6) & (batch > 1e-6)
    if int(usable.sum()) < 2:
        return []
    ratio = batch[usable] / train[usable]
    relative = ratio / float(np.median(ratio))
    spread = np.maximum(relative, 1 / relative)
    worst = int(np.argmax(spread))
    column = int(np.flatnonzero(usable)[worst])
    value = float(spread[worst])
    return [Finding("input.column_off_training", value,
                    say("adam_input.column_off" if value >= COLUMN_OFF else
                        "adam_input.columns_on", column=column,
                        batch=float(batch[column]), train=float(train[column]),
                        times=value, layer=layer))]
