"""What a ninth new user met in the chat: a model factory that could not be built left a
report of nothing, said as "no rule concluded a cause" (read as healthy); the header was cut
at 80 columns ("… · mod…")."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Inputs
from dldoctor.session import Session
from dldoctor.tui.app import make_app
from dldoctor.tui.widgets.message import DoctorMessage, NoticeMessage


async def _settle(app, pilot) -> None:  # noqa: ANN001 - Textual's app and pilot
    """Wait for the probe workers; one the app cancels (a newer run replaces it) is done too."""
    from textual.worker import WorkerCancelled

    for _ in range(40):
        ours = [w for w in app.workers if w.group in ("probe", "reload", "plot")]
        try:
            if ours:  # an empty list would mean every worker, the folder tree's loader too
                await app.workers.wait_for_complete(ours)
        except WorkerCancelled:
            pass
        await pilot.pause(0.05)
        if not app.chat.probe_running:
            break


async def test_a_model_that_cannot_be_built_is_no_verdict_in_the_chat(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    (tmp_path / "net.py").write_text("def build():\n    raise RuntimeError('boom')\n")
    torch.save((torch.randn(4, 3), torch.tensor([0, 1, 0, 1])), tmp_path / "b.pt")
    inputs = Inputs(model=f"{tmp_path / 'net.py'}:build", batch=tmp_path / "b.pt",
                    device="cpu")
    app = make_app(Session(load_knowledge(), inputs, lang="en"), offer_resume=False,
                   start_dir=tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        said: list[str] = []
        for _ in range(100):  # the probes run one after another in a thread: wait for the last
            await _settle(app, pilot)
            said = [m.source for m in app.chat.query(NoticeMessage)]
            if any("Nothing was examined yet" in s for s in said):
                break
        assert any("Nothing was examined yet" in s for s in said), said
        assert not any("No problem" in m.source for m in app.chat.query(DoctorMessage))
        assert app.session.report().nothing_examined


@pytest.mark.parametrize(("size", "lang"), [((80, 24), "en"), ((80, 24), "zh"),
                                            ((100, 30), "en"), ((100, 30), "zh")])
async def test_the_header_shows_every_input_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int],
        lang: str) -> None:
    """`dldoctor chat --example` at 80x24 showed "… · log train_log.csv · mod…"."""
    from textual.widgets import Header
    from textual.widgets._header import HeaderTitle

    from dldoctor.wrap import cell_len

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    names = ["checkpoint.pt", "train_log.csv", "model.py:build", "batch.pt"]
    inputs = Inputs(checkpoint=tmp_path / names[0], logs=(tmp_path / names[1],),
                    model=f"{tmp_path / 'model.py'}:build", batch=tmp_path / names[3])
    app = make_app(Session(load_knowledge(), inputs, lang=lang), offer_resume=False,
                   start_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        header = app.chat.query_one(Header)
        shown = header.format_title().plain
        room = app.chat.query_one(HeaderTitle).size.width
        assert cell_len(shown) <= room and "…" not in shown, (shown, room)
        assert all(name in shown for name in names), shown
        if size[0] >= 100:  # room for the kinds' names too (or the ✗ of files not there)
            bare = shown.replace(" ✗", "")
            assert "train_log.csv · " in bare and " batch.pt" in bare.lower(), shown
