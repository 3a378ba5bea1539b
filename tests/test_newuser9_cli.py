"""What a ninth new user met on the command line: a complaint dldoctor did not understand,
alone, printed "No problem found" and exited 0 — read as "healthy" by a person and a script.
Nothing examined is now said plainly (what was examined: nothing; what to give next), the
JSON report says what it rests on (``examined``), and the exit status is 2, with one line on
stderr."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

DIAGNOSE = shutil.which("diagnose") or "diagnose"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DIAGNOSE, *args, "--no-input"], capture_output=True, text=True,
                          cwd=cwd, timeout=120, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(("lang", "says", "next_"), [
    ("en", "Nothing was examined", "Give next:"), ("zh", "什么都没有检查", "接下来请提供：")])
def test_a_complaint_not_understood_alone_is_no_verdict(tmp_path: Path, lang: str, says: str,
                                                       next_: str) -> None:
    out = _run("--symptom", "my frobnicator is sad", "--lang", lang, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dldoctor: error: "), out.stderr
    assert "'my frobnicator is sad'" in lines[0] and "--checkpoint" in lines[0]
    assert out.stdout.startswith(says) and next_ in out.stdout
    assert "No problem found" not in out.stdout and "未发现问题" not in out.stdout
    assert "--log PATH" in out.stdout and "kb list --symptoms" in out.stdout


@pytest.mark.parametrize("fmt", ["json", "markdown"])
def test_every_format_says_nothing_was_examined(tmp_path: Path, fmt: str) -> None:
    out = _run("--symptom", "frobnicate", "--format", fmt, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    if fmt == "json":
        report = json.loads(out.stdout)
        assert report["examined"] == [] and report["diagnoses"] == []
        assert report["schema"] == "dldoctor.report/1"  # only a key was added
    else:
        assert "**Nothing was examined" in out.stdout and "No problem found" not in out.stdout


def test_answers_alone_say_nothing_was_measured(tmp_path: Path) -> None:
    out = _run("--set", "optimizer.kind=adam", "--format", "json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["examined"] == ["answers"]
    assert any("nothing was measured and no symptom was described" in limit
               for limit in report["limits"]), report.get("limits")


def test_what_was_examined_is_listed(tmp_path: Path) -> None:
    (tmp_path / "log.csv").write_text(
        "step,loss\n" + "".join(f"{i},{2.3 - 0.01 * i:.3f}\n" for i in range(40)))
    out = _run("--log", "log.csv", "--symptom", "loss is nan", "--symptom", "frobnicate",
               "--format", "json", cwd=tmp_path)
    assert out.returncode in (0, 1), out.stderr
    assert json.loads(out.stdout)["examined"] == ["log", "complaint"]
    assert "no symptom matches 'frobnicate'" in out.stderr  # said, but no error
