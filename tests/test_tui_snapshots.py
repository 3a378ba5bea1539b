"""Snapshots of the chat's main screens at 80×24, over a small synthetic knowledge base.

The synthetic rules (tests/kbfactory.py) keep these pictures independent of the wording of
the built-in knowledge base. Regenerate with ``pytest tests/test_tui_snapshots.py
--snapshot-update`` after a deliberate change of the look (made with textual 8.2.8).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from dldoctor.session import Session
from dldoctor.tui.app import make_app
from tests.kbfactory import make_kb

SIZE = (80, 24)
RULES = """
- id: c_with_a_is_c1
  when: {all: [{fact: c, is: true}, {fact: a, is: true}]}
  then: [{cause: c1, cf: 0.7}]
  because: C with A means cause one
  sources: ["t#1"]
- id: c_without_a_is_c2
  when: {all: [{fact: c, is: true}, {fact: a, is: false}]}
  then: [{cause: c2, cf: 0.6}]
  because: C without A means cause two
  sources: ["t#2"]
"""


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


def _app(tmp_path: Path, lang: str = "en", started: bool = True):  # noqa: ANN202
    session = Session(make_kb(tmp_path / "rules", RULES), lang=lang)  # type: ignore[arg-type]
    if started:
        session.set_fact("c", "yes")
    return make_app(session, offer_resume=False, start_dir=tmp_path)


async def _still(pilot: Pilot) -> None:
    """Stop every cursor blinking so the picture is the same each time."""
    await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def test_greeting(snap_compare, tmp_path: Path) -> None:  # noqa: ANN001
    assert snap_compare(_app(tmp_path, started=False), terminal_size=SIZE, run_before=_still)


def test_greeting_in_chinese(snap_compare, tmp_path: Path) -> None:  # noqa: ANN001
    app = _app(tmp_path, lang="zh", started=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=_still)


def test_question_and_why(snap_compare, tmp_path: Path) -> None:  # noqa: ANN001
    async def why(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("w")
        await _still(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=why)


def test_diagnosis_card(snap_compare, tmp_path: Path) -> None:  # noqa: ANN001
    async def answer(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("y")
        await _still(pilot)

    assert snap_compare(_app(tmp_path), terminal_size=SIZE, run_before=answer)


def test_attach_dialog(snap_compare, tmp_path: Path) -> None:  # noqa: ANN001
    for name in ("checkpoint.pt", "train_log.csv", "model.py"):
        (tmp_path / name).write_text("x", "utf-8")

    async def attach(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause(0.2)
        await pilot.press(*"train")
        await _still(pilot)

    assert snap_compare(_app(tmp_path, started=False), terminal_size=SIZE, run_before=attach)
