"""What the model's output on the batch says: an activation on the logits (from the module
list or from the values), probabilities, softmax over the wrong dimension, the logit scale,
and an output shape that differs from the targets' shape.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from dldoctor.engine.values import UNKNOWN

from .base import Finding
from .evidence import Pct, say
from .losses import in_unit_interval, is_binary
from .models import Batch

__all__ = ["output_findings", "range_findings", "shape_findings", "spread_findings",
           "one_class_findings",
           "LOGIT_STD_LARGE", "OUT_OF_RANGE_SHARE", "RELU_ZERO_SHARE", "TANH_SATURATED_SHARE"]

#: Logits with a std above this saturate the softmax.
LOGIT_STD_LARGE = 10.0
#: An output with this share of exact zeros and no negatives went through a ReLU.
RELU_ZERO_SHARE = 0.2
#: Outputs within [-1, 1] with this share beyond ±0.95 went through a tanh.
TANH_SATURATED_SHARE = 0.1

_ACTIVATIONS = (nn.ReLU, nn.ReLU6, nn.Sigmoid, nn.Tanh, nn.Hardtanh, nn.Softplus)


def _rows_sum_to_one(probs: torch.Tensor) -> bool:
    return bool(torch.allclose(probs.sum(1), torch.ones(probs.shape[0]), atol=1e-3))


def _value_activation(out: torch.Tensor) -> str | None:
    """The activation the values of a multi-class output betray, or None for raw logits."""
    values = out[torch.isfinite(out)]
    if values.numel() >= 8 and bool((values == 1.0).all()):
        # exactly 1.0 everywhere: a sigmoid saturated (pushed toward targets beyond 1), not
        # logits — a score layer's values are never all one float
        return f"a saturated sigmoid (all {values.numel()} outputs are exactly 1)"
    if values.numel() < 2 or float(values.std()) == 0.0:
        return None  # a constant output says nothing
    zeros = float((values == 0).float().mean())
    if bool((values >= 0).all()) and zeros >= RELU_ZERO_SHARE:
        return f"ReLU ({zeros:.0%} of the outputs are exactly 0 and none is negative)"
    if in_unit_interval(values) and not _rows_sum_to_one(out) and \
            not (out.shape[0] > 1 and bool(torch.allclose(out.sum(0), torch.ones(out.shape[1]),
                                                          atol=1e-3))):
        return (f"sigmoid (all {values.numel()} outputs lie in [0, 1] and the rows do not "
                "sum to 1)")
    saturated = float((values.abs() > 0.95).float().mean())
    if bool((values.abs() <= 1).all()) and saturated >= TANH_SATURATED_SHARE:
        return f"tanh (all outputs lie in [-1, 1], {saturated:.0%} beyond ±0.95)"
    return None


#: Leaf modules whose output is raw scores: returned untouched, they are logits.
_SCORE_LAYERS = (nn.Linear, nn.Bilinear, nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Embedding)


def _raw_scores(last: tuple[str, nn.Module] | None, raw: bool) -> bool:
    """The model returned its last score layer's output untouched: logits, whatever range."""
    return raw and last is not None and isinstance(last[1], _SCORE_LAYERS)


def _within_range(activation: nn.Module, out: torch.Tensor) -> bool:
    """Whether the model's output lies in the range its last activation module gives (a
    tanh's [−1, 1], a ReLU's [0, ∞)): the output may be that module's, rescaled at most by
    an op outside modules. Outside it, the output was computed after the activation (a tower
    ending in tanh whose scaled cosine similarity is returned): the module is not the end."""
    values = out.detach().float()
    values = values[torch.isfinite(values)]
    if not values.numel():
        return True
    low, high = float(values.min()), float(values.max())
    if isinstance(activation, nn.Sigmoid):
        return low >= 0.0 and high <= 1.0
    if isinstance(activation, nn.Tanh | nn.Hardtanh):
        return low >= -1.0 and high <= 1.0
    return low >= 0.0  # ReLU, ReLU6, Softplus


