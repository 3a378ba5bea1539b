"""The session seam: answers, symptoms, undo, save and resume, probes recorded not raised."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dldoctor.engine import UNKNOWN, Question
from dldoctor.errors import InputError
from dldoctor.probes.base import Finding, Inputs, ProbeContext
from dldoctor.session import Done, Session
from tests.kbfactory import A_SPLITS_C, make_kb

RULES = A_SPLITS_C


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session(make_kb(tmp_path, RULES))


def test_a_conversation_reaches_a_diagnosis(session: Session) -> None:
    session.answer("c", "yes")
    step = session.next_step()
    assert isinstance(step, Question) and step.fact == "a"
    session.answer("a", "n")
    assert isinstance(session.next_step(), Done)
    report = session.report()
    assert [d.cause for d in report.diagnoses] == ["c2"]
    assert report.diagnoses[0].rules == ["c_and_not_a"]
    assert any("user" in e.text and e.weight > 0 for e in report.diagnoses[0].evidence)


def test_undo_takes_back_the_last_answer(session: Session) -> None:
    session.answer("c", "yes")
    session.answer("a", "no")
    assert session.engine.conclusions()
    undone = session.undo()
    assert undone is not None and undone.key == "a"
    assert not session.engine.conclusions()
    assert "a" not in session.engine.memory


def test_dont_know_is_a_value(session: Session) -> None:
    session.answer("c", "yes")
    session.answer("a", "?")
    assert session.engine.memory.get("a").value is UNKNOWN
    assert isinstance(session.next_step(), Done)


def test_save_and_resume_give_the_same_state(session: Session, tmp_path: Path) -> None:
    session.answer("c", "yes")
    session.answer("a", "don't know")
    session.set_fact("n", "1e-3")
    path = tmp_path / "s.json"
    session.save(path)
    again = Session.load(session.kb, path)
    assert again.to_json() == session.to_json()
    assert again.engine.memory.get("n").value == pytest.approx(1e-3)
    assert json.loads(path.read_text())["schema"] == "dldoctor.session/1"


def test_a_broken_session_file_is_one_clear_error(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("{not json")
    with pytest.raises(InputError, match="s.json: not a readable session file"):
        Session.load(session.kb, path)


def test_bad_values_for_set_name_the_fact(session: Session) -> None:
    with pytest.raises(InputError, match="n: 'n' needs a number"):
        session.set_fact("n", "lots")
    with pytest.raises(InputError, match="unknown fact 'zzz'"):
        session.set_fact("zzz", "1")


def test_answers_file(session: Session, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("c: yes\na: no\n")
    session.load_answers(answers)
    assert [d.cause for d in session.report().diagnoses] == ["c2"]
    answers.write_text("c: maybe\n")
    with pytest.raises(InputError, match="answers.yaml:1: c: answer yes or no"):
        session.load_answers(answers)


def test_a_failing_probe_is_recorded_not_raised(session: Session) -> None:
    def broken(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
        raise RuntimeError("boom")

    run = session.run_probe("log.curves", runner=broken)
    assert run.error == "RuntimeError: boom"
    assert "log.curves" in session.probe_runs
    assert "probe log.curves failed: RuntimeError: boom" in session.report().notes


def test_probe_findings_become_facts_with_their_source(session: Session) -> None:
    def fake(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
        return [Finding("c", True, "seen in the log"), Finding("not.in.kb", 1)]

    run = session.run_probe("log.curves", runner=fake)
    fact = session.engine.memory.get("c")
    assert fact.source == "probe:log.curves" and fact.evidence == "seen in the log"
    assert run.notes == ["facts not in the knowledge base: not.in.kb"]
