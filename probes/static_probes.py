"""Probes that read a checkpoint without running the model: weights and optimizer state."""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dldoctor.engine.values import UNKNOWN
from dldoctor.error_texts import err
from dldoctor.errors import DldoctorError, ProbeError

from .adam_inputs import input_scale_findings
from .base import Finding, Inputs, ProbeContext
from .checkpoints import Checkpoint, load_checkpoint
from .clip_shrink import grad_shrink_findings
from .clip_value import value_clip_findings
from .entity_order import entity_order_findings
from .evidence import Pct, Times, say, some_names, whole
from .head_bias import bias_over_loss_bound, head_bias_findings, labels_share_finding
from .input_columns import column_spread_finding
from .layers import COLLAPSED_SCALE, RECURRENT_WEIGHT, collapsed_scale, kaiming_std
from .library_unused import library_unused
from .model_config import config_dropout_findings
from .moments import (
    eps_over_root_v,
    float_array,
    moment_arrays,
    moment_coherence,
    never_stepped,
    only_zero_gradients,
    stateless_inside,
    stateless_tail,
)
from .optimizer_state import (
    OptimizerInfo,
    ParamEntry,
    adam_update_norm,
    map_params,
    read_optimizer,
    sgd_update_norm,
    trainable_candidates,
    weight_norm,
)
from .penalty_pull import penalty_pull_findings
from .running_copies import copy_findings
from .schedule_rebuild import rebuilt_rates, vanished_share
from .tensor_store import is_tensor_like
from .train_args import TOP_LEVEL_ACCUMULATION, args_findings
from .unseen_tokens import unseen_token_findings
from .weight_facts import weight_findings
from .weight_rank import MIN_SIDE, median_rank_ratio, stuck_negative_bias
from .weight_scan import TensorStats, scan_checkpoint_store

__all__ = ["probe_weights", "probe_optimizer"]


def _checkpoint(inputs: Inputs, ctx: ProbeContext) -> tuple[Checkpoint, list[TensorStats]]:
    if inputs.checkpoint is None:
        raise ProbeError(err("probe.needs", option="--checkpoint"))
    ctx.progress(0.0, say("progress.opening", file=str(inputs.checkpoint)))
    checkpoint = load_checkpoint(inputs.checkpoint, inputs.trust, ctx)
    key = f"{checkpoint.path.resolve()}:{inputs.trust}"
    return checkpoint, scan_checkpoint_store(key, checkpoint.store, ctx)


