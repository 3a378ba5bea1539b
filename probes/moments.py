"""What an optimizer's state says about the gradients it saw: how alike they were from step
to step (Adam's two moments), and which parameters never received one.

Adam keeps an average of the gradient (``exp_avg``, m) and of its square (``exp_avg_sq``, v).
After bias correction, |m̂| / √v̂ is about 0.2 when the gradient a weight sees is mostly
minibatch noise (β₁ = 0.9), approaches 1 when it points the same way at every step, and
exceeds 1 only when the gradient keeps *growing* (m̂ follows it faster than v̂): what a
``.grad`` that is never cleared does, since each step adds the new gradient to all the old
ones. Healthy training shrinks its gradients, so the ratio stays below 1.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["MIN_STEPS", "adam_step", "float_array", "moment_arrays", "moment_coherence",
           "never_stepped", "only_zero_gradients", "received_gradient", "stateless_inside",
           "stateless_tail"]

MIN_STEPS = 50  # before ~5 averaging windows (1/(1-β₁) = 10 steps) the ratio is ~1 by itself
MIN_VALUES = 8  # tensors smaller than this say little


def float_array(value: Any) -> np.ndarray | None:
    """A tensor or array as float64 NumPy values (None for nothing or an empty one)."""
    if value is None:
        return None
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().float().cpu().numpy()
    # an array's own astype: a bfloat16 view converts its bits (np.asarray would read them raw)
    array = value.astype(np.float64) if isinstance(value, np.ndarray) else \
        np.asarray(value, dtype=np.float64)
    return array if array.size else None


def adam_step(state: dict[str, Any]) -> float:
    """The step count an optimizer state records (0 when it has none)."""
    step = state.get("step", 0)
    step = step.item() if hasattr(step, "item") else step
    try:
        return float(step)
    except (TypeError, ValueError):
        return 0.0


def moment_coherence(entries: Iterable[Any], groups: list[dict[str, Any]]
                     ) -> tuple[float, int, float] | None:
    """Median over tensors of the median |m̂|/√v̂: (ratio, tensors used, step), or None.

    ``entries`` are the optimizer's parameters (``.group`` and ``.state``); only Adam-family
    states at :data:`MIN_STEPS` or later count.
    """
    ratios: list[float] = []
    last_step = 0.0
    for entry in entries:
        m_hat, v_hat, step = moment_arrays(entry, groups)
        if m_hat is None or v_hat is None or m_hat.shape != v_hat.shape \
                or m_hat.size < MIN_VALUES or step < MIN_STEPS:
            continue
        m_hat = np.abs(m_hat)
        live = np.isfinite(m_hat) & np.isfinite(v_hat) & (v_hat > 0)
        if live.sum() < MIN_VALUES:
            continue
        ratios.append(float(np.median(m_hat[live] / np.sqrt(v_hat[live]))))
        last_step = max(last_step, step)
    if not ratios:
        return None
    return statistics.median(ratios), len(ratios), last_step


def eps_over_root_v(entries: Iterable[Any], groups: list[dict[str, Any]]
                    ) -> tuple[float, float, float, int] | None:
    """Adam's ``eps`` over the median √v̂ of its stepped tensors: (ratio, eps, √v̂, tensors),
    or None. Where eps is many times √v̂, each step is lr·m̂/eps instead of about lr — Adam's
    normalisation is switched off and the steps shrink by that ratio."""
    roots: list[float] = []
    eps_seen: list[float] = []
    for entry in entries:
        _, v_hat, step = moment_arrays(entry, groups)
        eps = groups[entry.group].get("eps")
        if v_hat is None or step < 1 or not isinstance(eps, int | float):
            continue
        live = v_hat[np.isfinite(v_hat) & (v_hat > 0)]
        if live.size < MIN_VALUES:
            continue
        roots.append(float(np.median(np.sqrt(live))))
        eps_seen.append(float(eps))
    if not roots or min(eps_seen) <= 0:
        return None
    root, eps = statistics.median(roots), statistics.median(eps_seen)
    return (eps / root, eps, root, len(roots)) if root > 0 else None


def moment_arrays(entry: Any, groups: list[dict[str, Any]]
                  ) -> tuple[np.ndarray | None, np.ndarray | None, float]:
    """An Adam parameter's bias-corrected moments m̂ and v̂ (None where the state has none)
    and its step count."""
    state = entry.state
    step = adam_step(state)
    beta1, beta2 = groups[entry.group].get("betas", (0.9, 0.999))
    m, v = float_array(state.get("exp_avg")), float_array(state.get("exp_avg_sq"))
    if step < 1:
        return None, None, step
    return (None if m is None else m / (1 - float(beta1) ** step),
            None if v is None else v / (1 - float(beta2) ** step), step)


def received_gradient(kind: str, state: dict[str, Any]) -> bool:
    """Whether a parameter's optimizer state shows that a gradient reached it: any state at
    all, except Adagrad's, which the optimizer makes for every parameter when it is built
    (:func:`_has_state` reads its step count)."""
    return _has_state(kind, state) if kind == "adagrad" else bool(state)


def _has_state(kind: str, state: dict[str, Any]) -> bool:
    """Whether the state an optimizer makes at a parameter's first update is there; for
    Adagrad, whose state exists from the start, a step count above 0 (a parameter with no
    gradient is skipped by the update, its count stays 0 and its sum of squares empty)."""
    if kind == "sgd":
        return state.get("momentum_buffer") is not None
    if kind == "adagrad":
        step = float_array(state.get("step"))
        return step is not None and step.size == 1 and float(step.reshape(-1)[0]) > 0
    return "exp_avg" in state or "square_avg" in state


#: The state a parameter's squared (or, for SGD, summed) gradients accumulate in.
_GRADIENT_MEMORY = {"adam": "exp_avg_sq", "rmsprop": "square_avg", "sgd": "momentum_buffer"}


def only_zero_gradients(kind: str, state: dict[str, Any]) -> bool:
    """Whether a parameter's state exists but holds exactly zero: every gradient it received
    was exactly 0 (stepped, never moved) — the part of the graph it feeds is cut from the loss
    after it (a ``.detach()`` on a slice of a shared output). A gradient that is merely small
    (a bias before BatchNorm) leaves a positive square; weight decay inside the gradient
    (Adam's L2, SGD's) leaves one too, so those runs are not read."""
    values = float_array(state.get(_GRADIENT_MEMORY.get(kind, "")))
    return values is not None and values.size >= 1 and not np.any(values)


def _stepped_by_group(kind: str, entries: list[Any], groups: list[dict[str, Any]]
                      ) -> dict[int, list[bool]] | None:
    """For each param group, in the model's order, whether each of its tensors has state;
    None when the state cannot tell (a kind without lazy state, SGD without momentum)."""
    if kind not in ("adam", "rmsprop", "sgd") or not entries or \
            (kind == "sgd" and not all(float(g.get("momentum", 0) or 0) > 0 for g in groups)):
        return None
    by_group: dict[int, list[bool]] = {}
    for entry in entries:
        by_group.setdefault(entry.group, []).append(_has_state(kind, entry.state))
    return by_group


def stateless_tail(kind: str, entries: list[Any], groups: list[dict[str, Any]]) -> int | None:
    """How many tensors at the end of a one-group optimizer's list have no state while every
    tensor before them has some (0 when the stateless ones are elsewhere, or none); None when
    the state cannot tell or the order is not the model's (several groups)."""
    if len(groups) != 1 or (by_group := _stepped_by_group(kind, entries, groups)) is None:
        return None
    (has,) = by_group.values()
    last = max((i for i, stepped in enumerate(has) if stepped), default=-1)
    return len(has) - 1 - last if all(has[:last + 1]) else 0


