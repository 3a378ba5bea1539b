"""One event, one vote: rules that read the same observations give a cause one vote, and
practice notes yield to a fault that explains the same observation (docs/reasoning.md §1, §4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.engine import load_kb
from dldoctor.engine.certainty import combine_all
from dldoctor.session import Session
from tests.kbfactory import make_kb, write_kb

TWO_RULES_ONE_EVENT = """
- {id: r_wide, when: {all: [{fact: a, is: true}, {fact: n, gt: 1}]},
   then: [{cause: c1, cf: 0.5}], because: wide, sources: ["t#1"]}
- {id: r_narrow, when: {all: [{fact: a, is: true}, {fact: n, gt: 10}]},
   then: [{cause: c1, cf: 0.6}], because: narrow, sources: ["t#1"]}
- {id: r_other, when: {fact: b, is: true},
   then: [{cause: c1, cf: 0.3}], because: other, sources: ["t#1"]}
"""


def test_rules_reading_the_same_facts_give_one_vote(tmp_path: Path) -> None:
    session = Session(make_kb(tmp_path, TWO_RULES_ONE_EVENT))
    session.answer("a", "yes")
    session.set_fact("n", "20")
    # both thresholds hold, but they describe one measurement: the stronger counts
    assert session.engine.raw_cf("c1") == pytest.approx(0.6)
    session.answer("b", "yes")  # another event combines as independent evidence
    assert session.engine.raw_cf("c1") == pytest.approx(combine_all([0.6, 0.3]))


GROUPED = """
facts:
  - {id: flat, type: bool, text: Flat, question: "Flat?", observation: no_learning}
  - {id: chance, type: bool, text: Chance, question: "Chance?", observation: no_learning}
  - {id: fits, type: bool, text: Fits, question: "Fits?"}
causes:
  - {id: c1, title: Cause one, fixes: [{text: fix one}], sources: ["t#1"]}
"""

GROUPED_RULES = """
- {id: flat_and_fits, when: {all: [{fact: flat, is: true}, {fact: fits, is: true}]},
   then: [{cause: c1, cf: 0.35}], because: a, sources: ["t#1"]}
- {id: chance_and_fits, when: {all: [{fact: chance, is: true}, {fact: fits, is: true}]},
   then: [{cause: c1, cf: 0.3}], because: b, sources: ["t#1"]}
- {id: chance_alone, when: {fact: chance, is: true},
   then: [{cause: c1, cf: 0.25}], because: c, sources: ["t#1"]}
"""


def test_facts_of_one_observation_read_with_another_fact_vote_once(tmp_path: Path) -> None:
    session = Session(load_kb([write_kb(tmp_path, GROUPED_RULES, base=GROUPED)]))
    for fact in ("flat", "chance", "fits"):
        session.answer(fact, "yes")
    # {no_learning, fits} twice → 0.35; {no_learning} alone → 0.25
    assert session.engine.raw_cf("c1") == pytest.approx(combine_all([0.35, 0.25]))


NOTE_KB = """
facts:
  - {id: sym, type: bool, text: Symptom, question: "Seen?"}
  - {id: ctx, type: bool, text: Context, question: "Context?"}
causes:
  - {id: fault1, explains: {fact: sym, is: true}, title: Fault, fixes: [{text: f}],
     sources: ["t#1"]}
  - {id: note1, kind: note, explains: {fact: sym, is: true}, title: Note, fixes: [{text: n}],
     sources: ["t#2"]}
"""

NOTE_RULES = """
- {id: ctx_note, when: {fact: ctx, is: true}, then: [{cause: note1, cf: 0.9}],
   because: advice, sources: ["t#2"]}
- {id: sym_fault, when: {fact: sym, is: true}, then: [{cause: fault1, cf: 0.6}],
   because: fault, sources: ["t#1"]}
"""


def test_a_note_yields_to_a_weaker_fault_explaining_the_same_observation(
        tmp_path: Path) -> None:
    session = Session(load_kb([write_kb(tmp_path, NOTE_RULES, base=NOTE_KB)]))
    session.answer("ctx", "yes")
    session.answer("sym", "yes")
    scores = {s.cause: s.cf for s in session.engine.scores()}
    assert scores["fault1"] == pytest.approx(0.6)
    # ranked above the fault on its prior, the note keeps only what the fault leaves
    assert scores["note1"] == pytest.approx(0.9 * (1 - 0.6))
    assert session.report().diagnoses[0].cause == "fault1"