def _activation_after_logits(run_last: tuple[str, nn.Module] | None, out: torch.Tensor,
                             class_targets: bool, raw: bool = False) -> Finding:
    fact = "output.activation_after_logits"
    if run_last is not None and isinstance(run_last[1], _ACTIVATIONS) and \
            (raw or _within_range(run_last[1], out)):
        kind = type(run_last[1]).__name__
        if not class_targets:  # a Sigmoid into BCELoss or MSE on [0, 1] targets is right
            return Finding(fact, UNKNOWN, say("out.ends_with_other", kind=kind,
                                              layer=run_last[0]))
        return Finding(fact, True, say("out.ends_with", kind=kind, layer=run_last[0]))
    if run_last is not None and _raw_scores(run_last, raw):
        return Finding(fact, False, say("out.last_layer_raw", layer=run_last[0]))
    if in_unit_interval(out) and _rows_sum_to_one(out):
        if class_targets:  # CrossEntropyLoss applies its own softmax, NLLLoss wants logs
            return Finding(fact, True, say("out.probs_class"))
        return Finding(fact, UNKNOWN, say("out.probs_other"))
    by_values = _value_activation(out)
    if by_values is not None and (class_targets or by_values.startswith("ReLU")):
        return Finding(fact, True, say("out.went_through", what=by_values))
    if by_values is not None:
        return Finding(fact, UNKNOWN, say("out.looks_like", what=by_values))
    return Finding(fact, False, say("out.logits"))


def _is_probability(out: torch.Tensor, targets: torch.Tensor | None = None) -> Finding:
    """``output.is_probability``: every output in [0, 1] — unless float targets of the same
    size leave [0, 1] (a regression head whose early outputs happen to lie there: a GRU-D's
    forecasts in [0.003, 0.36] against targets in [−3.6, 3.0] are no probabilities)."""
    fact = "output.is_probability"
    if not in_unit_interval(out):
        return Finding(fact, False, say("out.outside_01"))
    if out.dim() == 2 and out.shape[1] > 1 and _rows_sum_to_one(out):
        return Finding(fact, True, say("out.softmax_rows"))
    if targets is not None and targets.is_floating_point() and \
            targets.numel() == out.numel() and not in_unit_interval(targets.detach().float()):
        finite = targets.detach().float()
        finite = finite[torch.isfinite(finite)]
        if finite.numel():
            return Finding(fact, False, say("out.regression_in_01", n=int(out.numel()),
                                            low=float(finite.min()), high=float(finite.max())))
    return Finding(fact, True, say("out.in_01", n=int(out.numel())))


def _is_softmax(out: torch.Tensor) -> Finding:
    """``output.is_softmax``: probabilities over two or more classes whose rows sum to 1."""
    fact = "output.is_softmax"
    if out.dim() == 2 and out.shape[1] > 1 and in_unit_interval(out) and _rows_sum_to_one(out):
        return Finding(fact, True, say("out.softmax_rows"))
    return Finding(fact, False, say("out.not_softmax"))


def _softmax_dim(out: torch.Tensor) -> Finding:
    """Probabilities (or log-probabilities) that sum to 1 down columns instead of rows."""
    fact = "output.softmax_wrong_dim"
    for probs, label in ((out, "softmax"), (out.exp(), "log_softmax")):
        if not bool(torch.isfinite(probs).all()) or bool((probs < 0).any()):
            continue
        rows = _rows_sum_to_one(probs)
        cols = bool(torch.allclose(probs.sum(0), torch.ones(out.shape[1]), atol=1e-3))
        if rows:
            return Finding(fact, False, say("out.over_classes", what=label))
        if cols and out.shape[0] > 1:
            return Finding(fact, True, say("out.over_batch", what=label))
    return Finding(fact, False if math.isfinite(float(out.abs().max())) else UNKNOWN,
                   say("out.not_normalised"))


def _sums_to_one_over(probs: torch.Tensor, dim: int) -> bool:
    total = probs.sum(dim)
    return bool(torch.allclose(total, torch.ones_like(total), atol=1e-3))


