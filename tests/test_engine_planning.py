"""Choice of the next question or probe, and the explanations (how, why, why-not)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.engine import Engine, Fact, Planner, ProbeRequest, ProbeSpec, Question, load_kb
from dldoctor.engine.errors import KBError
from dldoctor.engine.explain import how, why, why_not
from tests.kbfactory import A_SPLITS_C, BASE, make_kb, write_kb

SPLIT = A_SPLITS_C + """- id: b_weakly_c3
  when: {fact: b, is: true}
  then: [{cause: c3, cf: 0.2}]
  because: b hints at c3
  sources: ["t#1"]
"""


def given(kb, **facts):  # noqa: ANN001, ANN202
    engine = Engine(kb)
    engine.add_facts(Fact(k, v, "given", "test") for k, v in facts.items())
    engine.run()
    return engine


def test_asks_the_question_that_separates_the_live_causes(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, SPLIT)
    engine = given(kb, c=True)
    step = Planner(engine).next_step([], set())
    assert isinstance(step, Question)
    # a splits c1 from c2; b only touches the weak c3: a must come first
    assert step.fact == "a"
    assert set(step.causes) == {"c1", "c2"}


def test_choice_does_not_depend_on_rule_order(tmp_path: Path) -> None:
    kb_a = make_kb(tmp_path / "one", SPLIT)
    blocks = ["- " + b.lstrip("- ") for b in SPLIT.strip().split("\n- ")]
    kb_b = make_kb(tmp_path / "two", "\n".join(reversed(blocks)))
    assert list(kb_a.rules) != list(kb_b.rules)
    qa = Planner(given(kb_a, c=True)).question_candidates(set())
    qb = Planner(given(kb_b, c=True)).question_candidates(set())
    assert [q.fact for q in qa] == [q.fact for q in qb]


def test_skips_questions_whose_answer_changes_nothing(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, SPLIT)
    engine = given(kb, c=False)  # both c-rules are now false: a cannot matter
    facts = [q.fact for q in Planner(engine).question_candidates(set())]
    assert "a" not in facts
    assert facts == ["b"]


def test_nothing_left_to_ask_gives_none(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, SPLIT)
    engine = given(kb, a=True, b=False, c=True)
    assert Planner(engine).next_step([], set()) is None


def test_cheap_probe_beats_a_question(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, SPLIT)
    engine = given(kb, c=True)
    probe = ProbeSpec("p.a", "measure a", frozenset({"a"}), cost=0.1)
    step = Planner(engine).next_step([probe], set())
    assert isinstance(step, ProbeRequest)
    assert step.probe == "p.a" and step.facts == ("a",)


def test_a_probe_that_measures_nothing_useful_is_not_proposed(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, SPLIT)
    engine = given(kb, c=True)
    useless = ProbeSpec("p.n", "measure n", frozenset({"n"}), cost=0.01)
    assert Planner(engine).probe_candidates([useless]) == []


def test_number_questions_are_scored_at_the_thresholds(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, """
    - id: n_small
      when: {fact: n, lt: 100}
      then: [{cause: c1, cf: 0.6}]
      because: small n
      sources: ["t#1"]
    - id: n_large
      when: {fact: n, ge: 100}
      then: [{cause: c2, cf: 0.6}]
      because: large n
      sources: ["t#1"]
    """)
    planner = Planner(Engine(kb))
    assert planner.outcomes(kb.facts["n"])  # points around 100
    step = planner.next_step([], set())
    assert isinstance(step, Question) and step.fact == "n" and step.gain > 0


def test_asks_through_an_intermediate_fact(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, """
    - id: a_to_mid
      when: {fact: a, is: true}
      then: [{set: mid, value: true}]
      because: a gives mid
      sources: ["t#1"]
    - id: mid_to_c1
      when: {fact: mid, is: true}
      then: [{cause: c1, cf: 0.8}]
      because: mid means c1
      sources: ["t#1"]
    """)
    step = Planner(Engine(kb)).next_step([], set())
    assert isinstance(step, Question) and step.fact == "a"
    assert step.causes == ("c1",)


def test_how_shows_the_derivation_with_nested_rules(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, """
    - id: a_to_mid
      when: {fact: a, is: true}
      then: [{set: mid, value: true}]
      because: a gives mid
      sources: ["t#1"]
    - id: mid_to_c1
      when: {all: [{fact: mid, is: true}, {fact: b, is: true}]}
      then: [{cause: c1, cf: 0.8}]
      because: mid and b mean c1
      sources: ["t#1"]
    """)
    engine = given(kb, a=True, b=True)
    steps = how(engine, "c1")
    assert [s.rule for s in steps] == ["mid_to_c1"]
    assert {f for f, _, _ in steps[0].facts} == {"mid", "b"}
    assert [p.rule for p in steps[0].premises] == ["a_to_mid"]
    text = "\n".join(steps[0].lines())
    assert "mid and b mean c1" in text and "a gives mid" in text and "[test]" in text


def test_why_names_the_rules_and_causes_a_question_serves(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, SPLIT)
    engine = given(kb, c=True)
    answer = why(engine, "a")
    assert {r for r, _ in answer.rules} == {"c_only_if_a", "c_and_not_a"}
    assert {c for c, _ in answer.causes} == {"c1", "c2"}
    assert "Cause one" in answer.text(engine)


def test_why_not_gives_the_first_failed_test_or_what_is_missing(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, SPLIT)
    engine = given(kb, c=True, a=False)
    verdicts = {v.rule: v for v in why_not(engine, "c1")}
    assert verdicts["c_only_if_a"].state == "failed"
    assert "a is no, but the rule needs a is yes" in verdicts["c_only_if_a"].detail
    fresh = {v.rule: v for v in why_not(Engine(kb), "c3")}
    assert fresh["b_weakly_c3"].state == "waiting"
    assert fresh["b_weakly_c3"].waiting_on == ("b",)


def test_evidence_draws_the_questions_to_the_causes_it_points_at(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, SPLIT + """
- id: b_and_n
  when: {all: [{fact: b, is: true}, {fact: n, gt: 3}]}
  then: [{cause: c3, cf: 0.9}]
  because: b with large n is c3
  sources: ["t#1"]
