"""Facts read off the model's modules and its freshly built weights (before any training):
dropout placement and rate, and a constant or symmetric initialisation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable

import torch
from torch import nn

from dldoctor.numbers import num

from .base import Finding
from .evidence import Said, Times, say, some_names
from .layers import kaiming_std
from .library_init import library_initialised

__all__ = ["layer_weight_names", "dropout_findings", "init_findings", "activation_finding",
           "norm_finding", "recurrent_finding", "unregistered_findings"]

_DROPOUT = (nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout,
            nn.FeatureAlphaDropout)
_CONV = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d,
         nn.ConvTranspose3d)
_FLATTENING = (nn.Flatten, nn.AdaptiveAvgPool1d, nn.AdaptiveAvgPool2d, nn.AdaptiveAvgPool3d,
               nn.AdaptiveMaxPool1d, nn.AdaptiveMaxPool2d, nn.AdaptiveMaxPool3d)
_WEIGHTED = (*_CONV, nn.Linear, nn.Bilinear, nn.RNNBase, nn.Embedding)

#: A custom module's own parameter named as a table of vectors (``dense_emb``, ``embedding``,
#: ``cls_embed``): looked up or broadcast, not multiplied as a fan-in weight matrix.
_TABLE_NAME = re.compile(r"emb", re.I)
#: A custom module's learned tokens (ViT's cls_token, MAE's mask_token, V-JEPA 2's
#: mask_tokens, register or query tokens): vectors put into the sequence, not a layer's units.
_TOKEN_NAME = re.compile(r"tokens?($|_)", re.I)
#: A custom module's square matrix of scores between labels (a CRF's transitions).
_TRANSITIONS = re.compile(r"(^|_)trans(itions?)?($|_)", re.I)
#: A custom module's parameter named as a weight (weight, W, w_q, proj_w, kernel_weight …) or a
#: matrix (one capital letter: a hand-written LoRA's A and B; lora_*).
_WEIGHT_NAME = re.compile(r"(?i:(^|_)(weights?|w)(_|$)|^w|lora)|^[A-Z]$")


def _list(names: list[str], limit: int = 3) -> list[str] | Said:
    return some_names(names, limit)


#: Dropout at this rate or above counts toward the share of units a sample keeps end to end.
HEAVY_DROPOUT = 0.5


def dropout_findings(modules: Iterable[tuple[str, nn.Module]],
                     ndims: dict[str, int | None] | None = None) -> list[Finding]:
    """Dropout modules whose nearest weighted layer before them (in running order) is a conv
    and whose next one is not the output layer (SqueezeNet's and torchvision's FCN head put
    dropout before their 1×1 conv classifier), the largest dropout probability, and the
    largest among those after a conv.
    ``modules``: leaf modules in the order they ran; ``ndims``: the dimensions of each one's
    output, where measured — a dropout on a (batch, features) tensor is the head's, whatever
    ran before it (a text CNN pools and concatenates with functions, not modules)."""
    modules = list(modules)
    after_conv: list[str] = []
    rates: dict[str, float] = {}
    previous: nn.Module | None = None
    weighted = [i for i, (_, module) in enumerate(modules) if isinstance(module, _WEIGHTED)]
    # a conv that is the model's last weighted layer is a conv classifier (1×1 in SqueezeNet)
    output_layer = weighted[-1] if weighted and isinstance(modules[weighted[-1]][1], _CONV) \
        else -1
    for index, (name, module) in enumerate(modules):
        if isinstance(module, _DROPOUT):
            rates[name] = float(module.p)
            feeds = next((i for i in weighted if i > index), None)
            if isinstance(previous, _CONV) and (ndims or {}).get(name) != 2 and \
                    feeds != output_layer:  # before a 1×1 conv classifier: the head's
                after_conv.append(name)
        elif isinstance(module, _WEIGHTED):
            previous = module
        elif isinstance(module, _FLATTENING):
            previous = None  # the conv part has ended: a dropout from here on is the head's
    top = max(rates, key=rates.__getitem__) if rates else None
    conv_top = max(after_conv, key=rates.__getitem__) if after_conv else None
    feeding = _dropout_feeding_batchnorm(modules)
    heavy = {name: p for name, p in rates.items() if p >= HEAVY_DROPOUT}
    keep = math.prod(1 - p for p in heavy.values())
    return [
        Finding("arch.dropout_keep_product", keep,
                say("dropout.keep_product", n=len(heavy), limit=HEAVY_DROPOUT,
                    names=_list(list(heavy)), keep=keep) if heavy
                else say("dropout.none_heavy", limit=HEAVY_DROPOUT, n=len(rates)),
                {"layers": heavy}),
        Finding("arch.dropout_after_conv", bool(after_conv),
                say("dropout.after_conv", n=len(after_conv), names=_list(after_conv),
                    p=rates[after_conv[0]]) if after_conv else
                say("dropout.none_after_conv", n=len(rates)) if rates else say("dropout.none"),
                {"layers": after_conv}),
        Finding("arch.dropout_rate_max", rates[top] if top else 0.0,
                say("dropout.largest", p=rates[top], layer=top, n=len(rates)) if top
                else say("dropout.none"),
                {"rates": rates}),
        Finding("arch.conv_dropout_rate_max", rates[conv_top] if conv_top else 0.0,
                say("dropout.largest_after_conv", p=rates[conv_top], layer=conv_top)
                if conv_top else say("dropout.no_conv_dropout"),
                {"layers": {n: rates[n] for n in after_conv}}),
        *([] if feeding is None else [Finding(
            "arch.dropout_before_bn", bool(feeding),
            say("dropout.before_bn", dropout=feeding[0], bn=feeding[1]) if feeding
            else say("dropout.not_before_bn"))]),
    ]


def _dropout_feeding_batchnorm(modules: Iterable[tuple[str, nn.Module]]
                               ) -> tuple[str, str] | tuple[()] | None:
    """(dropout, batchnorm) for the first dropout with p > 0 that runs before a BatchNorm —
    the order whose variance shift makes the two disagree between training and evaluation —;
    () when the model has both but every dropout runs after the last BatchNorm (dropout in a
    head after the body's norms); None when it lacks either."""
    dropout, pair = "", None
    has_bn = has_dropout = False
    for name, module in modules:
        if isinstance(module, _DROPOUT) and float(module.p) > 0:
            has_dropout = True
            dropout = dropout or name
        elif isinstance(module, nn.modules.batchnorm._BatchNorm):
            has_bn = True
            if dropout and pair is None:
                pair = (dropout, name)
    if not (has_bn and has_dropout):
        return None
    return pair if pair is not None else ()


_ACTIVATIONS: tuple[tuple[type[nn.Module] | tuple[type[nn.Module], ...], str], ...] = (
    (nn.ReLU, "relu"), (nn.ReLU6, "relu"),
    ((nn.LeakyReLU, nn.PReLU, nn.ELU, nn.SELU, nn.CELU, nn.GELU, nn.SiLU, nn.Mish,
      nn.Softplus, nn.Hardswish), "relu_variant"),
    ((nn.Tanh, nn.Hardtanh), "tanh"), ((nn.Sigmoid, nn.Hardsigmoid), "sigmoid"),
)


def _kind(module: nn.Module) -> str | None:
    return next((kind for types, kind in _ACTIVATIONS if isinstance(module, types)), None)


def activation_finding(modules: Iterable[tuple[str, nn.Module]],
                       gates: Collection[str] = ()) -> Finding | None:
    """``arch.hidden_activation``: the activation module most hidden layers ran through (one
    after the last weighted layer is the output's, not a hidden layer's; ``gates`` names the
    sigmoids that scale channels rather than carry the signal); None when the model applies
    its activations as functions (no module to see)."""
    ran = list(modules)
    last = max((i for i, (_, m) in enumerate(ran) if isinstance(m, _WEIGHTED)), default=-1)
    kinds = [(name, k) for name, m in ran[:last]
             if name not in gates and (k := _kind(m)) is not None]
    if not kinds:
        return None
    counts = {k: sum(1 for _, x in kinds if x == k) for _, k in kinds}
    top = max(counts, key=lambda k: (counts[k], k))
    first = next(name for name, k in kinds if k == top)
    return Finding("arch.hidden_activation", top,
                   say("arch.activation", kind=top, k=counts[top], n=len(kinds), layer=first),
                   {"counts": counts})


def recurrent_finding(model: nn.Module) -> Finding:
    """``weights.has_recurrent`` read from the model's modules (RNN, LSTM, GRU and their
    cells) — for a model given without a checkpoint, whose weight scan would tell it."""
    recurrent = sum(isinstance(m, nn.RNNBase | nn.RNNCellBase) for m in model.modules())
    return Finding("weights.has_recurrent", recurrent > 0,
                   say("weights.recurrent_modules", n=recurrent))


def recurrence_bounded_finding(model: nn.Module) -> Finding | None:
    """``arch.recurrence_bounded``: True when every recurrent module is PyTorch's LSTM or GRU
    (or their cells), whose recurrence runs through tanh and sigmoid gates whatever the
    activations elsewhere, or an RNN with its default tanh; False when an ``nn.RNN`` (cell)
    runs a ReLU recurrence; nothing without torch recurrent modules (a hand-written cell)."""
    recurrent = [m for m in model.modules() if isinstance(m, nn.RNNBase | nn.RNNCellBase)]
    if not recurrent:
        return None
    relu = [type(m).__name__ for m in recurrent if getattr(m, "nonlinearity", "tanh") == "relu"]
    return Finding("arch.recurrence_bounded", not relu,
                   say("arch.recurrence_relu", n=len(relu), names=_list(relu)) if relu
                   else say("arch.recurrence_bounded", n=len(recurrent),
                            names=_list(sorted({type(m).__name__ for m in recurrent}))))


def norm_finding(modules: Iterable[tuple[str, nn.Module]]) -> Finding:
    """``arch.has_norm_layers``: a normalisation module ran (BatchNorm, LayerNorm, GroupNorm,
    RMSNorm and library norms such as T5's or LLaMA's, named ``…Norm``)."""
    norms = [name for name, module in modules if "norm" in type(module).__name__.lower()]
    return Finding("arch.has_norm_layers", bool(norms),
                   say("arch.norms", n=len(norms), names=_list(norms)) if norms
                   else say("arch.no_norms"))


def _weight_matrices(model: nn.Module) -> list[tuple[str, torch.Tensor]]:
    """The fresh model's weight matrices. A tensor a custom module adds to its activations
    with a leading dimension of 1 (a class token, a positional table broadcast over the batch)
    is no weight matrix: zeros are a usual start for it (ViT's class token); nor is a custom
    module's tensor named as a bias (an FT-Transformer's per-feature token bias, 2-D), nor
    learned tokens (mask, class, register or query tokens), nor a custom module's non-zero
    tensor not named as a weight (a state-space kernel's A)."""
    found = []
    for prefix, module in model.named_modules():
        builtin = type(module).__module__.startswith("torch.nn")
        for name, p in module.named_parameters(recurse=False):
            if p.dim() < 2 or not p.is_floating_point() or p.numel() <= 1:
                continue
            if not builtin and (p.shape[0] == 1 or "bias" in name.lower()):
                continue  # an added offset (a feature tokenizer's per-feature bias), zero-started
            if not builtin and _TABLE_NAME.search(name):
                continue  # a table of vectors (DeepFM's dense_emb), scaled by design, no fan-in
            if not builtin and _TOKEN_NAME.search(name):
                continue  # learned tokens fed in as inputs: each gets its own gradient, and 0
                #           is a usual start (MAE's and V-JEPA 2's mask tokens)
            if not builtin and _TRANSITIONS.search(name) and p.dim() == 2 and \
                    p.shape[0] == p.shape[1]:
                continue  # a CRF's label-to-label transition scores: no layer's units, and
                #           0 is a usual start (the emissions break every tie)
            if not builtin and not _WEIGHT_NAME.search(name) and bool(p.detach().any()):
                continue  # a structured parameter set by a formula (an S4D kernel's log_A_real
                #           = log 0.5 everywhere, A_imag = π·n in every row), no layer weight;
                #           all zeros under any name is still the classic forgotten init
            found.append((f"{prefix}.{name}" if prefix else name, p.detach()))
    return found


def layer_weight_names(model: nn.Module) -> set[str]:
    """Names of the fan-in scaled layer weights: the weight matrices but embedding tables,
    class tokens and broadcast positional tables."""
    return {name for name, _ in _weight_matrices(model)} - _embedding_weights(model)


def _embedding_weights(model: nn.Module) -> set[str]:
    """Embedding tables: N(0, 1) by design, not a fan-in scaled layer."""
    return {f"{name}.weight" if name else "weight" for name, m in model.named_modules()
            if isinstance(m, nn.Embedding | nn.EmbeddingBag)}


def _recurrent_references(model: nn.Module) -> dict[str, float]:
    """The std PyTorch's own recurrent layers start their weight matrices at,
    U(−1/√hidden, 1/√hidden): 1/√(3·hidden). A recurrent weight is scaled by the hidden size,
    not its fan-in (a GRU over one input feature is no "0.07× Kaiming" init)."""
    out: dict[str, float] = {}
    for prefix, module in model.named_modules():
        if isinstance(module, nn.RNNBase) and module.hidden_size > 0:
            std = 1.0 / math.sqrt(3.0 * module.hidden_size)
            for name, _ in module.named_parameters(recurse=False):
                if name.startswith(("weight_ih", "weight_hh")):
                    out[f"{prefix}.{name}" if prefix else name] = std
    return out


#: A container's last layer mapping to at most this many outputs is an output head.
HEAD_OUTPUTS = 16
#: Convolutions whose output channels are the model's outputs when one ends it.
_CONVOLUTIONS = (nn.Conv1d, nn.Conv2d, nn.Conv3d)


def output_heads(model: nn.Module) -> set[str]:
    """Weight names of output heads: a container's last parametrised child when it is a
    Linear narrowing to a few outputs (a classifier, a policy's or a value's head). Starting
    those small on purpose is a recipe (PPO's policy head at gain 0.01 starts near-uniform;
    zero-initialised final layers), not a signal that shrinks through the network. The
    model's own last convolution counts too when it narrows to a few channels: an image
    restorer's output convolution to RGB, started small so the first output is close to
    the skip path's (EDSR's, ESPCN's tail), a segmenter's per-class map."""
    heads = set()
    for prefix, module in model.named_modules():
        children = [(n, c) for n, c in module.named_children()
                    if any(True for _ in c.parameters())]
        if not children:
            continue
        name, last = children[-1]
        if isinstance(last, nn.Linear) and last.out_features <= HEAD_OUTPUTS and \
                last.out_features < last.in_features:
            heads.add(f"{prefix}.{name}.weight" if prefix else f"{name}.weight")
    weighted = [(n, m) for n, m in model.named_modules()
                if isinstance(m, (nn.Linear, *_CONVOLUTIONS)) and m.weight is not None]
    if weighted:
        name, last = weighted[-1]
        if isinstance(last, _CONVOLUTIONS) and last.out_channels <= HEAD_OUTPUTS and \
                last.out_channels < last.in_channels:
            heads.add(f"{name}.weight")
    return heads


def _scale_ratio(std: float, kaiming: float, recurrent: float | None) -> float:
    """A weight's std over its reference: Kaiming's √(2/fan_in); for a recurrent layer's
    matrix, whichever of PyTorch's recurrent default and Kaiming it is nearer (in ratio) —
    both are standard there (an input matrix Kaiming-initialised for its ReLU is no "4×
    the recurrent default")."""
    if not recurrent:
        return std / kaiming
    return min((std / kaiming, std / recurrent), key=lambda r: abs(math.log(max(r, 1e-30))))


def _scale_findings(weights: list[tuple[str, torch.Tensor]],
                    recurrent: dict[str, float] | None = None,
                    heads: set[str] | None = None) -> list[Finding]:
    """Largest and smallest weight std of the fresh model against Kaiming's √(2/fan_in) (a
    recurrent layer's against PyTorch's own recurrent default, ``recurrent``); the smallest
    leaves out the output ``heads`` (started small on purpose) when other layers remain."""
    ratios: dict[str, float] = {}
    recurrent = recurrent or {}
    for name, w in weights:
        fan_in = w[0].numel()
        std = float(w.float().std()) if w.numel() > 1 else 0.0
        if fan_in and math.isfinite(std):
            ratios[name] = _scale_ratio(std, kaiming_std(fan_in), recurrent.get(name))
    if not ratios:
        return []
    high = max(ratios, key=ratios.__getitem__)
    inner = [n for n in ratios if n not in (heads or set())] or list(ratios)
    low = min(inner, key=ratios.__getitem__)
    return [
        Finding("init.scale_ratio_max", ratios[high],
                say("init.scale_max", layer=high, ratio=Times(ratios[high])),
                {"ratios": ratios}),
        Finding("init.scale_ratio_min", ratios[low],
                say("init.scale_min", layer=low, ratio=Times(ratios[low])),
                {"ratios": ratios}),
    ]


def _rows_differ(flat: torch.Tensor) -> bool:
    """Whether a matrix's rows (a one-row matrix: its values) differ by more than
    :data:`DISTINCT_ROWS` of its largest value."""
    spread = float((flat - flat[:1]).abs().max()) if flat.shape[0] > 1 else \
        float((flat - flat[:, :1]).abs().max())
    return spread > DISTINCT_ROWS * max(float(flat.abs().max()), 1e-12)


def _broken_by_training(names: list[str], weights: list[tuple[str, torch.Tensor]],
                        trained: nn.Module | None,
                        first_step: Callable[[], dict[str, torch.Tensor]] | None = None
                        ) -> tuple[set[str], set[str]]:
    """The fresh model's constant or row-symmetric tensors whose trained values (the
    checkpoint's) have distinct, finite rows — or, for a one-row head, distinct values —
    while most of the model's weight matrices started random: training broke their symmetry
    through the random layers around them, so their start held nothing back (an
    FT-Transformer's zero per-feature token offsets, ``num_b``; the zero last layer of each
    Glow coupling net, started at the identity on purpose; a tower's zero-initialised output
    row). A model whose matrices started constant in the majority stays a fault whatever its
    trained rows; so does each tensor that stayed constant or symmetric. Returns those broken
    by training, and those whose trained values say nothing (none given, or NaN) but whose
    first-step gradient has distinct rows."""
    if not names or 2 * len(names) > len(weights) or (trained is None and first_step is None):
        return set(), set()
    now = dict(trained.named_parameters()) if trained is not None else {}
    broken: set[str] = set()
    by_step: set[str] = set()
    unread = []
    for name in names:
        w = now.get(name)
        flat = w.detach().float().reshape(w.shape[0], -1) if w is not None and w.dim() >= 2 \
            else None
        if flat is None or not bool(torch.isfinite(flat).all()):
            unread.append(name)  # no trained values to read (none given, or NaN)
        elif _rows_differ(flat):
            broken.add(name)
    if unread and first_step is not None:
        # the fresh model's gradient on the batch: distinct finite rows are units that differ
        # after the first step (the random layers around them pass distinct signals)
        grads = first_step()
        for name in unread:
            g = grads.get(name)
            if g is not None and g.dim() >= 2 and bool(torch.isfinite(g).all()) and \
                    float(g.abs().max()) > 0 and _rows_differ(g.float().reshape(g.shape[0], -1)):
                by_step.add(name)
    return broken, by_step


#: The last name part of a variational layer's spread parameter (Bayes by backprop's ρ in
#: σ = softplus(ρ), a log-variance, a log-σ): constant at init by the recipe.
_SPREAD = re.compile(r"(^|_)(rho|logvar|log_var|log_sigma|logsigma|sigma|log_std|logstd|std|"
                     r"log_scale|logscale|log_alpha|logalpha)$")


def _spread_parameters(weights: list[tuple[str, torch.Tensor]]) -> set[str]:
    """Spread parameters of variational layers: a tensor named like a (log) spread beside a
    tensor of its shape in the same module that is not one (its mean: ``w_mu`` beside
    ``w_rho``). Sampled weights are mean + spread × noise, so a constant spread breaks no
    symmetry — the means are random."""
    found = set()
    for name, w in weights:
        module, _, last = name.rpartition(".")
        if not _SPREAD.search(last):
            continue
        if any(other != name and o.shape == w.shape and other.rpartition(".")[0] == module
               and not _SPREAD.search(other.rpartition(".")[2]) for other, o in weights):
            found.add(name)
    return found


#: Trained rows that differ by more than this share of the tensor's largest value are distinct.
DISTINCT_ROWS = 1e-3


def init_findings(model: nn.Module, trained: nn.Module | None = None,
                  first_step: Callable[[], dict[str, torch.Tensor]] | None = None
                  ) -> list[Finding]:
    """All-zero/constant and row-symmetric weight matrices of a freshly built model
    (``trained``: the same model holding the checkpoint's weights, when there is one;
    ``first_step``: the fresh model's gradients on the batch, read for the constant tensors
    whose trained values say nothing — none given, or NaN).

    Embedding tables are left out: each row is looked up by its own index and gets its own
    gradient, so identical (or zero) rows break no symmetry — a zero-initialised
    ``Embedding(n, 1)`` of per-user biases is the usual recipe. So is the one constant layer
    of a model whose bias is not constant: its units already differ and the gradient reaches
    it through the random layers around it (a spatial transformer's localisation head starts
    at weight 0 with the identity transform in its bias, on purpose); every layer at 0 stays
    a fault whatever PyTorch's random default biases. Output heads (:func:`output_heads`)
    that alone start constant are a recipe too: each of their units is scored against its
    own target."""
    weights = _weight_matrices(model)
    if not weights:
        return []
    embeddings = _embedding_weights(model)
    distinct = _distinct_bias(model)
    pairs = lora_pairs(weights)
    zero_started = {b for _, _, b, wb in pairs if not bool(wb.any())}  # B = 0 by design
    spreads = _spread_parameters(weights)
    heads = output_heads(model)
    constant: list[str] = []
    symmetric: list[str] = []
    for name, w in weights:
        if name in embeddings or name in zero_started or name in spreads:
            continue
        flat = w.float().reshape(w.shape[0], -1)
        if bool((flat == flat.reshape(-1)[0]).all()):
            constant.append(f"{name} = {num(float(flat.reshape(-1)[0]))}")
        if _flat_constant(w):
            symmetric.append(name)
    constant_names = {c.split(" = ")[0] for c in constant}
    if len(symmetric) == 1 and symmetric[0] in distinct and \
            constant_names <= set(symmetric):  # the one, on purpose
        constant, constant_names, symmetric = [], set(), []
    if constant_names | set(symmetric) <= heads:
        # only output heads start constant: each of their units meets its own target, and
        # the random layers below feed them — zero-initialised heads are a recipe
        constant, constant_names, symmetric = [], set(), []
    flagged = sorted(constant_names | set(symmetric))
    trained_apart, by_step = _broken_by_training(
        flagged, [(n, w) for n, w in weights if n not in embeddings], trained, first_step)
    broken = trained_apart | by_step
    if broken:
        constant = [c for c in constant if c.split(" = ")[0] not in broken]
        symmetric = [n for n in symmetric if n not in broken]
    broke = say("init.constant_broken_first_step", names=_list(sorted(by_step))) \
        if by_step and not trained_apart else \
        say("init.constant_broken", names=_list(sorted(broken)))
    designed = _constant_by_design(weights, trained, set(flagged))
    adapters = {n for a, _, b, _ in pairs for n in (a, b)}
    library = library_initialised(model)  # a library's own init is its design, not a pick
    scaled = [(n, w) for n, w in weights if n not in embeddings | adapters | library]
    return [
        *_scale_findings(scaled,
                         _recurrent_references(model), output_heads(model)),
        *_lora_finding(pairs),
        Finding("init.all_zero", bool(constant),
                say("init.constant", names=_list(constant)) if constant else
                broke if broken else
                say("init.none_constant", n=len(weights)),
                {"layers": constant}),
        Finding("init.symmetric_rows", bool(symmetric),
                say("init.symmetric", names=_list(symmetric)) if symmetric else
                broke if broken else
                say("init.distinct_rows", n=len(weights)),
                {"layers": symmetric}),
        *designed,
    ]


def _flat_constant(w: torch.Tensor) -> bool:
    """Every row the same (all-constant matrices included)."""
    flat = w.detach().float().reshape(w.shape[0], -1)
    return flat.shape[0] > 1 and bool((flat == flat[:1]).all())


def _constant_by_design(weights: list[tuple[str, torch.Tensor]], trained: nn.Module | None,
                        flagged: set[str]) -> list[Finding]:
    """``weights.constant_by_design``: every weight matrix the checkpoint holds constant (or
    with identical rows) is built so by the factory itself and left alone by the fresh
    model's reading as a recipe (a zero-started MoE router, a LoRA B, a head) — the trained
    zeros are the design, not a constant initialisation; false when one of them starts
    random (or was flagged); nothing when the checkpoint holds none."""
    if trained is None:
        return []
    fresh = dict(weights)
    held = [n for n, w in _weight_matrices(trained) if n in fresh and _flat_constant(w)]
    if not held:
        return []
    designed = all(_flat_constant(fresh[n]) and n not in flagged for n in held)
    return [Finding("weights.constant_by_design", designed,
                    say("weights.constant_by_design" if designed else
                        "weights.constant_not_by_design", names=_list(held)))]


def _distinct_bias(model: nn.Module) -> set[str]:
    """Weight names whose layer's bias holds more than one value."""
    params = dict(model.named_parameters())
    out = set()
    for name in params:
        if not name.endswith("weight"):
            continue
        bias = params.get(name[: -len("weight")] + "bias")
        if bias is not None and bias.numel() > 1 and \
                bool(bias.detach().max() > bias.detach().min()):
            out.add(name)
    return out


#: One side of a low-rank adapter: PEFT's ``lora_A`` / ``lora_B`` modules, or a hand-written
#: adapter's ``A`` / ``B`` parameters.
_LORA_SIDE = re.compile(r"(?:^|\.)(lora_[AB]|[AB])(?=\.|$)")


def lora_pairs(weights: list[tuple[str, torch.Tensor]]
               ) -> list[tuple[str, torch.Tensor, str, torch.Tensor]]:
    """Low-rank adapters ``(A name, A, B name, B)``: an ``A`` of shape (r, in) and a ``B`` of
    shape (out, r) under one parent, r below both widths (ΔW = B·A)."""
    sides: dict[str, dict[str, tuple[str, torch.Tensor]]] = {}
    for name, w in weights:
        match = _LORA_SIDE.search(name)
        if match is None or w.dim() != 2:
            continue
        key = name[:match.start(1)] + "*" + name[match.end(1):]
        sides.setdefault(key, {})[match.group(1)[-1]] = (name, w)
    pairs = []
    for found in sides.values():
        if "A" in found and "B" in found:
            (a_name, a), (b_name, b) = found["A"], found["B"]
            rank = a.shape[0]
            if b.shape[1] == rank and rank < min(a.shape[1], b.shape[0]):
                pairs.append((a_name, a, b_name, b))
    return pairs


def _lora_finding(pairs: list[tuple[str, torch.Tensor, str, torch.Tensor]]) -> list[Finding]:
    """``init.lora_b_nonzero``: an adapter whose A and B both start non-zero adds B·A to the
    pretrained weight before any step — LoRA starts B at 0 so that the adapted model starts
    as the pretrained one."""
    if not pairs:
        return []
    both = [(b_name, float(b.float().std())) for _, a, b_name, b in pairs
            if bool(a.any()) and bool(b.any())]
    if both:
        name, std = both[0]
        return [Finding("init.lora_b_nonzero", True,
                        say("init.lora_b_nonzero", k=len(both), n=len(pairs), layer=name,
                            std=std))]
    return [Finding("init.lora_b_nonzero", False, say("init.lora_zero_start", n=len(pairs)))]


def _held_modules(value: object) -> list[nn.Module]:
    """The modules inside a plain list, tuple or dict attribute (one level deep)."""
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, nn.Module)]
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, nn.Module)]
    return []


def unregistered_findings(model: nn.Module) -> list[Finding]:
    """``arch.unregistered_modules``: layers kept in a plain Python list or dict attribute
    (``self.experts = [nn.Linear(…) …]`` instead of ``nn.ModuleList``) whose parameters
    ``model.parameters()`` never yields — so no optimizer built from it updates them, and
    ``state_dict()`` does not save them."""
    registered = {id(p) for p in model.parameters()}
    names: list[str] = []
    count = 0
    for prefix, module in model.named_modules():
        for attr, value in vars(module).items():
            if attr.startswith("_"):
                continue
            missed = [p for m in _held_modules(value) for p in m.parameters()
                      if id(p) not in registered]
            if missed:
                names.append(f"{prefix}.{attr}" if prefix else attr)
                count += sum(p.numel() for p in missed)
    return [Finding("arch.unregistered_modules", bool(names),
                    say("arch.unregistered", names=_list(names), n=count) if names
                    else say("arch.all_registered"),
                    {"attributes": names, "parameters": count})]
