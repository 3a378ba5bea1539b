"""Turn per-tensor statistics of a checkpoint into the ``weights.*`` facts."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable

from dldoctor.numbers import num

from .base import Finding
from .evidence import Pct, Said, Times, say, some_names
from .layers import Layer, group_layers, kaiming_std
from .weight_scan import TensorStats

__all__ = ["weight_findings", "LOGIT_SCALE_LARGE", "RUNNING_VAR_MAX", "RUNNING_MEAN_ABS_MAX",
           "BN_GAMMA_ABS_MAX"]

#: Expected std of the logits for unit-variance features, w_std·√fan_in (+ |bias|), above
#: which the softmax saturates from the first step (a one-hot output, vanishing gradients).
LOGIT_SCALE_LARGE = 10.0
#: BatchNorm running variance beyond this means activations that have blown up.
RUNNING_VAR_MAX = 1e4
#: BatchNorm running mean beyond this (in absolute value) likewise.
RUNNING_MEAN_ABS_MAX = 1e3
#: BatchNorm scale (gamma) beyond this in absolute value.
BN_GAMMA_ABS_MAX = 100.0

_WEIGHTED = ("linear", "conv", "recurrent")
_HALF_DTYPES = ("float16", "bfloat16")
#: Projections that are bias-free by design in attention blocks.
# layers that have no bias by design: attention and gated-MLP projections of transformers,
# output heads tied to embeddings, and embedding tables (a 2-D weight, but a lookup)
_BIAS_FREE_BY_DESIGN = re.compile(
    r"(_proj|query|key|value|attn|lm_head|(^|\.)(\w*emb\w*|wte|wpe|shared|tok_\w*))($|\.)|"
    r"(^|\.)\w*embed", re.I)


def _list(names: list[str], limit: int = 3) -> list[str] | Said:
    return some_names(names, limit)


def _shape(s: TensorStats) -> str:
    return "×".join(map(str, s.shape)) or "scalar"


def _non_finite(stats: list[TensorStats]) -> Finding:
    bad = [s for s in stats if s.non_finite]
    if not bad:
        return Finding("weights.non_finite", False,
                       say("weights.all_finite", n=len(stats)),
                       {"tensors": len(stats)})
    first = bad[0]
    return Finding("weights.non_finite", True,
                   say("weights.non_finite", k=len(bad), n=len(stats), name=first.name,
                       bad=first.non_finite, total=first.numel),
                   {"tensors": [s.name for s in bad]})


def _zero_and_symmetry(layers: list[Layer]) -> list[Finding]:
    """All-zero or constant weight matrices, and matrices whose rows are all alike. The
    output layer's alike rows are no symmetry: each output unit is scored against its own
    target, so each gets its own gradient (a zero-initialised head is a recipe)."""
    weights = [(layer, layer.weight) for layer in layers if layer.kind in _WEIGHTED]
    zero = [f"{layer.prefix or 'weight'} = {0 if w.all_zero else num(w.min)}"
            for layer, w in weights if w is not None and (w.all_zero or w.constant)]
    held = [(layer, w) for layer, w in weights if w is not None]
    head = held[-1][0] if held and held[-1][0].kind != "recurrent" else None
    rows = [layer.prefix for layer, w in held
            if w.identical_rows and not w.all_zero and layer is not head]
    zero_rows = [layer.prefix for layer, w in held if w.all_zero and w.identical_rows
                 and layer is not head]
    found = [
        Finding("weights.all_zero", bool(zero),
                say("weights.constant", names=_list(zero)) if zero
                else say("weights.none_constant", n=len(weights)),
                {"layers": zero}),
    ]
    symmetric = rows + zero_rows
    found.append(Finding(
        "weights.identical_rows", bool(symmetric),
        say("weights.identical_rows", names=_list(symmetric)) if symmetric
        else say("weights.no_identical_rows"), {"layers": symmetric}))
    return found


def _scale(layers: list[Layer]) -> list[Finding]:
    ratios: dict[str, float] = {}
    for layer in layers:
        weight, fan_in = layer.weight, layer.fan_in
        if layer.kind in _WEIGHTED and weight is not None and fan_in and \
                math.isfinite(weight.std):
            ratios[layer.prefix] = weight.std / kaiming_std(fan_in)
    if not ratios:
        return []
    high = max(ratios, key=ratios.__getitem__)
    low = min(ratios, key=ratios.__getitem__)
    details = {"ratios": ratios, "reference": "kaiming_normal(fan_in, gain=√2)"}
    return [
        Finding("weights.scale_ratio_max", ratios[high],
                say("weights.scale_max", layer=high, ratio=Times(ratios[high])), details),
        Finding("weights.scale_ratio_min", ratios[low],
                say("weights.scale_min", layer=low, ratio=Times(ratios[low])), details),
        Finding("weights.scale_ratio_median", (median := statistics.median(ratios.values())),
                say("weights.scale_median", ratio=Times(median), n=len(ratios),
                    low=Times(ratios[low]), high=Times(ratios[high])), details),
        *_one_std_for_every_fan_in(layers),
    ]


#: Layers whose weight stds spread less than this (std over mean) share one std.
ONE_STD_SPREAD = 0.1
#: … and only when their fan-ins differ by at least this factor (else Kaiming is one std too).
FAN_IN_RANGE = 2.0
#: … and every one of them is at least this many times its Kaiming std.
ONE_STD_OVER_KAIMING = 2.0
#: … or at most this multiple of every one's Kaiming std: one small fixed draw (std 0.01).
ONE_STD_UNDER_KAIMING = 0.3


def _one_std_for_every_fan_in(layers: list[Layer]) -> list[Finding]:
    """``weights.one_std_over_kaiming``: when the weight matrices of at least four layers
    whose fan-ins differ by 2× or more all hold about the same std (within a tenth) and that
    std is at least twice the Kaiming std of the median layer, that median multiple — the
    trace of one fixed ``normal_(w, std=1.0)`` drawn for every layer, which training at a
    usual rate barely moves (a first layer of 6 inputs holds N(0, 1) at only 1.75× its
    Kaiming std, the layers after it at 8×); nothing otherwise (Kaiming's stds differ with
    the fan-in; a transformer's fixed 0.02 sits below Kaiming)."""
    stds: list[tuple[float, int]] = [
        (layer.weight.std, fan_in) for layer in layers
        if layer.kind in _WEIGHTED and layer.weight is not None
        and (fan_in := layer.fan_in) and math.isfinite(layer.weight.std)
        and layer.weight.std > 0]
    if len(stds) < 4:
        return []
    values = [std for std, _ in stds]
    mean = statistics.fmean(values)
    spread = statistics.pstdev(values) / mean
    fans = [fan for _, fan in stds]
    if spread > ONE_STD_SPREAD or max(fans) < FAN_IN_RANGE * min(fans):
        return []
    ratios = [std / kaiming_std(fan) for std, fan in stds]
    multiple, largest = statistics.median(ratios), max(ratios)
    if largest <= ONE_STD_UNDER_KAIMING:  # one small draw (0.01) for every layer
        return [Finding("weights.one_std_under_kaiming", largest,
                        say("weights.one_std_small", n=len(stds), std=mean, low=min(fans),
                            high=max(fans), multiple=Times(largest)))]
    if multiple < ONE_STD_OVER_KAIMING:
        return []
    return [Finding("weights.one_std_over_kaiming", multiple,
                    say("weights.one_std", n=len(stds), std=mean, low=min(fans),
                        high=max(fans), multiple=Times(multiple)))]


#: A tensor that shifts what passes through its module: a bias, or a flow's actnorm ``loc``,
#: a hand-written ``shift``/``offset``/``beta``.
_SHIFT = re.compile(r"^(bias|loc|shift|offset|beta|centre|center)(_|$)")


def _missing_bias(layers: list[Layer]) -> list[Finding]:
    """Linear/conv layers without a bias that nothing can stand in for: no norm layer after
    them re-centres, and no layer before them holds a bias or a norm's shift (from which a
    later layer can build a constant of its own; a bias-free head after LayerNorm is fine);
    ``weights.missing_bias_share``: those layers' share of all linear/conv layers."""
    missing: list[str] = []
    offset = False  # a bias or a norm's shift ran before this layer
    for index, layer in enumerate(layers):
        if layer.kind not in ("linear", "conv") or layer.bias is not None:
            offset = offset or layer.kind == "embedding" or \
                any(_SHIFT.match(name) for name in layer.tensors)
            continue
        if offset:
            continue
        if _BIAS_FREE_BY_DESIGN.search(layer.prefix):
            continue
        if any(x.kind in ("batchnorm", "norm") for x in layers[index + 1:]):
            continue  # a norm layer downstream (directly, or past a residual add) re-centres
        missing.append(layer.prefix)
    checked = sum(layer.kind in ("linear", "conv") for layer in layers)
    found = [Finding("weights.missing_bias", bool(missing),
                     say("weights.missing_bias", k=len(missing), n=checked,
                         names=_list(missing))
                     if missing else say("weights.bias_ok", n=checked),
                     {"layers": missing})]
    if checked:
        found.append(Finding("weights.missing_bias_share", len(missing) / checked,
                             say("weights.missing_bias_share", k=len(missing), n=checked)))
    return found


def _gain_median(layers: list[Layer], kind: str, gain: Callable[[TensorStats], float],
                 fact: str, words: str) -> list[Finding]:
    """The median over layers of ``kind`` of their gains' ``gain`` (finite, one per feature)."""
    gains = [gain(x.weight) for x in layers if x.kind == kind and x.weight is not None
             and x.weight.floating and x.weight.non_finite == 0 and x.weight.numel > 1]
    if not gains:
        return []
    median = float(statistics.median(gains))
    return [Finding(fact, median, say(words, value=median, n=len(gains), low=min(gains),
                                      high=max(gains)))]


def _norm_scales(layers: list[Layer]) -> list[Finding]:
    """``weights.norm_scale_median``: the median over LayerNorm-like layers (a gain per
    feature, no running statistics) of their mean gain — 1 at initialisation, and near it in
    a trained model unless something pulls the gains down (weight decay on them)."""
    return _gain_median(layers, "norm", lambda w: w.mean, "weights.norm_scale_median",
                        "weights.norm_scales")


def _bn_gains(layers: list[Layer]) -> list[Finding]:
    """``weights.bn_gain_median``: the median over BatchNorm layers of their gains' RMS — 1 at
    initialisation, a few tenths to about 2 in trained networks; near 0 only when something
    drove every gain down (weight decay on them), which shuts the layer's output off."""
    return _gain_median(layers, "batchnorm", lambda w: math.hypot(w.mean, w.std),
                        "weights.bn_gain_median", "weights.bn_gains")


def _batchnorm(layers: list[Layer]) -> list[Finding]:
    bns = [layer for layer in layers if layer.kind == "batchnorm"]
    found = [Finding("weights.has_batchnorm", bool(bns),
                     say("weights.batchnorm", n=len(bns)) if bns
                     else say("weights.no_batchnorm"))]
    problems: list[str] = []
    for layer in bns:
        var, mean, gamma = (layer.tensors.get(k) for k in ("running_var", "running_mean",
                                                            "weight"))
        if var is not None and (var.non_finite or var.min <= 0 or var.max > RUNNING_VAR_MAX):
            problems.append(f"{layer.prefix}: running_var ∈ [{num(var.min)}, {num(var.max)}]")
        if mean is not None and (mean.non_finite or
                                 max(abs(mean.min), abs(mean.max)) > RUNNING_MEAN_ABS_MAX):
            problems.append(f"{layer.prefix}: running_mean ∈ [{num(mean.min)}, {num(mean.max)}]")
        if gamma is not None and (gamma.non_finite or
                                  max(abs(gamma.min), abs(gamma.max)) > BN_GAMMA_ABS_MAX):
            problems.append(f"{layer.prefix}: weight ∈ [{num(gamma.min)}, {num(gamma.max)}]")
    if bns:
        found.append(_bn_never_updated(bns))
        kept = _bn_stats_kept_through_nan(bns)
        if kept is not None:
            found.append(kept)
        found += _first_input_scale(layers)
        found.append(Finding("weights.bn_stats_bad", bool(problems),
                             "; ".join(problems[:3]) if problems
                             else say("weights.bn_in_range", n=len(bns)),
                             {"problems": problems}))
    return found


#: A first layer whose rows are this far below Kaiming's norm (a zero or constant start) says
#: nothing of its input's scale.
ROW_NORM_MIN = 0.05
#: … and one whose rows are this far above it blew up: the running variance is an average
#: over the last batches, while such weights moved by orders of magnitude in between (a GIN
#: that never cleared its gradients: rows of norm 1.3e8 against a running std of 1e14), so
#: the two no longer cancel.
ROW_NORM_MAX = 1000.0


def _untouched(bn: Layer) -> bool:
    """A BatchNorm whose running statistics are still PyTorch's start (mean 0, variance 1):
    it never ran in train mode, so they measure nothing."""
    var, mean = bn.tensors.get("running_var"), bn.tensors.get("running_mean")
    return (var is None or (var.min == 1.0 and var.max == 1.0)) and \
        (mean is None or (mean.min == 0.0 and mean.max == 0.0))


def _first_input_scale(layers: list[Layer]) -> list[Finding]:
    """``weights.first_layer_normalised`` (a BatchNorm right after the first weight layer: in
    train mode it standardises what that layer makes of the inputs, whatever their scale)
    and, from its statistics, ``weights.first_input_scale`` (see :func:`_input_scale_read`)."""
    weighted = [i for i, x in enumerate(layers) if x.kind in _WEIGHTED]
    if not weighted or layers[weighted[0]].kind == "recurrent":
        return []
    first = layers[weighted[0]]
    following = next((x for x in layers[weighted[0] + 1:] if x.kind in (*_WEIGHTED, "batchnorm")),
                     None)
    normalised = following is not None and following.kind == "batchnorm"
    found = [Finding("weights.first_layer_normalised", normalised,
                     say("weights.first_layer_normalised" if normalised else
                         "weights.first_layer_not_normalised", layer=first.prefix,
                         bn=following.prefix if following is not None else ""))]
    if following is not None and normalised and not _untouched(following) and \
            (scale := _input_scale_read(first, following)) is not None:
        found.append(scale)
    return found


def _input_scale_read(first: Layer, following: Layer) -> Finding | None:
    """``weights.first_input_scale``: the scale of the data the first weight layer reads,
    from the BatchNorm right after it: its running variance is the variance of that layer's
    outputs, about the input's variance times a row's squared norm (Σ w²) — so √var over the
    row norm estimates the input's spread whatever the weights' own scale (weights that blew
    up make large statistics too, and cancel here). About 1 for standardised inputs; the raw
    counts, powers or pixels of an unnormalised input read in the tens to millions. None when
    the statistics or the weights say nothing."""
    var, weight = following.tensors.get("running_var"), first.weight
    if var is None or weight is None or first.fan_in is None or var.non_finite or \
            var.mean <= 0 or weight.non_finite or var.shape[:1] != weight.shape[:1]:
        return None
    row_norm = math.sqrt(first.fan_in * (weight.std ** 2 + weight.mean ** 2))
    kaiming_row = math.sqrt(first.fan_in) * kaiming_std(first.fan_in)
    if not ROW_NORM_MIN * kaiming_row <= row_norm <= ROW_NORM_MAX * kaiming_row:
        return None
    scale = math.sqrt(var.mean) / row_norm
    return Finding("weights.first_input_scale", scale,
                   say("weights.first_input_scale", scale=scale, bn=following.prefix,
                       std=math.sqrt(var.mean), layer=first.prefix, norm=row_norm))


def _bn_stats_kept_through_nan(bns: list[Layer]) -> Finding | None:
    """``weights.bn_stats_kept_through_nan``: BatchNorm layers whose scale or shift is NaN/inf
    while their running statistics are all finite. A forward pass in train mode folds the
    batch's statistics into the running ones, so once the weights are NaN the next one makes
    them NaN too; finite statistics under NaN weights mean the forwards after the blow-up ran
    in eval mode. None when no BatchNorm scale or shift is NaN/inf."""
    broken = [x for x in bns if any(t is not None and t.non_finite
                                    for t in (x.tensors.get("weight"), x.tensors.get("bias")))]
    tracked = [x for x in broken if x.tensors.get("running_mean") is not None and
               x.tensors.get("running_var") is not None]
    if not tracked:
        return None
    kept = [x.prefix for x in tracked if not x.tensors["running_mean"].non_finite and
            not x.tensors["running_var"].non_finite]
    value = len(kept) == len(tracked)
    return Finding("weights.bn_stats_kept_through_nan", value,
                   say("weights.bn_stats_kept", k=len(kept), n=len(tracked),
                       names=_list(kept)) if value else
                   say("weights.bn_stats_followed", k=len(tracked) - len(kept), n=len(tracked)),
                   {"layers": kept})


def _bn_never_updated(bns: list[Layer]) -> Finding:
    """num_batches_tracked = 0 with running mean 0 and variance 1: statistics never updated."""
    untouched = [layer.prefix for layer in bns
                 if (count := layer.tensors.get("num_batches_tracked")) is not None
                 and count.max == 0 and _untouched(layer)]
    counted = sum(layer.tensors.get("num_batches_tracked") is not None for layer in bns)
    value = counted > 0 and len(untouched) == counted
    return Finding("weights.bn_never_updated", value,
                   say("weights.bn_never_updated", n=counted) if value else
                   say("weights.bn_updated", k=counted - len(untouched), n=counted),
                   {"untouched": untouched})


def _output_scale(layers: list[Layer]) -> list[Finding]:
    last = next((x for x in reversed(layers) if x.kind in ("linear", "conv")), None)
    if last is None or last.weight is None or not last.fan_in:
        return []
    weight, bias = last.weight, last.bias
    scale = weight.std * math.sqrt(last.fan_in)
    bias_abs = max(abs(bias.min), abs(bias.max)) if bias is not None else 0.0
    estimate = scale + bias_abs
    if not math.isfinite(estimate):  # NaN weights say nothing about the scale: leave it to
        return []                    # the live probe on the fresh model, or unknown
    return [Finding(
        "output.logit_scale_large", bool(estimate > LOGIT_SCALE_LARGE),
        say("weights.logit_scale", layer=last.prefix, shape=_shape(weight), std=scale,
            bias=bias_abs, limit=LOGIT_SCALE_LARGE),
        {"layer": last.prefix, "estimate": estimate})]


def _dtype_half(stats: list[TensorStats]) -> Finding | None:
    floating = [s for s in stats if s.floating and s.numel > 0]
    if not floating:
        return None
    half = [s for s in floating if s.dtype in _HALF_DTYPES]
    total = sum(s.numel for s in floating)
    share = sum(s.numel for s in half) / total
    dtypes = sorted({s.dtype for s in floating})
    return Finding("weights.dtype_half", share > 0.5,
                   say("weights.half", k=len(half), n=len(floating), share=Pct(share),
                       dtypes=", ".join(dtypes)),
                   {"share": share, "dtypes": dtypes})


def parallel_heads(before: tuple[int | None, int | None],
                   last: tuple[int | None, int | None]) -> bool:
    """Whether the last two weight layers, as (inputs, outputs), read the same features and
    neither feeds the other, with outputs of different widths: two heads on one trunk (a
    4-class head beside a 1-output regressor), not a hidden layer and its head."""
    (in_a, out_a), (in_b, out_b) = before, last
    return None not in (in_a, out_a, in_b, out_b) and in_a == in_b and out_a != out_b \
        and out_a != in_b and out_b != in_a


def _width(layer: Layer) -> int | None:
    """A weight layer's output width: features, channels, or a recurrent layer's hidden size."""
    if layer.kind == "recurrent":
        hidden = next((t for n, t in layer.tensors.items() if n.startswith("weight_hh")), None)
        return hidden.shape[1] if hidden is not None and len(hidden.shape) == 2 else None
    return layer.out_features


def _input_width(layer: Layer) -> int | None:
    """The features (or channels) a weight layer takes: a linear layer's ``in``, a recurrent
    layer's input size, a convolution's input channels (one group)."""
    weight = layer.weight
    return weight.shape[1] if weight is not None and len(weight.shape) >= 2 else None


def _feeds_a_layer(layer: Layer, weighted: list[Layer]) -> bool:
    """Whether another weight layer takes this linear layer's width as its input: a hidden
    layer hands its features on; one whose output nothing takes is a branch added into a
    result (DeepFM's first-order ``Linear(3, 1)``), an attention scorer's ``Linear(h, 1)``,
    a mixture's gate (a softmax over experts) — no bottleneck the data passes through."""
    if layer.kind != "linear":
        return True
    width = _width(layer)
    return any(_input_width(x) == width for x in weighted if x is not layer)


def _narrows(layer: Layer) -> bool:
    """Whether a weight layer is no wider than what it reads. One that widens its input (a
    ``Conv2d(1, 4, …)`` on one-channel inputs, a ``Linear(2, 4)`` on 2-D points; Caser's
    parallel banks of four horizontal filters over a one-channel sequence image) squeezes
    nothing: its input was narrower still."""
    width, taken = _width(layer), _input_width(layer)
    return width is None or taken is None or width <= taken


def _gate_squeeze(layer: Layer, weighted: list[Layer]) -> bool:
    """Whether a linear layer is the squeeze of a squeeze-and-excitation gate: every layer
    that reads its width gives back exactly the width it read (``Linear(6, 3)`` then
    ``Linear(3, 6)``), and that restored width feeds no further layer — it becomes a sigmoid
    that reweights fields or channels (FiBiNET's SENET over six fields), so no data passes
    through the few units. A trunk narrowed by mistake (``Linear(20, 3)``, ``Linear(3, 20)``
    and a head reading 20) hands the restored width on and stays a bottleneck."""
    width, taken = _width(layer), _input_width(layer)
    if layer.kind != "linear" or width is None or taken is None or width >= taken:
        return False
    others = [x for x in weighted if x is not layer]  # the squeeze reads the restored width
    readers = [x for x in others if _input_width(x) == width]
    return bool(readers) and all(
        x.kind == "linear" and _width(x) == taken and not _feeds_a_layer(x, others)
        for x in readers)


def _narrowest_hidden(layers: list[Layer]) -> Finding | None:
    """The narrowest weight layer before the last one (the head's width is the task's) that
    hands its width on to another layer and is no gate's squeeze; among those that do not
    widen their input when there are any, else among those that read more than one
    channel."""
    weighted = [x for x in layers if x.kind in _WEIGHTED]
    hidden = [(w, x) for x in weighted[:-1] if (w := _width(x)) and _feeds_a_layer(x, weighted)
              and not _gate_squeeze(x, weighted)]
    # a one-channel reader (Caser's filter banks over a one-channel sequence image) widens
    # what it reads, whatever else the net does
    widths = [(w, x.prefix) for w, x in hidden if _narrows(x)] or \
        [(w, x.prefix) for w, x in hidden if _input_width(x) != 1]
    if not widths:
        return None
    width, prefix = min(widths)
    return Finding("weights.narrowest_hidden", float(width),
                   say("weights.narrowest", n=width, layer=prefix, k=len(widths)))


def _output_width(layers: list[Layer]) -> Finding | None:
    """Rows of the last linear or convolution layer: the outputs the task reads (classes, or
    one logit; a transposed convolution stores its input channels first and reads as wider).
    None when the last weight layer is recurrent or absent."""
    weighted = [x for x in layers if x.kind in _WEIGHTED and x.weight is not None]
    if not weighted or weighted[-1].kind == "recurrent" or (width := _width(weighted[-1])) is None:
        return None
    if len(weighted) >= 2 and parallel_heads(
            (_input_width(weighted[-2]), _width(weighted[-2])),
            (_input_width(weighted[-1]), width)):
        return None  # two heads on one trunk (a classifier beside a regressor): no one width
    return Finding("weights.output_width", float(width),
                   say("weights.output_width", n=width, layer=weighted[-1].prefix))


def _conv_output_matches_input(layers: list[Layer]) -> Finding | None:
    """The same question for a model without two linear layers: its first convolution's input
    channels against its last one's output channels (a transposed convolution stores them
    second, and a checkpoint does not say which it is: either counts). A model with neither
    is no autoencoder in this sense."""
    convs = [x for x in layers if x.kind == "conv" and x.weight is not None
             and len(x.weight.shape) >= 3]
    if len(convs) < 2:
        return Finding("weights.output_matches_input", False, say("weights.no_in_out"))
    first, last = convs[0].weight, convs[-1].weight
    assert first is not None and last is not None
    width_in = first.shape[1]
    same = width_in in (last.shape[0], last.shape[1])
    return Finding("weights.output_matches_input", same,
                   say("weights.in_out", a=width_in, b=width_in if same else last.shape[0],
                       first=convs[0].prefix, last=convs[-1].prefix))


def _output_matches_input(layers: list[Layer]) -> Finding | None:
    """Whether the last linear layer gives back as many features as the first one takes (an
    autoencoder's shape: its narrow middle is the code it is meant to learn)."""
    linear = [x for x in layers if x.kind == "linear" and x.weight is not None
              and len(x.weight.shape) == 2]
    if len(linear) < 2:
        return _conv_output_matches_input(layers)
    first, last = linear[0].weight, linear[-1].weight
    assert first is not None and last is not None
    width_in, width_out = first.shape[1], last.shape[0]
    return Finding("weights.output_matches_input", width_in == width_out,
                   say("weights.in_out", a=width_in, b=width_out, first=linear[0].prefix,
                       last=linear[-1].prefix))


#: A tensor is read as untouched since PyTorch's default init (kaiming_uniform(a=√5): U(−b, b)
#: with b = 1/√fan_in, the bias likewise) when it holds at least this many values …
DEFAULT_INIT_MIN_VALUES = 64
#: … all within the bound, its extremes beyond this share of it, and its std within this
#: relative distance of a uniform's b/√3.
DEFAULT_INIT_REACH, DEFAULT_INIT_STD_TOLERANCE = 0.8, 0.1


def _at_default_init(layer: Layer) -> bool | None:
    """Whether a linear or conv layer still holds exactly what ``nn.Linear`` / ``nn.Conv*``
    draw at construction; None when it is too small to tell."""
    weight, fan_in = layer.weight, layer.fan_in
    if weight is None or not fan_in or weight.numel < DEFAULT_INIT_MIN_VALUES or \
            weight.non_finite:
        return None
    bound = 1.0 / math.sqrt(fan_in)
    inside = weight.max <= bound * 1.0001 and weight.min >= -bound * 1.0001
    reaches = weight.max >= DEFAULT_INIT_REACH * bound and \
        weight.min <= -DEFAULT_INIT_REACH * bound
    uniform_std = bound / math.sqrt(3.0)
    spread = abs(weight.std - uniform_std) <= DEFAULT_INIT_STD_TOLERANCE * uniform_std
    bias = layer.bias
    bias_inside = bias is None or (bias.max <= bound * 1.0001 and bias.min >= -bound * 1.0001)
    return bool(inside and reaches and spread and bias_inside)


def _head_left_at_init(layers: list[Layer]) -> Finding | None:
    """``weights.head_at_init_body_moved``: the output layer holds PyTorch's default
    initialisation to the digit while a layer before it has left that range (it trained, or
    was loaded): a head no update ever reached. None when the output layer is too small or
    not a linear/conv layer."""
    weighted = [x for x in layers if x.kind in ("linear", "conv") and x.weight is not None]
    if len(weighted) < 2:
        return None
    head, body = weighted[-1], weighted[:-1]
    at_init = _at_default_init(head)
    if at_init is None:
        return None
    moved = [x for x in body if x.fan_in and x.weight is not None and
             max(abs(x.weight.max), abs(x.weight.min)) > 1.05 / math.sqrt(x.fan_in)]
    key = "weights.head_moved" if not at_init else \
        "weights.head_at_init" if moved else "weights.all_at_init"
    weight = head.weight
    assert weight is not None  # _at_default_init read it
    return Finding("weights.head_at_init_body_moved", key == "weights.head_at_init",
                   say(key, head=head.prefix, bound=1.0 / math.sqrt(head.fan_in or 1),
                       lo=weight.min, hi=weight.max, std=weight.std,
                       body=moved[0].prefix if moved else ""))


def weight_findings(stats: list[TensorStats], module_types: dict[str, str] | None = None
                    ) -> list[Finding]:
    """Every ``weights.*`` fact (and the checkpoint side of ``output.logit_scale_large``)."""
    layers = group_layers(stats, module_types)
    kinds = [layer.kind for layer in layers]
    depth = sum(k in _WEIGHTED for k in kinds)
    findings = [_non_finite(stats), *_zero_and_symmetry(layers), *_scale(layers),
                *_missing_bias(layers), *_batchnorm(layers), *_norm_scales(layers),
                *_bn_gains(layers)]
    convs, recurrent = kinds.count("conv"), kinds.count("recurrent")
    planar = [x for x in layers if x.kind == "conv" and x.weight is not None
              and len(x.weight.shape) == 4]  # images (a 1-D signal's convs have 3 dims)
    norms = kinds.count("batchnorm") + kinds.count("norm")
    findings += [
        Finding("weights.has_norm_layers", norms > 0, say("weights.norm_layers", n=norms)),
        Finding("weights.has_conv", convs > 0, say("weights.conv", n=convs)),
        Finding("weights.has_conv2d", bool(planar), say("weights.conv2d", n=len(planar))),
        *([Finding("arch.first_layer_filters", float(planar[0].weight.shape[0]),
                   say("weights.first_filters", layer=planar[0].prefix,
                       n=int(planar[0].weight.shape[0])))]
          if planar and planar[0].weight is not None else []),
        Finding("weights.has_recurrent", recurrent > 0, say("weights.recurrent", n=recurrent)),
        Finding("weights.has_embedding", kinds.count("embedding") > 0,
                say("weights.embedding", n=kinds.count("embedding"))),
        Finding("weights.depth", float(depth),
                say("weights.depth", n=depth, tensors=len(stats))),
        *_output_scale(layers),
    ]
    narrowest, width = _narrowest_hidden(layers), _output_width(layers)
    extra = (_dtype_half(stats), narrowest, _output_matches_input(layers), width,
             _output_over_narrowest(narrowest, width), _head_left_at_init(layers))
    return findings + [f for f in extra if f is not None]


def _output_over_narrowest(narrowest: Finding | None, width: Finding | None) -> Finding | None:
    """How many times wider the head is than the narrowest hidden layer: above 1, the
    head's outputs are mixtures of fewer numbers than it gives (six partials read from two
    units), whatever the layers around the bottleneck learn."""
    if narrowest is None or width is None or not narrowest.value:
        return None
    ratio = float(width.value) / float(narrowest.value)
    return Finding("weights.output_over_narrowest", ratio,
                   say("weights.output_over_narrowest", ratio=Times(ratio),
                       n=int(width.value), k=int(narrowest.value)))
