"""The chat as a person meets it: every choice visible, Conclude now, code copied whole,
no overwrite without asking, dialogs with their own keys, Chinese throughout."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button, Markdown

from dldoctor.session import Session
from dldoctor.tui.app import DldoctorApp, make_app
from dldoctor.tui.screens.confirm import ConfirmScreen
from dldoctor.tui.widgets.diagnosis import DiagnosisCard
from dldoctor.tui.widgets.question import QuestionCard
from tests.chat_kb import SNIPPET, chat_kb

SMALL = (80, 24)


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


def _app(tmp_path: Path, lang: str = "en", a: str = "no") -> DldoctorApp:
    session = Session(chat_kb(tmp_path), lang=lang)  # type: ignore[arg-type]
    session.set_fact("c", "yes")
    session.set_fact("a", a)  # "no": k is the one question left
    return make_app(session, offer_resume=False, start_dir=tmp_path)


async def test_seven_choices_all_visible_at_80_columns(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        card = app.chat.pending
        assert isinstance(card, QuestionCard) and card.fact == "k"
        screen = app.screen.region
        buttons = [b for b in card.query(Button) if (b.id or "").startswith("choice-")]
        assert len(buttons) == 7
        for button in buttons:  # whole, inside the screen, label not cut
            region = button.region
            assert region.width > 0 and screen.contains_region(region), button.id
            assert region.width >= len(str(button.label)), button.label
        await pilot.press("3")
        await pilot.pause()
        assert app.session.engine.memory.get("k").value == "big"  # type: ignore[union-attr]


async def test_conclude_now_shows_the_diagnosis_and_more_information_goes_on(
        tmp_path: Path) -> None:
    app = _app(tmp_path, a="yes")  # what the person knows already points at c2
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.chat.pending, QuestionCard)  # k could still change the ranking
        await pilot.press("ctrl+g")
        await pilot.pause()
        cards = list(app.chat.query(DiagnosisCard))
        assert [c.diagnosis.cause for c in cards] == ["c2"]
        assert app.chat.pending is None  # no question waits after concluding
        await pilot.press("ctrl+g")  # again: the report above stands, it is not repeated
        await pilot.pause()
        assert len(app.chat.query(DiagnosisCard)) == 1
        assert any("already the conclusion" in str(n.message)
                   for n in app._notifications)  # noqa: SLF001
        await pilot.press("ctrl+n", "y")  # starting over: the questions come back
        await pilot.pause()
        assert not app.chat.concluded and isinstance(app.chat.pending, QuestionCard)


async def test_undo_after_concluding_takes_back_the_conclusion_not_an_answer(
        tmp_path: Path) -> None:
    """A new user concluded, then pressed undo as the note says ("undo, to go on"): it took
    back the answer before the question left open, and asked that one again."""
    app = _app(tmp_path, a="yes")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        answers = len(app.session.answers)
        asked = app.chat.pending
        assert isinstance(asked, QuestionCard)
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert app.chat.concluded and app.chat.pending is None
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert not app.chat.concluded and len(app.session.answers) == answers
        card = app.chat.pending
        assert isinstance(card, QuestionCard) and card.fact == asked.fact  # the one left open
        assert all(c.has_class("-stale") for c in app.chat.query(DiagnosisCard))


async def test_the_palette_concludes_and_speaks_chinese(tmp_path: Path) -> None:
    app = _app(tmp_path, lang="zh")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        shown = {b.description for _, b, _, _ in app.screen.active_bindings.values() if b.show}
        assert "退出" in shown and not shown & {"Quit", "Attach", "Conclude"}
        palette = app._bindings.key_to_bindings["ctrl+p"][0]  # noqa: SLF001
        assert palette.description == "命令"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"下结论", "enter")
        await pilot.pause()
        assert app.chat.concluded


async def test_code_is_copied_whole(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        card = app.chat.query_one(DiagnosisCard)
        card.focus()
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == SNIPPET + "\n"


async def test_export_asks_before_overwriting_and_the_dialog_has_its_own_keys(
        tmp_path: Path) -> None:
    target = tmp_path / "dldoctor-report.md"
    target.write_text("keep me", "utf-8")
    app = _app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("ctrl+r", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        shown = {b.description for _, b, _, _ in app.screen.active_bindings.values() if b.show}
        assert "Attach" not in shown and {"Yes", "No"} <= shown  # not the chat's keys
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text("utf-8") == "keep me"
        await pilot.press("ctrl+r", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    report = target.read_text("utf-8")
    assert report.startswith("# dldoctor report")
    assert "Which kind of k do you use? **A big k" in report  # the answer as given
    assert "None" not in report and "['" not in report


async def test_chinese_session_has_chinese_chrome(tmp_path: Path) -> None:
    app = _app(tmp_path, lang="zh")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        card = app.chat.pending
        assert isinstance(card, QuestionCard)
        labels = " ".join(str(b.label) for b in card.query(Button))
        assert "不知道" in labels and "Don't" not in labels
        await pilot.press("3")
        await pilot.pause()
        diagnosis = app.chat.query_one(DiagnosisCard)
        text = diagnosis.query_one(".sources", Markdown).source
        assert "《深度学习debug&调参技巧》" in text and ".txt#" not in text
        app.action_help_quit()  # ctrl+c: says how to quit, in Chinese
        await pilot.pause()
        assert any("退出" in str(n.message) for n in app._notifications)  # noqa: SLF001


async def test_a_notification_covers_neither_the_question_nor_the_composer(
        tmp_path: Path) -> None:
    """At 80×24 a toast at the bottom right sat over the answer buttons and the input line."""
    from textual.widgets._toast import Toast, ToastRack

    from dldoctor.tui.widgets.composer import Composer

    app = _app(tmp_path)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await pilot.pause()
        app.notify("Tell me what goes wrong first (or attach a file with ctrl+o).")
        await pilot.pause()
        rack = app.screen.get_child_by_type(ToastRack)
        toast = next(w for w in rack.walk_children() if isinstance(w, Toast)).region
        card = app.chat.pending
        assert isinstance(card, QuestionCard)
        for widget in (*card.query(Button), app.chat.query_one(Composer)):
            assert not toast.overlaps(widget.region), widget


async def test_a_language_switch_takes_the_old_languages_toasts_away(tmp_path: Path) -> None:
    """A Chinese toast stayed on screen after ctrl+l had switched the chat to English."""
    app = _app(tmp_path, lang="zh")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.action_help_quit()  # ctrl+c: a toast saying, in Chinese, how to quit
        await pilot.pause()
        assert any("退出" in str(n.message) for n in app._notifications)  # noqa: SLF001
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.session.lang == "en"
        assert not any("退出" in str(n.message) for n in app._notifications)  # noqa: SLF001
