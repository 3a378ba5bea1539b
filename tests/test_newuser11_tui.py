"""What the eleventh new user met in the chat at 80×24: PageUp/PageDown did nothing while the
cursor was in the composer, so a long conclusion could not be read; and ``h`` while reading
the second diagnosis card explained the first (the focus had stayed on it when the page
moved)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.kbpaths import load_knowledge
from dldoctor.session import Session
from dldoctor.tui.app import make_app
from dldoctor.tui.i18n import t
from dldoctor.tui.widgets.composer import Composer
from dldoctor.tui.widgets.diagnosis import DiagnosisCard
from dldoctor.tui.widgets.message import DoctorMessage
from tests.test_newuser10_tui import _diverging_run, _settle


async def _report(app, pilot) -> list[DiagnosisCard]:  # noqa: ANN001 - Textual's pilot
    cards: list[DiagnosisCard] = []
    for _ in range(100):  # the checks run one after another, then the diagnosis
        await _settle(app, pilot)
        cards = [c for c in app.chat.query(DiagnosisCard) if not c.has_class("-stale")]
        if cards:
            break
    assert cards, "no diagnosis"
    return cards


async def test_page_keys_scroll_the_transcript_from_the_composer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(load_knowledge(), _diverging_run(tmp_path), max_questions=3)
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _report(app, pilot)
        app.chat.query_one(Composer).focus()
        transcript = app.chat.transcript
        transcript.scroll_end(animate=False)
        await pilot.pause(0.2)
        bottom = transcript.scroll_y
        assert bottom > 0, "the conclusion fits the screen: nothing to page through"
        await pilot.press("pageup")
        await pilot.pause(0.2)
        up = transcript.scroll_y
        assert up < bottom
        await pilot.press("pagedown")
        await pilot.pause(0.2)
        assert transcript.scroll_y > up
        assert app.focused is app.chat.query_one(Composer)  # the cursor stays in the line


async def test_h_explains_the_card_in_view_not_the_one_left_focused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(load_knowledge(), _diverging_run(tmp_path), max_questions=3)
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        first = (await _report(app, pilot))[0]
        # a second card, as a report with two diagnoses shows it, below the first
        other = next(d for d in app.session.report().diagnoses
                     if d.cause != first.diagnosis.cause)
        second = DiagnosisCard(other, 2, "en")
        await app.chat.transcript.mount(second, after=first)
        await pilot.pause(0.2)
        first.focus()
        second.scroll_visible(animate=False, top=True)  # paged down to the second card
        await pilot.pause(0.3)
        await pilot.press("h")
        await _settle(app, pilot)
        said = [m.source for m in app.chat.query(DoctorMessage)][-1]
        assert said.startswith(t("en", "how_title", title=other.title)), said[:120]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_complaint_that_matches_nothing_gets_the_nearest_symptoms_offered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """The fallback listed the first eight symptoms of the rule files (backward() fails,
    four NaN variants …) for "val accuracy is basically random, but I do shuffle my data
    every epoch"; the nearest ones come first now."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(load_knowledge(), lang=lang)  # type: ignore[arg-type]
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    words = "val accuracy is basically random, but I do shuffle my data every epoch"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*words)
        await pilot.press("enter")
        await _settle(app, pilot)
        said = [m.source for m in app.chat.query(DoctorMessage)]
        offer = next(s for s in said if s.startswith(t(lang, "no_match")))
        chance = app.session.symptom_title("acc_chance")
        # accuracy at chance and one class predicted share as many of its words (weighed by
        # rarity, 6.75 against 6.77 since stop 71's phrases): both lead the list
        assert f"- {chance}" in offer.splitlines()[2:4], offer
