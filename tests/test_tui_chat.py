"""The chat app, driven by keys as a person would: complaint, questions, diagnosis, and back."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Markdown, RadioButton, Static

from dldoctor.engine import KnowledgeBase
from dldoctor.kbpaths import load_knowledge
from dldoctor.probes.base import Finding, Inputs, ProbeContext
from dldoctor.session import Session
from dldoctor.tui.app import DldoctorApp, make_app
from dldoctor.tui.screens.attach import AttachScreen
from dldoctor.tui.screens.chat import ChatScreen
from dldoctor.tui.screens.confirm import ConfirmScreen
from dldoctor.tui.texts import WHY_RULES_SHOWN
from dldoctor.tui.widgets.composer import Composer
from dldoctor.tui.widgets.diagnosis import DiagnosisCard
from dldoctor.tui.widgets.message import NoticeMessage, UserMessage
from dldoctor.tui.widgets.probe_status import ProbeStatus
from dldoctor.tui.widgets.question import QuestionCard
from dldoctor.tui.widgets.symptom_choice import SymptomChoice
from tests.kbfactory import make_kb

SIZE = (100, 30)
# What makes the built-in rules conclude lr_too_high (kb/nan.yaml): NaN early, not at once.
LR_FACTS = {"loss.non_finite_step": "30"}  # whether it was NaN from the start is asked
NUMBER_RULES = """
- id: n_small_is_c1
  when: {all: [{fact: c, is: true}, {fact: n, lt: 10}]}
  then: [{cause: c1, cf: 0.7}]
  because: a small n is c1
  sources: ["t#1"]
