"""Forward chaining over the knowledge base, to a fixpoint.

Conflict resolution (which of several rules whose conditions hold fires first) is fixed and
deterministic: higher ``salience`` first, then the more specific rule (more fact tests), then
the rule defined first (files in name order, rules in file order). Each rule fires at most
once (refraction). Facts are never retracted and a known fact is never overwritten, so a
condition that has become true or false stays so, and the fixpoint does not depend on the
order in which facts arrived.

Only rules that read a fact that changed are re-evaluated, so a step costs time in proportion
to the rules touched, not to the size of the knowledge base. A rule that is one test, or all of
several, is not even evaluated: its tests are counted as their facts arrive (it fails with the
first failed test and holds when all have passed). Per-rule state lives in flat arrays indexed
by the rule's position in a per-KB table (see :class:`_RuleTable`).

Which facts and rules end up known does not depend on the order facts arrived in; the order
of the firings (and of the facts rules inferred) does. :meth:`Engine.extend` takes new facts
incrementally and then puts firings and memory in the order a replay from scratch would
give, so an engine brought up to date answer by answer equals one replayed (tested).
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .certainty import CONCLUDE_THRESHOLD, combine_all, rule_strength
from .conditions import Compiled, Truth, leaf_test, premise_certainty
from .cover import Cover, belief, cover_of, explained_facts, explaining_away, is_rooted
from .knowledge import CountPlan, KnowledgeBase
from .live import UNFOCUSED, LiveTotals, LiveView
from .memory import Fact, WorkingMemory
from .model import AllOf, AssertFact, Leaf, SupportCause

__all__ = ["Engine", "Firing", "CauseScore", "UNFOCUSED"]



@dataclass(frozen=True, slots=True)
class Firing:
    """One rule firing: what it concluded and from which facts."""

    seq: int
    rule: str
    facts: tuple[str, ...]
    certainty: float
    supports: tuple[tuple[str, float], ...] = ()
    asserted: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()


def _one_vote(strengths: list[float]) -> float:
    """One event's say on a cause: its strongest support and its strongest doubt, combined."""
    return combine_all([max((s for s in strengths if s > 0), default=0.0),
                        min((s for s in strengths if s < 0), default=0.0)])


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


# a counted rule's test of a fact other than "is yes/no": the rule's position, the kind of
# test, and its operand (a comparison, "between": (low, high)) or the test as a function
# (_OTHER)
_Test = tuple[int, int, Any]
_OTHER, _BETWEEN, _LT, _LE, _GT, _GE = range(6)
_COMPARISONS = {"lt": _LT, "le": _LE, "gt": _GT, "ge": _GE, "between": _BETWEEN}


# what one fact's arrival touches, found with one lookup: the positions of the rules reading
# it, of those among them that are evaluated (not counted), of the counted rules testing it
# for yes and for no, and its other counted tests
_FactEntry = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...],
                   tuple[_Test, ...]]
# what a firing needs of its rule, without going back to the rule's model: its id, the facts
# it reads, its condition, the causes it argues about with their cf, the facts it asserts
# (fact, value, source, the rule's reason in words), whether it is counted, and the ids of
# the facts it asserts
_FirePlan = tuple[str, tuple[str, ...], Any, tuple[tuple[str, float], ...],
                  tuple[tuple[str, Any, str, str], ...], bool, tuple[str, ...]]


