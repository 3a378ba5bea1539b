"""Read a ``torch.optim`` state_dict: which optimizer, its settings, and what it holds.

An optimizer state_dict names parameters by number, not by name. :func:`map_params` ties the
numbers back to state_dict names with this heuristic:

1. The trainable candidates are the model's floating tensors minus BatchNorm buffers, in
   state_dict order (the order of ``model.parameters()``).
2. If the optimizer holds exactly as many parameters as there are candidates, and every shape
   known from its state (``exp_avg``, ``momentum_buffer`` …) agrees, they pair up in order.
3. Otherwise each param group is aligned on its own as an ordered subsequence of the
   candidates, matching shapes (how groups built by filtering ``named_parameters()`` look).
   A group with a parameter whose shape fits no remaining candidate is left unmapped.
4. When that leaves parameters unmapped (safetensors files store names sorted, not in
   ``model.parameters()`` order: ``layer.10`` before ``layer.2``, ``bias`` before ``weight``),
   steps 2-3 are tried again on the candidates in a likely model order (numbers compared as
   numbers, ``weight`` before ``bias``), and what is still unmapped takes the first unused
   candidate of its shape. Same-shaped tensors may then be swapped, which a median over
   layers tolerates; the mapping says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .tensor_store import is_tensor_like
from .weight_scan import TensorStats

__all__ = ["OptimizerInfo", "read_optimizer", "map_params", "trainable_candidates",
           "optimizer_kind", "optimizer_problem"]

#: The state_dict entries that are buffers, not parameters an optimizer holds.
BUFFER_NAMES = ("running_mean", "running_var", "num_batches_tracked")


@dataclass
class ParamEntry:
    """One parameter the optimizer holds."""

    group: int
    pid: Any
    shape: tuple[int, ...] | None
    state: dict[str, Any]


@dataclass
class OptimizerInfo:
    kind: str
    groups: list[dict[str, Any]]
    entries: list[ParamEntry]


def optimizer_kind(groups: list[dict[str, Any]], state: dict[Any, Any]) -> str:
    """Tell the optimizer from its hyper-parameter names, then from its state's keys."""
    keys = set().union(*(g.keys() for g in groups)) if groups else set()
    if "history_size" in keys or "line_search_fn" in keys:
        return "lbfgs"
    if "betas" in keys:
        return "adam"
    if "lr_decay" in keys or "initial_accumulator_value" in keys:
        return "adagrad"
    if "alpha" in keys and "centered" in keys:
        return "rmsprop"
    if "dampening" in keys or "nesterov" in keys:
        return "sgd"
    state_keys = set().union(*(s.keys() for s in state.values() if isinstance(s, dict)))
    if {"exp_avg", "exp_avg_sq"} <= state_keys:
        return "adam"
    if "square_avg" in state_keys:
        return "rmsprop"
    if "sum" in state_keys:
        return "adagrad"
    if "momentum_buffer" in state_keys:
        return "sgd"
    return "other"


def _shape(state: dict[str, Any]) -> tuple[int, ...] | None:
    for key in ("exp_avg", "momentum_buffer", "square_avg", "sum", "exp_avg_sq"):
        value = state.get(key)
        if value is not None and is_tensor_like(value):
            return tuple(int(d) for d in value.shape)
    return None


def _state_of(state: dict[Any, Any], pid: Any) -> dict[str, Any]:
    """A parameter's state; a DCP save of a plain state_dict turns the integer ids of
    ``state`` into strings while ``param_groups`` keeps them as integers."""
    found = state.get(pid)
    if found is None and not isinstance(pid, str):
        found = state.get(str(pid))
    return found if isinstance(found, dict) else {}
_NUMBER_KEYS = ("lr", "initial_lr", "momentum", "weight_decay", "eps", "dampening", "alpha")


