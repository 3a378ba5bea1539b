"""What a seventh new user met in the chat at 80x24: after ``dldoctor chat --example``,
paging up through the findings showed forty lines of the footer, the composer and raw escape
codes (``;5;32;48;5;233m▎``) inside the metrics-log card. Reading the checkpoint points file
descriptor 2 at a temporary file (torch's C++ lines become notes) while Textual draws on
descriptor 2: the frames drawn meanwhile went into the probe's notes and never reached the
terminal."""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path

import pytest

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.quiet import quiet
from dldoctor.session import Session
from dldoctor.tui.app import make_app

FRAME = "\x1b[22;2H\x1b[7;38;5;32;48;5;233m▊ a frame of the progress bar"


@pytest.mark.skipif(sys.platform == "win32", reason="the Linux driver only")
async def test_frames_drawn_while_a_probe_captures_stderr_reach_the_terminal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    app = make_app(Session(load_knowledge(), lang="en"), offer_resume=False,
                   start_dir=tmp_path)
    terminal_r, terminal_w = os.pipe()  # stands for the terminal the chat was started in
    os.set_blocking(terminal_r, False)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTSTP, signal.SIGCONT)}
    pytest_stderr = os.dup(2)
    os.dup2(terminal_w, 2)  # the chat runs: its stderr is the terminal ...
    try:
        driver = app.driver_class(app)  # what app.run() draws with, made as it starts
        with quiet() as notes:  # ... until a checkpoint is read
            out = driver._file  # noqa: SLF001 - the file Textual's writer thread writes to
            assert out is not None
            out.write(FRAME)
            out.flush()
        driver.close()  # also what a suspend (ctrl+z) does: the resumed chat draws again
        out.write("!")
        out.flush()
    finally:
        os.dup2(pytest_stderr, 2)
        os.close(pytest_stderr)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    try:
        drawn = os.read(terminal_r, 4096).decode()
    except BlockingIOError:
        drawn = ""
    out.close()
    os.close(terminal_r)
    os.close(terminal_w)
    assert FRAME not in "\n".join(notes), "the screen went into the probe's notes"
    assert drawn == FRAME + "!", "the frame never reached the terminal"


def test_a_why_card_with_one_rule_left_says_rule_not_rules() -> None:
    """"…and 1 more rules read this answer" under the first question of "loss is nan"."""
    from dldoctor.tui.texts import WHY_RULES_SHOWN, why_card_markdown

    for lang, one in (("en", "1 more rule reads"), ("zh", "另有 1 条规则")):
        session = Session(load_knowledge(), lang=lang)
        left = {fact: len(session.why_ranked(fact).rules) - WHY_RULES_SHOWN
                for fact in session.kb.facts}
        assert 1 in left.values() and 2 in left.values()  # both cases exist in the rules
        for fact, n in left.items():
            card = why_card_markdown(session, fact)
            if n == 1:
                assert one in card, card
                assert not re.search(r"\b1 more rules\b", card), card
            elif n > 1:
                assert f"{n} more rules read" in card if lang == "en" else f"另有 {n} 条" in card


async def test_an_error_read_from_a_file_keeps_its_stars_in_the_chat(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder attached as the checkpoint: "looked for *.safetensors, … *.pt/*.pth" showed
    as ".safetensors, … .pt/.pth" in italics: Markdown took the stars."""
    from markdown_it import MarkdownIt

    from dldoctor.tui.widgets.message import NoticeMessage

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    (tmp_path / "runs").mkdir()
    app = make_app(Session(load_knowledge(), lang="en"), offer_resume=False,
                   start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause(0.2)
        await pilot.press(*str(tmp_path / "runs"), "enter")
        for _ in range(50):
            await app.workers.wait_for_complete()
            await pilot.pause(0.05)
            failed = [m for m in app.chat.query(NoticeMessage)
                      if "no checkpoint in this folder" in m.source]
            if failed:
                break
        assert failed, [m.source for m in app.chat.query(NoticeMessage)]
        shown = MarkdownIt("commonmark").render(failed[0].source)
        assert "*.safetensors" in shown and "*.pt/*.pth" in shown, shown
        assert "<em>" not in shown


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_greetings_own_example_is_understood_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    """Typing the greeting's example, "my loss becomes nan after a few steps", asked "which
    of these do you mean?" between NaN and a loss that drops to 0 very quickly."""
    from dldoctor.tui.i18n import t
    from dldoctor.tui.widgets.question import QuestionCard
    from dldoctor.tui.widgets.symptom_choice import SymptomChoice

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    example = re.findall(r"(?<!\*)\*([^*]+)\*(?!\*)", t(lang, "greeting"))  # not **bold**
    assert len(example) == 1, t(lang, "greeting")
    app = make_app(Session(load_knowledge(), lang=lang), offer_resume=False,
                   start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*example[0], "enter")
        for _ in range(4):
            await pilot.pause()
        assert not app.chat.query(SymptomChoice)
        assert [a.key for a in app.session.answers if a.kind == "symptom"] == ["loss_nan"]
        assert app.chat.query(QuestionCard)
