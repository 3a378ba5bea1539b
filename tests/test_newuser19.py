"""Round 19 of a new user. A team rule concluding a built-in cause passed its `top:` test while
`kb test -v` said "concluded: nothing" and `diagnose` listed the cause only as a practice note
(exit 0): the verbose report now names the notes and says why they are apart. A healthy run
described as "validation loss is lower than my training loss" was a fault (too much
regularisation, exit 1): validation better than training is what dropout does to a model
that fits, and explains a regularisation fault only with a training loss that stays high."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from dldoctor.engine.testing import Case, run_case
from dldoctor.kbpaths import load_knowledge

DLDOCTOR = shutil.which("dldoctor") or "dldoctor"

_RULES = """\
facts:
  - id: team.decode_gap
    type: bool
    text: {en: "Greedy decoding is far worse than the loss suggests", zh: "贪心解码远差于 loss"}
    question: {en: "Is generation far worse than the loss suggests?", zh: "生成是否远差于 loss？"}
rules:
  - id: team.decode_gap_leak
    when: {fact: team.decode_gap, is: true}
    then:
      - {cause: task_trivial_or_leak, cf: 0.6}
    because: {en: "The model reads the token it predicts.", zh: "模型读到了它要预测的 token。"}
    sources: ["https://example.com/runbook"]
"""
_CASES = """\
cases:
  - name: decode gap points to a leak
    given: {team.decode_gap: "yes"}
    expect: {top: task_trivial_or_leak}
"""


def test_kb_test_names_the_practice_notes_a_case_concluded(tmp_path: Path) -> None:
    (tmp_path / "team" / "tests").mkdir(parents=True)
    (tmp_path / "team" / "decode.yaml").write_text(_RULES)
    (tmp_path / "team" / "tests" / "decode.yaml").write_text(_CASES)
    out = subprocess.run([DLDOCTOR, "kb", "test", str(tmp_path / "team"), "-v"],
                         capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    assert "concluded:  nothing" in out.stdout
    assert "notes:      task_trivial_or_leak (practice notes" in out.stdout
    assert "exits 0" in out.stdout


def test_validation_better_than_training_alone_is_no_regularisation_fault() -> None:
    kb = load_knowledge()
    fits = Case(name="dropout 0.5, a model that fits",
                given={"train_val.gap_ratio": 0.52, "train_val.gap_over_initial": -0.1,
                       "arch.dropout_rate_max": 0.5, "train_val.close_and_high": False,
                       "loss.plateau": False},
                symptoms=["validation loss is lower than my training loss"], expect={})
    assert dict(run_case(kb, fits).ranking).get("over_regularization", 0.0) < 0.5
    held = Case(name="dropout 0.9, a training loss that stays high",
                given={"arch.dropout_rate_max": 0.9, "train_val.close_and_high": True},
                symptoms=["validation loss is lower than my training loss"], expect={})
    assert run_case(kb, held).ranking[0][0] == "over_regularization"


def test_a_run_with_no_possible_cause_says_why_nothing_was_asked(tmp_path: Path) -> None:
    """User 19 saw "Questions that would sharpen the diagnosis … the chat asks them" under "No
    problem found", in a terminal that had asked nothing: with no cause even possible nothing
    is asked, and the heading says so."""
    import math

    rows = ["step,epoch,train_loss,val_loss"]
    for step in range(200):  # a clean fall to a floor, validation just above it
        level = 2.0 * math.exp(-step / 40)
        noise = 0.01 * math.sin(7.3 * step)
        val = f"{0.33 + level:.4f}" if step % 20 == 19 else ""
        rows.append(f"{step},{step // 20},{0.3 + level + noise:.4f},{val}")
    (tmp_path / "log.csv").write_text("\n".join(rows) + "\n")
    out = subprocess.run([shutil.which("diagnose") or "diagnose", "--no-input",
                          "--log", str(tmp_path / "log.csv")],
                         capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("No problem found.")
    assert "Questions that would sharpen" not in out.stdout
    assert "Nothing was asked: no cause is even possible" in out.stdout


def test_a_replaced_attachment_leaves_no_note_from_the_file_it_replaced(tmp_path: Path) -> None:
    """User 19 attached a printed log as the checkpoint in the chat, then attached both
    rightly: the report still said the classes were unknown because "mil_stdout.log: not a
    checkpoint" — the log's probe had read the wrong checkpoint and kept its note."""
    from dldoctor.probes.base import Inputs
    from dldoctor.report import build_report
    from dldoctor.session import Session
    from tests.support.artefacts import train_tiny

    art = train_tiny(tmp_path)
    session = Session(load_knowledge(), Inputs(checkpoint=art.log, logs=(art.log,)))
    session.run_probes()
    assert any(art.log.name in " ".join(map(str, run.notes)) or run.error
               for run in session.probe_runs.values())
    session.with_inputs(Inputs(checkpoint=art.checkpoint, logs=(art.log,)))
    session.run_probes()
    notes = " ".join(str(n) for n in build_report(session).notes)
    assert "not a checkpoint" not in notes, notes


async def test_a_language_chosen_on_the_command_line_still_offers_the_last_chat(
        tmp_path: Path) -> None:
    """User 19: `dldoctor --lang zh` did not offer to resume an English autosave (plain
    `dldoctor` did). A blank session built for --lang is offered it, in its own language."""
    from dldoctor.session import Session
    from dldoctor.tui.app import make_app
    from dldoctor.tui.screens.confirm import ConfirmScreen
    from dldoctor.tui.widgets.message import DoctorMessage

    kb = load_knowledge()
    saved = Session(kb, lang="en")
    saved.complain("the loss is nan")
    autosave = tmp_path / "autosave.json"
    saved.save(autosave)
    app = make_app(Session(kb, lang="zh"), autosave_file=autosave, start_dir=tmp_path,
                   keep_lang=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.chat.query(DoctorMessage).first().source.startswith("你好")
        await pilot.press("y")
        for _ in range(50):
            await pilot.pause(0.1)
            if app.session.answers:
                break
        assert app.session.lang == "zh" and app.session.answers
