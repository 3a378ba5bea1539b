"""Three-valued evaluation of rule conditions over working memory.

A condition is True, False or None (pending: it needs a fact nobody has established yet).
A fact whose value is "don't know" makes its tests False (the premise cannot be shown),
except ``known: false``, which it satisfies.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .knowledge import leaves
from .memory import WorkingMemory
from .model import AllOf, AnyOf, Condition, Leaf, NotOf
from .values import MISSING, UNKNOWN

__all__ = [
    "evaluate", "test_leaf", "leaf_test", "premise_certainty", "Truth", "compile_condition",
    "Compiled",
    "MISSING",
]

Truth = bool | None
Getter = Callable[[str], Any]
Compiled = Callable[[Getter], Truth]


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
        return bool(value < operand)
    if op == "le":
        return bool(value <= operand)
    if op == "gt":
        return bool(value > operand)
    if op == "ge":
        return bool(value >= operand)
    low, high = operand
    return bool(low <= value <= high)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return bool(a == b)


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


def leaf_test(leaf: Leaf) -> Callable[[Any], bool]:
    """A fast test of an established value, specialised for the leaf's operator."""
    op, operand = leaf.op, leaf.value
    if op == "known":
        want = bool(operand)
        return lambda v: (v is not UNKNOWN) == want
    if op in {"is", "ne"} and isinstance(operand, bool):  # a flag: the same object or not
        if op == "is":
            return lambda v: v is operand
        return lambda v: v is not UNKNOWN and v is not operand
    if op in {"lt", "le", "gt", "ge", "between"}:
        import operator

        if op == "between":
            low, high = operand

            def compare(v: float) -> bool:
                return bool(low <= v <= high)
        else:
            fn = getattr(operator, op)

            def compare(v: float) -> bool:
                return bool(fn(v, operand))

        def numeric(v: Any) -> bool:
            if v is UNKNOWN or isinstance(v, bool) or not isinstance(v, int | float):
                return False
            return not math.isnan(v) and compare(v)

        return numeric
    return lambda v: v is not UNKNOWN and test_leaf(leaf, v)


def compile_condition(cond: Condition) -> Compiled:
    """Turn ``cond`` into a function of a fact getter: the hot path of chaining and planning.

    It gives the same answers as :func:`evaluate` (the tests hold them to it).
    """
    if isinstance(cond, Leaf):
        fact = cond.fact
        if cond.op == "is" and isinstance(cond.value, bool):  # the commonest test, inlined
            flag = cond.value

            def flag_fn(get: Getter) -> Truth:
                value = get(fact)
                return None if value is MISSING else value is flag

            return flag_fn
        test = leaf_test(cond)

        def leaf_fn(get: Getter) -> Truth:
            value = get(fact)
            return None if value is MISSING else test(value)

        return leaf_fn
    if isinstance(cond, AllOf | AnyOf):
        parts = [compile_condition(c) for c in (cond.all if isinstance(cond, AllOf) else cond.any)]
        stop = isinstance(cond, AnyOf)  # any: stops on True; all: stops on False

        def group_fn(get: Getter) -> Truth:
            pending = False
            for part in parts:
                truth = part(get)
                if truth is None:
                    pending = True
                elif truth is stop:
                    return stop
            return None if pending else not stop

        return group_fn
    assert isinstance(cond, NotOf)
    inner = compile_condition(cond.not_)

    def not_fn(get: Getter) -> Truth:
        truth = inner(get)
        return None if truth is None else not truth

    return not_fn
