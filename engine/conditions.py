"""Three-valued evaluation of rule conditions over working memory.

A condition is True, False or None (pending: it needs a fact nobody has established yet).
A fact whose value is "don't know" makes its tests False (the premise cannot be shown),
except ``known: false``, which it satisfies.
"""

from __future__ import annotations

import math
from typing import Any

from .knowledge import leaves
from .memory import WorkingMemory
from .model import AllOf, AnyOf, Condition, Leaf, NotOf
from .values import UNKNOWN

__all__ = ["evaluate", "test_leaf", "premise_certainty", "Truth"]

Truth = bool | None


def test_leaf(leaf: Leaf, value: Any) -> bool:
    """Return whether the established ``value`` passes ``leaf``'s test."""
    op = leaf.op
    if op == "known":
        return (value is not UNKNOWN) == leaf.known
    if value is UNKNOWN:
        return False
    operand = leaf.value
    if op == "is":
        return _same(value, operand)
    if op == "ne":
        return not _same(value, operand)
    if op == "in":
        return any(_same(value, o) for o in operand)
    if op == "not_in":
        return not any(_same(value, o) for o in operand)
    if op == "contains":
        return isinstance(value, str) and operand.lower() in value.lower()
    if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
        return False
    if op == "lt":
        return value < operand
    if op == "le":
        return value <= operand
    if op == "gt":
        return value > operand
    if op == "ge":
        return value >= operand
    low, high = operand
    return low <= value <= high


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


def evaluate(cond: Condition, memory: WorkingMemory, overrides: dict[str, Any] | None = None
             ) -> Truth:
    """Evaluate ``cond``; ``overrides`` supplies hypothetical values (for question choice)."""
    if isinstance(cond, Leaf):
        if overrides is not None and cond.fact in overrides:
            return test_leaf(cond, overrides[cond.fact])
        fact = memory.get(cond.fact)
        if fact is None:
            return None
        return test_leaf(cond, fact.value)
    if isinstance(cond, AllOf):
        pending = False
        for part in cond.all:
            truth = evaluate(part, memory, overrides)
            if truth is False:
                return False
            pending = pending or truth is None
        return None if pending else True
    if isinstance(cond, AnyOf):
        pending = False
        for part in cond.any:
            truth = evaluate(part, memory, overrides)
            if truth is True:
                return True
            pending = pending or truth is None
        return None if pending else False
    assert isinstance(cond, NotOf)
    truth = evaluate(cond.not_, memory, overrides)
    return None if truth is None else not truth


def premise_certainty(cond: Condition, memory: WorkingMemory) -> float:
    """How certain a premise that holds is: min over ``all``, max over ``any`` (fuzzy logic)."""
    if isinstance(cond, Leaf):
        fact = memory.get(cond.fact)
        return fact.certainty if fact is not None else 0.0
    if isinstance(cond, AllOf):
        return min(premise_certainty(c, memory) for c in cond.all)
    if isinstance(cond, AnyOf):
        held = [premise_certainty(c, memory) for c in cond.any if evaluate(c, memory) is True]
        return max(held, default=0.0)
    known = [memory.get(leaf.fact) for leaf in leaves(cond)]
    return min((f.certainty for f in known if f is not None), default=1.0)