def _is_number(value: Any) -> bool:
    if isinstance(value, np.ndarray):
        with np.errstate(all="ignore"):  # as torch's .float(): float32, inf beyond its range
            return value.size == 1 and value.dtype.kind in "biuf" \
                and bool(np.isfinite(value.astype(np.float32)).all())
    if is_tensor_like(value):
        import torch

        return value.numel() == 1 and bool(torch.isfinite(value.float()).all())
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and math.isfinite(value)


def optimizer_problem(state_dict: Any) -> str | None:
    """What makes an optimizer state_dict unreadable, or None when its shape is sound.

    Checked before any probe reads it, so garbage is one clear error instead of a probe
    failing half-way.
    """
    if not isinstance(state_dict, dict):
        return "the optimizer state is not a dict"
    groups, state = state_dict.get("param_groups"), state_dict.get("state")
    if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
        return "param_groups is not a list of dicts"
    if state is not None and (not isinstance(state, dict)
                              or not all(isinstance(v, dict) for v in state.values())):
        return "state is not a dict of per-parameter dicts"
    for index, group in enumerate(groups):
        params = group.get("params", [])
        if not isinstance(params, list) or not all(
                isinstance(p, int | str) and not isinstance(p, bool) for p in params):
            return f"param_groups[{index}].params is not a list of parameter ids"
        for key in _NUMBER_KEYS:
            if key in group and group[key] is not None and not _is_number(group[key]):
                return f"param_groups[{index}].{key} is not a finite number"
        betas = group.get("betas")
        if betas is not None and not (isinstance(betas, list | tuple) and len(betas) == 2
                                      and all(_is_number(b) and 0 <= float(b) <= 1
                                              for b in betas)):
            return f"param_groups[{index}].betas is not a pair of numbers in [0, 1]"
    for pid, entry in (state or {}).items():
        step = entry.get("step")
        if step is not None and not (_is_number(step) and 0 <= float(step) <= 1e15):
            return f"state[{str(pid)[:20]!r}].step is not a step count"
    return None


def read_optimizer(state_dict: dict[str, Any]) -> OptimizerInfo:
    groups = [g for g in state_dict.get("param_groups", []) if isinstance(g, dict)]
    state = state_dict.get("state", {}) or {}
    entries = [
        ParamEntry(index, pid, _shape(_state_of(state, pid)), _state_of(state, pid))
        for index, group in enumerate(groups) for pid in group.get("params", [])
    ]
    return OptimizerInfo(optimizer_kind(groups, state), groups, entries)


def trainable_candidates(stats: list[TensorStats]) -> list[TensorStats]:
    """The state_dict tensors that are parameters rather than buffers, in order."""
    return [s for s in stats if s.floating and not s.name.endswith(BUFFER_NAMES)]


def _align(entries: list[ParamEntry], candidates: list[TensorStats]) -> list[str] | None:
    names: list[str] = []
    position = 0
    for entry in entries:
        while position < len(candidates) and entry.shape is not None \
                and candidates[position].shape != entry.shape:
            position += 1
        if position >= len(candidates) or entry.shape is None:
            return None
        names.append(candidates[position].name)
        position += 1
    return names


def _natural(name: str) -> tuple[Any, ...]:
    """Sort key of a parameter name in likely definition order."""
    module, _, leaf = name.rpartition(".")
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in module.split("."))
    return parts, {"weight": 0, "bias": 1}.get(leaf, 2), leaf


def model_order(candidates: list[TensorStats]) -> list[TensorStats]:
    """The candidates in a likely ``model.parameters()`` order (see step 4)."""
    return sorted(candidates, key=lambda c: _natural(c.name))


def _by_shape(info: OptimizerInfo, candidates: list[TensorStats],
              mapping: dict[int, str]) -> None:
    """Give each unmapped entry the first unused candidate of its shape."""
    used = set(mapping.values())
    for index, entry in enumerate(info.entries):
        if index in mapping or entry.shape is None:
            continue
        match = next((c for c in candidates if c.name not in used and c.shape == entry.shape),
                     None)
        if match is not None:
            mapping[index] = match.name
            used.add(match.name)


