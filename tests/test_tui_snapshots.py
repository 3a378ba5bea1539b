"""Snapshots of the chat's screens in English and Chinese, at 80×24 and 100×30.

The synthetic rules (tests/chat_kb.py) keep these pictures independent of the wording of
the built-in knowledge base. They are made with textual 8.2.8 (pinned in pyproject.toml);
after a deliberate change of the look, regenerate them and look at every picture::

    pytest tests/test_tui_snapshots.py --snapshot-update

(see tests/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from dldoctor.session import Session
from dldoctor.tui.app import make_app
from tests.chat_kb import chat_kb

SMALL, LARGE = (80, 24), (100, 30)
BOTH_LANGS = pytest.mark.parametrize("lang", ["en", "zh"])
SIZES = pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "100x30"])


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


def _app(tmp_path: Path, lang: str = "en", started: bool = True):  # noqa: ANN202
    session = Session(chat_kb(tmp_path), lang=lang)  # type: ignore[arg-type]
    if started:
        session.set_fact("c", "yes")
        session.set_fact("a", "no")
    return make_app(session, offer_resume=False, start_dir=tmp_path)


async def _still(pilot: Pilot) -> None:
    """Stop every cursor blinking so the picture is the same each time."""
    await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


@BOTH_LANGS
def test_greeting(snap_compare, tmp_path: Path, lang: str) -> None:  # noqa: ANN001
    assert snap_compare(_app(tmp_path, lang, started=False), terminal_size=SMALL,
                        run_before=_still)


@BOTH_LANGS
@SIZES
def test_seven_choices(snap_compare, tmp_path: Path, lang: str,  # noqa: ANN001
                       size: tuple[int, int]) -> None:
    assert snap_compare(_app(tmp_path, lang), terminal_size=size, run_before=_still)


@BOTH_LANGS
def test_question_and_why(snap_compare, tmp_path: Path, lang: str) -> None:  # noqa: ANN001
    async def why(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("w")
        await _still(pilot)

    assert snap_compare(_app(tmp_path, lang), terminal_size=SMALL, run_before=why)


@BOTH_LANGS
@SIZES
def test_diagnosis_card(snap_compare, tmp_path: Path, lang: str,  # noqa: ANN001
                        size: tuple[int, int]) -> None:
    async def answer(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("3")
        await _still(pilot)

    assert snap_compare(_app(tmp_path, lang), terminal_size=size, run_before=answer)


@BOTH_LANGS
def test_attach_dialog(snap_compare, tmp_path: Path, lang: str) -> None:  # noqa: ANN001
    for name in ("checkpoint.pt", "train_log.csv", "model.py"):
        (tmp_path / name).write_text("x", "utf-8")

    async def attach(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause(0.2)
        await pilot.press(*"train")
        await _still(pilot)

    assert snap_compare(_app(tmp_path, lang, started=False), terminal_size=SMALL,
                        run_before=attach)


@BOTH_LANGS
def test_overwrite_dialog(snap_compare, tmp_path: Path, lang: str) -> None:  # noqa: ANN001
    (tmp_path / "dldoctor-report.md").write_text("x", "utf-8")

    async def export(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("ctrl+r", "enter")
        await _still(pilot)

    assert snap_compare(_app(tmp_path, lang), terminal_size=SMALL, run_before=export)
