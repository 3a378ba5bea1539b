"""The engine's work per fact and per firing does not grow with the knowledge base.

Counted, not timed: a fact's arrival makes one lookup in the engine's rule table and touches
the per-rule state of the rules that read it only; a firing reads its rule's plan, never the
rules' models; the table keys are the knowledge base's own id strings (a lookup with them
matches by identity). What a fixpoint allocates: one per-rule list (the counters), a record
per firing and a fact per inferred fact, nothing else per rule or per firing (fewer objects
for the garbage collector to count and walk). Each fact's entry lists positions in int
objects of its own. Synthetic knowledge bases of bench/engine_scaling.py, 300 and 3 000 rules.
"""

from __future__ import annotations

import dataclasses
import gc
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from bench.engine_scaling import _truth, synthetic_kb
from dldoctor.engine import Engine, Fact, KnowledgeBase
from dldoctor.engine.inference import _rule_table

SIZES = (300, 3000)


class _Counted(list[int]):
    """A list that counts reads and writes of its items."""

    touched = 0

    def __getitem__(self, i: Any) -> Any:
        _Counted.touched += 1
        return super().__getitem__(i)

    def __setitem__(self, i: Any, value: Any) -> None:
        _Counted.touched += 1
        super().__setitem__(i, value)


class _CountedBytes(bytearray):
    """A bytearray that counts reads and writes of its items (into :class:`_Counted`)."""

    def __getitem__(self, i: Any) -> Any:
        _Counted.touched += 1
        return super().__getitem__(i)

    def __setitem__(self, i: Any, value: Any) -> None:
        _Counted.touched += 1
        super().__setitem__(i, value)


class _Lookups(dict[str, Any]):
    """A dict that counts ``get``."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.calls = 0

    def get(self, key: str, default: Any = None) -> Any:
        self.calls += 1
        return super().get(key, default)


class _NoModels(dict[str, Any]):
    """The knowledge base's rules, refusing to be read."""

    def __getitem__(self, key: str) -> Any:
        raise AssertionError(f"rule model {key} read while chaining")

    def get(self, key: str, default: Any = None) -> Any:
        raise AssertionError(f"rule model {key} read while chaining")

    def values(self) -> Any:
        raise AssertionError("rule models read while chaining")

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("rule models read while chaining")


@pytest.fixture(scope="module")
def kbs() -> dict[int, KnowledgeBase]:
    return {n: synthetic_kb(n, seed=1) for n in SIZES}


def _inputs(kb: KnowledgeBase) -> tuple[list[Fact], list[Fact]]:
    """A third of the askable facts given at once, and 60 more that arrive one by one."""
    facts = [Fact(f, v, "given", "test") for f, v in _truth(kb, 1).items()]
    third = len(facts) // 3
    return facts[:third], facts[third:third + 60]


def _per_fact(kb: KnowledgeBase) -> tuple[float, int, int, int]:
    """Chain to a fixpoint, then add facts one at a time, chaining after each: the per-rule
    state items touched per added fact, the table lookups, the facts that arrived (added or
    asserted by a rule) and the rules that read them."""
    given, later = _inputs(kb)
    engine = Engine(kb)
    engine.add_facts(given)
    engine.run()
    engine._status = _CountedBytes(engine._status)
    engine._counts = _Counted(engine._counts)
    lookups = _Lookups(engine._table.by_fact)
    engine._table = dataclasses.replace(engine._table, by_fact=lookups)
    _Counted.touched = 0
    fired_before, memory_before = len(engine.firings), len(engine.memory)
    for fact in later:
        engine.add_fact(fact)
        engine.run()
    touched, calls = _Counted.touched, lookups.calls
    arrived = list(engine.memory)[memory_before:]
    assert len(engine.firings) > fired_before  # the later facts make rules fire
    readers = sum(len(engine._table.readers(f.id)) for f in arrived)
    return touched / len(later), calls, len(arrived), readers


