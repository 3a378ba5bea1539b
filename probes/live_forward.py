"""One forward pass with hooks: input and label statistics, per-layer activations.

The output itself is judged in :mod:`.live_output`.

Thresholds are named constants. All functions work on a private copy of the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import nn

from dldoctor.engine.values import UNKNOWN
from dldoctor.numbers import num

from .base import Finding
from .evidence import Pct, say
from .live_runtime import first_tensor
from .losses import class_count, is_binary
from .models import Batch
from .pixel_order import channel_order_finding, pixel_order_finding
from .sequence_order import interleaved_sequences_finding

__all__ = ["LayerRecord", "ForwardRun", "run_forward", "input_findings", "label_findings",
           "target_order_findings",
           "activation_findings", "pooled_gates", "code_columns"]

#: Inputs whose mean is further than this from 0 are not centred. Positive unit-scale
#: quantities (ratios, amounts in [0.1, 2]: mean 1.05, std 0.56) are fine as they are; every
#: unnormalised batch in the benchmark and the hand sets sits at |mean| 26 or more, or its
#: std is out of bounds. A mean within one std of 0 is no offset that dominates the inputs
#: either (set 349's GC profiles: mean 2.08, std 3.97, trained fine at a tenth of the rate).
INPUT_MEAN_MAX = 2.0
#: Inputs whose std is outside these bounds are not scaled.
INPUT_STD_MIN, INPUT_STD_MAX = 0.05, 5.0
#: An image batch is zero-centred when its mean is within this share of its std (or of 1).
IMAGE_CENTRED_SHARE = 0.1
#: Regression targets spread beyond this std, or centred beyond this offset, are far from
#: the output layer's scale (an offset of tens, such as a log price near 12, the output bias
#: learns in passing; a spread of tens or an offset of hundreds it does not).
TARGET_STD_MAX, TARGET_MEAN_MAX = 10.0, 100.0
#: A sigmoid output beyond [ε, 1-ε], or a tanh output beyond 1-ε in size, is saturated.
SATURATION_EPS = 0.01


@dataclass
class LayerRecord:
    """What one leaf module produced."""

    name: str
    module: nn.Module
    std: float
    finite: bool
    inputs_finite: bool
    dead_fraction: float | None = None
    saturated_fraction: float | None = None
    ndim: int | None = None  # dimensions of its output: 2 is (batch, features)
    width: int | None = None  # size of its output's last axis (1: one score per position)


@dataclass
class ForwardRun:
    layers: list[LayerRecord] = field(default_factory=list)
    output: torch.Tensor | None = None
    fed_as_float: bool = False
    last_leaf_output: torch.Tensor | None = None  # what the last leaf module returned

    @property
    def output_is_last_leaf(self) -> bool:
        """The model returns its last leaf module's output untouched: no functional
        activation (``torch.sigmoid``, ``F.softmax``) was applied after it. A squeeze, view
        or flatten moves no value (a forecaster's ``head(h).squeeze(-1)``)."""
        a, b = self.output, self.last_leaf_output
        return a is not None and b is not None and a.numel() == b.numel() and \
            a.dtype == b.dtype and bool(torch.equal(a.detach().reshape(-1), b.reshape(-1)))


#: Fewer samples than this cannot tell a dead unit from one that happens to be off: on a
#: single sample about half the units of a healthy ReLU layer are 0.
MIN_DEAD_SAMPLES = 8


def _dead_fraction(out: torch.Tensor) -> float | None:
    """Share of units (all dims but the batch) that are zero for every sample; None for a
    batch of fewer than :data:`MIN_DEAD_SAMPLES` samples."""
    if out.dim() < 2:
        return float((out <= 0).all()) if out.numel() >= MIN_DEAD_SAMPLES else None
    if out.shape[0] < MIN_DEAD_SAMPLES:
        return None
    fired = (out > 0).flatten(1).any(dim=0)
    return float(1.0 - fired.float().mean())


def _record(name: str, module: nn.Module, inputs: tuple[object, ...], out: torch.Tensor
            ) -> LayerRecord:
    detached = out.detach().float()
    finite = bool(torch.isfinite(detached).all())
    inputs_finite = all(bool(torch.isfinite(i.detach().float()).all())
                        for i in inputs if isinstance(i, torch.Tensor) and i.is_floating_point())
    values = detached[torch.isfinite(detached)]
    std = float(values.std()) if values.numel() > 1 else 0.0
    record = LayerRecord(name, module, std, finite, inputs_finite, ndim=out.dim(),
                         width=int(out.shape[-1]) if out.dim() else None)
    if isinstance(module, nn.ReLU | nn.ReLU6):
        record.dead_fraction = _dead_fraction(detached)
    elif isinstance(module, nn.Sigmoid):
        record.saturated_fraction = float(((values < SATURATION_EPS) |
                                           (values > 1 - SATURATION_EPS)).float().mean())
    elif isinstance(module, nn.Tanh):
        record.saturated_fraction = float((values.abs() > 1 - SATURATION_EPS).float().mean())
    return record


def run_forward(model: nn.Module, batch: Batch, device: torch.device) -> ForwardRun:
    """Run the model once in eval-free train mode with a hook on every leaf module."""
    run = ForwardRun()
    handles = []
    for name, module in model.named_modules():
        if next(module.children(), None) is not None:
            continue

        def hook(mod: nn.Module, args: tuple[object, ...], out: object, name: str = name) -> None:
            tensor = first_tensor(out)
            if tensor is not None and tensor.is_floating_point():
                run.layers.append(_record(name, mod, args, tensor))
                run.last_leaf_output = tensor.detach()

        handles.append(module.register_forward_hook(hook))
    inputs = batch.inputs.to(device)
    try:
        with torch.no_grad():
            try:
                output = model(inputs)
            except RuntimeError:
                if inputs.is_floating_point():
                    raise
                run.layers.clear()
                run.fed_as_float = True
                output = model(inputs.float())
    finally:
        for handle in handles:
            handle.remove()
    run.output = first_tensor(output, batch.targets)
    return run


def _made_by_arithmetic(data: torch.Tensor, finite: torch.Tensor,
                        fact: str = "input.non_finite_made") -> Finding:
    """``input.non_finite_made``: the inputs' non-finite values are what arithmetic in the
    preprocessing makes, not missing data: only -inf (log of 0), an inf (a division by 0),
    or NaN at the same positions in every sample (0/0 over a feature that is constant, e.g.
    standardising by a zero std). Missing values (NaN scattered over samples) are data. A
    tensor that is NaN throughout says neither: one NaN statistic (a mean or std taken over
    data with gaps, a scale that is NaN) spreads over every value whatever made it."""
    bad = ~finite
    neg = bool((data[bad] == -math.inf).all())
    inf = bool(torch.isinf(data[bad]).any())
    nan = torch.isnan(data)
    same_everywhere = data.shape[0] > 1 and bool(nan.any()) and \
        bool(torch.equal(nan.all(dim=0), nan.any(dim=0)))
    if neg:
        return Finding(fact, True, say("input.made_neg_inf"))
    if inf:
        return Finding(fact, True, say("input.made_inf"))
    if bool(nan.all()):
        return Finding(fact, UNKNOWN, say("input.all_nan", n=int(data.numel())))
    if same_everywhere:
        where = int(nan.all(dim=0).sum())
        return Finding(fact, True, say("input.made_nan_feature", n=where))
    return Finding(fact, False, say("input.scattered_nan"))


def input_findings(batch: Batch) -> list[Finding]:
    x = batch.inputs
    found = [Finding("input.is_uint8", x.dtype == torch.uint8,
                     say("input.dtype", dtype=str(x.dtype)))]
    if not x.is_floating_point() and x.dtype != torch.uint8:
        found.append(_extra_off_scale(batch) or Finding(
            "input.not_normalized", False, say("input.integer", dtype=str(x.dtype))))
        found.append(Finding("input.non_finite", False,  # integers cannot be NaN or inf
                             say("input.integer", dtype=str(x.dtype))))
        return found
    if (order := pixel_order_finding(x)) is not None:
        found.append(order)
    if (interleaved := interleaved_sequences_finding(x)) is not None:
        found.append(interleaved)
    if (channels := channel_order_finding(x)) is not None:
        found.append(channels)
    data = x.double()
    finite = torch.isfinite(data)
    bad = int((~finite).sum())
    found.append(Finding("input.non_finite", bad > 0,
                         say("input.non_finite", bad=int(bad), n=int(x.numel())) if bad
                         else say("input.finite")))
    if bad:
        found.append(_made_by_arithmetic(data, finite))
    scale = _scale(data)
    if scale is None:
        return found
    mean, std, low, high, codes, off = scale
    words = say("input.stats", mean=mean, std=std, low=low, high=high)
    if codes:
        words = say("input.stats_without_codes", stats=words, n=len(codes))
    rows = rows_normalised(data) if off else None
    if rows is not None:  # features scaled per sample: small values are their nature
        off, words = False, say("input.rows_normalised", norm=rows, stats=words)
        found.append(Finding("input.rows_normalised", True, words))
    found.append((None if off else _extra_off_scale(batch)) or Finding(
        "input.not_normalized", off, words,
        {"mean": mean, "std": std, "min": low, "max": high, "code_columns": sorted(codes)}))
    if x.dim() == 4:  # (N, C, H, W) or (N, H, W, C): pixels share one range
        centred = abs(mean) <= IMAGE_CENTRED_SHARE * max(std, 1.0)
        found.append(Finding("input.image_zero_centred", centred,
                             say("input.image_centred" if centred else "input.image_not_centred",
                                 mean=mean, std=std)))
    else:
        found.append(Finding("input.image_zero_centred", False,
                             say("input.not_image", shape=str(tuple(x.shape)))))
    return found


#: Rows "normalised" when at least this share of the non-zero ones has a sum (or L2 norm) …
ROWS_NORMALISED_SHARE = 0.95
#: … within this of 1.
ROWS_NORMALISED_TOLERANCE = 0.02


def rows_normalised(data: torch.Tensor) -> str | None:
    """"sum" or "L2" when a (samples, features) batch of non-negative values has every
    non-zero row scaled to sum 1 or to unit L2 norm — bag-of-words or graph-node features
    normalised per sample, whose small per-feature values are their scale; None otherwise."""
    if data.dim() != 2 or data.shape[1] < 8 or not bool(torch.isfinite(data).all()) or \
            float(data.min()) < 0:
        return None
    live = data[data.abs().sum(1) > 0]
    if live.shape[0] < 4:
        return None
    for name, norms in (("sum", live.sum(1)), ("L2", live.norm(dim=1))):
        close = (norms - 1).abs() <= ROWS_NORMALISED_TOLERANCE
        if float(close.double().mean()) >= ROWS_NORMALISED_SHARE:
            return name
    return None


def _scale(data: torch.Tensor) -> tuple[float, float, float, float, set[int], bool] | None:
    """Mean, std, min and max of a batch tensor's finite values (category-code columns left
    out, their indices returned), and whether they are far from unit scale; None for fewer
    than two values."""
    codes = code_columns(data)
    if codes:  # category codes beside continuous features: only the features are scaled
        data = data[:, [i for i in range(data.shape[1]) if i not in codes]]
    values = data[torch.isfinite(data)]
    if values.numel() < 2:
        return None
    mean, std = float(values.mean()), float(values.std())
    off = abs(mean) > max(INPUT_MEAN_MAX, std) or not INPUT_STD_MIN <= std <= INPUT_STD_MAX
    return mean, std, float(values.min()), float(values.max()), codes, off


def _coordinates(tensor: torch.Tensor) -> bool:
    """Whether every row of a (N, T) tensor rises along T, strictly somewhere and never
    falling: the observation times of an irregular series (an ODE-RNN's ``times``) or
    positions, which a model reads as an axis — their scale is the clock's, not a feature's."""
    if tensor.dim() != 2 or tensor.shape[1] < 3 or not bool(torch.isfinite(tensor).all()):
        return False
    steps = tensor[:, 1:] - tensor[:, :-1]
    return bool((steps >= 0).all() and (steps > 0).any(dim=1).all())


def _extra_off_scale(batch: Batch) -> Finding | None:
    """``input.not_normalized`` for the first float tensor the batch file holds for another
    argument of ``forward`` (``{"inputs": ids, "num": amounts, …}``) whose values are far
    from unit scale and not within [-1, 1]; None when there is none."""
    for name, tensor in batch.named.items():
        if not tensor.is_floating_point() or tensor.dim() < 2 or \
                tensor.shape[0] != batch.inputs.shape[0]:
            continue
        if _coordinates(tensor):
            continue  # observation times or positions: an axis the model reads, no feature
        scale = _scale(tensor.double())
        if scale is not None and scale[5] and not -1.0 <= scale[2] <= scale[3] <= 1.0:
            # within [-1, 1] an extra argument is a mask, an attention bias or a graph's
            # normalised adjacency (a GCN's D^-1/2 A D^-1/2: small and sparse by design),
            # never a raw scale (a healthy GCN had read as unnormalised inputs at 0.65)
            mean, std, low, high = scale[:4]
            return Finding("input.not_normalized", True,
                           say("input.stats_named", name=name, mean=mean, std=std,
                               low=low, high=high),
                           {"mean": mean, "std": std, "tensor": name})
    return None


#: A whole-number column at or above this is a raw feature (an amount, an id), not a code.
MAX_CODE = 100_000


def code_columns(data: torch.Tensor) -> set[int]:
    """Columns of a (N, F) table that hold only whole numbers >= 0 below :data:`MAX_CODE`, not
    all the same (category codes or counts a model looks up in an embedding), when other
    columns hold continuous values, with the constant small whole columns beside them; empty
    when the table is all codes or all continuous, or not a table. A constant 1e6 column is a
    feature out of scale, not a code."""
    if data.dim() != 2 or data.shape[1] < 2 or data.shape[0] < 2:
        return set()
    finite = torch.isfinite(data).all(dim=0)
    whole = ((data == data.round()) & (data >= 0)).all(dim=0) & finite
    # a code varies and indexes a table of a sane size; a constant small whole column (a pixel
    # that is always 0) carries nothing to scale; a constant 1e6 column is out of scale
    varies = (data.max(dim=0).values > data.min(dim=0).values)
    small = data.abs().max(dim=0).values < MAX_CODE
    codes = {int(i) for i in torch.nonzero(whole & varies & small).flatten()}
    blank = {int(i) for i in torch.nonzero(whole & ~varies & small).flatten()}
    if not codes or len(codes | blank) == data.shape[1]:
        return set()
    return codes | blank


def _one_output(y: torch.Tensor, output: torch.Tensor | None) -> list[Finding]:
    """``batch.one_output_for_classes``: one output per sample against integer (long) class
    ids of three or more classes. CrossEntropyLoss cannot take it and MSELoss wants floats:
    the ids were turned into numbers and regressed."""
    if output is None or y.is_floating_point() or y.dim() != 1 or output.shape[0] != y.shape[0]:
        return []
    width = 1 if output.dim() == 1 else int(output[0].numel())
    if width != 1:
        return [Finding("batch.one_output_for_classes", False,
                        say("batch.outputs_per_sample", width=width))]
    k = int(torch.unique(y).numel())
    return [Finding("batch.one_output_for_classes", k >= 3,
                    say("batch.one_output_ids", k=k, dtype=str(y.dtype).removeprefix("torch.")))]


def _one_score_each(output: torch.Tensor | None, size: int) -> bool:
    """The output is one score per sample (or unknown): float 0/1 targets beside it are binary
    labels. Beside a wider output they are no labels of it — a density model's placeholder
    zeros (``TensorDataset(x, torch.zeros(n))``) hold no class."""
    return output is None or (output.shape[0] == size and output[0].numel() == 1)


def label_findings(batch: Batch, output: torch.Tensor | None = None,
                   leaf: torch.Tensor | None = None) -> list[Finding]:
    """Batch size, and the class make-up of the batch when the targets are class labels
    (``leaf``: what the model's last leaf module returned, beside its ``output``)."""
    size = int(batch.inputs.shape[0])
    found = [Finding("batch.size", float(size), say("batch.size", n=int(size)))]
    y = batch.targets
    if y is None:
        return found
    found += _binary_label_findings(y, output) + _target_scale(y, output, leaf) + \
        _one_output(y, output) + \
        target_order_findings(y)
    found += _labels_beyond_the_head(y, output) + _per_label_targets_above_one(y, output) + \
        _trained_ranking(y, output) + _label_imbalance(y, output)
    n_classes = class_count(output, y)
    if y.is_floating_point() and y.dim() == 2 and bool(((y == 0) | (y == 1)).all()) \
            and bool((y.sum(1) == 1).all()):
        y = y.argmax(1)  # one-hot
    elif y.is_floating_point() and is_binary(y) and y.dim() <= 2 and y.numel() == size \
            and _one_score_each(output, size):
        if bool((y == y.reshape(-1)[0]).all()) and (pair := _pair_input(batch)) is not None:
            return found + [Finding("batch.single_class", UNKNOWN,
                                    say("batch.pair_targets", label=float(y.reshape(-1)[0]),
                                        name=pair))]
        y = y.reshape(-1).long()  # binary {0, 1} targets
    if y.is_floating_point() or y.dim() != 1:
        return found
    classes, counts = torch.unique(y, return_counts=True)
    ratio = float(counts.max() / counts.min())
    single = classes.numel() == 1
    too_small = n_classes is not None and size < n_classes
    if single and (candidates := _candidate_layout(batch, int(classes[0]), output)) is not None:
        return found + [Finding("batch.single_class", False,
                                say("batch.candidate_layout", label=int(classes[0]),
                                    name=candidates[0], k=candidates[1]))]
    return found + [
        Finding("batch.single_class", UNKNOWN if single and too_small else single,
                say("batch.classes_small", n=int(y.numel()), k=int(classes.numel()),
                    label=int(classes[0]), size=size, classes=n_classes)
                if single and too_small else
                say("batch.one_class", n=int(y.numel()), label=int(classes[0])) if single else
                say("batch.classes", n=int(y.numel()), k=int(classes.numel()))),
        Finding("batch.imbalance_ratio", ratio,
                say("batch.imbalance", most=int(counts.max()), least=int(counts.min()),
                    k=int(classes.numel())),
                {"counts": {int(c): int(n) for c, n in zip(classes, counts, strict=True)}}),
        *_coverage(int(classes.numel()),
                   int(y.max()) + 1 if _unit_rows(output) else n_classes, size),
        *_runs(y, counts),
    ]


def _labels_beyond_the_head(y: torch.Tensor, output: torch.Tensor | None) -> list[Finding]:
    """``batch.labels_out_of_range`` true when integer class-index targets reach K or beyond
    for the K scores the model gives each sample (or each position of a sequence, outputs
    (N, T, K) against targets (N, T)); a negative label is padding a loss may be told to skip
    (``ignore_index=-1``; -100 by default), no class. Never false: one batch in range says
    nothing of the labels elsewhere."""
    if output is None or y.is_floating_point() or y.dtype == torch.bool or not y.numel():
        return []
    if output.dim() == 2 and y.dim() == 1 and output.shape[0] == y.shape[0]:
        k = int(output.shape[1])
    elif output.dim() == 3 and y.dim() == 2 and tuple(output.shape[:2]) == tuple(y.shape):
        k = int(output.shape[2])
    else:
        return []
    labels = y[y >= 0]  # a negative label is padding a loss may skip (ignore_index=-1, -100)
    bad = labels >= k
    if k < 2 or not bool(bad.any()):
        return []
    outside = sorted({int(v) for v in labels[bad].unique()[:8]})
    return [Finding("batch.labels_out_of_range", True,
                    say("batch.labels_out_of_range", n=int(bad.sum()), total=int(labels.numel()),
                        labels=outside, k=k, last=k - 1))]


def _counts(values: torch.Tensor) -> bool:
    """Finite values that are whole numbers from 0 up, some above 1 (counts, or codes)."""
    return bool((values >= 0).all() and (values == values.round()).all() and values.max() > 1)


def _per_label_targets_above_one(y: torch.Tensor, output: torch.Tensor | None
                                 ) -> list[Finding]:
    """``batch.multilabel_targets_above_one`` true when the targets have the output's shape
    (N, K ≥ 2) and are whole numbers from 0 up, some above 1: per-label codes (a severity 2)
    where a per-label binary loss takes 0 or 1 — or counts a regression predicts; the loss
    tells the two apart (a BCE against a target above 1 rewards a logit without bound, so its
    loss runs below zero). Nothing otherwise."""
    if output is None or output.dim() != 2 or tuple(y.shape) != tuple(output.shape) or \
            output.shape[1] < 2 or y.dtype == torch.bool or not y.numel():
        return []
    values = y.detach().float()
    if not bool(torch.isfinite(values).all()) or not _counts(values):
        return []
    above = values > 1
    return [Finding("batch.multilabel_targets_above_one", True,
                    say("batch.multilabel_targets_above_one", n=int(above.sum()),
                        total=int(values.numel()), high=float(values.max()),
                        k=int(output.shape[1])))]


def _label_imbalance(y: torch.Tensor, output: torch.Tensor | None) -> list[Finding]:
    """``batch.label_imbalance_ratio`` for multi-hot targets (N, K ≥ 2 labels of 0/1, not one
    per row): the rarest side of the most skewed label, as its majority over its minority
    count (N when a label never occurs, or always does). Nothing for other targets."""
    if y.dim() != 2 or y.shape[1] < 2 or y.shape[0] < 2 or y.dtype == torch.bool or \
            (output is not None and tuple(output.shape) != tuple(y.shape)):
        return []
    values = y.detach().float()
    if not bool(((values == 0) | (values == 1)).all()) or bool((values.sum(1) == 1).all()):
        return []
    n = int(values.shape[0])
    positives = values.sum(0)
    rare = torch.minimum(positives, n - positives)
    label = int(torch.argmin(rare))
    least = int(rare[label])
    ratio = float(n) if least == 0 else (n - least) / least
    return [Finding("batch.label_imbalance_ratio", ratio,
                    say("batch.label_imbalance", label=label, least=least, n=n,
                        k=int(values.shape[1])))]


#: A label is ranked only with this many positives and negatives in the batch.
RANKED_MIN = 8


def _auc(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """The probability that a positive scores above a negative (ties count half)."""
    ranks = torch.empty_like(scores, dtype=torch.float64)
    order = torch.argsort(scores, stable=True)
    ranks[order] = torch.arange(1, scores.numel() + 1, dtype=torch.float64)
    for value in torch.unique(scores):  # tied scores share their mean rank
        tied = scores == value
        if int(tied.sum()) > 1:
            ranks[tied] = ranks[tied].mean()
    positives = labels.bool()
    n_pos, n_neg = int(positives.sum()), int((~positives).sum())
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _trained_ranking(y: torch.Tensor, output: torch.Tensor | None) -> list[Finding]:
    """``batch.trained_auc``: how well the trained model's scores rank the batch's 0/1 targets
    (binary or per-label, one score per target): the mean ROC AUC over the labels with
    :data:`RANKED_MIN` positives and negatives or more. A model that learnt anything about
    its labels ranks them well above a coin (0.5) even where every thresholded prediction is
    the majority — rare positives still score higher than the rest; near 0.5 its scores
    carry nothing about these labels. Nothing for other targets."""
    if output is None or not y.is_floating_point() or y.numel() != output.numel() or \
            y.shape[0] != output.shape[0] or not is_binary(y):
        return []
    width = int(y[0].numel())
    labels, scores = y.reshape(y.shape[0], width), output.detach().reshape(y.shape[0], width)
    if not bool(torch.isfinite(scores).all()):
        return []
    aucs = [_auc(scores[:, k].double().cpu(), labels[:, k].cpu()) for k in range(width)
            if RANKED_MIN <= int(labels[:, k].sum()) <= labels.shape[0] - RANKED_MIN]
    if not aucs:
        return []
    value = sum(aucs) / len(aucs)
    return [Finding("batch.trained_auc", value,
                    say("batch.trained_auc", auc=value, k=len(aucs), n=int(y.shape[0]),
                        low=min(aucs), high=max(aucs)))]


#: Targets "come in runs" when the label changes between neighbours at most this share of
#: the times a shuffled order of the same labels would.
RUNS_SHARE = 0.5


def _runs(y: torch.Tensor, counts: torch.Tensor) -> list[Finding]:
    """``batch.targets_in_runs``: the batch's labels sit in runs of one class (a slice of data
    grouped by class: few changes between neighbours), not in a shuffled order; for batches
    of two classes or more."""
    n = int(y.numel())
    if counts.numel() < 2 or n < 4:
        return []
    changes = int((y[1:] != y[:-1]).sum())
    # a random order of these labels changes n − Σ cᵢ²/n times on average
    expected = n - float((counts.double() ** 2).sum()) / n
    runs = changes <= RUNS_SHARE * expected
    return [Finding("batch.targets_in_runs", runs,
                    say("batch.runs", changes=changes, expected=expected, n=n,
                        k=int(counts.numel())))]


def _pair_input(batch: Batch) -> str | None:
    """The name of a second float input shaped like the first (``forward(pos, neg)``,
    ``forward(anchor, other)``): a pair's one float target may be constant by design
    (MarginRankingLoss's y = 1, "the first should rank higher"). None when there is none."""
    return next((name for name, tensor in batch.named.items()
                 if tensor.is_floating_point() and tensor.shape == batch.inputs.shape), None)


def _candidate_layout(batch: Batch, label: int, output: torch.Tensor | None
                      ) -> tuple[str, int] | None:
    """(name, K) of a tensor of integer ids, one row of K ≥ 2 per sample, when the model
    scores each of them (its output is (N, K)) and every target points at the same position
    ``label`` < K: the positive first and its negatives after (skip-gram with negative
    sampling, a Poincaré embedding's candidates, InfoNCE) — the targets mark a position by
    construction, no class. None otherwise (a text classifier's (N, T) token ids are scored
    as C classes, not T candidates)."""
    size = int(batch.inputs.shape[0])
    if output is None or output.dim() != 2 or int(output.shape[0]) != size:
        return None
    tensors = [("inputs", batch.inputs), *batch.named.items()]
    for name, tensor in tensors:
        if not tensor.is_floating_point() and tensor.dim() == 2 and \
                int(tensor.shape[0]) == size and 2 <= int(tensor.shape[1]) and \
                label < int(tensor.shape[1]) and tensor.dtype != torch.bool and \
                int(tensor.shape[1]) == int(output.shape[1]):
            return name, int(tensor.shape[1])
    return None


#: Rows a batch's order is read over, and the distinct target values it needs.
ORDER_MIN_ROWS, ORDER_MIN_VALUES = 16, 8
#: Rank correlation of the targets with the row index at least this: the batch came sorted
#: (a shuffled batch's is about ±1/√n: 0.06 for 256 rows).
SORTED_RANK = 0.98


def target_order_findings(y: torch.Tensor) -> list[Finding]:
    """``batch.targets_sorted``: one float target per sample, rising or falling with the row
    index almost perfectly — the loader handed the data over in sorted order."""
    if not y.is_floating_point() or y.shape[0] < ORDER_MIN_ROWS or \
            y.numel() != y.shape[0] or not bool(torch.isfinite(y).all()):
        return []
    values = y.detach().double().reshape(-1)
    if torch.unique(values).numel() < ORDER_MIN_VALUES:
        return []
    ranks = values.argsort().argsort().double()
    index = torch.arange(values.numel(), dtype=torch.float64)
    a, b = ranks - ranks.mean(), index - index.mean()
    rank = float((a * b).sum() / torch.sqrt((a * a).sum() * (b * b).sum()))
    return [Finding("batch.targets_sorted", abs(rank) >= SORTED_RANK,
                    say("batch.targets_order", rank=rank, n=int(values.numel())),
                    {"rank": rank})]


def _unit_rows(output: torch.Tensor | None) -> bool:
    """Output rows of L2 norm 1 (``F.normalize``): an embedding that a contrastive or metric
    loss compares, not one logit per class — its width is no class count."""
    if output is None or output.dim() != 2 or output.shape[1] < 2 or output.shape[0] < 2:
        return False
    norms = output.detach().float().norm(dim=1)
    return bool(torch.isfinite(norms).all()) and bool(((norms - 1).abs() < 1e-3).all())


def _on_the_targets_scale(output: torch.Tensor | None, leaf: torch.Tensor | None,
                          values: torch.Tensor) -> tuple[float, float] | None:
    """The output's (mean, std) when the model's forward brings its last layer's output onto
    the targets' scale — the output's mean within half a target std of theirs, its spread at
    most 3× theirs, while what the last leaf module returned is off that scale (its mean more
    than a target std away) — else None: a model that un-scales its own output (``out * std +
    mean`` from stored buffers) is fed raw targets by design, and no output layer has to
    travel to them. A last layer that reached the targets itself (an autoencoder rebuilding
    raw inputs) is no such design."""
    if output is None or leaf is None or not output.is_floating_point() or \
            not leaf.is_floating_point() or output.numel() != values.numel() or \
            leaf.numel() != output.numel():
        return None
    out, last = output.detach().double().reshape(-1), leaf.detach().double().reshape(-1)
    if not (bool(torch.isfinite(out).all()) and bool(torch.isfinite(last).all())) or \
            out.numel() < 2:
        return None
    mean, std = float(out.mean()), float(out.std())
    target_mean, target_std = float(values.mean()), float(values.std())
    if target_std <= 0 or abs(mean - target_mean) > 0.5 * target_std or std > 3 * target_std:
        return None
    if abs(float(last.mean()) - target_mean) <= target_std:
        return None  # the last layer itself sits on the targets' scale: it travelled there
    return mean, std


def _target_scale(y: torch.Tensor, output: torch.Tensor | None = None,
                  leaf: torch.Tensor | None = None) -> list[Finding]:
    """``target.not_normalized``: float regression targets (not 0/1 labels) whose spread or
    centre is far from unit scale; an output layer starting near 0 must travel there — unless
    the model's output already sits on their scale."""
    if not y.is_floating_point() or is_binary(y):
        return [Finding("target.not_normalized", False,
                        say("target.labels", dtype=str(y.dtype).removeprefix("torch.")))]
    data = y.detach().double()
    finite = torch.isfinite(data)
    bad = int((~finite).sum())
    broken = [Finding("target.non_finite", bad > 0,
                      say("target.non_finite", bad=bad, n=int(data.numel())) if bad
                      else say("target.finite"))]
    if bad:  # broken targets have no scale to judge; how they broke is the reading
        return [*broken, _made_by_arithmetic(data, finite, "target.non_finite_made"),
                Finding("target.not_normalized", UNKNOWN,
                        say("target.non_finite", bad=bad, n=int(data.numel())))]
    values = data.reshape(-1)
    if values.numel() < 2:
        return broken
    mean, std = float(values.mean()), float(values.std())
    off = abs(mean) > TARGET_MEAN_MAX or std > TARGET_STD_MAX
    words = say("target.stats", mean=mean, std=std, low=float(values.min()),
                high=float(values.max()))
    if off and (matched := _on_the_targets_scale(output, leaf, values)) is not None:
        off, words = False, say("target.model_unscales", mean=mean, std=std,
                                out_mean=matched[0], out_std=matched[1])
    counts = _counts(values)
    positive = bool((values >= 0).all() and values.max() > 0)
    return [*broken, Finding("target.not_normalized", off, words, {"mean": mean, "std": std}),
            Finding("target.non_negative", positive,
                    say("target.range", low=float(values.min()), high=float(values.max()))),
            Finding("target.mean", mean, words), Finding("target.std", std, words),
            *([Finding("target.mean_over_std", abs(mean) / std, words)] if std > 0 else []),
            Finding("target.counts", counts, say("target.counts" if counts else
                                                 "target.not_counts", low=float(values.min()),
                                                 high=float(values.max())))]


def _coverage(present: int, n_classes: int | None, size: int) -> list[Finding]:
    """``batch.class_coverage``: the classes in the batch over the number a shuffled batch of
    this size would hold, n·(1 − (1 − 1/n)^size), for 3 or more classes (0.3: three of ten
    classes in a batch of 100, where a shuffled one holds all ten)."""
    if not n_classes or n_classes < 3 or size < 2:
        return []
    expected = n_classes * (1 - (1 - 1 / n_classes) ** size)
    return [Finding("batch.class_coverage", present / expected,
                    say("batch.coverage", k=present, n=n_classes, size=size,
                        expected=expected))]


def _binary_label_findings(y: torch.Tensor, output: torch.Tensor | None) -> list[Finding]:
    """``batch.binary_labels_not_01``: a one-score-per-target (binary) head whose targets take
    two values other than 0 and 1 (e.g. 1/2 or -1/1), which a binary cross-entropy misreads."""
    if output is None or output.numel() != y.numel() or y.numel() < 2:
        return []
    values = torch.unique(y.detach().double().reshape(-1))
    if values.numel() > 2:
        return []
    coded = [float(v) for v in values]
    bad = not set(coded) <= {0.0, 1.0}
    return [Finding("batch.binary_labels_not_01", bad,
                    say("batch.binary_bad" if bad else "batch.binary",
                        values=", ".join(num(v) for v in coded)))]


#: Modules that end a gate: a squeeze-and-excitation block's or an attention gate's sigmoid.
_GATE_ENDS = (nn.Sigmoid, nn.Hardsigmoid)


def pooled_gates(run: ForwardRun) -> set[str]:
    """Names of the sigmoids over pooled channels ((B, C, 1, 1): squeeze-and-excitation,
    IMDN's contrast attention): they gate the feature maps they multiply, and the signal does
    not pass through them, so they are no hidden activation of the network."""
    return {r.name for r in run.layers if isinstance(r.module, _GATE_ENDS)
            and (r.ndim or 0) >= 3 and r.width == 1}


def _gate_bottlenecks(run: ForwardRun) -> set[int]:
    """Positions in ``run.layers`` of ReLU layers inside a gate: one weight layer, then a
    sigmoid (squeeze-and-excitation's ``Linear → ReLU → Linear → Sigmoid`` over channel
    means). A few units there silent on every sample only sharpen or flatten a per-channel
    scale; the signal itself flows around them."""
    layers = run.layers
    return {i for i, r in enumerate(layers[:-2]) if r.dead_fraction is not None
            and isinstance(layers[i + 1].module, nn.Linear | nn.Conv1d | nn.Conv2d | nn.Conv3d)
            and isinstance(layers[i + 2].module, _GATE_ENDS)}


def _most_silent(run: ForwardRun) -> tuple[LayerRecord, int] | None:
    """The ReLU layer with the largest share of units that never fire on the batch, and how
    many ReLU layers there are, leaving out those inside a gate; None without any."""
    gates = _gate_bottlenecks(run)
    relus = [r for i, r in enumerate(run.layers) if r.dead_fraction is not None
             and i not in gates]
    if not relus:
        return None
    return max(relus, key=lambda r: r.dead_fraction or 0.0), len(relus)


def _dead_share(run: ForwardRun, fact: str, key: str) -> list[Finding]:
    """The largest share of units that never fire on the batch over the ReLU layers."""
    if (most := _most_silent(run)) is None:
        return []
    worst, n = most
    return [Finding(fact, worst.dead_fraction, say(key, share=Pct(worst.dead_fraction or 0.0),
                                                    layer=worst.name, n=n))]


def _hidden_layers(run: ForwardRun) -> list[LayerRecord]:
    """The layers whose activation scale says how the signal carries: not the head, not a
    dropout, not a lookup table (an embedding's output is its table's chosen scale — a
    factorisation machine's first-order weights start at 0, its factors at 0.01), not a
    layer of one unit (a score, a gate or a second head — a diffusion coefficient's scale
    is the noise it predicts), not a recurrent layer (its states are a tanh's, kept small by
    its gates: their scale is the memory's, not the signal dying with depth)."""
    return [r for r in run.layers[:-1] if r.finite and r.width != 1
            and not isinstance(r.module, nn.Dropout | nn.Embedding | nn.EmbeddingBag
                               | nn.RNNBase)]


def fresh_activation_findings(run: ForwardRun) -> list[Finding]:
    """The freshly built model's largest hidden activation std and its largest share of ReLU
    units that never fire: the initialisation's own effect, before any training step."""
    found: list[Finding] = []
    hidden = _hidden_layers(run)
    if hidden:
        high = max(hidden, key=lambda r: r.std)
        found.append(Finding("init.act_std_max", high.std,
                             say("init.act_std_max", std=high.std, layer=high.name)))
    return found + _dead_share(run, "init.dead_relu_fraction", "init.dead")


def dead_since_init_findings(run: ForwardRun, fresh: ForwardRun) -> list[Finding]:
    """``act.dead_layer_at_init``: in the freshly built model, the share of silent units of
    the layer that is most silent in the trained one — dead from the start, or killed by
    training (another layer dead at init says nothing of this one)."""
    if (most := _most_silent(run)) is None:
        return []
    worst = most[0]
    before = next((r for r in fresh.layers if r.name == worst.name
                   and r.dead_fraction is not None), None)
    if before is None or before.dead_fraction is None:
        return []
    return [Finding("act.dead_layer_at_init", before.dead_fraction,
                    say("act.dead_at_init", layer=worst.name,
                        now=Pct(worst.dead_fraction or 0.0), then=Pct(before.dead_fraction)))]


def activation_findings(run: ForwardRun) -> list[Finding]:
    found: list[Finding] = []
    hidden = _hidden_layers(run)
    if hidden:
        low = min(hidden, key=lambda r: r.std)
        high = max(hidden, key=lambda r: r.std)
        found += [Finding("act.std_min", low.std,
                          say("act.std_min", std=low.std, layer=low.name)),
                  Finding("act.std_max", high.std,
                          say("act.std_max", std=high.std, layer=high.name))]
    found += _dead_share(run, "act.dead_relu_fraction", "act.dead")
    saturating = [r for r in run.layers if r.saturated_fraction is not None]
    if saturating:
        worst = max(saturating, key=lambda r: r.saturated_fraction or 0.0)
        found.append(Finding("act.saturated_fraction", worst.saturated_fraction,
                             say("act.saturated", share=Pct(worst.saturated_fraction or 0.0),
                                 layer=worst.name)))
    bad = next((r for r in run.layers if not r.finite), None)
    output = run.output
    between = bad is None and output is not None and output.is_floating_point() and \
        not bool(torch.isfinite(output).all())
    found.append(Finding("forward.non_finite", bad is not None or between,
                         say("forward.nan_in", layer=bad.name) if bad
                         else say("forward.nan_between") if between
                         else say("forward.finite")))
    found.append(Finding("forward.nan_outside_modules", between,
                         say("forward.nan_between") if between else
                         say("forward.nan_in", layer=bad.name) if bad else
                         say("forward.finite")))
    if bad is not None:
        first = next((r for r in run.layers if not r.finite and r.inputs_finite), bad)
        kind = type(first.module).__name__
        found.append(Finding("forward.first_non_finite_layer", first.name or kind,
                             say("forward.first_nan", layer=first.name, kind=kind)))
        found.append(Finding("forward.first_non_finite_op", kind,
                             say("forward.op", layer=first.name, kind=kind)))
    return found