def _softmax_dim_nd(out: torch.Tensor) -> Finding | None:
    """A 3-D or larger output normalised over its first axis — the batch, or the time of a
    ``(T, B, C)`` sequence output (CTC) — and over neither axis classes sit on (dim 1 of
    ``(N, C, H, W)``, the last of ``(T, B, C)`` / ``(N, T, C)``); None when it is no
    (log-)probability at all."""
    fact = "output.softmax_wrong_dim"
    for probs, label in ((out, "softmax"), (out.exp(), "log_softmax")):
        if not bool(torch.isfinite(probs).all()) or bool((probs < 0).any()):
            continue
        if _sums_to_one_over(probs, -1) or _sums_to_one_over(probs, 1):
            return Finding(fact, False, say("out.over_classes", what=label))
        if out.shape[0] > 1 and _sums_to_one_over(probs, 0):
            return Finding(fact, True, say("out.over_first_axis", what=label,
                                           n=int(out.shape[0]), shape=tuple(out.shape)))
    return None


def _dense_class_rows(out: torch.Tensor, targets: torch.Tensor | None) -> torch.Tensor | None:
    """A dense prediction's per-position class scores as rows — ``(N, C, H, W)`` against
    integer targets ``(N, H, W)``, or ``(N, T, C)`` against ``(N, T)`` — so that what holds
    for one sample's scores holds for each position's; None when the targets are no class map
    of the output's layout (no targets, float targets, a mask of the output's own shape)."""
    if targets is None or targets.is_floating_point() or targets.dtype == torch.bool:
        return None
    shape = tuple(targets.shape)
    if shape == tuple(out.shape[:1]) + tuple(out.shape[2:]):
        axis = 1
    elif shape == tuple(out.shape[:-1]):
        axis = out.dim() - 1
    else:
        return None
    if out.shape[axis] < 2:
        return None
    return out.movedim(axis, -1).reshape(-1, out.shape[axis])


def output_findings(output: torch.Tensor | None, last: tuple[str, nn.Module] | None,
                    targets: torch.Tensor | None, raw: bool = False) -> list[Finding]:
    """Facts about the output tensor; ``last`` is the last leaf module that ran, ``raw`` that
    the model returned that module's output untouched."""
    if output is None or not output.is_floating_point() or output.dim() == 0:
        return []  # one number for the whole batch is the model's own loss, not its outputs
    out = output.detach().float().cpu()
    found: list[Finding] = []
    class_targets = targets is None or not targets.is_floating_point()
    if out.dim() == 2 and out.shape[1] > 1:
        found.append(_activation_after_logits(last, out, class_targets, raw))
        found.append(_softmax_dim(out))
    elif out.dim() >= 3:
        if (wrong_dim := _softmax_dim_nd(out)) is not None:
            found.append(wrong_dim)
        if (rows := _dense_class_rows(out, targets)) is not None:
            found.append(_activation_after_logits(last, rows, True, raw))
    if out.numel() and last is not None and _raw_scores(last, raw):
        found += [Finding(f, False, say("out.last_layer_raw", layer=last[0]))
                  for f in ("output.is_probability", "output.is_softmax")]
    elif out.numel():
        found.append(_is_probability(out, targets))
        found.append(_is_softmax(out))
    values = out[torch.isfinite(out)]
    if values.numel():
        peak = float(values.abs().max())
        found.append(Finding("output.logit_abs_max", peak, say("out.abs_max", value=peak)))
        std = float(values.std()) if values.numel() > 1 else 0.0
        found.append(Finding("output.logit_scale_large", std > LOGIT_STD_LARGE,
                             say("out.std", std=std, limit=float(LOGIT_STD_LARGE))))
    return found


