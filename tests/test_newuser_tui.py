"""Typing in the chat as a new user does: words typed fast, letters typed while a question
has the focus. Keys arrive in bursts from a terminal (a fast typist, a paste), so the bursts
here are posted the way the terminal driver posts them, without waiting between keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from dldoctor.session import Session
from dldoctor.tui.app import DldoctorApp, make_app
from dldoctor.tui.widgets.question import QuestionCard
from tests.chat_kb import chat_kb

SMALL = (80, 24)


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


def _app(tmp_path: Path) -> DldoctorApp:
    session = Session(chat_kb(tmp_path), lang="en")  # type: ignore[arg-type]
    session.set_fact("c", "yes")  # questions left: a (yes/no), then k (a choice)
    return make_app(session, offer_resume=False, start_dir=tmp_path)


def _burst(app: DldoctorApp, text: str) -> None:
    """Post the keys of ``text`` at once, as the terminal driver does for fast typing."""
    for ch in text:
        app.post_message(events.Key(ch, ch))


def _cards(app: DldoctorApp) -> list[tuple[str, bool]]:
    return [(c.fact, c.resolved) for c in app.chat.query(QuestionCard)]


async def _settle(pilot: object) -> None:
    for _ in range(4):
        await pilot.pause()  # type: ignore[attr-defined]


async def test_yes_typed_fast_answers_once_and_skips_nothing(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.chat.pending, QuestionCard) and app.chat.pending.fact == "a"
        _burst(app, "yes")  # y answers; e and s must not skip the next question
        await _settle(pilot)
        session = app.session
        assert [(a.key, a.raw) for a in session.answers] == [("a", "yes")]
        assert not session.skipped
        assert _cards(app) == [("a", True), ("k", False)]  # one card per question
        first = app.chat.query(QuestionCard).first()
        assert str(first.border_subtitle).count("✓") == 1


async def test_a_second_answer_from_one_card_is_not_applied(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        card = app.chat.pending
        assert isinstance(card, QuestionCard)
        card.action_answer("no")  # two keys handled before the screen takes the first
        card.action_skip()
        await _settle(pilot)
        assert [(a.key, a.raw) for a in app.session.answers] == [("a", "no")]
        assert not app.session.skipped
        assert _cards(app) == [("a", True), ("k", False)]
        assert app.chat.pending is app.chat.query(QuestionCard).last()


async def test_letters_typed_on_a_question_go_to_the_composer(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, QuestionCard)
        _burst(app, "the gradients explode")  # n, s, y inside words answer nothing
        await _settle(pilot)
        composer = app.chat.query_one("#composer")
        assert app.focused is composer
        assert composer.value == "the gradients explode"  # type: ignore[attr-defined]
        assert not app.session.answers and not app.session.skipped
        assert _cards(app) == [("a", False)]


async def test_answer_keys_still_work_one_at_a_time(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await _settle(pilot)
        assert _cards(app) == [("a", True), ("k", False)]
        await pilot.press("3")  # the third choice of k
        await _settle(pilot)
        assert [(a.key, a.raw) for a in app.session.answers] == [("a", "no"), ("k", "big")]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_nothing_concluded_asks_only_for_what_is_not_attached(tmp_path: Path,
                                                                    lang: str) -> None:
    from textual.widgets import Markdown

    from dldoctor.probes.base import Inputs

    checkpoint = tmp_path / "ckpt.pt"
    checkpoint.write_bytes(b"")  # named, never read: these rules want no probe
    session = Session(chat_kb(tmp_path), Inputs(checkpoint=checkpoint), lang=lang)  # type: ignore[arg-type]
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await _settle(pilot)  # no question can change anything: the report at once
        opening = "No rule concluded" if lang == "en" else "根据已知信息"
        said = [m.source for m in app.chat.query(Markdown) if m.source.startswith(opening)]
        assert len(said) == 1, said
        if lang == "en":
            assert "attach a metrics log or a model factory and a batch (**ctrl+o**)" in said[0]
            assert "checkpoint" not in said[0]
        else:
            assert "添加训练日志或模型工厂函数和 batch 让我检查" in said[0]
            assert "checkpoint" not in said[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_resumed_session_says_its_model_was_not_imported(tmp_path: Path,
                                                                 lang: str) -> None:
    from textual.widgets import Markdown

    from dldoctor.probes.base import Inputs

    model = tmp_path / "model.py"
    model.write_text("raise SystemExit('the model file ran')\n")
    (tmp_path / "batch.pt").write_bytes(b"")
    saved = tmp_path / "session.json"
    inputs = Inputs(model=f"{model}:build", batch=tmp_path / "batch.pt")
    Session(chat_kb(tmp_path), inputs, lang=lang).save(saved)  # type: ignore[arg-type]
    app = make_app(Session(chat_kb(tmp_path), lang=lang), resume=saved,  # type: ignore[arg-type]
                   offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await _settle(pilot)
        assert app.session.inputs.model is None  # data, not code: never imported
        notes = [m.source for m in app.chat.query(Markdown) if f"`{model}:build`" in m.source]
        assert len(notes) == 1, notes
        assert ("not imported" if lang == "en" else "没有导入") in notes[0]
        assert "ctrl+o" in notes[0]


async def test_a_refused_number_says_why_whole_at_80_columns(tmp_path: Path) -> None:
    from textual.widgets import Label

    from tests.kbfactory import make_kb

    kb = make_kb(tmp_path, "- {id: n_big, when: {fact: n, gt: 5}, then: [{cause: c1, cf: 0.6}],"
                           " because: big n, sources: ['t#1']}\n")
    session = Session(kb, lang="en")
    session.set_fact("a", "yes")  # something said: the questions begin
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await _settle(pilot)
        card = app.chat.pending
        assert isinstance(card, QuestionCard) and card.fact == "n"
        await pilot.press(*"lots", "enter")
        await _settle(pilot)
        problem = card.query_one("#problem", Label)
        text = str(problem.render())
        assert "'lots' is not a number" in text and len(text) > problem.region.width
        lines = problem.region.height
        assert lines * problem.region.width >= len(text)  # wrapped, not cut at the border
        assert card.region.contains_region(problem.region)


MECHANISM_KB = """
facts:
  - {id: o, type: bool, text: {en: O seen, zh: 看到 O}, question: {en: "O?", zh: "O？"}}