""")
    # nothing known yet: a (splitting c1/c2) and n (c3) compete on equal terms; once c is
    # known to hold, the question about a, which c points at, must come first
    engine = given(kb, c=True)
    ranked = [q.fact for q in Planner(engine).question_candidates(set())]
    assert ranked[0] == "a"
    engine = given(kb, b=True)
    ranked = [q.fact for q in Planner(engine).question_candidates(set())]
    assert ranked[0] == "n"


def test_a_settled_diagnosis_stops_the_questions_but_not_free_probes(tmp_path: Path) -> None:
    from dldoctor.engine.strategy import settled

    kb = make_kb(tmp_path, SPLIT + """
- id: c_strong
  when: {fact: c, is: true}
  then: [{cause: c3, cf: 0.9}]
  because: c alone is strong evidence for c3
  sources: ["t#1"]
""")
    engine = given(kb, c=True)
    assert settled(engine)
    assert Planner(engine).next_step([], set()) is None
    probe = ProbeSpec("p.a", "measure a", frozenset({"a"}), cost=0.1)
    assert isinstance(Planner(engine).next_step([probe], set()), ProbeRequest)
    assert not settled(given(kb, b=True))


def test_a_second_established_cause_keeps_the_questions_open(tmp_path: Path) -> None:
    """A leader at 0.9 with a runner-up at 0.55 is two diagnoses, not a settled one: the
    question that tells them apart is still worth asking (a new user's misaligned labels:
    data_not_shuffled 0.78 over labels_wrong 0.51, and "is the data shuffled?" never came)."""
    from dldoctor.engine.strategy import settled

    kb = make_kb(tmp_path, SPLIT + """
- id: c_strong
  when: {fact: c, is: true}
  then: [{cause: c3, cf: 0.9}]
  because: c alone is strong evidence for c3
  sources: ["t#1"]
- id: x_rival
  when: {fact: mode, is: x}
  then: [{cause: c2, cf: 0.55}]
  because: mode x is evidence for c2
  sources: ["t#1"]
- id: y_weak_rival
  when: {fact: mode, is: y}
  then: [{cause: c2, cf: 0.3}]
  because: mode y hints at c2
  sources: ["t#1"]
""")
    assert not settled(given(kb, c=True, mode="x"))
    assert settled(given(kb, c=True, mode="y"))


def test_a_question_is_not_asked_once_what_it_asks_was_measured(tmp_path: Path) -> None:
    """``a`` is ``measured_as`` ``n`` (as "the largest dropout rate?" is the dropout layers'
    measured rate): asked while ``n`` is open, never once a probe has it — even when no
    rule reads ``n`` and ``a`` would still split the causes."""
    from dldoctor.engine.values import UNKNOWN

    base = BASE.replace('{id: a, type: bool, text: A, question: "A?"}',
                        '{id: a, type: bool, text: A, question: "A?", measured_as: [n]}')
    kb = load_kb([write_kb(tmp_path, SPLIT, base=base)])
    assert Planner(given(kb, c=True)).next_step([], set()).fact == "a"
    assert Planner(given(kb, c=True, n=UNKNOWN)).next_step([], set()).fact == "a"
    facts = [q.fact for q in Planner(given(kb, c=True, n=0.3)).question_candidates(set())]
    assert "a" not in facts and facts == ["b"]
    bad = BASE.replace('{id: a, type: bool, text: A, question: "A?"}',
                       '{id: a, type: bool, text: A, question: "A?", measured_as: [nope]}')
    with pytest.raises(KBError, match=r"kb.yaml:3: facts\[0\].measured_as\[0\]: unknown fact"):
        load_kb([write_kb(tmp_path / "bad", SPLIT, base=bad)])