def probe_weights(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Scan every weight tensor once; report non-finite, constant, symmetric, scale, layers."""
    checkpoint, stats = _checkpoint(inputs, ctx)
    extra = [f for f in (_rank(checkpoint, stats), _stuck_bias(checkpoint, stats),
                         column_spread_finding(checkpoint.store, stats)) if f]
    if inputs.model is None:  # with a model the forward pass measures the dropout modules
        extra += config_dropout_findings(checkpoint.path)
    types = checkpoint.module_types or _model_module_types(inputs, ctx, stats)
    return weight_findings(stats, types) + extra


def _model_module_types(inputs: Inputs, ctx: ProbeContext, stats: list[TensorStats]
                        ) -> dict[str, str]:
    """Class names of the named model's modules, keyed by the checkpoint's layer prefixes (which
    may carry a wrapper's prefix such as ``model.``); empty without --model. They tell an
    embedding table (no bias by design) from a linear layer whatever its name."""
    if inputs.model is None:
        return {}
    try:
        from .models import fresh_model  # imports torch: only when a model is named

        modules = {name: type(m).__name__ for name, m in fresh_model(inputs, ctx).named_modules()
                   if name}
    except (DldoctorError, ImportError, RuntimeError, ValueError, TypeError, AttributeError):
        return {}
    found: dict[str, str] = {}
    for prefix in {item.name.rpartition(".")[0] for item in stats}:
        for name, kind in modules.items():
            if prefix == name or prefix.endswith("." + name):
                found[prefix] = kind
                break
    return found


def _stuck_bias(checkpoint: Checkpoint, stats: list[TensorStats]) -> Finding | None:
    names = [s.name for s in stats if len(s.shape) == 1 and s.name.endswith("bias")]
    found = stuck_negative_bias((n, checkpoint.store.get(n)) for n in names[:RANK_MATRICES])
    share, name, value = found if found else (0.0, "", 0.0)
    return Finding("weights.stuck_negative_bias_share", share,
                   say("weights.stuck_bias", share=Pct(share), name=name, value=value)
                   if found else say("weights.no_stuck_bias", n=len(names)))


#: Matrices read for the effective rank: the first ones of the model (a few are enough).
RANK_MATRICES = 24


def _rank(checkpoint: Checkpoint, stats: list[TensorStats]) -> Finding | None:
    names = [s.name for s in stats
             if len(s.shape) >= 2 and min(s.shape[0], int(np.prod(s.shape[1:]))) >= MIN_SIDE
             and (s.name.endswith("weight") or RECURRENT_WEIGHT.search(s.name) is not None)
             ][:RANK_MATRICES]
    found = median_rank_ratio((n, checkpoint.store.get(n)) for n in names)
    if found is None:
        return None
    ratio, n, lowest = found
    return Finding("weights.rank_ratio_median", ratio,
                   say("weights.rank", ratio=ratio, n=n, lowest=lowest))


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, list | tuple) and value and isinstance(value[0], int | float):
        return float(value[0])
    return None


#: The param-group settings that tell optimizers apart (Adam's betas, SGD's momentum …); the
#: rest (foreach, fused, capturable …) every torch optimizer shares.
_TELLING_KEYS = frozenset({"betas", "amsgrad", "momentum", "nesterov", "dampening", "alpha",
                           "centered", "lr_decay", "rho", "momentum_decay", "lambd",
                           "decoupled_weight_decay", "eps"})


def _settings(info: OptimizerInfo) -> list[Finding]:
    group = max(info.groups, key=lambda g: len(g.get("params", [])))
    lrs = [float(g["lr"]) for g in info.groups if _number(g.get("lr")) is not None]
    decays = [float(g.get("weight_decay", 0) or 0) for g in info.groups]
    keys = sorted(map(str, group.keys() - {"params"}))
    telling = [k for k in keys if k in _TELLING_KEYS] or keys[:6]
    found = [Finding("optimizer.kind", info.kind, say("optimizer.keys", keys=telling),
                     {"decoupled_weight_decay": group.get("decoupled_weight_decay")})]
    first = [float(g["initial_lr"]) for g in info.groups[:1] if _number(g.get("initial_lr"))]
    if first and lrs:
        found.append(Finding("optimizer.lr", first[0],
                             say("optimizer.initial_lr", lr=first[0], n=len(info.groups),
                                 now=lrs[0]),
                             {"per_group": lrs, "current": lrs[0]}))
    elif lrs and max(lrs) == 0:  # a schedule set by hand that ended: the rate is not here
        found.append(Finding("optimizer.lr", UNKNOWN, say("optimizer.lr_zero", n=len(lrs))))
    elif lrs:
        found.append(Finding("optimizer.lr", lrs[0],
                             say("optimizer.lr", lr=lrs[0], n=len(info.groups)),
                             {"per_group": lrs}))
    found.append(_decoupled(info, group))
    momentum = _number(group.get("momentum"))
    if info.kind in ("sgd", "rmsprop") and momentum is not None:
        found.append(Finding("optimizer.momentum", momentum,
                             say("optimizer.momentum", value=momentum)))
    rate = first[0] if first else (lrs[0] if lrs and max(lrs) > 0 else None)
    if info.kind == "sgd" and rate is not None and (momentum or 0.0) < 1.0:
        # heavy-ball momentum m repeats each gradient 1/(1-m) times over the steps that follow
        effective = rate / (1.0 - (momentum or 0.0))
        found.append(Finding("optimizer.sgd_effective_lr", effective,
                             say("optimizer.sgd_effective_lr", lr=rate,
                                 momentum=momentum or 0.0, value=effective)))
    eps = _number(group.get("eps"))
    if info.kind in ("adam", "rmsprop") and eps is not None:
        found.append(Finding("optimizer.eps", eps, say("optimizer.eps", value=eps)))
    if decays:
        found.append(Finding("optimizer.weight_decay", max(decays),
                             say("optimizer.weight_decay", value=max(decays), n=len(decays)),
                             {"per_group": decays}))
    initial = [float(g["initial_lr"]) for g in info.groups if "initial_lr" in g]
    if not initial and lrs and len(set(lrs)) == 1:
        found.append(Finding("lr.decays", False,
                             say("lr.no_scheduler", lr=lrs[0]),
                             {"no_scheduler": True}))
    if initial and lrs:
        if lrs[0] < initial[0] * 0.999:
            found.append(Finding("lr.decays", True,
                                 say("lr.fell_from_initial", a=initial[0], b=lrs[0])))
        elif lrs[0] >= initial[0] * 0.999:
            found.append(Finding("lr.decays", False,
                                 say("lr.scheduler_not_moved", lr=lrs[0]),
                                 {"warmup_or_not_yet": True}))
    return found


def _decoupled(info: OptimizerInfo, group: dict) -> Finding:
    """AdamW-style decay (shrinks weights directly) or L2 added to the gradient."""
    flag = group.get("decoupled_weight_decay")
    if isinstance(flag, bool):
        return Finding("optimizer.decoupled_decay", flag,
                       say("optimizer.decoupled_flag", flag=str(flag)))
    if info.kind in ("sgd", "rmsprop", "adagrad"):
        return Finding("optimizer.decoupled_decay", False,
                       say("optimizer.l2", kind=info.kind))
    return Finding("optimizer.decoupled_decay", UNKNOWN,
                   say("optimizer.decoupled_unknown"))


def _decay_on_bias(info: OptimizerInfo, stats: list[TensorStats]) -> Finding | None:
    decaying = {i for i, g in enumerate(info.groups) if float(g.get("weight_decay", 0) or 0) > 0}
    if not decaying:
        return Finding("optimizer.decay_on_bias", False, say("optimizer.no_decay"))
    known = [e for e in info.entries if e.shape is not None]
    if known:
        flat = [e for e in known if e.group in decaying and len(e.shape or ()) <= 1]
        if not flat and (tables := _bias_tables(info, stats, decaying)):
            return Finding("optimizer.decay_on_bias", True,
                           say("optimizer.decay_on_bias_tables", n=len(tables),
                               names=some_names(tables)),
                           {"count": len(tables), "heuristic": "(n, 1) tables named bias"})
        return Finding(
            "optimizer.decay_on_bias", bool(flat),
            say("optimizer.decay_on_1d", n=len(flat)) if flat else
            say("optimizer.no_decay_on_1d"),
            {"count": len(flat), "heuristic": "1-D shape from the optimizer state"})
    one_d = [s for s in trainable_candidates(stats) if len(s.shape) <= 1]
    if len(info.groups) == 1 and one_d:
        return Finding("optimizer.decay_on_bias", True,
                       say("optimizer.one_group_decay",
                           decay=float(info.groups[0].get("weight_decay") or 0.0), n=len(one_d)),
                       {"heuristic": "single group"})
    return None


def _flat_group_decayed(info: OptimizerInfo) -> Finding | None:
    """``optimizer.flat_group_decayed``: the optimizer keeps its 1-D parameters (biases, norm
    gains and shifts) in a group of their own, apart from a group with the weight matrices —
    the usual way to exempt them from decay — and that group's decay is above 0 (true) or 0
    (false); None without such a split."""
    if any(e.shape is None for e in info.entries):
        return None
    flat: set[int] = set()
    other: set[int] = set()
    for e in info.entries:
        (flat if len(e.shape or ()) <= 1 else other).add(e.group)
    groups = sorted(g for g in flat - other
                    if sum(1 for e in info.entries if e.group == g) >= 2)
    if not groups or not other:
        return None
    decays = [float(info.groups[g].get("weight_decay", 0) or 0) for g in groups
              if 0 <= g < len(info.groups)]
    if not decays:
        return None
    decay = max(decays)
    matrices = max(float(info.groups[g].get("weight_decay", 0) or 0) for g in other
                   if 0 <= g < len(info.groups))
    return Finding("optimizer.flat_group_decayed", decay > 0,
                   say("optimizer.flat_group_decayed" if decay > 0 else
                       "optimizer.flat_group_exempt", decay=decay, matrices=matrices,
                       n=sum(1 for e in info.entries if e.group in groups)))


def _bias_tables(info: OptimizerInfo, stats: list[TensorStats], decaying: set[int]) -> list[str]:
    """The per-id bias tables in decayed groups: (n, 1) tensors whose module is named for a
    bias (``bed_bias.weight``, an ``nn.Embedding(n, 1)``) — one offset per id, a bias that a
    "1-D parameters get no decay" filter misses."""
    mapping, _ = map_params(info, trainable_candidates(stats))
    found = []
    for i, entry in enumerate(info.entries):
        name = mapping.get(i, "")
        shape = entry.shape or ()
        module = name.rpartition(".")[0].rpartition(".")[2]
        if entry.group in decaying and len(shape) == 2 and shape[1] == 1 and shape[0] > 1 \
                and module.lower().endswith("bias"):
            found.append(name)
    return found


def _decay_shrink(info: OptimizerInfo, step: Finding | None) -> Finding | None:
    """``optimizer.decay_shrink``: how much the weight decay can have shrunk a parameter over
    the whole run, at most: ``1 - exp(-lr * weight_decay * steps)``, with the schedule's
    initial rate where it kept one (an upper bound). Decoupled decay (AdamW) scales each
    weight by ``1 - lr * weight_decay`` per step; SGD's L2 goes through its momentum buffer,
    which carries it ``1 / (1 - momentum)`` times over. Adam's coupled L2 goes through its
    adaptive denominator and has no such bound (None), nor has a run of unknown length."""
    if step is None or not float(step.value) > 0:
        return None
    group_flags = [g.get("decoupled_weight_decay") for g in info.groups]
    if info.kind == "adam" and not all(flag is True for flag in group_flags):
        return None
    if info.kind not in ("adam", "sgd"):
        return None
    exponents = []
    for group in info.groups:
        decay = float(group.get("weight_decay") or 0.0)
        rates = [r for k in ("initial_lr", "lr")
                 if (r := _number(group.get(k))) is not None and math.isfinite(r)]
        momentum = float(group.get("momentum") or 0.0) if info.kind == "sgd" else 0.0
        if decay > 0 and rates and 0.0 <= momentum < 1.0:
            exponents.append(max(rates) * decay * float(step.value) / (1.0 - momentum))
    if not exponents:
        return None
    shrink = 1.0 - math.exp(-max(exponents))
    return Finding("optimizer.decay_shrink", shrink,
                   say("optimizer.decay_shrink", share=Pct(shrink), steps=whole(step.value)))


def _model_buffers(inputs: Inputs, ctx: ProbeContext) -> set[str]:
    """Names of the buffers (registered tensors that are no parameters) of the model the user
    named with --model; empty without one. A checkpoint alone cannot tell a custom buffer
    (a graph's adjacency, a fixed mask) from a parameter the optimizer left out."""
    if inputs.model is None:
        return set()
    try:
        from .models import fresh_model  # imports torch: only when a model is named

        return {name for name, _ in fresh_model(inputs, ctx).named_buffers()}
    except (DldoctorError, ImportError, RuntimeError, ValueError, TypeError, AttributeError):
        return set()


def _is_buffer(name: str, buffers: frozenset[str]) -> bool:
    return any(name == b or name.endswith("." + b) for b in buffers)


def _binary_mask(stat: TensorStats) -> bool:
    """A tensor of 0s and 1s only (both present), as its mean and spread show: for such
    values the variance is mean·(1 − mean) — a mask registered as a buffer (MADE's
    autoregressive masks), not a weight."""
    if not stat.floating or stat.numel < 4 or stat.non_finite or \
            stat.min != 0.0 or stat.max != 1.0:
        return False
    expected = stat.mean * (1 - stat.mean)  # the scan's variance is the population one
    return abs(stat.std ** 2 - expected) <= 1e-6 + 1e-3 * expected


def _evenly_spaced(stat: TensorStats) -> bool:
    """A tensor whose values are an arithmetic sequence, as its summary shows: the mean halfway
    between min and max, and the variance of n evenly spaced values, ((max − min)/(n − 1))² ·
    (n² − 1)/12 — an ``arange`` or ``linspace`` registered as a buffer (a SincNet's time axis),
    which no parameter stays after a random initialisation or a step."""
    n = stat.numel
    if not stat.floating or n < 4 or stat.non_finite or stat.max <= stat.min:
        return False
    span = stat.max - stat.min
    variance = (span / (n - 1)) ** 2 * (n * n - 1) / 12
    return abs(stat.mean - (stat.min + stat.max) / 2) <= 1e-4 * span and \
        abs(stat.std ** 2 - variance) <= 1e-3 * variance


#: Leaf names PyTorch code gives registered buffers, never parameters: random rotations
#: (Reformer's LSH), masks, rotary and sinusoidal tables, index tables, analysis windows.
BUFFER_LEAF_NAMES = frozenset({
    "rot", "rots", "rotation", "rotations", "random_rotations", "mask", "attn_mask",
    "causal_mask", "tril", "bias_mask", "inv_freq", "freqs", "cos_cached", "sin_cached",
    "pe", "position_ids", "relative_position_index", "rel_pos_index", "anchors", "window",
    "hamming_window", "hann_window", "window_fn",
    # a mixture of experts' routing correction (DeepSeek-V3's, and Hunyuan's saved name for it)
    "e_score_correction_bias", "expert_bias"})


def _named_as_buffer(name: str) -> bool:
    """Whether a state_dict name ends in a leaf only buffers are given
    (:data:`BUFFER_LEAF_NAMES`, or ``…_mask`` / ``…_buffer``)."""
    leaf = name.rsplit(".", 1)[-1].lower()
    return leaf in BUFFER_LEAF_NAMES or leaf.endswith(("_mask", "_buffer"))


def _held_elements(info: OptimizerInfo) -> int | None:
    """How many numbers the optimizer's parameters hold in all, from each entry's shape;
    None when a shape is unknown."""
    if not info.entries or any(e.shape is None for e in info.entries):
        return None
    return sum(math.prod(e.shape) for e in info.entries if e.shape is not None)


def _without_copies(candidates: list[TensorStats]) -> tuple[list[TensorStats], set[str]]:
    """``candidates`` without the tensors that repeat an earlier one exactly (shape, mean,
    spread and range alike, not a constant), and the names of the kept tensors that had such
    copies. A module registered twice, or a weight tied to another (a translation model's
    shared embeddings), is saved under each name and held once by the optimizer; a table
    built the same way in every block (relative positions) is a buffer — two weights trained
    or initialised apart never agree to the last bit."""
    kept: dict[tuple[object, ...], TensorStats] = {}
    unique: list[TensorStats] = []
    copied: set[str] = set()
    for c in candidates:
        if c.floating and not c.constant and not c.non_finite and c.max > c.min:
            key = (c.shape, c.mean, c.std, c.min, c.max)
            if key in kept:
                copied.add(kept[key].name)
                continue
            kept[key] = c
        unique.append(c)
    return unique, copied


def _frozen(info: OptimizerInfo, stats: list[TensorStats], count: int,
            buffers: frozenset[str] = frozenset()) -> Finding:
    candidates, copied = _without_copies(
        [c for c in trainable_candidates(stats) if not _is_buffer(c.name, buffers)])
    held = len(info.entries)
    if count > 1:
        return Finding("optimizer.frozen_params", UNKNOWN,
                       say("optimizer.several", n=count))
    if held >= len(candidates):
        return Finding("optimizer.frozen_params", False,
                       say("optimizer.holds", held=held, n=len(candidates)))
    if (elements := _held_elements(info)) is not None and elements in (
            sum(c.numel for c in candidates),
            sum(c.numel for c in candidates if not _named_as_buffer(c.name))):
        # fewer tensors, every element: parameters fused in memory and saved split (a
        # mixture-of-experts layer's experts as one 3-D tensor, one file key per expert),
        # beside buffers the file names as such (a checkpoint's names may not be the model's
        # in memory: Hunyuan saves its e_score_correction_bias as expert_bias)
        return Finding("optimizer.frozen_params", False,
                       say("optimizer.holds_fused", held=held, n=len(candidates),
                           elements=elements))
    mapping, _ = map_params(info, candidates)
    missing = [c.name for c in candidates if c.name not in set(mapping.values())]
    if len(mapping) == held and copied & set(missing):
        missing = [m for m in missing if m not in copied]
        if not missing:
            return Finding("optimizer.frozen_params", False,
                           say("optimizer.holds_but_copies", held=held,
                               names=sorted(copied)[:4]))
    tables = sorted(c.name for c in candidates if c.name in missing and c.sinusoidal)
    if len(mapping) == held and tables:
        # a sinusoidal position table is built by formula and frozen on purpose (RoFormer's
        # embed_positions): a parameter no optimizer holds, by design
        missing = [m for m in missing if m not in tables]
        if not missing:
            return Finding("optimizer.frozen_params", False,
                           say("optimizer.holds_but_sinusoids", held=held, names=tables[:4]))
    if len(mapping) == held and not buffers:
        # a table whose rows are one and the same non-constant vector (a spline's knot grid,
        # a positions table), or a 0/1 mask, is a registered buffer: a parameter would have
        # trained apart
        grids = {c.name for c in candidates if (c.identical_rows and not c.constant)
                 or _binary_mask(c) or c.lower_triangular
                 or (c.name in missing and _evenly_spaced(c))
                 or (c.name in missing and _named_as_buffer(c.name))
                 # one number no optimizer holds: a scale registered as a buffer (Gemma 4's
                 # layer_scalar, 1.0 in every layer); a parameter that small could not have
                 # held a training back either
                 or (c.name in missing and c.numel == 1)}
        missing = [m for m in missing if m not in grids]
        if not missing:
            return Finding("optimizer.frozen_params", False,
                           say("optimizer.holds_but_grids", held=held,
                               names=sorted(grids)[:4]))
    if len(mapping) == held and missing and not buffers and all("." not in m for m in missing):
        # tensors at the model's top level that no optimizer holds are where registered
        # buffers live (a lookup table of user profiles); without the model, say so
        return Finding("optimizer.frozen_params", UNKNOWN,
                       say("optimizer.unheld_top_level", held=held, n=len(candidates),
                           names=missing[:4]), {"missing": missing})
    more = say("list.more", n=len(missing) - 4) if len(missing) > 4 else ""
    words = say("optimizer.holds_fewer_named", held=held, n=len(candidates),
                names=missing[:4], more=more) if len(mapping) == held else \
        say("optimizer.holds_fewer", held=held, n=len(candidates))
    return Finding("optimizer.frozen_params", True, words, {"missing": missing})


#: A weight matrix whose largest |value| is at most this many standard deviations from 0 is
#: still uniform-shaped: PyTorch's default (and Xavier/Kaiming-uniform) initialisation gives
#: √3 ≈ 1.73; training, and every normal initialisation, spreads the tails past 2.5.
UNIFORM_PEAK_OVER_STD = 1.85
#: The fewest values a matrix needs for that shape test to mean something.
UNIFORM_MIN_VALUES = 256


#: How near 1 an embedding table's std, and how near 0 its mean, stay at ``nn.Embedding``'s
#: default initialisation N(0, 1); a pretrained table sits far from unit scale (BERT's 0.05)
#: …
UNIT_NORMAL_TOLERANCE = 0.05
#: … or, for a small table, within this many standard errors of a sample of N(0, 1) of its
#: size (1/√n for the mean, 1/√(2n) for the std): set 370's 90 × 6 welder table, left out of
#: the optimizer, has mean 0.071 — 1.6 standard errors, and over the fixed 0.05.
UNIT_NORMAL_ERRORS = 4.0


def _uniform_shaped(stat: TensorStats) -> bool | None:
    """Whether a weight matrix still has the shape of its random initialisation: uniform
    (``nn.Linear``, ``nn.Conv*``), or an embedding table at ``nn.Embedding``'s N(0, 1)."""
    if len(stat.shape) < 2 or stat.numel < UNIFORM_MIN_VALUES or not stat.floating:
        return None
    peak = max(abs(stat.min), abs(stat.max))
    if not math.isfinite(peak) or stat.std <= 0.0 or stat.non_finite:
        return None
    if _unit_normal(stat):
        return True
    return peak <= UNIFORM_PEAK_OVER_STD * stat.std and abs(stat.mean) <= 0.1 * stat.std


def _unit_normal(stat: TensorStats) -> bool:
    """A table with std and mean still at N(0, 1)'s: ``nn.Embedding``'s initialisation,
    whatever the module's name (set 346's ``parish.weight``); a layer's fan-in scaled
    initialisation is far narrower, and trained weights seldom come back to exactly 1."""
    n = max(stat.numel, 1)
    return abs(stat.std - 1.0) <= max(UNIT_NORMAL_TOLERANCE,
                                      UNIT_NORMAL_ERRORS / math.sqrt(2 * n)) and \
        abs(stat.mean) <= max(UNIT_NORMAL_TOLERANCE, UNIT_NORMAL_ERRORS / math.sqrt(n))


def _frozen_untrained(frozen: Finding | None, stats: list[TensorStats]) -> Finding | None:
    """``optimizer.frozen_untrained``: every weight matrix the optimizer left out still looks
    like a uniform random initialisation — a body frozen before it learnt anything, not a
    pretrained one."""
    if frozen is None or frozen.value is not True:
        return None
    missing = set(frozen.details.get("missing", ()))
    judged = [(s, _uniform_shaped(s)) for s in stats if s.name in missing]
    judged = [(s, u) for s, u in judged if u is not None]
    if not judged:
        return Finding("optimizer.frozen_untrained", UNKNOWN, say("optimizer.frozen_unjudged"))
    trained = [s for s, u in judged if not u]
    if trained:
        s = trained[0]
        return Finding("optimizer.frozen_untrained", False,
                       say("optimizer.frozen_trained", name=s.name,
                           ratio=max(abs(s.min), abs(s.max)) / s.std, n=len(judged)))
    unjudged = len([s for s in stats if s.name in missing and len(s.shape) >= 2]) - len(judged)
    tables = [s for s, _ in judged if _unit_normal(s)]
    rest = say("optimizer.frozen_too_small", n=unjudged) if unjudged > 0 else ""
    uniform = [s for s, _ in judged if s not in tables]
    if not uniform:  # only embedding tables: no uniform shape to speak of
        return Finding("optimizer.frozen_untrained", True,
                       say("optimizer.frozen_tables_only", n=len(judged), rest=rest,
                           tables=", ".join(s.name for s in tables[:3]), std=tables[0].std,
                           mean=tables[0].mean))
    return Finding("optimizer.frozen_untrained", True,
                   say("optimizer.frozen_uniform", n=len(judged), rest=rest,
                       names=[s.name for s in uniform][:3],
                       ratio=max(max(abs(s.min), abs(s.max)) / s.std for s in uniform),
                       tables=say("optimizer.frozen_unit_normal",
                                  tables=", ".join(s.name for s in tables[:3]),
                                  std=tables[0].std) if tables else ""))


def _zero_unheld(frozen: Finding | None, stats: list[TensorStats]) -> Finding | None:
    """``optimizer.zero_weights_unheld``: every all-zero weight matrix is one the optimizer
    left out — zeros it was built with and never trained away, which say nothing of the
    initialisation of what did train; None without zero matrices or a list of the left out."""
    if frozen is None or frozen.value is not True:
        return None
    missing = set(frozen.details.get("missing", ()))
    zero = [s.name for s in stats if len(s.shape) >= 2 and s.floating and s.numel
            and not s.non_finite and s.min == 0.0 and s.max == 0.0]
    if not zero:
        return None
    unheld = all(name in missing for name in zero)
    return Finding("optimizer.zero_weights_unheld", unheld,
                   say("optimizer.zero_unheld" if unheld else "optimizer.zero_held",
                       names=zero[:3], n=len(zero)))


#: A current lr at or below this share of the schedule's initial lr: the schedule is at its
#: end (cosine to lr/100, linear to 0).
SCHEDULE_END_FRACTION = 0.01


def _schedule_end(info: OptimizerInfo) -> Finding | None:
    """An update ratio at (nearly) LR 0 says nothing about the lr or about dead units."""
    lrs = [float(g["lr"]) for g in info.groups if _number(g.get("lr")) is not None]
    initial = [float(g["initial_lr"]) for g in info.groups if _number(g.get("initial_lr"))]
    peak = max(initial) if initial else 0.0
    if lrs and (max(lrs) <= 0 or (peak > 0 and max(lrs) <= SCHEDULE_END_FRACTION * peak)):
        words = say("update.schedule_ended_from", lr=max(lrs), initial=peak) if peak > 0 \
            else say("update.schedule_ended", lr=max(lrs))
        return Finding("update.ratio", UNKNOWN, words, {"lr": max(lrs), "initial_lr": peak})
    return None


@dataclass(frozen=True)
class _NextSteps:
    """The optimizer's tensors mapped to the state_dict's names, and the norm of each one's
    next step from its state (None where the kind's state cannot tell)."""

    mapping: dict[int, str]
    how: str
    by_name: dict[str, TensorStats]
    norms: dict[int, float | None]


def _next_steps(info: OptimizerInfo, stats: list[TensorStats]) -> _NextSteps | None:
    """:class:`_NextSteps`, read once for the readings of the update's size; None at a
    schedule's end (an update at LR 0 says nothing) and for a kind other than Adam or SGD."""
    if _schedule_end(info) is not None or info.kind not in ("adam", "sgd"):
        return None
    candidates = trainable_candidates(stats)
    mapping, how = map_params(info, candidates)
    norms = {index: adam_update_norm(info.entries[index], info.groups[info.entries[index].group])
             if info.kind == "adam" else
             sgd_update_norm(info.entries[index], info.groups[info.entries[index].group])
             for index in mapping}
    return _NextSteps(mapping, how, {s.name: s for s in candidates}, norms)


def _update_ratio(info: OptimizerInfo, steps: _NextSteps | None) -> Finding | None:
    if (ended := _schedule_end(info)) is not None:
        return ended
    if steps is None:
        return None
    by_name = steps.by_name
    ratios: dict[str, float] = {}
    for index, name in steps.mapping.items():
        norm = steps.norms[index]
        weight = weight_norm(by_name[name])
        if norm is not None and weight > 0 and len(by_name[name].shape) >= 2:
            ratios[name] = norm / weight
    if not ratios:
        return None
    median = statistics.median(ratios.values())
    matrices = [by_name[name] for name in ratios]
    if (collapsed := collapsed_scale([(w.std, w.shape) for w in matrices])) is not None:
        return Finding("update.ratio", UNKNOWN,
                       say("update.weights_collapsed", median=median, scale=collapsed,
                           limit=COLLAPSED_SCALE), {"median": median, "scale": collapsed})
    worst = max(ratios, key=ratios.__getitem__)
    return Finding("update.ratio", median,
                   say("update.from_state", kind=info.kind, median=median, n=len(ratios),
                       worst=worst, largest=ratios[worst]),
                   {"per_layer": ratios, "mapping": steps.how})


#: A tensor's next step under this share of its own norm: it has not moved for many steps.
STILL_RATIO = 1e-12


def _every_tensor_still(info: OptimizerInfo, steps: _NextSteps | None) -> Finding | None:
    """``optimizer.every_tensor_still``: every tensor the optimizer holds, down to the last
    one in its list (a 1-D tensor: the bias next to the loss), has a next step under
    ``STILL_RATIO`` of its own norm — the momentum of the last gradients decayed to nothing:
    no gradient reached any parameter, the output layer's bias included, for hundreds of
    steps. Units that died inside the network leave that bias a gradient; an output that no
    parameter reaches any longer (an activation clamping every logit) does not. None when a
    tensor's step cannot be read (no momentum, a mapping that cannot be made), when the
    last tensor is not 1-D, or at a schedule's end."""
    if steps is None or not info.entries or len(steps.mapping) != len(info.entries):
        return None
    for index in range(len(info.entries)):
        norm = steps.norms[index]
        if norm is None or not math.isfinite(norm):
            return None
        name = steps.mapping[index]
        if norm > STILL_RATIO * weight_norm(steps.by_name[name]):
            return Finding("optimizer.every_tensor_still", False,
                           say("optimizer.tensor_moving", name=name))
    last = steps.by_name[steps.mapping[len(info.entries) - 1]]
    if len(last.shape) != 1:
        return None
    return Finding("optimizer.every_tensor_still", True,
                   say("optimizer.every_tensor_still", n=len(info.entries), kind=info.kind,
                       last=last.name, ratio=STILL_RATIO))


#: An output unit whose optimizer memory (its bias and its weight row alike) is at most this
#: share of the most-moving unit's has had no gradient for many steps.
STILL_UNIT = 1e-6


def _first_moment(entry: ParamEntry) -> np.ndarray | None:
    """The optimizer's running memory of one parameter's gradient, as magnitudes: Adam's
    ``exp_avg``, a momentum buffer, else RMSprop's ``square_avg`` (None for another state:
    Adagrad's sum never decays)."""
    for key in ("exp_avg", "momentum_buffer", "square_avg"):
        value: Any = entry.state.get(key)
        if is_tensor_like(value):
            # float_array converts a bfloat16 view's bits (np.asarray would read them raw)
            array = float_array(value)
            return None if array is None else np.abs(array)
    return None


def _output_units_still(info: OptimizerInfo, stats: list[TensorStats]) -> Finding | None:
    """``optimizer.output_units_still``: some units of the output layer — the checkpoint's
    last weight (K, n) and bias (K,), the optimizer's last two tensors — have a gradient
    memory (bias entry and weight row alike) at most :data:`STILL_UNIT` of the most-moving
    unit's, while others move: no gradient has reached those outputs for many steps. Under
    a softmax, sigmoid or squared error every output gets a gradient on every batch; a ReLU
    (or clamp) on the scores whose inputs went negative passes none (set 346's dray-team MLP:
    the four-horse score's RMSprop memory 1e-12 of the others'). None where the head cannot
    be told (another order, one output, no such state)."""
    entries = info.entries
    candidates = trainable_candidates(stats)
    if len(entries) < 2 or len(candidates) < 2:
        return None
    mapping, _ = map_params(info, candidates)
    weight, bias = candidates[-2], candidates[-1]
    if mapping.get(len(entries) - 2) != weight.name or mapping.get(len(entries) - 1) != bias.name \
            or len(weight.shape) != 2 or len(bias.shape) != 1 \
            or weight.shape[0] != bias.shape[0] or bias.shape[0] < 2:
        return None
    rows, units = _first_moment(entries[-2]), _first_moment(entries[-1])
    if rows is None or units is None or rows.shape != weight.shape or units.shape != bias.shape \
            or not (np.isfinite(rows).all() and np.isfinite(units).all()):
        return None
    rows = rows.sum(axis=1)
    if rows.max() <= 0 or units.max() <= 0:
        return None  # nothing moves at all: optimizer.every_tensor_still
    still = np.flatnonzero((units <= STILL_UNIT * units.max()) & (rows <= STILL_UNIT * rows.max()))
    if not still.size:
        return Finding("optimizer.output_units_still", False,
                       say("optimizer.output_units_moving", n=int(units.size), name=bias.name))
    return Finding("optimizer.output_units_still", True,
                   say("optimizer.output_units_still", k=int(still.size), n=int(units.size),
                       units=[int(i) for i in still[:6]], name=weight.name, kind=info.kind,
                       share=float(max(units[still].max() / units.max(),
                                       rows[still].max() / rows.max()))),
                   {"units": [int(i) for i in still]})


def _coherence(info: OptimizerInfo) -> Finding | None:
    if info.kind != "adam" or (found := moment_coherence(info.entries, info.groups)) is None:
        return None
    ratio, n, step = found
    return Finding("optimizer.moment_coherence", ratio,
                   say("optimizer.coherence", ratio=ratio, n=n, step=step))


#: The first weight matrix's gradient RMS below this share of Adam's eps is below what Adam
#: can normalise: its steps are lr·m̂/eps, that many times smaller than lr.
EPS_FLOOR = 0.01
#: … while the last weight matrix's is at least this many times the first's.
DEPTH_GAP = 100.0


#: A recurrent layer's weights (torch's RNN/LSTM/GRU names).
_RECURRENT = re.compile(r"weight_(ih|hh)_l\d")
#: Lookup tables (token and position embeddings, a tied ``shared`` table): rows of unseen
#: tokens get no gradient, so their moments say nothing of depth.
_TABLE = re.compile(r"emb|(^|\.)(wte|wpe|shared|tok_?\w*)\.", re.IGNORECASE)


def _weight_matrices(info: OptimizerInfo, stats: list[TensorStats]
                     ) -> tuple[list[str], dict[str, int]] | None:
    """The optimizer's weight matrices (no embedding tables) in model order — the order the
    optimizer holds them, ``model.parameters()``'s, not the names sorted (a ``head`` defined
    after an ``rnn`` sorts first) — with each one's index among the optimizer's entries;
    None for fewer than three, and for a recurrent net (its gradients fade or grow through
    time, not down a stack of layers)."""
    candidates = trainable_candidates(stats)
    if any(_RECURRENT.search(c.name) for c in candidates):
        return None
    mapping, _ = map_params(info, candidates)
    index = {name: i for i, name in mapping.items()}
    shapes = {c.name: c.shape for c in candidates}
    matrices = [name for _, name in sorted(mapping.items())
                if len(shapes[name]) >= 2 and not _TABLE.search(name)]
    return (matrices, index) if len(matrices) >= 3 else None


def _early_layers_below_eps(info: OptimizerInfo, stats: list[TensorStats]) -> Finding | None:
    """``optimizer.first_layer_grad_over_eps``: the first weight matrix's gradient RMS (Adam's
    √v̂, median) over eps, when it is under a hundredth of eps while the last matrix's is a
    hundred times larger — the gradient fades with depth below what Adam can rescale; None
    otherwise (another optimizer, a mapping that cannot be made, gradients in range)."""
    if info.kind != "adam" or (found := _weight_matrices(info, stats)) is None:
        return None
    matrices, index = found
    ends = []
    for order in (matrices, matrices[::-1]):  # the first and the last the gradient reached
        for name in order:
            root = _reached_gradient(info.entries[index[name]], info.groups)
            if root is not None:
                ends.append((name, root))
                break
    if len(ends) < 2 or not all(math.isfinite(root) for _, root in ends) or \
            matrices.index(ends[1][0]) - matrices.index(ends[0][0]) < 2:
        return None
    (first_name, first), (last_name, last) = ends
    eps = info.groups[info.entries[index[first_name]].group].get("eps")
    if not isinstance(eps, int | float) or eps <= 0 or first >= EPS_FLOOR * eps or \
            last < DEPTH_GAP * max(first, 1e-30):
        return None
    return Finding("optimizer.first_layer_grad_over_eps", first / eps,
                   say("optimizer.first_below_eps", first=first, last=last, eps=float(eps),
                       first_name=first_name, last_name=last_name))


def _reached_gradient(entry: Any, groups: list[dict[str, Any]]) -> float | None:
    """√ of Adam's median v̂ over the rows of a matrix that received a gradient — rows that
    never did (ids a table never looked up, units that never fired) say nothing of how much
    reached the layer; None when no row did (the matrix took no part in the loss, or was
    cut off from it), NaN when the moments are missing or not finite."""
    _, v_hat, _ = moment_arrays(entry, groups)
    if v_hat is None or not np.isfinite(v_hat).all():
        return math.nan
    rows = v_hat.reshape(v_hat.shape[0], -1)
    reached = rows[np.any(rows > 0, axis=1)]
    return float(np.sqrt(np.median(reached))) if reached.size else None


#: SGD's momentum buffers putting the first weight matrix's running gradient below this share
#: of the last one's: the gradient fades with depth (healthy runs measured 0.06 and above).
MOMENTUM_DEPTH_RATIO = 0.01


#: A last weight matrix whose RMS is this many times Kaiming's std for its fan-in has blown
#: up: its running gradient is the explosion's, and the first matrix's looks small beside it
#: whatever reaches it (an 8x unscaled accumulation: 2.7e17 against 0.16).
MOMENTUM_BLOWN_UP = 1e3


def _blown_up(stats: list[TensorStats], name: str) -> bool:
    """Whether the weight matrix ``name`` sits :data:`MOMENTUM_BLOWN_UP` times or more above
    Kaiming's std for its fan-in."""
    found = next((s for s in stats if s.name == name), None)
    if found is None or len(found.shape) < 2:
        return False
    fan_in = math.prod(found.shape[1:])
    rms = math.sqrt(found.std ** 2 + found.mean ** 2)
    return fan_in > 0 and rms >= MOMENTUM_BLOWN_UP * kaiming_std(fan_in)


def _momentum_fades_with_depth(info: OptimizerInfo, stats: list[TensorStats]) -> Finding | None:
    """``optimizer.momentum_first_last_ratio``: the RMS of SGD's momentum buffer (a running
    sum of the gradients) of the first weight matrix over the last one's, in model order;
    None for another optimizer, a run without momentum buffers, fewer than three matrices, a
    first matrix with no gradient at all (dead units: dead_relu's own measurements), or a
    last matrix that blew up (:data:`MOMENTUM_BLOWN_UP`)."""
    if info.kind != "sgd" or (found := _weight_matrices(info, stats)) is None:
        return None
    matrices, index = found
    roots = []
    for name in (matrices[0], matrices[-1]):
        buffer = float_array(info.entries[index[name]].state.get("momentum_buffer"))
        if buffer is None or buffer.size == 0 or not np.isfinite(buffer).all():
            return None
        roots.append(float(np.sqrt(np.mean(buffer.astype(np.float64) ** 2))))
    first, last = roots
    if first <= 0 or last <= 0 or _blown_up(stats, matrices[-1]):
        return None
    ratio = first / last
    return Finding("optimizer.momentum_first_last_ratio", ratio,
                   say("optimizer.momentum_depth", first=first, last=last, ratio=ratio,
                       first_name=matrices[0], last_name=matrices[-1], n=len(matrices)))


def _eps_dominance(info: OptimizerInfo) -> Finding | None:
    if info.kind != "adam" or (found := eps_over_root_v(info.entries, info.groups)) is None:
        return None
    ratio, eps, root, n = found
    return Finding("optimizer.eps_over_root_v", ratio,
                   say("optimizer.eps_over_root_v", eps=eps, root=root, ratio=Times(ratio),
                       n=n))


def _never_stepped(info: OptimizerInfo, stats: list[TensorStats],
                   checkpoint: Path) -> Finding | None:
    if (found := never_stepped(info.kind, info.entries, info.groups)) is None:
        return None
    missing, held = found
    names = _cut_from_the_loss(info, stats)
    by_design = library_unused(checkpoint, sum(s.numel for s in stats if s.floating)) \
        if missing and not names else None
    if by_design is not None and by_design.held == held and \
            0 < len(by_design.names) <= missing:
        missing -= len(by_design.names)
        unused = ", ".join(by_design.names[:3]) + (" …" if len(by_design.names) > 3 else "")
        return Finding("optimizer.never_stepped_share", missing / held,
                       say("optimizer.unused_by_design", n=len(by_design.names), held=held,
                           kind=info.kind, arch=by_design.architecture, names=unused,
                           rest=missing))
    missing += len(names)
    if not missing:
        words = say("optimizer.all_stepped", held=held, kind=info.kind)
    elif names:
        rest = missing - len(names)
        words = say("optimizer.never_stepped_zero", n=missing, held=held, zeros=len(names),
                    kind=info.kind, names=", ".join(names[:4]) + (" …" if len(names) > 4 else ""),
                    others=say("optimizer.never_stepped_rest", n=rest) if rest else "")
    else:
        words = say("optimizer.never_stepped_adagrad" if info.kind == "adagrad" else
                    "optimizer.never_stepped", n=missing, held=held, kind=info.kind)
    return Finding("optimizer.never_stepped_share", missing / held, words)


def _stepped_with_zero_gradients(info: OptimizerInfo) -> Finding | None:
    """``optimizer.zero_gradient_share``: the share of the tensors the optimizer holds whose
    state is there but exactly zero — stepped at every step, each time with a gradient of
    exactly 0: the optimizer's own tensors, in the loss's graph behind an operation whose
    derivative is 0 (``round``, ``argmax``, a comparison), or their gradients cleared between
    ``backward()`` and ``step()``. A tensor no gradient reached at all has no state. None
    for an optimizer that holds nothing."""
    held = len(info.entries)
    if not held:
        return None
    zeros = sum(1 for e in info.entries if only_zero_gradients(info.kind, e.state))
    return Finding("optimizer.zero_gradient_share", zeros / held,
                   say("optimizer.zero_gradient_share", n=zeros, held=held, kind=info.kind))


def _partly_stepped(info: OptimizerInfo, share: Finding | None) -> tuple[int, int] | None:
    """(tensors without state, tensors held) when some but not all never stepped (and none
    by a library's design: the share says so); None otherwise."""
    if share is None or not isinstance(share.value, float) or not 0 < share.value < 1:
        return None
    return never_stepped(info.kind, info.entries, info.groups)


def _never_stepped_at_the_end(info: OptimizerInfo, counted: tuple[int, int] | None
                              ) -> Finding | None:
    """``optimizer.never_stepped_at_the_end``: whether the tensors that never stepped are the
    last ones of a one-group optimizer's list — built from ``model.parameters()``, the output
    layer, which sits next to the loss: a gradient reaches it unless the layer the loss sees
    is not the one the optimizer holds. Read only when some but not all never stepped."""
    if counted is None or \
            (tail := stateless_tail(info.kind, info.entries, info.groups)) is None:
        return None
    missing, held = counted
    at_end = missing > 0 and tail == missing
    return Finding("optimizer.never_stepped_at_the_end", at_end,
                   say("optimizer.never_stepped_last" if at_end else
                       "optimizer.never_stepped_not_last", n=missing, held=held))


def _never_stepped_inside(info: OptimizerInfo, counted: tuple[int, int] | None
                          ) -> Finding | None:
    """``optimizer.never_stepped_inside``: whether the tensors that never stepped all lie
    between tensors that did in their group's list (built from ``model.parameters()``, the
    model's own order). A cut graph or a frozen backbone starves the layers before the cut, a
    prefix of that order; a block whose layers before and after it stepped is off the loss's
    path — a branch the task does not use (a pretraining predictor or decoder kept in the
    model). Read only when some but not all never stepped."""
    if counted is None or \
            (inside := stateless_inside(info.kind, info.entries, info.groups)) is None:
        return None
    missing, held = counted
    return Finding("optimizer.never_stepped_inside", inside,
                   say("optimizer.never_stepped_inside" if inside else
                       "optimizer.never_stepped_not_inside", n=missing, held=held))


def _cut_from_the_loss(info: OptimizerInfo, stats: list[TensorStats]) -> list[str]:
    """Held tensors whose optimizer state is exactly zero (every gradient they got was 0), by
    whole layers: a layer counts when each tensor it has in the optimizer is such a one. Dead
    units pass back exactly zero too — to the layer before them, whose bias is then nowhere
    above 0, and to the weight (not the bias) of the layer after — which is ``dead_relu``,
    not a cut graph; a bias-free layer is read only when no such dead layer is found."""
    zeros = {i for i, e in enumerate(info.entries) if only_zero_gradients(info.kind, e.state)}
    if not zeros:
        return []
    mapping, _ = map_params(info, trainable_candidates(stats))
    by_name = {s.name: s for s in stats}
    layers: dict[str, list[tuple[str, bool]]] = {}
    for index, name in sorted(mapping.items()):
        layers.setdefault(name.rpartition(".")[0], []).append((name, index in zeros))
    cut, bias_free, dead = [], [], False
    for layer, tensors in layers.items():
        if not any(zero for _, zero in tensors):
            continue
        bias = by_name.get(f"{layer}.bias" if layer else "bias")
        if bias is not None and bias.floating and bias.max <= 0.0:
            dead = True  # a layer of units that never fire
        elif not all(zero for _, zero in tensors):
            continue  # the weight after dead units: its bias still learns
        elif bias is None:
            bias_free += [name for name, _ in tensors]
        else:
            cut += [name for name, _ in tensors]
    return cut + ([] if dead else bias_free)


#: BatchNorm needs this many optimizer steps before its batch count says anything.
BN_MIN_STEPS = 20


def _bn_tracked(step: Finding | None, stats: list[TensorStats], copies: bool = False
                ) -> Finding | None:
    """``bn.tracked_share``: BatchNorm's batch count (``num_batches_tracked``, which only a
    forward pass in train mode advances) over the optimizer's steps. A model left in eval mode
    after a validation pass trains on without counting; gradient accumulation counts more.
    With a running copy of the model beside it (``copies``: a momentum encoder, run in train
    mode at every step though never trained) the copy's count does not speak for the trained
    model's, and which of two same-shaped layers is the trained one cannot be told from
    names: the least count is read."""
    counts = [t.max for t in stats if t.name.endswith("num_batches_tracked") and t.numel == 1]
    if not counts or step is None or not float(step.value) >= BN_MIN_STEPS:
        return None
    steps, tracked = float(step.value), min(counts) if copies else max(counts)
    return Finding("bn.tracked_share", tracked / steps,
                   say("bn.tracked_least" if copies else "bn.tracked", tracked=whole(tracked),
                       steps=whole(steps),
                       share=Pct(tracked / steps), n=len(counts)))


def _peak_over_initial(info: OptimizerInfo, inputs: Inputs, ctx: ProbeContext
                       ) -> Finding | None:
    """``lr.peak_over_initial``: the highest learning rate the log records over the rate the
    optimizer was built with (``initial_lr``, which schedulers keep in the param groups):
    far above 1 the schedule multiplied the rate up (a warm-up lambda returning the rate
    itself instead of a factor ≤ 1). None without both, and for a one-cycle or cyclic
    schedule, whose groups keep a ``max_lr`` the rate is meant to climb to."""
    groups = info.groups[:1]
    if not inputs.logs or not groups or "max_lr" in groups[0] or \
            (initial := _number(groups[0].get("initial_lr"))) is None or initial <= 0:
        return None
    from .logs import logged

    series = logged(inputs, ctx, "lr")
    if series is None:
        return None
    finite = series.values[np.isfinite(series.values)]
    if finite.size < 3:
        return None
    peak = float(finite.max())
    return Finding("lr.peak_over_initial", peak / initial,
                   say("lr.peak_over_initial", peak=peak, initial=initial,
                       ratio=Times(peak / initial), file=inputs.logs[0].name))


#: A log that peaks this far above ``initial_lr`` has a schedule that climbed past it.
PEAK_TOLERANCE = 1.05


def _lr_is_peak(info: OptimizerInfo, over: Finding | None) -> Finding | None:
    """``optimizer.lr_is_peak``: the rate ``optimizer.lr`` reads (group 0's ``initial_lr``)
    is the highest the run used — a schedule that only scales it down (a decay, a warm-up
    factor of at most 1) and, where the log records the rate, never logged it higher. False
    for a one-cycle schedule (its groups keep ``max_lr``, ``initial_lr`` is its low start) or
    a log that climbs past it; None without ``initial_lr`` or while the rate is above it
    (a cyclic schedule's base), where ``lr.decays`` alone tells."""
    groups = info.groups[:1]
    if not groups or (initial := _number(groups[0].get("initial_lr"))) is None or initial <= 0 \
            or (now := _number(groups[0].get("lr"))) is None or now > initial:
        return None
    if "max_lr" in groups[0]:
        return Finding("optimizer.lr_is_peak", False,
                       say("optimizer.lr_not_peak_cycle", initial=initial,
                           peak=float(groups[0]["max_lr"])))
    if over is not None and isinstance(over.value, float) and over.value > PEAK_TOLERANCE:
        return Finding("optimizer.lr_is_peak", False,
                       say("optimizer.lr_not_peak_logged", initial=initial,
                           ratio=Times(over.value)))
    key = "optimizer.lr_is_peak_logged" if over is not None else "optimizer.lr_is_peak"
    return Finding("optimizer.lr_is_peak", True, say(key, initial=initial, now=now))


def _logged_step(inputs: Inputs, ctx: ProbeContext, stats: list[TensorStats]
                 ) -> Finding | None:
    """The run's last step from its log, for a checkpoint that keeps no step (plain SGD
    state): the count BatchNorm's batches are measured against; None without BatchNorm."""
    if not any(t.name.endswith("num_batches_tracked") for t in stats):
        return None
    from .log_probes import logged_last_step  # reads the log only when it can matter

    last = logged_last_step(inputs, ctx)
    file = inputs.logs[0].name if inputs.logs else ""
    return None if last is None else \
        Finding("train.step", last, say("train.last_step", file=file))


def _step(checkpoint: Checkpoint, info: OptimizerInfo | None) -> Finding | None:
    if "step" in checkpoint.meta:
        step = checkpoint.meta["step"]
        return Finding("train.step", float(step),
                       say("step.key", name=str(checkpoint.meta.get("step_key")),
                           step=whole(step)))
    steps = []
    for entry in info.entries if info else []:
        value = entry.state.get("step")
        if value is not None:
            steps.append(float(value.item() if hasattr(value, "item") else value))
    if steps:
        return Finding("train.step", max(steps), say("step.state", step=whole(max(steps))))
    return None


def _updates_per_epoch(checkpoint: Checkpoint, step: Finding | None) -> Finding | None:
    """``train.updates_per_epoch``: the optimizer's updates over the epochs the checkpoint
    records — a handful a pass is a training set of a few batches (or one batch of a whole
    graph). Not read where the run saved an accumulation count (several batches an update)
    or before its second epoch."""
    epoch = checkpoint.meta.get("epoch")
    args = checkpoint.meta.get("train_args") or {}
    if step is None or not isinstance(step.value, int | float) or \
            not isinstance(epoch, int | float) or epoch < 2 or step.value < epoch or \
            any(k in args for k in TOP_LEVEL_ACCUMULATION):
        return None
    per = float(step.value) / float(epoch)
    return Finding("train.updates_per_epoch", per,
                   say("step.per_epoch", steps=whole(step.value), epochs=whole(epoch), per=per))


def probe_optimizer(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """Read the optimizer state: kind, settings, decay on biases, frozen params, update ratio."""
    checkpoint, stats = _checkpoint(inputs, ctx)
    if checkpoint.optimizer is None:
        step = _step(checkpoint, None)
        ctx.notes.append(say("note.no_optimizer", file=str(checkpoint.path)))
        return ([step] if step else []) + _saved_args(checkpoint, [])
    info = read_optimizer(checkpoint.optimizer)
    findings = _settings(info)
    step = _step(checkpoint, info)
    frozen = _frozen(info, stats, int(checkpoint.meta.get("optimizer_count", 1)),
                     frozenset(_model_buffers(inputs, ctx)))
    copies = copy_findings(frozen, stats, checkpoint.store)
    copied = any(f.value is True for f in copies)
    steps = _next_steps(info, stats)
    for finding in (_decay_on_bias(info, stats), _flat_group_decayed(info), frozen,
                    _frozen_untrained(frozen, stats),
                    _zero_unheld(frozen, stats), _update_ratio(info, steps),
                    _every_tensor_still(info, steps), _output_units_still(info, stats),
                    _coherence(info),
                    _eps_dominance(info),
                    _early_layers_below_eps(info, stats), _momentum_fades_with_depth(info, stats),
                    (stepped := _never_stepped(info, stats, checkpoint.path)),
                    _stepped_with_zero_gradients(info),
                    _never_stepped_at_the_end(info, counted := _partly_stepped(info, stepped)),
                    _never_stepped_inside(info, counted), step,
                    _bn_tracked(step or _logged_step(inputs, ctx, stats), stats, copied),
                    _decay_shrink(info, step), (over := _peak_over_initial(info, inputs, ctx)),
                    _lr_is_peak(info, over), _updates_per_epoch(checkpoint, step)):
        if finding is not None:
            findings.append(finding)
    head = head_bias_findings(info, stats)
    findings += copies + input_scale_findings(info, stats) + head + \
        penalty_pull_findings(info, stats, checkpoint.store)
    from .log_probes import logged_loss_peak  # reads the log only when it can matter

    peak = logged_loss_peak(inputs, ctx) if any(
        f.fact == "optimizer.head_bias_grad_rms" for f in head) else None
    findings.append(bias_over_loss_bound(info, head, peak))
    try:  # the batch is the person's file: a batch that does not load leaves this unread
        findings += unseen_token_findings(info, stats, checkpoint.store, inputs, ctx)
    except Exception:  # noqa: BLE001 - the live probes report a batch that cannot be read
        pass
    schedule = [f for f in (_scheduler_per_batch(checkpoint, step),
                            _schedule_unfinished(checkpoint), _schedule_vanished(checkpoint),
                            _one_never_stepped(checkpoint.meta), _manual_steps(checkpoint.meta))
                if f is not None] + \
        _grad_shrink(info, inputs, ctx) + value_clip_findings(info) + \
        entity_order_findings(info, stats)
    saved = _saved_args(checkpoint, findings)
    if not any(f.fact == "setup.batch_size" for f in saved) and \
            (batch := _batch_from_seen(checkpoint.meta, step)) is not None:
        saved.append(batch)
    return findings + schedule + saved + _labels_share(findings, saved, inputs, ctx)


def _labels_share(findings: list[Finding], saved: list[Finding], inputs: Inputs,
                  ctx: ProbeContext) -> list[Finding]:
    """The head's labels per batch over the batch size (:func:`labels_share_finding`)."""
    size = next((f.value for f in saved if f.fact == "setup.batch_size"
                 and isinstance(f.value, float) and f.value >= 1), None)
    try:  # the batch is the person's file: a batch that does not load leaves this unread
        share = labels_share_finding(findings, inputs, ctx, size)
    except Exception:  # noqa: BLE001 - the live probes report a batch that cannot be read
        return []
    return [share] if share is not None else []


def _batch_from_seen(meta: dict[str, Any], step: Finding | None) -> Finding | None:
    """``setup.batch_size`` from a count of samples seen saved beside the weights (``seen``:
    9000) over the optimizer's steps (4500): a whole number of samples per step; None when
    either is missing or they do not divide."""
    seen = meta.get("seen")
    if seen is None or step is None or not isinstance(step.value, float) or step.value < 1:
        return None
    per_step = float(seen) / step.value
    if per_step < 1 or abs(per_step - round(per_step)) > 0.02 * per_step:
        return None
    return Finding("setup.batch_size", float(round(per_step)),
                   say("setup.batch_from_seen", name=str(meta.get("seen_key")),
                       seen=whole(seen), steps=whole(step.value), batch=whole(round(per_step))))


def _one_never_stepped(meta: dict[str, Any]) -> Finding | None:
    """``optimizer.one_never_stepped``: of the run's several optimizers (a GAN's ``opt_g`` and
    ``opt_d``) one holds no state at all while another does — its parameters never received a
    gradient, so it never took a step; None with fewer than two."""
    states = meta.get("optimizer_states") or {}
    if len(states) < 2:
        return None
    never = [k for k, n in states.items() if n == 0]
    stepped = [k for k, n in states.items() if n > 0]
    value = bool(never and stepped)
    return Finding("optimizer.one_never_stepped", value,
                   say("optimizer.one_never_stepped", never=never, stepped=stepped)
                   if value else say("optimizer.all_have_state", names=list(states)))


def _manual_steps(meta: dict[str, Any]) -> Finding | None:
    """``loop.manual_optimization``: Lightning's counters show the module stepping its
    optimizer itself (manual optimisation: clearing the gradients is the module's job, where
    automatic optimisation does it); None without Lightning's loop state or any step."""
    steps = meta.get("lightning_steps")
    if not steps or not (steps["manual"] or steps["automatic"]):
        return None
    manual = steps["manual"] > 0 and steps["automatic"] == 0
    return Finding("loop.manual_optimization", manual,
                   say("loop.manual_steps" if manual else "loop.automatic_steps",
                       manual=whole(steps["manual"]), automatic=whole(steps["automatic"])))


def _grad_shrink(info: OptimizerInfo, inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
    """The logged gradient norm against SGD's momentum buffer, when a log is given (an
    unreadable log is the log probe's to report)."""
    if info.kind != "sgd" or not inputs.logs:
        return []
    from .logs import read_logs

    try:
        return grad_shrink_findings(info, read_logs(inputs.logs, ctx))
    except DldoctorError:
        return []


#: A scheduler stepped this many times per epoch or more counted batches, not epochs …
PER_BATCH_STEPS = 3
#: … when it also ran past its own period (step_size, T_max, last milestone) this many times.
SCHEDULE_OVERRUN = 10


#: With no epoch in the checkpoint: a scheduler stepped at least this share of the
#: optimizer's updates was stepped with each of them …
EVERY_UPDATE_SHARE = 0.9
#: … and one stepped at most this share of them was not.
FEW_UPDATES_SHARE = 0.2
#: A rate at most this share of its start is gone (a schedule meant in steps ends higher).
RATE_GONE = 1e-3


def _scheduler_per_batch(checkpoint: Checkpoint, step: Finding | None = None
                         ) -> Finding | None:
    """``loop.scheduler_in_batch_loop`` from the saved scheduler: one whose settings count
    epochs (StepLR's step_size, milestones, T_max), stepped several times per epoch the
    checkpoint records and ten times past its own period, was called once per batch (a
    schedule meant in steps has its period near the run's length). With no epoch saved, the
    optimizer's update count ``step`` stands in (:func:`_scheduler_against_updates`)."""
    scheduler, epoch = checkpoint.meta.get("scheduler"), checkpoint.meta.get("epoch")
    if not scheduler or scheduler["period"] is None:
        return None
    if epoch is None:
        return _scheduler_against_updates(scheduler, step)
    if epoch < 1:
        return None
    steps, epochs = float(scheduler["last_epoch"]), float(epoch) + 1
    # stepped per batch *and* run past its own scale many times over: a schedule meant in
    # steps (T_max = the run's steps) never does that
    per_batch = steps >= PER_BATCH_STEPS * epochs and \
        steps >= SCHEDULE_OVERRUN * scheduler["period"]
    if not per_batch and steps > epochs + 1:
        return None
    return Finding("loop.scheduler_in_batch_loop", per_batch,
                   say("scheduler.per_batch" if per_batch else "scheduler.per_epoch",
                       steps=whole(steps), epochs=whole(epochs)))


def _scheduler_against_updates(scheduler: dict[str, Any], step: Finding | None
                               ) -> Finding | None:
    """With no epoch saved: a scheduler whose settings count epochs, stepped as many times as
    the optimizer updated, ten times past its own period, with its rate gone (at most
    :data:`RATE_GONE` of the start), was stepped with every batch — nobody plans a schedule
    in steps that ends there; one stepped a small share of the updates was not. None in
    between, or without the update count."""
    if step is None or not isinstance(step.value, int | float) or step.value < 1:
        return None
    steps, updates = float(scheduler["last_epoch"]), float(step.value)
    fall = scheduler.get("fall")
    if steps >= EVERY_UPDATE_SHARE * updates and \
            steps >= SCHEDULE_OVERRUN * scheduler["period"] and \
            fall is not None and fall <= RATE_GONE:
        return Finding("loop.scheduler_in_batch_loop", True,
                       say("scheduler.every_update", steps=whole(steps),
                           updates=whole(updates), periods=whole(steps / scheduler["period"]),
                           fall=fall))
    if steps <= FEW_UPDATES_SHARE * updates:
        return Finding("loop.scheduler_in_batch_loop", False,
                       say("scheduler.few_updates", steps=whole(steps), updates=whole(updates)))
    return None


def _schedule_vanished(checkpoint: Checkpoint) -> Finding | None:
    """``lr.vanished_share`` from the saved scheduler replayed from its settings
    (:mod:`.schedule_rebuild`): the share of its steps from the peak on at which the rate sat
    below :data:`LR_VANISHED_FRACTION` of the peak — read where no log records the rate."""
    from .log_probes import LR_VANISHED_FRACTION  # the same line the logged rate is read by

    saved = checkpoint.meta.get("scheduler_settings")
    if not saved or (rebuilt := rebuilt_rates(saved)) is None:
        return None
    kind, rates = rebuilt
    share, first = vanished_share(rates, LR_VANISHED_FRACTION)
    steps = whole(len(rates) - 1)
    words = say("lr.vanished_rebuilt", kind=kind, steps=steps, limit=LR_VANISHED_FRACTION,
                share=Pct(share), first=first) if first is not None \
        else say("lr.never_vanished_rebuilt", kind=kind, steps=steps,
                 limit=LR_VANISHED_FRACTION, low=min(rates))
    return Finding("lr.vanished_share", share, words, {"kind": kind})


#: A schedule planned in steps that ran this share of its plan or less was stepped per epoch.
UNFINISHED_SHARE = 0.25


def _schedule_unfinished(checkpoint: Checkpoint) -> Finding | None:
    """``loop.schedule_stepped_per_epoch``: a schedule planned in batches (OneCycleLR's
    total_steps) that the saved run stepped about once per epoch, a small share of its plan:
    its rate never got far from where the plan starts (OneCycle: max_lr/25)."""
    scheduler, epoch = checkpoint.meta.get("scheduler"), checkpoint.meta.get("epoch")
    if not scheduler or not scheduler.get("total_steps") or epoch is None or epoch < 2:
        return None
    steps, planned, epochs = float(scheduler["last_epoch"]), float(scheduler["total_steps"]), \
        float(epoch) + 1
    if steps > PER_BATCH_STEPS * epochs:
        return Finding("loop.schedule_stepped_per_epoch", False,
                       say("scheduler.plan_on_track", steps=whole(steps), planned=whole(planned),
                           epochs=whole(epochs)))
    unfinished = steps <= UNFINISHED_SHARE * planned
    return Finding("loop.schedule_stepped_per_epoch", unfinished,
                   say("scheduler.plan_unfinished" if unfinished else "scheduler.plan_on_track",
                       steps=whole(steps), planned=whole(planned), epochs=whole(epochs)))


def _saved_args(checkpoint: Checkpoint, known: list[Finding]) -> list[Finding]:
    """Facts from the training arguments a library saved (timm args, HF training_args.bin)."""
    args = checkpoint.meta.get("train_args")
    if not args:
        return []
    return args_findings(args, str(checkpoint.meta.get("train_args_source", "saved args")),
                         {f.fact for f in known})
