"""What the twentieth new user met: a negation was read as the thing it denied ("I'm not using
fp16" became "the loss became NaN", 没有变成 nan too), and a yes/no question was taken as an
observation ("is my scheduler stepped every batch?" made a 59 % diagnosis from no file)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dldoctor.engine.symptoms import match_symptoms, split_questions, terms
from dldoctor.kbpaths import load_knowledge
from dldoctor.session import Session
from dldoctor.tui.app import make_app
from dldoctor.tui.i18n import t
from dldoctor.tui.widgets.message import DoctorMessage
from tests.test_newuser10_tui import _settle


@pytest.mark.parametrize("text", [
    "I'm not using fp16", "the loss is not nan", "loss没有变成nan", "the loss never became nan",
    "I did not use mixed precision"])
def test_a_denial_is_not_the_symptom_it_denies(text: str) -> None:
    found = {m.symptom for m in match_symptoms(load_knowledge(), text)}
    assert not found & {"loss_nan", "fp16_nan", "loss_nan_at_start"}, found


@pytest.mark.parametrize(("text", "symptom"), [
    ("the loss is nan", "loss_nan"), ("loss does not decrease", "loss_flat"),
    ("loss不下降", "loss_flat"), ("the loss does not go down but accuracy rises", "loss_flat")])
def test_what_is_said_is_still_read(text: str, symptom: str) -> None:
    assert match_symptoms(load_knowledge(), text)[0].symptom == symptom


def test_a_negated_light_verb_hands_its_negation_to_its_object() -> None:
    assert {"!becam", "!nan"} <= terms("the loss never became nan")
    assert {"!using", "!fp"} <= terms("I'm not using fp16")
    assert "!nan" in terms("loss没有变成nan")
    assert "!nan" not in terms("the loss does not go down and it is nan")  # the object only


def test_what_is_both_said_and_denied_or_only_expected_is_no_denial() -> None:
    assert "!finetun" not in terms("微调后效果反而比不微调还差")  # worse than not fine-tuning
    assert not any(t[0] == "!" for t in terms("it should never go below zero"))
    assert "!start" not in terms("还没开始更新 loss 就已经是 nan")  # before it started


@pytest.mark.parametrize(("text", "kept", "asked"), [
    ("is my scheduler stepped every batch?", "", ["is my scheduler stepped every batch?"]),
    ("the loss explodes, is it the learning rate?", "the loss explodes",
     ["is it the learning rate?"]),
    ("我是不是每个 batch 都调用了 scheduler.step()？", "",
     ["我是不是每个 batch 都调用了 scheduler.step()？"]),
    ("why is my loss nan?", "why is my loss nan?", []),
    ("为什么 loss 是 nan？", "为什么 loss 是 nan？", []),
    ("loss nan?", "loss nan?", [])])
def test_yes_no_questions_are_told_apart(text: str, kept: str, asked: list[str]) -> None:
    assert split_questions(text) == (kept, asked)


def test_a_question_is_no_evidence_but_is_said_back() -> None:
    session = Session(load_knowledge())
    session.complain("the loss explodes, is my lr too high?")
    assert [a.kind for a in session.answers] == ["symptom"]  # the explosion, not the question
    report = session.report()
    assert any("is my lr too high?" in str(n) for n in report.notes)
    assert not any(d.cause == "lr_too_high" and d.confidence >= 0.5 for d in report.diagnoses)


def test_the_cli_exits_2_on_a_question_alone(tmp_path: Path) -> None:
    done = subprocess.run(
        [shutil.which("diagnose") or "diagnose", "--no-input", "--symptom",
         "is my scheduler stepped every batch?"],
        capture_output=True, text=True, cwd=tmp_path, check=False, timeout=300,
        stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert "yes/no question is a suspicion" in done.stderr.splitlines()[-1]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_chat_says_a_question_is_no_evidence(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(load_knowledge(), lang=lang)  # type: ignore[arg-type]
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    words = "is my scheduler stepped every batch?"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*words)
        await pilot.press("enter")
        await _settle(app, pilot)
        said = [m.source for m in app.chat.query(DoctorMessage)]
        assert any(s == t(lang, "asked", question=words) for s in said), said[-1][:200]
        assert not any(s.startswith(t(lang, "no_match")) for s in said)
        assert app.session.answers == []


def _measured_flat_regressor() -> Session:
    from dldoctor.probes.base import Finding
    from dldoctor.session import ProbeRun

    session = Session(load_knowledge())
    session.probe_runs["live.forward"] = ProbeRun("live.forward", [
        Finding("output.target_std_ratio", 0.0106, "predictions vary with std 0.003"),
        Finding("batch.shape_mismatch", True, "output (256, 1) vs float targets (256,)")])
    session._replay()
    return session


def test_words_give_way_to_what_the_rules_derive_from_measurements() -> None:
    """User 20 described what the probe had measured ("predicts the mean for every key"): the
    quote stood in for the measurement and the diagnosis fell from 86 % to 81 %."""
    measured = _measured_flat_regressor()
    before = measured.engine.cause_cf("shape_or_dtype_bug")
    measured.complain("the regressor predicts the mean position for every key")
    fact = measured.engine.memory.get("obs.predicts_target_mean")
    assert fact is not None and fact.origin == "inferred"  # from the measured spread
    assert measured.engine.cause_cf("shape_or_dtype_bug") >= before
    assert measured.conflicts == []


def test_words_that_contradict_a_derived_measurement_are_a_conflict() -> None:
    from dldoctor.probes.base import Finding
    from dldoctor.session import ProbeRun

    session = Session(load_knowledge())
    session.probe_runs["live.forward"] = ProbeRun("live.forward", [
        Finding("output.target_std_ratio", 0.9, "predictions vary as the targets do")])
    session._replay()
    session.complain("the regressor predicts the mean position for every key")
    assert [c.fact for c in session.conflicts] == ["obs.predicts_target_mean"]
    assert session.engine.memory.get("obs.predicts_target_mean").value is False