def stateless_inside(kind: str, entries: list[Any], groups: list[dict[str, Any]]
                     ) -> bool | None:
    """Whether every tensor without state lies between tensors with state in its group's list
    (each group keeps the model's order: the Hugging Face Trainer's decay and no-decay groups
    both do): in each group with one, the first and last tensors stepped. None when the state
    cannot tell (plain SGD, Adagrad) or every tensor stepped."""
    if (by_group := _stepped_by_group(kind, entries, groups)) is None:
        return None
    gaps = [has for has in by_group.values() if not all(has)]
    if not gaps:
        return None
    return all(has[0] and has[-1] for has in gaps)


def never_stepped(kind: str, entries: list[Any], groups: list[dict[str, Any]]
                  ) -> tuple[int, int] | None:
    """(tensors without optimizer state, tensors held) once the optimizer has stepped.

    Adam, AdamW and RMSprop create a parameter's state at its first update, SGD its
    momentum buffer: a held parameter without one never received a gradient (detached,
    unused, or ``requires_grad=False``); when none has one, no gradient ever arrived (or
    ``step()`` never ran) — the rules weigh that against the logged steps. Adagrad makes its
    state for every parameter up front: a step count of 0 is its never-stepped tensor. None
    when the state cannot tell (plain SGD without momentum); SGD counts only the tensors of
    its groups with momentum.
    """
    if kind == "sgd":
        # only a group with momentum keeps a buffer: a momentum-0 group's tensors (a center
        # loss's centers beside a momentum body) have no state however they trained
        entries = [e for e in entries if 0 <= e.group < len(groups)
                   and float(groups[e.group].get("momentum", 0) or 0) > 0]
    if kind not in ("adam", "rmsprop", "sgd", "adagrad") or not entries:
        return None
    stepped = sum(_has_state(kind, e.state) for e in entries)
    return len(entries) - stepped, len(entries)