def _unpaired_finding(output: torch.Tensor | None, batch: Batch) -> Finding:
    """``batch.shape_mismatch`` for a batch whose inputs and targets differ in length: the
    sizes, and which input dimension has the targets' length (a time- or channel-first
    layout fed to a model that reads dimension 0 as the batch)."""
    n, m = batch.unpaired or (0, 0)
    shape = tuple(batch.inputs.shape)
    dims = [d for d in range(1, len(shape)) if shape[d] == m]
    words = say("shape.unpaired", file=batch.source.name, n=n, m=m, inputs=shape,
                targets=tuple(batch.targets.shape) if batch.targets is not None else (),
                out=tuple(output.shape) if output is not None else "?")
    if dims:
        words = say("shape.unpaired_dim", first=words, dim=dims[0], m=m)
    return Finding("batch.shape_mismatch", True, words,
                   {"inputs": shape, "inputs_count": n, "targets_count": m,
                    "target_length_dims": dims})


def _streams_per_target(batch: Batch) -> int | None:
    """k when the batch holds k ≥ 2 input rows per target and the targets have an axis of k
    past the first (one sample's k streams flattened into rows); None otherwise."""
    targets = batch.targets
    if targets is None or targets.dim() < 2:
        return None
    rows, count = int(batch.inputs.shape[0]), int(targets.shape[0])
    if count == 0 or rows <= count or rows % count:
        return None
    k = rows // count
    return k if k in tuple(targets.shape[1:]) else None


def shape_findings(output: torch.Tensor | None, batch: Batch,
                   logged: float | None = None, own_loss: bool = False,
                   time_major: bool = False) -> list[Finding]:
    """``batch.shape_mismatch``: an elementwise loss would broadcast output and targets, or
    the batch's inputs and targets disagree in length. ``logged``: the loss the run's log
    ends on, which rules a broadcast out where no broadcast pairing can reach it;
    ``own_loss``: the model computes its loss from the labels itself (a Hugging Face model
    squeezes a one-output head against its labels), so no loss of the script's sees the
    shapes as dldoctor's does; ``time_major``: the model holds a sequence-first recurrent
    layer, which reads dimension 1 of a ``(T, N, …)`` batch as its samples."""
    targets = batch.targets
    rows = int(batch.inputs.shape[0])
    # inputs and targets differ in length, but the output has one row per target
    by_output = batch.unpaired is not None and output is not None and targets is not None \
        and output.dim() >= 1 and output.shape[0] == targets.shape[0]
    # a sequence-first model's (T, N, …) batch, one output row per target: paired on dim 1
    if by_output and time_major and targets is not None and batch.inputs.dim() >= 3 and \
            int(batch.inputs.shape[1]) == int(targets.shape[0]) and output is not None:
        return [Finding("batch.lengths_differ", False,
                        say("shape.paired_time_major", t=rows, n=int(targets.shape[0]))),
                *_output_vs_targets(output, targets, logged, own_loss, batch.regression_loss)]
    flattened = by_output and output is not None \
        and output.shape[0] > rows and output.shape[0] % rows == 0  # batch × time, flattened
    # a bag's, set's or graph's rows pooled into one output per target — unless an input
    # dimension past the first has the targets' length (samples laid out time-first, which a
    # model indexing its output by position can turn into as many rows)
    pooled = by_output and output is not None and targets is not None \
        and output.shape[0] < rows and targets.shape[0] not in tuple(batch.inputs.shape[1:])
    # one output per row of another forward argument (a graph autoencoder's node features
    # beside the edge pairs it scores: 300 nodes, 400 pairs, 400 outputs and targets)
    by_argument = by_output and output is not None and targets is not None \
        and not flattened and not pooled and any(
            t.dim() >= 1 and t.shape[0] == targets.shape[0] for t in batch.named.values())
    unpaired = batch.unpaired is not None and not flattened and not pooled and not by_argument
    # each sample's k streams flattened into k input rows, the targets keeping a k-sized axis
    # (MusicGen: input_ids (batch × codebooks, time) beside labels (batch, time, codebooks))
    if unpaired and (streams := _streams_per_target(batch)) is not None:
        return [Finding("batch.lengths_differ", False,
                        say("shape.paired_by_streams", n=rows, k=streams))]
    if unpaired:
        found = _unpaired_finding(output, batch)
        return [found, Finding("batch.lengths_differ", True, found.evidence, found.details)]
    if output is None or targets is None:
        return []
    if pooled:
        return [Finding("batch.lengths_differ", False,
                        say("shape.paired_by_pooling", n=rows, rows=int(output.shape[0]))),
                *_output_vs_targets(output, targets, logged, own_loss, batch.regression_loss)]
    if by_argument:
        return [Finding("batch.lengths_differ", False,
                        say("shape.paired_by_argument", n=rows, rows=int(output.shape[0]))),
                *_output_vs_targets(output, targets, logged, own_loss, batch.regression_loss)]
    if flattened:  # a language model's (batch × time) rows against its flattened targets
        return [Finding("batch.lengths_differ", False,
                        say("shape.paired_by_output", n=int(batch.inputs.shape[0]),
                            rows=int(output.shape[0]))),
                *_output_vs_targets(output, targets, logged, own_loss, batch.regression_loss)]
    paired = Finding("batch.lengths_differ", False,
                     say("shape.paired", n=int(batch.inputs.shape[0])))
    return [paired, *_output_vs_targets(output, targets, logged, own_loss, batch.regression_loss)]


