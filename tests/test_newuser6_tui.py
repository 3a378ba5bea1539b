"""What a sixth new user, in a hurry, met in the chat: a pasted 40-line traceback kept only
its first line ("Traceback (most recent call last):", matched to nothing); a close call
("which of these do you mean?") answered with "the first one", or passed over with a new
complaint, left the conversation waiting for a pick that had scrolled away (no question came);
"what does that mean?" typed on a question showed why it is asked ("w") but left
"hat does that mean?" in the composer, where enter did nothing; and the letters typed while
an answer key's answer was on its way were dropped ("no, never" left " never", which then
answered the next question); a folder typed as the report's path asked to overwrite ".";
the keys panel did not close with escape; and esc on a check that could not stop seemed to do
nothing, its cancel button off an 80-column screen; a complaint sent while a check ran was
cleared and lost; "sure" typed on a yes/no question skipped it ("s") and left "ure".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import HelpPanel, Input, Label

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs, ProbeContext
from dldoctor.session import Session
from dldoctor.tui.app import DldoctorApp, make_app
from dldoctor.tui.screens.chat import ChatScreen
from dldoctor.tui.widgets.composer import Composer
from dldoctor.tui.widgets.message import DoctorMessage, NoticeMessage, UserMessage
from dldoctor.tui.widgets.probe_status import ProbeStatus
from dldoctor.tui.widgets.question import QuestionCard
from dldoctor.tui.widgets.symptom_choice import SymptomChoice
from tests.support import write_csv_log

TRACEBACK = "\n".join([
    "Traceback (most recent call last):",
    '  File "train.py", line 211, in <module>',
    "    main()",
    *[f'  File "train.py", line {i}, in step' for i in range(100, 130)],
    "    return torch._C._nn.cross_entropy_loss(",
    "../aten/src/ATen/native/cuda/Loss.cu:250: nll_loss_forward_reduce_cuda_kernel_2d: "
    "Assertion `t >= 0 && t < n_classes` failed.",
    "RuntimeError: CUDA error: device-side assert triggered",
])
CLOSE_CALL = "my loss is stuck"  # flat from the start, or a plateau later: a close call


def _app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DldoctorApp:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return make_app(Session(load_knowledge(), lang="en"), offer_resume=False,
                    start_dir=tmp_path)


async def _send(app: DldoctorApp, pilot: object, text: str) -> None:
    """Type ``text`` into the composer (all at once: typing is tested elsewhere) and send it."""
    composer = app.chat.query_one("#composer", Composer)
    composer.focus()
    composer.value = text
    await pilot.press("enter")  # type: ignore[attr-defined]
    await _settle(pilot)


async def _settle(pilot: object) -> None:
    for _ in range(4):
        await pilot.pause()  # type: ignore[attr-defined]


def _symptoms(app: DldoctorApp) -> list[str]:
    return [a.key for a in app.session.answers if a.kind == "symptom"]


async def test_a_pasted_traceback_is_read_to_its_last_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _app(tmp_path, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        app.chat.focus()  # pasted while no input has the focus: it goes to the composer
        app.chat.post_message(events.Paste(TRACEBACK))
        await _settle(pilot)
        composer = app.chat.query_one("#composer", Composer)
        assert composer.has_focus
        assert composer.value.startswith("Traceback") and composer.value.endswith("triggered")
        await pilot.press("enter")
        await _settle(pilot)
        assert _symptoms(app) == ["target_out_of_bounds"]
        [said] = [m for m in app.chat.query(UserMessage)]
        assert said.said == "\n".join(line.strip() for line in TRACEBACK.splitlines())
        shown = said.source
        assert "(+" in shown and "device\\-side assert triggered" in shown
        assert shown.count("\n") == 3 + 1 + 6 - 1  # its first lines, the cut, its last


async def test_a_close_call_gives_way_to_a_new_complaint_and_takes_words(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _app(tmp_path, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await _send(app, pilot, CLOSE_CALL)
        stale = app.chat.pending
        assert isinstance(stale, SymptomChoice)
        await _send(app, pilot, "zzz qqq")  # matches nothing: the pick still waits
        assert app.chat.pending is stale and not stale.resolved
        await _send(app, pilot, "the training loss goes up")
        assert stale.resolved and isinstance(app.chat.pending, QuestionCard)

        await app.chat.complain(CLOSE_CALL)  # the same close call again: a pick in words
        await _settle(pilot)
        choice = app.chat.pending
        assert isinstance(choice, SymptomChoice) and choice is not stale
        await _send(app, pilot, "both")
        both = {m.symptom for m in choice.matches}
        assert choice.resolved and both <= set(_symptoms(app))
        said = list(app.chat.query(UserMessage))[-1].said
        assert all(app.session.symptom_title(s) in said for s in both)  # not the first alone
        assert isinstance(app.chat.pending, QuestionCard)
    assert Session.choice_numbers("the first one", 2) == [1]
    assert Session.choice_numbers("第二个", 2) == [2]


async def test_what_does_that_mean_typed_on_a_question_leaves_nothing_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _app(tmp_path, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await app.chat.complain("the training loss goes up")
        await _settle(pilot)
        card = app.chat.pending
        assert isinstance(card, QuestionCard) and card.has_focus_within
        said = len(app.chat.query(UserMessage))
        for key in "what does that mean?":
            await pilot.press({" ": "space", "?": "question_mark"}.get(key, key))
        await _settle(pilot)
        composer = app.chat.query_one("#composer", Composer)
        assert composer.value == "hat does that mean?" and composer.has_focus
        assert list(app.chat.query(DoctorMessage))[-1].border_subtitle == "Why I ask"
        await pilot.press("enter")
        await _settle(pilot)
        assert composer.value == ""
        assert len(app.chat.query(UserMessage)) == said  # no stray complaint
        assert app.chat.pending is card and not card.resolved and card.has_focus_within


async def test_keys_typed_while_an_answer_is_on_its_way_are_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _app(tmp_path, monkeypatch)
    app.session.complain("the training loss goes up")
    app.session.set_fact("setup.loss_kind", "mse")  # the next question is a yes/no one
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        card = app.chat.pending
        assert isinstance(card, QuestionCard) and card.spec.type == "bool"
        card.sent = True  # "n" pressed: its answer is posted, not yet taken
        await pilot.press(*"o", "comma", "space", *"never")
        composer = app.chat.query_one("#composer", Composer)
        assert composer.value == "o, never" and composer.has_focus
        assert not card.resolved and app.session.answers[-1].kind == "symptom"  # no key ran


async def test_sure_typed_on_a_question_answers_it_though_s_skipped_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _app(tmp_path, monkeypatch)
    app.session.complain("the training loss goes up")
    app.session.set_fact("setup.loss_kind", "mse")  # the next question is a yes/no one ...
    app.session.set_fact("loop.backwards_per_step", 1)  # ... and so is the one after it
    app.session.set_fact("loss.negative", "no")  # (a "yes" to it would settle the diagnosis)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        card = app.chat.pending
        assert isinstance(card, QuestionCard) and card.spec.type == "bool"
        await pilot.press("s")  # the key skips at once ...
        await _settle(pilot)
        assert card.fact in app.session.skipped
        await pilot.press(*"ure", "enter")  # ... but the person was writing "sure"
        await _settle(pilot)
        assert card.fact not in app.session.skipped
        assert [(a.key, a.raw) for a in app.session.answers if a.kind == "fact"] == [
            (card.fact, "yes")]
        assert app.chat.query_one("#composer", Composer).value == ""
        assert isinstance(app.chat.pending, QuestionCard) and app.chat.pending is not card


async def test_a_folder_given_to_export_gets_the_report_and_esc_closes_the_keys(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _app(tmp_path, monkeypatch)
    app.session.complain("the training loss goes up")
    out = tmp_path / "reports"
    out.mkdir()
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("ctrl+r")
        await _settle(pilot)
        box = app.screen.query_one("#path", Input)
        box.value = str(out)  # the folder, not a file in it: it had asked to overwrite "."
        await pilot.press("enter")
        await _settle(pilot)
        assert app.screen is app.chat  # no "exists. Overwrite it?"
        assert (out / "dldoctor-report.md").read_text("utf-8").startswith("# dldoctor report")

        await pilot.press("f1")  # as the palette's "Keys" opens it
        await _settle(pilot)
        assert app.screen.query(HelpPanel)
        await pilot.press("escape")  # it had stayed until "Keys" was chosen again
        await _settle(pilot)
        assert not app.screen.query(HelpPanel)
        await pilot.press("f1", "f1")
        await _settle(pilot)
        assert not app.screen.query(HelpPanel)


async def test_esc_on_a_check_that_cannot_stop_pauses_the_next_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    log = write_csv_log(tmp_path / "run.csv", {"step": [float(i) for i in range(40)],
                                               "loss": [2.3 - 0.01 * i for i in range(40)]})
    started: list[tuple[str, ProbeContext]] = []
    # the check runs here, in the test, when the test says: esc comes while it "runs"
    monkeypatch.setattr(ChatScreen, "_run_probe",
                        lambda self, session, probe, ctx: started.append((probe, ctx)))
    app = make_app(Session(load_knowledge(), Inputs(logs=(log,)), lang="en"),
                   offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        [(probe, ctx)] = started
        status = app.chat.query_one(ProbeStatus)
        cancel = status.query_one("#probe-cancel")
        assert cancel.region.right <= 80  # on screen beside a long title (it was at 83-99)
        title = status.query_one("#probe-title", Label)  # a row of its own: not cut at 80
        assert title.region.width >= len(str(title.content)) > 20, str(title.content)
        composer = app.chat.query_one("#composer", Composer)
        await _send(app, pilot, "loss is nan")  # typed while it runs: kept, not lost
        assert composer.value == "loss is nan" and not app.session.answers
        await pilot.press("escape")
        assert ctx.cancelled.is_set()
        # ... but the check had passed its last look at the request: it finishes
        run = app.session.run_probe(probe, ProbeContext())
        assert run.error is None and run.findings
        app.chat.post_message(ChatScreen.ProbeFinished(run))
        await _settle(pilot)
        assert len(started) == 1 and app.chat.probes_paused  # no next check
        notes = [m.source for m in app.chat.query(NoticeMessage)]
        assert any("had finished when you pressed esc" in n for n in notes)