@dataclass(frozen=True)
class _RuleTable:
    """A knowledge base's rules by position for the engine's inner loops, which then index
    flat arrays instead of hashing rule ids; built once per knowledge base.

    Made so that a fixpoint touches few and close cache lines (at 10 000 rules a fixpoint
    no longer fits the CPU's caches, and a memory access, not the work, is what grows; see
    bench/README.md): what a fact's arrival and a rule's firing need is gathered in one
    entry each (``by_fact``, ``fire``), so neither goes back to the rules' models or makes
    several lookups; fact ids are the knowledge base's own strings, so a lookup with an id
    that came from the knowledge base matches by identity and reads no second string; the
    positions group the rules that read one fact (:func:`_positions`).
    """

    ids: tuple[str, ...]
    index: dict[str, int]
    compiled: tuple[Compiled, ...]
    # conflict resolution as one number: a rule's rank in the order (-salience,
    # -specificity, position), and the position of the rule of each rank
    rank: tuple[int, ...]
    by_rank: tuple[int, ...]
    plans: tuple[CountPlan, ...]
    # a rule whose condition is one test or all of several, each of another fact: decided
    # by counting its tests that passed and failed as facts arrive, without evaluating it
    # (and the facts of its premise known are the tests counted)
    counted: tuple[int, ...]  # per rule: how many tests, 0 for a rule that is evaluated
    # the engine's per-rule counters, one int each (see Engine.__init__), start as these:
    # a counted rule's tests not passed yet times ``step`` (its failed tests are added one
    # by one), and -1 for a rule that is evaluated (minus one per fact of its premise known)
    counts: tuple[int, ...]
    step: int  # a power of two above any rule's number of tests
    by_fact: dict[str, _FactEntry]  # fact -> what its arrival touches
    fire: tuple[_FirePlan, ...]  # per rank: what the firing of that rule needs

    def readers(self, fact_id: str) -> tuple[int, ...]:
        """Positions of the rules whose condition reads ``fact_id``."""
        entry = self.by_fact.get(fact_id)
        return entry[0] if entry is not None else ()


def _rule_table(kb: KnowledgeBase) -> _RuleTable:
    table: _RuleTable | None = kb.cache.get("inference.rule_table")
    if table is None:
        table = kb.cache["inference.rule_table"] = _build_table(kb)
    return table


def _build_table(kb: KnowledgeBase) -> _RuleTable:
    """Index the knowledge base's rules for the engine (see :class:`_RuleTable`)."""
    same = {i: i for i in (*kb.facts, *kb.causes)}.get  # an id -> the knowledge base's string
    ids = _positions(kb)
    index = {r: i for i, r in enumerate(ids)}
    order = kb.rule_order()
    counted: list[int] = []
    readers: dict[str, list[int]] = defaultdict(list)
    evaluated: dict[str, list[int]] = defaultdict(list)
    yes: dict[str, list[int]] = defaultdict(list)
    no: dict[str, list[int]] = defaultdict(list)
    tests: dict[str, list[tuple[int, int, Any]]] = defaultdict(list)
    fire: list[_FirePlan] = []
    positions = list(range(len(ids)))
    for i, rule_id in zip(positions, ids, strict=True):
        rule = kb.rules[rule_id]
        when = rule.when
        for fact_id in kb.facts_of(rule_id):
            readers[same(fact_id, fact_id)].append(i)
        parts = [when] if isinstance(when, Leaf) else when.all if isinstance(
            when, AllOf) else []
        flat = bool(parts) and all(isinstance(p, Leaf) for p in parts) and len(
            {p.fact for p in parts if isinstance(p, Leaf)}) == len(parts)
        counted.append(len(parts) if flat else 0)
        if not flat:
            for fact_id in kb.facts_of(rule_id):
                evaluated[same(fact_id, fact_id)].append(i)
        for leaf in parts if flat else []:
            assert isinstance(leaf, Leaf)
            fact_id = same(leaf.fact, leaf.fact)
            if leaf.op == "is" and isinstance(leaf.value, bool):
                (yes if leaf.value else no)[fact_id].append(i)
            else:
                code = _COMPARISONS.get(leaf.op, _OTHER)
                tests[fact_id].append(
                    (i, code, leaf_test(leaf) if code == _OTHER else leaf.value))
    # one entry per fact, made in the order the facts are defined: facts defined together
    # (and so often measured together) have their entries side by side in memory (see
    # _entry); meanwhile Python's list of free floats is held empty, so that each new float
    # is made next to what was made before it rather than where some float was freed
    spare = [x * 1.0 for x in [0.5] * 128]
    by_fact = {f: _entry(readers[f], evaluated.get(f, ()), yes.get(f, ()), no.get(f, ()),
                         tests.get(f, ()))
               for f in (*(f for f in kb.facts if f in readers),
                         *sorted(readers.keys() - kb.facts.keys()))}
    del spare
    by_rank = sorted(positions, key=lambda i: order[ids[i]])
    rank = [0] * len(ids)
    for r, i in enumerate(by_rank):
        rank[i] = r
    # the firing plans by rank, made in that order: rules fire roughly in the order of their
    # rank, so that the plans they read lie one after the other in memory
    # (with their own copies of the rule and cause ids, side by side in memory too: a firing
    # keeps its rule's id and its causes' ids)
    causes = {c: _copy(c) for c in kb.causes}
    for i in by_rank:
        rule = kb.rules[ids[i]]
        fire.append((_copy(rule.id), tuple(same(f, f) for f in kb.facts_of(rule.id)), rule.when,
                     tuple((causes.get(t.cause, t.cause), float(t.cf)) for t in rule.then
                           if isinstance(t, SupportCause)),
                     tuple((same(t.set, t.set), t.value, f"rule:{rule.id}",
                            _copy(rule.because.en))
                           for t in rule.then if isinstance(t, AssertFact)),
                     bool(counted[i]),
                     tuple(same(t.set, t.set) for t in rule.then if isinstance(t, AssertFact))))
    # 16 for up to 15 tests: a counter then stays under 256, an int object Python shares
    step = 1 << max(4, max(counted, default=0).bit_length())
    return _RuleTable(
        ids, index, tuple(kb.compiled(r) for r in ids), tuple(rank), tuple(by_rank),
        tuple(kb.count_plan(r) for r in ids), tuple(counted),
        tuple(c * step if c else -1 for c in counted), step, by_fact, tuple(fire))