def _output_vs_targets(output: torch.Tensor, targets: torch.Tensor,
                       logged: float | None = None, own_loss: bool = False,
                       regression: str = "mse") -> list[Finding]:
    """``batch.shape_mismatch`` for a batch that pairs: output against targets. A broadcast
    is taken back when the run's own ``logged`` loss went under half of the least any
    broadcast pairing of these targets scores: the script aligns the shapes itself (a
    ``squeeze`` dldoctor's own loss does not see). ``regression``: the model file's own
    regression loss (a Huber loss's pairing costs less than the targets' variance)."""
    out_shape, tgt_shape = tuple(output.shape), tuple(targets.shape)
    fact = "batch.shape_mismatch"
    class_indices = not targets.is_floating_point() and output.dim() == targets.dim() + 1 \
        and output.dim() >= 2 and output.shape[1] > 1
    if class_indices:
        return [Finding(fact, False, say("shape.class_index", out=out_shape, tgt=tgt_shape))]
    if out_shape == tgt_shape:
        return [Finding(fact, False, say("shape.same", out=out_shape))]
    if not targets.is_floating_point() or is_binary(targets):
        return [Finding(fact, False, say("shape.integer", out=out_shape, tgt=tgt_shape))]
    try:
        broadcast: tuple[int, ...] | None = tuple(torch.broadcast_shapes(out_shape, tgt_shape))
    except RuntimeError:
        broadcast = None
    if broadcast is not None and broadcast != out_shape:
        words = say("shape.broadcast", out=out_shape, tgt=tgt_shape, to=broadcast)
        details = {"output": out_shape, "targets": tgt_shape, "broadcast": broadcast}
        floor = _broadcast_floor(targets, regression) if logged is not None and \
            math.isfinite(logged) and logged >= 0 else None
        if floor and logged is not None and logged < BROADCAST_FLOOR_SHARE * floor:
            return [Finding(fact, False, say("shape.broadcast_not_logged", first=words,
                                             logged=logged, floor=floor), details)]
        if own_loss and output.numel() == targets.numel():
            return [Finding(fact, False, say("shape.model_own_loss", first=words), details)]
        found = [Finding(fact, True, words, details)]
        if logged is not None and math.isfinite(logged) and logged >= 0:
            found.append(_broadcast_level(targets, logged, regression))
        return found
    return [Finding(fact, True, say("shape.differ", out=out_shape, tgt=tgt_shape),
                    {"output": out_shape, "targets": tgt_shape})]


#: A logged loss below this share of the best constant prediction's loss on the batch's
#: targets cannot come from a broadcast pairing (every output against every target).
BROADCAST_FLOOR_SHARE = 0.5


