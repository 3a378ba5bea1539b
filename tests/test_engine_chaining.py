"""Forward chaining, conflict resolution, three-valued conditions, certainty combination."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dldoctor.engine import UNKNOWN, Engine, Fact
from dldoctor.engine.certainty import combine, combine_all
from tests.kbfactory import make_kb


def fact(fid: str, value: object) -> Fact:
    return Fact(fid, value, "given", "test")


CHAIN = """
- id: a_makes_mid
  when: {fact: a, is: true}
  then: [{set: mid, value: true}]
  because: a implies mid
  sources: ["t#1"]
- id: mid_and_b
  when: {all: [{fact: mid, is: true}, {fact: b, is: true}]}
  then: [{cause: c1, cf: 0.8}]
  because: mid and b mean c1
  sources: ["t#1"]
- id: not_b
  when: {not: {fact: b, is: true}}
  then: [{cause: c2, cf: 0.5}]
  because: without b, c2
  sources: ["t#2"]
"""


def test_chains_through_asserted_facts_to_a_fixpoint(tmp_path: Path) -> None:
    engine = Engine(make_kb(tmp_path, CHAIN))
    engine.add_facts([fact("a", True), fact("b", True)])
    fired = [f.rule for f in engine.run()]
    assert fired == ["a_makes_mid", "mid_and_b"]
    assert engine.memory.get("mid").origin == "inferred"
    assert engine.memory.get("mid").source == "rule:a_makes_mid"
    assert [s.cause for s in engine.conclusions()] == ["c1"]
    assert engine.run() == []  # fixpoint: nothing more fires


def test_each_rule_fires_once(tmp_path: Path) -> None:
    engine = Engine(make_kb(tmp_path, CHAIN))
    engine.add_fact(fact("a", True))
    engine.run()
    engine.add_fact(fact("c", True))  # unrelated fact
    engine.run()
    assert [f.rule for f in engine.firings].count("a_makes_mid") == 1


def test_pending_until_the_fact_is_known(tmp_path: Path) -> None:
    engine = Engine(make_kb(tmp_path, CHAIN))
    engine.run()
    assert engine.state("not_b") is None
    engine.add_fact(fact("b", False))
    engine.run()
    assert engine.state("not_b") is True
    assert engine.cause_cf("c2") == 0.5


def test_dont_know_fails_tests_but_satisfies_known_false(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, """
    - id: needs_b
      when: {fact: b, is: false}
      then: [{cause: c1, cf: 0.5}]
      because: x
      sources: ["t#1"]
    - id: b_unknown
      when: {fact: b, known: false}
      then: [{cause: c2, cf: 0.3}]
      because: y
      sources: ["t#1"]
    """)
    engine = Engine(kb)
    engine.add_fact(fact("b", UNKNOWN))
    engine.run()
    assert engine.state("needs_b") is False
    assert engine.state("b_unknown") is True
    assert [s.cause for s in engine.conclusions()] == ["c2"]


CONFLICT = """
- id: low
  when: {fact: a, is: true}
  then: [{set: mode, value: x}]
  because: low salience
  sources: ["t#1"]
- id: specific
  when: {all: [{fact: a, is: true}, {fact: b, is: true}]}
  then: [{set: mode, value: y}]
  because: more specific
  sources: ["t#1"]
- id: high
  salience: 10
  when: {fact: a, is: true}
  then: [{set: mid, value: true}]
  because: high salience
  sources: ["t#1"]
- id: mode_x
  when: {fact: mode, is: x}
  then: [{cause: c1, cf: 0.7}]
  because: x
  sources: ["t#1"]
- id: mode_y
  when: {fact: mode, is: y}
  then: [{cause: c2, cf: 0.7}]
  because: y
  sources: ["t#1"]
