"""Issue 12's bugs, each through both front ends: the installed command line (a subprocess)
and the chat (Textual's Pilot, over the session the real ``dldoctor chat`` command line
builds)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Markdown, Static
from typer.testing import CliRunner

from dldoctor.cli import chat as chat_command
from dldoctor.cli.app import app as cli_app
from dldoctor.errors import InputError
from dldoctor.kbpaths import load_knowledge
from dldoctor.report import ReportFile, read_report
from dldoctor.session import NeedsChoice, Session, Taken
from dldoctor.tui.app import DldoctorApp, make_app
from dldoctor.tui.widgets.diagnosis import DiagnosisCard
from dldoctor.tui.widgets.symptom_choice import SymptomChoice
from tests.support import forkcli
from tests.support.writers import write_csv_log

DLDOCTOR = shutil.which("dldoctor") or str(Path(sys.executable).parent / "dldoctor")
SIZE = (100, 30)
COMPLAINT = "loss is nan and validation accuracy is stuck at chance"
# A team symptom as close to the accuracy piece as the built-in one: a close call there only.
TEAM_SYMPTOM = """\
symptoms:
  - id: val_acc_chance
    text: {en: "The validation accuracy stays at chance level", zh: "验证准确率停在随机水平"}
    synonyms: {en: ["accuracy at chance"]}
    implies: {val.acc_at_chance: true}
"""
ZH_FACTS = ("--set", "loss.non_finite_step=30", "--set", "loss.non_finite_at_start=no")


def run(*args: str, cwd: Path | None = None, real: bool = False
        ) -> subprocess.CompletedProcess[str]:
    """The installed ``dldoctor``: a real subprocess when ``real``, else the warm fork server
    (tests/support/forkcli.py), which skips the interpreter's start-up."""
    runner = subprocess.run if real else forkcli.run
    return runner([DLDOCTOR, *args], capture_output=True, text=True, timeout=120,
                  stdin=subprocess.DEVNULL, cwd=cwd)


@pytest.fixture(autouse=True)
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Autosaves under tmp_path; the app starts there."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A healthy log, one that turns NaN at step 30, and a session saved over the healthy one."""
    folder = tmp_path_factory.mktemp("runs")
    steps = list(range(40))
    ok = write_csv_log(folder / "ok.csv", {"step": steps,
                                            "train_loss": [2.0 * 0.95 ** s for s in steps]})
    nan = write_csv_log(folder / "nan.csv", {
        "step": steps,  # falls, then climbs by orders of magnitude to NaN: a rate too high
        "train_loss": [2.0 - 0.01 * s if s < 25 else 2.0 * 10.0 ** (s - 24) if s < 30
                       else float("nan") for s in steps]})
    saved = folder / "s.json"
    out = run("diagnose", "--log", str(ok), "--no-input", "--save-session", str(saved))
    assert out.returncode in (0, 1), out.stderr
    team = folder / "team"
    team.mkdir()
    (team / "val.yaml").write_text(TEAM_SYMPTOM, "utf-8")
    return {"ok": ok, "nan": nan, "saved": saved, "team": team}


def opened_by(*args: str, monkeypatch: pytest.MonkeyPatch) -> DldoctorApp:
    """The chat app ``dldoctor chat ARGS`` opens: the real command line builds the session;
    only the terminal is left out (the app is then driven by Pilot)."""
    opened: dict[str, object] = {}
    monkeypatch.setattr(chat_command, "open_chat",
                        lambda session=None, **kw: opened.update(session=session, **kw))
    result = CliRunner().invoke(cli_app, ["chat", *args])
    assert result.exit_code == 0, result.output
    assert opened.get("resume") is None  # the session is built here, never again by the app
    return make_app(opened["session"], offer_resume=False)  # type: ignore[arg-type]


async def settle(app: DldoctorApp, pilot: object) -> None:
    """Wait until no probe runs and the screen has caught up."""
    for _ in range(20):
        busy = [w for w in app.workers if w.group in ("probe", "resume")]
        if busy:
            await app.workers.wait_for_complete(busy)
        await pilot.pause()  # type: ignore[attr-defined]
        if not app.chat.probe_running and not [w for w in app.workers if w.group == "probe"]:
            return


def transcript(app: DldoctorApp) -> str:
    parts = []
    for widget in app.chat.query("#transcript *"):
        if isinstance(widget, Markdown):
            parts.append(widget.source)
        elif isinstance(widget, Static):
            parts.append(str(widget.content))
    return "\n".join(parts)


def symptoms(session: Session) -> list[str]:
    return [a.key for a in session.answers if a.kind == "symptom"]