def _target_levels(targets: torch.Tensor, regression: str = "mse") -> list[float] | None:
    """What one prediction paired with every finite target costs at least: their variance
    (squared error) and mean absolute deviation from their median (absolute error), and
    under a Huber loss (``regression``, delta 1) its cost at the median. None for fewer than
    four finite targets."""
    flat = targets.detach().float().flatten()
    flat = flat[torch.isfinite(flat)]
    if flat.numel() < 4:
        return None
    off = flat - flat.median()
    levels = [float(flat.var(unbiased=False)), float(off.abs().mean())]
    if regression == "huber":
        levels.append(float(F.huber_loss(off, torch.zeros_like(off), delta=1.0)))
    return levels


def _broadcast_floor(targets: torch.Tensor, regression: str = "mse") -> float | None:
    """The least any broadcast pairing of ``targets`` can score: the least of their levels
    (:func:`_target_levels`)."""
    levels = _target_levels(targets, regression)
    return None if levels is None else min(levels)


#: A logged loss within these multiples of a broadcast pairing's floor sits where one lands.
BROADCAST_LEVEL_BAND = (0.5, 2.0)


def _broadcast_level(targets: torch.Tensor, logged: float, regression: str = "mse") -> Finding:
    """``batch.broadcast_loss_level``: the run's own loss ends where a broadcast pairing of
    these targets lands — every prediction against every target costs at least the
    targets' variance (squared error), their mean deviation from the median (absolute
    error) or, under the model file's Huber loss, its cost at the median, and a model that
    learns nothing else sits right there."""
    fact = "batch.broadcast_loss_level"
    if (levels := _target_levels(targets, regression)) is None:
        return Finding(fact, UNKNOWN, say("shape.level_unknown"))
    var, mad = levels[:2]
    low, high = BROADCAST_LEVEL_BAND
    near = [level for level in levels if level > 0 and low <= logged / level <= high]
    if near:
        return Finding(fact, True, say("shape.level_near", logged=logged, level=near[0]),
                       {"logged": logged, "level": near[0]})
    return Finding(fact, False, say("shape.level_far", logged=logged, var=var, mad=mad),
                   {"logged": logged, "variance": var, "deviation": mad})


#: This share of the (regression) targets outside what the output can produce cannot be fit.
OUT_OF_RANGE_SHARE = 0.25


#: The share of a [0, 1] output's values at 0 or 1 (to float precision) that reads as a
#: saturated sigmoid rather than a constant guess.
PINNED_SHARE = 0.9


#: What the values of an untrained model's output cannot tell: a narrow band inside [0, 1]
#: is where a fresh sigmoid's outputs sit, and a fresh softplus's, and many another's.
UNREAD = (math.nan, math.nan, "")


def _scaled_range(scaled: torch.Tensor) -> tuple[float, float, str] | None:
    """The range a functional activation allows, read from the model's output with its last
    layer's weights scaled up (:data:`live_probes.HEAD_SCALE`): scores that large come out
    of a sigmoid or a clamp pinned inside [0, 1], of a ReLU as exact zeros, of a softplus or
    an exp above 1, of a tanh inside [-1, 1]; None when they go both ways past them."""
    values = scaled[torch.isfinite(scaled)]
    if values.numel() < 8:
        return UNREAD
    if in_unit_interval(values):
        return 0.0, 1.0, "sigmoid"
    if bool((values >= 0).all()):
        zeros = float((values == 0).float().mean()) >= RELU_ZERO_SHARE
        return 0.0, math.inf, "ReLU" if zeros else "softplus"
    if bool((values.abs() <= 1 + 1e-6).all()):
        return -1.0, 1.0, "tanh"
    return None