causes:
  - id: root
    title: {en: The root, zh: 根源}
    explains: {fact: o, is: true}
    fixes: [{text: {en: fix the root, zh: 修根源}}]
    sources: ["t#1"]
  - id: mech
    title: {en: The mechanism, zh: 机制}
    consequence_of: [root]
    explains: {fact: o, is: true}
    fixes: [{text: {en: fix it, zh: 修它}}]
    sources: ["t#2"]
"""
MECHANISM_RULES = """
- {id: o_root, when: {fact: o, is: true}, then: [{cause: root, cf: 0.8}], because: r,
   sources: ["t#1"]}
- {id: o_mech, when: {fact: o, is: true}, then: [{cause: mech, cf: 0.6}], because: m,
   sources: ["t#2"]}
"""


@pytest.mark.parametrize(("lang", "says"), [("en", "explained by The root"),
                                             ("zh", "已由“根源”解释")])
async def test_a_possible_cause_says_which_cause_explains_it(tmp_path: Path, lang: str,
                                                             says: str) -> None:
    from textual.widgets import Markdown

    from dldoctor.engine import load_kb
    from tests.kbfactory import write_kb

    kb = load_kb([write_kb(tmp_path, MECHANISM_RULES, base=MECHANISM_KB)])
    session = Session(kb, lang=lang)
    session.set_fact("o", "yes")
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await _settle(pilot)
        notes = [m.source for m in app.chat.query(Markdown) if "`mech`" in m.source]
        assert len(notes) == 1 and says in notes[0], notes


async def test_the_question_stays_in_view_below_a_long_why(tmp_path: Path) -> None:
    from dldoctor.kbpaths import load_knowledge

    session = Session(load_knowledge(), lang="en")
    session.complain("my loss becomes nan after a few steps")
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await _settle(pilot)
        card = app.chat.pending
        assert isinstance(card, QuestionCard)
        await pilot.press("w")
        await _settle(pilot)
        items = list(app.chat.query(".transcript-item"))
        assert items[-1] is card and items[-2].border_subtitle == "Why I ask"
        assert app.screen.region.contains_region(card.region)  # question and keys on screen
        assert app.focused is card
        await pilot.press("n")  # and its keys still answer it
        await _settle(pilot)
        assert card.resolved


async def test_a_resumed_session_says_which_answers_the_rules_cannot_read(
        tmp_path: Path) -> None:
    import json

    from textual.widgets import Markdown

    saved = tmp_path / "session.json"
    old = Session(chat_kb(tmp_path), lang="en")  # type: ignore[arg-type]
    old.set_fact("c", "yes")
    old.answer("a", "yes")
    old.save(saved)
    data = json.loads(saved.read_text())
    data["answers"].append({**data["answers"][-1], "key": "renamed.since"})  # rules changed
    saved.write_text(json.dumps(data))
    app = make_app(Session(chat_kb(tmp_path), lang="en"), resume=saved,  # type: ignore[arg-type]
                   offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await _settle(pilot)
        assert [a.key for a in app.session.answers] == ["a"]
        notes = [m.source for m in app.chat.query(Markdown) if "renamed.since" in m.source]
        assert len(notes) == 1 and notes[0].startswith("1 of the saved answers"), notes


async def test_an_unreadable_attachment_is_said_once(tmp_path: Path) -> None:
    import pickle

    from textual.widgets import Markdown

    from dldoctor.kbpaths import load_knowledge
    from dldoctor.probes.base import Inputs

    evil = tmp_path / "evil.pt"
    evil.write_bytes(pickle.dumps({"model": Path("x")}))  # a Python object: never unpickled
    session = Session(load_knowledge(), Inputs(checkpoint=evil), lang="en")
    app = make_app(session, offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await app.workers.wait_for_complete()
        await _settle(pilot)
        await app.workers.wait_for_complete()
        await _settle(pilot)
        said = [m.source for m in app.chat.query(Markdown) if "refused" in m.source]
        assert len(said) == 1, said  # not once per probe that tried the file
        assert f"`dldoctor chat --checkpoint {evil} --trust-checkpoint`" in said[0]
        assert sum(1 for r in session.probe_runs.values() if r.unreadable_input) >= 2


async def test_no_report_of_nothing(tmp_path: Path) -> None:
    from dldoctor.tui.screens.path_prompt import PathPrompt

    app = make_app(Session(chat_kb(tmp_path), lang="en"),  # type: ignore[arg-type]
                   offer_resume=False, start_dir=tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")  # nothing said or attached yet
        await _settle(pilot)
        assert not isinstance(app.screen, PathPrompt)
        assert not (tmp_path / "dldoctor-report.md").exists()
        app.session.set_fact("c", "yes")  # now there is something to report
        await pilot.press("ctrl+r")
        await _settle(pilot)
        assert isinstance(app.screen, PathPrompt)


def test_chat_example_opens_the_bundled_run(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from dldoctor.cli import chat as chat_command
    from dldoctor.cli.app import app as cli_app

    opened: dict[str, object] = {}
    monkeypatch.setattr(chat_command, "open_chat",
                        lambda session=None, **kw: opened.update(session=session, **kw))
    result = CliRunner().invoke(cli_app, ["chat", "--example"])
    assert result.exit_code == 0, result.output
    session = opened["session"]
    assert isinstance(session, Session)
    inputs = session.inputs
    assert inputs.checkpoint and inputs.checkpoint.is_file() and inputs.logs
    assert inputs.model and inputs.model.endswith("model.py:build") and inputs.batch
    assert [a.kind for a in session.answers] == ["symptom"]  # its complaint, said for you
