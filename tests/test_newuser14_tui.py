"""What the fourteenth new user met in the chat at 80×24: "why?" typed after the diagnosis
was taken as a new complaint ("I could not match that to a symptom I know"); and a message
typed after switching to Chinese seemed lost (not reproduced here: what was said before and
after the switch stays in the transcript and is answered)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.kbpaths import load_knowledge
from dldoctor.session import Session
from dldoctor.tui.app import make_app
from dldoctor.tui.i18n import t
from dldoctor.tui.widgets.message import DoctorMessage, UserMessage
from tests.test_newuser10_tui import _diverging_run, _settle
from tests.test_newuser11_tui import _report


async def test_why_after_the_diagnosis_explains_it_and_a_language_switch_keeps_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(load_knowledge(), _diverging_run(tmp_path), max_questions=3)
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        first = (await _report(app, pilot))[0]
        await pilot.press(*"why?", "enter")
        await _settle(app, pilot)
        said = [m.source for m in app.chat.query(DoctorMessage)][-1]
        assert said.startswith(t("en", "how_title", title=first.diagnosis.title)), said[:120]
        await pilot.press("ctrl+l")
        for _ in range(5):
            await _settle(app, pilot)
        await pilot.press(*"accuracy stuck at 25%", "enter")
        for _ in range(10):
            await _settle(app, pilot)
        users = [m.source for m in app.chat.query(UserMessage)]
        assert "why?" in users and any("25%" in u for u in users), users
        assert any(a.kind == "symptom" for a in app.session.answers)


async def test_a_question_about_a_cause_with_files_attached_points_at_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new user (stop 80), checkpoint and log attached, asked "is my learning rate too
    high?" and was told to attach the files so they could be checked."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(load_knowledge(), _diverging_run(tmp_path), max_questions=3)
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _report(app, pilot)
        await pilot.press(*"is my learning rate too high?", "enter")
        await _settle(app, pilot)
        said = [m.source for m in app.chat.query(DoctorMessage)][-1]
        assert "files you attached" in said and "ctrl+o" not in said, said