def _bounded_range(out: torch.Tensor, last: tuple[str, nn.Module] | None, raw: bool,
                   trained: bool = True, scaled: torch.Tensor | None = None
                   ) -> tuple[float, float, str] | None:
    """The range an output can take after its final activation (from the module; for a
    functional one from the output of the model with its last layer scaled up, else from the
    values); None when it is not bounded; ``UNREAD`` when the factory's fresh weights give
    values inside [0, 1] that no bound pins and no scaled output was read."""
    module = last[1] if last is not None else None
    if isinstance(module, nn.Sigmoid):
        return 0.0, 1.0, "Sigmoid"
    if isinstance(module, nn.Tanh | nn.Hardtanh):
        return -1.0, 1.0, type(module).__name__
    if isinstance(module, nn.ReLU | nn.ReLU6 | nn.Softplus):
        return 0.0, math.inf, type(module).__name__
    if raw:
        return None  # the last layer's scores, untouched: unbounded
    if scaled is not None:
        return _scaled_range(scaled)
    values = out[torch.isfinite(out)]
    if values.numel() < 8:
        return None
    # a spread of values in [0, 1] (of trained weights), or values pinned at its bounds: a
    # sigmoid saturated by targets beyond 1 gives exactly 1.0 everywhere (the twenty-eighth
    # set's box regressor)
    pinned = float(((values >= 1 - 1e-6) | (values <= 1e-6)).float().mean())
    unit = in_unit_interval(values)
    if unit and (pinned >= PINNED_SHARE or
                 (trained and float(values.max() - values.min()) > 0.05)):
        return 0.0, 1.0, "sigmoid"
    if bool((values >= 0).all()) and float((values == 0).float().mean()) >= RELU_ZERO_SHARE:
        return 0.0, math.inf, "ReLU"
    return UNREAD if unit and not trained else None


def range_findings(output: torch.Tensor | None, last: tuple[str, nn.Module] | None,
                   batch: Batch, raw: bool = False, trained: bool = True,
                   scaled: torch.Tensor | None = None) -> list[Finding]:
    """``output.range_excludes_targets``: a final activation (sigmoid, tanh, ReLU) whose range
    leaves out a quarter or more of the float targets — ratings of 1–5 under a sigmoid,
    negative temperatures under a ReLU: the model cannot produce them. A functional
    activation is read from ``scaled``, the output with the last layer's weights scaled up,
    when there is one; else from the output's values — on the factory's fresh weights
    (``trained`` false) values inside [0, 1] say nothing of one, and nothing is reported."""
    targets = batch.targets
    if batch.unpaired is not None or output is None or targets is None or \
            not targets.is_floating_point() or is_binary(targets) or \
            output.numel() != targets.numel() or targets.numel() < 8:
        return []
    out = output.detach().float().cpu()
    bounds = _bounded_range(out, last, raw, trained,
                            None if scaled is None else scaled.detach().float().cpu())
    fact = "output.range_excludes_targets"
    if bounds is UNREAD:
        return []
    if bounds is None:
        return [Finding(fact, False, say("out.unbounded"))]
    low, high, kind = bounds
    wanted = targets.detach().float().cpu().reshape(-1)
    wanted = wanted[torch.isfinite(wanted)]
    if wanted.numel() < 8:
        return []
    outside = float(((wanted < low - 1e-6) | (wanted > high + 1e-6)).float().mean())
    return [Finding(fact, outside >= OUT_OF_RANGE_SHARE,
                    say("out.range_vs_targets", kind=kind, low=low, high=high,
                        share=Pct(outside), tmin=float(wanted.min()), tmax=float(wanted.max())),
                    {"range": (low, high), "outside": outside})]


def spread_findings(output: torch.Tensor | None, batch: Batch) -> list[Finding]:
    """``output.target_std_ratio``: how much the predictions vary across the batch compared
    with the (float, regression) targets; near 0 the model predicts one value for all. And
    ``output.offset_over_target_std``: how far their mean sits from the targets' mean, in the
    targets' std (a model that cannot shift its output misses by the targets' own mean)."""
    targets = batch.targets
    if batch.unpaired is not None:
        return []  # predictions and targets are not sample-for-sample
    if output is None or targets is None or not targets.is_floating_point() or \
            is_binary(targets) or output.numel() != targets.numel() or targets.numel() < 2:
        return []
    predictions = output.detach().float().cpu().reshape(-1)
    wanted = targets.detach().float().cpu().reshape(-1)
    spread = float(wanted.std())
    if not math.isfinite(spread) or spread == 0.0:
        return []
    ratio = float(predictions.std()) / spread
    if not math.isfinite(ratio):
        return []
    offset = abs(float(predictions.mean()) - float(wanted.mean())) / spread
    return [Finding("output.target_std_ratio", ratio,
                    say("out.spread", pred=float(predictions.std()), target=spread,
                        ratio=ratio)),
            Finding("output.offset_over_target_std", offset,
                    say("out.offset", pred=float(predictions.mean()),
                        target=float(wanted.mean()), spread=spread, ratio=offset))]


