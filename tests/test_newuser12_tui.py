"""The twelfth new user in the chat: after a reply that matched nothing while a question
waited, the card still showed "s Skip" but ``s`` typed an "s" into the composer (the focus
had stayed there), which was then read as a new complaint. The card takes the focus back."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.session import Session
from dldoctor.tui.app import make_app
from dldoctor.tui.widgets.composer import Composer
from dldoctor.tui.widgets.question import QuestionCard
from tests.chat_kb import chat_kb


async def _settle(pilot: object) -> None:
    for _ in range(4):
        await pilot.pause()  # type: ignore[attr-defined]


async def test_a_question_keeps_its_keys_after_a_reply_that_matched_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(chat_kb(tmp_path), lang="en")  # type: ignore[arg-type]
    session.set_fact("c", "yes")  # questions left: a (yes/no), then k (a choice)
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        card = app.chat.pending
        assert isinstance(card, QuestionCard) and card.fact == "a"
        app.chat.query_one(Composer).focus()
        await pilot.press(*"qwzx vbnm", "enter")  # nothing a symptom or an answer
        await _settle(pilot)
        assert app.chat.pending is card and not card.resolved
        await pilot.press("s")  # the card's skip key, not a letter for the composer
        await _settle(pilot)
        assert "a" in app.session.skipped, app.chat.query_one(Composer).value
        assert app.chat.query_one(Composer).value == ""
