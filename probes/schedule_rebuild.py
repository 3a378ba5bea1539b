"""A saved learning-rate schedule replayed from its settings: the rate at every step it took.

A torch scheduler's ``state_dict()`` keeps its settings (StepLR's ``step_size`` and ``gamma``,
MultiStepLR's ``milestones``, ExponentialLR's ``gamma``, CosineAnnealingLR's ``T_max`` and
``eta_min``), the steps it took (``last_epoch``), its start (``base_lrs``) and where it ended
(``_last_lr``). From those the rate at each step is a closed form, so a checkpoint tells how
long the run trained at a rate too small to move anything even when no log records the rate.
Read as data: plain numbers and key names only. A schedule whose replayed end does not match
the rate it saved (a lambda, a chain, a schedule swapped mid-run) is not replayed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

#: The replayed end must match the saved one to this relative tolerance.
END_TOLERANCE = 0.02
#: Longer schedules are not replayed step by step (a per-batch schedule over a long run).
MAX_STEPS = 1_000_000


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def milestones(state: dict[str, Any]) -> list[float] | None:
    """MultiStepLR's milestones, sorted (a Counter is saved as {milestone: count}); None if
    there are none."""
    raw = state.get("milestones")
    if isinstance(raw, dict):
        raw = list(raw)
    if not isinstance(raw, list | tuple):
        return None
    numbers = [n for m in raw if (n := _number(m)) is not None]
    return sorted(numbers) if numbers else None


def _ratio_at(state: dict[str, Any], base: float) -> tuple[str, Callable[[int], float]] | None:
    """The schedule's kind and its rate at step t over the base rate, for the kinds whose
    settings say it all; None for any other (warm-ups, cycles, lambdas, plateaus)."""
    gamma = _number(state.get("gamma"))
    step_size = _number(state.get("step_size"))
    t_max = _number(state.get("T_max"))
    steps = milestones(state)
    if gamma is not None and 0 < gamma <= 1:
        if step_size is not None and step_size >= 1:
            return "StepLR", lambda t: gamma ** math.floor(t / step_size)
        if steps is not None:
            return "MultiStepLR", lambda t: gamma ** sum(m <= t for m in steps)
        if "T_max" not in state and "total_steps" not in state:
            return "ExponentialLR", lambda t: gamma ** t
        return None
    eta_min = _number(state.get("eta_min"))
    if t_max is not None and t_max > 0 and eta_min is not None and "T_0" not in state:
        low = eta_min / base
        return "CosineAnnealingLR", \
            lambda t: low + (1.0 - low) * (1.0 + math.cos(math.pi * t / t_max)) / 2.0
    return None


def rebuilt_rates(state: dict[str, Any]) -> tuple[str, list[float]] | None:
    """The schedule's kind and its rate over the start at steps 0 … ``last_epoch`` (first
    param group), when the settings replay to the rate the scheduler saved; else None."""
    steps = _number(state.get("last_epoch"))
    base_lrs, last_lrs = state.get("base_lrs"), state.get("_last_lr")
    if steps is None or steps < 1 or steps > MAX_STEPS or \
            not (isinstance(base_lrs, list | tuple) and base_lrs) or \
            not (isinstance(last_lrs, list | tuple) and last_lrs):
        return None
    base, last = _number(base_lrs[0]), _number(last_lrs[0])
    if base is None or base <= 0 or last is None or last < 0:
        return None
    found = _ratio_at(state, base)
    if found is None:
        return None
    kind, ratio = found
    rates = [ratio(t) for t in range(int(steps) + 1)]
    saved = last / base
    if abs(rates[-1] - saved) > END_TOLERANCE * max(abs(saved), 1e-12):
        return None
    return kind, rates


def vanished_share(rates: list[float], fraction: float) -> tuple[float, int | None]:
    """The share of the steps from the schedule's peak on at which the rate is below
    ``fraction`` of that peak, and the first such step (None when there is none)."""
    peak_at = max(range(len(rates)), key=rates.__getitem__)
    peak = rates[peak_at]
    after = rates[peak_at:]
    gone = [i for i, r in enumerate(after) if r < fraction * peak]
    return (len(gone) / len(after), peak_at + gone[0] if gone else None)