#: A batch is "mixed" when its second most frequent class holds at least this share: a
#: constant prediction is then wrong on that share of it.
MIXED_MINORITY = 0.2


def one_class_findings(output: torch.Tensor | None, batch: Batch) -> list[Finding]:
    """``output.one_class_for_mixed_batch``: the trained classifier gives every sample of a
    batch whose labels are mixed (second class ≥ 20 %) the same class — a model that learnt
    one answer, not one that memorised its samples. Class indices against (N, C) scores, or
    0/1 targets against one score per sample (a logit, or a probability in [0, 1])."""
    targets = batch.targets
    if batch.unpaired is not None or output is None or targets is None or \
            not output.is_floating_point() or output.shape[0] != targets.shape[0]:
        return []
    scores = output.detach().float().cpu()
    y = targets.detach().cpu()
    if not bool(torch.isfinite(scores).all()):
        return []
    if not y.is_floating_point() and y.dim() == 1 and scores.dim() == 2 and scores.shape[1] > 1:
        predicted, labels = scores.argmax(1), y.long()
    elif y.dim() == 1 and is_binary(y.float()) and scores.reshape(len(y), -1).shape[1] == 1:
        flat = scores.reshape(-1)
        cut = 0.5 if in_unit_interval(flat) else 0.0
        predicted, labels = (flat > cut).long(), y.long()
    else:
        return []
    counts = torch.bincount(labels.clamp(min=0)).sort(descending=True).values
    if counts.numel() < 2 or float(counts[1]) < MIXED_MINORITY * len(labels):
        return []
    classes = sorted({int(c) for c in predicted})
    one = len(classes) == 1
    return [Finding("output.one_class_for_mixed_batch", one,
                    say("out.one_class" if one else "out.several_classes", n=len(labels),
                        k=int((counts > 0).sum()), cls=classes[0], m=len(classes)))]


def constant_gain_findings(output: torch.Tensor | None, targets: torch.Tensor | None
                           ) -> list[Finding]:
    """``output.gain_over_constant``: how much closer the trained model's outputs come to float
    targets than the best constant does — 1 − its mean absolute error over that of the
    targets' median (per target column). For outputs with several columns against one target
    per sample (quantiles, an ensemble), the column that comes closest. Nothing for class
    targets, or outputs that do not pair with the targets."""
    if output is None or targets is None or not targets.is_floating_point() or \
            not output.is_floating_point() or output.dim() == 0 or \
            output.shape[0] != targets.shape[0] or targets.shape[0] < 8:
        return []
    out, y = output.detach().float().cpu(), targets.detach().float().cpu()
    if y.dim() == 1:
        y = y[:, None]
    out = out.reshape(out.shape[0], -1)
    y = y.reshape(y.shape[0], -1)
    if not (torch.isfinite(out).all() and torch.isfinite(y).all()):
        return []
    base = float((y - y.median(0).values).abs().mean())
    if base == 0.0:
        return []
    if out.shape[1] == y.shape[1]:
        error = float((out - y).abs().mean())
    elif y.shape[1] == 1:
        error = float((out - y).abs().mean(0).min())
    else:
        return []
    gain = 1.0 - error / base
    words = say("out.gain_over_constant", error=error, base=base, share=Pct(gain),
                n=int(y.shape[0])) if gain >= 0 else \
        say("out.loss_to_constant", error=error, base=base, times=f"{error / base:.3g}×",
            n=int(y.shape[0]))
    return [Finding("output.gain_over_constant", gain, words)]
