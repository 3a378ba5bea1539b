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
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from .certainty import CONCLUDE_THRESHOLD, combine_all, rule_strength
from .conditions import Truth, premise_certainty
from .cover import Cover, belief, cover_of, explained_facts, explaining_away
from .knowledge import KnowledgeBase
from .live import LiveTotals, LiveView
from .memory import Fact, WorkingMemory
from .model import AssertFact, Rule, SupportCause

__all__ = ["Engine", "Firing", "CauseScore", "UNFOCUSED"]

UNFOCUSED = 0.1  # weight of a rule none of whose facts is known yet (see Engine.focus)


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
    """A cause with its belief, the firings behind it, and what it explains.

    ``cf`` is the rules' combined certainty bounded by the cover (see :mod:`.cover`);
    ``raw_cf`` is the rules' certainty alone.
    """

    cause: str
    cf: float
    firings: tuple[Firing, ...] = field(default=())
    raw_cf: float = 0.0
    cover: Cover = "open"
    kind: str = "fault"
    explained_by: str | None = None  # an established cause that explains this one away

    @property
    def confidence(self) -> float:
        return max(0.0, self.cf)


class Engine:
    """Working memory plus the rules of a knowledge base, chained forward on demand."""

    def __init__(self, kb: KnowledgeBase, *, scope: frozenset[str] | None = None) -> None:
        self.kb = kb
        self.memory = WorkingMemory()
        self.firings: list[Firing] = []
        self._scope = scope  # only these rules are chained (see :meth:`extend`); None: all
        self._fired: set[str] = set()
        self._state: dict[str, Truth] = {}
        self._dirty: set[str] = set(kb.rules if scope is None else scope)
        self._undecided: set[str] = set()
        self._order = kb.rule_order()
        self._evidence: dict[str, list[Firing]] = defaultdict(list)
        self._cf_cache: dict[str, float] = {}
        # facts a probe can measure on the session's inputs: a person's answer about one of
        # them is not an observation (set by the session)
        self.verifiable: frozenset[str] = frozenset()
        self._live = LiveTotals()  # totals over the undecided rules, for the planner
        self._known_leaves: dict[str, int] = defaultdict(int)  # rule -> its facts now known

    # ------------------------------------------------------------------ facts in
    def add_fact(self, fact: Fact) -> bool:
        """Put ``fact`` into working memory; return False if the fact was known already."""
        if not self.memory.add(fact):
            return False
        readers = self.kb.rules_reading(fact.id)
        if self._scope is not None:
            readers = [r for r in readers if r in self._scope]
        for rule_id in readers:
            if rule_id in self._undecided:  # re-enter with its new focus
                self._leave(rule_id)
                self._known_leaves[rule_id] += 1
                self._enter(rule_id)
            else:
                self._known_leaves[rule_id] += 1
        self._dirty.update(readers)
        return True

    def add_facts(self, facts: Iterable[Fact]) -> int:
        return sum(self.add_fact(f) for f in facts)

    def extend(self, facts: Sequence[Fact], *, before: Collection[str] = ()) -> bool:
        """Add input facts to this engine and chain to the new fixpoint, re-evaluating only
        the rules that read what changed, so that the state is exactly that of a fresh
        engine given every input fact at once, the new ones placed in the input order
        before the first input fact whose origin is in ``before`` (at the end if none is).

        Facts and their provenance, firings (order, facts used, certainty), scores and the
        planner's totals all match the fresh engine's. Returns False when that cannot be
        guaranteed: a new fact is known already (the fresh engine would have let it win or
        recorded a conflict), or chaining in a different order met different facts. After
        False the engine matches no replay: rebuild it from scratch.
        """
        new = list({f.id: f for f in reversed(facts)}.values())[::-1]  # first of an id wins
        if any(f.id in self.memory for f in new):
            return False
        if not new:
            return True
        self.run()
        inputs = [f for f in self.memory if f.origin != "inferred"]
        at = next((i for i, f in enumerate(inputs) if f.origin in before), len(inputs))
        inputs[at:at] = new
        self.add_facts(new)
        self.run()
        return self._resequence(inputs)

    def _resequence(self, inputs: list[Fact]) -> bool:
        """Put memory and firings in the order a fresh engine given ``inputs`` would have.

        That engine fires exactly the rules this one fired (conditions never change their
        mind once decided, so a rule that did not fire here is not true on any part of this
        memory), provided it arrives at the same facts; so only the fired rules are chained
        again, from the inputs, and the result is checked against this memory."""
        fresh = Engine(self.kb, scope=frozenset(self._fired))
        fresh.add_facts(inputs)
        fresh.run()
        same = (fresh._fired == self._fired
                and {f.id: f for f in fresh.memory} == {f.id: f for f in self.memory})
        if same:
            self.memory, self.firings = fresh.memory, fresh.firings
            self._evidence, self._cf_cache = fresh._evidence, {}
        return same

    # ------------------------------------------------------------------ chaining
    def run(self) -> list[Firing]:
        """Fire every rule whose condition holds until nothing more can fire."""
        new: list[Firing] = []
        agenda: list[tuple[int, int, int, str]] = []  # (-salience, -specificity, order, id)
        while True:
            self._evaluate_dirty(agenda)
            if not agenda:
                return new
            *_, rule_id = heapq.heappop(agenda)
            if rule_id not in self._fired:
                new.append(self._fire(self.kb.rules[rule_id]))

    def _evaluate_dirty(self, agenda: list[tuple[int, int, int, str]]) -> None:
        dirty, self._dirty = self._dirty, set()
        # definition order, not the set's hash order: the live sums then add up the same way
        # in every process (and rules defined together sit together in memory)
        for rule_id in sorted(dirty, key=self.kb.rule_index().__getitem__):
            if rule_id in self._fired or self._state.get(rule_id) is False:
                continue
            truth = self.kb.compiled(rule_id)(self.memory.value)
            self._state[rule_id] = truth
            if truth is None:
                self._enter(rule_id)
            else:
                self._leave(rule_id)
            if truth is True:
                heapq.heappush(agenda, (*self._order[rule_id], rule_id))

    def _enter(self, rule_id: str) -> None:
        if rule_id in self._undecided:
            return
        self._undecided.add(rule_id)
        self._count(rule_id, +1)

    def _leave(self, rule_id: str) -> None:
        if rule_id not in self._undecided:
            return
        self._undecided.discard(rule_id)
        self._count(rule_id, -1)

    def focus(self, rule_id: str) -> float:
        """How far a rule is on its way: 1 + the facts of its premise already known, or
        :data:`UNFOCUSED` when none is. Evidence draws attention to the rules it touches."""
        known = self._known_leaves.get(rule_id, 0)
        return 1.0 + known if known else UNFOCUSED

    def _count(self, rule_id: str, sign: int) -> None:
        focus = self.focus(rule_id)
        self._live.count(self.kb.count_plan(rule_id), focus, focus > UNFOCUSED, sign)

    @property
    def live(self) -> LiveView:
        """Totals over the undecided rules (read-only; see :mod:`.live`)."""
        return self._live

    def is_undecided(self, rule_id: str) -> bool:
        return rule_id in self._undecided

    def undecided_among(self, rule_ids: frozenset[str]) -> frozenset[str]:
        """Those of ``rule_ids`` that are undecided now (a set operation, no walk)."""
        return rule_ids & self._undecided

    def _fire(self, rule: Rule) -> Firing:
        self._fired.add(rule.id)
        self._leave(rule.id)
        used = tuple(f for f in self.kb.facts_of(rule.id) if f in self.memory)
        certain = all(self.memory.get(f).certainty >= 1.0 for f in used)  # type: ignore[union-attr]
        certainty = 1.0 if certain else premise_certainty(rule.when, self.memory)
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
            self.run()
        return self._state[rule_id]

    def undecided(self) -> list[str]:
        """Rules that neither fired nor failed: they wait for facts (chains first if needed)."""
        if self._dirty:
            self.run()
        return sorted(self._undecided, key=self._order.__getitem__)

    def fired(self, rule_id: str) -> bool:
        return rule_id in self._fired

    def cause_cf(self, cause: str) -> float:
        """The belief in ``cause``: its rules' certainty bounded by its cover."""
        spec = self.kb.causes[cause]
        return belief(spec, self.raw_cf(cause), self.cover(cause))

    def cover(self, cause: str) -> Cover:
        """Whether what ``cause`` explains was observed, is open, or is known absent."""
        return cover_of(self.kb.compiled_explains(cause), self.memory, self.verifiable)

    def raw_cf(self, cause: str) -> float:
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
        rows = []
        for c in self._evidence:
            cover = self.cover(c)
            raw = self.raw_cf(c)
            spec = self.kb.causes[c]
            rows.append((c, belief(spec, raw, cover), raw, cover, spec))
        rows.sort(key=lambda r: (-r[1], r[0]))
        observed = {
            c: explained_facts(spec, self.memory, self.verifiable) if cover == "observed"
            else frozenset()
            for c, _, _, cover, spec in rows
        }
        roots = {c: frozenset(spec.consequence_of) for c, *_, spec in rows}
        beliefs = explaining_away([(c, b, observed[c]) for c, b, *_ in rows], roots)
        out = [CauseScore(c, beliefs[c][0], self.evidence(c), raw, cover, spec.kind,
                          beliefs[c][1])
               for c, _, raw, cover, spec in rows]
        out.sort(key=lambda s: (-s.cf, s.cause))
        return sorted(out, key=lambda s: (-s.cf, s.cause))

    def conclusions(self, threshold: float = CONCLUDE_THRESHOLD) -> list[CauseScore]:
        """Causes concluded: combined certainty at or above ``threshold``."""
        return [s for s in self.scores() if s.cf >= threshold]
