"""docs/authoring.md walked through as a team member does: its rule file and its test file,
copied from the page, give the output the page shows; a test file named alone runs with the
rules of its folder."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import forkcli

DLDOCTOR = shutil.which("dldoctor") or "dldoctor"
PAGE = Path(__file__).resolve().parents[1] / "docs" / "authoring.md"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", PAGE.read_text("utf-8"), flags=re.S)


def _shown(command: str) -> list[str]:
    """The lines the page shows after ``$ command`` (up to the next prompt or block end)."""
    for block in _blocks("console"):
        lines = block.splitlines()
        if f"$ {command}" in lines:
            after = lines[lines.index(f"$ {command}") + 1:]
            return [x for x in after[:next((i for i, x in enumerate(after)
                                              if x.startswith("$ ")), len(after))]]
    raise AssertionError(f"the page shows no `{command}`")


def _kb(*args: str, cwd: Path, real: bool = False) -> subprocess.CompletedProcess[str]:
    """``dldoctor kb ARGS``: a real subprocess when ``real``, else the warm fork server
    (tests/support/forkcli.py), which skips the interpreter's start-up."""
    run = subprocess.run if real else forkcli.run
    return run([DLDOCTOR, "kb", *args], capture_output=True, text=True, cwd=cwd, timeout=120,
               stdin=subprocess.DEVNULL)


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """team-rules/ as the page has the reader make it, the rule's typo included."""
    rules = next(b for b in _blocks("yaml") if "id: team.uniform_output" in b)
    tests = next(b for b in _blocks("yaml") if b.startswith("# yaml-language-server: "
                                                            "$schema=../dldoctor-kb-tests"))
    folder = tmp_path / "team-rules"
    (folder / "tests").mkdir(parents=True)
    (folder / "stuck.yaml").write_text(rules, "utf-8")
    (folder / "tests" / "stuck.yaml").write_text(tests, "utf-8")
    (folder / "runbook.md").write_text("# Runbook\n\n## Loss stuck\n", "utf-8")
    return tmp_path


def test_the_authoring_page_runs_as_written(team: Path) -> None:
    linted = _kb("lint", "team-rules", cwd=team, real=True)  # as the reader types it
    shown = _shown("dldoctor kb lint team-rules")
    assert linted.returncode == 1
    assert linted.stdout.splitlines() + linted.stderr.splitlines() == shown
    rule_file = team / "team-rules" / "stuck.yaml"
    rule_file.write_text(rule_file.read_text("utf-8").replace("log_clases", "log_classes"))
    clean = _kb("lint", "team-rules", cwd=team)
    assert clean.returncode == 0 and clean.stdout == ""
    assert clean.stderr.strip() == "0 errors, 0 warnings in 2 files"
    tested = _kb("test", "team-rules", cwd=team, real=True)
    assert tested.returncode == 0, tested.stdout
    assert tested.stderr.strip() in _shown("dldoctor kb test team-rules")


@pytest.mark.parametrize("named", ["team-rules/tests/stuck.yaml", "team-rules/tests"])
def test_a_test_file_named_alone_runs_with_its_folders_rules(team: Path, named: str) -> None:
    rule_file = team / "team-rules" / "stuck.yaml"
    rule_file.write_text(rule_file.read_text("utf-8").replace("log_clases", "log_classes"))
    out = _kb("test", named, cwd=team)
    assert "unknown fact" not in out.stdout and "broken" not in out.stderr, out.stdout
    assert out.returncode == 0, out.stdout
    assert out.stderr.strip() == "3 passed, 0 failed in 1 file; rule coverage 1/1 (100%)"


def test_explain_a_fact_names_the_symptoms_and_probes_that_set_it(team: Path) -> None:
    rule_file = team / "team-rules" / "stuck.yaml"
    rule_file.write_text(rule_file.read_text("utf-8").replace("log_clases", "log_classes"))
    out = _kb("explain", "--kb", "team-rules", "team.loss_at_log_classes", cwd=team)
    assert out.returncode == 0, out.stderr
    assert "implied by symptoms: team_loss_at_chance" in out.stdout.splitlines()
    out = _kb("explain", "loss.non_finite", cwd=team)
    lines = out.stdout.splitlines()
    assert any(x.startswith("implied by symptoms: ") and "loss_nan" in x for x in lines)
    assert "measured by: log.curves" in lines
