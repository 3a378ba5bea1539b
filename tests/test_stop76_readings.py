"""Stop 76: a rule's ``given`` facts are its scope, not evidence for or against its causes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.engine import load_kb
from dldoctor.kbpaths import load_knowledge
from dldoctor.session import KBError, Session
from tests.kbfactory import write_kb

BASE = """
facts:
  - {id: measured, type: bool, text: Measured, question: "Measured?"}
  - {id: scope, type: bool, text: In scope, question: "In scope?"}
causes:
  - {id: c1, title: Cause one, explains: {fact: measured, is: true}, fixes: [{text: fix}],
     sources: ["t#1"]}
"""

RULE = """
- id: measured_within_scope
  when: {all: [{fact: measured, is: true}, {fact: scope, is: true}]}
  given: [{given}]
  then: [{cause: c1, cf: 0.7}]
  because: measured, within its scope
  sources: ["t#1"]
"""


def test_a_given_fact_is_shown_in_the_derivation_not_as_evidence(tmp_path: Path) -> None:
    session = Session(load_kb([write_kb(tmp_path, RULE.replace("{given}", "scope"),
                                        base=BASE)]))
    session.answer("measured", "yes")
    session.answer("scope", "yes")
    [fault] = session.report().faults
    assert [e.fact for e in fault.evidence] == ["measured"]
    assert fault.evidence[0].weight == pytest.approx(0.7)
    assert "scope" in repr(fault.derivation)


def test_a_given_fact_the_condition_does_not_test_is_refused(tmp_path: Path) -> None:
    with pytest.raises(KBError, match="given-not-tested|is given but not tested"):
        load_kb([write_kb(tmp_path, RULE.replace("{given}", "elsewhere"), base=BASE)])


def test_a_constant_rate_is_no_evidence_about_the_rate() -> None:
    """The bundled example printed "The learning rate stays constant (no decay)" as −0.50
    against a rate too high: the constant rate only lets the sweep speak for the run's rate."""
    session = Session(load_knowledge())
    for fact, value in {"lr_sweep.best_over_current": "1", "lr_sweep.current_among_best": "yes",
                        "lr.decays": "no", "lr_sweep.from_initial_lr": "no",
                        "loss.non_finite": "yes", "loss.non_finite_step": "30",
                        "update.ratio": "0.0935"}.items():
        session.set_fact(fact, value)
    high = next(d for d in session.report().diagnoses if d.cause == "lr_too_high")
    facts = {e.fact: e.weight for e in high.evidence}
    assert facts["lr_sweep.best_over_current"] < 0 < facts["update.ratio"]
    assert "lr.decays" not in facts and "lr_sweep.from_initial_lr" not in facts
