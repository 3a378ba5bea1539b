"""What the sixteenth new user met in the chat: the "how I concluded" panel listed raw rule
ids and fact ids (``lr.late_plateau_no_decay``, ``lr.decays = no — probe:checkpoint.optimizer``)
instead of what each rule reads and where each value came from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dldoctor.kbpaths import load_knowledge
from dldoctor.session import Session
from dldoctor.tui.app import make_app
from dldoctor.tui.widgets.message import DoctorMessage
from tests.test_newuser10_tui import _diverging_run, _settle
from tests.test_newuser11_tui import _report


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_how_panel_speaks_in_words_not_ids(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    session = Session(load_knowledge(), _diverging_run(tmp_path), max_questions=3, lang=lang)
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        first = (await _report(app, pilot))[0]
        await pilot.press(*"why?", "enter")
        await _settle(app, pilot)
        said = [m.source for m in app.chat.query(DoctorMessage)][-1]
        steps = session.how(first.diagnosis.cause)
        assert steps
        for step in steps:  # no rule id, no fact id, no "probe:…" source tag
            assert step.rule not in said, said
            for fact_id, _, source in step.facts:
                assert fact_id not in said and source not in said, said
                assert session.fact_text(fact_id) in said, said
        probes = {s.partition(":")[2] for st in steps for _, _, s in st.facts
                  if s.startswith("probe:")}
        assert any(session.probe_title(p) in said for p in probes), said
        assert re.search(r"\([+-]\d\.\d\d\)", said), said
