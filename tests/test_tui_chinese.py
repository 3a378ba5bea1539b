"""The chat in Chinese, walked to the diagnosis on a real tiny run: no English sentence in
anything it shows (transcript, cards, buttons, titles, footer, notices) or exports."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widget import Widget
from textual.widgets import Button, Markdown, Static

from dldoctor.kbpaths import load_knowledge
from dldoctor.session import Session
from dldoctor.tui.app import DldoctorApp, make_app
from dldoctor.tui.widgets.diagnosis import DiagnosisCard
from dldoctor.tui.widgets.question import QuestionCard
from tests.support.artefacts import train_tiny
from tests.support.english import english_runs, without_lines


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


def _text_of(widget: Widget) -> list[str]:
    parts = [str(widget.border_title or ""), str(widget.border_subtitle or "")]
    if isinstance(widget, Markdown):
        parts.append(widget.source)
    elif isinstance(widget, Button):
        parts.append(str(widget.label))
    elif isinstance(widget, Static):
        parts.append(str(widget.content))
    return parts


def shown_text(app: App[object]) -> str:
    """Every text the screen holds (scrolled out of view or not), its footer keys, its title
    and the notices."""
    screen = app.screen
    parts = [str(app.title), str(app.sub_title)]
    for widget in screen.walk_children(with_self=True):
        parts.extend(_text_of(widget))
    parts.extend(b.description for _, b, _, _ in screen.active_bindings.values() if b.show)
    parts.extend(str(n.message) for n in app._notifications)  # noqa: SLF001
    return "\n".join(p for p in parts if p)


async def _settle(app: DldoctorApp, pilot: object) -> None:
    for _ in range(100):
        ours = [w for w in app.workers if w.group in ("probe", "reload", "plot")]
        if ours:
            await app.workers.wait_for_complete(ours)
        await pilot.pause()  # type: ignore[attr-defined]
        if not app.chat.probe_running:
            return


async def test_a_chinese_chat_to_the_diagnosis_has_no_english_sentence(tmp_path: Path) -> None:
    run = train_tiny(tmp_path / "run", bug="lr_too_high", steps=30)
    session = Session(load_knowledge(), run.inputs(live=False), lang="zh")  # the CLI test runs
    # the live probes in Chinese; this one checks what the chat itself adds around them
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        for _ in range(10):  # "don't know" to whatever it still asks
            if not isinstance(app.chat.pending, QuestionCard):
                break
            await pilot.press("?")
            await _settle(app, pilot)
        await pilot.press("ctrl+g")  # conclude now
        await _settle(app, pilot)
        cards = list(app.chat.query(DiagnosisCard))
        assert cards, "no diagnosis shown"
        cards[0].focus()
        await pilot.press("h")  # how was it reached?
        await _settle(app, pilot)
        await pilot.press("ctrl+r", "enter")  # export the report as Markdown
        await _settle(app, pilot)
        text = shown_text(app)
        report = app.session.report()
    exported = (tmp_path / "dldoctor-report.md").read_text("utf-8")
    assert exported.startswith("# dldoctor 诊断报告")
    code = {line.strip() for d in report.diagnoses + report.advice for f in d.fixes
            if f.snippet for line in f.snippet.splitlines()}
    assert "学习率" in text and "[+" in text or "支持" in text  # the diagnosis is shown
    assert english_runs(without_lines(text, code)) == []
    assert english_runs(without_lines(exported, code)) == []
