"""What a fifth new user met in the chat: a house-price run's loss plot labelled with
13-column numbers (80072294400.0) that squeezed the curves, and a "why?" that listed every
rule reading the answer (several screens at 80x24) before the question came back, and a
trace from ``dldoctor.watch`` that could not be attached in the chat (and, given with
``chat --trace``, left the header saying "no files attached"), and "not sure" typed on a
yes/no question, whose "n" answered "no" before the rest of the word was typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App, ComposeResult

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs
from dldoctor.session import Session
from dldoctor.tui.app import DldoctorApp, make_app
from dldoctor.tui.screens.attach import AttachScreen, check_attachment, guess_kind
from dldoctor.tui.screens.confirm import ConfirmScreen
from dldoctor.tui.texts import WHY_RULES_SHOWN, findings_markdown, inputs_summary
from dldoctor.tui.widgets.composer import Composer
from dldoctor.tui.widgets.diagnosis import DiagnosisCard
from dldoctor.tui.widgets.loss_plot import LossPlot
from dldoctor.tui.widgets.message import DoctorMessage, UserMessage
from dldoctor.tui.widgets.path_input import PathInput, PathSuggester
from dldoctor.tui.widgets.question import QuestionCard
from tests.chat_kb import chat_kb
from tests.support import write_csv_log
from tests.support.loops import run_loop


class _PlotApp(App[None]):
    def __init__(self, log: Path) -> None:
        super().__init__()
        self.log_path = log

    def compose(self) -> ComposeResult:
        yield LossPlot([self.log_path], "loss")


def _shown(app: App[None]) -> str:
    svg = app.export_screenshot()
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)).replace("&#160;", " ")


async def test_large_losses_are_labelled_as_the_reports_write_numbers(tmp_path: Path) -> None:
    loss = [7.2e10 - 1.0e8 * i for i in range(60)]  # MSE on prices in dollars
    log = write_csv_log(tmp_path / "run.csv", {"step": [10.0 * i for i in range(60)],
                                               "loss": loss})
    app = _PlotApp(log)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one(LossPlot).display
        shown = _shown(app)
    assert "7.2e10┤" in shown and "6.61e10┤" in shown, shown
    assert not re.search(r"\d{8}", shown), shown  # no long runs of digits


async def test_small_losses_keep_their_plain_labels(tmp_path: Path) -> None:
    loss = [2.3 - 0.02 * i for i in range(50)]
    log = write_csv_log(tmp_path / "run.csv", {"step": [float(i) for i in range(50)],
                                               "loss": loss})
    app = _PlotApp(log)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = _shown(app)
    assert "2.3┤" in shown and "1.32┤" in shown, shown


async def test_why_lists_a_few_rules_and_names_the_command_for_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lang, more = "zh", "条规则用到这个回答"
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(load_knowledge(), lang=lang)  # type: ignore[arg-type]
    session.complain("my model's accuracy is stuck at 10% and the loss does not go down")
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        rules: list[str] = []
        for _ in range(6):  # "don't know" until a question many rules read (did it turn NaN?)
            await app.workers.wait_for_complete()
            await pilot.pause()
            card = app.chat.pending
            assert isinstance(card, QuestionCard)
            rules = [rule for rule, _ in session.why(card.fact).rules]
            if len(rules) > WHY_RULES_SHOWN:
                break
            await pilot.press("question_mark")
        assert len(rules) > WHY_RULES_SHOWN
        await pilot.press("w")
        await pilot.pause()
        why = list(app.chat.query(DoctorMessage))[-1]
        listed = [rule for rule in rules if f"`{rule}`" in why.source]
        assert len(listed) == WHY_RULES_SHOWN
        assert more in why.source and f"dldoctor kb explain {card.fact}" in why.source
        assert str(len(rules) - WHY_RULES_SHOWN) in why.source
        assert app.chat.pending is card and not card.resolved  # asked again below


async def test_a_trace_is_attached_from_the_chat_and_named_in_the_header(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    run_loop(tmp_path / "run.trace", "missing_zero_grad", steps=6)
    assert guess_kind("run.trace") == "trace"
    app = make_app(Session(load_knowledge(), lang="en"), offer_resume=False,
                   start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, AttachScreen)
        await pilot.press(*"run.trace", "enter")  # the kind is guessed from the name
        for _ in range(40):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if app.chat.query(DiagnosisCard):
                break
        assert app.session.inputs.trace == (tmp_path / "run.trace").resolve()
        assert app.sub_title == "trace run.trace"  # the header, not "no files attached"
        causes = [c.diagnosis.cause for c in app.chat.query(DiagnosisCard)]
        assert causes[:1] == ["missing_zero_grad"], causes


@pytest.mark.parametrize(("lang", "shown"), [("en", "trace run.trace"),
                                             ("zh", "训练轨迹 run.trace")])
def test_the_header_names_a_trace_given_on_the_command_line(lang: str, shown: str) -> None:
    summary = inputs_summary(Inputs(trace=Path("out/run.trace")), lang)
    assert summary == shown


@pytest.mark.parametrize(("lang", "says"), [("en", "a symbolic link that leads nowhere"),
                                            ("zh", "符号链接指向不存在的位置")])
def test_the_attach_dialog_names_a_symlink_loop(tmp_path: Path, lang: str, says: str) -> None:
    (tmp_path / "a.pt").symlink_to("b.pt")
    (tmp_path / "b.pt").symlink_to("a.pt")
    assert says in (check_attachment("checkpoint", "a.pt", tmp_path, lang) or "")
    assert "a.pt" in (check_attachment("checkpoint", "a.pt", tmp_path, lang) or "")


async def test_tab_completes_to_a_file_of_the_chosen_kind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    run = tmp_path / "house prices"
    run.mkdir()
    for name in ("batch.pt", "ckpt.pt", "model.py", "train log.csv"):
        (run / name).write_bytes(b"x")
    app = make_app(Session(load_knowledge(), lang="en"), offer_resume=False,
                   start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AttachScreen) and screen.kind == "checkpoint"
        await pilot.press(*"hou", "tab")  # the folder
        await pilot.pause()
        await pilot.press("tab")  # in it: the checkpoint, not batch.pt that sorts first
        await pilot.pause()
        box = screen.query_one("#path", PathInput)
        assert box.value == "house prices/ckpt.pt"
        suggester = box.suggester
        assert isinstance(suggester, PathSuggester)
        screen.kind = "batch"
        assert await suggester.get_suggestion("house prices/") == "house prices/batch.pt"
        screen.kind = "log"
        assert await suggester.get_suggestion("house prices/") == "house prices/train log.csv"


def _chat_app(tmp_path: Path) -> DldoctorApp:
    session = Session(chat_kb(tmp_path), lang="en")  # type: ignore[arg-type]
    session.set_fact("c", "yes")  # questions left: a (yes/no), then k (a choice)
    return make_app(session, offer_resume=False, start_dir=tmp_path)


async def _settle(pilot: object) -> None:
    for _ in range(4):
        await pilot.pause()  # type: ignore[attr-defined]


async def test_not_sure_typed_on_a_question_is_dont_know_not_no(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = _chat_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        assert isinstance(app.chat.pending, QuestionCard) and app.chat.pending.fact == "a"
        await pilot.press("n")  # the key answers at once ...
        await _settle(pilot)
        assert [(a.key, a.raw) for a in app.session.answers] == [("a", "no")]
        for key in "ot sure":  # ... but the person was writing "not sure"
            await pilot.press("space" if key == " " else key)
        await _settle(pilot)
        assert app.chat.query_one("#composer", Composer).value == "ot sure"
        await pilot.press("enter")
        await _settle(pilot)
        assert [(a.key, a.raw) for a in app.session.answers] == [("a", "?")]
        said = [m.source for m in app.chat.query(UserMessage)]
        assert said[-1] == "not sure" and "ot sure" not in said
        card = app.chat.pending
        assert isinstance(card, QuestionCard) and card.fact == "k" and not card.resolved


async def test_yes_typed_slowly_after_its_key_is_one_answer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = _chat_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        await pilot.press("y")
        await _settle(pilot)
        await pilot.press("e", "s", "enter")  # the rest of "yes", sent
        await _settle(pilot)
        assert [(a.key, a.raw) for a in app.session.answers] == [("a", "yes")]
        assert [m.source for m in app.chat.query(UserMessage)] == ["yes"]  # no complaint "es"
        assert app.chat.query_one("#composer", Composer).value == ""


def test_a_checkpoint_scan_says_what_it_did_not_find_in_one_line(tmp_path: Path) -> None:
    lang, line = "en", "- Checked, and not the case: "
    import torch

    torch.save(torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(),
                                   torch.nn.Linear(8, 2)).state_dict(), tmp_path / "ckpt.pt")
    session = Session(load_knowledge(), Inputs(checkpoint=tmp_path / "ckpt.pt"),
                      lang=lang)  # type: ignore[arg-type]
    run = session.run_probe("checkpoint.weights")
    shown = findings_markdown(session, run).splitlines()
    nan = session.fact_text("weights.non_finite")
    [clear] = [x for x in shown if x.startswith(line)]
    assert nan in clear
    assert not any(x.startswith(f"- {nan}") for x in shown)  # not a line of its own
    assert len(shown) < len(run.findings)


async def test_a_run_that_turned_nan_early_has_its_steps_on_the_axis(tmp_path: Path) -> None:
    loss = [1.2 + 0.7 * i for i in range(14)] + [float("nan")] * 466  # NaN from step 15 of 480
    log = write_csv_log(tmp_path / "run.csv", {"step": [float(i + 1) for i in range(480)],
                                               "loss": loss})
    app = _PlotApp(log)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = _shown(app)
    assert "240" not in shown and "480" not in shown  # no ticks beyond what is drawn
    assert " 8 " in shown and " 15 " in shown, shown  # the middle and the first NaN


async def test_the_offer_to_resume_and_the_greeting_behind_it_speak_one_language(
        tmp_path: Path) -> None:
    kb = load_knowledge()
    saved = Session(kb, lang="zh")
    saved.complain("loss 变成 nan")
    autosave = tmp_path / "autosave.json"
    saved.save(autosave)
    app = make_app(Session(kb), offer_resume=True, autosave_file=autosave, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        greeting = app.chat.query(DoctorMessage).first()
        assert greeting.source.startswith("你好")  # not the English greeting
        await pilot.press("n")  # a fresh start keeps the language of last time
        await pilot.pause()
        assert app.session.lang == "zh" and not app.session.answers


async def test_the_offer_to_resume_names_the_files(tmp_path: Path) -> None:
    """User 18 was offered "1 个回答，4 个文件" of another person's session: the offer names
    the files, so a session that is not yours is seen as such."""
    kb = load_knowledge()
    saved = Session(kb, lang="en", inputs=Inputs(checkpoint=tmp_path / "student.pt",
                                                 logs=(tmp_path / "kd_log.csv",)))
    saved.complain("the loss is nan")
    autosave = tmp_path / "autosave.json"
    saved.save(autosave)
    app = make_app(Session(kb), offer_resume=True, autosave_file=autosave, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "student.pt, kd_log.csv" in app.screen.question, app.screen.question

