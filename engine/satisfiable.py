"""Can a condition ever hold? Static checks of rule conditions, without facts.

A conjunction is impossible when its tests of one fact cannot all pass for any value:
disjoint number ranges (``lt: 1`` and ``gt: 2``), two different ``is`` values, an ``in``
list emptied by ``ne``/``not_in``, every choice of an enum or both of a yes/no excluded, or
``known: false`` (the value is "don't know") together with a test of the value.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from .explain import describe_leaf
from .model import AllOf, AnyOf, Condition, FactSpec, Leaf, NotOf

__all__ = ["never_holds", "dead_branches"]

_Key = tuple[str, Any]


def _key(value: Any) -> _Key:
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", float(value))
    if isinstance(value, str):
        return ("s", value)
    return ("o", repr(value))


def _domain(spec: FactSpec | None) -> set[_Key] | None:
    if spec is None:
        return None
    if spec.type == "bool":
        return {("b", True), ("b", False)}
    if spec.type == "enum":
        return {("s", v) for v in spec.choice_values}
    return None


class _Range:
    """A number interval narrowed test by test."""

    def __init__(self) -> None:
        self.low, self.high = -math.inf, math.inf
        self.low_open = self.high_open = False

    def above(self, bound: float, strict: bool) -> None:
        if bound > self.low or (bound == self.low and strict):
            self.low, self.low_open = bound, strict

    def below(self, bound: float, strict: bool) -> None:
        if bound < self.high or (bound == self.high and strict):
            self.high, self.high_open = bound, strict

    def empty(self) -> bool:
        return self.low > self.high or (
            self.low == self.high and (self.low_open or self.high_open)
        )

    def holds(self, key: _Key) -> bool:
        if key[0] != "n":
            return True
        value = key[1]
        low_ok = value > self.low or (value == self.low and not self.low_open)
        high_ok = value < self.high or (value == self.high and not self.high_open)
        return low_ok and high_ok


def _conflict(tests: list[Leaf], spec: FactSpec | None) -> bool:
    """Whether no single value of one fact passes every test in ``tests``."""
    known = {t.known for t in tests if t.op == "known"}
    valued = [t for t in tests if t.op != "known"]
    if len(known) > 1 or (False in known and valued):
        return True
    allowed = _domain(spec)
    excluded: set[_Key] = set()
    span = _Range()
    for test in valued:
        op, value = test.op, test.value
        if op == "is":
            allowed = {_key(value)} if allowed is None else allowed & {_key(value)}
        elif op == "in":
            keys = {_key(v) for v in value}
            allowed = keys if allowed is None else allowed & keys
        elif op == "ne":
            excluded.add(_key(value))
        elif op == "not_in":
            excluded.update(_key(v) for v in value)
        elif op in {"gt", "ge"}:
            span.above(float(value), op == "gt")
        elif op in {"lt", "le"}:
            span.below(float(value), op == "lt")
        elif op == "between":
            span.above(float(value[0]), False)
            span.below(float(value[1]), False)
    if span.empty():
        return True
    if allowed is None:
        return False
    return not {k for k in allowed - excluded if span.holds(k)}


def _conjuncts(cond: AllOf) -> Iterator[Condition]:
    for part in cond.all:
        if isinstance(part, AllOf):
            yield from _conjuncts(part)
        else:
            yield part


def never_holds(cond: Condition, facts: dict[str, FactSpec]) -> str | None:
    """Why ``cond`` can never hold, or None if some facts could make it true."""
    if isinstance(cond, Leaf):
        if cond.op == "in" and not cond.value:
            return f"'{cond.fact}' in [] matches no value"
        return None
    if isinstance(cond, NotOf):
        return None
    if isinstance(cond, AnyOf):
        reasons = [never_holds(part, facts) for part in cond.any]
        if all(reasons):
            return "no branch of 'any' can hold (" + "; ".join(r for r in reasons if r) + ")"
        return None
    parts = list(_conjuncts(cond))
    for part in parts:
        reason = never_holds(part, facts)
        if reason:
            return reason
    by_fact: dict[str, list[Leaf]] = defaultdict(list)
    for part in parts:
        if isinstance(part, Leaf):
            by_fact[part.fact].append(part)
    for fact, tests in by_fact.items():
        if len(tests) > 1 and _conflict(tests, facts.get(fact)):
            return " and ".join(describe_leaf(t) for t in tests) + " cannot all be true"
    return None


def dead_branches(
    cond: Condition, facts: dict[str, FactSpec], loc: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Branches of ``any`` that can never hold (while the ``any`` as a whole can)."""
    if isinstance(cond, AllOf):
        for i, part in enumerate(cond.all):
            yield from dead_branches(part, facts, (*loc, "all", i))
    elif isinstance(cond, NotOf):
        yield from dead_branches(cond.not_, facts, (*loc, "not"))
    elif isinstance(cond, AnyOf):
        for i, part in enumerate(cond.any):
            reason = never_holds(part, facts)
            if reason:
                yield (*loc, "any", i), reason
            else:
                yield from dead_branches(part, facts, (*loc, "any", i))
