"""Group a state_dict's tensors into layers and tell each layer's kind from names and shapes.

A state_dict has no module types, so the kind is inferred: running statistics mean BatchNorm,
``weight_ih_l*`` a recurrent layer, a 1-D ``weight`` a normalisation layer, a 2-D one a
linear (or embedding, by name), a 3-to-5-D one a convolution. TorchScript archives give the
real class names, which win. The state_dict order follows module registration, which for
ordinary models is also the order of the forward pass.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass, field
from typing import Literal

from .weight_scan import TensorStats

__all__ = ["COLLAPSED_SCALE", "RECURRENT_WEIGHT", "Layer", "LayerKind", "collapsed_scale",
           "group_layers", "kaiming_std", "lookup_tables"]

LayerKind = Literal["linear", "conv", "embedding", "recurrent", "batchnorm", "norm", "other"]

_RECURRENT = re.compile(r"^(weight|bias)_(ih|hh)(_l\d+(_reverse)?)?$")  # nn.GRU, nn.GRUCell
_EMBEDDING = re.compile(r"(embed|wte|wpe|tok_emb|pos_emb|embedding)", re.I)
_TYPE_KINDS: tuple[tuple[str, LayerKind], ...] = (
    ("BatchNorm", "batchnorm"), ("SyncBatchNorm", "batchnorm"), ("Conv", "conv"),
    ("LSTM", "recurrent"), ("GRU", "recurrent"), ("RNN", "recurrent"),
    ("Embedding", "embedding"), ("Linear", "linear"), ("Norm", "norm"),
)


#: A recurrent layer's matrices (``weight_ih_l0``, ``weight_hh_l1_reverse``): stacked gates,
#: 3 or 4 × hidden rows, and their units start equal after a constant initialisation as a
#: linear layer's do.
RECURRENT_WEIGHT = re.compile(r"weight_(ih|hh)(_l\d+(_reverse)?)?$")


@dataclass
class Layer:
    """The tensors of one module (``prefix.weight``, ``prefix.bias``, running statistics …)."""

    prefix: str
    kind: LayerKind = "other"
    tensors: dict[str, TensorStats] = field(default_factory=dict)

    @property
    def weight(self) -> TensorStats | None:
        if "weight" in self.tensors:
            return self.tensors["weight"]
        recurrent = [t for n, t in self.tensors.items() if n.startswith("weight_ih")]
        return recurrent[0] if recurrent else None

    @property
    def bias(self) -> TensorStats | None:
        return self.tensors.get("bias")

    @property
    def fan_in(self) -> int | None:
        weight = self.weight
        if weight is None or len(weight.shape) < 2:
            return None
        return math.prod(weight.shape[1:])

    @property
    def out_features(self) -> int | None:
        weight = self.weight
        return weight.shape[0] if weight is not None and weight.shape else None


def kaiming_std(fan_in: int) -> float:
    """The std Kaiming-normal init (gain sqrt(2), fan-in mode) gives: sqrt(2 / fan_in)."""
    return math.sqrt(2.0 / fan_in)


#: Every weight matrix below this share of its Kaiming std: the weights have collapsed toward
#: zero, and a step divided by them measures the collapse, not the step.
COLLAPSED_SCALE = 0.01


def collapsed_scale(matrices: list[tuple[float, tuple[int, ...]]]) -> float | None:
    """The median std-to-Kaiming ratio of weight ``matrices`` (std, shape) when it is under
    ``COLLAPSED_SCALE`` and not zero (zeros are the zero-init checks' business), else None:
    most matrices have shrunk, and a median taken over them measures the shrinking (a head
    that kept its scale does not change that)."""
    scales = [std / kaiming_std(math.prod(shape[1:])) for std, shape in matrices
              if len(shape) >= 2 and math.prod(shape[1:]) > 0]
    if not scales or not 0 < (median := statistics.median(scales)) < COLLAPSED_SCALE:
        return None
    return median


def _split(name: str) -> tuple[str, str]:
    prefix, _, leaf = name.rpartition(".")
    return prefix, leaf


def _kind(layer: Layer, type_name: str | None) -> LayerKind:
    if type_name:
        for fragment, kind in _TYPE_KINDS:
            if fragment in type_name:
                if kind in ("conv", "linear", "embedding") and layer.weight is None:
                    break  # a module so named holding no weight of its own (buffers: a graph)
                return kind
    names = set(layer.tensors)
    if {"running_mean", "running_var"} <= names:
        return "batchnorm"
    if any(_RECURRENT.match(n) for n in names):
        return "recurrent"
    weight = layer.tensors.get("weight")
    if weight is None or not weight.floating:
        return "other"
    dims = len(weight.shape)
    bias = layer.tensors.get("bias")
    if dims == 1 or (bias is not None and dims >= 2 and tuple(bias.shape) == tuple(weight.shape)):
        return "norm"  # a gain per feature, or per element (LayerNorm over the last two axes)
    if dims == 2:
        return "embedding" if _EMBEDDING.search(layer.prefix) else "linear"
    if 3 <= dims <= 5:
        return "conv"
    return "other"


def group_layers(stats: list[TensorStats], module_types: dict[str, str] | None = None
                 ) -> list[Layer]:
    """Layers in state_dict order, each with its kind."""
    layers: dict[str, Layer] = {}
    for item in stats:
        prefix, leaf = _split(item.name)
        layers.setdefault(prefix, Layer(prefix)).tensors[leaf] = item
    types = module_types or {}
    for layer in layers.values():
        layer.kind = _kind(layer, types.get(layer.prefix))
    ordered = list(layers.values())
    _lookup_tables(ordered, {**types, **_normalised_outputs(ordered)})
    return ordered


def _normalised_outputs(layers: list[Layer]) -> dict[str, str]:
    """Bias-free 2-D weights whose next module in state order is a norm layer over their row
    count: ``Linear(12, 64, bias=False)`` then ``BatchNorm1d(64)`` (the bias is the norm's
    shift), read as linear layers. A lookup table hands on its columns, never its rows."""
    out: dict[str, str] = {}
    for layer, following in zip(layers, layers[1:], strict=False):
        weight, scale = layer.weight, following.weight
        if layer.kind != "linear" or layer.bias is not None or weight is None or \
                len(weight.shape) != 2 or following.kind not in ("batchnorm", "norm"):
            continue
        width = scale.shape if scale is not None else \
            getattr(following.tensors.get("running_mean"), "shape", None)
        if width is not None and tuple(width) == (weight.shape[0],) != (weight.shape[1],):
            out[layer.prefix] = "Linear"
    return out


def _lookup_tables(layers: list[Layer], types: dict[str, str]) -> None:
    """Mark as embeddings the bias-free 2-D weights (rows, width) that feed their width on: a
    linear layer (out, in) hands ``out`` features to the next layer, a lookup table hands its
    ``width`` columns (``tok`` (12, 64) then a (192, 64) projection). Only where the module's
    type is unknown and the shapes cannot be a chain of linear layers."""
    weighted = [x for x in layers if x.kind in ("linear", "conv", "recurrent", "embedding")
                and x.weight is not None and len(x.weight.shape) >= 2]
    for layer, following in zip(weighted, weighted[1:], strict=False):
        weight = layer.weight
        if layer.kind != "linear" or layer.prefix in types or layer.bias is not None or \
                weight is None or len(weight.shape) != 2:
            continue
        rows, width = weight.shape
        nxt = following.weight
        if nxt is not None and nxt.shape[1] == width != rows:
            layer.kind = "embedding"
    _sibling_tables(weighted, types)
    taken = {x.weight.shape[1] for x in weighted if x.weight is not None}  # input widths
    _tables_over_one_index(weighted, types, taken)
    _tables_feeding_one_layer(weighted, types, taken)
    _tables_concatenated(weighted, types)
    _tables_before_a_wider_layer(weighted, types)


def lookup_tables(stats: list[TensorStats]) -> set[str]:
    """Weight names of lookup tables: the layers read as embeddings, and any bias-free 2-D
    weight with more rows than columns whose row count no layer takes as its input width (a
    single table beside numeric features: a store's (30, 4) into an LSTM of input width 8)."""
    layers = group_layers(stats)
    weighted = [x for x in layers if x.kind in ("linear", "conv", "recurrent", "embedding")
                and x.weight is not None and len(x.weight.shape) >= 2]
    taken = {x.weight.shape[1] for x in weighted if x.weight is not None}
    normed = _normalised_outputs(layers)
    return {f"{x.prefix}.weight" for x in weighted
            if x.kind == "embedding" or _table_like(x, normed, taken)}


def _parent(prefix: str) -> str:
    return prefix.rpartition(".")[0]


def _sibling_tables(weighted: list[Layer], types: dict[str, str]) -> None:
    """Mark as embeddings the bias-free 2-D weights that cannot feed the next layer (its input
    width is not their row count, or nothing follows) and share their width with a table
    already found in the same module: a matrix factorisation's ``item`` (200, 16) beside
    ``user`` (300, 16), its ``item_bias`` (200, 1) beside ``user_bias`` (300, 1)."""
    widths = {(_parent(x.prefix), x.weight.shape[1]) for x in weighted
              if x.kind == "embedding" and x.weight is not None and len(x.weight.shape) == 2}
    for index, layer in enumerate(weighted):
        weight = layer.weight
        if layer.kind != "linear" or layer.prefix in types or layer.bias is not None or \
                weight is None or len(weight.shape) != 2 or \
                (_parent(layer.prefix), weight.shape[1]) not in widths:
            continue
        following = weighted[index + 1].weight if index + 1 < len(weighted) else None
        before = weighted[index - 1].weight if index > 0 else None
        if before is not None and len(before.shape) == 2 and before.shape[1] == weight.shape[0]:
            continue  # it takes what the layer before gives: a chain stored (in, out), as e3nn's
        if following is None or len(following.shape) < 2 or following.shape[1] != weight.shape[0]:
            layer.kind = "embedding"


def _tables_over_one_index(weighted: list[Layer], types: dict[str, str],
                           taken: set[int]) -> None:
    """Mark as embeddings two or more bias-free 2-D weights with the same row count that no
    weight layer takes as its input width: tables over one index space, as a factorisation
    machine's first-order weights ``first`` (110, 1) beside its factors ``emb`` (110, 8) — a
    linear layer's ``out`` rows would feed some layer of that input width."""
    by_rows: dict[int, list[Layer]] = {}
    for layer in weighted[:-1]:  # never the head
        if _table_like(layer, types, taken) and layer.weight is not None:
            by_rows.setdefault(layer.weight.shape[0], []).append(layer)
    for same in by_rows.values():
        if len(same) >= 2:
            for layer in same:
                layer.kind = "embedding"


def _bias_free_matrix(layer: Layer, types: dict[str, str]) -> bool:
    """A bias-free 2-D weight of unknown module type, read so far as a linear layer."""
    weight = layer.weight
    return layer.kind == "linear" and layer.prefix not in types and layer.bias is None and \
        weight is not None and len(weight.shape) == 2


def _tables_concatenated(weighted: list[Layer], types: dict[str, str]) -> None:
    """Mark as embeddings a run of two or more bias-free 2-D weights, none taking what the one
    before gives, whose widths add up exactly to the next layer's input: lookups concatenated
    side by side, small tables included — a recommender's ``video`` (400, 32) and ``age``
    (5, 8) before ``tower.0`` (128, 40). Linear layers in a chain would each take the rows of
    the one before."""
    run: list[Layer] = []
    for layer in weighted:
        weight = layer.weight
        if _bias_free_matrix(layer, types) and weight is not None and not (
                run and run[-1].weight is not None
                and weight.shape[1] == run[-1].weight.shape[0]):
            run.append(layer)
            continue
        if len(run) >= 2 and weight is not None and len(weight.shape) >= 2 and \
                sum(int(x.weight.shape[1]) for x in run if x.weight is not None) \
                == int(weight.shape[1]):
            for table in run:
                table.kind = "embedding"
        run = [layer] if _bias_free_matrix(layer, types) else []


def _tables_before_a_wider_layer(weighted: list[Layer], types: dict[str, str]) -> None:
    """Mark as embeddings a run of two or more bias-free 2-D weights right before a layer
    whose input width none of their row counts is — so they are no chain of linear layers
    ending in it — and within which their widths fit side by side: a tree-planting model's
    ``crew`` (12, 6), ``stock`` (3, 3) and ``prep`` (4, 3) before ``mlp.0`` (64, 16), 12
    embedded columns and 4 numeric features (a square table, or one whose width is another's
    row count, had broken the runs the other readings look for). A run in which each takes
    the rows of the one before is a chain of layers, whatever follows it."""
    run: list[Layer] = []
    for layer in weighted:
        if _bias_free_matrix(layer, types):
            run.append(layer)
            continue
        weight = layer.weight
        if len(run) >= 2 and weight is not None and len(weight.shape) == 2 and \
                layer.kind != "embedding":
            width = int(weight.shape[1])
            shapes = [x.weight.shape for x in run if x.weight is not None]
            chained = all(b[1] == a[0] for a, b in zip(shapes, shapes[1:], strict=False))
            if not chained and all(int(rows) != width for rows, _ in shapes) and \
                    sum(int(cols) for _, cols in shapes) <= width:
                for table in run:
                    table.kind = "embedding"
        run = []


def _table_like(layer: Layer, types: dict[str, str], taken: set[int]) -> bool:
    """A bias-free 2-D weight with more rows than columns whose row count no weight layer
    takes as its input width: read as a linear layer (out, in) its ``out`` features would go
    nowhere."""
    weight = layer.weight
    return _bias_free_matrix(layer, types) and weight is not None and \
        weight.shape[0] > weight.shape[1] and weight.shape[0] not in taken


def _tables_feeding_one_layer(weighted: list[Layer], types: dict[str, str],
                              taken: set[int]) -> None:
    """Mark as embeddings a run of table-like weights right before a layer that takes their
    columns side by side: a tabular model's ``zone`` (50, 8), ``hour`` (24, 4) and ``dow``
    (7, 3) before ``mlp.0`` (64, 17) — 8 + 4 + 3 embedded columns and 2 numeric features.
    Two or more tables whose widths fit within the next layer's input (one table alone is
    :func:`_lookup_tables`'s)."""
    run: list[Layer] = []
    for layer in weighted:
        if _table_like(layer, types, taken):
            run.append(layer)
            continue
        weight = layer.weight
        if run and weight is not None and len(weight.shape) >= 2 and layer.kind != "embedding":
            widths = sum(x.weight.shape[1] for x in run if x.weight is not None)
            if len(run) >= 2 and widths <= weight.shape[1]:
                for table in run:
                    table.kind = "embedding"
        run = []