"""


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(autouse=True)
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Autosaves go under tmp_path; the app starts in tmp_path."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "state" / "dldoctor"


# ---------------------------------------------------------------------- helpers


def new_app(kb: KnowledgeBase, max_questions: int = 3, lang: str = "en",
            **kwargs: object) -> DldoctorApp:
    """The app over the built-in rules; a short conversation keeps the tests fast."""
    session = Session(kb, max_questions=max_questions, lang=lang)  # type: ignore[arg-type]
    return make_app(session, **kwargs)  # type: ignore[arg-type]


def lr_app(kb: KnowledgeBase) -> DldoctorApp:
    """As ``dldoctor chat --set loss.non_finite_step=30``."""
    session = Session(kb, max_questions=2)
    for fact, raw in LR_FACTS.items():
        session.set_fact(fact, raw)
    return make_app(session)


def chat(app: DldoctorApp) -> ChatScreen:
    return app.chat


async def settle(app: DldoctorApp, pilot: Pilot) -> None:
    """Wait for our workers (not the folder tree's loader, which never ends) and a repaint."""
    for _ in range(2):
        ours = [w for w in app.workers if w.group in ("probe", "reload", "plot")]
        if ours:  # an empty list would mean every worker
            await app.workers.wait_for_complete(ours)
        await pilot.pause()


def transcript_text(app: DldoctorApp) -> str:
    """Everything the transcript shows, as text."""
    parts: list[str] = []
    for widget in chat(app).query("#transcript *"):
        if isinstance(widget, Markdown):
            parts.append(widget.source)
        elif isinstance(widget, Static):
            parts.append(str(widget.content))
    return "\n".join(parts)


def pending_question(app: DldoctorApp) -> QuestionCard | None:
    card = chat(app).pending
    return card if isinstance(card, QuestionCard) and not card.resolved else None


def notices(app: DldoctorApp, severity: str | None = None) -> list[str]:
    return [n.source for n in chat(app).query(NoticeMessage)
            if severity is None or n.has_class(f"-{severity}")]


async def answer_by_keys(card: QuestionCard, raw: str, pilot: Pilot) -> None:
    """Answer as a person would: a key for yes/no/choices, typing for numbers and text."""
    card.focus_answer()
    await pilot.pause()
    spec = card.spec
    if raw == "?" and spec.type in ("bool", "enum"):
        await pilot.press("question_mark")
    elif spec.type == "bool":
        await pilot.press("y" if raw in ("yes", "y") else "n")
    elif spec.type == "enum":
        await pilot.press(str(spec.choice_values.index(raw) + 1))
    else:
        await pilot.press(*raw, "enter")


async def answer_until_done(app: DldoctorApp, pilot: Pilot, answers: dict[str, str],
                            limit: int = 30) -> list[str]:
    """Answer every question (don't know unless ``answers`` says); return the facts asked."""
    asked: list[str] = []
    for _ in range(limit):
        await settle(app, pilot)
        card = pending_question(app)
        if card is None:
            return asked
        asked.append(card.fact)
        await answer_by_keys(card, answers.get(card.fact, "?"), pilot)
    raise AssertionError(f"still asking after {limit} questions: {asked}")


async def say(app: DldoctorApp, pilot: Pilot, text: str, meant: str | None = "loss_nan",
              *, by_keys: bool = False) -> None:
    """Send ``text`` from the composer; if asked which symptom it was, pick ``meant``."""
    composer = chat(app).query_one(Composer)
    composer.focus()
    if by_keys:
        await pilot.press(*text)
    else:
        composer.value = text
    await pilot.press("enter")
    await settle(app, pilot)
    choice = chat(app).pending
    if meant and isinstance(choice, SymptomChoice) and not choice.resolved:
        await pilot.press(str([m.symptom for m in choice.matches].index(meant) + 1))
        await settle(app, pilot)


# ---------------------------------------------------------------------- conversations


async def test_complaint_why_diagnosis_how_and_export(
        kb: KnowledgeBase, state: Path, tmp_path: Path) -> None:
    app = lr_app(kb)
    async with app.run_test(size=SIZE) as pilot:
        await say(app, pilot, "loss is nan", by_keys=True)
        assert any(a.kind == "symptom" and a.key == "loss_nan" for a in app.session.answers)
        assert [m.source for m in chat(app).query(UserMessage)][0] == "loss is nan"
        # why? names the rules the question serves, and answers nothing
        card = pending_question(app)
        assert card is not None
        await pilot.press("w")
        await settle(app, pilot)
        why = app.session.why_ranked(card.fact)  # the card names the first few, counts the rest
        shown = why.rules[:WHY_RULES_SHOWN]
        assert shown and all(rule in transcript_text(app) for rule, _ in shown)
        assert not card.resolved
        # answer to the end: the diagnosis cards are the report's, best first
        asked = await answer_until_done(app, pilot, {"loss.non_finite_at_start": "n"})
        assert asked[0] == card.fact
        cards = list(chat(app).query(DiagnosisCard))
        assert [c.diagnosis.cause for c in cards] == \
            [d.cause for d in app.session.report().diagnoses]
        assert "lr_too_high" in [c.diagnosis.cause for c in cards]
        assert app.focused is cards[0]
        # how? shows every rule of the derivation and the facts it used
        lr_card = next(c for c in cards if c.diagnosis.cause == "lr_too_high")
        lr_card.focus()
        await pilot.press("h")
        await settle(app, pilot)
        text = transcript_text(app)
        for step in app.session.how("lr_too_high"):  # in words, wrapped to the card's width
            flat = " ".join(text.split())
            assert " ".join(step.because.split())[:40] in flat, step.because
            assert all(app.session.fact_text(f)[:25] in flat for f, _, _ in step.facts)
        # export: the Markdown report, to the default file
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
    report = (tmp_path / "dldoctor-report.md").read_text("utf-8")
    assert report.startswith("# dldoctor report") and "lr_too_high" in report
    saved = json.loads((state / "autosave.json").read_text("utf-8"))
    assert any(a["key"] == "loss_nan" for a in saved["answers"])
    assert [a["key"] for a in saved["answers"] if a["kind"] == "fact"] == asked


async def test_chinese_complaint_and_language_toggle(kb: KnowledgeBase) -> None:
    app = new_app(kb, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await say(app, pilot, "loss 变成 nan 了")
        assert any(a.key == "loss_nan" for a in app.session.answers)
        card = pending_question(app)
        assert card is not None and card.spec.question is not None
        assert str(card.query_one(".question-text", Static).content) == \
            card.spec.question.get("zh")
        assert "撤销" in {b.description for _, b in chat(app)._bindings}
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        assert app.session.lang == "en"
        again = pending_question(app)
        assert again is not None and again.fact == card.fact and again is not card
        assert str(again.query_one(".question-text", Static).content) == \
            card.spec.question.get("en")
        labels = {b.description for _, b in chat(app)._bindings}
        assert {"Undo", "中文"} <= labels
        assert chat(app).query_one(Composer).placeholder.startswith("Answer here")


async def test_composer_answers_undo_and_restart(kb: KnowledgeBase) -> None:
    app = new_app(kb)
    async with app.run_test(size=SIZE) as pilot:
        await say(app, pilot, "loss is nan")
        first = pending_question(app)
        assert first is not None
        await say(app, pilot, "?")  # typed where complaints go: taken as the answer
        assert first.resolved
        assert [a.key for a in app.session.answers if a.kind == "fact"] == [first.fact]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert [a.key for a in app.session.answers if a.kind == "fact"] == []
        again = pending_question(app)
        assert again is not None and again.fact == first.fact and again is not first
        assert any("Took back" in n for n in notices(app))
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.session.answers == []
        assert not chat(app).query(UserMessage)


def _number_app(tmp_path: Path) -> DldoctorApp:
    """A chat whose first question asks for a number."""
    session = Session(make_kb(tmp_path, NUMBER_RULES))
    session.set_fact("c", "yes")
    return make_app(session)


async def _number_card(app: DldoctorApp, pilot: Pilot) -> QuestionCard:
    await settle(app, pilot)
    card = pending_question(app)
    assert card is not None and card.spec.type == "number"
    return card


async def test_a_bad_number_shows_why_and_changes_nothing(tmp_path: Path) -> None:
    app = _number_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        card = await _number_card(app, pilot)
        assert app.focused is card.query_one("#answer-input")
        await pilot.press(*"lots", "enter")
        await settle(app, pilot)
        problem = card.query_one("#problem", Static)
        assert problem.has_class("-shown") and "number" in str(problem.content)
        assert app.session.answers == [] and not card.resolved
        card.query_one("#answer-input").value = ""  # type: ignore[attr-defined]
        await pilot.press("3", "enter")
        await settle(app, pilot)
        assert card.resolved and [a.raw for a in app.session.answers] == ["3"]
        assert [c.diagnosis.cause for c in chat(app).query(DiagnosisCard)] == ["c1"]


async def test_why_and_skip_keys_work_on_an_empty_number_box(tmp_path: Path) -> None:
    """The number's card shows "w Why?" and "s Skip": the letters reached the box as the
    answer's first character (a new user, stop 76); once typing started they are text."""
    app = _number_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        card = await _number_card(app, pilot)
        box = card.query_one("#answer-input")
        await pilot.press("w")
        await settle(app, pilot)
        assert box.value == "" and not card.resolved  # type: ignore[attr-defined]
        why = app.session.why_ranked(card.fact).rules[:1]
        assert why and why[0][0] in transcript_text(app)
        await pilot.press("1", "s")
        assert box.value == "1s"  # type: ignore[attr-defined]
        box.value = ""  # type: ignore[attr-defined]
        await pilot.press("s")
        await settle(app, pilot)
        assert card.resolved and app.session.answers == []


async def test_a_close_call_asks_which_symptom(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / "val.yaml").write_text(
        "symptoms:\n"
        "  - id: val_loss_nan\n"
        "    text: {en: \"The validation loss becomes NaN\", zh: \"验证 loss 变成 NaN\"}\n"
        "    synonyms: {en: [\"loss is nan\"]}\n"
        "    implies: {loss.non_finite: true}\n",
        "utf-8",
    )
    app = make_app(Session(load_knowledge([team]), max_questions=2), kb_paths=[team])
    async with app.run_test(size=SIZE) as pilot:
        await say(app, pilot, "loss is nan", meant=None)
        choice = chat(app).pending
        assert isinstance(choice, SymptomChoice) and app.focused is choice
        assert {m.symptom for m in choice.matches} >= {"loss_nan", "val_loss_nan"}
        assert not any(a.kind == "symptom" for a in app.session.answers)
        await pilot.press(str([m.symptom for m in choice.matches].index("val_loss_nan") + 1))
        await settle(app, pilot)
        assert [a.key for a in app.session.answers if a.kind == "symptom"] == ["val_loss_nan"]
        assert choice.resolved and pending_question(app) is not None


async def test_the_palette_runs_commands(kb: KnowledgeBase) -> None:
    app = new_app(kb)
    async with app.run_test(size=SIZE) as pilot:
        await say(app, pilot, "loss is nan")
        assert app.session.answers
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press(*"undo the last", "enter")
        await settle(app, pilot)
        assert app.session.answers == []


# ---------------------------------------------------------------------- saving


async def test_save_and_resume_from_a_file(kb: KnowledgeBase, tmp_path: Path) -> None:
    app = new_app(kb)
    async with app.run_test(size=SIZE) as pilot:
        await say(app, pilot, "loss is nan")
        first = pending_question(app)
        assert first is not None
        await answer_by_keys(first, "?", pilot)
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        app.screen.query_one("#path").value = str(tmp_path / "mine.json")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(app, pilot)
        answers = app.session.to_json()["answers"]
    resumed = make_app(Session(kb), resume=tmp_path / "mine.json")
    assert resumed.session.to_json()["answers"] == answers
    async with resumed.run_test(size=SIZE) as pilot:
        await settle(resumed, pilot)
        assert "loss is nan" in transcript_text(resumed)  # what was said is recalled
        card = pending_question(resumed)
        assert card is None or card.fact != first.fact


async def test_the_autosave_is_offered_at_start(kb: KnowledgeBase, state: Path) -> None:
    app = new_app(kb)
    async with app.run_test(size=SIZE) as pilot:
        await say(app, pilot, "loss is nan")
        answers = app.session.to_json()["answers"]
    assert (state / "autosave.json").is_file()
    declined = new_app(kb, offer_resume=True)
    async with declined.run_test(size=SIZE) as pilot:
        await settle(declined, pilot)
        assert isinstance(declined.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(declined, pilot)
        assert declined.session.answers == []
    accepted = new_app(kb, offer_resume=True)
    async with accepted.run_test(size=SIZE) as pilot:
        await settle(accepted, pilot)
        await pilot.press("y")
        await settle(accepted, pilot)
        assert accepted.session.to_json()["answers"] == answers
        assert pending_question(accepted) is not None


async def test_a_declined_autosave_is_kept_aside_not_overwritten(
        kb: KnowledgeBase, state: Path) -> None:
    first = new_app(kb)
    async with first.run_test(size=SIZE) as pilot:
        await say(first, pilot, "loss is nan")
        old = first.session.to_json()["answers"]
    declined = new_app(kb, offer_resume=True)
    async with declined.run_test(size=SIZE) as pilot:
        await settle(declined, pilot)
        await pilot.press("n")
        await settle(declined, pilot)
        await say(declined, pilot, "the loss goes up")
        new = declined.session.to_json()["answers"]
    kept = json.loads((state / "autosave.previous.json").read_text("utf-8"))
    assert kept["answers"] == old
    assert json.loads((state / "autosave.json").read_text("utf-8"))["answers"] == new != old


# ---------------------------------------------------------------------- files and probes


def _slow_runner(started: threading.Event):  # noqa: ANN202
    """A probe that reports progress, then waits to be cancelled."""

    def run(inputs: Inputs, ctx: ProbeContext) -> list[Finding]:
        ctx.progress(0.5, "half way")
        started.set()
        ctx.cancelled.wait(5)
        ctx.check()
        return []

    return run


def _write_log(path: Path) -> Path:
    rows = ["step,loss"] + [f"{i},{2.0 / (i + 1)}" for i in range(20)] + ["20,nan"]
    path.write_text("\n".join(rows) + "\n", "utf-8")
    return path


async def test_attach_a_log_and_cancel_its_slow_probe(
        kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = threading.Event()
    monkeypatch.setattr("dldoctor.session.load_runner", lambda info: _slow_runner(started))
    _write_log(tmp_path / "train.csv")
    app = new_app(kb)
    async with app.run_test(size=SIZE) as pilot:
        await say(app, pilot, "loss is nan")
        answers = list(app.session.answers)
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        assert isinstance(app.screen, AttachScreen)
        await pilot.press(*"tra", "tab")  # completes to train.csv, and guesses "log"
        assert app.screen.query_one("#path").value == "train.csv"  # type: ignore[attr-defined]
        await pilot.pause()
        dots = {b.id: str(b.render())[1] for b in app.screen.query(RadioButton)}
        assert dots == {"kind-checkpoint": " ", "kind-log": "●", "kind-model": " ",
                        "kind-batch": " ", "kind-trace": " "}  # the chosen kind, without colour
        await pilot.press("enter")
        for _ in range(100):  # the probe runs in a thread: wait until it reports progress
            await pilot.pause(0.02)
            if started.is_set():
                break
        await pilot.pause()
        status = chat(app).query_one(ProbeStatus)
        assert status.display and status.fraction == 0.5 and chat(app).probe_running
        composer = chat(app).query_one(Composer)
        composer.focus()
        composer.value = "loss is inf"
        await pilot.press("enter")  # refused while the probe runs: the session is busy
        await pilot.pause()
        assert app.session.answers == answers
        await pilot.press("escape")
        await settle(app, pilot)
        assert not chat(app).probe_running and not status.display
        assert app.session.inputs.logs == (tmp_path / "train.csv",)
        assert app.session.answers == answers  # attaching keeps what was said
        assert "log.curves" not in app.session.probe_runs
        assert any("Cancelled" in n for n in notices(app, "warning"))
        assert "train.csv" in str(app.sub_title)


async def test_a_file_no_reader_takes_is_refused_when_attached(
        kb: KnowledgeBase, tmp_path: Path) -> None:
    """A new user attached an empty CSV, then a good log: the empty one stayed among the
    logs, unremovable, and kept the good one from being read."""
    from dldoctor.tui.screens.attach import Attachment

    empty = tmp_path / "empty.csv"
    empty.write_text("", "utf-8")
    not_a_checkpoint = tmp_path / "notckpt.pt"
    not_a_checkpoint.write_text("just some text\n", "utf-8")
    good = _write_log(tmp_path / "train.csv")
    app = new_app(kb)
    async with app.run_test(size=SIZE) as pilot:
        await chat(app).attach(Attachment("log", str(empty)))
        await chat(app).attach(Attachment("checkpoint", str(not_a_checkpoint)))
        await settle(app, pilot)
        assert app.session.inputs.logs == () and app.session.inputs.checkpoint is None
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert any("empty.csv" in e for e in errors) and any("notckpt.pt" in e for e in errors)
        await chat(app).attach(Attachment("log", str(good)))
        await settle(app, pilot)
        assert app.session.inputs.logs == (good,)


async def test_a_failing_probe_is_a_notice(
        kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(info: object):  # noqa: ANN202
        raise ModuleNotFoundError("No module named 'dldoctor.probes.not_yet'")

    monkeypatch.setattr("dldoctor.session.load_runner", broken)
    log = _write_log(tmp_path / "train.csv")
    app = make_app(Session(kb, Inputs(logs=(log,)), max_questions=1))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.session.probe_runs["log.curves"].error
        # the error is shown literally: Markdown's characters (here "_") come escaped
        assert any("not\\_yet" in n for n in notices(app, "error"))


async def test_a_real_checkpoint_is_probed(kb: KnowledgeBase, tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    torch.save(torch.nn.Linear(4, 2).state_dict(), tmp_path / "tiny.pt")
    app = new_app(kb, max_questions=0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await settle(app, pilot)
        await pilot.press(*"tiny.pt", "enter")
        for _ in range(50):  # the probes run in a thread: wait for them
            await settle(app, pilot)
            if not chat(app).probe_running:
                break
        assert app.session.inputs.checkpoint == tmp_path / "tiny.pt"
        runs = app.session.probe_runs
        assert any(probe.startswith("checkpoint.") for probe in runs)
        said = transcript_text(app)
        for run in runs.values():  # each run is reported: findings, or why it failed
            assert run.error is None or run.error in said


# ---------------------------------------------------------------------- authoring


async def test_authoring_reloads_rules_and_keeps_old_ones_on_error(
        kb: KnowledgeBase, tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    rules = team / "extra.yaml"
    rules.write_text("symptoms: []\n", "utf-8")
    app = make_app(Session(load_knowledge([team]), max_questions=2), authoring=True,
                   kb_paths=[team], watch_roots=[team])
    async with app.run_test(size=SIZE) as pilot:
        await say(app, pilot, "loss is nan")
        before = app.session.kb
        rules.write_text(
            "symptoms:\n"
            "  - id: grads_explode_team\n"
            "    text: {en: \"Team: the gradients explode\"}\n"
            "    implies: {loss.non_finite: true}\n", "utf-8")
        app._poll_rules()
        await settle(app, pilot)
        assert app.session.kb is not before and "grads_explode_team" in app.session.kb.symptoms
        assert any(a.key == "loss_nan" for a in app.session.answers)  # answers kept
        good = app.session.kb
        rules.write_text("symptoms:\n  - id: broken\n    nonsense: [\n", "utf-8")
        app._poll_rules()
        await settle(app, pilot)
        assert app.session.kb is good
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors and "extra.yaml:" in errors[-1]


async def test_why_with_no_diagnosis_says_why_none_is_concluded(tmp_path: Path) -> None:
    """A new user (stop 82) typed "why?" after "No fault is established" and was told no
    symptom matched it: with no diagnosis to explain, the reply says why there is none."""
    from dldoctor.tui.i18n import t

    app = make_app(Session(load_knowledge(), lang="en"), offer_resume=False,
                   start_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await say(app, pilot, "why?")
        text = transcript_text(app)
        assert t("en", "why_no_diagnosis")[:40] in " ".join(text.split()), text
        assert not any(a.kind == "symptom" for a in app.session.answers)


async def test_a_statement_a_file_attached_later_contradicts_is_said(
        kb: KnowledgeBase, tmp_path: Path) -> None:
    """A new user said the validation loss climbed, then attached a log where it falls: the
    over-fitting diagnosis vanished with no word why (the command line says it)."""
    from dldoctor.tui.screens.attach import Attachment

    rows = ["epoch,loss,val_loss"] + [f"{i},{1.0 / (i + 1):.4f},{1.1 / (i + 1):.4f}"
                                      for i in range(12)]
    log = tmp_path / "eval_log.csv"
    log.write_text("\n".join(rows) + "\n", "utf-8")
    app = new_app(kb)
    async with app.run_test(size=SIZE) as pilot:
        await say(app, pilot, "my validation loss goes up after epoch 3 while the training "
                              "loss keeps falling", meant="val_loss_rising")
        await chat(app).attach(Attachment("log", str(log)))
        await settle(app, pilot)
        await settle(app, pilot)
        text = transcript_text(app)
        assert "But the files measured otherwise" in text, text[-1500:]
        said = {line.replace("**", "") for line in text.splitlines()
                if "But the files measured otherwise" in line}  # a card's source and its text
        assert len(said) == 1, said


async def test_a_run_folder_attached_as_the_checkpoint_brings_its_log(
        kb: KnowledgeBase, tmp_path: Path) -> None:
    """A new user attached ``lightning_logs/version_0`` with ctrl+o: the chat read the
    checkpoint only, while ``--checkpoint lightning_logs/version_0`` reads its metrics.csv
    too; it now takes the log found with it, and says so."""
    from dldoctor.tui.screens.attach import Attachment
    from tests.support.library_layouts import train, write_lightning_run

    folder = write_lightning_run(tmp_path, 0, train(epochs=3))
    app = new_app(kb)
    async with app.run_test(size=SIZE) as pilot:
        await chat(app).attach(Attachment("checkpoint", str(folder)))
        await settle(app, pilot)
        assert app.session.inputs.logs == (folder / "metrics.csv",)
        text = " ".join(transcript_text(app).split())
        assert "and the metrics log found with it" in text and "metrics.csv" in text, text