def _entry(readers: Iterable[int], evaluated: Iterable[int], yes: Iterable[int],
           no: Iterable[int], tests: Iterable[_Test]) -> _FactEntry:
    """One fact's entry (see :data:`_FactEntry`). Its positions are int objects of its own,
    made one after the other, and so are the operands of its comparisons: a fact's arrival
    walks a few neighbouring objects instead of ones shared with every other entry and
    spread over memory. Every reader is evaluated or counted, so the readers list the same
    objects: no second copy to drag through the caches."""
    parts = _own(evaluated), _own(yes), _own(no)
    checks = _own_tests(tests)
    mine = {i: i for part in parts for i in part} | {test[0]: test[0] for test in checks}
    return tuple(mine.get(i, i) for i in readers), *parts, checks


def _own(positions: Iterable[int]) -> tuple[int, ...]:
    """The positions in new int objects, made one after the other (see :func:`_entry`;
    the ints up to 256 are Python's shared objects anyway)."""
    return tuple(i if i <= 256 else i + 0 for i in positions)


def _own_tests(tests: Iterable[_Test]) -> tuple[_Test, ...]:
    """The tests with their positions and number operands in new objects, made one after
    the other (see :func:`_own`)."""
    return tuple((i if i <= 256 else i + 0, code, _own_number(what))
                 for i, code, what in tests)


def _own_number(value: Any) -> Any:
    """An equal float or int in a new object (the same value and type, -0.0 and NaN too);
    anything else as it is."""
    if type(value) is float:
        return value * 1.0
    if type(value) is int and not -5 <= value <= 256:
        return value + 0
    return value


def _positions(kb: KnowledgeBase) -> tuple[str, ...]:
    """The rules in the order of the engine's arrays: by the first fact each reads (in the
    order facts are defined), then as defined. The rules reading one fact then sit side by
    side, so a fact's arrival touches a few neighbouring entries instead of entries spread
    over the whole array. Nothing observable depends on it: firings go by
    :attr:`_RuleTable.rank`, and every total over rules is an exact sum."""
    defined = {f: i for i, f in enumerate(kb.facts)}
    last = len(defined)

    def first_fact(rule_id: str) -> int:
        return min((defined.get(f, last) for f in kb.facts_of(rule_id)), default=last)

    return tuple(sorted(kb.rules, key=first_fact))  # a stable sort: then as defined


def _copy(text: str) -> str:
    """An equal string in a new object (made now, next to what is made with it)."""
    return (text + " ")[:-1]


# the details of an inferred fact: none (one shared dict, never written, instead of a new one
# per fact)
_NO_DETAILS: dict[str, Any] = {}


def _focus(known: int) -> float:
    """See :meth:`Engine.focus`."""
    return 1.0 + known if known else UNFOCUSED


