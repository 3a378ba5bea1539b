"""The installed command line as a new user first meets it: a mistyped option, an option
without its value, ``--json``. Every mistake is one line on stderr naming the help to read,
and exit 2 (contract.md), never click's three-line usage block."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

DLDOCTOR = shutil.which("dldoctor") or "dldoctor"
DIAGNOSE = shutil.which("diagnose") or "diagnose"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, cwd=cwd, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(("args", "names", "says"), [
    ([DIAGNOSE, "--bogus"], "dldoctor diagnose -h", "no such option: --bogus"),
    ([DLDOCTOR, "diagnose", "--json-out"], "dldoctor diagnose -h", "no such option"),
    ([DIAGNOSE, "--checkpoint"], "dldoctor diagnose -h", "'--checkpoint' requires an argument"),
    ([DLDOCTOR, "kb", "lint", "--bogus"], "dldoctor kb lint -h", "no such option: --bogus"),
    ([DLDOCTOR, "kb", "test", "--kb"], "dldoctor kb test -h", "'--kb' requires an argument"),
    ([DLDOCTOR, "frobnicate"], "dldoctor -h", "no such command 'frobnicate'"),
    ([DLDOCTOR, "kb", "explain"], "dldoctor kb explain -h", "missing argument"),
    ([DIAGNOSE, "--probe-budget", "soon", "--symptom", "loss is nan"], "dldoctor diagnose -h",
     "'--probe-budget'"),
])
def test_a_usage_mistake_is_one_line_and_exit_2(args: list[str], names: str, says: str,
                                                 tmp_path: Path) -> None:
    out = _run(*args, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("dldoctor: error: ") and says in lines[0], lines[0]
    assert f"(see `{names}`)" in lines[0], lines[0]
    assert out.stdout == ""


def test_the_diagnose_script_names_itself_as_dldoctor_diagnose(tmp_path: Path) -> None:
    out = _run(DIAGNOSE, "-h", cwd=tmp_path)
    assert out.returncode == 0
    assert out.stdout.startswith("Usage: dldoctor diagnose ")  # not "diagnose diagnose"
    assert "--json" in out.stdout


def test_json_is_the_json_report(tmp_path: Path) -> None:
    args = ("--symptom", "my loss becomes nan after a few steps", "--no-input")
    short = _run(DIAGNOSE, *args, "--json", cwd=tmp_path)
    long = _run(DIAGNOSE, *args, "--format", "json", cwd=tmp_path)
    assert short.returncode == long.returncode
    report = json.loads(short.stdout)
    assert report["schema"] == "dldoctor.report/1"
    assert report == json.loads(long.stdout)
    clash = _run(DIAGNOSE, *args, "--json", "--format", "markdown", cwd=tmp_path)
    assert clash.returncode == 2 and clash.stdout == ""
    assert clash.stderr.splitlines() == [
        "dldoctor: error: --json is --format json: it cannot go with --format 'markdown'"]
