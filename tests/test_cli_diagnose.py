"""`diagnose` by subprocess, through the installed entry points: the contract's behaviour."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from tests.support.forkcli import ForkCli

DIAGNOSE = shutil.which("diagnose") or "diagnose"
DLDOCTOR = shutil.which("dldoctor") or "dldoctor"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DLDOCTOR, *args], capture_output=True, text=True, cwd=cwd,
                          stdin=subprocess.DEVNULL, timeout=120)


def _diag(cli: ForkCli, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``run("diagnose", ...)`` from the warm interpreter (tests/support/forkcli.py)."""
    return cli(DLDOCTOR, "diagnose", *args, cwd=cwd, timeout=120)


def test_nothing_to_diagnose_is_a_usage_error() -> None:
    out = run("diagnose")
    assert out.returncode == 2
    assert out.stderr.startswith("dldoctor: error: nothing to diagnose")
    assert len(out.stderr.strip().splitlines()) == 1
    assert out.stdout == ""


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--checkpoint", "missing.pt"], "missing.pt: no such file or directory"),
        (["--log", "nope.csv"], "nope.csv: no such file or directory"),
        (["--symptom", "x", "--format", "xml"], "--format must be text, json or markdown"),
        (["--set", "loss.non_finite"], "--set takes FACT=VALUE"),
        (["--set", "no.such.fact=1"], "unknown fact 'no.such.fact'"),
        (["--set", "loss.non_finite=perhaps"], "loss.non_finite: answer yes or no"),
        (["--model", "m.py:build"], "m.py: no such file"),
        (["--symptom", "x", "--device", "tpu"], "--device must be auto, cpu or cuda"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(args: list[str], words: str,
                                             tmp_path: Path, cli: ForkCli) -> None:
    out = _diag(cli, *args, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], out.stderr
    assert "Traceback" not in out.stderr


def test_json_report_follows_the_contract(tmp_path: Path) -> None:
    out = subprocess.run(
        [DIAGNOSE, "--symptom", "my loss becomes nan", "--set", "loss.non_finite_at_start=no",
         "--set", "loss.non_finite_step=40", "--format", "json", "--no-input"],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    assert report["schema"] == "dldoctor.report/1"
    assert set(report) >= {"inputs", "findings", "diagnoses", "unanswered"}
    first = report["diagnoses"][0]
    assert first["cause"] == "lr_too_high"
    assert set(first) >= {"cause", "title", "confidence", "evidence", "fixes", "rules",
                          "sources"}
    confidences = [d["confidence"] for d in report["diagnoses"]]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0 <= c <= 1 for c in confidences)
    sources = {f["fact"]: f["source"] for f in report["findings"]}
    assert sources["loss.non_finite_step"] == "user:--set"
    assert sources["loss.non_finite"].startswith("symptom:")


def test_no_input_lists_the_questions_it_would_ask(cli: ForkCli) -> None:
    out = _diag(cli, "--symptom", "loss is nan", "--format", "json", "--no-input")
    report = json.loads(out.stdout)
    asked = {q["fact"] for q in report["unanswered"]}
    assert "loss.non_finite_at_start" in asked
    assert all(q["question"] for q in report["unanswered"])


def test_markdown_report(tmp_path: Path, cli: ForkCli) -> None:
    out = _diag(cli, "--symptom", "loss is nan", "--set", "loss.non_finite_at_start=yes",
              "--format", "markdown", "--no-input")
    assert out.returncode == 1
    assert out.stdout.startswith("# dldoctor report")
    assert "## 1. " in out.stdout


def test_answers_file_and_save_session(tmp_path: Path, cli: ForkCli) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("loss.non_finite: yes\nloss.non_finite_at_start: yes\n")
    saved = tmp_path / "session.json"
    out = _diag(cli, "--answers", str(answers), "--save-session", str(saved),
              "--format", "json", "--no-input")
    assert out.returncode == 1, out.stderr
    assert json.loads(saved.read_text())["schema"] == "dldoctor.session/1"
    bad = tmp_path / "bad.yaml"
    bad.write_text("loss.non_finite: [\n")
    out = _diag(cli, "--answers", str(bad), "--no-input")
    assert out.returncode == 2 and "bad.yaml:" in out.stderr


def test_asks_in_a_terminal_and_explains_why() -> None:
    env = {**os.environ, "COLUMNS": "100"}
    child = pexpect.spawn(DLDOCTOR, ["diagnose", "--symptom", "loss becomes nan"], env=env,
                          encoding="utf-8", timeout=60)
    child.expect(r"\r\n([^\r\n]+\?)\s*\r\n")  # a question
    asked = child.match.group(1).strip()
    child.expect("> ")
    child.sendline("why")
    child.expect("It helps decide between")
    child.expect_exact(asked)  # the question again below the reason (a new user was left
    child.expect("> ")         # at a bare prompt with the question scrolled off 24 rows)
    child.sendline("maybe")  # not an answer: asked again, with the reason
    child.expect("not an answer: type y|not one of the choices: type a number|not a number")
    child.sendline("done")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus in (0, 1)
    assert "Traceback" not in (child.before or "")


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run([sys.executable, "-m", "dldoctor", "--version"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("dldoctor ")


def test_why_not_explains_a_cause_not_concluded(tmp_path: Path, cli: ForkCli) -> None:
    out = _diag(cli, "--symptom", "loss is nan", "--set", "loss.non_finite_at_start=no",
              "--why-not", "numerical_log_or_div_zero", "--format", "json", "--no-input")
    verdicts = json.loads(out.stdout)["why_not"]["numerical_log_or_div_zero"]
    failed = [v for v in verdicts if v["state"] == "failed"]
    wanted = "loss.non_finite_at_start is no, but the rule needs loss.non_finite_at_start is yes"
    assert any(wanted in v["detail"] for v in failed)
    assert any(v["state"] == "waiting" and v["detail"].startswith("needs ") for v in verdicts)
    out = _diag(cli, "--symptom", "x", "--why-not", "no_such_cause", "--no-input")
    assert out.returncode == 2 and "unknown cause 'no_such_cause'" in out.stderr


def test_resume_continues_a_saved_session(tmp_path: Path, cli: ForkCli) -> None:
    saved = tmp_path / "s.json"
    first = _diag(cli, "--symptom", "loss is nan", "--save-session", str(saved),
                "--format", "json", "--no-input")
    resumed = _diag(cli, "--resume", str(saved), "--set", "loss.non_finite_at_start=yes",
                  "--format", "json", "--no-input")
    before = json.loads(first.stdout)["diagnoses"]
    after = json.loads(resumed.stdout)["diagnoses"]
    assert after[0]["cause"] != "lr_too_high"  # NaN before any update rules the LR out
    assert {d["cause"] for d in before} & {d["cause"] for d in after}


@pytest.mark.parametrize(
    ("name", "content", "flag", "words"),
    [
        ("bad.pt", b"garbage\n", "--checkpoint", "not a checkpoint dldoctor can read"),
        ("empty.pt", b"", "--checkpoint", "empty.pt"),
        ("empty.csv", b"", "--log", "empty.csv"),
        # bytes no text log has (a gzip header and random bytes): binary data, not a "CSV"
        ("run.log", bytes(range(256)) * 64, "--log", "binary data, not a text log"),
    ],
)
def test_an_unreadable_artefact_is_exit_2_with_one_line(
        tmp_path: Path, name: str, content: bytes, flag: str, words: str, cli: ForkCli) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out = _diag(cli, flag, str(path), "--format", "json", "--no-input")
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dldoctor: error: ") and words in lines[0]
    assert out.stdout == ""