def map_params(info: OptimizerInfo, candidates: list[TensorStats]
               ) -> tuple[dict[int, str], str]:
    """Map entry index → state_dict name, and say which rule of the heuristic was used."""
    mapping, how = _map_in_order(info, candidates)
    if len(mapping) == len(info.entries):
        return mapping, how
    ordered = model_order(candidates)
    mapping, how = _map_in_order(info, ordered)
    if len(mapping) == len(info.entries):
        return mapping, f"{how}, names in model order (stored sorted)"
    _by_shape(info, ordered, mapping)
    return mapping, "by shape (approximate: same-shaped tensors may be swapped)"


def _map_in_order(info: OptimizerInfo, candidates: list[TensorStats]
                  ) -> tuple[dict[int, str], str]:
    """Steps 2 and 3 of the heuristic."""
    entries = info.entries
    if len(entries) == len(candidates) and all(
        e.shape is None or e.shape == c.shape for e, c in zip(entries, candidates, strict=True)
    ):
        return {i: c.name for i, c in enumerate(candidates)}, "in order"
    mapping: dict[int, str] = {}
    for group in range(len(info.groups)):
        indices = [i for i, e in enumerate(entries) if e.group == group]
        names = _align([entries[i] for i in indices], candidates)
        if names is not None:
            mapping.update(zip(indices, names, strict=True))
    return mapping, "by shape, group by group"


def adam_update_norm(entry: ParamEntry, group: dict[str, Any]) -> float | None:
    """Norm of the next Adam step lr·m̂/(√v̂+eps), from the stored moments."""
    m, v = entry.state.get("exp_avg"), entry.state.get("exp_avg_sq")
    if not is_tensor_like(m) or not is_tensor_like(v):
        return None
    step = entry.state.get("step", 1)
    step = float(step.item() if is_tensor_like(step) else step) or 1.0
    beta1, beta2 = group.get("betas", (0.9, 0.999))
    lr, eps = float(group.get("lr", 1e-3)), float(group.get("eps", 1e-8))
    if isinstance(m, np.ndarray) and isinstance(v, np.ndarray):
        with np.errstate(all="ignore"):  # float32 throughout, as torch computes it
            m_hat = m.astype(np.float32) / (1 - float(beta1) ** step)
            v_hat = v.astype(np.float32) / (1 - float(beta2) ** step)
            return float(lr * _norm(m_hat / (np.sqrt(v_hat) + eps)))
    import torch

    m, v = _torch(m), _torch(v)
    m_hat = m.float() / (1 - beta1 ** step)
    v_hat = v.float() / (1 - beta2 ** step)
    return float(lr * torch.linalg.vector_norm(m_hat / (v_hat.sqrt() + eps)))


def momentum_norm(entry: ParamEntry) -> float | None:
    """Norm of an SGD parameter's momentum buffer (None without one)."""
    buffer = entry.state.get("momentum_buffer")
    if buffer is None or not is_tensor_like(buffer):
        return None
    if isinstance(buffer, np.ndarray):
        return _norm(buffer.astype(np.float32))
    import torch

    return float(torch.linalg.vector_norm(buffer.float()))


def sgd_update_norm(entry: ParamEntry, group: dict[str, Any]) -> float | None:
    """Norm of lr·momentum_buffer, the bulk of the next SGD-with-momentum step."""
    norm = momentum_norm(entry)
    return None if norm is None else float(group.get("lr", 0.0)) * norm


def _norm(array: np.ndarray) -> float:
    """The L2 norm of a float32 array (inf when it overflows, NaN when it holds NaN)."""
    flat = array.reshape(-1)
    with np.errstate(all="ignore"):
        return float(np.sqrt(np.dot(flat, flat)))


def _torch(value: Any) -> Any:
    """A NumPy array as a tensor, for the one of a pair that torch reads."""
    from .tensor_store import as_torch

    return as_torch(value)


def weight_norm(stats: TensorStats) -> float:
    """The L2 norm of a tensor, from its mean and std."""
    return math.sqrt(stats.numel * (stats.std ** 2 + stats.mean ** 2))