# the state of a rule, one byte each
_UNSEEN, _WAITING, _FALSE, _TRUE, _FIRED = range(5)
_TRUTH: dict[int, Truth] = {_WAITING: None, _FALSE: False, _TRUE: True, _FIRED: True}


class Engine:
    """Working memory plus the rules of a knowledge base, chained forward on demand."""

    def __init__(self, kb: KnowledgeBase, *, scope: frozenset[str] | None = None) -> None:
        self.kb = kb
        self.memory = WorkingMemory()
        self.firings: list[Firing] = []
        self._table = table = _rule_table(kb)
        n = len(table.ids)
        self._status = bytearray(n)  # per rule: _UNSEEN, _WAITING (undecided), ...
        # per rule, one counter (see _RuleTable.counts): a counted rule's tests that have
        # not passed yet and those that failed, -1 - the facts known of an evaluated rule's
        # premise; one list (not three) that the garbage collector walks while it is young
        self._counts = list(table.counts)
        # only these rules are chained (see :meth:`extend`); None: all of them
        self._scope: bytearray | None = None
        if scope is None:
            self._dirty: set[int] = set()
            self._all_dirty = True  # every rule waits for its first evaluation
        else:
            self._scope = bytearray(n)
            self._all_dirty = False
            self._dirty = {table.index[r] for r in scope}
            for i in self._dirty:
                self._scope[i] = 1
        # each cause's firings, indexed when asked (see _indexed), not while chaining: a
        # firing then makes no list and no lookups beyond its own record
        self._evidence: dict[str, list[Firing]] = {}
        self._indexed = 0  # how many of the firings _evidence holds
        self._cf_cache: dict[str, float] = {}
        # facts a probe can measure on the session's inputs: a person's answer about one of
        # them is not an observation (set by the session)
        self.verifiable: frozenset[str] = frozenset()
        # totals over the undecided rules for the planner: built when it first asks (an
        # engine that only scores never pays for them), then kept up to date
        self._live: LiveTotals | None = None
        self._waiting: set[str] | None = None  # the undecided rules' ids, kept with _live

    # ------------------------------------------------------------------ facts in
    def add_fact(self, fact: Fact) -> bool:
        """Put ``fact`` into working memory; return False if the fact was known already."""
        if not self.memory.add(fact):
            return False
        entry = self._table.by_fact.get(fact.id)
        if entry is None:  # no rule reads it
            return True
        readers, evaluated, yes, no, tests = entry
        if self._scope is not None:
            scope = self._scope
            readers = tuple(i for i in readers if scope[i])
            evaluated = tuple(i for i in evaluated if scope[i])
        if yes or no:
            self._count_flags(fact.value, yes, no)
        if tests:
            self._count_others(fact.value, tests)
        counts, live = self._counts, self._live
        if live is None:
            for i in evaluated:
                counts[i] -= 1
        else:
            status, plans = self._status, self._table.plans
            for i in readers:
                if counts[i] >= 0:  # counted: its one test of this fact is counted already
                    now = self._known_of(i)
                    was = now - 1
                else:
                    v = counts[i]
                    counts[i] = v - 1
                    was = -1 - v
                    now = was + 1
                if status[i] == _WAITING:  # its focus grows
                    live.refocus(plans[i], _focus(was), _focus(now))
        if not self._all_dirty:
            self._dirty.update(readers)
        return True

    def _count_flags(self, value: Any, want_yes: tuple[int, ...], want_no: tuple[int, ...]
                     ) -> None:
        """"is yes" and "is no" tests: one passes, the other fails; both fail on a value
        that is not a boolean (such as "don't know")."""
        scope, counts, step = self._scope, self._counts, self._table.step
        yes: Sequence[int] = want_yes if value is True else want_no if value is False else ()
        no: Sequence[int] = want_no if value is True else want_yes if value is False else (
            want_yes + want_no)
        for i in yes:
            if scope is None or scope[i]:
                counts[i] -= step
        for i in no:
            if scope is None or scope[i]:
                counts[i] += 1

    def _count_others(self, value: Any, tests: tuple[_Test, ...]) -> None:
        """Comparisons (which hold only for a number: not a flag, "don't know" or NaN) and
        the other tests."""
        scope, counts, step = self._scope, self._counts, self._table.step
        number = isinstance(value, int | float) and not isinstance(value, bool) \
            and not math.isnan(value)
        for i, code, what in tests:
            if scope is not None and not scope[i]:
                continue
            if code == _GT:
                ok = number and value > what
            elif code == _LT:
                ok = number and value < what
            elif code == _GE:
                ok = number and value >= what
            elif code == _LE:
                ok = number and value <= what
            elif code == _BETWEEN:
                ok = number and what[0] <= value <= what[1]
            else:
                ok = what(value)
            if ok:
                counts[i] -= step
            else:
                counts[i] += 1

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
        fired_before = len(self.firings)
        self.add_facts(new)
        self.run()
        status, readers = self._status, self._table.readers
        if len(self.firings) == fired_before and not any(
                status[i] == _FIRED for f in new for i in readers(f.id)):
            # nothing new fired and no fired rule reads the new facts: a replay fires the
            # same rules in the same order; only the inputs come before the inferred facts
            self._remember(inputs, [f for f in self.memory if f.origin == "inferred"])
            return True
        return self._resequence(inputs)

    def _remember(self, inputs: list[Fact], inferred: list[Fact]) -> None:
        """Working memory in a replay's order: the inputs, then what the rules inferred."""
        memory = WorkingMemory()
        for fact in (*inputs, *inferred):
            memory.add(fact)
        self.memory = memory

    def _resequence(self, inputs: list[Fact]) -> bool:
        """Put memory and firings in the order a fresh engine given ``inputs`` would have.

        That engine fires exactly the rules this one fired (conditions never change their
        mind once decided, so a rule that did not fire here is not true on any part of this
        memory), provided it arrives at the same facts; so only the fired rules are chained
        again, from the inputs they read or set, and the result is checked against this memory."""
        fired = frozenset(f.rule for f in self.firings)
        rules = self.kb.rules
        read = {f for rule_id in fired for f in self.kb.facts_of(rule_id)} | {
            then.set for rule_id in fired for then in rules[rule_id].then
            if isinstance(then, AssertFact)}
        fresh = Engine(self.kb, scope=fired)
        fresh.add_facts(f for f in inputs if f.id in read)
        fresh.run()
        inferred = [f for f in fresh.memory if f.origin == "inferred"]
        same = (len(fresh.firings) == len(self.firings)
                and {f.rule for f in fresh.firings} == fired
                and all(self.memory.get(f.id) == f for f in inferred)
                and len(inferred) + len(inputs) == len(self.memory))
        if same:
            self._remember(inputs, inferred)
            self.firings, self._evidence, self._indexed, self._cf_cache = (
                fresh.firings, {}, 0, {})
        return same

    # ------------------------------------------------------------------ chaining
    def run(self) -> list[Firing]:
        """Fire every rule whose condition holds until nothing more can fire."""
        new: list[Firing] = []
        agenda: list[int] = []  # the ranks of the rules that hold (see _RuleTable.rank)
        status, by_rank = self._status, self._table.by_rank
        while True:
            self._evaluate_dirty(agenda)
            if not agenda:
                return new
            r = heapq.heappop(agenda)
            i = by_rank[r]
            if status[i] != _FIRED:
                status[i] = _FIRED
                new.append(self._fire(r))

    def _evaluate_dirty(self, agenda: list[int]) -> None:
        if not self._dirty and not self._all_dirty:
            return
        dirty, self._dirty = self._dirty, set()
        ordered: Iterable[int] = sorted(dirty)
        if self._all_dirty:
            ordered, self._all_dirty = range(len(self._status)), False
        status, counts, table, value = self._status, self._counts, self._table, self.memory.value
        compiled, rank, failed = table.compiled, table.rank, table.step - 1
        # any order gives the same result (the planner's totals are exact sums); definition
        # order keeps rules defined together together in memory
        for i in ordered:
            was = status[i]
            if was >= _FALSE:  # decided: false, true (on the agenda already) or fired
                continue
            truth: Truth
            count = counts[i]
            if count >= 0:  # counted: one test, or all of several: false once one fails
                truth = False if count & failed else True if not count else None
            else:  # a condition none of whose facts is known waits
                truth = compiled[i](value) if count != -1 else None
            if truth is None:
                if was != _WAITING:
                    status[i] = _WAITING
                    if self._live is not None:  # (an engine that only scores has none)
                        self._count(i, +1)
                continue
            if was == _WAITING and self._live is not None:
                self._count(i, -1)
            if truth:
                status[i] = _TRUE
                heapq.heappush(agenda, rank[i])
            else:
                status[i] = _FALSE

    def _count(self, i: int, sign: int) -> None:
        """Rule ``i`` becomes undecided (+1) or decided (-1): keep the planner's view."""
        assert self._live is not None and self._waiting is not None
        self._live.count(self._table.plans[i], _focus(self._known_of(i)), sign)
        if sign > 0:
            self._waiting.add(self._table.ids[i])
        else:
            self._waiting.discard(self._table.ids[i])

    def focus(self, rule_id: str) -> float:
        """How far a rule is on its way: 1 + the facts of its premise already known, or
        :data:`UNFOCUSED` when none is. Evidence draws attention to the rules it touches."""
        return _focus(self._known_of(self._table.index[rule_id]))

    def _known_of(self, i: int) -> int:
        """How many facts of rule ``i``'s premise are known."""
        count, step = self._counts[i], self._table.step
        if count >= 0:  # the tests passed and failed
            return self._table.counted[i] - count // step + count % step
        return -1 - count

    @property
    def live(self) -> LiveView:
        """Totals over the undecided rules (read-only; see :mod:`.live`)."""
        if self._live is None:
            self._start_planner_view()
        assert self._live is not None
        return self._live

    def _start_planner_view(self) -> None:
        """Build what the planner reads from the undecided rules; from now on it is kept up
        to date as rules are decided and facts arrive."""
        live, waiting = LiveTotals(), set()
        table = self._table
        for i, status in enumerate(self._status):
            if status == _WAITING:
                live.count(table.plans[i], _focus(self._known_of(i)), +1)
                waiting.add(table.ids[i])
        self._live, self._waiting = live, waiting

    def is_undecided(self, rule_id: str) -> bool:
        return self._status[self._table.index[rule_id]] == _WAITING

    def undecided_among(self, rule_ids: frozenset[str]) -> frozenset[str]:
        """Those of ``rule_ids`` that are undecided now (a set operation, no walk)."""
        if self._waiting is None:
            self._start_planner_view()
        assert self._waiting is not None
        return rule_ids & self._waiting

    def _fire(self, r: int) -> Firing:
        """Fire the rule of rank ``r``: record what it concluded and assert its facts."""
        plan = self._table.fire[r]  # (its condition, plan[2], is read only when needed)
        rule_id, facts, supports, asserts, counted = plan[0], plan[1], plan[3], plan[4], plan[5]
        memory = self.memory
        got = memory.fact
        used: Sequence[str]
        if counted:  # it holds: every test passed, so each of its facts is known
            used = facts
        else:
            used = [f for f in facts if got(f) is not None]
        uncertain = memory.uncertain
        certain = not uncertain or uncertain.isdisjoint(used)
        certainty = 1.0 if certain else premise_certainty(plan[2], memory)
        asserted: tuple[str, ...] = ()
        conflicts: tuple[str, ...] = ()
        if asserts:
            new: list[str] = []
            clash: list[str] = []
            for fact_id, value, source, because in asserts:
                if self.add_fact(Fact(fact_id, value, "inferred", source, certainty, because,
                                      _NO_DETAILS)):
                    new.append(fact_id)
                else:
                    known = got(fact_id)
                    if known is not None and known.value != value:
                        clash.append(fact_id)
            # (each asserted, as usual: the plan's own tuple of them)
            asserted = plan[6] if len(new) == len(asserts) else tuple(new)
            conflicts = tuple(clash)
        if certainty != 1.0:  # (a certain premise gives each cause the rule's own cf)
            supports = tuple([(cause, rule_strength(cf, certainty)) for cause, cf in supports])
        firing = Firing(len(self.firings), rule_id, tuple(used), certainty, supports,
                        asserted, conflicts)
        self.firings.append(firing)
        return firing

    # ------------------------------------------------------------------ queries
    def state(self, rule_id: str) -> Truth:
        """True (fired or will fire), False (cannot fire) or None (waits for facts)."""
        i = self._table.index[rule_id]
        if self._status[i] != _FIRED and (
                self._dirty or self._all_dirty or self._status[i] == _UNSEEN):
            self.run()
        return _TRUTH[self._status[i]]

    def undecided(self) -> list[str]:
        """Rules that neither fired nor failed: they wait for facts (chains first if needed)."""
        if self._dirty or self._all_dirty:
            self.run()
        table, status = self._table, self._status
        waiting = [i for i in range(len(status)) if status[i] == _WAITING]
        return [table.ids[i] for i in sorted(waiting, key=table.rank.__getitem__)]

    def fired(self, rule_id: str) -> bool:
        return self._status[self._table.index[rule_id]] == _FIRED

    def cause_cf(self, cause: str) -> float:
        """The belief in ``cause``: its rules' certainty bounded by its cover."""
        spec = self.kb.causes[cause]
        return belief(spec, self.raw_cf(cause), self.cover(cause))

    def cover(self, cause: str) -> Cover:
        """Whether what ``cause`` explains was observed, is open, or is known absent."""
        return cover_of(self.kb.compiled_explains(cause), self.memory, self.verifiable)

    def _by_cause(self) -> dict[str, list[Firing]]:
        """Each cause's firings, in firing order (causes in the order of their first
        firing), brought up to date with the firings since it was last asked."""
        firings, evidence = self.firings, self._evidence
        if self._indexed < len(firings):
            cache = self._cf_cache
            for firing in firings[self._indexed:]:
                for cause, _ in firing.supports:
                    if cause in evidence:
                        evidence[cause].append(firing)
                    else:
                        evidence[cause] = [firing]
                    cache.pop(cause, None)
            self._indexed = len(firings)
        return evidence

    def raw_cf(self, cause: str) -> float:
        """The combined certainty factor of ``cause`` from every firing so far."""
        evidence = self._by_cause()
        if cause not in self._cf_cache:
            events: dict[object, list[float]] = {}
            for firing in evidence.get(cause, []):
                key = self._event_of(firing)
                events.setdefault(key, []).extend(
                    s for c, s in firing.supports if c == cause)
            self._cf_cache[cause] = combine_all(_one_vote(v) for v in events.values())
        return self._cf_cache[cause]

    def _event_of(self, firing: Firing) -> object:
        """The events a firing reads: each fact's observation (see ``FactSpec.observation``),
        or the fact itself when it declares none. Firings that read the same events give one
        vote per cause; a firing that reads no fact stands on its own."""
        if not firing.facts:
            return ("rule", firing.rule)
        facts = self.kb.facts
        return frozenset((facts[f].observation if f in facts else None) or f
                         for f in firing.facts)

    def evidence(self, cause: str) -> tuple[Firing, ...]:
        return tuple(self._by_cause().get(cause, ()))

    def scores(self) -> list[CauseScore]:
        """Every cause with any evidence, highest certainty first (ties: faults before
        practice notes, then by id)."""
        rows = []
        for c in self._by_cause():
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
        yields = {c: frozenset(spec.yields_to) for c, *_, spec in rows if spec.yields_to}
        notes = frozenset(c for c, *_, spec in rows if spec.kind == "note")
        rooted = {c: frozenset(spec.root_when.over) for c, *_, spec in rows
                  if spec.root_when is not None
                  and is_rooted(self.kb.compiled_root_when(c), self.memory, self.verifiable)}
        beliefs = explaining_away([(c, b, observed[c]) for c, b, *_ in rows], roots, yields,
                                  notes, rooted)
        out = [CauseScore(c, beliefs[c][0], self.evidence(c), raw, cover, spec.kind,
                          beliefs[c][1])
               for c, _, raw, cover, spec in rows]
        # ties (the open cover's cap makes many): a fault before a practice note, then by id
        return sorted(out, key=lambda s: (-s.cf, s.kind == "note", s.cause))

    def conclusions(self, threshold: float = CONCLUDE_THRESHOLD) -> list[CauseScore]:
        """Causes concluded: combined certainty at or above ``threshold``."""
        return [s for s in self.scores() if s.cf >= threshold]