def test_a_fact_costs_one_lookup_and_touches_only_the_rules_reading_it(
        kbs: dict[int, KnowledgeBase]) -> None:
    touched = {}
    for n, kb in kbs.items():
        per_fact, lookups, arrived, readers = _per_fact(kb)
        assert lookups == arrived  # one lookup per fact that arrived, given or inferred
        # each rule reading an arrived fact: its known count, its test counts, its status
        # and its evaluation, and the firing of those that fire; nothing else of the
        # per-rule state
        assert per_fact * 60 <= 10 * readers, (n, per_fact, readers)
        touched[n] = per_fact
    # ten times the rules, about the same work per fact
    small, big = touched[SIZES[0]], touched[SIZES[1]]
    assert big <= 1.5 * small, touched


def test_chaining_reads_no_rule_model(kbs: dict[int, KnowledgeBase]) -> None:
    kb = kbs[SIZES[0]]
    given, later = _inputs(kb)
    expected = Engine(kb)
    expected.add_facts(given + later)
    expected.run()
    _rule_table(kb)
    rules, facts_of = kb.rules, kb.facts_of
    kb.rules = _NoModels(rules)  # type: ignore[assignment]
    kb.facts_of = lambda rule_id: pytest.fail(f"facts of {rule_id} read while chaining")
    try:
        engine = Engine(kb)
        engine.add_facts(given + later)
        fired = engine.run()
    finally:
        kb.rules = rules
        del kb.facts_of
    assert fired and engine.firings == expected.firings
    assert list(engine.memory) == list(expected.memory)
    assert kb.facts_of == facts_of


def test_the_table_holds_the_knowledge_bases_own_id_strings(
        kbs: dict[int, KnowledgeBase]) -> None:
    kb = kbs[SIZES[0]]
    table = _rule_table(kb)
    own = {f: f for f in kb.facts}
    assert table.by_fact and all(own[f] is f for f in table.by_fact)
    for _, facts, _, _, asserts, _, asserted in table.fire:
        assert all(own[f] is f for f in facts)
        assert all(own[f] is f for f, *_ in asserts)
        assert all(own[f] is f for f in asserted)


def _allocated(kb: KnowledgeBase) -> tuple[Counter[str], list[int], Engine]:
    """Chain a fixpoint with the collector off: the objects it tracks that the fixpoint made,
    by type, and the lengths of the per-rule-sized ones among them."""
    given, _ = _inputs(kb)
    Engine(kb).run()  # the tables, made once per knowledge base
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        before = {id(o) for o in gc.get_objects()}
        engine = Engine(kb)
        engine.add_facts(given)
        engine.run()
        made = [o for o in gc.get_objects() if id(o) not in before and o is not before]
    finally:
        if enabled:
            gc.enable()
    sized = [len(o) for o in made if isinstance(o, list | tuple | dict | set)
             and len(o) >= len(kb.rules)]
    return Counter(type(o).__name__ for o in made), sized, engine


def test_a_fixpoint_allocates_a_record_per_firing_and_one_per_rule_list(
        kbs: dict[int, KnowledgeBase]) -> None:
    others, inferred = {}, {}
    for n, kb in kbs.items():
        made, sized, engine = _allocated(kb)
        inferred[n] = sum(1 for f in engine.memory if f.origin == "inferred")
        assert engine.firings
        assert made.pop("Firing") == len(engine.firings)
        assert made.pop("Fact", 0) == inferred[n]
        assert sized == [len(kb.rules)]  # the rules' counters, one list
        others[n] = made
    # nothing else grows with the rules or the firings (the engine, its memory, a tuple of
    # the facts an evaluated rule used, ...): a few objects at 300 rules as at 3 000
    assert all(sum(made.values()) <= 16 for made in others.values()), others
    assert inferred[SIZES[1]] > 0  # (rules asserted facts)


def test_each_fact_entry_lists_positions_in_int_objects_of_its_own(
        kbs: dict[int, KnowledgeBase]) -> None:
    table = _rule_table(kbs[SIZES[1]])
    seen: set[int] = set()
    listed = 0
    for entry in table.by_fact.values():
        counted = [i for part in entry[1:4] for i in part] + [t[0] for t in entry[4]]
        assert sorted(entry[0]) == sorted(counted)  # readers: evaluated or counted
        mine = {id(i) for i in counted if i > 256}  # (ints up to 256 are Python's own)
        assert {id(i) for i in entry[0] if i > 256} == mine  # the same objects
        assert not mine & seen  # none shared with another entry
        seen |= mine
        listed += len(mine)
    assert listed > len(table.ids)  # (each position is listed by several entries)