"""


def test_conflict_resolution_salience_then_specificity_then_order(tmp_path: Path) -> None:
    engine = Engine(make_kb(tmp_path, CONFLICT))
    engine.add_facts([fact("a", True), fact("b", True)])
    engine.run()
    order = [f.rule for f in engine.firings]
    assert order[:3] == ["high", "specific", "low"]
    # the more specific rule wrote mode first; the later, conflicting write is recorded
    assert engine.memory.get("mode").value == "y"
    assert engine.firings[2].conflicts == ("mode",)
    assert [s.cause for s in engine.conclusions()] == ["c2"]


def test_result_does_not_depend_on_the_order_facts_arrive(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, CHAIN + CONFLICT.replace("id: ", "id: k_"))
    facts = [fact("a", True), fact("b", False), fact("c", True), fact("n", 3.0)]
    outcomes = set()
    for perm in itertools.permutations(facts):
        engine = Engine(kb)
        for f in perm:
            engine.add_fact(f)
            engine.run()
        outcomes.add(tuple((s.cause, round(s.cf, 9)) for s in engine.scores()))
    assert len(outcomes) == 1


def test_negative_evidence_lowers_a_cause(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, """
    - id: for_c1
      when: {fact: a, is: true}
      then: [{cause: c1, cf: 0.6}]
      because: for
      sources: ["t#1"]
    - id: against_c1
      when: {fact: b, is: true}
      then: [{cause: c1, cf: -0.8}]
      because: against
      sources: ["t#1"]
    """)
    engine = Engine(kb)
    engine.add_facts([fact("a", True), fact("b", True)])
    engine.run()
    assert engine.cause_cf("c1") < 0
    assert engine.conclusions() == []


def test_number_operators_and_ranges(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, """
    - id: in_range
      when: {fact: n, between: [1, 10]}
      then: [{cause: c1, cf: 0.5}]
      because: r
      sources: ["t#1"]
    - id: small
      when: {any: [{fact: n, lt: 1}, {fact: mode, in: [y]}]}
      then: [{cause: c2, cf: 0.5}]
      because: s
      sources: ["t#1"]
    """)
    engine = Engine(kb)
    engine.add_facts([fact("n", 10.0), fact("mode", "x")])
    engine.run()
    assert engine.state("in_range") is True
    assert engine.state("small") is False


cf = st.floats(min_value=-1, max_value=1, allow_nan=False)
pos = st.floats(min_value=0, max_value=1, allow_nan=False)
neg = st.floats(min_value=-1, max_value=0, allow_nan=False)


@settings(max_examples=300)
@given(cf, cf)
def test_combine_is_commutative_and_bounded(a: float, b: float) -> None:
    assert abs(combine(a, b) - combine(b, a)) < 1e-9
    assert -1 - 1e-9 <= combine(a, b) <= 1 + 1e-9


@settings(max_examples=300)
@given(cf)
def test_zero_is_the_identity(a: float) -> None:
    assert abs(combine(a, 0.0) - a) < 1e-12


@settings(max_examples=300)
@given(pos, pos, pos)
def test_same_sign_evidence_is_associative_and_only_grows(a: float, b: float, c: float) -> None:
    left, right = combine(combine(a, b), c), combine(a, combine(b, c))
    assert abs(left - right) < 1e-9
    assert combine(a, b) >= max(a, b) - 1e-12


@settings(max_examples=300)
@given(neg, neg, neg)
def test_negative_evidence_is_associative(a: float, b: float, c: float) -> None:
    assert abs(combine(combine(a, b), c) - combine(a, combine(b, c))) < 1e-9


@settings(max_examples=200)
@given(st.lists(cf, max_size=6))
def test_combine_all_ignores_order(values: list[float]) -> None:
    forward = combine_all(values)
    assert abs(forward - combine_all(list(reversed(values)))) < 1e-9
    assert abs(forward - combine_all(sorted(values))) < 1e-9


def test_mycin_examples() -> None:
    assert combine(0.6, 0.5) == 0.8
    assert abs(combine(-0.6, -0.5) - -0.8) < 1e-12
    assert abs(combine(0.8, -0.6) - 0.5) < 1e-12
    assert combine(1.0, -1.0) == 0.0
