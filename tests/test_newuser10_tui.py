"""What a tenth new user met in the chat: the command palette (ctrl+p) listed "Why is this
question asked?" and "How was the top diagnosis reached?", and choosing either did nothing
(the screen had lost both actions); and opening the chat (``dldoctor --lang zh``) and quitting
at once overwrote the last session's autosave with an empty one, so the next start had nothing
to offer."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import torch
from torch import nn

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs
from dldoctor.session import Session
from dldoctor.tui.app import DldoctorApp, make_app
from dldoctor.tui.autosave import peek_autosave
from dldoctor.tui.i18n import t
from dldoctor.tui.screens.confirm import ConfirmScreen
from dldoctor.tui.texts import why_card_markdown
from dldoctor.tui.widgets.diagnosis import DiagnosisCard
from dldoctor.tui.widgets.message import DoctorMessage
from dldoctor.tui.widgets.question import QuestionCard
from dldoctor.tui.widgets.symptom_choice import SymptomChoice


async def _settle(app: DldoctorApp, pilot) -> None:  # noqa: ANN001 - Textual's pilot
    """Wait for the probe workers (one the app cancels is done too) and a repaint."""
    from textual.worker import WorkerCancelled

    for _ in range(200):
        ours = [w for w in app.workers if w.group in ("probe", "reload", "plot")]
        try:
            if ours:  # an empty list would mean every worker
                await app.workers.wait_for_complete(ours)
        except WorkerCancelled:
            pass
        await pilot.pause(0.05)
        if not app.chat.probe_running:
            return


def _diverging_run(folder: Path) -> Inputs:
    """A run whose loss climbs and turns NaN with SGD at lr 0.5: a checkpoint (model and
    optimizer state) and a CSV log with a user's own column names."""
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
    opt = torch.optim.SGD(net.parameters(), lr=0.5, momentum=0.9)
    net(torch.randn(8, 6)).sum().backward()
    opt.step()
    torch.save({"model": net.state_dict(), "optimizer": opt.state_dict()}, folder / "ckpt.pt")
    with open(folder / "metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["iteration", "trn_loss"])
        for step in range(1, 41):
            w.writerow([step, 1.1 * 1.6 ** step if step < 30 else float("nan")])
    return Inputs(checkpoint=folder / "ckpt.pt", logs=(folder / "metrics.csv",), device="cpu")


async def _palette(app: DldoctorApp, pilot, title: str) -> None:  # noqa: ANN001
    """Choose a command as a person does: ctrl+p, type its name, enter."""
    await pilot.press("ctrl+p")
    await pilot.pause(0.2)
    await pilot.press(*title)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await _settle(app, pilot)


def _doctor_texts(app: DldoctorApp) -> list[str]:
    return [m.source for m in app.chat.query(DoctorMessage)]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_palettes_how_explains_the_top_diagnosis(
        tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(load_knowledge(), _diverging_run(tmp_path), lang=lang,  # type: ignore[arg-type]
                      max_questions=3)
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        cards: list[DiagnosisCard] = []
        for _ in range(100):  # the checks run one after another, then the diagnosis
            await _settle(app, pilot)
            cards = [c for c in app.chat.query(DiagnosisCard) if not c.has_class("-stale")]
            if cards:
                break
        assert cards, "no diagnosis to explain"
        top = cards[0].diagnosis.cause
        await _palette(app, pilot, t(lang, "cmd.how")[:12])
        said = _doctor_texts(app)[-1]
        assert said.startswith(t(lang, "how_title", title=app.session.cause_title(top))), said
        steps = app.session.how(top)
        # each rule in words: its reasoning and the facts it read (ids are for `kb explain`)
        assert steps and all(step.because in said for step in steps)
        assert all(app.session.fact_text(f) in said for step in steps for f, _, _ in step.facts)


@pytest.mark.parametrize(("lang", "complaint"), [("en", "my loss turns into nan"),
                                                 ("zh", "loss 变成 nan")])
async def test_the_palettes_why_explains_the_waiting_question(
        tmp_path: Path, lang: str, complaint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = make_app(Session(load_knowledge(), lang=lang), offer_resume=False,  # type: ignore[arg-type]
                   start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*complaint)
        await pilot.press("enter")
        card = None
        for _ in range(50):
            await _settle(app, pilot)
            card = app.chat.pending
            if isinstance(card, QuestionCard):
                break
            if isinstance(card, SymptomChoice):  # which of these did you mean: the first
                await pilot.press("1")
        assert isinstance(card, QuestionCard) and not card.resolved, "no question was asked"
        before = len(_doctor_texts(app))
        await _palette(app, pilot, t(lang, "cmd.why")[:12])
        said = _doctor_texts(app)[before:]
        assert said == [why_card_markdown(app.session, card.fact)], said
        assert app.chat.pending is card and not card.resolved  # still waiting for its answer


async def test_the_palettes_how_before_any_diagnosis_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = make_app(Session(load_knowledge()), offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown: list[str] = []
        app.notify = lambda message, **_: shown.append(str(message))  # type: ignore[method-assign]
        await _palette(app, pilot, "How was the top")
        await _palette(app, pilot, "Why is this")
    assert shown == [t("en", "how_none_pending"), t("en", "why_none")], shown


def _saved(tmp_path: Path) -> Path:
    """The autosave of a chat where something was said and a log attached."""
    kb = load_knowledge()
    inputs = _diverging_run(tmp_path)
    earlier = Session(kb, inputs)
    earlier.complain("loss is nan")
    autosave = tmp_path / "autosave.json"
    earlier.save(autosave)
    return autosave


def _offering(tmp_path: Path, autosave: Path) -> DldoctorApp:
    """A plain start beside ``autosave``: it offers to resume it."""
    return make_app(Session(load_knowledge()), offer_resume=True, autosave_file=autosave,
                    start_dir=tmp_path)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_opening_the_chat_and_quitting_keeps_the_last_sessions_autosave(
        tmp_path: Path, lang: str) -> None:
    """`dldoctor --lang zh`, then ctrl+q: the autosave of the real session was replaced by an
    empty one (nothing said, nothing attached), and the next `dldoctor` offered nothing."""
    autosave = _saved(tmp_path)
    app = make_app(Session(load_knowledge(), lang=lang), offer_resume=False,  # type: ignore[arg-type]
                   autosave_file=autosave, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l")  # switching the language is no reason to overwrite it
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    info = peek_autosave(autosave)
    assert info is not None and info.answers >= 1 and info.inputs == 2, info
    # and the next plain start still offers it
    offered = _offering(tmp_path, autosave)
    async with offered.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(offered.screen, ConfirmScreen)


async def test_declining_the_offer_or_saying_something_still_saves(tmp_path: Path) -> None:
    autosave = _saved(tmp_path)
    declined = _offering(tmp_path, autosave)
    async with declined.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(declined.screen, ConfirmScreen)
        await pilot.press("n")  # a fresh start, as asked: it replaces the old one
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert peek_autosave(autosave) is None

    talked = make_app(Session(load_knowledge()), offer_resume=False, autosave_file=autosave,
                      start_dir=tmp_path)
    async with talked.run_test(size=(80, 24)) as pilot:
        talked.session.complain("loss is nan")
        talked.autosave()
    info = peek_autosave(autosave)
    assert info is not None and info.answers >= 1


async def test_typing_a_complaint_over_the_resume_offer_starts_afresh(tmp_path: Path) -> None:
    """A new user typed "my loss …" as the chat opened over the offer to resume: the "y" of
    "my" resumed the last session and the rest was lost. A letter other than y/n declines
    and goes to the composer with everything after it."""
    from dldoctor.tui.widgets.composer import Composer

    autosave = _saved(tmp_path)
    app = _offering(tmp_path, autosave)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press(*"my loss")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert app.chat.query_one(Composer).value == "my loss"
        assert app.session.is_blank()
