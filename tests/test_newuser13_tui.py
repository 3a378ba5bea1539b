"""The thirteenth new user in the chat: one message naming a flat loss, chance accuracy and
BatchNorm with a batch of two kept only the first two (the third part was dropped), and the
acknowledgement joined English titles with a capital mid-sentence ("…go down, Accuracy…")."""

from __future__ import annotations

from pathlib import Path

import pytest

from dldoctor.kbpaths import load_knowledge
from dldoctor.session import Session
from dldoctor.tui.app import make_app
from dldoctor.tui.texts import WHY_CAUSES_SHOWN, why_card_markdown
from dldoctor.tui.widgets.composer import Composer
from dldoctor.tui.widgets.message import DoctorMessage


async def test_one_message_keeps_each_part_and_reads_as_one_sentence(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    app = make_app(Session(load_knowledge(), lang="en"), offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        composer = app.chat.query_one(Composer)
        composer.focus()
        composer.value = ("accuracy is stuck around 20% and the training loss barely moves; my "
                          "net uses BatchNorm and I train with batch size 2 because of GPU memory")
        await pilot.press("enter")
        for _ in range(6):
            await pilot.pause()
        said = {a.key for a in app.session.answers if a.kind == "symptom"}
        assert {"loss_flat", "bn_small_batch_reported"} <= said, said
        took = next(m.source for m in app.chat.query(DoctorMessage)
                    if m.source.startswith("Understood"))
        assert ", accuracy is stuck" in took.lower() and ", Accuracy" not in took, took


def test_why_names_the_likeliest_causes_not_all_of_them() -> None:
    session = Session(load_knowledge(), lang="en")
    session.complain("my loss does not go down")
    text = why_card_markdown(session, "loss.non_finite")  # read by two dozen rules
    [line] = [x for x in text.splitlines() if "It helps decide between" in x]
    assert line.count("%)") == WHY_CAUSES_SHOWN, line