# ------------------------------------------------------------ resume takes the command line


def test_diagnose_resume_applies_log_set_and_symptom(runs: dict[str, Path]) -> None:
    out = run("diagnose", "--resume", str(runs["saved"]), "--log", str(runs["nan"]),
              "--set", "setup.uses_fp16=no", "--symptom", "accuracy at chance",
              "--no-input", "--format", "json")
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    found = {f["fact"]: f for f in report["findings"]}
    assert report["inputs"]["logs"] == [str(runs["nan"])]
    assert found["loss.non_finite"]["value"] is True  # the new log, not the old log's False
    assert found["loss.non_finite_step"]["value"] == 30
    assert found["setup.uses_fp16"]["source"] == "user:--set"
    assert found["val.acc_at_chance"]["source"] == "symptom:acc_chance"
    assert report["diagnoses"][0]["cause"] == "lr_too_high"
    assert report["schema"] == "dldoctor.report/1" and report["schema_version"] == 1
    typed = ReportFile.model_validate(report)  # the typed shape holds the real report whole
    assert typed.model_dump(mode="json", by_alias=True, exclude_unset=True) == report


async def test_chat_resume_applies_log_set_and_symptom(
        runs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    app = opened_by("--resume", str(runs["saved"]), "--log", str(runs["nan"]),
                    "--set", "setup.uses_fp16=no", "--symptom", "accuracy at chance",
                    monkeypatch=monkeypatch)
    session = app.session
    assert session.inputs.logs == (runs["nan"],)
    assert session.given == {"setup.uses_fp16": False}
    assert symptoms(session) == ["acc_chance"]
    assert "log.curves" not in session.probe_runs  # the old log's measurements are gone
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = transcript(app)
        assert "Accuracy is stuck at chance level" in text  # recalled from the command line
        memory = app.session.engine.memory
        assert memory.value("loss.non_finite") is True  # the new log was measured
        assert memory.value("loss.non_finite_step") == 30


# ------------------------------------------------------------ a close call, piece by piece


def test_the_session_asks_about_the_close_piece_only(runs: dict[str, Path]) -> None:
    session = Session(load_knowledge([runs["team"]]))
    step = session.complain(COMPLAINT, ask=True)
    assert isinstance(step, NeedsChoice)
    assert {m.symptom for m in step.options} == {"acc_chance", "val_acc_chance"}
    assert "chance" in step.piece and [m.symptom for m in step.taken] == ["loss_nan"]
    assert symptoms(session) == ["loss_nan"]  # the clear piece is taken, the close one not yet
    chosen = next(m for m in step.options if m.symptom == "val_acc_chance")
    assert isinstance(session.choose(step, chosen), Taken)
    assert symptoms(session) == ["loss_nan", "val_acc_chance"]
    clear = Session(load_knowledge())  # no team symptom: nothing to ask
    taken = clear.complain(COMPLAINT, ask=True)
    assert isinstance(taken, Taken) and symptoms(clear) == ["loss_nan", "acc_chance"]


async def test_the_chat_asks_about_the_close_piece_only(
        runs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    app = opened_by("--kb", str(runs["team"]), monkeypatch=monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        app.chat.query_one("#composer").value = COMPLAINT  # type: ignore[attr-defined]
        app.chat.query_one("#composer").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        card = app.chat.pending
        assert isinstance(card, SymptomChoice)
        assert {m.symptom for m in card.matches} == {"acc_chance", "val_acc_chance"}
        assert symptoms(app.session) == ["loss_nan"]
        await pilot.press(str([m.symptom for m in card.matches].index("val_acc_chance") + 1))
        await settle(app, pilot)
        assert symptoms(app.session) == ["loss_nan", "val_acc_chance"]


def test_interactive_diagnose_asks_about_the_close_piece_only(
        runs: dict[str, Path], tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    saved = tmp_path / "out.json"
    child = pexpect.spawn(DLDOCTOR, ["diagnose", "--kb", str(runs["team"]), "--symptom",
                                     COMPLAINT, "--save-session", str(saved)],
                          encoding="utf-8", timeout=60, dimensions=(40, 120))
    child.expect("Which of these do you mean")
    child.expect("0. none of these")
    options = child.before
    assert "Accuracy is stuck at chance level" in options
    assert "The validation accuracy stays at chance level" in options
    assert "NaN" not in options  # the clear piece is not put to the person
    pick = "1" if options.index("validation accuracy stays") < options.index("Accuracy is") \
        else "2"
    child.sendline(pick)
    child.expect(r"\? = don't know")  # the first question: stop here
    child.sendline("done")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus in (0, 1)
    data = json.loads(saved.read_text("utf-8"))
    assert [a["key"] for a in data["answers"] if a["kind"] == "symptom"] == [
        "loss_nan", "val_acc_chance"]


# ------------------------------------------------------------ 是/否 in a Chinese session


def test_a_chinese_report_says_shi_and_fou() -> None:
    for fmt in ("text", "markdown"):
        out = run("diagnose", "--lang", "zh", "--symptom", "loss is nan", *ZH_FACTS,
                  "--no-input", "--explain", "--format", fmt)
        assert out.returncode == 1, out.stderr
        lines = [line for line in out.stdout.splitlines() if "--set " not in line]
        values = [line for line in lines if "loss.non_finite" in line or "NaN/inf" in line]
        assert any("否" in line for line in values) and any("是" in line for line in values)
        assert not any(f" {w} " in f" {line} " or f"{w}  [" in line or f"{w} [" in line
                       for line in lines for w in ("yes", "no")), fmt


async def test_the_chat_says_shi_and_fou_in_cards_and_transcript(
        monkeypatch: pytest.MonkeyPatch) -> None:
    app = opened_by("--lang", "zh", "--symptom", "loss is nan", *ZH_FACTS,
                    monkeypatch=monkeypatch)
    app.session.max_questions = 0  # straight to the report
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        cards = list(app.chat.query(DiagnosisCard))
        assert cards and cards[0].diagnosis.cause == "lr_too_high"
        evidence = "\n".join(e.text for e in cards[0].diagnosis.evidence)
        # a statement that does not hold in its own words, not "…: 否" (nor "并非如此：…")
        assert "第一步的 loss 是有限值" in evidence and "是" in evidence
        text = transcript(app)
        assert "**否**" in text  # what was given, recalled in the transcript
        for word in ("yes", "no"):
            assert f": {word}" not in evidence + text and f"**{word}**" not in text


async def test_a_resumed_chinese_session_keeps_its_chinese_evidence(
        runs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = tmp_path / "zh.json"
    first = run("diagnose", "--lang", "zh", "--log", str(runs["nan"]), "--no-input",
                "--save-session", str(saved))
    assert "第 30 步" in first.stdout, first.stderr
    again = run("diagnose", "--lang", "zh", "--resume", str(saved), "--no-input")
    assert "第 30 步" in again.stdout and "first became NaN" not in again.stdout
    app = opened_by("--lang", "zh", "--resume", str(saved), monkeypatch=monkeypatch)
    app.session.max_questions = 0
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        cards = list(app.chat.query(DiagnosisCard))
        evidence = "\n".join(e.text for c in cards for e in c.diagnosis.evidence)
        assert "第 30 步" in evidence and "first became NaN" not in evidence


# ------------------------------------------------------------ a file of the wrong shape


@pytest.mark.parametrize("command", ["diagnose", "chat"])
def test_a_wrong_file_is_one_line_and_exit_2(command: str, tmp_path: Path) -> None:
    wrong = tmp_path / "s.json"
    wrong.write_text(json.dumps({"schema": "dldoctor.session/1", "answers": [
        {"kind": "fact", "key": "loss.non_finite", "raw": True}, {"kind": "nonsense"}]}),
        "utf-8")
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"schema": "dldoctor.report/1", "schema_version": 1,
                                  "diagnoses": []}), "utf-8")
    for path, field in ((wrong, "answers[1].kind"), (report, "schema")):
        out = run(command, "--resume", str(path), "--no-input" if command == "diagnose"
                  else "--lang=en", real=True)
        assert out.returncode == 2, (path, out.stdout, out.stderr)
        assert len(out.stderr.splitlines()) == 1 and "Traceback" not in out.stderr
        assert str(path) in out.stderr and field in out.stderr, out.stderr


def test_typed_files_carry_a_schema_version(runs: dict[str, Path], tmp_path: Path) -> None:
    data = json.loads(runs["saved"].read_text("utf-8"))
    assert data["schema"] == "dldoctor.session/1" and data["schema_version"] == 1
    with pytest.raises(InputError) as caught:
        read_report(runs["saved"])  # a session is no report
    assert caught.value.message.startswith(f"{runs['saved']}: field ")
    assert "\n" not in caught.value.message
    traced = tmp_path / "t.trace"
    traced.write_text("", "utf-8")
    session = Session.from_json(load_knowledge(), {**data, "schema_version": 1, "inputs": {
        **data["inputs"], "trace": str(traced)}})
    assert session.inputs.trace == traced  # the trace input survives a save and a resume
    with pytest.raises(InputError, match="schema_version"):
        Session.from_json(load_knowledge(), {**data, "schema_version": 2})
