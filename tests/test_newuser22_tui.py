"""What the twenty-second new user met in the chat at 80×24: after each message the view
jumped to the top of the new diagnosis card, so the reply to what they had just typed was
off screen above it. The view now starts at their message, the reply right below it, while
the card keeps the focus (its keys still act)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.kbpaths import load_knowledge
from dldoctor.session import Session
from dldoctor.tui.app import make_app
from dldoctor.tui.widgets.diagnosis import DiagnosisCard
from dldoctor.tui.widgets.message import UserMessage
from tests.test_newuser10_tui import _diverging_run, _settle
from tests.test_newuser11_tui import _report


async def test_a_message_after_a_report_stays_in_view_with_its_reply(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(load_knowledge(), _diverging_run(tmp_path), max_questions=0)
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _report(app, pilot)
        await pilot.press(*"I call scheduler.step() after every optimizer step", "enter")
        await _settle(app, pilot)
        await pilot.pause(0.2)
        said = [m for m in app.chat.query(UserMessage)][-1]
        transcript = app.chat.transcript
        # the view starts at the message, or as near as the end of the transcript allows
        wanted = min(said.virtual_region.y, transcript.max_scroll_y)
        assert transcript.scroll_offset.y == wanted, (said.virtual_region, transcript.scroll_offset)
        assert said.virtual_region.y + said.outer_size.height > transcript.scroll_offset.y
        assert isinstance(app.focused, DiagnosisCard)  # the card's keys still act
