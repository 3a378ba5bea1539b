"""Forward chaining over the knowledge base, to a fixpoint.

Conflict resolution (which of several rules whose conditions hold fires first) is fixed and
deterministic: higher ``salience`` first, then the more specific rule (more fact tests), then
the rule defined first (files in name order, rules in file order). Each rule fires at most
once (refraction). Facts are never retracted and a known fact is never overwritten, so a
condition that has become true or false stays so, and the fixpoint does not depend on the
order in which facts arrived.

Only rules that read a fact that changed are re-evaluated, so a step costs time in proportion
to the rules touched, not to the size of the knowledge base.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .certainty import CONCLUDE_THRESHOLD, combine_all, rule_strength
from .conditions import Truth, evaluate, premise_certainty
from .knowledge import KnowledgeBase, condition_facts, leaves
from .memory import Fact, WorkingMemory
from .model import AssertFact, Rule, SupportCause

__all__ = ["Engine", "Firing", "CauseScore"]


@dataclass(frozen=True)
class Firing:
    """One rule firing: what it concluded and from which facts."""

    seq: int
    rule: str
    facts: tuple[str, ...]
    certainty: float
    supports: tuple[tuple[str, float], ...] = ()
    asserted: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class CauseScore:
    """A cause with its combined certainty and the firings behind it."""

    cause: str
    cf: float
    firings: tuple[Firing, ...] = field(default=())

    @property
    def confidence(self) -> float:
        return max(0.0, self.cf)


class Engine:
    """Working memory plus the rules of a knowledge base, chained forward on demand."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.memory = WorkingMemory()
        self.firings: list[Firing] = []
        self._fired: set[str] = set()
        self._state: dict[str, Truth] = {}
        self._dirty: set[str] = set(kb.rules)
        self._order = {rule_id: i for i, rule_id in enumerate(kb.rules)}
        self._specificity = {
            rule.id: sum(1 for _ in leaves(rule.when)) for rule in kb.rules.values()
        }
        self._evidence: dict[str, list[Firing]] = defaultdict(list)
        self._cf_cache: dict[str, float] = {}

    # ------------------------------------------------------------------ facts in
    def add_fact(self, fact: Fact) -> bool:
        """Put ``fact`` into working memory; return False if the fact was known already."""
        if not self.memory.add(fact):
            return False
        self._dirty.update(self.kb.rules_reading(fact.id))
        return True

    def add_facts(self, facts: Iterable[Fact]) -> int:
        return sum(self.add_fact(f) for f in facts)

    # ------------------------------------------------------------------ chaining
    def run(self) -> list[Firing]:
        """Fire every rule whose condition holds until nothing more can fire."""
        new: list[Firing] = []
        agenda: list[tuple[int, int, int, str]] = []
        while True:
            self._evaluate_dirty(agenda)
            if not agenda:
                return new
            *_, rule_id = heapq.heappop(agenda)
            if rule_id not in self._fired:
                new.append(self._fire(self.kb.rules[rule_id]))

    def _evaluate_dirty(self, agenda: list[tuple[int, int, int, str]]) -> None:
        dirty, self._dirty = self._dirty, set()
        for rule_id in dirty:
            if rule_id in self._fired or self._state.get(rule_id) is False:
                continue
            rule = self.kb.rules[rule_id]
            truth = evaluate(rule.when, self.memory)
            self._state[rule_id] = truth
            if truth is True:
                key = (-rule.salience, -self._specificity[rule_id], self._order[rule_id], rule_id)
                heapq.heappush(agenda, key)

    def _fire(self, rule: Rule) -> Firing:
        self._fired.add(rule.id)
        certainty = premise_certainty(rule.when, self.memory)
        used = tuple(f for f in condition_facts(rule.when) if f in self.memory)
        supports: list[tuple[str, float]] = []
        asserted: list[str] = []
        conflicts: list[str] = []
        for then in rule.then:
            if isinstance(then, SupportCause):
                supports.append((then.cause, rule_strength(then.cf, certainty)))
            elif isinstance(then, AssertFact):
                fact = Fact(then.set, then.value, "inferred", f"rule:{rule.id}", certainty,
                            rule.because.en)
                if self.add_fact(fact):
                    asserted.append(then.set)
                else:
                    known = self.memory.get(then.set)
                    if known is not None and known.value != then.value:
                        conflicts.append(then.set)
        firing = Firing(len(self.firings), rule.id, used, certainty, tuple(supports),
                        tuple(asserted), tuple(conflicts))
        self.firings.append(firing)
        for cause, _ in supports:
            self._evidence[cause].append(firing)
            self._cf_cache.pop(cause, None)
        return firing

    # ------------------------------------------------------------------ queries
    def state(self, rule_id: str) -> Truth:
        """True (fired or will fire), False (cannot fire) or None (waits for facts)."""
        if rule_id in self._fired:
            return True
        if rule_id in self._dirty or rule_id not in self._state:
            self._state[rule_id] = evaluate(self.kb.rules[rule_id].when, self.memory)
            self._dirty.discard(rule_id)
        return self._state[rule_id]

    def fired(self, rule_id: str) -> bool:
        return rule_id in self._fired

    def cause_cf(self, cause: str) -> float:
        """The combined certainty factor of ``cause`` from every firing so far."""
        if cause not in self._cf_cache:
            strengths = [
                s for firing in self._evidence.get(cause, []) for c, s in firing.supports
                if c == cause
            ]
            self._cf_cache[cause] = combine_all(strengths)
        return self._cf_cache[cause]

    def evidence(self, cause: str) -> tuple[Firing, ...]:
        return tuple(self._evidence.get(cause, ()))

    def scores(self) -> list[CauseScore]:
        """Every cause with any evidence, highest certainty first (ties by id)."""
        out = [CauseScore(c, self.cause_cf(c), self.evidence(c)) for c in self._evidence]
        return sorted(out, key=lambda s: (-s.cf, s.cause))

    def conclusions(self, threshold: float = CONCLUDE_THRESHOLD) -> list[CauseScore]:
        """Causes concluded: combined certainty at or above ``threshold``."""
        return [s for s in self.scores() if s.cf >= threshold]
