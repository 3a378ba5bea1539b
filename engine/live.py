"""Running totals over the undecided rules, kept by the engine for the planner to read.

While a rule is undecided (it neither fired nor failed), it is a live path to the causes it
argues about. The engine adds a rule's share when it becomes undecided and takes it away when
it fires, fails, or re-enters with a new focus; the planner reads the totals through
:class:`LiveView` and never changes them.

Weights are summed exactly, as integers in units of ``2**-80`` (every weight above
1e-8 is a multiple of that unit), and read back correctly rounded: a total
is the same float however the rules came and went, so an engine brought up to date one answer
at a time plans exactly as one replayed from scratch.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Container, Iterator, Mapping
from typing import Protocol

from .knowledge import CountPlan

__all__ = ["LiveTotals", "LiveView", "UNFOCUSED"]

_UNIT = 2.0**80  # weights are counted in units of 2**-80
UNFOCUSED = 0.1  # the focus of a rule none of whose facts is known yet (see Engine.focus)


def _units(amount: float) -> int:
    return int(amount * _UNIT)


def _value(units: int) -> float:
    return units / _UNIT  # int / float: the exact quotient, correctly rounded


class LiveView(Protocol):
    """What the planner may read of the totals."""

    def cause_weights(self) -> Iterator[tuple[str, float]]:
        """Each cause with a live path, and the sum of ``|cf| * focus`` over its paths."""
        ...

    def in_focus(self, cause: str) -> bool:
        """Whether some live path to ``cause`` has a fact of its premise established."""
        ...

    def open_facts(self) -> Iterator[tuple[str, Mapping[str, int]]]:
        """Each fact some live rule reads, with those rules' per-cause weight in units of
        ``2**-80`` (for inspection; the planner reads :meth:`fact_masses`)."""
        ...

    def fact_masses(self, per: Mapping[str, float], known: Container[str]) -> dict[str, float]:
        """Each fact some live rule reads, not in ``known``: the sum over causes of
        ``per[cause]`` times those rules' weight for the cause, correctly rounded (so the
        same however the rules came and went); sums of 1e-12 or less are left out."""
        ...

    def cuts(self) -> Mapping[str, int]:
        """Fact -> the cut points the live rules reading it test (number facts)."""
        ...


class LiveTotals:
    """The totals themselves; the engine calls :meth:`count`, everyone else reads."""

    def __init__(self) -> None:
        self._paths: dict[str, int] = defaultdict(int)  # cause -> live rules for it
        self._weight: dict[str, int] = defaultdict(int)  # cause -> sum |cf| * focus (units)
        self._focused: dict[str, int] = defaultdict(int)  # cause -> live rules in focus
        self._readers: dict[str, int] = defaultdict(int)  # fact -> live rules reading it
        # fact -> cause -> sum |cf| * focus (units) of the live rules reading the fact and
        # arguing about the cause
        self._fact_cause: dict[str, dict[str, int]] = defaultdict(dict)
        self._cuts: dict[str, int] = defaultdict(int)

    def count(self, plan: CountPlan, focus: float, sign: int) -> None:
        """Add (``sign`` +1) or take away (-1) one rule at ``focus``."""
        causes = plan.causes
        if causes:
            amount = _units(plan.weight * focus)
            if sign < 0:
                amount = -amount
            paths, weight = self._paths, self._weight
            for cause in causes:
                paths[cause] += sign
                weight[cause] += amount
            if focus > UNFOCUSED:
                focused = self._focused
                for cause in causes:
                    focused[cause] += sign
            fact_cause = self._fact_cause
            for fact_id in plan.facts:
                per_cause = fact_cause[fact_id]
                for cause in causes:
                    per_cause[cause] = per_cause.get(cause, 0) + amount
        readers = self._readers
        for fact_id in plan.facts:
            readers[fact_id] += sign
        if plan.cuts:
            cuts = self._cuts
            for fact_id, n in plan.cuts:
                cuts[fact_id] += sign * n

    def refocus(self, plan: CountPlan, old: float, new: float) -> None:
        """One counted rule's focus changes from ``old`` to ``new``: the same as taking it
        away at ``old`` and adding it at ``new``, in fewer steps."""
        causes = plan.causes
        if not causes:
            return
        delta = _units(plan.weight * new) - _units(plan.weight * old)
        weight = self._weight
        for cause in causes:
            weight[cause] += delta
        if old <= UNFOCUSED < new:
            focused = self._focused
            for cause in causes:
                focused[cause] += 1
        fact_cause = self._fact_cause
        for fact_id in plan.facts:
            per_cause = fact_cause[fact_id]
            for cause in causes:
                per_cause[cause] += delta

    # ---------------------------------------------------------------- LiveView
    def cause_weights(self) -> Iterator[tuple[str, float]]:
        for cause, units in self._weight.items():
            if units > 0 and self._paths.get(cause, 0) > 0:
                yield cause, _value(units)

    def in_focus(self, cause: str) -> bool:
        return self._focused.get(cause, 0) > 0

    def open_facts(self) -> Iterator[tuple[str, Mapping[str, int]]]:
        readers = self._readers
        for fact_id, by_cause in self._fact_cause.items():
            if readers.get(fact_id, 0) > 0:
                yield fact_id, by_cause

    def fact_masses(self, per: Mapping[str, float], known: Container[str]) -> dict[str, float]:
        scaled = {c: p / _UNIT for c, p in per.items()}  # per unit: exact, a power of two
        readers, fsum = self._readers, math.fsum
        out: dict[str, float] = {}
        for fact_id, by_cause in self._fact_cause.items():
            if readers.get(fact_id, 0) <= 0 or fact_id in known:
                continue
            terms = [scaled.get(c, 0.0) * w for c, w in by_cause.items()]
            # one or two terms: a float addition is correctly rounded already
            total = terms[0] if len(terms) == 1 else terms[0] + terms[1] if len(terms) == 2 \
                else fsum(terms)
            if total > 1e-12:
                out[fact_id] = total
        return out

    def cuts(self) -> Mapping[str, int]:
        return self._cuts
